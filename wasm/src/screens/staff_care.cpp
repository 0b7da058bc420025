// Member care (managers): find a member (scan, full phone) or browse the scope page by page, open
// them at the role's data level (full details only after a reason, for the roles that read them),
// their points history, coupons, messages and audit, and the changes a manager makes -- points
// with a reason, a coupon issued from the program's templates, a coupon voided -- each confirmed
// in a dialog first, with the server's answer (or refusal, in words) shown after.
#include <algorithm>
#include <iterator>
#include <utility>

#include "app/format.hpp"
#include "screens/staff_screens.hpp"

namespace memberdesk::client::staff {

namespace {

CareRights rights_of(const StaffState& s) { return s.me.has() ? care_rights(s.me.value->role) : CareRights{}; }

// A key's text, or `fallback` when the table has no such key.
std::string word(Ui& ui, const std::string& key, const std::string& fallback) {
    const char* t = str(ui.lang(), key);
    return key == t ? fallback : std::string(t);
}

void draw_more(Ui& ui, StaffActions& a, const std::string& id, bool has_more, const ApiError& failed) {
    if (!failed.code.empty() || failed.status != 0) ui.alert(id + "_error", staff_error(ui.lang(), failed));
    if (has_more && ui.button(id, st(ui, "staff.care.more"), ButtonKind::secondary)) a.care_more = true;
}

void draw_find(StaffView& v, Ui& ui, StaffActions& a) {
    const StaffState& s = v.state;
    ui.begin_card("staff.care.find_card", st(ui, "staff.care.find"));
    ui.heading("staff.care.find", st(ui, "staff.care.find"), 2);
    ui.text("staff.care.how", st(ui, "staff.care.how"), Tone::muted);
    bool submitted = false;
    if (ui.input("staff.care.phone", st(ui, "staff.find.phone"), v.ui.care_phone, InputKind::phone, 20, &submitted))
        v.ui.care_phone = phone_digits(v.ui.care_phone);
    const bool ready = phone_digits(v.ui.care_phone).size() >= 6 && !s.care_list.loading();
    if (ui.button("staff.care.find_submit", st(ui, "staff.find.submit"), ButtonKind::primary, ready) ||
        (submitted && ready))
        a.care_find = true;
    ui.same_line(8);
    if (ui.button("staff.care.browse", st(ui, "staff.care.browse"), ButtonKind::secondary, !s.care_list.loading()))
        a.care_browse = true;
    ui.end_card();
    ui.gap(12);

    if (s.care_list.loading()) ui.loading("staff.care.list_loading", st(ui, "staff.loading"));
    if (s.care_list.failed()) ui.alert("staff.care.list_error", staff_error(ui.lang(), s.care_list.error));
    if (!s.care_list.has()) return;
    const StaffMemberList& list = *s.care_list.value;
    ui.begin_card("staff.care.list_card", st(ui, "staff.care.list"));
    ui.heading("staff.care.list", st(ui, "staff.care.list"), 2);
    if (list.members.empty()) ui.text("staff.care.none", st(ui, "staff.care.none"));
    ui.begin_list("staff.care.members", st(ui, "staff.care.list"));
    for (const StaffMemberBrief& m : list.members) {
        const std::string id = "staff.care.m" + std::to_string(m.id);
        ui.begin_item(id);
        ui.text(id + ".who", fmt(st(ui, "staff.care.row"), {std::to_string(m.id), m.name, m.phone, m.tier}));
        if (ui.button(id + ".open", st(ui, "staff.care.open"), ButtonKind::secondary)) a.care_open = m.id;
        ui.gap(4);
        ui.end_item();
    }
    ui.end_list();
    if (list.next_cursor && ui.button("staff.care.list_more", st(ui, "staff.care.more"), ButtonKind::secondary))
        a.care_browse_more = true;
    ui.end_card();
}

void draw_reveal(StaffView& v, Ui& ui, StaffActions& a, const StaffMemberView& m) {
    if (m.level >= 3 || !rights_of(v.state).level3) return;
    if (!v.ui.care_reveal_open) {
        if (ui.button("staff.care.reveal", st(ui, "staff.care.reveal"), ButtonKind::secondary))
            v.ui.care_reveal_open = true;
        return;
    }
    bool submitted = false;
    ui.input("staff.care.reveal_reason", st(ui, "staff.care.reveal_reason"), v.ui.care_reveal_reason, InputKind::text,
             200, &submitted, st(ui, "staff.care.reveal_hint"));
    const bool ok = valid_staff_reason(v.ui.care_reveal_reason) && !v.state.care_member.loading();
    if (ui.button("staff.care.reveal_confirm", st(ui, "staff.care.reveal_confirm"), ButtonKind::primary, ok) ||
        (submitted && ok))
        a.care_reveal = true;
    ui.same_line(8);
    if (ui.button("staff.care.reveal_cancel", st(ui, "staff.atrisk.cancel"), ButtonKind::ghost)) {
        v.ui.care_reveal_open = false;
        v.ui.care_reveal_reason.clear();
    }
}

void draw_member(StaffView& v, Ui& ui, StaffActions& a) {
    const StaffState& s = v.state;
    ui.begin_card("staff.care.member", st(ui, "staff.member.title"), Tone::accent);
    if (s.care_member.failed()) ui.alert("staff.care.member_error", staff_error(ui.lang(), s.care_member.error));
    if (!s.care_member.has()) {
        if (s.care_member.loading()) ui.loading("staff.care.member_loading", st(ui, "staff.loading"));
        ui.end_card();
        return;
    }
    const StaffMemberView& m = *s.care_member.value;
    const std::string number = fmt(st(ui, "staff.member.id"), {std::to_string(m.id)});
    ui.heading("staff.care.name", m.name ? *m.name : number, 2);
    ui.text("staff.care.number", number, Tone::muted);
    if (m.phone) ui.pair("staff.care.phone", st(ui, "staff.member.phone"), *m.phone);
    if (m.birthday) ui.pair("staff.care.birthday", st(ui, "staff.care.birthday"), *m.birthday);
    ui.pair("staff.care.tier", st(ui, "staff.member.tier"), m.tier.name.en.empty() ? m.tier.id : ui.t(m.tier.name));
    ui.big_number("staff.care.balance", st(ui, "staff.member.balance"), fmt_int(m.points.balance),
                  st(ui, "staff.member.points_unit"));
    if (m.points.pending > 0) ui.pair("staff.care.pending", st(ui, "staff.member.pending"), fmt_int(m.points.pending));
    if (m.points.expiring_soon > 0)
        ui.pair("staff.care.expiring", st(ui, "staff.member.expiring"), fmt_int(m.points.expiring_soon));
    ui.pair("staff.care.coupons", st(ui, "staff.member.coupons"),
            std::to_string(m.coupons.available) + " / " + std::to_string(m.coupons.used));
    ui.pair("staff.care.purchases", st(ui, "staff.member.purchases"), fmt_int(m.purchases));
    if (m.segment)
        ui.pair("staff.care.segment", st(ui, "staff.member.segment"),
                word(ui, "staff.segment." + *m.segment, *m.segment));
    if (!m.joined_at.empty())
        ui.pair("staff.care.joined", st(ui, "staff.member.joined"),
                ui.date(m.joined_at) + (m.joined_store ? " \xC2\xB7 " + *m.joined_store : ""));
    if (m.level >= 3)
        ui.text("staff.care.level", st(ui, "staff.care.level3"), Tone::warning, ui.fonts().small);
    else
        ui.text("staff.care.level",
                m.level >= 2 ? fmt(st(ui, "staff.member.level"), {std::to_string(m.level)})
                             : std::string(st(ui, "staff.member.level1")),
                Tone::muted, ui.fonts().small);
    draw_reveal(v, ui, a, m);
    ui.end_card();
}

std::string change_text(Ui& ui, const CareChange& c) {
    switch (c.kind) {
        case CareChange::Kind::adjust:
            return fmt(st(ui, c.points > 0 ? "staff.care.confirm_give" : "staff.care.confirm_take"),
                       {fmt_int(c.points > 0 ? c.points : -c.points), c.reason});
        case CareChange::Kind::issue: return fmt(st(ui, "staff.care.confirm_issue"), {c.template_title, c.reason});
        case CareChange::Kind::void_coupon: return fmt(st(ui, "staff.care.confirm_void"), {c.code, c.reason});
    }
    return "";
}

void draw_changes(StaffView& v, Ui& ui, StaffActions&) {
    const StaffState& s = v.state;
    const CareRights r = rights_of(s);
    if (!s.care_member.has() || !(r.give || r.take || r.issue)) return;
    const bool busy = s.care_change.loading();
    ui.begin_card("staff.care.changes", st(ui, "staff.care.changes"));
    ui.heading("staff.care.adjust", st(ui, "staff.care.adjust"), 2);
    ui.input("staff.care.adjust_points", st(ui, "staff.care.adjust_points"), v.ui.adjust_points, InputKind::text, 9,
             nullptr, st(ui, "staff.care.adjust_hint"));
    ui.input("staff.care.adjust_reason", st(ui, "staff.goodwill.reason"), v.ui.adjust_reason, InputKind::text, 200);
    const auto points = parse_adjustment(v.ui.adjust_points);
    if (!v.ui.adjust_points.empty() && !points)
        ui.text("staff.care.adjust_bad", st(ui, "staff.care.adjust_bad"), Tone::danger, ui.fonts().small);
    const bool adjust_ok = points && valid_staff_reason(v.ui.adjust_reason) && !busy;
    if (ui.button("staff.care.adjust_submit", st(ui, "staff.care.adjust_submit"), ButtonKind::primary, adjust_ok)) {
        CareChange c;
        c.kind = CareChange::Kind::adjust;
        c.points = *points;
        c.reason = v.ui.adjust_reason;
        v.ui.confirm = c;
    }
    if (r.issue) {
        ui.gap(8);
        ui.heading("staff.care.issue", st(ui, "staff.care.issue"), 2);
        if (s.templates.loading()) ui.loading("staff.care.templates_loading", st(ui, "staff.loading"));
        if (s.templates.failed()) ui.alert("staff.care.templates_error", staff_error(ui.lang(), s.templates.error));
        if (s.templates.has()) {
            std::vector<std::string> titles;
            for (const auto& t : s.templates.value->templates)
                titles.push_back(t.title.en.empty() ? t.id : ui.t(t.title));
            ui.choice("staff.care.template", st(ui, "staff.care.template"), titles, v.ui.template_choice);
            ui.input("staff.care.issue_reason", st(ui, "staff.goodwill.reason"), v.ui.issue_reason, InputKind::text,
                     200);
            const bool chosen =
                v.ui.template_choice >= 0 && static_cast<std::size_t>(v.ui.template_choice) < titles.size();
            const bool issue_ok = chosen && valid_staff_reason(v.ui.issue_reason) && !busy;
            if (ui.button("staff.care.issue_submit", st(ui, "staff.care.issue_submit"), ButtonKind::primary,
                          issue_ok)) {
                const auto& t = s.templates.value->templates[static_cast<std::size_t>(v.ui.template_choice)];
                CareChange c;
                c.kind = CareChange::Kind::issue;
                c.template_id = t.id;
                c.template_title = titles[static_cast<std::size_t>(v.ui.template_choice)];
                c.reason = v.ui.issue_reason;
                v.ui.confirm = c;
            }
        }
    }
    if (busy) ui.status("staff.care.result", st(ui, "staff.care.saving"));
    if (s.care_change.status == Status::ok && s.care_change.value && v.ui.last_change) {
        const StaffCareResult& res = *s.care_change.value;
        const CareChange& c = *v.ui.last_change;
        std::string text;
        if (c.kind == CareChange::Kind::adjust && res.points)
            text = fmt(st(ui, "staff.care.done_adjust"), {fmt_signed(c.points), fmt_int(res.points->balance)});
        else if (c.kind == CareChange::Kind::issue && res.coupon)
            text = fmt(st(ui, "staff.care.done_issue"), {ui.t(res.coupon->title), res.coupon->code});
        else if (res.coupon)
            text = fmt(st(ui, "staff.care.done_void"), {ui.t(res.coupon->title), res.coupon->code});
        ui.status("staff.care.result", text);
    }
    if (s.care_change.failed()) ui.alert("staff.care.error", staff_error(ui.lang(), s.care_change.error));
    ui.end_card();
}

void draw_history(StaffView& v, Ui& ui, StaffActions& a) {
    const auto& r = v.state.care_ledger;
    if (r.loading()) ui.loading("staff.care.tab_loading", st(ui, "staff.loading"));
    if (r.failed()) ui.alert("staff.care.tab_error", staff_error(ui.lang(), r.error));
    if (!r.has()) return;
    if (r.value->entries.empty()) ui.text("staff.care.empty", st(ui, "staff.care.no_history"));
    ui.begin_list("staff.care.ledger", st(ui, "staff.care.tab.history"));
    for (const LedgerEntryView& e : r.value->entries) {
        const std::string id = "staff.care.l" + std::to_string(e.id);
        ui.begin_item(id);
        ui.text(id + ".what",
                fmt(st(ui, "staff.care.entry"), {fmt_signed(e.points), word(ui, "history.type." + e.type, e.type),
                                                 ui.datetime(e.created_at), fmt_int(e.balance_after)}));
        const std::string reason = ui.t(e.reason);
        if (!reason.empty() || !e.store.empty())
            ui.text(id + ".why", reason + (e.store.empty() ? "" : " \xC2\xB7 " + e.store), Tone::muted,
                    ui.fonts().small);
        ui.gap(4);
        ui.end_item();
    }
    ui.end_list();
    draw_more(ui, a, "staff.care.more", r.value->next_cursor.has_value(), v.state.care_more_error);
}

void draw_coupons(StaffView& v, Ui& ui) {
    const auto& r = v.state.care_coupons;
    if (r.loading()) ui.loading("staff.care.tab_loading", st(ui, "staff.loading"));
    if (r.failed()) ui.alert("staff.care.tab_error", staff_error(ui.lang(), r.error));
    if (!r.has()) return;
    const bool can_void = rights_of(v.state).void_coupons;
    if (r.value->coupons.empty()) ui.text("staff.care.empty", st(ui, "staff.care.no_coupons"));
    ui.begin_list("staff.care.coupon_list", st(ui, "staff.care.tab.coupons"));
    for (const CouponView& c : r.value->coupons) {
        const std::string id = "staff.care.c" + std::to_string(c.id);
        ui.begin_item(id);
        ui.text(id + ".title", ui.t(c.title) + (c.code.empty() ? "" : " \xC2\xB7 " + c.code));
        ui.badge(id + ".state", word(ui, "staff.coupon_state." + c.state, c.state),
                 c.state == "available" ? Tone::success : Tone::muted);
        ui.text(id + ".valid", fmt(st(ui, "staff.care.valid"), {ui.date(c.valid_until), c.source}), Tone::muted,
                ui.fonts().small);
        if (can_void && coupon_voidable(c)) {
            if (v.ui.void_code != c.code) {
                if (ui.button(id + ".void", st(ui, "staff.care.void"), ButtonKind::ghost)) {
                    v.ui.void_code = c.code;
                    v.ui.void_reason.clear();
                }
            } else {
                ui.input("staff.care.void_reason", st(ui, "staff.goodwill.reason"), v.ui.void_reason, InputKind::text,
                         200);
                const bool ok = valid_staff_reason(v.ui.void_reason) && !v.state.care_change.loading();
                if (ui.button("staff.care.void_submit", st(ui, "staff.care.void_submit"), ButtonKind::primary, ok)) {
                    CareChange ch;
                    ch.kind = CareChange::Kind::void_coupon;
                    ch.code = c.code;
                    ch.reason = v.ui.void_reason;
                    v.ui.confirm = ch;
                }
                ui.same_line(8);
                if (ui.button("staff.care.void_cancel", st(ui, "staff.atrisk.cancel"), ButtonKind::ghost))
                    v.ui.void_code.clear();
            }
        }
        ui.gap(4);
        ui.end_item();
    }
    ui.end_list();
}

void draw_messages(StaffView& v, Ui& ui, StaffActions& a) {
    const auto& r = v.state.care_messages;
    if (r.loading()) ui.loading("staff.care.tab_loading", st(ui, "staff.loading"));
    if (r.failed()) ui.alert("staff.care.tab_error", staff_error(ui.lang(), r.error));
    if (!r.has()) return;
    if (r.value->messages.empty()) ui.text("staff.care.empty", st(ui, "staff.care.no_messages"));
    ui.begin_list("staff.care.message_list", st(ui, "staff.care.tab.messages"));
    for (const StaffMessageView& m : r.value->messages) {
        const std::string id = "staff.care.msg" + std::to_string(m.id);
        ui.begin_item(id);
        ui.text(id + ".what", fmt(st(ui, "staff.care.message"),
                                  {word(ui, "staff.msg." + m.template_id, m.template_id), ui.datetime(m.created_at),
                                   m.channel, word(ui, "staff.msg_status." + m.status, m.status)}));
        ui.gap(4);
        ui.end_item();
    }
    ui.end_list();
    draw_more(ui, a, "staff.care.more", r.value->next_cursor.has_value(), v.state.care_more_error);
}

void draw_audit(StaffView& v, Ui& ui, StaffActions& a) {
    const auto& r = v.state.care_audit;
    if (r.loading()) ui.loading("staff.care.tab_loading", st(ui, "staff.loading"));
    if (r.failed()) ui.alert("staff.care.tab_error", staff_error(ui.lang(), r.error));
    if (!r.has()) return;
    if (r.value->entries.empty()) ui.text("staff.care.empty", st(ui, "staff.care.no_audit"));
    ui.begin_list("staff.care.audit_list", st(ui, "staff.care.tab.audit"));
    for (const StaffAuditEntryView& e : r.value->entries) {
        const std::string id = "staff.care.a" + std::to_string(e.id);
        ui.begin_item(id);
        std::string who = word(ui, "staff.actor." + e.actor_kind, e.actor_kind);
        if (e.actor_username) who += " " + *e.actor_username;
        if (e.actor_store) who += " \xC2\xB7 " + *e.actor_store;
        ui.text(id + ".what", fmt(st(ui, "staff.care.audit_row"),
                                  {ui.datetime(e.at), word(ui, "staff.action." + e.action, e.action), who}));
        std::string detail;
        if (e.points) detail = fmt(st(ui, "staff.care.audit_points"), {fmt_signed(*e.points)});
        if (e.reason)
            detail += (detail.empty() ? "" : " \xC2\xB7 ") + fmt(st(ui, "staff.care.audit_reason"), {*e.reason});
        if (!detail.empty()) ui.text(id + ".detail", detail, Tone::muted, ui.fonts().small);
        ui.gap(4);
        ui.end_item();
    }
    ui.end_list();
    draw_more(ui, a, "staff.care.more", r.value->next_cursor.has_value(), v.state.care_more_error);
}

void draw_tabs(StaffView& v, Ui& ui, StaffActions& a) {
    static const std::pair<CareTab, const char*> tabs[] = {{CareTab::history, "staff.care.tab.history"},
                                                           {CareTab::coupons, "staff.care.tab.coupons"},
                                                           {CareTab::messages, "staff.care.tab.messages"},
                                                           {CareTab::audit, "staff.care.tab.audit"}};
    ui.begin_card("staff.care.records", st(ui, "staff.care.records"));
    ui.begin_region("staff.care.tabs", st(ui, "staff.care.tabs"), Role::nav);
    for (std::size_t i = 0; i < std::size(tabs); ++i) {
        if (i > 0) ui.same_line(6);
        const bool on = v.ui.care_tab == tabs[i].first;
        if (ui.button(tabs[i].second, st(ui, tabs[i].second), on ? ButtonKind::primary : ButtonKind::secondary) && !on)
            v.ui.care_tab = tabs[i].first;
    }
    ui.end_region();
    ui.gap(8);
    switch (v.ui.care_tab) {
        case CareTab::history: draw_history(v, ui, a); break;
        case CareTab::coupons: draw_coupons(v, ui); break;
        case CareTab::messages: draw_messages(v, ui, a); break;
        case CareTab::audit: draw_audit(v, ui, a); break;
    }
    ui.end_card();
}

void draw_confirm(StaffView& v, Ui& ui, StaffActions& a) {
    if (!v.ui.confirm) return;
    ui.dialog_begin("staff.care.confirm", st(ui, "staff.care.confirm_title"));
    ui.text("staff.care.confirm_text", change_text(ui, *v.ui.confirm));
    ui.gap(4);
    if (ui.button("staff.care.confirm_yes", st(ui, "staff.care.confirm_yes"), ButtonKind::primary))
        a.care_confirmed = true;
    ui.same_line();
    if (ui.button("staff.care.confirm_no", st(ui, "staff.atrisk.cancel"), ButtonKind::secondary)) v.ui.confirm.reset();
    ui.dialog_end();
}

}  // namespace

void draw_staff_care(StaffView& v, Ui& ui, StaffActions& a) {
    ui.heading("staff.care.title", st(ui, "staff.care.title"), 1);
    if (v.ui.care_id == 0) {
        draw_find(v, ui, a);
        return;
    }
    if (ui.button("staff.care.back", st(ui, "staff.care.back"), ButtonKind::ghost)) a.care_close = true;
    ui.gap(8);
    draw_two_columns(
        ui, [&] { draw_member(v, ui, a); }, [&] { draw_changes(v, ui, a); });
    ui.gap(12);
    draw_tabs(v, ui, a);
    draw_confirm(v, ui, a);
}

}  // namespace memberdesk::client::staff
