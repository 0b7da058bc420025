// Tier qualification, upgrade, hold/downgrade at valid_until, and the progress shown to members.
#include "fixtures.hpp"

using namespace memberdesk;

namespace tiers_test {
using mdtest::at;

namespace {

Purchase purchase(const std::string& txn, Cents amount, UnixSeconds t) {
    Purchase p;
    p.txn_id = txn;
    p.amount = amount;
    p.at = t;
    return p;
}

// Salon-like: Regular / Silver / Gold / Platinum by 0 / 3 / 6 / 12 consecutive months of >= 300 yuan;
// Platinum also needs 10,000 yuan lifetime spend.
ProgramConfig salon() {
    auto p = mdtest::coffee();
    p.id = "salon";
    p.tier_rule = TierRule{TierRuleKind::monthly_streak, 12, 30000, 12, 1};
    p.tiers = {mdtest::tier("regular", "普通", "Regular", 0, 100), mdtest::tier("silver", "银卡", "Silver", 0, 110),
               mdtest::tier("gold", "金卡", "Gold", 0, 120), mdtest::tier("platinum", "白金", "Platinum", 0, 150)};
    p.tiers[1].min_months = 3;
    p.tiers[2].min_months = 6;
    p.tiers[3].min_months = 12;
    p.tiers[3].min_lifetime_spend = 1000000;
    p.issue.spend_back.clear();
    return p;
}

MemberState member_at(const std::string& tier_id, UnixSeconds since, std::optional<UnixSeconds> until) {
    MemberState s;
    s.tier = TierStatus{tier_id, since, until};
    return s;
}

}  // namespace

TEST_CASE("tiers: rolling spend covers the last 12 local months ending now") {
    auto p = mdtest::coffee();
    const auto& z = mdtest::shanghai();
    const UnixSeconds now = at("2027-03-15T04:00:00Z");                          // 12:00 local
    std::vector<Purchase> ps = {purchase("A", 100, at("2026-03-15T04:00:00Z")),  // exactly 12 months: out
                                purchase("B", 200, at("2026-03-15T04:00:01Z")),  // in
                                purchase("C", 400, now),                         // in
                                purchase("D", 800, now + 1)};                    // future: out
    CHECK(rolling_spend(p, z, ps, now) == 600);
    p.tier_rule.window_months = 1;
    CHECK(rolling_spend(p, z, ps, now) == 400);
}

TEST_CASE("tiers: the rolling window is measured in local months with month-end clamping") {
    auto p = mdtest::coffee();
    const auto& z = mdtest::shanghai();
    // 2028-02-29 01:00 local; 12 local months earlier is 2027-02-28 01:00 local = 2027-02-27T17:00Z
    // (a window computed on UTC dates would start a day later and miss this purchase).
    const UnixSeconds now = at("2028-02-28T17:00:00Z");
    std::vector<Purchase> ps = {purchase("A", 100, at("2027-02-28T12:00:00Z")),
                                purchase("B", 200, at("2027-02-27T16:59:59Z"))};
    CHECK(rolling_spend(p, z, ps, now) == 100);
}

TEST_CASE("tiers: qualification picks the highest tier whose threshold is met") {
    auto p = mdtest::coffee();
    const auto& z = mdtest::shanghai();
    const UnixSeconds now = at("2026-06-01T00:00:00Z");
    CHECK(qualified_tier(p, z, {}, now) == 0);
    CHECK(qualified_tier(p, z, {purchase("A", 119999, now)}, now) == 0);
    CHECK(qualified_tier(p, z, {purchase("A", 120000, now)}, now) == 1);
    CHECK(qualified_tier(p, z, {purchase("A", 360000, now)}, now) == 2);
    auto refunded = purchase("A", 360000, now);
    refunded.refunded = 250000;
    CHECK(qualified_tier(p, z, {refunded}, now) == 0);
    CHECK(current_tier_index(p, TierStatus{}) == 0);
    CHECK(current_tier_index(p, TierStatus{"elite", 0, std::nullopt}) == 2);
    CHECK(current_tier_index(p, TierStatus{"retired-tier", 0, std::nullopt}) == 0);
}

TEST_CASE("tiers: an upgrade is held through the same local date valid_months later, clamped") {
    auto p = mdtest::coffee();
    const auto& z = mdtest::shanghai();
    MemberState s;
    const UnixSeconds t = at("2028-02-29T03:00:00Z");
    s.purchases = {purchase("A", 400000, t)};
    auto c = upgrade_after_purchase(p, z, s, t);
    REQUIRE(c);
    CHECK(c->from == "standard");
    CHECK(c->to == "elite");
    CHECK(c->status.valid_until == at("2029-02-28T15:59:59Z"));
    // Already at the qualified tier: nothing to do (valid_until is not extended by purchases).
    s.tier = c->status;
    CHECK_FALSE(upgrade_after_purchase(p, z, s, t + 10));
}

TEST_CASE("tiers: re-evaluation is due only after valid_until and holds a tier that is still earned") {
    auto p = mdtest::coffee();
    const auto& z = mdtest::shanghai();
    const UnixSeconds vu = at("2027-04-01T15:59:59Z");
    auto s = member_at("premium", at("2026-03-31T16:30:00Z"), vu);
    s.purchases = {purchase("A", 130000, at("2026-09-01T04:00:00Z"))};
    CHECK_FALSE(reevaluate_tier(p, z, s, vu));
    auto c = reevaluate_tier(p, z, s, vu + 1);
    REQUIRE(c);
    CHECK(c->to == "premium");
    CHECK(c->status.since == s.tier.since);
    CHECK(c->status.valid_until == at("2028-04-01T15:59:59Z"));
    CHECK(c->reason.en == "Kept Premium until 2028-04-01");
}

TEST_CASE("tiers: re-evaluation judges the spend as of valid_until, not as of the later catch-up") {
    auto p = mdtest::coffee();
    const auto& z = mdtest::shanghai();
    const UnixSeconds vu = at("2027-04-01T15:59:59Z");
    auto s = member_at("premium", at("2026-03-31T16:30:00Z"), vu);
    s.purchases = {purchase("A", 130000, at("2026-04-10T04:00:00Z"))};
    // Looked at two months late: the purchase is outside the window ending now but inside the one
    // ending at valid_until, so the tier is kept.
    auto c = reevaluate_tier(p, z, s, at("2027-06-01T00:00:00Z"));
    REQUIRE(c);
    CHECK(c->to == "premium");
}

TEST_CASE("tiers: downgrade is limited to max_downgrade_steps and never below the qualified tier") {
    auto p = mdtest::coffee();
    const auto& z = mdtest::shanghai();
    const UnixSeconds vu = at("2027-04-01T15:59:59Z");
    auto s = member_at("elite", at("2026-03-31T16:30:00Z"), vu);
    auto c = reevaluate_tier(p, z, s, vu + 1);
    REQUIRE(c);
    CHECK(c->from == "elite");
    CHECK(c->to == "premium");  // one step, though nothing qualifies
    CHECK(c->status.since == vu + 1);
    CHECK(c->status.valid_until == at("2028-04-01T15:59:59Z"));
    CHECK(c->reason.en == "Tier changed to Premium");

    p.tier_rule.max_downgrade_steps = 2;
    c = reevaluate_tier(p, z, s, vu + 1);
    REQUIRE(c);
    CHECK(c->to == "standard");
    CHECK_FALSE(c->status.valid_until);  // the entry tier does not expire

    s.purchases = {purchase("A", 150000, at("2026-12-01T04:00:00Z"))};
    c = reevaluate_tier(p, z, s, vu + 1);
    REQUIRE(c);
    CHECK(c->to == "premium");  // qualified tier beats the two-step limit
}

TEST_CASE("tiers: catch_up repeats re-evaluation for every period that passed") {
    mdtest::Sim m;
    const UnixSeconds vu = at("2027-04-01T15:59:59Z");
    m.s.tier = TierStatus{"elite", at("2026-03-31T16:30:00Z"), vu};
    // Two years and a bit later: elite -> premium at 2027-04-01, premium -> standard at 2028-04-01.
    Plan plan = m.catch_up_at(at("2029-05-01T00:00:00Z"));
    REQUIRE(plan.tier_change);
    CHECK(plan.tier_change->from == "elite");
    CHECK(plan.tier_change->to == "standard");
    CHECK_FALSE(plan.tier_change->status.valid_until);
    CHECK(plan.tier_change->status.since == at("2028-04-01T15:59:59Z") + 1);
    CHECK(m.s.tier.tier_id == "standard");
    // One period only: just one step down.
    mdtest::Sim n;
    n.s.tier = TierStatus{"elite", at("2026-03-31T16:30:00Z"), vu};
    plan = n.catch_up_at(at("2027-05-01T00:00:00Z"));
    REQUIRE(plan.tier_change);
    CHECK(plan.tier_change->to == "premium");
    CHECK(plan.tier_change->status.valid_until == at("2028-04-01T15:59:59Z"));
}

TEST_CASE("tiers: monthly streak counts consecutive local months meeting the minimum") {
    auto p = salon();
    const auto& z = mdtest::shanghai();
    std::vector<Purchase> ps = {
        purchase("J", 30000, at("2026-01-15T04:00:00Z")), purchase("F", 30000, at("2026-02-15T04:00:00Z")),
        purchase("M1", 10000, at("2026-03-02T04:00:00Z")), purchase("M2", 20000, at("2026-03-20T04:00:00Z"))};
    CHECK(monthly_streak(p, z, ps, at("2026-03-25T04:00:00Z")) == 3);
    CHECK(monthly_streak(p, z, ps, at("2026-03-10T04:00:00Z")) == 2);  // March not met yet: ends with February
    CHECK(monthly_streak(p, z, ps, at("2026-04-10T04:00:00Z")) == 3);  // April not met yet
    CHECK(monthly_streak(p, z, ps, at("2026-05-10T04:00:00Z")) == 0);  // April missed
    // 2026-03-31T16:30Z belongs to April locally.
    ps.push_back(purchase("A", 30000, at("2026-03-31T16:30:00Z")));
    CHECK(monthly_streak(p, z, ps, at("2026-04-10T04:00:00Z")) == 4);
    // A refund can break a month.
    ps[1].refunded = 1;
    CHECK(monthly_streak(p, z, ps, at("2026-04-10T04:00:00Z")) == 2);
    // Minimum 0: months without any spend still do not count.
    p.tier_rule.monthly_minimum = 0;
    CHECK(monthly_streak(p, z, {purchase("X", 1, at("2026-03-02T04:00:00Z"))}, at("2026-03-10T04:00:00Z")) == 1);
}

TEST_CASE("tiers: monthly streak tiers may also require lifetime spend") {
    auto p = salon();
    const auto& z = mdtest::shanghai();
    std::vector<Purchase> ps;
    for (int m = 1; m <= 12; ++m)
        ps.push_back(
            purchase("P" + std::to_string(m), 50000, mdtest::shanghai().start_of_day(mdtest::date(2026, m, 10))));
    const UnixSeconds now = at("2026-12-20T00:00:00Z");
    CHECK(monthly_streak(p, z, ps, now) == 12);
    CHECK(qualified_tier(p, z, ps, now) == 2);  // 6,000 yuan lifetime: Gold, not Platinum
    ps.push_back(purchase("BIG", 400000, at("2026-12-21T00:00:00Z")));
    CHECK(qualified_tier(p, z, ps, now + 86400) == 3);
}

TEST_CASE("tiers: progress shows the spend still needed for the next tier in both languages") {
    mdtest::Sim m;
    m.s.tier = TierStatus{"premium", at("2026-03-31T16:30:00Z"), at("2027-04-01T15:59:59Z")};
    m.s.purchases = {purchase("A", 324000, at("2026-06-01T04:00:00Z"))};
    auto tp = tier_progress(m.p, m.z, m.s, at("2026-07-01T04:00:00Z"));
    CHECK(tp.tier_id == "premium");
    CHECK(tp.tier_index == 1);
    CHECK(tp.multiplier_percent == 120);
    CHECK(tp.valid_until == at("2027-04-01T15:59:59Z"));
    REQUIRE(tp.next_tier_index);
    CHECK(*tp.next_tier_index == 2);
    CHECK(tp.next_tier_id == "elite");
    CHECK(tp.window_spend == 324000);
    CHECK(tp.remaining_spend == 36000);
    CHECK(tp.percent == 90);
    CHECK(tp.next_requirement.zh == "再消费¥360升级为尊享");
    CHECK(tp.next_requirement.en == "Spend ¥360 more to reach Elite");
    CHECK(tp.keep_requirement.en == "You already qualify to keep Premium at the review on 2027-04-01");
}

TEST_CASE("tiers: keep requirement counts only spend inside the window judged at valid_until") {
    mdtest::Sim m;
    m.earn("T1", 110000, at("2026-03-01T04:00:00Z"));
    m.earn("T2", 20000, at("2026-03-31T16:30:00Z"));  // upgrade on 2026-04-01 local
    REQUIRE(m.s.tier.tier_id == "premium");
    auto tp = tier_progress(m.p, m.z, m.s, at("2026-04-02T04:00:00Z"));
    CHECK(tp.keep_requirement.zh == "2027-04-01前再消费¥1,200即可保持优选");
    CHECK(tp.keep_requirement.en == "Spend ¥1,200 more by 2027-04-01 to keep Premium");
    m.earn("T3", 50000, at("2026-06-01T04:00:00Z"));
    tp = tier_progress(m.p, m.z, m.s, at("2026-06-02T04:00:00Z"));
    CHECK(tp.keep_requirement.en == "Spend ¥700 more by 2027-04-01 to keep Premium");
}

TEST_CASE("tiers: progress at the entry tier and at the top tier") {
    mdtest::Sim m;
    m.s.purchases = {purchase("A", 60000, at("2026-06-05T04:00:00Z"))};
    auto tp = tier_progress(m.p, m.z, m.s, at("2026-07-01T04:00:00Z"));
    CHECK(tp.tier_id == "standard");
    CHECK(tp.percent == 50);
    CHECK_FALSE(tp.valid_until);
    CHECK(tp.next_requirement.en == "Spend ¥600 more to reach Premium");
    CHECK(tp.keep_requirement.en == "Standard is the entry tier: nothing to do to keep it");
    m.s.tier = TierStatus{"elite", at("2026-06-01T04:00:00Z"), at("2027-06-01T15:59:59Z")};
    tp = tier_progress(m.p, m.z, m.s, at("2026-07-01T04:00:00Z"));
    CHECK(tp.percent == 100);
    CHECK_FALSE(tp.next_tier_index);
    CHECK(tp.next_requirement.en == "You are at the top tier");
    CHECK(tp.keep_requirement.en == "Spend ¥3,000 more by 2027-06-01 to keep Elite");
}

TEST_CASE("tiers: streak progress counts the months still needed") {
    mdtest::Sim m(salon());
    m.s.purchases = {purchase("M", 30000, at("2026-03-05T04:00:00Z"))};
    auto tp = tier_progress(m.p, m.z, m.s, at("2026-03-20T04:00:00Z"));
    CHECK(tp.streak_months == 1);
    CHECK(tp.remaining_months == 2);
    CHECK(tp.month_remaining_spend == 0);
    CHECK(tp.percent == 33);
    CHECK(tp.next_requirement.zh == "再连续2个月每月消费满¥300升级为银卡");
    CHECK(tp.next_requirement.en == "Spend ¥300 a month for 2 more months to reach Silver");
    tp = tier_progress(m.p, m.z, m.s, at("2026-04-20T04:00:00Z"));  // April: nothing yet
    CHECK(tp.month_remaining_spend == 30000);
    CHECK(tp.next_requirement.en == "Spend ¥300 a month for 2 more months (¥300 to go this month) to reach Silver");
}

}  // namespace tiers_test
