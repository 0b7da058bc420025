// Earning for purchases: base points, tier multiplier, rounding, campaigns, debt netting, spend-back,
// immediate upgrade.
#include <algorithm>

#include "fixtures.hpp"

using namespace memberdesk;

namespace earning_test {
using mdtest::at;

namespace {
const UnixSeconds kT = at("2026-05-06T04:00:00Z");  // a Wednesday in Shanghai (12:00 local)

Result<Plan> earn(const mdtest::Sim& m, const std::string& txn, Cents amount, UnixSeconds t = kT) {
    return earn_purchase(m.p, m.z, m.s, PurchaseInput{txn, amount, "S1", t}, t);
}
Points earned(const Plan& p, EntryType type) {
    Points sum = 0;
    for (const auto& e : p.entries)
        if (e.type == type) sum += e.points;
    return sum;
}
void make_premium(mdtest::Sim& m) {
    m.s.tier = TierStatus{"premium", at("2026-01-01T00:00:00Z"), at("2027-01-01T15:59:59Z")};
}
Campaign campaign(CampaignKind kind, int multiplier, Points bonus = 0, Cents min_amount = 0) {
    Campaign c;
    c.id = "c";
    c.name = Text{"会员日", "Member day"};
    c.kind = kind;
    c.multiplier_percent = multiplier;
    c.bonus = bonus;
    c.min_amount = min_amount;
    return c;
}
}  // namespace

TEST_CASE("earning: one point per 10 yuan and partial units earn nothing") {
    mdtest::Sim m;
    auto r = earn(m, "T1", 9999);
    REQUIRE(r);
    CHECK(earned(*r, EntryType::earn) == 9);
    REQUIRE(r->entries.size() == 1);
    const auto& e = r->entries[0];
    CHECK(e.type == EntryType::earn);
    CHECK(e.ref == "T1");
    CHECK(e.store == "S1");
    CHECK(e.created_at == kT);
    CHECK(e.expires_at == at("2027-05-31T15:59:59Z"));
    CHECK(e.reason.en == "Earned for a purchase of ¥99.99");
    REQUIRE(r->new_lots.size() == 1);
    CHECK(r->new_lots[0].source == "purchase:T1");
    CHECK(r->new_lots[0].earned_at == kT);
    REQUIRE(r->purchase);
    CHECK(r->purchase->points == 9);
    CHECK(r->purchase->tier_id == "standard");
    auto small = earn(m, "T2", 999);
    REQUIRE(small);
    CHECK(small->entries.empty());
    CHECK(small->purchase);  // still recorded for tiers and segments
}

TEST_CASE("earning: unit and base rate come from the program") {
    mdtest::Sim m;
    m.p.earning.unit = 500;
    m.p.earning.base_rate = 2;
    auto r = earn(m, "T1", 1200);  // 2 steps of 5 yuan x 2 points
    REQUIRE(r);
    CHECK(earned(*r, EntryType::earn) == 4);
}

TEST_CASE("earning: the tier multiplier applies to the whole order and is rounded once per the rule") {
    mdtest::Sim m;
    make_premium(m);
    // 9 steps x 1.2 = 10.8 -> 10 (floor per order; flooring per step would give 9).
    auto r = earn(m, "T1", 9500);
    REQUIRE(r);
    CHECK(earned(*r, EntryType::earn) == 10);
    CHECK(r->entries[0].reason.zh == "消费¥95获得积分（优选 ×1.2）");
    CHECK(r->entries[0].reason.en == "Earned for a purchase of ¥95 (Premium ×1.2)");
    // 7 steps x 1.2 = 8.4
    CHECK(earned(*earn(m, "T2", 7000), EntryType::earn) == 8);
    m.p.earning.rounding = Rounding::round_half_up;
    CHECK(earned(*earn(m, "T1", 9500), EntryType::earn) == 11);
    CHECK(earned(*earn(m, "T2", 7000), EntryType::earn) == 8);
    m.p.earning.rounding = Rounding::ceil;
    CHECK(earned(*earn(m, "T1", 9500), EntryType::earn) == 11);
    CHECK(earned(*earn(m, "T2", 7000), EntryType::earn) == 9);
    CHECK(earned(*earn(m, "T3", 10000), EntryType::earn) == 12);
}

TEST_CASE("earning: the purchase that crosses a threshold earns at the old tier and the next at the new tier") {
    mdtest::Sim m;
    m.earn("T1", 110000, at("2026-03-01T04:00:00Z"));  // 1,100 yuan at Standard
    CHECK(m.s.tier.tier_id.empty());
    const UnixSeconds t2 = at("2026-03-31T16:30:00Z");  // 2026-04-01 00:30 local
    Plan p2 = m.earn("T2", 20000, t2);                  // reaches 1,300 >= 1,200
    CHECK(earned(p2, EntryType::earn) == 20);           // x1.0, not x1.2
    REQUIRE(p2.purchase);
    CHECK(p2.purchase->tier_id == "standard");
    REQUIRE(p2.tier_change);
    CHECK(p2.tier_change->from == "standard");
    CHECK(p2.tier_change->to == "premium");
    CHECK(p2.tier_change->status.since == t2);
    // Held through the end of the local qualifying day 12 months later.
    CHECK(p2.tier_change->status.valid_until == at("2027-04-01T15:59:59Z"));
    CHECK(p2.tier_change->reason.en == "Upgraded to Premium");
    // Spend-back of the tier held before (Standard: 100 -> 10) and Premium's perk.
    REQUIRE(p2.coupons.size() == 2);
    CHECK(p2.coupons[0].template_id == "cb10");
    CHECK(p2.coupons[0].source == CouponSource::spend_back);
    CHECK(p2.coupons[1].template_id == "premium_drinks");
    CHECK(p2.coupons[1].source == CouponSource::tier_perk);
    CHECK(m.s.tier.tier_id == "premium");
    Plan p3 = m.earn("T3", 10000, t2 + 60);
    CHECK(earned(p3, EntryType::earn) == 12);  // now x1.2
    CHECK(p3.purchase->tier_id == "premium");
    CHECK_FALSE(p3.tier_change);
}

TEST_CASE("earning: spend-back follows the tier held before the purchase and issues the best matching rule") {
    mdtest::Sim m;
    auto r = earn(m, "T1", 9999);
    REQUIRE(r);
    CHECK(r->coupons.empty());  // below 100 yuan
    r = earn(m, "T1", 60000);   // Standard member: only the Standard rule applies
    REQUIRE(r);
    REQUIRE(r->coupons.size() == 1);
    CHECK(r->coupons[0].template_id == "cb10");
    CHECK(r->coupons[0].valid_from == kT);
    CHECK(r->coupons[0].valid_until == at("2026-06-04T15:59:59Z"));    // 30 local days incl. the issue day
    m.p.issue.spend_back.push_back(SpendBackRule{"", 50000, "cb50"});  // any tier, 500 -> 50
    r = earn(m, "T1", 60000);
    REQUIRE(r);
    REQUIRE(r->coupons.size() == 1);
    CHECK(r->coupons[0].template_id == "cb50");  // the highest threshold reached
    make_premium(m);
    r = earn(m, "T1", 25000);
    REQUIRE(r);
    REQUIRE(r->coupons.size() == 1);
    CHECK(r->coupons[0].template_id == "cb20");
}

TEST_CASE("earning: weekday campaign uses the local weekday and adds a separate bonus entry and lot") {
    mdtest::Sim m;
    auto c = campaign(CampaignKind::weekday_multiplier, 200);
    c.weekday = 3;  // Wednesday
    m.p.campaigns = {c};
    // 2026-04-07T16:30Z is Tuesday in UTC but Wednesday 00:30 in Shanghai.
    const UnixSeconds wed = at("2026-04-07T16:30:00Z");
    auto r = earn(m, "T1", 10000, wed);
    REQUIRE(r);
    REQUIRE(r->entries.size() == 2);
    CHECK(r->entries[0].type == EntryType::earn);
    CHECK(r->entries[0].points == 10);
    CHECK(r->entries[1].type == EntryType::bonus);
    CHECK(r->entries[1].points == 10);
    CHECK(r->entries[1].balance_after == 20);
    CHECK(r->entries[1].reason.en == "Member day: bonus points");
    REQUIRE(r->new_lots.size() == 2);
    CHECK(r->new_lots[1].source == "purchase:T1");
    CHECK(r->purchase->points == 20);
    // 2026-04-08T16:30Z is Wednesday in UTC but Thursday in Shanghai.
    r = earn(m, "T1", 10000, at("2026-04-08T16:30:00Z"));
    REQUIRE(r);
    CHECK(earned(*r, EntryType::bonus) == 0);
}

TEST_CASE("earning: date campaign applies on its local dates and multiplies the tier-adjusted points") {
    mdtest::Sim m;
    make_premium(m);
    auto c = campaign(CampaignKind::date_multiplier, 300);
    c.dates = {mdtest::date(2026, 10, 1)};
    m.p.campaigns = {c};
    auto r = earn(m, "T1", 10000, at("2026-09-30T16:00:00Z"));  // 2026-10-01 00:00 local
    REQUIRE(r);
    CHECK(earned(*r, EntryType::earn) == 12);
    CHECK(earned(*r, EntryType::bonus) == 24);
    r = earn(m, "T1", 10000, at("2026-09-30T15:59:59Z"));
    REQUIRE(r);
    CHECK(earned(*r, EntryType::bonus) == 0);
}

TEST_CASE("earning: fixed bonus needs the campaign minimum amount") {
    mdtest::Sim m;
    m.p.campaigns = {campaign(CampaignKind::fixed_bonus, 100, 50, 30000)};
    CHECK(earned(*earn(m, "T1", 29999), EntryType::bonus) == 0);
    CHECK(earned(*earn(m, "T1", 30000), EntryType::bonus) == 50);
}

TEST_CASE("earning: zero or negative amounts and repeated transaction ids are rejected") {
    mdtest::Sim m;
    for (Cents bad : {Cents{0}, Cents{-100}}) {
        auto r = earn(m, "T1", bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::invalid_amount);
    }
    m.earn("T1", 10000, kT);
    auto r = earn(m, "T1", 10000);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::duplicate_transaction);
}

TEST_CASE("earning: new points first pay off debt with a debt_settle entry") {
    mdtest::Sim m;
    m.s.debt = 5;
    auto r = earn(m, "T1", 12000);
    REQUIRE(r);
    REQUIRE(r->entries.size() == 2);
    CHECK(r->entries[0].points == 12);
    CHECK(r->entries[1].type == EntryType::debt_settle);
    CHECK(r->entries[1].points == -5);
    CHECK(r->entries[1].balance_after == 7);
    CHECK(r->new_lots[0].original == 12);
    CHECK(r->new_lots[0].remaining == 7);
    CHECK(r->debt_after == 0);
    CHECK(r->ledger_total_after == 7);
    CHECK(r->lifetime_earned_after == 12);
    CHECK(mdtest::sum_entries(*r) == r->new_lots[0].remaining);

    m.s.debt = 30;
    r = earn(m, "T1", 12000);
    REQUIRE(r);
    CHECK(r->new_lots[0].remaining == 0);
    CHECK(r->debt_after == 18);
    CHECK(r->ledger_total_after == 0);
}

TEST_CASE("earning: debt is netted across the earn lot and then the bonus lot") {
    mdtest::Sim m;
    m.s.debt = 15;
    m.p.campaigns = {campaign(CampaignKind::fixed_bonus, 100, 10)};
    auto r = earn(m, "T1", 10000);
    REQUIRE(r);
    REQUIRE(r->new_lots.size() == 2);
    CHECK(r->new_lots[0].remaining == 0);
    CHECK(r->new_lots[1].remaining == 5);
    CHECK(r->debt_after == 0);
    CHECK(r->entries.back().type == EntryType::debt_settle);
    CHECK(r->entries.back().points == -15);
}

TEST_CASE("earning: a purchase below the next threshold does not change the tier") {
    mdtest::Sim m;
    Plan p = m.earn("T1", 119999, at("2026-03-01T04:00:00Z"));
    CHECK_FALSE(p.tier_change);
    p = m.earn("T2", 1, at("2026-03-01T05:00:00Z"));
    CHECK(p.tier_change);
}

}  // namespace earning_test
