#include "app/format.hpp"
#include "screens/screens.hpp"

namespace memberdesk::client {

void draw_home(const Remote<MeView>& me_r, const Remote<NextReminderView>& reminder, Ui& ui, Actions& actions) {
    if (!show_remote(me_r, "home", Data::me, ui, actions)) return;
    const MeView& me = *me_r.value;
    const Lang L = ui.lang();

    ui.text("home.greeting", fmt(ui.tr("home.greeting"), {me.profile.name}), Tone::muted);
    ui.gap(2);
    if (reminder.has()) {
        if (auto line = home_reminder_line(*reminder.value)) {
            ui.text("home.reminder", ui.t(*line), Tone::warning);
            ui.gap(2);
        }
    }

    // Points.
    ui.begin_card("home.points", ui.tr("home.points"));
    ui.big_number("home.balance", ui.tr("home.balance"), fmt_int(me.points.balance), ui.tr("common.points"));
    if (me.points.pending > 0)
        ui.text("home.pending", fmt(ui.tr("home.pending"), {fmt_int(me.points.pending)}), Tone::muted);
    if (me.points.expiring_soon > 0) {
        const std::string when = me.points.next_expiry ? ui.date(*me.points.next_expiry) : "";
        ui.text("home.expiring", fmt(ui.tr("home.expiring"), {fmt_int(me.points.expiring_soon), when}), Tone::warning);
    } else {
        ui.text("home.expiring", ui.tr("home.nothing_expiring"), Tone::muted);
    }
    if (me.points.debt > 0) ui.text("home.debt", fmt(ui.tr("home.debt"), {fmt_int(me.points.debt)}), Tone::muted);
    ui.text("home.lifetime", fmt(ui.tr("home.lifetime"), {fmt_int(me.points.lifetime_earned)}), Tone::muted);
    ui.gap(2);
    if (ui.button("home.go.rewards", ui.tr("home.go_rewards"), ButtonKind::primary)) actions.navigate = Screen::rewards;
    ui.same_line();
    if (ui.button("home.go.card", ui.tr("home.go_card"), ButtonKind::secondary)) actions.navigate = Screen::card;
    ui.end_card();
    ui.gap(4);

    // Tier.
    const TierView& tier = me.tier;
    ui.begin_card("home.tier", ui.tr("home.tier"), Tone::accent);
    ui.text("home.tier.label", ui.tr("home.tier"), Tone::muted, ui.fonts().small);
    ui.heading("home.tier.name", ui.t(tier.name), 2);
    ui.same_line(12);
    ui.badge("home.tier.multiplier", fmt(ui.tr("home.multiplier"), {format_multiplier(tier.multiplier_percent)}),
             Tone::accent);
    if (tier.valid_until)
        ui.text("home.tier.valid", fmt(ui.tr("home.tier_valid"), {ui.date(*tier.valid_until)}), Tone::muted);
    if (tier.next) {
        ui.gap(2);
        ui.progress("home.tier.progress",
                    fmt(ui.tr("home.tier_progress"), {ui.t(tier.next->name), std::to_string(tier.percent)}),
                    tier.percent);
        const std::string& req = ui.t(tier.next->requirement);
        ui.text("home.tier.next", req.empty() ? fmt(ui.tr("home.tier_next_spend"),
                                                    {fmt_money(tier.next->remaining_spend), ui.t(tier.next->name)})
                                              : req);
    } else {
        ui.text("home.tier.top", ui.tr("home.tier_top"), Tone::success);
    }
    if (!ui.t(tier.keep_requirement).empty()) ui.text("home.tier.keep", ui.t(tier.keep_requirement), Tone::muted);
    if (!tier.benefits.empty()) {
        ui.gap(2);
        ui.begin_list("home.tier.benefits", ui.tr("home.benefits"));
        ui.text("home.tier.benefits.label", ui.tr("home.benefits"), Tone::muted, ui.fonts().small);
        for (std::size_t i = 0; i < tier.benefits.size(); ++i) {
            ui.begin_item("home.tier.benefit." + std::to_string(i));
            ui.text("home.tier.benefit." + std::to_string(i) + ".text", "\xE2\x80\xA2 " + ui.t(tier.benefits[i]));
            ui.end_item();
        }
        ui.end_list();
    }
    if (ui.button("home.go.tiers", ui.tr("home.go_tiers"), ButtonKind::ghost)) actions.navigate = Screen::tiers;
    ui.end_card();
    ui.gap(4);

    // Coupons.
    ui.begin_card("home.coupons", ui.tr("nav.coupons"));
    ui.heading("home.coupons.title", ui.tr("nav.coupons"), 2);
    ui.text("home.coupons.count", fmt(ui.tr("home.coupons_available"), {std::to_string(me.coupons.available)}));
    if (ui.button("home.go.coupons", ui.tr("home.go_coupons"), ButtonKind::secondary))
        actions.navigate = Screen::coupons;
    ui.end_card();

    // Offers.
    if (!me.offers.empty()) {
        ui.gap(4);
        ui.heading("home.offers.title", ui.tr("home.offers"), 2);
        ui.begin_list("home.offers", ui.tr("home.offers"));
        for (const auto& o : me.offers) {
            const std::string id = "home.offer." + o.id;
            ui.begin_item(id);
            ui.begin_card(id + ".card");
            ui.heading(id + ".title", ui.t(o.title), 3);
            if (!ui.t(o.body).empty()) ui.text(id + ".body", ui.t(o.body), Tone::muted);
            if (!o.reward_id.empty() && ui.button(id + ".open", ui.tr("home.offer_open"), ButtonKind::secondary))
                actions.navigate = Screen::rewards;
            ui.end_card();
            ui.end_item();
            ui.gap(2);
        }
        ui.end_list();
    }
    (void)L;
}

}  // namespace memberdesk::client
