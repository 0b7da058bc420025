// The kiosk's dialogs: "Still there?", a coupon large with its QR, redeem confirmation and result.
#include <algorithm>
#include <cmath>

#include "app/format.hpp"
#include "screens/kiosk_screens.hpp"

namespace memberdesk::client::kiosk {

namespace {

// Ui's modal dialog, without a scroll bar: the kiosk's dialogs are laid out to fit the screen, and
// ImGui's auto-fit otherwise shows a bar that eats into the full-width buttons (1 px: invisible).
void open_dialog(Ui& ui, const std::string& id, const std::string& title) {
    ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarSize, 1.0f);  // ImGui asserts a size > 0
    ui.dialog_begin(id, title);
    ImGui::PopStyleVar();
}

}  // namespace

void draw_kiosk_dialogs(KioskView& v, Ui& ui, KioskActions& a) {
    // "Still there?" comes before anything else that is open.
    if (v.countdown > 0) {
        const int left = v.countdown;
        open_dialog(ui, "kiosk.idle", kt(ui, "kiosk.still_there"));
        ui.note_display(std::to_string(left));
        ImGui::PushFont(ui.fonts().display);
        ui.text("kiosk.idle.count", std::to_string(left), Tone::danger);
        ImGui::PopFont();
        ui.status("kiosk.idle.text", fmt(kt(ui, "kiosk.signing_out_in"), {std::to_string(left)}));
        ui.gap(8);
        ImGui::PushFont(ui.fonts().heading);
        if (kiosk_button(v, ui, "kiosk.idle.keep", kt(ui, "kiosk.keep"), ButtonKind::primary, true, ui.width(),
                         ui.px(88)))
            a.still_here = true;
        ui.gap(4);
        const bool member = signed_in_phase(v.ui.phase);
        if (kiosk_button(v, ui, "kiosk.idle.out", member ? kt(ui, "kiosk.sign_out_now") : kt(ui, "kiosk.cancel"),
                         ButtonKind::secondary, true, ui.width(), ui.px(72)))
            (member ? a.sign_out : a.cancel) = true;
        ImGui::PopFont();
        ui.dialog_end();
        return;
    }
    if (v.ui.phase != Phase::member) return;

    // A coupon, large, with its QR for the cashier.
    if (v.ui.open_coupon && v.state.coupons.has()) {
        const auto& list = *v.state.coupons.value;
        auto it =
            std::find_if(list.begin(), list.end(), [&](const CouponView& c) { return c.id == *v.ui.open_coupon; });
        if (it == list.end()) {
            v.ui.open_coupon.reset();
        } else {
            const CouponView& c = *it;
            open_dialog(ui, "kiosk.coupon", ui.t(c.title));
            if (!ui.t(c.conditions).empty()) ui.text("kiosk.coupon.conditions", ui.t(c.conditions), Tone::muted);
            // As large as fits with the code, the hint and Close below it, without scrolling.
            const ImVec2 ds = ImGui::GetIO().DisplaySize;
            const float side = std::min(ui.width(), ds.y * (ds.x > ds.y ? 0.30f : 0.40f));
            ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (ui.width() - side) * 0.5f);
            const ImVec2 p = ui.image("kiosk.coupon.qr", fmt(ui.tr("coupons.qr_alt"), {c.code}), ImVec2(side, side));
            draw_qr(ImGui::GetWindowDrawList(), p, side, v.ui.qr.get(c.code));
            ui.note_display(c.code);
            ImGui::PushFont(ui.fonts().display);
            ui.text("kiosk.coupon.code", c.code);
            ImGui::PopFont();
            ui.text("kiosk.coupon.hint", kt(ui, "kiosk.coupon_hint"));
            ui.text("kiosk.coupon.valid", fmt(ui.tr("coupons.valid_until"), {ui.date(c.valid_until)}), Tone::muted);
            ui.gap(6);
            ImGui::PushFont(ui.fonts().heading);
            if (kiosk_button(v, ui, "kiosk.coupon.close", kt(ui, "kiosk.close"), ButtonKind::primary, true, ui.width(),
                             ui.px(80)))
                v.ui.open_coupon.reset();
            ImGui::PopFont();
            ui.dialog_end();
            return;
        }
    }

    // Redeem: confirmation, then the outcome.
    if (!v.ui.confirm_reward.empty() && v.state.rewards.has()) {
        const auto& list = *v.state.rewards.value;
        auto it =
            std::find_if(list.begin(), list.end(), [&](const RewardView& r) { return r.id == v.ui.confirm_reward; });
        const bool busy = v.state.redemption.loading();
        if (!busy && v.state.redemption.has()) {
            v.ui.confirm_reward.clear();
            v.ui.show_redeem_result = true;
        } else if (!busy && v.state.redemption.failed()) {
            v.ui.confirm_reward.clear();  // the error shows in the rewards list
        } else if (it == list.end()) {
            v.ui.confirm_reward.clear();
        } else {
            const Points balance = v.state.me.has() ? v.state.me.value->points.balance : 0;
            open_dialog(ui, "kiosk.confirm", ui.tr("rewards.confirm_title"));
            ui.text("kiosk.confirm.text", fmt(ui.tr("rewards.confirm"), {ui.t(it->name), fmt_int(it->cost)}),
                    Tone::normal, ui.fonts().heading);
            ui.text("kiosk.confirm.after",
                    fmt(ui.tr("rewards.confirm_after"), {fmt_int(balance), fmt_int(balance - it->cost)}), Tone::muted);
            ui.gap(8);
            ImGui::PushFont(ui.fonts().heading);
            const float bw = (ui.width() - ui.px(14)) * 0.5f;
            if (kiosk_button(v, ui, "kiosk.confirm.no", ui.tr("common.cancel"), ButtonKind::secondary, !busy, bw,
                             ui.px(84)))
                v.ui.confirm_reward.clear();
            ImGui::SameLine(0, ui.px(14));
            if (kiosk_button(v, ui, "kiosk.confirm.yes",
                             busy ? ui.tr("rewards.redeeming") : ui.tr("rewards.confirm_yes"), ButtonKind::primary,
                             !busy, bw, ui.px(84))) {
                a.redeem = it->id;
            }
            ImGui::PopFont();
            ui.dialog_end();
            return;
        }
    }
    if (v.ui.show_redeem_result && v.state.redemption.has()) {
        const RedemptionView& r = *v.state.redemption.value;
        open_dialog(ui, "kiosk.result", kt(ui, "kiosk.redeem_ok"));
        ui.text("kiosk.result.reward", ui.t(r.reward_name), Tone::normal, ui.fonts().heading);
        if (r.coupon) ui.text("kiosk.result.coupon", ui.t(r.coupon->title), Tone::muted);
        ui.status("kiosk.result.balance", fmt(kt(ui, "kiosk.balance_now"), {fmt_int(r.balance_after)}));
        ui.gap(8);
        ImGui::PushFont(ui.fonts().heading);
        if (r.coupon && kiosk_button(v, ui, "kiosk.result.show", kt(ui, "kiosk.show_coupon"), ButtonKind::primary, true,
                                     ui.width(), ui.px(84))) {
            v.ui.show_redeem_result = false;
            v.ui.open_coupon = r.coupon->id;
            v.ui.tab = MemberTab::coupons;
            a.add_coupon = *r.coupon;  // the list is being reloaded; the POST's answer has the coupon
        }
        ui.gap(4);
        if (kiosk_button(v, ui, "kiosk.result.close", kt(ui, "kiosk.close"), ButtonKind::secondary, true, ui.width(),
                         ui.px(72)))
            v.ui.show_redeem_result = false;
        ImGui::PopFont();
        ui.dialog_end();
    }
}

}  // namespace memberdesk::client::kiosk
