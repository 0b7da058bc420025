#include "app/format.hpp"
#include "memberdesk/multiplier.hpp"
#include "screens/screens.hpp"

namespace memberdesk::client {

void draw_offline(const OfflinePortalView& v, const std::optional<OfflineCard>& card, bool checking, CardUi& s, Ui& ui,
                  Actions& actions) {
    ui.status("offline.as_of", fmt(ui.tr("offline.as_of"), {ui.datetime(v.as_of)}));
    ui.text("offline.explain", ui.tr("offline.explain"), Tone::muted);
    if (v.old) ui.text("offline.old", ui.tr("offline.old"), Tone::warning);
    if (checking) {
        ui.loading("offline.checking", ui.tr("offline.checking"));
    } else if (ui.button("offline.retry", ui.tr("offline.retry"), ButtonKind::secondary)) {
        actions.check_connection = true;
    }
    ui.gap(4);

    // The card first: showing it at the till is what the member came for.
    ui.begin_card("card", ui.tr("nav.card"));
    ui.heading("card.name", v.name, 2);
    ui.text("card.tier", ui.t(v.tier_name) + "  \xC2\xB7  " + v.phone_masked, Tone::muted);
    if (card)
        draw_card_code(*card, s, ui);
    else
        ui.text("offline.no_card", ui.tr("offline.no_card"), Tone::warning);
    ui.end_card();
    ui.gap(4);

    ui.begin_card("offline.points", ui.tr("home.points"));
    ui.big_number("offline.balance", ui.tr("home.balance"), fmt_int(v.balance), ui.tr("common.points"));
    if (v.expiry_passed && v.next_expiry)
        ui.text("offline.expiry_passed", fmt(ui.tr("offline.expiry_passed"), {ui.date(*v.next_expiry)}), Tone::warning);
    else if (v.expiring_soon > 0 && v.next_expiry)
        ui.text("offline.expiring", fmt(ui.tr("home.expiring"), {fmt_int(v.expiring_soon), ui.date(*v.next_expiry)}),
                Tone::muted);
    ui.text("offline.tier", ui.tr("home.tier") + std::string(": ") + ui.t(v.tier_name) + "  \xC2\xB7  " +
                                fmt(ui.tr("home.multiplier"), {format_multiplier(v.multiplier_percent)}));
    // Shown, never usable offline: redeeming changes the balance on the server.
    ui.button("offline.redeem", ui.tr("offline.redeem"), ButtonKind::primary, false);
    ui.end_card();
    ui.gap(4);

    ui.begin_card("offline.coupons", ui.tr("nav.coupons"));
    ui.heading("offline.coupons.title", ui.tr("nav.coupons"), 2);
    if (v.coupons.empty()) {
        ui.text("offline.coupons.none", ui.tr("offline.coupons_none"), Tone::muted);
    } else {
        ui.begin_list("offline.coupons.list", ui.tr("nav.coupons"));
        for (const auto& c : v.coupons) {
            const std::string id = "offline.coupon." + std::to_string(c.id);
            ui.begin_item(id);
            ui.text(id + ".title", ui.t(c.title));
            ui.text(id + ".until", fmt(ui.tr("coupons.valid_until"), {ui.date(c.valid_until)}), Tone::muted,
                    ui.fonts().small);
            ui.end_item();
        }
        ui.end_list();
    }
    if (v.coupons_lapsed > 0)
        ui.text("offline.coupons.lapsed", fmt(ui.tr("offline.coupons_lapsed"), {std::to_string(v.coupons_lapsed)}),
                Tone::muted);
    ui.end_card();
    ui.gap(4);

    // Works offline: it only forgets what this device keeps.
    if (ui.button("offline.sign_out", ui.tr("offline.sign_out"), ButtonKind::ghost)) actions.sign_out = true;
}

}  // namespace memberdesk::client
