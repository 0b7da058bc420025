// The counter: find a member by scan or full phone, see them at the staff's data level, redeem a
// coupon for an order amount, give goodwill points. Two columns on a counter PC, one when narrow.
#include <algorithm>

#include "app/format.hpp"
#include "screens/staff_screens.hpp"

namespace memberdesk::client::staff {

bool redeem_ready(const StaffUi& ui) {
    return classify_scan(ui.coupon_code) == ScanKind::coupon && parse_yuan(ui.order_amount).has_value();
}

bool goodwill_ready(const StaffUi& ui, bool member_shown) {
    return member_shown && parse_goodwill(ui.goodwill_points).has_value() && valid_staff_reason(ui.goodwill_reason);
}

namespace {

void draw_find(StaffView& v, Ui& ui, StaffActions& a) {
    const StaffState& s = v.state;
    ui.begin_card("staff.find", st(ui, "staff.find.title"));
    ui.heading("staff.find.title", st(ui, "staff.find.title"), 2);
    ui.text("staff.find.scan", st(ui, "staff.find.scan"), Tone::muted);
    bool submitted = false;
    if (ui.input("staff.find.phone", st(ui, "staff.find.phone"), v.ui.phone, InputKind::phone, 20, &submitted))
        v.ui.phone = phone_digits(v.ui.phone);
    const bool ready = phone_digits(v.ui.phone).size() >= 6 && !s.search.loading();
    if (ui.button("staff.find.submit", st(ui, "staff.find.submit"), ButtonKind::primary, ready) || (submitted && ready))
        a.find_phone = true;
    if (s.search.loading()) ui.status("staff.find.status", st(ui, "staff.find.searching"));
    if (s.search.failed()) ui.alert("staff.find.error", staff_error(ui.lang(), s.search.error));
    if (s.search.status == Status::ok && s.search.value && s.search.value->members.empty())
        ui.alert("staff.find.error", st(ui, v.ui.searched_by_code ? "staff.find.none_code" : "staff.find.none"));
    else if (s.search.status == Status::ok && v.ui.searched_by_code)
        ui.status("staff.find.status", st(ui, "staff.find.scanned"));
    ui.end_card();
}

void draw_member(StaffView& v, Ui& ui, StaffActions& a) {
    const StaffState& s = v.state;
    if (!s.search.has() || s.search.value->members.empty()) return;
    const StaffMemberBrief& brief = s.search.value->members.front();
    ui.gap(12);
    ui.begin_card("staff.member", st(ui, "staff.member.title"), Tone::accent);
    const StaffMemberView* m = s.member.has() && s.member.value->id == brief.id ? &*s.member.value : nullptr;
    const std::string name = m && m->name ? *m->name : brief.name;
    ui.heading("staff.member.name", name.empty() ? fmt(st(ui, "staff.member.id"), {std::to_string(brief.id)}) : name,
               2);
    ui.text("staff.member.number", fmt(st(ui, "staff.member.id"), {std::to_string(brief.id)}), Tone::muted);
    ui.pair("staff.member.phone", st(ui, "staff.member.phone"), m && m->phone ? *m->phone : brief.phone);
    if (m) {
        ui.pair("staff.member.tier", st(ui, "staff.member.tier"),
                m->tier.name.en.empty() ? m->tier.id : ui.t(m->tier.name));
        ui.big_number("staff.member.balance", st(ui, "staff.member.balance"), fmt_int(m->points.balance),
                      st(ui, "staff.member.points_unit"));
        if (m->points.pending > 0)
            ui.pair("staff.member.pending", st(ui, "staff.member.pending"), fmt_int(m->points.pending));
        if (m->points.expiring_soon > 0) {
            std::string when = m->points.next_expiry ? " (" + ui.date(*m->points.next_expiry) + ")" : "";
            ui.pair("staff.member.expiring", st(ui, "staff.member.expiring"), fmt_int(m->points.expiring_soon) + when);
        }
        ui.pair("staff.member.coupons", st(ui, "staff.member.coupons"),
                std::to_string(m->coupons.available) + " / " + std::to_string(m->coupons.used));
        ui.pair("staff.member.purchases", st(ui, "staff.member.purchases"), fmt_int(m->purchases));
        if (m->segment) {
            const std::string key = "staff.segment." + *m->segment;
            const char* seg = str(ui.lang(), key);
            ui.pair("staff.member.segment", st(ui, "staff.member.segment"), key == seg ? *m->segment : seg);
        }
        if (!m->joined_at.empty())
            ui.pair("staff.member.joined", st(ui, "staff.member.joined"),
                    ui.date(m->joined_at) + (m->joined_store ? " \xC2\xB7 " + *m->joined_store : ""));
        ui.text("staff.member.level",
                m->level >= 2 ? fmt(st(ui, "staff.member.level"), {std::to_string(m->level)})
                              : std::string(st(ui, "staff.member.level1")),
                Tone::muted, ui.fonts().small);
    } else {
        ui.pair("staff.member.tier", st(ui, "staff.member.tier"), brief.tier);
        if (s.member.loading()) ui.loading("staff.member.loading", st(ui, "staff.loading"));
        if (s.member.failed()) {
            ui.alert("staff.member.error",
                     std::string(st(ui, "staff.member.detail_error")) + " " + staff_error(ui.lang(), s.member.error));
            if (ui.button("staff.member.retry", st(ui, "staff.retry"), ButtonKind::secondary)) a.retry_member = true;
        }
    }
    ui.gap(4);
    if (ui.button("staff.find.clear", st(ui, "staff.find.clear"), ButtonKind::ghost)) a.next_customer = true;
    ui.end_card();
}

void draw_coupon(StaffView& v, Ui& ui, StaffActions& a) {
    const StaffState& s = v.state;
    ui.begin_card("staff.coupon", st(ui, "staff.coupon.title"));
    ui.heading("staff.coupon.title", st(ui, "staff.coupon.title"), 2);
    ui.text("staff.coupon.how", st(ui, "staff.coupon.how"), Tone::muted);
    bool submit_code = false, submit_amount = false;
    ui.input("staff.coupon.code", st(ui, "staff.coupon.code"), v.ui.coupon_code, InputKind::text, 32, &submit_code);
    ui.input("staff.coupon.amount", st(ui, "staff.coupon.amount"), v.ui.order_amount, InputKind::number, 16,
             &submit_amount, st(ui, "staff.coupon.amount_hint"));
    if (!v.ui.order_amount.empty() && !parse_yuan(v.ui.order_amount))
        ui.text("staff.coupon.amount_bad", st(ui, "staff.coupon.amount_bad"), Tone::danger, ui.fonts().small);
    const bool busy = s.redeem.loading();
    const bool ready = redeem_ready(v.ui) && !busy;
    if (ui.button("staff.coupon.submit", busy ? st(ui, "staff.coupon.redeeming") : st(ui, "staff.coupon.submit"),
                  ButtonKind::primary, ready) ||
        ((submit_code || submit_amount) && ready))
        a.redeem = true;
    if (s.redeem.status == Status::ok && s.redeem.value) {
        const StaffRedeemView& r = *s.redeem.value;
        const std::string title = r.title.en.empty() ? r.code : ui.t(r.title);
        ui.status("staff.coupon.result", fmt(st(ui, "staff.coupon.done"), {title}));
        ui.big_number("staff.coupon.discount", st(ui, "staff.coupon.discount"), fmt_money(r.discount), "");
        ui.pair("staff.coupon.pay", st(ui, "staff.coupon.pay"), fmt_money(r.pay_amount));
        ui.pair("staff.coupon.order", st(ui, "staff.coupon.order"), fmt_money(r.order_amount));
        if (r.item) ui.text("staff.coupon.item", fmt(st(ui, "staff.coupon.item"), {ui.t(*r.item)}), Tone::accent);
    }
    if (s.redeem.failed()) ui.alert("staff.coupon.error", staff_error(ui.lang(), s.redeem.error));
    ui.end_card();
}

void draw_goodwill(StaffView& v, Ui& ui, StaffActions& a) {
    const StaffState& s = v.state;
    const bool member_shown = s.member.has();
    ui.begin_card("staff.goodwill", st(ui, "staff.goodwill.title"));
    ui.heading("staff.goodwill.title", st(ui, "staff.goodwill.title"), 2);
    ui.text("staff.goodwill.how", st(ui, "staff.goodwill.how"), Tone::muted);
    if (!member_shown) ui.text("staff.goodwill.need_member", st(ui, "staff.goodwill.need_member"), Tone::warning);
    bool submit_points = false, submit_reason = false;
    ui.input("staff.goodwill.points", st(ui, "staff.goodwill.points"), v.ui.goodwill_points, InputKind::number, 7,
             &submit_points);
    ui.input("staff.goodwill.reason", st(ui, "staff.goodwill.reason"), v.ui.goodwill_reason, InputKind::text, 200,
             &submit_reason, st(ui, "staff.goodwill.reason_hint"));
    const bool typed = !v.ui.goodwill_points.empty() || !v.ui.goodwill_reason.empty();
    if (member_shown && typed && !goodwill_ready(v.ui, true))
        ui.text("staff.goodwill.bad", st(ui, "staff.goodwill.bad"), Tone::muted, ui.fonts().small);
    const bool busy = s.adjust.loading();
    const bool ready = goodwill_ready(v.ui, member_shown) && !busy;
    if (ui.button("staff.goodwill.submit", busy ? st(ui, "staff.goodwill.giving") : st(ui, "staff.goodwill.submit"),
                  ButtonKind::primary, ready) ||
        ((submit_points || submit_reason) && ready))
        a.give_points = true;
    if (s.adjust.status == Status::ok && s.adjust.value)
        ui.status("staff.goodwill.result", fmt(st(ui, "staff.goodwill.done"),
                                               {fmt_int(v.ui.last_grant), fmt_int(s.adjust.value->points.balance)}));
    if (s.adjust.failed()) ui.alert("staff.goodwill.error", staff_error(ui.lang(), s.adjust.error));
    ui.end_card();
}

}  // namespace

void draw_staff_counter(StaffView& v, Ui& ui, StaffActions& a) {
    ui.heading("staff.counter.title", st(ui, "staff.counter.title"), 1);
    draw_two_columns(
        ui,
        [&] {
            draw_find(v, ui, a);
            draw_member(v, ui, a);
        },
        [&] {
            draw_coupon(v, ui, a);
            ui.gap(12);
            draw_goodwill(v, ui, a);
        });
}

}  // namespace memberdesk::client::staff
