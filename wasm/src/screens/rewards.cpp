#include <algorithm>

#include "app/format.hpp"
#include "screens/screens.hpp"

namespace memberdesk::client {

void draw_rewards(const Remote<std::vector<RewardView>>& rewards, const Remote<MeView>& me,
                  const Remote<RedemptionView>& redemption, RewardsUi& s, Ui& ui, Actions& actions) {
    const Points balance = me.has() ? me.value->points.balance : 0;
    if (me.has())
        ui.text("rewards.balance", fmt(ui.tr("rewards.balance"), {fmt_int(balance)}), Tone::normal, ui.fonts().heading);

    // Outcome of the last redemption.
    if (!s.result_seen) {
        if (redemption.loading()) {
            ui.loading("rewards.busy", ui.tr("rewards.redeeming"));
        } else if (redemption.failed()) {
            ui.alert("rewards.error", error_words(redemption.error, ui.lang()));
            if (ui.button("rewards.error.dismiss", ui.tr("common.dismiss"), ButtonKind::secondary))
                s.result_seen = true;
        } else if (redemption.has()) {
            const RedemptionView& r = *redemption.value;
            ui.begin_card("rewards.result", ui.tr("rewards.done_title"), Tone::success);
            ui.heading("rewards.result.title", ui.tr("rewards.done_title"), 2);
            std::string msg =
                fmt(ui.tr("rewards.done"), {ui.t(r.reward_name), fmt_int(r.points), fmt_int(r.balance_after)});
            ui.status("rewards.result.text", msg);
            if (r.coupon)
                ui.text("rewards.result.coupon",
                        fmt(ui.tr("rewards.done_coupon"), {ui.t(r.coupon->title), r.coupon->code}));
            if (ui.button("rewards.result.view", ui.tr("rewards.view_coupon"), ButtonKind::primary)) {
                actions.navigate = Screen::coupons;
                s.result_seen = true;
            }
            ui.same_line();
            if (ui.button("rewards.result.close", ui.tr("common.dismiss"), ButtonKind::ghost)) s.result_seen = true;
            ui.end_card();
        }
        ui.gap(4);
    }

    if (!show_remote(rewards, "rewards", Data::rewards, ui, actions)) return;
    const auto& list = *rewards.value;
    ui.begin_list("rewards.list", ui.tr("nav.rewards"));
    for (const auto& r : list) {
        const std::string id = "reward." + r.id;
        ui.begin_item(id);
        ui.begin_card(id + ".card", ui.t(r.name));
        ui.heading(id + ".name", ui.t(r.name), 2);
        ui.text(id + ".cost", fmt(ui.tr("rewards.cost"), {fmt_int(r.cost)}), Tone::accent);
        if (!ui.t(r.coupon_title).empty())
            ui.text(id + ".gives", fmt(ui.tr("rewards.gives"), {ui.t(r.coupon_title)}), Tone::muted);
        if (r.stock_left)
            ui.text(id + ".stock", fmt(ui.tr("rewards.stock"), {std::to_string(*r.stock_left)}), Tone::muted,
                    ui.fonts().small);
        const std::string why = reward_blocker(r, balance, ui);
        if (!why.empty()) ui.badge(id + ".why", why, Tone::muted);
        const bool can = r.in_stock && r.tier_allowed && r.affordable && !redemption.loading();
        if (ui.button(id + ".redeem", ui.tr("rewards.redeem"), ButtonKind::primary, can)) s.confirm_id = r.id;
        ui.end_card();
        ui.end_item();
        ui.gap(2);
    }
    ui.end_list();
    if (list.empty()) ui.text("rewards.empty", ui.tr("rewards.empty"), Tone::muted);

    // Confirmation.
    if (!s.confirm_id.empty()) {
        auto it = std::find_if(list.begin(), list.end(), [&](const RewardView& r) { return r.id == s.confirm_id; });
        if (it == list.end()) {
            s.confirm_id.clear();
        } else {
            ui.dialog_begin("rewards.confirm", ui.tr("rewards.confirm_title"));
            ui.text("rewards.confirm.text", fmt(ui.tr("rewards.confirm"), {ui.t(it->name), fmt_int(it->cost)}));
            ui.text("rewards.confirm.after",
                    fmt(ui.tr("rewards.confirm_after"), {fmt_int(balance), fmt_int(balance - it->cost)}), Tone::muted);
            ui.gap(4);
            if (ui.button("rewards.confirm.yes", ui.tr("rewards.confirm_yes"), ButtonKind::primary)) {
                actions.redeem = it->id;
                s.confirm_id.clear();
                s.result_seen = false;
            }
            ui.same_line();
            if (ui.button("rewards.confirm.no", ui.tr("common.cancel"), ButtonKind::secondary)) s.confirm_id.clear();
            ui.dialog_end();
        }
    }
}

}  // namespace memberdesk::client
