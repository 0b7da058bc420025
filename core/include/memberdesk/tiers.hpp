// Tier qualification (rolling_spend, monthly_streak), upgrade/hold/downgrade, and progress.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "memberdesk/ledger.hpp"

namespace memberdesk {

// `earlier`: what a snapshot summarises of the purchases it does not list (snapshot.hpp); a snapshot
// passes it and must cover `now` (snapshot_covers).
// Qualifying spend (net of refunds) in the rolling window ending at `now` (local months). The window
// never reaches back to summarised purchases of a snapshot that covers `now`.
// First instant after which purchases count for the rolling window ending at `now`: the same local
// wall time window_months earlier (day clamped).
UnixSeconds rolling_window_start(const ProgramConfig& p, const ZoneRules& z, UnixSeconds now);
Cents rolling_spend(const ProgramConfig& p, const ZoneRules& z, const std::vector<Purchase>& purchases,
                    UnixSeconds now);
// Consecutive calendar months (ending with the current month if it already meets the minimum,
// else with the previous month) whose net spend >= monthly_minimum.
int monthly_streak(const ProgramConfig& p, const ZoneRules& z, const std::vector<Purchase>& purchases, UnixSeconds now,
                   const PurchaseSummary& earlier = {});
// Highest tier index the purchase history qualifies for at `now`.
int qualified_tier(const ProgramConfig& p, const ZoneRules& z, const std::vector<Purchase>& purchases, UnixSeconds now,
                   const PurchaseSummary& earlier = {});
// Index of the member's current tier (entry tier if empty/unknown).
int current_tier_index(const ProgramConfig& p, const TierStatus& t);

// Upgrade check right after a purchase is recorded (purchases include it). Empty if no change.
std::optional<TierChange> upgrade_after_purchase(const ProgramConfig& p, const ZoneRules& z, const MemberState& s,
                                                 UnixSeconds now);
// Re-evaluation when valid_until has passed: hold/upgrade (new valid_until) or downgrade
// at most max_downgrade_steps. Empty if not due.
std::optional<TierChange> reevaluate_tier(const ProgramConfig& p, const ZoneRules& z, const MemberState& s,
                                          UnixSeconds now);

struct TierProgress {
    int tier_index = 0;
    std::string tier_id;
    std::optional<UnixSeconds> valid_until;
    int multiplier_percent = 100;
    std::optional<int> next_tier_index;  // none at the top
    std::string next_tier_id;
    Cents remaining_spend = 0;        // rolling_spend: to reach next tier
    int remaining_months = 0;         // monthly_streak: to reach next tier
    Cents month_remaining_spend = 0;  // monthly_streak: still needed this month
    int percent = 0;                  // 0..100 toward the next tier (100 at the top)
    Cents window_spend = 0;           // current qualifying spend / streak months below
    int streak_months = 0;
    Text keep_requirement;  // what keeps the current tier at valid_until
    Text next_requirement;  // what reaches the next tier
};
TierProgress tier_progress(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, UnixSeconds now);

}  // namespace memberdesk
