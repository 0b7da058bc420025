// The portal's chrome: the header bar (title, menu, language, sign-out) and the navigation list.
#include <algorithm>
#include <cfloat>

#include "screens/screens.hpp"

namespace memberdesk::client {

namespace {

const Screen kNav[] = {Screen::home,  Screen::inbox, Screen::coupons, Screen::history,  Screen::rewards,
                       Screen::tiers, Screen::card,  Screen::profile, Screen::feedback, Screen::settings};

}  // namespace

void draw_portal_header(const ClientState& state, UiState& s, Ui& ui, Actions& actions, bool narrow) {
    const Theme& th = ui.theme();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = ui.px(60);
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), th.card);
    dl->AddLine(ImVec2(p.x, p.y + h - 1), ImVec2(p.x + w, p.y + h - 1), th.card_border, std::max(1.0f, ui.px(1)));
    ui.begin_region("header", ui.tr("app.title"), Role::region);
    const float pad = ui.px(16);
    const float btn_h = ui.px(40);
    const float btn_y = p.y + (h - btn_h) * 0.5f;
    ImGui::SetCursorScreenPos(ImVec2(p.x + pad, btn_y));
    ImGui::BeginGroup();
    ui.push_width(w - 2 * pad);
    float left = p.x + pad;
    if (narrow && state.signed_in()) {
        if (ui.button("app.menu", s.menu_open ? ui.tr("app.close_menu") : ui.tr("app.menu"), ButtonKind::secondary))
            s.menu_open = !s.menu_open;
        left = ImGui::GetItemRectMax().x + ui.px(12);
    }
    // Right side: language switch and sign-out; every control centred on the bar.
    const std::string lang_label = ui.lang() == Lang::zh ? "English" : "\xE4\xB8\xAD\xE6\x96\x87";
    const float lw = ImGui::CalcTextSize(lang_label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
    const std::string out_label = ui.tr("app.sign_out");
    const float ow =
        state.signed_in() ? ImGui::CalcTextSize(out_label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2 : 0;
    const float right = p.x + w - pad;
    const float x = right - lw - (ow > 0 ? ow + ui.px(8) : 0);
    // Title, vertically centred, when it fits between the two (the header region names the app
    // for screen readers either way).
    ImFont* title_font = ui.fonts().heading;
    const char* title = ui.tr("app.title");
    ui.note(title);
    const float tw =
        title_font ? title_font->CalcTextSizeA(title_font->FontSize * title_font->Scale, FLT_MAX, 0, title).x : 0;
    if (title_font && left + tw + ui.px(8) <= x) {
        ImGui::SetCursorScreenPos(ImVec2(left, p.y + (h - title_font->FontSize * title_font->Scale) * 0.5f));
        ui.text("app.title", title, Tone::accent, title_font);
    }
    ImGui::SetCursorScreenPos(ImVec2(x, btn_y));
    if (ui.button("app.lang", lang_label, ButtonKind::ghost)) {
        actions.switch_language = true;
    }
    if (state.signed_in()) {
        ImGui::SetCursorScreenPos(ImVec2(x + lw + ui.px(8), btn_y));
        if (ui.button("app.sign_out", out_label, ButtonKind::secondary)) actions.sign_out = true;
    }
    ui.pop_width();
    ImGui::EndGroup();
    ui.end_region();
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h));
    ImGui::Dummy(ImVec2(w, 0));
}

void draw_portal_nav(const UiState& state, int unread, Ui& ui, Actions& actions, bool vertical) {
    ui.begin_region("nav", ui.tr("app.nav"), Role::nav);
    for (Screen s : kNav) {
        const std::string id = std::string("nav.") + to_string(s);
        const bool current = s == state.screen || (s == Screen::profile && state.screen == Screen::consents);
        if (current) {
            ImGui::PushStyleColor(ImGuiCol_Button, ui.theme().accent_soft);
        }
        // The inbox carries its unread count (the badge: "Messages (2)").
        const std::string label = s == Screen::inbox && unread > 0
                                      ? fmt(ui.tr("nav.inbox_unread"), {std::to_string(unread)})
                                      : std::string(ui.tr(title_key(s)));
        const bool pressed = ui.button(id, label, ButtonKind::nav, true, vertical ? -1 : 0);
        if (current) ImGui::PopStyleColor();
        // Mark the current entry (aria-current) in the mirror node just added.
        if (MirrorNode* n = ui.mirror().last()) n->current = current;
        if (current) {
            const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
            ImGui::GetWindowDrawList()->AddRectFilled(a, ImVec2(a.x + ui.px(4), b.y), ui.theme().accent, ui.px(2));
        }
        if (pressed) actions.navigate = s;
    }
    ui.end_region();
}

}  // namespace memberdesk::client
