// Refunds: exact cumulative clawback, lot order, debt for the shortfall, qualifying spend.
#include "fixtures.hpp"

using namespace memberdesk;

namespace refund_test {
using mdtest::at;

namespace {
const UnixSeconds kT = at("2026-05-06T04:00:00Z");
}

TEST_CASE("refund: a full refund takes back all the purchase's points from its own lot") {
    mdtest::Sim m;
    m.earn("T1", 25000, kT);  // 25 points
    Plan p = m.refund("T1", 25000, kT + 3600, "R1");
    REQUIRE(p.entries.size() == 1);
    CHECK(p.entries[0].type == EntryType::clawback);
    CHECK(p.entries[0].points == -25);
    CHECK(p.entries[0].ref == "R1");
    CHECK(p.entries[0].balance_after == 0);
    CHECK(p.entries[0].reason.en == "Refund of ¥250: 25 points taken back");
    REQUIRE(p.purchase);
    CHECK(p.purchase->refunded == 25000);
    CHECK(m.lot(1).remaining == 0);
    CHECK(m.s.lifetime_earned == 0);
    CHECK(m.s.debt == 0);
}

TEST_CASE("refund: cumulative partial refunds claw back exactly the refunded share in total") {
    mdtest::Sim m;
    m.earn("T1", 10000, kT);  // 10 points for 100 yuan
    // 33 + 33 + 34 yuan: floor(10*33/100)=3, floor(10*66/100)-3=3, 10-6=4 (per-refund flooring gives 9).
    CHECK(m.refund("T1", 3300, kT + 10, "R1").entries[0].points == -3);
    CHECK(m.refund("T1", 3300, kT + 20, "R2").entries[0].points == -3);
    CHECK(m.refund("T1", 3400, kT + 30, "R3").entries[0].points == -4);
    CHECK(m.s.ledger_total == 0);
    CHECK(m.lot(1).remaining == 0);
    // A refund that claws back nothing still records the refunded amount.
    mdtest::Sim n;
    n.earn("T2", 10000, kT);
    Plan p = n.refund("T2", 500, kT + 10);
    CHECK(p.entries.empty());
    REQUIRE(p.purchase);
    CHECK(p.purchase->refunded == 500);
    CHECK(n.refund("T2", 500, kT + 20).entries[0].points == -1);  // 10 yuan refunded in total
}

TEST_CASE("refund: the purchase's own lots are used before lots that expire sooner") {
    mdtest::Sim m;
    m.earn("T0", 20000, at("2026-01-10T04:00:00Z"));  // 20 points, expires end of Jan 2027
    m.earn("T1", 10000, kT);                          // 10 points, expires end of May 2027
    m.refund("T1", 5000, kT + 60);
    CHECK(m.lot(1).remaining == 20);
    CHECK(m.lot(2).remaining == 5);
}

TEST_CASE("refund: after the own lots other lots are used in spend order and the rest becomes debt") {
    mdtest::Sim m;
    m.earn("T0", 20000, at("2026-01-10T04:00:00Z"));  // lot 1: 20, expires end of Jan 2027
    m.earn("T1", 30000, at("2026-02-10T04:00:00Z"));  // lot 2: 30, expires end of Feb 2027
    m.earn("T2", 50000, at("2026-03-10T04:00:00Z"));  // lot 3: 50
    m.spend(60, at("2026-04-01T04:00:00Z"));          // lot 1 -> 0, lot 2 -> 0, lot 3 -> 40
    REQUIRE(m.lot(3).remaining == 40);
    Plan p = m.refund("T1", 30000, kT);  // claw 30: own lot has 0, take 30 from lot 3
    CHECK(p.entries[0].points == -30);
    CHECK(m.lot(3).remaining == 10);
    CHECK(m.s.debt == 0);
    p = m.refund("T2", 50000, kT + 60);  // claw 50: own lot has 10, nothing else -> 40 debt
    CHECK(p.entries[0].points == -10);
    CHECK(p.debt_after == 40);
    CHECK(p.entries[0].reason.en ==
          "Refund of ¥500: 50 points taken back (40 owed, to be offset against future points)");
    CHECK(m.s.ledger_total == 0);
    CHECK(m.bal(kT + 60).balance == 0);
    CHECK(m.bal(kT + 60).debt == 40);
    CHECK(m.s.lifetime_earned == 20);  // 100 earned, 80 clawed back
    // Future earnings pay the debt first.
    Plan e = m.earn("T3", 60000, kT + 120);  // 60 points
    CHECK(e.entries.back().type == EntryType::debt_settle);
    CHECK(e.entries.back().points == -40);
    CHECK(m.s.debt == 0);
    CHECK(m.bal(kT + 120).balance == 20);
    CHECK(m.lots_total() == m.s.ledger_total);
}

TEST_CASE("refund: bonus points of the purchase are clawed back with the base points") {
    mdtest::Sim m;
    Campaign c;
    c.id = "x2";
    c.name = Text{"双倍", "Double"};
    c.kind = CampaignKind::fixed_bonus;
    c.bonus = 10;
    m.p.campaigns = {c};
    m.earn("T1", 10000, kT);  // 10 + 10 bonus
    REQUIRE(m.s.purchases[0].points == 20);
    Plan p = m.refund("T1", 5000, kT + 60);
    CHECK(p.entries[0].points == -10);
    CHECK(m.lot(1).remaining == 0);
    CHECK(m.lot(2).remaining == 10);
}

TEST_CASE("refund: points still pending are taken back from the purchase's pending lot") {
    mdtest::Sim m;
    m.p.earning.pending_days = 7;
    m.earn("T1", 10000, kT);
    Plan p = m.refund("T1", 10000, kT + 86400);
    CHECK(p.entries[0].points == -10);
    CHECK(p.debt_after == 0);
    CHECK(m.bal(kT + 86400).pending == 0);
}

TEST_CASE("refund: refunded amounts no longer count as qualifying spend") {
    mdtest::Sim m;
    m.earn("T1", 100000, kT);
    CHECK(rolling_spend(m.p, m.z, m.s.purchases, kT + 60) == 100000);
    m.refund("T1", 40000, kT + 60);
    CHECK(rolling_spend(m.p, m.z, m.s.purchases, kT + 120) == 60000);
    m.earn("T2", 50000, kT + 180);  // 1,500 gross but 1,100 net: no upgrade
    CHECK(m.s.tier.tier_id.empty());
}

TEST_CASE("refund: unknown transactions, over-refunds and non-positive amounts are rejected") {
    mdtest::Sim m;
    m.earn("T1", 10000, kT);
    auto r = refund_purchase(m.p, m.z, m.s, RefundInput{"NOPE", "R1", 100}, kT);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::unknown_transaction);
    r = refund_purchase(m.p, m.z, m.s, RefundInput{"T1", "R1", 10001}, kT);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::refund_exceeds_purchase);
    m.refund("T1", 6000, kT);
    r = refund_purchase(m.p, m.z, m.s, RefundInput{"T1", "R2", 4001}, kT);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::refund_exceeds_purchase);
    r = refund_purchase(m.p, m.z, m.s, RefundInput{"T1", "R2", 0}, kT);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::invalid_amount);
}

}  // namespace refund_test
