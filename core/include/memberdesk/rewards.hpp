// Rewards catalog: redeem points for a coupon as one decision.
#pragma once
#include <optional>

#include "memberdesk/ledger.hpp"

namespace memberdesk {

struct RewardAvailability {
    bool affordable = false;   // enough spendable points
    bool tier_allowed = true;  // tier restriction and tier can_redeem
    bool in_stock = true;
};
RewardAvailability reward_availability(const ProgramConfig& p, const MemberState& s, const Reward& r,
                                       std::optional<int> stock_left, UnixSeconds now);

// Deduct points (soonest expiry first) and issue the reward's coupon, or fail with
// insufficient_points / out_of_stock / tier_not_allowed / unknown_reward.
Result<Plan> redeem_reward(const ProgramConfig& p, const ZoneRules& z, const MemberState& s,
                           const std::string& reward_id, std::optional<int> stock_left, UnixSeconds now);

}  // namespace memberdesk
