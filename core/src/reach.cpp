// Scheduled reach: the occasions of one member, as windows of local days. Every occasion is a
// candidate from its first to its last day until its key is done; the scheduler sends it on the
// first day it runs within the window (normally the first day, at send_at).
#include "memberdesk/reach.hpp"

#include <algorithm>
#include <map>

#include "memberdesk/coupons.hpp"
#include "memberdesk/tiers.hpp"

namespace memberdesk {

const char* to_string(ReachKind k) {
    switch (k) {
        case ReachKind::points_expiry: return "points_expiry";
        case ReachKind::tier_review: return "tier_review";
        case ReachKind::coupon_expiry: return "coupon_expiry";
        case ReachKind::birthday: return "birthday";
        case ReachKind::winback: return "winback";
        case ReachKind::holiday: return "holiday";
    }
    return "points_expiry";
}

Text day_month_text(const CivilDate& d) {
    static const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};
    const int m = std::clamp(d.month, 1, 12);
    return {std::to_string(m) + "月" + std::to_string(d.day) + "日",
            std::to_string(d.day) + " " + kMonths[static_cast<std::size_t>(m - 1)]};
}

namespace {

// How many days before the date a reminder is sent (domain.md §7).
constexpr int kPointsLeadDays = 30;
constexpr int kTierLeadDays = 30;
constexpr int kCouponLeadDays = 3;
// Holiday packs are sent from the holiday's first day for a week, so a missed run still sends them.
constexpr int kHolidayDays = 7;

bool is_done(const MemberState& s, const std::vector<std::string>& done, const std::string& key) {
    return std::find(done.begin(), done.end(), key) != done.end() ||
           std::find(s.issue_keys.begin(), s.issue_keys.end(), key) != s.issue_keys.end();
}

std::optional<PurchaseRef> latest_purchase(const MemberState& s) {
    std::optional<PurchaseRef> last = s.earlier_purchases.last;
    for (const auto& pu : s.purchases)  // (at, id) order: the last one with the greatest at
        if (!last || pu.at >= last->at) last = PurchaseRef{pu.txn_id, pu.at};
    return last;
}

Text join(const Text& a, const Text& b) { return {a.zh + b.zh, a.en + " " + b.en}; }

// Every occasion not done whose window has not ended before `from`, without coupons.
std::vector<Occasion> candidates(const ProgramConfig& p, const ZoneRules& z, const MemberState& s,
                                 const CivilDate& from, UnixSeconds now, const std::vector<std::string>& done) {
    std::vector<Occasion> out;
    auto add = [&](Occasion o) {
        if (o.last_day < from || is_done(s, done, o.key)) return;
        out.push_back(std::move(o));
    };

    // Points expiring, one occasion per local expiry date with the total.
    std::map<std::int64_t, Points> by_day;
    for (const auto& l : s.lots)
        if (l.remaining > 0 && l.expires_at && *l.expires_at >= now)
            by_day[days_from_civil(z.local_date(*l.expires_at))] += l.remaining;
    for (const auto& [d, total] : by_day) {
        Occasion o;
        o.kind = ReachKind::points_expiry;
        o.date = civil_from_days(d);
        o.key = "points_expiry:" + format_date(o.date);
        o.first_day = add_days(o.date, -kPointsLeadDays);
        o.last_day = o.date;
        o.points = total;
        const Text when = day_month_text(o.date);
        o.subject = {std::to_string(total) + "积分将于" + when.zh + "过期",
                     std::to_string(total) + " points expire on " + when.en};
        o.text = join(o.subject, Text{"，请尽快使用。", "- use them before then."});
        add(std::move(o));
    }

    // Tier review of a tier above the entry tier.
    const int tier = current_tier_index(p, s.tier);
    if (tier > 0 && s.tier.valid_until) {
        Occasion o;
        o.kind = ReachKind::tier_review;
        o.date = z.local_date(*s.tier.valid_until);
        o.key = "tier_review:" + format_date(o.date);
        o.first_day = add_days(o.date, -kTierLeadDays);
        o.last_day = o.date;
        const TierDef& t = p.tiers[static_cast<std::size_t>(tier)];
        const Text when = day_month_text(o.date);
        o.subject = {t.name.zh + "会籍将于" + when.zh + "评定",
                     "Your " + t.name.en + " status is reviewed on " + when.en};
        const Text keep = tier_progress(p, z, s, now).keep_requirement;
        o.text = keep.zh.empty() ? o.subject : join(o.subject, Text{"：" + keep.zh, "- " + keep.en});
        add(std::move(o));
    }

    // Coupons expiring, one occasion per local expiry date.
    std::map<std::int64_t, std::vector<const Coupon*>> coupons_by_day;
    for (const auto& c : s.coupons)
        if (effective_state(c, now) == CouponState::available)
            coupons_by_day[days_from_civil(z.local_date(c.valid_until))].push_back(&c);
    for (const auto& [d, list] : coupons_by_day) {
        Occasion o;
        o.kind = ReachKind::coupon_expiry;
        o.date = civil_from_days(d);
        o.key = "coupon_expiry:" + format_date(o.date);
        o.first_day = add_days(o.date, -kCouponLeadDays);
        o.last_day = o.date;
        const Text when = day_month_text(o.date);
        if (list.size() == 1) {
            const Text title = coupon_title(list[0]->terms);
            o.subject = {"优惠券“" + title.zh + "”将于" + when.zh + "到期", title.en + " expires on " + when.en};
        } else {
            o.subject = {std::to_string(list.size()) + "张优惠券将于" + when.zh + "到期",
                         std::to_string(list.size()) + " coupons expire on " + when.en};
        }
        o.text = o.subject;
        add(std::move(o));
    }

    // Birthday month: from its first day to its last.
    const CouponTemplate* bt = p.coupon_template(p.issue.birthday_template);
    if (s.birthday && bt) {
        for (int y = from.year; y <= from.year + 1; ++y) {
            Occasion o;
            o.kind = ReachKind::birthday;
            o.consent = "marketing";
            o.key = "birthday:" + std::to_string(y);
            o.first_day = CivilDate{y, s.birthday->month, 1};
            o.last_day = end_of_month(o.first_day);
            o.date = o.first_day;
            if (o.last_day < from || is_done(s, done, o.key)) continue;
            const Text title = coupon_title(*bt);
            o.subject = {"生日月快乐！送您" + title.zh, "Happy birthday month! A gift for you: " + title.en};
            o.text = join(o.subject, Text{"，已放入“优惠券”。", "- it is in Coupons."});
            add(std::move(o));
            break;
        }
    }

    // Win-back: the member turns dormant (dormant_days without a purchase), until churned.
    const CouponTemplate* wt = p.coupon_template(p.issue.winback_template);
    if (wt) {
        if (auto last = latest_purchase(s)) {
            const CivilDate bought = z.local_date(last->at);
            Occasion o;
            o.kind = ReachKind::winback;
            o.consent = "marketing";
            o.key = "winback:" + last->txn_id;
            o.first_day = add_days(bought, p.segments.dormant_days);
            o.last_day = add_days(bought, p.segments.churned_days - 1);
            o.date = o.first_day;
            const Text title = coupon_title(*wt);
            o.subject = {"好久不见！送您" + title.zh, "We miss you! A coupon for your next visit: " + title.en};
            o.text = join(o.subject, Text{"，已放入“优惠券”。", "- it is in Coupons."});
            add(std::move(o));
        }
    }

    // Holiday packs, from the holiday's first day.
    for (const auto& h : p.issue.holidays) {
        const CouponTemplate* ht = p.coupon_template(h.template_id);
        if (!ht) continue;
        for (const auto& d : h.dates) {
            Occasion o;
            o.kind = ReachKind::holiday;
            o.consent = "marketing";
            o.key = "holiday:" + h.id + ":" + std::to_string(d.year);
            o.first_day = d;
            o.last_day = add_days(d, kHolidayDays - 1);
            o.date = d;
            const Text title = coupon_title(*ht);
            o.subject = {h.name.zh + "快乐！送您" + title.zh, "Happy " + h.name.en + "! A gift for you: " + title.en};
            o.text = join(o.subject, Text{"，已放入“优惠券”。", "- it is in Coupons."});
            add(std::move(o));
        }
    }
    return out;
}

const std::string& coupon_template_of(const ProgramConfig& p, const Occasion& o) {
    static const std::string none;
    if (o.kind == ReachKind::birthday) return p.issue.birthday_template;
    if (o.kind == ReachKind::winback) return p.issue.winback_template;
    if (o.kind == ReachKind::holiday) {
        // "holiday:<id>:<year>"
        const std::string id = o.key.substr(8, o.key.rfind(':') - 8);
        for (const auto& h : p.issue.holidays)
            if (h.id == id) return h.template_id;
    }
    return none;
}

}  // namespace

std::vector<Occasion> due_occasions(const ProgramConfig& p, const ZoneRules& z, const MemberState& s,
                                    const CivilDate& day, UnixSeconds at, const std::vector<std::string>& done) {
    std::vector<Occasion> out;
    for (auto& o : candidates(p, z, s, day, at, done)) {
        if (day < o.first_day) continue;
        // Judged at the review with what is bought so far: would the member keep the tier?
        if (o.kind == ReachKind::tier_review && s.tier.valid_until &&
            qualified_tier(p, z, s.purchases, *s.tier.valid_until, s.earlier_purchases) >=
                current_tier_index(p, s.tier))
            continue;
        const std::string& tpl = coupon_template_of(p, o);
        if (!tpl.empty()) {
            const CouponTemplate* t = p.coupon_template(tpl);
            if (!t) continue;
            const CouponSource src = o.kind == ReachKind::birthday  ? CouponSource::birthday
                                     : o.kind == ReachKind::winback ? CouponSource::winback
                                                                    : CouponSource::holiday;
            Text reason = o.kind == ReachKind::birthday ? Text{"生日月礼券", "Birthday month gift"}
                          : o.kind == ReachKind::winback
                              ? Text{"好久不见，送您一张券", "We miss you: a coupon for your next visit"}
                              : Text{o.subject.zh, o.subject.en};
            o.coupon = make_issue(*t, src, z, at, std::move(reason));
        }
        out.push_back(std::move(o));
    }
    std::stable_sort(out.begin(), out.end(), [](const Occasion& a, const Occasion& b) {
        if (a.kind != b.kind) return a.kind < b.kind;
        return a.key < b.key;
    });
    return out;
}

std::vector<Occasion> upcoming_occasions(const ProgramConfig& p, const ZoneRules& z, const MemberState& s,
                                         const CivilDate& from, UnixSeconds now, const std::vector<std::string>& done) {
    auto out = candidates(p, z, s, from, now, done);
    for (auto& o : out)
        if (o.first_day < from) o.first_day = from;
    std::stable_sort(out.begin(), out.end(), [](const Occasion& a, const Occasion& b) {
        if (a.first_day != b.first_day) return a.first_day < b.first_day;
        if (a.kind != b.kind) return a.kind < b.kind;
        return a.key < b.key;
    });
    return out;
}

std::optional<CivilDate> next_reach_day(const ProgramConfig& p, const ZoneRules& z, const MemberState& s,
                                        const CivilDate& from, UnixSeconds now, const std::vector<std::string>& done) {
    std::optional<CivilDate> best;
    for (const auto& o : candidates(p, z, s, from, now, done)) {
        const CivilDate d = o.first_day < from ? from : o.first_day;
        if (!best || d < *best) best = d;
    }
    return best;
}

}  // namespace memberdesk
