// The kiosk's member screen: greeting, the four tabs (points and tier, coupons, rewards, history).
#include <algorithm>
#include <cmath>

#include "app/format.hpp"
#include "screens/kiosk_screens.hpp"

namespace memberdesk::client::kiosk {

namespace {

void draw_overview(KioskView& v, Ui& ui, KioskActions& a, const MeView& me, float w) {
    const Theme& th = ui.theme();
    const bool wide = w > ui.px(900);
    const float gap = ui.px(24);
    const float cw = wide ? (w - gap) * 0.5f : w;
    const ImVec2 origin = ImGui::GetCursorScreenPos();

    // Points.
    ui.push_width(cw);
    ui.begin_card("kiosk.points", kt(ui, "kiosk.balance"));
    ui.big_number("kiosk.balance", kt(ui, "kiosk.balance"), fmt_int(me.points.balance), kt(ui, "kiosk.points_unit"));
    if (me.points.expiring_soon > 0) {
        const std::string when = me.points.next_expiry ? ui.date(*me.points.next_expiry) : "";
        ui.text("kiosk.expiring", fmt(ui.tr("home.expiring"), {fmt_int(me.points.expiring_soon), when}), Tone::warning);
    }
    if (me.points.pending > 0)
        ui.text("kiosk.pending", fmt(ui.tr("home.pending"), {fmt_int(me.points.pending)}), Tone::muted);
    ui.text("kiosk.coupons_ready", fmt(ui.tr("home.coupons_available"), {std::to_string(me.coupons.available)}));
    ui.end_card();
    ui.pop_width();
    const float first_bottom = ImGui::GetItemRectMax().y;

    // Tier and progress.
    if (wide)
        ImGui::SetCursorScreenPos(ImVec2(origin.x + cw + gap, origin.y));
    else
        ui.gap(10);
    ui.push_width(cw);
    const TierView& tier = me.tier;
    ui.begin_card("kiosk.tier", fmt(kt(ui, "kiosk.tier"), {ui.t(tier.name)}), Tone::accent);
    ui.heading("kiosk.tier.name", fmt(kt(ui, "kiosk.tier"), {ui.t(tier.name)}), 2);
    ui.text("kiosk.tier.multiplier", fmt(ui.tr("home.multiplier"), {format_multiplier(tier.multiplier_percent)}),
            Tone::muted);
    if (tier.valid_until)
        ui.text("kiosk.tier.valid", fmt(ui.tr("home.tier_valid"), {ui.date(*tier.valid_until)}), Tone::muted);
    ui.gap(6);
    if (tier.next) {
        const std::string label = fmt(kt(ui, "kiosk.progress"), {ui.t(tier.next->name)});
        ui.text("kiosk.progress.label", label + "  " + std::to_string(tier.percent) + "%", Tone::normal,
                ui.fonts().heading);
        const float bw = ui.width(), bh = ui.px(26);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const int pc = std::clamp(tier.percent, 0, 100);
        dl->AddRectFilled(p, ImVec2(p.x + bw, p.y + bh), th.bg, bh * 0.5f);
        dl->AddRect(p, ImVec2(p.x + bw, p.y + bh), th.card_border, bh * 0.5f, 0, std::max(1.0f, ui.px(1.5f)));
        if (pc > 0)
            dl->AddRectFilled(p, ImVec2(p.x + std::max(bh, bw * static_cast<float>(pc) / 100.0f), p.y + bh), th.accent,
                              bh * 0.5f);
        ImGui::Dummy(ImVec2(bw, bh));
        MirrorNode n = kiosk_node("kiosk.progress", Role::progress, label, std::to_string(pc));
        ui.mirror().add(std::move(n));
        const std::string& req = ui.t(tier.next->requirement);
        ui.text("kiosk.tier.next", req.empty() ? fmt(ui.tr("home.tier_next_spend"),
                                                     {fmt_money(tier.next->remaining_spend), ui.t(tier.next->name)})
                                               : req);
    } else {
        ui.text("kiosk.tier.top", kt(ui, "kiosk.top_tier"), Tone::success, ui.fonts().heading);
    }
    ui.end_card();
    ui.pop_width();
    const float second_bottom = ImGui::GetItemRectMax().y;
    ImGui::SetCursorScreenPos(ImVec2(origin.x, std::max(first_bottom, second_bottom)));
    ImGui::Dummy(ImVec2(w, ui.px(4)));

    // The satisfaction survey, on a screen of its own.
    ui.gap(6);
    ImGui::PushFont(ui.fonts().heading);
    if (kiosk_button(v, ui, "kiosk.survey.open", kt(ui, "kiosk.survey.open"), ButtonKind::secondary, true,
                     std::min(w, ui.px(520)), ui.px(80)))
        a.start_survey = true;
    ImGui::PopFont();
}

void draw_coupons(KioskView& v, Ui& ui, KioskActions& a, float w) {
    const auto& r = v.state.coupons;
    if (r.failed()) {
        ui.alert("kiosk.coupons.error", error_text(ui.lang(), r.error.status, r.error.code, r.error.message));
        if (kiosk_button(v, ui, "kiosk.coupons.retry", ui.tr("common.retry"), ButtonKind::secondary, true, ui.px(260),
                         ui.px(72)))
            a.reload.insert(Data::coupons);
        return;
    }
    if (!r.has()) {
        ui.loading("kiosk.coupons.loading", ui.tr(r.waiting_key()));
        return;
    }
    const float col = std::min(w, ui.px(980));
    ImGui::Indent((w - col) * 0.5f);
    ui.push_width(col);
    ui.begin_list("kiosk.coupons", fmt(kt(ui, "kiosk.tab.coupons"), {""}));
    int shown = 0;
    for (const auto& c : *r.value) {
        if (c.state != "available") continue;
        ++shown;
        const std::string id = "kiosk.coupon." + std::to_string(c.id);
        ui.begin_item(id);
        ui.begin_card(id + ".card", ui.t(c.title) + " \xC2\xB7 " + c.code);  // two coupons may share a title
        ImGui::BeginGroup();
        ui.push_width(ui.width() - ui.px(250));
        ui.heading(id + ".title", ui.t(c.title), 2);
        if (!ui.t(c.conditions).empty()) ui.text(id + ".conditions", ui.t(c.conditions), Tone::muted);
        ui.text(id + ".valid", fmt(ui.tr("coupons.valid_until"), {ui.date(c.valid_until)}), Tone::muted);
        ui.pop_width();
        ImGui::EndGroup();
        ImGui::SameLine(0, ui.px(20));
        ImGui::PushFont(ui.fonts().heading);
        if (kiosk_button(v, ui, id + ".open", kt(ui, "kiosk.coupon_show"), ButtonKind::primary, true, ui.px(230),
                         ui.px(80)))
            v.ui.open_coupon = c.id;
        ImGui::PopFont();
        ui.end_card();
        ui.end_item();
        ui.gap(6);
    }
    ui.end_list();
    if (shown == 0) ui.text("kiosk.coupons.empty", kt(ui, "kiosk.no_coupons"), Tone::muted, ui.fonts().heading);
    ui.pop_width();
    ImGui::Unindent((w - col) * 0.5f);
}

void draw_rewards(KioskView& v, Ui& ui, KioskActions& a, float w) {
    const auto& r = v.state.rewards;
    const Points balance = v.state.me.has() ? v.state.me.value->points.balance : 0;
    const float col = std::min(w, ui.px(980));
    ImGui::Indent((w - col) * 0.5f);
    ui.push_width(col);
    if (v.state.me.has())
        ui.text("kiosk.rewards.balance", fmt(ui.tr("rewards.balance"), {fmt_int(balance)}), Tone::normal,
                ui.fonts().heading);
    if (v.ui.confirm_reward.empty() && v.state.redemption.failed()) {
        const ApiError& e = v.state.redemption.error;
        ui.alert("kiosk.redeem.error", error_text(ui.lang(), e.status, e.code, e.message));
    }
    if (r.failed()) {
        ui.alert("kiosk.rewards.error", error_text(ui.lang(), r.error.status, r.error.code, r.error.message));
        if (kiosk_button(v, ui, "kiosk.rewards.retry", ui.tr("common.retry"), ButtonKind::secondary, true, ui.px(260),
                         ui.px(72)))
            a.reload.insert(Data::rewards);
    } else if (!r.has()) {
        ui.loading("kiosk.rewards.loading", ui.tr(r.waiting_key()));
    } else {
        ui.begin_list("kiosk.rewards", kt(ui, "kiosk.tab.rewards"));
        for (const auto& rw : *r.value) {
            const std::string id = "kiosk.reward." + rw.id;
            ui.begin_item(id);
            ui.begin_card(id + ".card", ui.t(rw.name));
            ImGui::BeginGroup();
            ui.push_width(ui.width() - ui.px(250));
            ui.heading(id + ".name", ui.t(rw.name), 2);
            ui.text(id + ".cost", fmt(ui.tr("rewards.cost"), {fmt_int(rw.cost)}), Tone::accent, ui.fonts().heading);
            if (!ui.t(rw.coupon_title).empty())
                ui.text(id + ".gives", fmt(ui.tr("rewards.gives"), {ui.t(rw.coupon_title)}), Tone::muted);
            const std::string why = reward_blocker(rw, balance, ui);
            if (!why.empty()) ui.text(id + ".why", why, Tone::muted);
            ui.pop_width();
            ImGui::EndGroup();
            ImGui::SameLine(0, ui.px(20));
            const bool can = rw.in_stock && rw.tier_allowed && rw.affordable && !v.state.redemption.loading();
            ImGui::PushFont(ui.fonts().heading);
            if (kiosk_button(v, ui, id + ".redeem", ui.tr("rewards.redeem"), ButtonKind::primary, can, ui.px(230),
                             ui.px(80))) {
                v.ui.confirm_reward = rw.id;
                a.clear_redemption = true;
            }
            ImGui::PopFont();
            ui.end_card();
            ui.end_item();
            ui.gap(6);
        }
        ui.end_list();
        if (r.value->empty()) ui.text("kiosk.rewards.empty", ui.tr("rewards.empty"), Tone::muted);
    }
    ui.pop_width();
    ImGui::Unindent((w - col) * 0.5f);
}

}  // namespace

void draw_kiosk_member(KioskView& v, Ui& ui, KioskActions& a, float w, float h) {
    const auto& me = v.state.me;
    ui.begin_region("kiosk.member", kt(ui, "kiosk.account"), Role::region);
    if (!me.has()) {
        if (me.failed()) {
            ui.alert("kiosk.me.error", error_text(ui.lang(), me.error.status, me.error.code, me.error.message));
            if (kiosk_button(v, ui, "kiosk.me.retry", ui.tr("common.retry"), ButtonKind::secondary, true, ui.px(260),
                             ui.px(72)))
                a.reload.insert(Data::me);
        } else {
            ui.loading("kiosk.me.loading", ui.tr(me.waiting_key()));
        }
        ui.end_region();
        return;
    }
    const MeView& m = *me.value;
    // Greeting: masked name and phone only (a shared screen).
    ui.push_width(w);
    ui.heading("kiosk.hello", fmt(kt(ui, "kiosk.hello"), {kiosk_name(m.profile.name)}), 1);
    if (!m.profile.phone_masked.empty())
        ui.text("kiosk.phone_masked", fmt(kt(ui, "kiosk.phone_is"), {kiosk_phone(m.profile.phone_masked)}),
                Tone::muted);
    ui.gap(6);

    // Tabs.
    const float gap = ui.px(14);
    const float tw = std::min((w - 3 * gap) / 4, ui.px(360)), th = ui.px(80);
    const int available = static_cast<int>(m.coupons.available);
    struct TabDef {
        MemberTab tab;
        std::string id, label;
    };
    const TabDef tabs[4] = {
        {MemberTab::overview, "kiosk.tab.overview", kt(ui, "kiosk.tab.overview")},
        {MemberTab::coupons, "kiosk.tab.coupons", fmt(kt(ui, "kiosk.tab.coupons"), {std::to_string(available)})},
        {MemberTab::rewards, "kiosk.tab.rewards", kt(ui, "kiosk.tab.rewards")},
        {MemberTab::history, "kiosk.tab.history", kt(ui, "kiosk.tab.history")}};
    ui.begin_region("kiosk.tabs", kt(ui, "kiosk.sections"), Role::nav);
    ImGui::PushFont(ui.fonts().heading);
    for (int i = 0; i < 4; ++i) {
        if (i) ImGui::SameLine(0, gap);
        const bool cur = v.ui.tab == tabs[i].tab;
        if (kiosk_button(v, ui, tabs[i].id, tabs[i].label, cur ? ButtonKind::primary : ButtonKind::secondary, true, tw,
                         th)) {
            v.ui.tab = tabs[i].tab;
            if (tabs[i].tab == MemberTab::rewards && !v.state.rewards.loading()) a.reload.insert(Data::rewards);
            if (tabs[i].tab == MemberTab::coupons && !v.state.coupons.loading()) a.reload.insert(Data::coupons);
            if (tabs[i].tab == MemberTab::history) a.history_filter = v.ui.history_filter;
        }
        if (MirrorNode* n = ui.mirror().last()) n->current = cur;
    }
    ImGui::PopFont();
    ui.end_region();
    ui.pop_width();
    ui.gap(10);

    // A busy server: what is on screen stays, and the member sees why nothing changes yet.
    if (v.state.me.server_busy || v.state.coupons.server_busy || v.state.rewards.server_busy ||
        v.state.ledger.server_busy || v.state.redemptions.server_busy)
        ui.status("kiosk.busy", ui.tr("common.server_busy"));
    // The tab's content scrolls (drag with a finger).
    const float rest = std::max(ui.px(200), ImGui::GetContentRegionAvail().y);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, 0);
    ImGui::BeginChild("###kiosk.tab", ImVec2(w, rest), ImGuiChildFlags_None);
    ui.touch_scroll();
    const float cw = ImGui::GetContentRegionAvail().x;
    switch (v.ui.tab) {
        case MemberTab::overview: draw_overview(v, ui, a, m, cw); break;
        case MemberTab::coupons: draw_coupons(v, ui, a, cw); break;
        case MemberTab::rewards: draw_rewards(v, ui, a, cw); break;
        case MemberTab::history: draw_kiosk_history(v, ui, a, cw, rest); break;
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
    (void)h;
    ui.end_region();
}

}  // namespace memberdesk::client::kiosk
