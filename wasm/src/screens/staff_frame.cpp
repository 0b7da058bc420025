// The staff console's frame: the full window, the top bar and the sign-in card.
#include <algorithm>
#include <cfloat>

#include "screens/staff_screens.hpp"

namespace memberdesk::client::staff {

bool StaffActions::any() const {
    return switch_language || sign_in || sign_out || find_phone || next_customer || retry_member || redeem ||
           give_points || open_screen || show_report || reload_at_risk || export_at_risk || reveal_full || hide_full ||
           care_browse_more || care_find || care_browse || care_open || care_close || care_reveal || care_more ||
           care_confirmed;
}

std::vector<StaffScreen> staff_screens(const StaffState& s) {
    if (!s.me.has()) return {};
    return staff_screens_for(s.me.value->role);
}

void draw_staff_nav(StaffView& v, Ui& ui, StaffActions& a) {
    const auto screens = staff_screens(v.state);
    if (screens.size() < 2) return;
    // Stable ids per screen ("staff.nav.reports"): the same button whatever the role offers.
    static const char* const keys[] = {"staff.nav.counter", "staff.nav.reports", "staff.nav.at_risk",
                                       "staff.nav.survey", "staff.nav.care"};
    ui.begin_region("staff.nav", st(ui, "staff.nav"), Role::nav);
    for (std::size_t i = 0; i < screens.size(); ++i) {
        const char* key = keys[static_cast<int>(screens[i])];
        const bool on = screens[i] == v.ui.screen;
        if (i > 0) ui.same_line(6);
        if (ui.button(key, st(ui, key), on ? ButtonKind::primary : ButtonKind::secondary) && !on)
            a.open_screen = screens[i];
    }
    ui.end_region();
    ui.gap(12);
}

void draw_staff_top_bar(StaffView& v, Ui& ui, StaffActions& a) {
    const Theme& th = ui.theme();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = ui.px(56);
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), th.card);
    dl->AddLine(ImVec2(p.x, p.y + h - 1), ImVec2(p.x + w, p.y + h - 1), th.card_border, std::max(1.0f, ui.px(1)));
    ui.begin_region("staff.header", st(ui, "staff.title"), Role::region);
    const float pad = ui.px(16);
    const float btn_h = ImGui::GetFrameHeight();
    const float btn_y = p.y + (h - btn_h) * 0.5f;
    const auto text_w = [](const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; };
    const float fp = ImGui::GetStyle().FramePadding.x * 2;

    // Right: who is signed in, the language switch and sign-out.
    const std::string lang_label = ui.lang() == Lang::zh ? "English" : "\xE4\xB8\xAD\xE6\x96\x87";
    const bool in = v.state.signed_in();
    const std::string out_label = st(ui, "staff.sign_out");
    std::string who;
    if (in && v.state.me.has()) {
        const StaffSessionView& me = *v.state.me.value;
        std::string place;
        if (me.store) place = fmt(st(ui, "staff.store"), {*me.store});
        if (me.region) place = fmt(st(ui, "staff.region"), {*me.region});
        who = fmt(st(ui, "staff.user"), {me.name.empty() ? me.username : me.name, role_name(ui.lang(), me.role)});
        if (!place.empty()) who += " \xC2\xB7 " + place;
    }
    const float lw = text_w(lang_label) + fp, ow = in ? text_w(out_label) + fp : 0;
    const float right = p.x + w - pad;
    float x = right - lw - (in ? ow + ui.px(8) : 0);

    ImFont* title_font = ui.fonts().heading;
    const char* title = st(ui, "staff.title");
    ui.note(title);
    const float title_h = title_font ? title_font->FontSize * title_font->Scale : ImGui::GetFontSize();
    ImGui::SetCursorScreenPos(ImVec2(p.x + pad, p.y + (h - title_h) * 0.5f));
    ui.text("staff.app_title", title, Tone::accent, title_font);
    const float title_end = ImGui::GetItemRectMax().x;
    if (!who.empty()) {
        ui.note(who);
        const float ww = text_w(who);
        const float wx = x - ui.px(16) - ww;
        ImGui::SetCursorScreenPos(ImVec2(std::max(title_end + ui.px(16), wx), p.y + (h - ImGui::GetFontSize()) * 0.5f));
        ui.push_width(std::max(ui.px(40), x - ImGui::GetCursorScreenPos().x - ui.px(8)));
        if (wx > title_end + ui.px(16)) ui.text("staff.user", who, Tone::muted);
        ui.pop_width();
    }

    ui.push_width(w);
    ImGui::SetCursorScreenPos(ImVec2(x, btn_y));
    if (ui.button("staff.lang", lang_label, ButtonKind::ghost)) a.switch_language = true;
    if (in) {
        ImGui::SetCursorScreenPos(ImVec2(right - ow, btn_y));
        if (ui.button("staff.sign_out", out_label, ButtonKind::secondary)) a.sign_out = true;
    }
    ui.pop_width();
    ui.end_region();
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h));
    ImGui::Dummy(ImVec2(w, 0));
}

void draw_staff_sign_in(StaffView& v, Ui& ui, StaffActions& a) {
    const StaffState& s = v.state;
    ui.begin_card("staff.signin", st(ui, "staff.signin.title"));
    ui.heading("staff.signin.title", st(ui, "staff.signin.title"), 1);
    ui.text("staff.signin.intro", st(ui, "staff.signin.intro"), Tone::muted);
    if (s.session_ended) ui.status("staff.signin.notice", st(ui, "staff.signin.ended"));
    if (v.ui.signed_out_note && !s.session_ended) ui.status("staff.signin.notice", st(ui, "staff.signin.signed_out"));
    bool submit_user = false, submit_password = false;
    ui.input("staff.signin.username", st(ui, "staff.signin.username"), v.ui.username, InputKind::text, 32,
             &submit_user);
    ui.input("staff.signin.password", st(ui, "staff.signin.password"), v.ui.password, InputKind::password, 128,
             &submit_password);
    ui.gap(4);
    const bool busy = s.login.loading();
    const bool ready = !v.ui.username.empty() && !v.ui.password.empty() && !busy;
    const bool pressed =
        ui.button("staff.signin.submit", busy ? st(ui, "staff.signin.signing_in") : st(ui, "staff.signin.submit"),
                  ButtonKind::primary, ready, -1);
    if (pressed || ((submit_user || submit_password) && ready)) a.sign_in = true;
    if (s.login.failed()) ui.alert("staff.signin.error", staff_error(ui.lang(), s.login.error));
    ui.end_card();
}

void draw_staff(StaffView& v, Ui& ui, StaffActions& a) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
    ImGui::Begin("###staff", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar(2);
    if (ui.fonts().body) ImGui::PushFont(ui.fonts().body);
    draw_staff_top_bar(v, ui, a);

    const float avail_h = ImGui::GetContentRegionAvail().y;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ui.px(20), ui.px(20)));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ui.px(10), ui.px(10)));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ui.theme().bg);
    ImGui::BeginChild("###staff.content", ImVec2(0, avail_h), ImGuiChildFlags_AlwaysUseWindowPadding);
    ui.touch_scroll();
    ui.begin_region("staff.main", st(ui, "staff.main"), Role::region);
    if (!v.state.signed_in()) {
        const float avail = ImGui::GetContentRegionAvail().x;
        const float col = std::min(avail, ui.px(420));
        const float indent = std::max(0.0f, (avail - col) * 0.5f);
        ui.gap(24);
        if (indent > 0) ImGui::Indent(indent);
        ui.push_width(col);
        draw_staff_sign_in(v, ui, a);
        ui.pop_width();
        if (indent > 0) ImGui::Unindent(indent);
    } else {
        ui.push_width(ImGui::GetContentRegionAvail().x);
        draw_staff_nav(v, ui, a);
        switch (v.ui.screen) {
            case StaffScreen::counter: draw_staff_counter(v, ui, a); break;
            case StaffScreen::reports: draw_staff_reports(v, ui, a); break;
            case StaffScreen::survey: draw_staff_survey(v, ui, a); break;
            case StaffScreen::at_risk: draw_staff_at_risk(v, ui, a); break;
            case StaffScreen::care: draw_staff_care(v, ui, a); break;
        }
        ui.pop_width();
    }
    ui.end_region();
    ui.gap(16);
    ImGui::EndChild();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar(2);
    if (ui.fonts().body) ImGui::PopFont();
    ImGui::End();
}

void draw_two_columns(Ui& ui, const std::function<void()>& left, const std::function<void()>& right) {
    const float w = ui.width();
    const bool wide = w >= ui.px(860);
    const float gap = ui.px(20);
    const float cw = wide ? (w - gap) * 0.5f : w;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::BeginGroup();
    ui.push_width(cw);
    left();
    ui.pop_width();
    ImGui::EndGroup();
    const float left_bottom = ImGui::GetItemRectMax().y;
    if (wide)
        ImGui::SetCursorScreenPos(ImVec2(origin.x + cw + gap, origin.y));
    else
        ui.gap(12);
    ImGui::BeginGroup();
    ui.push_width(cw);
    right();
    ui.pop_width();
    ImGui::EndGroup();
    const float bottom = std::max(left_bottom, ImGui::GetItemRectMax().y);
    ImGui::SetCursorScreenPos(ImVec2(origin.x, bottom));
    ImGui::Dummy(ImVec2(w, 0));
}

}  // namespace memberdesk::client::staff
