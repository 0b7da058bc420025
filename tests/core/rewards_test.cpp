// Rewards catalog: availability flags and redemption (points out + the reward's coupon in, one Plan).
#include <doctest/doctest.h>

#include <string>

#include "fixtures.hpp"
#include "memberdesk/rewards.hpp"

using namespace memberdesk;

namespace rewards_test {

namespace {

ProgramConfig preset(const char* name) {
    auto p = load_preset(name);
    if (!p) FAIL(p.error().message);
    return *p;
}

const UnixSeconds kNow = mdtest::at("2026-06-15T12:00:00+08:00");

// A member holding `points` spendable points in one lot that expires in a year.
MemberState member_with(Points points, const std::string& tier_id = "") {
    MemberState s;
    s.member_id = 7;
    s.joined_at = kNow - 400 * 86400;
    if (points > 0) s.lots.push_back(mdtest::make_lot(1, points, kNow - 86400, kNow + 365 * 86400));
    s.ledger_total = points;
    s.lifetime_earned = points;
    s.tier.tier_id = tier_id;
    s.tier.since = kNow - 30 * 86400;
    if (!tier_id.empty()) s.tier.valid_until = kNow + 300 * 86400;
    return s;
}

std::string redeem_error(const ProgramConfig& p, const MemberState& s, const std::string& id,
                         std::optional<int> stock = std::nullopt) {
    auto r = redeem_reward(p, mdtest::shanghai(), s, id, stock, kNow);
    return r.ok() ? std::string("ok") : std::string(to_string(r.error().code));
}

}  // namespace

TEST_CASE("rewards: availability says affordable exactly from the reward's cost") {
    auto p = preset("coffee");
    const Reward& coffee = *p.reward("premium_coffee");
    CHECK(reward_availability(p, member_with(500), coffee, std::nullopt, kNow).affordable);
    CHECK(reward_availability(p, member_with(501), coffee, std::nullopt, kNow).affordable);
    CHECK_FALSE(reward_availability(p, member_with(499), coffee, std::nullopt, kNow).affordable);
    CHECK_FALSE(reward_availability(p, member_with(0), coffee, std::nullopt, kNow).affordable);
}

TEST_CASE("rewards: pending and expired points do not make a reward affordable") {
    auto p = preset("coffee");
    const Reward& coffee = *p.reward("premium_coffee");
    MemberState s = member_with(0);
    Lot pending = mdtest::make_lot(1, 600, kNow - 86400, kNow + 365 * 86400);
    pending.available_at = kNow + 86400;
    Lot expired = mdtest::make_lot(2, 600, kNow - 400 * 86400, kNow - 1);
    s.lots = {pending, expired};
    CHECK_FALSE(reward_availability(p, s, coffee, std::nullopt, kNow).affordable);
    CHECK(redeem_error(p, s, "premium_coffee") == "insufficient_points");
}

TEST_CASE("rewards: redeeming deducts the cost and issues the reward's coupon in one plan") {
    auto p = preset("coffee");
    MemberState s = member_with(650);
    auto plan = redeem_reward(p, mdtest::shanghai(), s, "premium_coffee", std::nullopt, kNow);
    REQUIRE(plan.ok());
    REQUIRE(plan->entries.size() == 1);
    CHECK(plan->entries[0].type == EntryType::redeem);
    CHECK(plan->entries[0].points == -500);
    CHECK(plan->entries[0].reason.en.find("Premium coffee") != std::string::npos);
    CHECK(plan->entries[0].reason.zh.find("精品咖啡") != std::string::npos);
    CHECK(plan->entries[0].ref == "premium_coffee");
    REQUIRE(plan->coupons.size() == 1);
    const CouponIssue& c = plan->coupons[0];
    CHECK(c.template_id == "premium_coffee");
    CHECK(c.source == CouponSource::reward);
    CHECK(c.valid_from == kNow);
    // premium_coffee is valid for 30 local days including the issue day.
    CHECK(c.valid_until == mdtest::at("2026-07-14T23:59:59+08:00"));

    std::int64_t next = 10;
    apply_plan(s, *plan, next);
    CHECK(balances(p, s, kNow).balance == 150);
    REQUIRE(s.coupons.size() == 1);
    CHECK(s.coupons[0].template_id == "premium_coffee");
}

TEST_CASE("rewards: redeeming with too few points fails with insufficient_points and changes nothing") {
    auto p = preset("coffee");
    const MemberState s = member_with(499);
    const MemberState before = s;
    auto plan = redeem_reward(p, mdtest::shanghai(), s, "premium_coffee", std::nullopt, kNow);
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.error().code == ErrorCode::insufficient_points);
    CHECK(s.lots.size() == before.lots.size());
    CHECK(s.lots[0].remaining == 499);
    CHECK(balances(p, s, kNow).balance == 499);
    CHECK(s.coupons.empty());
}

TEST_CASE("rewards: out of stock when storage counts none left, or the configured stock is 0") {
    auto p = preset("coffee");
    MemberState elite = member_with(5000, "elite");
    const Reward& tumbler = *p.reward("tumbler");
    CHECK(reward_availability(p, elite, tumbler, 3, kNow).in_stock);
    CHECK_FALSE(reward_availability(p, elite, tumbler, 0, kNow).in_stock);
    CHECK(redeem_error(p, elite, "tumbler", 0) == "out_of_stock");
    CHECK(redeem_error(p, elite, "tumbler", 1) == "ok");
    // Storage not tracking the item: the configured stock (200) applies.
    CHECK(reward_availability(p, elite, tumbler, std::nullopt, kNow).in_stock);
    p.rewards[2].stock = 0;
    CHECK(redeem_error(p, elite, "tumbler") == "out_of_stock");
    // No stock configured = unlimited.
    CHECK(reward_availability(p, elite, *p.reward("pastry"), std::nullopt, kNow).in_stock);
}

TEST_CASE("rewards: a salon Regular member cannot redeem at all; Silver can, up to the reward's min tier") {
    auto p = preset("salon");
    MemberState regular = member_with(5000);  // empty tier id = entry tier (Regular)
    for (const auto& r : p.rewards) {
        CAPTURE(r.id);
        CHECK_FALSE(reward_availability(p, regular, r, std::nullopt, kNow).tier_allowed);
        CHECK(redeem_error(p, regular, r.id) == "tier_not_allowed");
    }
    MemberState silver = member_with(5000, "silver");
    CHECK(redeem_error(p, silver, "hair_mask") == "ok");
    CHECK(reward_availability(p, silver, *p.reward("hair_mask"), std::nullopt, kNow).tier_allowed);
    CHECK_FALSE(reward_availability(p, silver, *p.reward("scalp_spa"), std::nullopt, kNow).tier_allowed);
    CHECK(redeem_error(p, silver, "scalp_spa") == "tier_not_allowed");
    MemberState gold = member_with(5000, "gold");
    CHECK(redeem_error(p, gold, "scalp_spa") == "ok");
    MemberState platinum = member_with(5000, "platinum");
    CHECK(redeem_error(p, platinum, "scalp_spa") == "ok");
}

TEST_CASE("rewards: the tier check comes before stock and points") {
    auto p = preset("coffee");
    MemberState standard = member_with(10);
    CHECK(redeem_error(p, standard, "tumbler", 0) == "tier_not_allowed");
    MemberState elite = member_with(10, "elite");
    CHECK(redeem_error(p, elite, "tumbler", 0) == "out_of_stock");
    CHECK(redeem_error(p, elite, "tumbler", 5) == "insufficient_points");
}

TEST_CASE("rewards: an unknown reward id fails with unknown_reward") {
    auto p = preset("coffee");
    CHECK(redeem_error(p, member_with(5000), "gold_bar") == "unknown_reward");
}

TEST_CASE("rewards: redemption spends the soonest-expiring points first") {
    auto p = preset("coffee");
    MemberState s = member_with(0);
    s.lots = {mdtest::make_lot(1, 400, kNow - 100, kNow + 200 * 86400),
              mdtest::make_lot(2, 400, kNow - 100, kNow + 10 * 86400)};
    s.ledger_total = 800;
    auto plan = redeem_reward(p, mdtest::shanghai(), s, "premium_coffee", std::nullopt, kNow);
    REQUIRE(plan.ok());
    std::int64_t next = 10;
    apply_plan(s, *plan, next);
    for (const auto& l : s.lots) {
        if (l.id == 2) CHECK(l.remaining == 0);
        if (l.id == 1) CHECK(l.remaining == 300);
    }
}

}  // namespace rewards_test
