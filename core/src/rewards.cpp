// Rewards catalog: is a reward redeemable, and redeeming it (points out + coupon in) as one Plan.
#include "memberdesk/rewards.hpp"

#include "memberdesk/coupons.hpp"
#include "memberdesk/tiers.hpp"

namespace memberdesk {

namespace {

// `stock_left` is what storage counts as still available; when it does not track the item the
// configured stock applies; neither means unlimited.
bool has_stock(const Reward& r, std::optional<int> stock_left) {
    if (stock_left) return *stock_left > 0;
    if (r.stock) return *r.stock > 0;
    return true;
}

bool tier_allows(const ProgramConfig& p, const MemberState& s, const Reward& r) {
    int idx = current_tier_index(p, s.tier);
    if (idx >= 0 && idx < static_cast<int>(p.tiers.size()) && !p.tiers[static_cast<std::size_t>(idx)].can_redeem)
        return false;
    if (!r.min_tier.empty()) {
        int need = p.tier_index(r.min_tier);
        if (need >= 0 && idx < need) return false;
    }
    return true;
}

}  // namespace

RewardAvailability reward_availability(const ProgramConfig& p, const MemberState& s, const Reward& r,
                                       std::optional<int> stock_left, UnixSeconds now) {
    RewardAvailability a;
    a.affordable = balances(p, s, now).balance >= r.cost;
    a.tier_allowed = tier_allows(p, s, r);
    a.in_stock = has_stock(r, stock_left);
    return a;
}

Result<Plan> redeem_reward(const ProgramConfig& p, const ZoneRules& z, const MemberState& s,
                           const std::string& reward_id, std::optional<int> stock_left, UnixSeconds now) {
    const Reward* r = p.reward(reward_id);
    if (!r) return make_error(ErrorCode::unknown_reward, "no reward \"" + reward_id + "\" in the catalog");
    if (!tier_allows(p, s, *r)) {
        const TierDef* need = r->min_tier.empty() ? nullptr : p.tier(r->min_tier);
        std::string msg =
            need ? "this reward needs tier " + need->name.en + " or above" : "your tier cannot redeem points yet";
        int idx = current_tier_index(p, s.tier);
        if (idx >= 0 && idx < static_cast<int>(p.tiers.size()) && !p.tiers[static_cast<std::size_t>(idx)].can_redeem)
            msg = "tier " + p.tiers[static_cast<std::size_t>(idx)].name.en + " cannot redeem points";
        return make_error(ErrorCode::tier_not_allowed, msg);
    }
    if (!has_stock(*r, stock_left))
        return make_error(ErrorCode::out_of_stock, "\"" + r->name.en + "\" is out of stock");
    const CouponTemplate* t = p.coupon_template(r->template_id);
    if (!t)  // parse_program rejects such a config; guard against a hand-built one
        return make_error(ErrorCode::invalid_program, "rewards: template \"" + r->template_id + "\" not found");

    Text reason{"兑换：" + r->name.zh, "Redeemed: " + r->name.en};
    auto plan = spend_points(p, s, r->cost, EntryType::redeem, reason, r->id, now);
    if (!plan) return plan.error();  // insufficient_points: nothing changes
    plan->coupons.push_back(make_issue(*t, CouponSource::reward, z, now, reason));
    return plan;
}

}  // namespace memberdesk
