// The kiosk's join and PIN reset screen: phone, the code, then the PIN, each typed on the big
// number keys; joining then asks for a name, the consent choices (terms required, the rest off
// unless chosen) and, optionally, a friend's invitation code (typed, or its QR scanned). The steps are core's CodeFlow; KioskMode moves it on the server's answers.
#include <algorithm>

#include "app/format.hpp"
#include "memberdesk/referral.hpp"
#include "screens/kiosk_screens.hpp"

namespace memberdesk::client::kiosk {

namespace {

// A typed value shown large, mirrored as text ("Phone number: 139 0000 0001").
void big_field(Ui& ui, const std::string& id, const char* label, const std::string& shown,
               const std::string& mirror_value) {
    const Theme& th = ui.theme();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float fh = ui.px(118);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + ui.width(), p.y + fh), th.bg, ui.px(12));
    dl->AddRect(p, ImVec2(p.x + ui.width(), p.y + fh), th.accent, ui.px(12), 0, ui.px(4));
    ImGui::SetCursorScreenPos(ImVec2(p.x + ui.px(18), p.y + ui.px(10)));
    ImGui::BeginGroup();
    ImGui::PushStyleColor(ImGuiCol_Text, th.muted);
    ui.note(label);
    ImGui::TextUnformatted(label);
    ImGui::PopStyleColor();
    ui.note_display(shown);
    ImGui::PushFont(ui.fonts().display);
    ImGui::TextUnformatted(shown.empty() ? " " : shown.c_str());
    ImGui::PopFont();
    ImGui::EndGroup();
    MirrorNode n = kiosk_node(id, Role::text, std::string(label) + ": " + mirror_value, mirror_value);
    n.current = true;
    ui.mirror().add(std::move(n));
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + fh));
    ImGui::Dummy(ImVec2(ui.width(), ui.px(10)));
}

std::string grouped_phone(const std::string& phone) {
    KeypadEntry k;
    k.phone = phone;
    return k.phone_display();
}

std::string dots(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += i ? " \xE2\x97\x8F" : "\xE2\x97\x8F";  // ●
    return out;
}

void draw_errors(KioskView& v, Ui& ui) {
    const ApiError* e = v.state.code_request.failed()  ? &v.state.code_request.error
                        : v.state.code_verify.failed() ? &v.state.code_verify.error
                        : v.state.login.failed()       ? &v.state.login.error
                                                       : nullptr;
    if (e) {
        ui.alert("kiosk.self.error", error_text(ui.lang(), e->status, e->code, e->message));
        ui.gap(4);
    }
    if (v.state.code_request.loading()) ui.loading("kiosk.self.busy", kt(ui, "kiosk.sending"));
    if (v.state.code_verify.loading() || v.state.login.loading())
        ui.loading("kiosk.self.busy", kt(ui, "kiosk.joining"));
}

// Join, after the PIN: name and consents, then the optional invitation code and Join (full width,
// no number keys); side by side in landscape, where one column would not fit the screen's height.
void draw_about_you(KioskView& v, Ui& ui, KioskActions& a, float w, float h) {
    CodeFlow& f = v.ui.flow;
    const bool busy = v.state.code_verify.loading() || v.state.login.loading();
    const bool landscape = w > h;
    const float gap = ui.px(32);
    const float col_w = landscape ? std::min((w - gap) * 0.5f, ui.px(900)) : std::min(w, ui.px(900));
    ui.text("kiosk.self.step", kt(ui, "kiosk.about_you"), Tone::normal, ui.fonts().heading);
    ui.gap(6);
    const ImVec2 origin = ImGui::GetCursorScreenPos();

    ImGui::BeginGroup();
    ui.push_width(col_w);
    ui.input("kiosk.self.name", kt(ui, "kiosk.name"), f.name, InputKind::text, 100);
    // A friend's invitation QR scanned while the name had focus: its link goes to the code's field.
    if (!ImGui::IsItemActive())
        if (auto c = take_referral_link(f.name)) f.referral_code = *c;
    ui.gap(6);
    if (ui.choice("kiosk.self.terms", kt(ui, "signup.terms"), {kt(ui, "signup.terms_no"), kt(ui, "signup.terms_yes")},
                  v.ui.terms))
        f.terms = v.ui.terms == 1;
    ui.text("kiosk.self.optional", kt(ui, "signup.optional"), Tone::muted);
    const std::vector<std::string> off_on = {kt(ui, "consents.off"), kt(ui, "consents.on")};
    if (ui.choice("kiosk.self.marketing", kt(ui, "consents.marketing"), off_on, v.ui.marketing))
        f.marketing = v.ui.marketing == 1;
    if (ui.choice("kiosk.self.offers", kt(ui, "consents.offers"), off_on, v.ui.offers))
        f.personalised_offers = v.ui.offers == 1;
    ui.pop_width();
    ImGui::EndGroup();
    const float left_bottom = ImGui::GetItemRectMax().y;

    kiosk_next_column(ui, landscape, ImVec2(origin.x + col_w + gap, origin.y), 6);
    ImGui::BeginGroup();
    ui.push_width(col_w);
    ui.input("kiosk.self.referral", kt(ui, "kiosk.referral"), f.referral_code, InputKind::text, 200);
    // A link scanned into the field (or a code typed with dashes) is shown as the bare code once
    // the field is left (Enter, the scanner's last key, leaves it).
    if (!ImGui::IsItemActive())
        if (auto c = referral_code_from_scan(f.referral_code); c && *c != f.referral_code) f.referral_code = *c;
    ui.text("kiosk.self.referral.how", kt(ui, "kiosk.referral_hint"), Tone::muted);
    if (f.details_problem() == ErrorCode::invalid_referral_code)
        ui.text("kiosk.self.referral.bad", kt(ui, "error.invalid_referral_code"), Tone::danger);
    ui.gap(8);
    draw_errors(v, ui);
    const float bw = (ui.width() - ui.px(16)) * 0.5f, bh = ui.px(88);
    ImGui::PushFont(ui.fonts().heading);
    if (kiosk_button(v, ui, "kiosk.self.back", kt(ui, "kiosk.back"), ButtonKind::secondary, !busy, bw, bh))
        v.ui.pin_entered = false;
    ImGui::SameLine(0, ui.px(16));
    if (kiosk_button(v, ui, "kiosk.self.submit", busy ? kt(ui, "kiosk.joining") : kt(ui, "kiosk.join_now"),
                     ButtonKind::primary, !f.details_problem() && !busy, bw, bh))
        a.verify_code = true;
    ImGui::PopFont();
    ui.pop_width();
    ImGui::EndGroup();
    ImGui::SetCursorScreenPos(ImVec2(origin.x, std::max(left_bottom, ImGui::GetItemRectMax().y)));
}

}  // namespace

void draw_kiosk_self_service(KioskView& v, Ui& ui, KioskActions& a, float w, float h) {
    CodeFlow& f = v.ui.flow;
    const bool join = f.purpose() == CodePurpose::signup;
    const char* title = join ? kt(ui, "kiosk.join_title") : kt(ui, "kiosk.reset_title");
    ui.begin_region("kiosk.self", title, Role::region);
    ui.heading("kiosk.self.title", title, 1);

    if (join && f.step() == CodeFlow::Step::details && v.ui.pin_entered) {
        draw_about_you(v, ui, a, w, h);
        ui.end_region();
        return;
    }
    if (f.step() == CodeFlow::Step::done) {
        ui.push_width(std::min(w, ui.px(900)));
        if (join) {
            draw_errors(v, ui);
        } else {
            ui.status("kiosk.self.done", kt(ui, "kiosk.reset_done"));
            ui.gap(8);
            ImGui::PushFont(ui.fonts().heading);
            if (kiosk_button(v, ui, "kiosk.self.sign_in", kt(ui, "kiosk.sign_in_now"), ButtonKind::primary, true,
                             ui.width(), ui.px(104)))
                a.reset_to_sign_in = true;
            ImGui::PopFont();
        }
        ui.pop_width();
        ui.end_region();
        return;
    }

    const bool landscape = w > h;
    const float gap = ui.px(32);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float left_w = landscape ? (w - gap) * 0.46f : w;
    const float right_w = landscape ? w - gap - left_w : w;
    const UnixSeconds now = ui.unix_now();
    const bool busy = v.state.code_request.loading() || v.state.code_verify.loading();

    ImGui::BeginGroup();
    ui.push_width(left_w);
    std::string* target = &f.phone;
    std::size_t max_len = KeypadEntry::kPhoneMax;
    switch (f.step()) {
        case CodeFlow::Step::phone:
            ui.text("kiosk.self.step", kt(ui, "kiosk.enter_phone"), Tone::normal, ui.fonts().heading);
            big_field(ui, "kiosk.self.phone", kt(ui, "kiosk.phone"), grouped_phone(f.phone), grouped_phone(f.phone));
            break;
        case CodeFlow::Step::code: {
            // PIN reset: the same words whether or not the phone is a member's.
            const std::string prompt = fmt(kt(ui, join ? "kiosk.code_prompt" : "kiosk.reset_code_prompt"), {f.phone});
            ui.text("kiosk.self.step", prompt, Tone::normal, ui.fonts().heading);
            big_field(ui, "kiosk.self.code", kt(ui, "kiosk.code"), f.code, f.code);
            target = &f.code;
            max_len = 6;
            break;
        }
        case CodeFlow::Step::details:
        case CodeFlow::Step::done:
            ui.text("kiosk.self.step", kt(ui, join ? "kiosk.choose_pin" : "kiosk.new_pin"), Tone::normal,
                    ui.fonts().heading);
            big_field(ui, "kiosk.self.pin", kt(ui, "kiosk.pin"), dots(f.pin.size()),
                      fmt(kt(ui, "kiosk.pin_typed"), {std::to_string(f.pin.size())}));
            target = &f.pin;
            max_len = 6;
            break;
    }
    if (join && !f.referral_code.empty())
        ui.text("kiosk.self.referral.noted", fmt(kt(ui, "kiosk.referral_noted"), {f.referral_code}), Tone::muted);
    draw_errors(v, ui);

    // Cancel | the step's action.
    ui.gap(8);
    const float bw = (ui.width() - ui.px(16)) * 0.5f, bh = ui.px(88);
    ImGui::PushFont(ui.fonts().heading);
    if (kiosk_button(v, ui, "kiosk.self.cancel", kt(ui, "kiosk.cancel"), ButtonKind::secondary, true, bw, bh))
        a.cancel = true;
    ImGui::SameLine(0, ui.px(16));
    switch (f.step()) {
        case CodeFlow::Step::phone:
            if (kiosk_button(v, ui, "kiosk.self.send", busy ? kt(ui, "kiosk.sending") : kt(ui, "kiosk.send_code"),
                             ButtonKind::primary, !f.phone_problem() && !busy, bw, bh))
                a.request_code = true;
            break;
        case CodeFlow::Step::code:
            if (kiosk_button(v, ui, "kiosk.self.next", kt(ui, "kiosk.next"), ButtonKind::primary, !f.code_problem(), bw,
                             bh))
                f.enter_code();
            break;
        case CodeFlow::Step::details:
        case CodeFlow::Step::done:
            if (join) {
                if (kiosk_button(v, ui, "kiosk.self.next", kt(ui, "kiosk.next"), ButtonKind::primary,
                                 pin_format_ok(f.pin), bw, bh))
                    v.ui.pin_entered = true;
            } else if (kiosk_button(v, ui, "kiosk.self.submit",
                                    busy ? kt(ui, "kiosk.joining") : kt(ui, "kiosk.set_pin"), ButtonKind::primary,
                                    !f.details_problem() && !busy, bw, bh)) {
                a.verify_code = true;
            }
            break;
    }
    ImGui::PopFont();
    if (f.step() == CodeFlow::Step::code) {
        ui.gap(6);
        const int wait = f.resend_wait(now);
        const std::string again =
            wait > 0 ? fmt(kt(ui, "kiosk.resend_in"), {std::to_string(wait)}) : std::string(kt(ui, "kiosk.resend"));
        if (kiosk_button(v, ui, "kiosk.self.resend", again, ButtonKind::ghost, wait == 0 && !busy, ui.width(),
                         ui.px(64)))
            a.request_code = true;
    }
    ui.pop_width();
    ImGui::EndGroup();
    const float left_bottom = ImGui::GetItemRectMax().y;

    kiosk_next_column(ui, landscape, ImVec2(origin.x + left_w + gap, origin.y), 16);
    const float keys_h = landscape ? h : std::max(ui.px(300), origin.y + h - ImGui::GetCursorScreenPos().y);
    ImGui::BeginGroup();
    draw_kiosk_keys(v, ui, a, right_w, keys_h, [&](const std::string& k) {
        if (k == "clear")
            target->clear();
        else if (k == "back") {
            if (!target->empty()) target->pop_back();
        } else if (target->size() < max_len) {
            *target += k;
        }
    });
    ImGui::EndGroup();
    const float right_bottom = ImGui::GetItemRectMax().y;
    ImGui::SetCursorScreenPos(ImVec2(origin.x, std::max(left_bottom, right_bottom)));
    ui.end_region();
}

}  // namespace memberdesk::client::kiosk
