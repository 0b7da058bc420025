// Lot expiry policies in the program time zone, expiry as ledger entries, balances and pending points.
#include "fixtures.hpp"

using namespace memberdesk;

namespace ledger_expiry_test {
using mdtest::at;

namespace {
ProgramConfig with_expiry(ExpiryPolicy policy, int n) {
    auto p = mdtest::coffee();
    p.expiry = ExpiryRule{policy, n};
    return p;
}
}  // namespace

TEST_CASE("expiry: end_of_month_after 12 expires at the end of the month a year later in local time") {
    const auto& z = mdtest::shanghai();
    auto p = mdtest::coffee();
    // Earned 2026-03-15 local -> end of 2027-03-31 local = 15:59:59Z.
    CHECK(lot_expiry(p, z, at("2026-03-15T02:00:00Z")) == at("2027-03-31T15:59:59Z"));
    // Last second of 2026-03-31 local is still March ...
    CHECK(lot_expiry(p, z, at("2026-03-31T15:59:59Z")) == at("2027-03-31T15:59:59Z"));
    // ... but 16:30Z is already April 1 in Shanghai, so the lot lives through April 2027.
    CHECK(lot_expiry(p, z, at("2026-03-31T16:30:00Z")) == at("2027-04-30T15:59:59Z"));
    // Across the year end: 2026-12-31T17:00Z is January 2027 locally.
    CHECK(lot_expiry(p, z, at("2026-12-31T15:00:00Z")) == at("2027-12-31T15:59:59Z"));
    CHECK(lot_expiry(p, z, at("2026-12-31T17:00:00Z")) == at("2028-01-31T15:59:59Z"));
}

TEST_CASE("expiry: a lot earned on a leap day expires at the end of February the next year") {
    const auto& z = mdtest::shanghai();
    CHECK(lot_expiry(mdtest::coffee(), z, at("2028-02-29T04:00:00Z")) == at("2029-02-28T15:59:59Z"));
    CHECK(lot_expiry(with_expiry(ExpiryPolicy::end_of_month_after, 1), z, at("2028-01-31T04:00:00Z")) ==
          at("2028-02-29T15:59:59Z"));
    CHECK(lot_expiry(with_expiry(ExpiryPolicy::after_days, 365), z, at("2028-02-29T04:00:00Z")) ==
          at("2029-02-28T15:59:59Z"));
}

TEST_CASE("expiry: after_days counts local days and ends at local midnight") {
    const auto& z = mdtest::shanghai();
    auto p = with_expiry(ExpiryPolicy::after_days, 30);
    // 2026-03-31T16:30Z is 2026-04-01 local; + 30 days = 2026-05-01, over at its local end.
    CHECK(lot_expiry(p, z, at("2026-03-31T16:30:00Z")) == at("2026-05-01T15:59:59Z"));
    CHECK(lot_expiry(p, z, at("2026-03-31T15:30:00Z")) == at("2026-04-30T15:59:59Z"));
}

TEST_CASE("expiry: end_of_year N ends on 31 December N years after the earning year") {
    const auto& z = mdtest::shanghai();
    CHECK(lot_expiry(with_expiry(ExpiryPolicy::end_of_year, 0), z, at("2026-12-31T15:00:00Z")) ==
          at("2026-12-31T15:59:59Z"));
    CHECK(lot_expiry(with_expiry(ExpiryPolicy::end_of_year, 0), z, at("2026-12-31T16:00:00Z")) ==
          at("2027-12-31T15:59:59Z"));
    CHECK(lot_expiry(with_expiry(ExpiryPolicy::end_of_year, 1), z, at("2026-06-01T00:00:00Z")) ==
          at("2027-12-31T15:59:59Z"));
}

TEST_CASE("expiry: never means the lot has no expiry") {
    CHECK_FALSE(lot_expiry(with_expiry(ExpiryPolicy::never, 0), mdtest::shanghai(), at("2026-06-01T00:00:00Z")));
}

TEST_CASE("expiry: local month ends follow the program zone including DST (New York)") {
    const auto& ny = mdtest::zone("America/New_York");
    // Earned 2026-03-10 (EDT) -> end of 2027-03-31 EDT (-4h) = 2027-04-01T03:59:59Z.
    CHECK(lot_expiry(mdtest::coffee(), ny, at("2026-03-10T15:00:00Z")) == at("2027-04-01T03:59:59Z"));
    // Earned 2026-01-10 -> end of 2027-01-31 EST (-5h).
    CHECK(lot_expiry(mdtest::coffee(), ny, at("2026-01-10T15:00:00Z")) == at("2027-02-01T04:59:59Z"));
}

TEST_CASE("expiry: catch_up writes one expire entry per lot only after its last usable second") {
    mdtest::Sim m;
    m.earn("T1", 12000, at("2026-03-15T02:00:00Z"));  // 12 points, expires 2027-03-31T15:59:59Z
    m.earn("T2", 5000, at("2026-04-15T02:00:00Z"));   // 5 points, expires 2027-04-30T15:59:59Z
    m.spend(4, at("2026-05-01T00:00:00Z"));           // takes 4 from T1's lot (soonest expiry)
    REQUIRE(m.lot(1).remaining == 8);

    // At the last usable second nothing is due and the points are spendable.
    const UnixSeconds last = at("2027-03-31T15:59:59Z");
    CHECK(memberdesk::catch_up(m.p, m.z, m.s, last).empty());
    CHECK(m.bal(last).balance == 13);

    const UnixSeconds after = last + 3600;
    // Balances already exclude the expired lot before catch_up has written anything.
    CHECK(m.bal(after).balance == 5);
    Plan plan = m.catch_up_at(after);
    REQUIRE(plan.entries.size() == 1);
    const auto& e = plan.entries[0];
    CHECK(e.type == EntryType::expire);
    CHECK(e.points == -8);
    CHECK(e.created_at == last + 1);
    CHECK(e.balance_after == 5);
    CHECK(e.reason.en == "Points expired (earned 2026-03-15)");
    CHECK(m.lot(1).remaining == 0);
    CHECK(m.lot(2).remaining == 5);
    CHECK(m.s.ledger_total == 5);
    CHECK(m.s.lifetime_earned == 17);  // expiry does not reduce lifetime earned
    CHECK(m.bal(after).balance == 5);
    // Idempotent: nothing more is due.
    CHECK(memberdesk::catch_up(m.p, m.z, m.s, after).empty());
}

TEST_CASE("expiry: several due lots expire in expiry order with a running balance") {
    mdtest::Sim m;
    m.earn("T1", 20000, at("2026-01-10T02:00:00Z"));  // 20, expires end of Jan 2027
    m.earn("T2", 30000, at("2026-02-10T02:00:00Z"));  // 30, expires end of Feb 2027
    m.earn("T3", 10000, at("2026-09-10T02:00:00Z"));  // 10, expires end of Sep 2027
    Plan plan = m.catch_up_at(at("2027-06-01T00:00:00Z"));
    REQUIRE(plan.entries.size() == 2);
    CHECK(plan.entries[0].points == -20);
    CHECK(plan.entries[0].created_at == at("2027-01-31T16:00:00Z"));
    CHECK(plan.entries[0].balance_after == 40);
    CHECK(plan.entries[1].points == -30);
    CHECK(plan.entries[1].created_at == at("2027-02-28T16:00:00Z"));
    CHECK(plan.entries[1].balance_after == 10);
    CHECK(m.lots_total() == m.s.ledger_total);
}

TEST_CASE("expiry: points expiring within 30 days are reported as expiring soon") {
    mdtest::Sim m;
    m.earn("T1", 12000, at("2026-03-15T02:00:00Z"));  // expires 2027-03-31T15:59:59Z
    m.earn("T2", 5000, at("2026-05-15T02:00:00Z"));   // expires 2027-05-31T15:59:59Z
    auto b = m.bal(at("2027-03-01T15:59:58Z"));       // T1's last second is 30 days + 1 s away
    CHECK(b.expiring_soon == 0);
    b = m.bal(at("2027-03-01T15:59:59Z"));  // exactly 30 days away: expiring soon
    CHECK(b.balance == 17);
    CHECK(b.expiring_soon == 12);
    REQUIRE(b.next_expiry);
    CHECK(*b.next_expiry == at("2027-03-31T15:59:59Z"));
    CHECK(b.lifetime_earned == 17);
    CHECK_FALSE(m.bal(at("2026-06-01T00:00:00Z")).next_expiry);
}

TEST_CASE("expiry: pending points count as pending until available and cannot be spent") {
    auto p = mdtest::coffee();
    p.earning.pending_days = 7;
    mdtest::Sim m(p);
    const UnixSeconds t = at("2026-04-01T04:00:00Z");
    Plan plan = m.earn("T1", 30000, t);
    REQUIRE(plan.new_lots.size() == 1);
    CHECK(plan.new_lots[0].available_at == t + 7 * 86400);
    CHECK(plan.new_lots[0].expires_at == at("2027-04-30T15:59:59Z"));  // from the earning date
    auto b = m.bal(t + 3600);
    CHECK(b.balance == 0);
    CHECK(b.pending == 30);
    auto r = spend_points(m.p, m.s, 1, EntryType::redeem, Text{"x", "x"}, "r", t + 3600);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::insufficient_points);
    b = m.bal(t + 7 * 86400);
    CHECK(b.balance == 30);
    CHECK(b.pending == 0);
}

}  // namespace ledger_expiry_test
