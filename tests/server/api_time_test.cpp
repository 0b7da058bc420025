// Time travel through the test clock: point expiry at the end of the local day (Asia/Shanghai),
// "expiring soon", tier upgrade after crossing ¥1,200 and downgrade of at most one step.
#include "test_server.hpp"

using namespace mdtest;

namespace api_time_test {

namespace {
const std::string kPhone = "13800000001";
const std::string kPin = "123456";
const std::string kLastSecond = "2027-03-31T15:59:59Z";  // 2027-03-31 23:59:59 in Shanghai
const std::string kExpired = "2027-03-31T16:00:00Z";     // 2027-04-01 00:00:00 in Shanghai
}  // namespace

TEST_CASE("time: points earned 2026-03-15 carry the expiry 2027-03-31T15:59:59Z") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    srv.buy("T1", kPhone, 12800);
    auto ledger = srv.ledger_all(token);
    REQUIRE(ledger.size() == 1);
    CHECK(ledger[0]["expires_at"] == kLastSecond);
    CHECK(srv.me(token)["points"]["next_expiry"] == kLastSecond);
}

TEST_CASE("time: the expiry month follows the local date, not the UTC date") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    srv.set_clock("2026-03-31T15:30:00Z");  // 23:30 on 2026-03-31 local
    srv.buy("T-MAR", kPhone, 1000);
    srv.set_clock("2026-03-31T16:30:00Z");  // 00:30 on 2026-04-01 local
    srv.buy("T-APR", kPhone, 2000);
    auto token = srv.login(kPhone, kPin);
    auto ledger = srv.ledger_all(token, "type=earn");
    REQUIRE(ledger.size() == 2);
    CHECK(ledger[0]["points"] == 2);
    CHECK(ledger[0]["expires_at"] == "2027-04-30T15:59:59Z");
    CHECK(ledger[1]["points"] == 1);
    CHECK(ledger[1]["expires_at"] == kLastSecond);
}

TEST_CASE("time: points are spendable on the last second and gone with an expire entry one second later") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    srv.buy("T1", kPhone, 600000);  // 600 points (crossing purchases earn at the tier held before)

    srv.set_clock("2027-02-15T00:00:00Z");
    auto token = srv.login(kPhone, kPin);
    auto me = srv.me(token);
    CHECK(me["points"]["balance"] == 600);
    CHECK(me["points"]["expiring_soon"] == 0);

    srv.set_clock("2027-03-15T00:00:00Z");  // a month later: the 30-minute session is long gone
    token = srv.login(kPhone, kPin);
    me = srv.me(token);
    CHECK(me["points"]["balance"] == 600);
    CHECK(me["points"]["expiring_soon"] == 600);
    CHECK(me["points"]["next_expiry"] == kLastSecond);

    srv.set_clock(kLastSecond);
    token = srv.login(kPhone, kPin);
    CHECK(srv.balance(token) == 600);
    auto r =
        expect_status(srv.post("/api/v1/me/redemptions", {{"reward_id", "pastry"}}, bearer(token) + idem("last")), 201);
    CHECK(r["balance_after"] == 300);
    CHECK(count_type(srv.ledger_all(token), "expire") == 0);

    srv.set_clock(kExpired);  // one second after the redemption: the session is still alive
    me = srv.me(token);
    CHECK(me["points"]["balance"] == 0);
    CHECK(me["points"]["expiring_soon"] == 0);
    auto ledger = srv.ledger_all(token);
    REQUIRE(count_type(ledger, "expire") == 1);
    auto e = srv.ledger_all(token, "type=expire");
    REQUIRE(e.size() == 1);
    CHECK(e[0]["points"] == -300);
    CHECK(e[0]["balance_after"] == 0);
    REQUIRE(e[0]["created_at"].is_string());
    auto at = unix_of(e[0]["created_at"].get<std::string>());
    CHECK(at >= unix_of(kLastSecond));
    CHECK(at <= unix_of(kExpired));
    CHECK(sum_points(ledger) == 0);
    // Reading again does not expire twice.
    srv.set_clock(plus(kExpired, 1200));  // within the sliding 30 minutes
    srv.me(token);
    CHECK(count_type(srv.ledger_all(token), "expire") == 1);
    // Spending now fails.
    expect_error(srv.post("/api/v1/me/redemptions", {{"reward_id", "pastry"}}, bearer(token) + idem("late")), 409,
                 "insufficient_points");
}

TEST_CASE("time: expiry is written even when nobody looks until much later, and POS earning still works") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    srv.buy("T1", kPhone, 50000);  // 50 points, expire 2027-03-31
    srv.set_clock("2027-06-01T02:00:00Z");
    auto p = srv.buy("T2", kPhone, 3000);
    CHECK(p["points"]["balance"] == 3);
    auto token = srv.login(kPhone, kPin);
    auto ledger = srv.ledger_all(token);
    CHECK(count_type(ledger, "expire") == 1);
    CHECK(sum_points(ledger, "expire") == -50);
    CHECK(srv.balance(token) == 3);
}

TEST_CASE(
    "time: crossing ¥1,200 rolling spend upgrades to Premium; that purchase earns at Standard, the next at 1.2x") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto a = srv.buy("T1", kPhone, 119000);
    CHECK(a["points_earned"] == 119);
    CHECK(a["tier"]["id"] == "standard");
    CHECK(a["tier_changed"] == false);

    srv.set_clock(plus(kStart, 86400));
    auto b = srv.buy("T2", kPhone, 1000);  // reaches exactly ¥1,200
    CHECK(b["points_earned"] == 1);
    CHECK(b["tier"]["id"] == "premium");
    CHECK(b["tier"]["valid_until"].is_string());
    CHECK(b["tier_changed"] == true);
    bool perk = false;
    for (const auto& c : b["coupons_issued"]) perk = perk || c.value("source", "") == "tier_perk";
    CHECK(perk);

    auto c = srv.buy("T3", kPhone, 10000);
    CHECK(c["points_earned"] == 12);  // floor(10000 / 1000) * 1.2
    CHECK(c["tier"]["id"] == "premium");
    CHECK(c["tier_changed"] == false);

    auto token = srv.login(kPhone, kPin);
    auto me = srv.me(token);
    CHECK(me["tier"]["id"] == "premium");
    CHECK(me["tier"]["multiplier_percent"] == 120);
    REQUIRE(me["tier"]["valid_until"].is_string());
    auto until = unix_of(me["tier"]["valid_until"].get<std::string>());
    CHECK(until > unix_of(plus(kStart, 86400)) + 360LL * 86400);
    CHECK(until < unix_of(plus(kStart, 86400)) + 370LL * 86400);
    REQUIRE(me["tier"]["next"].is_object());
    CHECK(me["tier"]["next"]["id"] == "elite");
    CHECK(me["tier"]["next"]["remaining_spend"] == 360000 - 130000);
    CHECK(me["points"]["balance"] == 132);
}

TEST_CASE("time: after valid_until with no spend, Elite drops one step to Premium, then later to Standard") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto p = srv.buy("T1", kPhone, 400000);  // ¥4,000 in one go -> Elite
    CHECK(p["tier"]["id"] == "elite");
    auto token = srv.login(kPhone, kPin);
    auto me = srv.me(token);
    REQUIRE(me["tier"]["id"] == "elite");
    REQUIRE(me["tier"]["valid_until"].is_string());
    auto until = me["tier"]["valid_until"].get<std::string>();

    srv.set_clock(plus(until, -86400));
    token = srv.login(kPhone, kPin);
    CHECK(srv.me(token)["tier"]["id"] == "elite");

    srv.set_clock(plus(until, 86400));
    token = srv.login(kPhone, kPin);
    me = srv.me(token);
    CHECK(me["tier"]["id"] == "premium");  // not straight to Standard
    REQUIRE(me["tier"]["valid_until"].is_string());
    auto until2 = me["tier"]["valid_until"].get<std::string>();
    CHECK(unix_of(until2) > unix_of(until));
    // Earning now happens at 1.2x.
    auto q = srv.buy("T2", kPhone, 10000);
    CHECK(q["points_earned"] == 12);
    CHECK(q["tier"]["id"] == "premium");

    srv.set_clock(plus(until2, 86400));
    token = srv.login(kPhone, kPin);
    CHECK(srv.me(token)["tier"]["id"] == "standard");
}

TEST_CASE("time: a tier is held until valid_until even when the rolling spend drops") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    srv.buy("T1", kPhone, 120000);  // Premium from 2026-03-15
    srv.set_clock("2026-04-15T02:00:00Z");
    srv.post("/api/v1/pos/refunds", {{"txn_id", "T1"}, {"refund_id", "R1"}, {"amount", 60000}}, pos());
    auto token = srv.login(kPhone, kPin);
    auto me = srv.me(token);
    CHECK(me["tier"]["id"] == "premium");
}

}  // namespace api_time_test
