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
Segment segment_of(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, UnixSeconds now) {
    const SegmentRule& rule = p.segments;
    const std::int64_t today = days_from_civil(z.local_date(now));
    const std::int64_t days_member = today - days_from_civil(z.local_date(s.joined_at));
    if (days_member < rule.new_days) return Segment::new_member;

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

    const std::int64_t idle_days = last ? today - days_from_civil(z.local_date(*last)) : days_member;
    if (idle_days >= rule.churned_days) return Segment::churned;
    if (idle_days >= rule.dormant_days) return Segment::dormant;
    if (!last) return Segment::potential;
    if (window_spend > 3 * rule.core_monthly) return Segment::core;
    if (window_spend >= 3 * rule.active_monthly) return Segment::active;
    return Segment::potential;
}

std::vector<const Offer*> offers_for(const ProgramConfig& p, Segment seg) {
    std::vector<const Offer*> out;
    const std::string label = to_string(seg);
    for (const auto& o : p.offers)
        if (std::find(o.segments.begin(), o.segments.end(), label) != o.segments.end()) out.push_back(&o);
    return out;
}

}  // namespace memberdesk
