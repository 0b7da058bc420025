// The at-risk list: dormant and nearly dormant members of the scope, most valuable first, with
// their last visit and what the program sent them; a CSV export of the same list. Full names and
// phones (level 3) only after a reason, for the roles that read them.
#include <algorithm>

#include "app/format.hpp"
#include "screens/staff_screens.hpp"

namespace memberdesk::client::staff {

namespace {

std::string reach_text(Ui& ui, const AtRiskMemberView& m) {
    if (m.reach.empty()) return st(ui, "staff.atrisk.nothing_sent");
    // The latest first: what the member heard from the program last.
    std::string out;
    const std::size_t shown = std::min<std::size_t>(m.reach.size(), 2);
    for (std::size_t i = 0; i < shown; ++i) {
        const AtRiskReachView& r = m.reach[m.reach.size() - 1 - i];
        if (!out.empty()) out += "; ";
        const std::string key = "staff.reach." + r.kind;
        const char* kind = str(ui.lang(), key);
        out += key == kind ? r.kind : kind;
        out += " " + ui.date(r.at);
        if (!r.sent) out += std::string(" (") + st(ui, "staff.atrisk.not_sent") + ")";
        if (r.coupon) out += std::string(" + ") + st(ui, "staff.atrisk.coupon");
    }
    return out;
}

void draw_reveal(StaffView& v, Ui& ui, StaffActions& a, int level) {
    if (level == 3) {
        ui.text("staff.atrisk.level", st(ui, "staff.atrisk.level3"), Tone::warning, ui.fonts().small);
        if (ui.button("staff.atrisk.hide", st(ui, "staff.atrisk.hide"), ButtonKind::ghost)) a.hide_full = true;
        return;
    }
    ui.text("staff.atrisk.level", st(ui, "staff.atrisk.level2"), Tone::muted, ui.fonts().small);
    if (!v.state.me.has() || !role_reads_level3(v.state.me.value->role)) return;
    if (!v.ui.reveal_open) {
        if (ui.button("staff.atrisk.reveal", st(ui, "staff.atrisk.reveal"), ButtonKind::secondary))
            v.ui.reveal_open = true;
        return;
    }
    bool submitted = false;
    ui.input("staff.atrisk.reason", st(ui, "staff.atrisk.reason"), v.ui.reveal_reason, InputKind::text, 200, &submitted,
             st(ui, "staff.atrisk.reason_hint"));
    const bool ok = valid_staff_reason(v.ui.reveal_reason);
    if (ui.button("staff.atrisk.reveal_confirm", st(ui, "staff.atrisk.reveal_confirm"), ButtonKind::primary, ok) ||
        (submitted && ok))
        a.reveal_full = true;
    ui.same_line(8);
    if (ui.button("staff.atrisk.reveal_cancel", st(ui, "staff.atrisk.cancel"), ButtonKind::ghost)) {
        v.ui.reveal_open = false;
        v.ui.reveal_reason.clear();
    }
}

}  // namespace

void draw_staff_at_risk(StaffView& v, Ui& ui, StaffActions& a) {
    const StaffState& s = v.state;
    ui.heading("staff.atrisk.title", st(ui, "staff.atrisk.title"), 1);
    ui.begin_card("staff.atrisk.tools", st(ui, "staff.atrisk.tools"));
    ui.text("staff.atrisk.how", st(ui, "staff.atrisk.how"), Tone::muted);
    const bool exporting = s.at_risk_csv.loading();
    if (ui.button("staff.atrisk.export", st(ui, exporting ? "staff.atrisk.exporting" : "staff.atrisk.export"),
                  ButtonKind::primary, !exporting && s.at_risk.has()))
        a.export_at_risk = true;
    ui.same_line(8);
    if (ui.button("staff.atrisk.reload", st(ui, "staff.atrisk.reload"), ButtonKind::secondary, !s.at_risk.loading()))
        a.reload_at_risk = true;
    if (s.at_risk_csv.status == Status::ok && s.at_risk_csv.value)
        ui.status("staff.atrisk.exported", fmt(st(ui, "staff.atrisk.exported"), {*s.at_risk_csv.value}));
    if (s.at_risk_csv.failed()) ui.alert("staff.atrisk.export_error", staff_error(ui.lang(), s.at_risk_csv.error));
    draw_reveal(v, ui, a, s.at_risk.has() ? s.at_risk.value->level : v.ui.at_risk_level);
    ui.end_card();
    ui.gap(12);
    if (s.at_risk.loading()) ui.loading("staff.atrisk.loading", st(ui, "staff.loading"));
    if (s.at_risk.failed()) ui.alert("staff.atrisk.error", staff_error(ui.lang(), s.at_risk.error));
    if (!s.at_risk.has()) return;
    const StaffAtRiskView& list = *s.at_risk.value;
    ui.begin_card("staff.atrisk.list_card", st(ui, "staff.atrisk.list"));
    ui.heading("staff.atrisk.count",
               fmt(st(ui, "staff.atrisk.count"), {std::to_string(list.members.size()), list.as_of}), 2);
    ui.text("staff.atrisk.rule", fmt(st(ui, "staff.atrisk.rule"), {std::to_string(list.dormant_days)}), Tone::muted,
            ui.fonts().small);
    if (list.members.empty()) ui.text("staff.atrisk.empty", st(ui, "staff.atrisk.empty"));
    ui.begin_list("staff.atrisk.members", st(ui, "staff.atrisk.list"));
    for (std::size_t i = 0; i < list.members.size(); ++i) {
        const AtRiskMemberView& m = list.members[i];
        const std::string id = "staff.atrisk.m" + std::to_string(m.id);
        ui.begin_item(id);
        const std::string who = fmt(st(ui, "staff.atrisk.who"),
                                    {std::to_string(i + 1), m.name.empty() ? std::to_string(m.id) : m.name, m.phone});
        ui.text(id + ".who", who);
        ui.badge(id + ".status", st(ui, m.status == "dormant" ? "staff.atrisk.dormant" : "staff.atrisk.at_risk"),
                 m.status == "dormant" ? Tone::danger : Tone::warning);
        ui.text(id + ".visit",
                fmt(st(ui, "staff.atrisk.visit"), {ui.date(m.last_visit), std::to_string(m.days_since_visit),
                                                   fmt_int(m.visits), fmt_money(m.net_spend)}),
                Tone::normal, ui.fonts().small);
        ui.text(id + ".reach", fmt(st(ui, "staff.atrisk.sent"), {reach_text(ui, m)}), Tone::muted, ui.fonts().small);
        ui.gap(6);
        ui.end_item();
    }
    ui.end_list();
    ui.end_card();
}

}  // namespace memberdesk::client::staff
