// The kiosk's attract screen: welcome, the scan panel, "tap to sign in", rotating offers.
#include <algorithm>
#include <cmath>

#include "app/format.hpp"
#include "screens/kiosk_screens.hpp"

namespace memberdesk::client::kiosk {

void draw_kiosk_attract(KioskView& v, Ui& ui, KioskActions& a, float w, float h) {
    const Theme& th = ui.theme();
    const bool landscape = w > h;
    const float gap = ui.px(28);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float left_w = landscape ? (w - gap) * 0.55f : w;
    const float right_w = landscape ? w - gap - left_w : w;

    ui.begin_region("kiosk.attract", kt(ui, "kiosk.welcome"), Role::region);
    // Centred in the screen's height (using the height it took last frame).
    const float top_gap = std::max(0.0f, (h - (*v.attract_height)) * 0.4f);
    const ImVec2 top = origin;
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + top_gap));
    const ImVec2 start = ImGui::GetCursorScreenPos();
    ImGui::BeginGroup();
    ui.push_width(left_w);
    ui.heading("kiosk.welcome", kt(ui, "kiosk.welcome"), 1);
    ui.gap(8);

    // Scan panel: a scanner frame drawing and the instruction.
    ui.begin_card("kiosk.scan", kt(ui, "kiosk.scan"), Tone::accent);
    const float icon = ui.px(112);
    const ImVec2 ip = ui.image("kiosk.scan.icon", kt(ui, "kiosk.scan"), ImVec2(icon, icon));
    {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const float t = ui.px(7), len = icon * 0.3f;
        const ImVec2 tl = ip, br(ip.x + icon, ip.y + icon);
        auto corner = [&](ImVec2 c, float dx, float dy) {
            dl->AddLine(c, ImVec2(c.x + dx * len, c.y), th.accent, t);
            dl->AddLine(c, ImVec2(c.x, c.y + dy * len), th.accent, t);
        };
        corner(tl, 1, 1);
        corner(ImVec2(br.x, tl.y), -1, 1);
        corner(ImVec2(tl.x, br.y), 1, -1);
        corner(br, -1, -1);
        // Small QR-like squares in the middle and a moving scan line.
        const float m = icon * 0.22f, s = icon * 0.16f;
        dl->AddRectFilled(ImVec2(tl.x + m, tl.y + m), ImVec2(tl.x + m + s, tl.y + m + s), th.text);
        dl->AddRectFilled(ImVec2(br.x - m - s, tl.y + m), ImVec2(br.x - m, tl.y + m + s), th.text);
        dl->AddRectFilled(ImVec2(tl.x + m, br.y - m - s), ImVec2(tl.x + m + s, br.y - m), th.text);
        dl->AddRectFilled(ImVec2(br.x - m - s, br.y - m - s), ImVec2(br.x - m, br.y - m), th.text);
        const float y = tl.y + icon * 0.5f;
        dl->AddLine(ImVec2(tl.x + t, y), ImVec2(br.x - t, y), th.danger, std::max(2.0f, ui.px(4)));
    }
    ImGui::SameLine(0, ui.px(24));
    ImGui::BeginGroup();
    ui.push_width(ui.width() - icon - ui.px(24));
    ui.heading("kiosk.scan.title", kt(ui, "kiosk.scan"), 2);
    ui.text("kiosk.scan.how", kt(ui, "kiosk.scan_how"), Tone::muted);
    ui.pop_width();
    ImGui::EndGroup();
    ui.end_card();

    // Sign-in state of a scan, and what went wrong.
    if (v.state.login.loading()) {
        ui.gap(6);
        ui.loading("kiosk.signing_in", kt(ui, "kiosk.signing_in"));
    } else if (v.state.login.failed()) {
        ui.gap(6);
        const ApiError& e = v.state.login.error;
        const std::string msg = e.code == "invalid_member_code" ? kt(ui, "kiosk.bad_code")
                                : e.code == "unauthorized"      ? kt(ui, "kiosk.device_key")
                                                                : error_text(ui.lang(), e.status, e.code, e.message);
        ui.alert("kiosk.error", msg);
    } else if (v.farewell_key) {
        ui.gap(6);
        ui.status("kiosk.farewell", kt(ui, v.farewell_key));
    }
    if (!v.device_key_set) {
        ui.gap(6);
        ui.alert("kiosk.setup", kt(ui, "kiosk.not_set_up"));
    }

    ui.gap(10);
    ImGui::PushFont(ui.fonts().heading);
    ui.text("kiosk.or", kt(ui, "kiosk.or"), Tone::muted);
    ImGui::PopFont();
    ui.gap(6);
    ImGui::PushFont(ui.fonts().heading);
    if (kiosk_button(v, ui, "kiosk.start", kt(ui, "kiosk.tap_sign_in"), ButtonKind::primary, !v.state.login.loading(),
                     ui.width(), ui.px(104))) {
        a.start_keypad = true;
    }
    ImGui::PopFont();
    // Join and PIN reset, side by side.
    ui.gap(6);
    const float half = (ui.width() - ui.px(16)) * 0.5f;
    if (kiosk_button(v, ui, "kiosk.join", kt(ui, "kiosk.join"), ButtonKind::secondary, !v.state.login.loading(), half,
                     ui.px(80)))
        a.start_signup = true;
    ImGui::SameLine(0, ui.px(16));
    if (kiosk_button(v, ui, "kiosk.forgot", kt(ui, "kiosk.forgot"), ButtonKind::secondary, !v.state.login.loading(),
                     half, ui.px(80)))
        a.start_pin_reset = true;
    ui.pop_width();
    ImGui::EndGroup();
    const float left_bottom = ImGui::GetItemRectMax().y;

    // Offers.
    kiosk_next_column(ui, landscape, ImVec2(start.x + left_w + gap, start.y), 20);
    ImGui::BeginGroup();
    ui.push_width(right_w);
    if (!v.offers.empty()) {
        const int n = static_cast<int>(v.offers.size());
        const int i = std::clamp(v.offer, 0, n - 1);
        const Offer& o = v.offers[static_cast<std::size_t>(i)];
        ui.begin_card("kiosk.offers", kt(ui, "kiosk.offers"));
        ui.text("kiosk.offers.label", kt(ui, "kiosk.offers"), Tone::accent, ui.fonts().heading);
        ui.gap(6);
        ui.text("kiosk.offer.title", ui.t(o.title), Tone::muted);
        ui.text("kiosk.offer.body", ui.t(o.body), Tone::normal, ui.fonts().heading);
        ui.gap(10);
        // Dots: which offer of how many.
        const float dot = ui.px(7), step = ui.px(24);
        const ImVec2 dp =
            ui.image("kiosk.offer.index", fmt(kt(ui, "kiosk.offer_n"), {std::to_string(i + 1), std::to_string(n)}),
                     ImVec2(step * static_cast<float>(n), dot * 2));
        for (int k = 0; k < n; ++k)
            ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(dp.x + dot + step * static_cast<float>(k), dp.y + dot),
                                                        dot, k == i ? th.accent : th.card_border);
        ui.end_card();
    }
    ui.pop_width();
    ImGui::EndGroup();
    const float right_bottom = ImGui::GetItemRectMax().y;
    (*v.attract_height) = std::max(left_bottom, right_bottom) - start.y;
    ImGui::SetCursorScreenPos(ImVec2(top.x, std::max(left_bottom, right_bottom)));
    ui.end_region();
}

}  // namespace memberdesk::client::kiosk
