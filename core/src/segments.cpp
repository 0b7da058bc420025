// Lifecycle segments: exactly one per member, recomputed from the purchase history.
#include "memberdesk/segments.hpp"

#include <algorithm>
#include <optional>

namespace memberdesk {

const char* to_string(Segment s) {
    switch (s) {
        case Segment::new_member: return "new";
        case Segment::core: return "core";
        case Segment::active: return "active";
        case Segment::potential: return "potential";
        case Segment::dormant: return "dormant";
        case Segment::churned: return "churned";
    }
    return "potential";
}

// Precedence (the first rule that matches wins, so each member is in exactly one segment):
//   1. new       joined fewer than new_days local calendar days ago (joined today = day 0), whatever
//                they bought;
//   2. churned   no purchase for churned_days or more (days since the last purchase's local date),
//                or never bought and joined churned_days or more ago;
//   3. dormant   likewise with dormant_days;
//   4. core      average monthly net spend over the last 3 local calendar months (the current month
//                and the two before it) > core_monthly;
//   5. active    that average >= active_monthly;
//   6. potential everyone else: bought before but less, or never bought yet and not long enough a
//                member to be dormant.
// "Purchase" means one with a net amount (amount - refunded) above zero: a fully refunded order is
// not a visit. The average is compared exactly, without dividing: sum > 3 * core_monthly.
SegmentTests segment_tests(const SegmentRule& rule, std::int64_t days_member, std::optional<std::int64_t> idle_days,
                           Cents window_spend) {
    const std::int64_t idle = idle_days ? *idle_days : days_member;
    SegmentTests t;
    t.recent_join = days_member < rule.new_days;
    t.churned = idle >= rule.churned_days;
    t.dormant = idle >= rule.dormant_days;
    t.bought = idle_days.has_value();
    t.core = window_spend > 3 * rule.core_monthly;
    t.active = window_spend >= 3 * rule.active_monthly;
    return t;
}

Segment segment_from(const SegmentTests& t) {
    if (t.recent_join) return Segment::new_member;
    if (t.churned) return Segment::churned;
    if (t.dormant) return Segment::dormant;
    if (!t.bought) return Segment::potential;
    if (t.core) return Segment::core;
    if (t.active) return Segment::active;
    return Segment::potential;
}

Segment segment_of(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, UnixSeconds now) {
    const std::int64_t today = days_from_civil(z.local_date(now));
    const std::int64_t days_member = today - days_from_civil(z.local_date(s.joined_at));

    // A snapshot's summarised purchases were all made at or before now (snapshot_covers).
    const PurchaseSummary& earlier = s.earlier_purchases;
    std::optional<UnixSeconds> last = earlier.last_with_spend_at;
    const int this_month = month_index(z.local_date(now));
    Cents window_spend = 0;
    for (const auto& m : earlier.months)
        if (m.month > this_month - 3 && m.month <= this_month) window_spend += m.net;
    for (const auto& pu : s.purchases) {
        if (pu.at > now) continue;
        Cents net = pu.amount - pu.refunded;
        if (net <= 0) continue;
        if (!last || pu.at > *last) last = pu.at;
        int m = month_index(z.local_date(pu.at));
        if (m > this_month - 3 && m <= this_month) window_spend += net;
    }
    std::optional<std::int64_t> idle;
    if (last) idle = today - days_from_civil(z.local_date(*last));
    return segment_from(segment_tests(p.segments, days_member, idle, window_spend));
}

// A later month moves the window even with no spend (a refunded purchase): the kept months are then
// the latest month of any purchase and the two before it, whatever the order of the writes.
void add_month_net(MemberActivity& a, int month, Cents delta) {
    if (month > a.month) {
        // Move the kept months down: net[i] was month a.month - i, becomes index month - (a.month - i).
        const int shift = month - a.month;
        std::array<Cents, 3> moved{};
        for (int i = 0; i + shift < 3; ++i)
            moved[static_cast<std::size_t>(i + shift)] = a.net[static_cast<std::size_t>(i)];
        a.net = moved;
        a.month = month;
    }
    const int i = a.month - month;
    if (i < 3) a.net[static_cast<std::size_t>(i)] += delta;
}

Cents window_net(const MemberActivity& a, int this_month) {
    Cents sum = 0;
    for (int i = 0; i < 3; ++i) {
        const int m = a.month - i;
        if (m > this_month - 3 && m <= this_month) sum += a.net[static_cast<std::size_t>(i)];
    }
    return sum;
}

void add_purchase(MemberActivity& a, int month, const Purchase& p) {
    const Cents net = p.amount - p.refunded;
    a.lifetime_net += net;
    a.purchases += 1;
    add_month_net(a, month, net);
    if (net > 0 && (!a.last_spend_at || p.at > *a.last_spend_at)) a.last_spend_at = p.at;
}

bool fold_purchase(MemberActivity& a, const ZoneRules& z, const std::optional<Purchase>& old, const Purchase& p) {
    const int month = month_index(z.local_date(p.at));
    if (!old) {
        add_purchase(a, month, p);
        return true;
    }
    const Cents net = p.amount - p.refunded, old_net = old->amount - old->refunded;
    const int old_month = month_index(z.local_date(old->at));
    if (month < old_month) return false;
    if (old_net > 0 && a.last_spend_at == old->at && (net <= 0 || p.at < old->at)) return false;
    a.lifetime_net += net - old_net;
    add_month_net(a, old_month, -old_net);
    add_month_net(a, month, net);
    if (net > 0 && (!a.last_spend_at || p.at > *a.last_spend_at)) a.last_spend_at = p.at;
    return true;
}

MemberActivity activity_of(const ZoneRules& z, const std::vector<Purchase>& purchases) {
    MemberActivity a;
    for (const auto& p : purchases) add_purchase(a, month_index(z.local_date(p.at)), p);
    return a;
}

Segment segment_of_activity(const SegmentRule& rule, const ZoneRules& z, UnixSeconds joined_at, const MemberActivity& a,
                            UnixSeconds now) {
    const std::int64_t today = days_from_civil(z.local_date(now));
    const std::int64_t days_member = today - days_from_civil(z.local_date(joined_at));
    std::optional<std::int64_t> idle;
    if (a.last_spend_at) idle = today - days_from_civil(z.local_date(*a.last_spend_at));
    return segment_from(segment_tests(rule, days_member, idle, window_net(a, month_index(z.local_date(now)))));
}

std::vector<const Offer*> offers_for(const ProgramConfig& p, Segment seg) {
    std::vector<const Offer*> out;
    const std::string label = to_string(seg);
    for (const auto& o : p.offers)
        if (std::find(o.segments.begin(), o.segments.end(), label) != o.segments.end()) out.push_back(&o);
    return out;
}

}  // namespace memberdesk
