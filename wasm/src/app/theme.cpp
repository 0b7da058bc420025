#include "app/theme.hpp"

namespace memberdesk::client {

namespace {
ImU32 rgb(unsigned v, unsigned a = 255) { return IM_COL32((v >> 16) & 255, (v >> 8) & 255, v & 255, a); }
ImVec4 vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }
}  // namespace

Theme make_theme(bool dark) {
    Theme t;
    t.dark = dark;
    if (!dark) {
        t.bg = rgb(0xF4F5F7);
        t.card = rgb(0xFFFFFF);
        t.card_border = rgb(0xDDE1E6);
        t.text = rgb(0x1B1F24);
        t.muted = rgb(0x5B6470);   // 5.9:1 on white
        t.accent = rgb(0x1B6E5A);  // 6.0:1 with white text
        t.accent_text = rgb(0xFFFFFF);
        t.accent_soft = rgb(0xE3F1ED);
        t.danger = rgb(0xB3261E);
        t.danger_soft = rgb(0xFBE9E7);
        t.success = rgb(0x1E7A34);
        t.success_soft = rgb(0xE6F4EA);
        t.warning = rgb(0x8A5A00);
        t.chart_line = rgb(0x1B6E5A);
        t.chart_fill = rgb(0x1B6E5A, 40);
        t.chart_grid = rgb(0xDDE1E6);
        t.focus = rgb(0x1A5FD0);
    } else {
        t.bg = rgb(0x121417);
        t.card = rgb(0x1C1F24);
        t.card_border = rgb(0x2E333A);
        t.text = rgb(0xE8EAED);
        t.muted = rgb(0xA9B0BA);
        t.accent = rgb(0x5CCFAE);
        t.accent_text = rgb(0x0C1A16);
        t.accent_soft = rgb(0x1D3A32);
        t.danger = rgb(0xFF8A80);
        t.danger_soft = rgb(0x3A1E1C);
        t.success = rgb(0x81C995);
        t.success_soft = rgb(0x1E3324);
        t.warning = rgb(0xF2C14E);
        t.chart_line = rgb(0x5CCFAE);
        t.chart_fill = rgb(0x5CCFAE, 40);
        t.chart_grid = rgb(0x2E333A);
        t.focus = rgb(0x8AB4F8);
    }
    return t;
}

void apply_style(ImGuiStyle& style, const Theme& t, float scale) {
    style = ImGuiStyle();
    style.WindowPadding = ImVec2(16, 16);
    style.FramePadding = ImVec2(12, 9);
    style.ItemSpacing = ImVec2(10, 10);
    style.ItemInnerSpacing = ImVec2(8, 6);
    style.CellPadding = ImVec2(8, 6);
    style.ScrollbarSize = 12;
    style.GrabMinSize = 16;
    style.WindowRounding = 0;
    style.ChildRounding = 10;
    style.FrameRounding = 8;
    style.PopupRounding = 10;
    style.ScrollbarRounding = 6;
    style.GrabRounding = 6;
    style.WindowBorderSize = 0;
    style.ChildBorderSize = 1;
    style.FrameBorderSize = 1;
    style.PopupBorderSize = 1;
    style.ScaleAllSizes(scale);

    ImVec4* c = style.Colors;
    const ImVec4 text = vec(t.text), muted = vec(t.muted), accent = vec(t.accent);
    ImVec4 accent_hover = accent, accent_active = accent;
    accent_hover.w = 0.88f;
    accent_active.w = 0.75f;
    c[ImGuiCol_Text] = text;
    c[ImGuiCol_TextDisabled] = muted;
    c[ImGuiCol_WindowBg] = vec(t.bg);
    c[ImGuiCol_ChildBg] = vec(t.card);
    c[ImGuiCol_PopupBg] = vec(t.card);
    c[ImGuiCol_Border] = vec(t.card_border);
    c[ImGuiCol_BorderShadow] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_FrameBg] = t.dark ? ImVec4(0.10f, 0.11f, 0.13f, 1) : ImVec4(1, 1, 1, 1);
    c[ImGuiCol_FrameBgHovered] = vec(t.accent_soft);
    c[ImGuiCol_FrameBgActive] = vec(t.accent_soft);
    c[ImGuiCol_TitleBg] = vec(t.card);
    c[ImGuiCol_TitleBgActive] = vec(t.card);
    c[ImGuiCol_MenuBarBg] = vec(t.card);
    c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_ScrollbarGrab] = vec(t.card_border);
    c[ImGuiCol_ScrollbarGrabHovered] = muted;
    c[ImGuiCol_ScrollbarGrabActive] = muted;
    c[ImGuiCol_CheckMark] = accent;
    c[ImGuiCol_SliderGrab] = accent;
    c[ImGuiCol_SliderGrabActive] = accent;
    c[ImGuiCol_Button] = accent;
    c[ImGuiCol_ButtonHovered] = accent_hover;
    c[ImGuiCol_ButtonActive] = accent_active;
    c[ImGuiCol_Header] = vec(t.accent_soft);
    c[ImGuiCol_HeaderHovered] = vec(t.accent_soft);
    c[ImGuiCol_HeaderActive] = vec(t.accent_soft);
    c[ImGuiCol_Separator] = vec(t.card_border);
    c[ImGuiCol_TextSelectedBg] = vec(t.accent_soft);
    c[ImGuiCol_NavHighlight] = vec(t.focus);
    c[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, t.dark ? 0.6f : 0.35f);
    c[ImGuiCol_PlotLines] = accent;
    c[ImGuiCol_PlotHistogram] = accent;
}

}  // namespace memberdesk::client
