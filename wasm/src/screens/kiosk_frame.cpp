// The kiosk's frame: the full-screen window, the top bar (brand, language, Done), the main area
// with the current phase, and the dialogs above it. Also the kiosk theme and the attract offers.
#include <algorithm>
#include <cmath>

#include "app/format.hpp"
#include "screens/kiosk_screens.hpp"

namespace memberdesk::client::kiosk {

namespace {

ImU32 rgb(unsigned v) { return IM_COL32((v >> 16) & 255, (v >> 8) & 255, v & 255, 255); }

// Splits a rules body into its lines.
std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out;
    std::size_t a = 0;
    while (a <= s.size()) {
        std::size_t b = s.find('\n', a);
        if (b == std::string::npos) b = s.size();
        if (b > a) out.push_back(s.substr(a, b - a));
        a = b + 1;
    }
    return out;
}

bool ends_with_colon(const std::string& s) {
    if (s.empty()) return false;
    if (s.back() == ':') return true;
    static const std::string fw = "\xEF\xBC\x9A";  // ：
    return s.size() >= fw.size() && s.compare(s.size() - fw.size(), fw.size(), fw) == 0;
}

}  // namespace

MirrorNode kiosk_node(std::string id, Role role, std::string label, std::string value, int level) {
    MirrorNode n;
    n.id = std::move(id);
    n.role = role;
    n.label = std::move(label);
    n.value = std::move(value);
    n.level = level;
    return n;
}

void kiosk_next_column(Ui& ui, bool landscape, ImVec2 at, float portrait_gap) {
    if (landscape)
        ImGui::SetCursorScreenPos(at);
    else
        ui.gap(portrait_gap);
}

bool KioskActions::any() const {
    return switch_language || start_keypad || clear_login_error || pin_sign_in || cancel || sign_out || still_here ||
           !reload.empty() || clear_redemption || redeem || add_coupon || start_signup || start_pin_reset ||
           request_code || verify_code || reset_to_sign_in || history_filter || start_survey || send_survey ||
           end_survey;
}

Theme kiosk_theme() {
    Theme t = make_theme(false);
    t.bg = rgb(0xFFFFFF);
    t.card = rgb(0xF1F3F5);
    t.card_border = rgb(0x6B7480);  // visible edges (3:1+ against white)
    t.text = rgb(0x0A0C0F);         // 19:1
    t.muted = rgb(0x2F3640);        // 12:1
    t.accent = rgb(0x0B5443);       // 9.4:1 with white text
    t.accent_text = rgb(0xFFFFFF);
    t.accent_soft = rgb(0xDDEFE9);
    t.danger = rgb(0x9E1B14);
    t.danger_soft = rgb(0xFBE4E1);
    t.success = rgb(0x14632A);
    t.success_soft = rgb(0xE1F2E5);
    t.warning = rgb(0x6B4500);
    t.focus = rgb(0x1546A8);
    return t;
}

std::vector<Offer> offers_from_program(const ProgramView& p) {
    // What a passer-by cares about: rewards, coupons and campaigns, one line each; then earning.
    std::vector<Offer> out;
    const char* order[] = {"rewards", "campaigns", "coupons", "earning"};
    for (const char* want : order) {
        for (const auto& sec : p.rules) {
            if (sec.id != want) continue;
            const auto en = lines_of(sec.body.en);
            const auto zh = lines_of(sec.body.zh);
            const std::size_t n = std::min(en.size(), zh.size());
            // The last line of "coupons" is the small print, not an offer.
            const std::size_t end = sec.id == "coupons" && n > 1 ? n - 1 : n;
            for (std::size_t i = 0; i < end && out.size() < 8; ++i) {
                if (ends_with_colon(en[i]) || en[i].size() > 220) continue;
                if (sec.id == "earning" && i > 0) break;  // just the headline rate
                out.push_back(Offer{sec.heading, Text{zh[i], en[i]}});
            }
        }
    }
    return out;
}

bool kiosk_button(KioskView& v, Ui& ui, const std::string& id, const std::string& label, ButtonKind kind, bool enabled,
                  float w, float h) {
    // Ui::button sizes by its text and frame padding: pad so the button is exactly h tall.
    const float text_h = ImGui::GetFontSize();
    const float pad_y = std::max(ui.px(6), (h - text_h) * 0.5f);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(ui.px(18), pad_y));
    const bool pressed = ui.button(id, label, kind, enabled, w / ui.scale());
    ImGui::PopStyleVar();
    const ImVec2 sz = ImGui::GetItemRectSize();
    if (v.targets) v.targets->push_back(HitTarget{id, sz.x, sz.y});
    return pressed;
}

void draw_kiosk_top_bar(KioskView& v, Ui& ui, KioskActions& a, float w) {
    const Theme& th = ui.theme();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ui.px(kTopBar);
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), th.accent);
    ui.begin_region("kiosk.top", kt(ui, "kiosk.title"), Role::region);
    const float pad = ui.px(kPad);
    // Brand: the program's name.
    std::string brand = kt(ui, "kiosk.title");
    if (v.state.program.has() && !ui.t(v.state.program.value->name).empty()) brand = ui.t(v.state.program.value->name);
    ImFont* hf = ui.fonts().heading;
    ImGui::SetCursorScreenPos(ImVec2(p.x + pad, p.y + (h - hf->FontSize) * 0.5f));
    ui.push_width(w * 0.5f);
    ImGui::PushStyleColor(ImGuiCol_Text, th.accent_text);
    ImGui::PushFont(hf);
    ui.note(brand);
    ImGui::TextUnformatted(brand.c_str());
    ImGui::PopFont();
    ImGui::PopStyleColor();
    ui.mirror().add(kiosk_node("kiosk.brand", Role::heading, brand, "", 1));
    ui.pop_width();

    // Right: language switch (always), Done (signed in).
    const float bh = ui.px(60);
    const float lang_w = ui.px(150), done_w = ui.px(200);
    float x = p.x + w - pad - lang_w;
    if (signed_in_phase(v.ui.phase)) x -= done_w + ui.px(16);
    ImGui::SetCursorScreenPos(ImVec2(x, p.y + (h - bh) * 0.5f));
    ui.push_width(w);
    // Light buttons on the dark bar (Ui's secondary kind: light face, accent text, visible edge).
    const std::string lang_label = v.state.settings.lang == Lang::zh ? "English" : FontManager::kLangSwitch;
    // The switch is the only secondary button on a dark bar: a light face, accent text.
    ImGui::PushFont(ui.fonts().heading);
    const float text_h = ImGui::GetFontSize();
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(ui.px(12), (bh - text_h) * 0.5f));
    const bool lang_pressed = ui.button("kiosk.lang", lang_label, ButtonKind::secondary, true, lang_w / ui.scale());
    ImGui::PopStyleVar();
    if (v.targets)
        v.targets->push_back(HitTarget{"kiosk.lang", ImGui::GetItemRectSize().x, ImGui::GetItemRectSize().y});
    if (MirrorNode* n = ui.mirror().last())
        n->label =
            v.state.settings.lang == Lang::zh ? "English (switch language)" : "\xE4\xB8\xAD\xE6\x96\x87 (Chinese)";
    if (lang_pressed) a.switch_language = true;
    if (signed_in_phase(v.ui.phase)) {
        ImGui::SameLine(0, ui.px(16));
        if (kiosk_button(v, ui, "kiosk.done", kt(ui, "kiosk.done"), ButtonKind::secondary, true, done_w, bh))
            a.sign_out = true;
    }
    ImGui::PopFont();
    ui.pop_width();
    ui.end_region();
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h));
}

void draw_kiosk(KioskView& v, Ui& ui, KioskActions& a) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ui.px(10), ui.px(10)));
    ImGui::Begin("###kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse |
                     ImGuiWindowFlags_NoScrollbar);
    ImGui::PushFont(ui.fonts().body);

    const float W = vp->Size.x, H = vp->Size.y;
    draw_kiosk_top_bar(v, ui, a, W);
    const float pad = ui.px(kPad);
    const float cw = W - 2 * pad;
    const float ch = H - ui.px(kTopBar) - 2 * pad;
    ImGui::SetCursorScreenPos(ImVec2(vp->Pos.x + pad, vp->Pos.y + ui.px(kTopBar) + pad));
    ImGui::BeginGroup();
    ui.begin_region("main", ui.tr("app.main"), Role::region);  // the top bar is "Member self-service"
    switch (v.ui.phase) {
        case Phase::attract: draw_kiosk_attract(v, ui, a, cw, ch); break;
        case Phase::keypad: draw_kiosk_keypad(v, ui, a, cw, ch); break;
        case Phase::member: draw_kiosk_member(v, ui, a, cw, ch); break;
        case Phase::survey: draw_kiosk_survey(v, ui, a, cw, ch); break;
        case Phase::signup:
        case Phase::pin_reset: draw_kiosk_self_service(v, ui, a, cw, ch); break;
    }
    ui.end_region();
    ImGui::EndGroup();
    draw_kiosk_dialogs(v, ui, a);

    ImGui::PopFont();
    ImGui::End();
    ImGui::PopStyleVar(2);
}

}  // namespace memberdesk::client::kiosk
