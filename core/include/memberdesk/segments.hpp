// Lifecycle segments: exactly one per member, recomputed from history. Internal only.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "memberdesk/ledger.hpp"

namespace memberdesk {

enum class Segment { new_member, core, active, potential, dormant, churned };
const char* to_string(Segment s);  // "new", "core", "active", "potential", "dormant", "churned"
constexpr int kSegmentCount = 6;   // Segment's values are 0..kSegmentCount-1

// The threshold tests of the segment rule, each on its own; `segment_from` applies the precedence.
// Storage computes the same tests in SQL for a grouped count (staff reports), so the precedence
// stays here only.
struct SegmentTests {
    bool recent_join = false;  // joined fewer than new_days local days ago
    bool churned = false;      // idle days >= churned_days
    bool dormant = false;      // idle days >= dormant_days
    bool bought = false;       // a purchase with net spend > 0
    bool core = false;         // 3-month window net spend > 3 * core_monthly
    bool active = false;       // 3-month window net spend >= 3 * active_monthly
};
// `idle_days`: local days since the last purchase with net spend, nullopt when there is none (the
// days of membership count then).
SegmentTests segment_tests(const SegmentRule& rule, std::int64_t days_member, std::optional<std::int64_t> idle_days,
                           Cents window_spend);
Segment segment_from(const SegmentTests& t);

Segment segment_of(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, UnixSeconds now);

// What a member's segment needs of their purchases, kept per member by storage (member_activity):
// the last purchase with net spend and the net spend of the local months `month`, `month` - 1 and
// `month` - 2 (`net[i]` is month - i; no purchase counts in a later month). Lifetime figures too,
// for the at-risk list.
struct MemberActivity {
    std::optional<UnixSeconds> last_spend_at;
    int month = 0;  // month_index of the latest month of `net`
    std::array<Cents, 3> net{};
    Cents lifetime_net = 0;      // Σ amount - refunded of every purchase
    std::int64_t purchases = 0;  // every purchase, refunded or not
    bool operator==(const MemberActivity& o) const {
        return last_spend_at == o.last_spend_at && month == o.month && net == o.net && lifetime_net == o.lifetime_net &&
               purchases == o.purchases;
    }
    bool operator!=(const MemberActivity& o) const { return !(*this == o); }
};
// Adds `delta` to the net spend of local month `month` (older than the three kept: nothing).
void add_month_net(MemberActivity& a, int month, Cents delta);
// The net spend of the local months this_month - 2 .. this_month (this_month >= a.month).
Cents window_net(const MemberActivity& a, int this_month);
// Adds a purchase made in local month `month` to the row.
void add_purchase(MemberActivity& a, int month, const Purchase& p);
// Folds one purchase into the row: inserted (`old` empty) or changed (a refund; `old` is its row
// before). False when the row cannot follow without the member's other purchases (the last
// purchase with spend lost it, or a purchase moved to an earlier month): then `a` is unchanged and
// the caller computes the row anew with activity_of.
bool fold_purchase(MemberActivity& a, const ZoneRules& z, const std::optional<Purchase>& old, const Purchase& p);
// The activity of a member's purchases (every one of them), for building and checking the rows.
MemberActivity activity_of(const ZoneRules& z, const std::vector<Purchase>& purchases);
// The member's segment from the activity row: segment_of on the whole state when no purchase is
// after `now`.
Segment segment_of_activity(const SegmentRule& rule, const ZoneRules& z, UnixSeconds joined_at, const MemberActivity& a,
                            UnixSeconds now);

// Offers of the program that target the member's segment (labels never leave the server).
std::vector<const Offer*> offers_for(const ProgramConfig& p, Segment seg);

}  // namespace memberdesk
