// The kiosk's identify screen: phone, then PIN, on big on-screen keys (no system keyboard).
#include <algorithm>
#include <cmath>
#include <functional>

#include "app/format.hpp"
#include "screens/kiosk_screens.hpp"

namespace memberdesk::client::kiosk {

void draw_kiosk_keys(KioskView& v, Ui& ui, KioskActions& a, float w, float h,
                     const std::function<void(const std::string&)>& on_key) {
    // 1 2 3 / 4 5 6 / 7 8 9 / Clear 0 Delete: big keys, no system keyboard.
    const float gap = ui.px(14);
    const float kw = std::min((w - 2 * gap) / 3, ui.px(200));
    const float kh = std::min(std::max(ui.px(64), (h - 3 * gap) / 4), ui.px(104));
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float x0 = p.x + (w - (3 * kw + 2 * gap)) * 0.5f;
    static const char* labels[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"};
    ui.begin_region("kiosk.keypad", kt(ui, "kiosk.keys"), Role::region);
    for (int i = 0; i < 12; ++i) {
        const int r = i / 3, c = i % 3;
        ImGui::SetCursorScreenPos(
            ImVec2(x0 + static_cast<float>(c) * (kw + gap), p.y + static_cast<float>(r) * (kh + gap)));
        const std::string k = labels[i];
        const bool digit = k.size() == 1;
        const std::string id = "kiosk.key." + k;
        const std::string label = digit ? k : k == "clear" ? kt(ui, "kiosk.key_clear") : kt(ui, "kiosk.key_back");
        if (digit) ui.note_display(label);
        ImGui::PushFont(digit ? ui.fonts().display : ui.fonts().heading);
        const bool pressed = kiosk_button(v, ui, id, label, ButtonKind::secondary, true, kw, kh);
        ImGui::PopFont();
        if (pressed) {
            a.clear_login_error = true;
            on_key(k);
        }
    }
    ui.end_region();
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + 4 * kh + 3 * gap));
    ImGui::Dummy(ImVec2(w, 0));
}

void draw_kiosk_keypad(KioskView& v, Ui& ui, KioskActions& a, float w, float h) {
    const Theme& th = ui.theme();
    const bool landscape = w > h;
    const float gap = ui.px(32);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float left_w = landscape ? (w - gap) * 0.46f : w;
    const float right_w = landscape ? w - gap - left_w : w;
    KeypadEntry& kp = v.ui.keypad;
    const bool on_pin = kp.field == KeypadEntry::Field::pin;
    const bool busy = v.state.login.loading();

    ui.begin_region("kiosk.identify", kt(ui, "kiosk.keypad_title"), Role::region);
    ImGui::BeginGroup();
    ui.push_width(left_w);
    ui.heading("kiosk.keypad.title", kt(ui, "kiosk.keypad_title"), 1);
    ui.text("kiosk.keypad.step", on_pin ? kt(ui, "kiosk.enter_pin") : kt(ui, "kiosk.enter_phone"), Tone::normal,
            ui.fonts().heading);
    ui.gap(8);

    // The two fields, the current one outlined.
    auto field = [&](const std::string& id, const char* label, const std::string& shown,
                     const std::string& mirror_value, bool current) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float fh = ui.px(118);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(p, ImVec2(p.x + ui.width(), p.y + fh), th.bg, ui.px(12));
        dl->AddRect(p, ImVec2(p.x + ui.width(), p.y + fh), current ? th.accent : th.card_border, ui.px(12), 0,
                    current ? ui.px(4) : std::max(1.0f, ui.px(1.5f)));
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
        if (current) n.current = true;
        ui.mirror().add(std::move(n));
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + fh));
        ImGui::Dummy(ImVec2(ui.width(), ui.px(10)));
    };
    field("kiosk.phone", kt(ui, "kiosk.phone"), kp.phone_display(), kp.phone_display(), !on_pin);
    if (on_pin)
        field("kiosk.pin", kt(ui, "kiosk.pin"), kp.pin_display(),
              fmt(kt(ui, "kiosk.pin_typed"), {std::to_string(kp.pin.size())}), true);

    if (v.state.login.failed()) {
        const ApiError& e = v.state.login.error;
        const std::string msg =
            e.code == "unauthorized" ? kt(ui, "kiosk.device_key") : error_text(ui.lang(), e.status, e.code, e.message);
        ui.alert("kiosk.error", msg);
        ui.gap(4);
    }
    if (busy) ui.loading("kiosk.signing_in", kt(ui, "kiosk.signing_in"));

    // Actions: Cancel | Next / Sign in.
    ui.gap(8);
    const float bw = (ui.width() - ui.px(16)) * 0.5f, bh = ui.px(88);
    ImGui::PushFont(ui.fonts().heading);
    if (kiosk_button(v, ui, "kiosk.cancel", kt(ui, "kiosk.cancel"), ButtonKind::secondary, true, bw, bh)) {
        a.cancel = true;
    }
    ImGui::SameLine(0, ui.px(16));
    if (!on_pin) {
        if (kiosk_button(v, ui, "kiosk.next", kt(ui, "kiosk.next"), ButtonKind::primary, kp.phone_ok(), bw, bh))
            kp.next();
    } else {
        const char* label = busy ? kt(ui, "kiosk.signing_in") : kt(ui, "kiosk.sign_in");
        if (kiosk_button(v, ui, "kiosk.submit", label, ButtonKind::primary, kp.ready() && !busy, bw, bh)) {
            a.pin_sign_in = true;
        }
    }
    ImGui::PopFont();
    if (on_pin) {
        ui.gap(6);
        if (kiosk_button(v, ui, "kiosk.change_phone", kt(ui, "kiosk.change_phone"), ButtonKind::ghost, !busy,
                         ui.width(), ui.px(64))) {
            wipe(kp.pin);
            kp.field = KeypadEntry::Field::phone;
        }
    }
    ui.pop_width();
    ImGui::EndGroup();
    const float left_bottom = ImGui::GetItemRectMax().y;

    kiosk_next_column(ui, landscape, ImVec2(origin.x + left_w + gap, origin.y), 16);
    const float keys_h = landscape ? h : std::max(ui.px(300), origin.y + h - ImGui::GetCursorScreenPos().y);
    ImGui::BeginGroup();
    draw_kiosk_keys(v, ui, a, right_w, keys_h, [&kp](const std::string& k) {
        if (k == "clear")
            kp.clear_field();
        else if (k == "back")
            kp.backspace();
        else
            kp.digit(k[0]);
    });
    ImGui::EndGroup();
    const float right_bottom = ImGui::GetItemRectMax().y;
    ImGui::SetCursorScreenPos(ImVec2(origin.x, std::max(left_bottom, right_bottom)));
    ui.end_region();
}

}  // namespace memberdesk::client::kiosk
