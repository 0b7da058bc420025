#include <algorithm>
#include <cmath>

#include "app/format.hpp"
#include "memberdesk/totp.hpp"
#include "screens/screens.hpp"

namespace memberdesk::client {

// The code from this device's secret: computed here every frame, so it changes with the clock
// and needs no network.
void draw_card_code(const OfflineCard& card, CardUi& s, Ui& ui) {
    const std::int64_t now = ui.unix_now();
    const std::string code = format_card_code({card.member_id, card.device_id, totp(card.secret, now)});
    ui.gap(4);
    const float side = std::min(ui.width(), ui.px(320));
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (ui.width() - side) * 0.5f);
    const ImVec2 p = ui.image("card.qr", ui.tr("card.qr_alt"), ImVec2(side, side));
    draw_qr(ImGui::GetWindowDrawList(), p, side, s.qr.get(code));
    ui.gap(2);
    ui.text("card.how", ui.tr("card.how"), Tone::muted);
    ui.pair("card.code", ui.tr("card.code"), code);
    ui.status("card.countdown", fmt(ui.tr("card.refresh_in"), {std::to_string(totp_seconds_left(now))}));
    ui.text("card.offline_ok", ui.tr("card.offline_ok"), Tone::muted, ui.fonts().small);
}

void draw_card(const Remote<CardView>& card, const std::optional<OfflineCard>& offline, const Remote<MeView>& me,
               double age, CardUi& s, Ui& ui, Actions& actions) {
    ui.begin_card("card", ui.tr("nav.card"));
    if (me.has()) {
        ui.heading("card.name", me.value->profile.name, 2);
        ui.text("card.tier", ui.t(me.value->tier.name) + "  \xC2\xB7  " + me.value->profile.phone_masked, Tone::muted);
    }
    if (offline) {
        draw_card_code(*offline, s, ui);
        ui.end_card();
        return;
    }
    if (!show_remote(card, "card", Data::card, ui, actions)) {
        ui.end_card();
        return;
    }
    const CardView& c = *card.value;
    const auto left = seconds_until(c.expires_at, ui.unix_now());
    const bool expired = left && *left <= 0;
    ui.gap(4);
    const float side = std::min(ui.width(), ui.px(320));
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (ui.width() - side) * 0.5f);
    const ImVec2 p = ui.image("card.qr", ui.tr("card.qr_alt"), ImVec2(side, side));
    if (!expired) {
        draw_qr(ImGui::GetWindowDrawList(), p, side, s.qr.get(c.member_code));
    } else {
        ImGui::GetWindowDrawList()->AddRect(p, ImVec2(p.x + side, p.y + side), ui.theme().card_border, ui.px(8));
    }
    ui.gap(2);
    ui.text("card.how", ui.tr("card.how"), Tone::muted);
    ui.pair("card.code", ui.tr("card.code"), c.member_code);
    if (card.loading()) {
        ui.loading("card.refreshing", ui.tr("card.refreshing"));
    } else if (expired) {
        ui.status("card.expired", ui.tr("card.expired"));
    } else {
        const double refresh_in =
            c.refresh_after_seconds > 0 ? c.refresh_after_seconds - age : (left ? double(*left) : 0);
        ui.status("card.countdown",
                  fmt(ui.tr("card.refresh_in"), {std::to_string(std::max(0, int(std::ceil(refresh_in))))}));
    }
    if (ui.button("card.refresh", ui.tr("card.refresh"), ButtonKind::secondary, !card.loading()))
        actions.reload.insert(Data::card);
    ui.end_card();
}

}  // namespace memberdesk::client
