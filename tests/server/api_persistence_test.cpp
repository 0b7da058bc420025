// Durability through the real server: stop the App, start a new one on the same SQLite file, and
// everything acknowledged is still there; failed requests leave no trace.
#include "test_server.hpp"

using namespace mdtest;

namespace api_persistence_test {

namespace {
const std::string kPhone = "13800000001";
const std::string kPin = "123456";

// Everything observable about one member through the API.
json snapshot(TestServer& srv, std::int64_t id, const std::string& token) {
    json s;
    s["me"] = srv.me(token);
    s["ledger"] = srv.ledger_all(token);
    s["coupons"] = srv.coupons(token);
    s["redemptions"] = expect_status(srv.get("/api/v1/me/redemptions", bearer(token)), 200);
    s["rewards"] = expect_status(srv.get("/api/v1/rewards", bearer(token)), 200);
    s["admin"] = srv.admin_member(id);
    s["audit"] = expect_status(srv.get("/api/v1/admin/audit?limit=100", admin()), 200);
    s["members"] = expect_status(srv.get("/api/v1/admin/members?limit=100", admin()), 200);
    return s;
}

void check_same(const json& a, const json& b) {
    for (auto it = a.begin(); it != a.end(); ++it) {
        INFO("part '" << it.key() << "'\nbefore: " << it.value().dump() << "\nafter:  " << b[it.key()].dump());
        CHECK(it.value() == b[it.key()]);
    }
}

// A member with some of everything: purchases, refund, redemption, used and voided coupons, feedback.
std::int64_t populate(TestServer& srv) {
    auto id = srv.create_member(kPhone, kPin, "王小明", std::string("1990-05-12"));
    srv.buy("T1", kPhone, 300000);  // 300 points, Premium
    srv.buy("T2", kPhone, 25000);   // 30 points at 1.2x; ¥3,250 rolling spend stays below Elite (¥3,600)
    expect_status(srv.post("/api/v1/pos/refunds", {{"txn_id", "T2"}, {"refund_id", "R1"}, {"amount", 5000}}, pos()),
                  201);
    auto token = srv.login(kPhone, kPin);
    expect_status(srv.post("/api/v1/me/redemptions", {{"reward_id", "pastry"}}, bearer(token) + idem("k1")), 201);
    auto wallet = srv.coupons(token, "available");
    REQUIRE(wallet.size() >= 2);
    expect_status(
        srv.post("/api/v1/pos/coupons/redeem",
                 {{"code", wallet[0]["code"]}, {"order_amount", 5000}, {"store", "S001"}, {"txn_id", "T3"}}, pos()),
        200);
    expect_status(srv.post_empty("/api/v1/admin/coupons/" + wallet[1]["code"].get<std::string>() + "/void", admin()),
                  200);
    expect_status(srv.post("/api/v1/me/feedback", {{"rating", 5}, {"comment", "ok"}}, bearer(token)), 201);
    srv.adjust(id, -7, "correction");
    return id;
}
}  // namespace

TEST_CASE("persistence: balances, ledger, coupons, redemptions and audit survive a restart") {
    TestServer srv;
    auto id = populate(srv);
    auto token = srv.login(kPhone, kPin);
    auto before = snapshot(srv, id, token);
    REQUIRE(before["me"]["points"]["balance"].get<std::int64_t>() > 0);

    srv.restart();
    srv.set_clock(kStart);  // the new App's test clock starts at the wall clock

    // Sessions are stored (hashed): a token may survive a restart, or the member signs in again.
    auto res = srv.get("/api/v1/me", bearer(token));
    REQUIRE(res);
    CHECK((res->status == 200 || res->status == 401));
    if (res->status != 200) token = srv.login(kPhone, kPin);
    auto after = snapshot(srv, id, token);
    check_same(before, after);
}

TEST_CASE("persistence: idempotency survives a restart: replays answer the same and earn nothing") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    json body = {{"txn_id", "T-P"}, {"member", kPhone}, {"amount", 12800}, {"store", "S001"}};
    auto first = expect_status(srv.post("/api/v1/pos/purchases", body, pos()), 201);
    auto token = srv.login(kPhone, kPin);
    srv.adjust(srv.me(token)["profile"]["id"].get<std::int64_t>(), 500, "gift");
    auto red = expect_status(
        srv.post("/api/v1/me/redemptions", {{"reward_id", "premium_coffee"}}, bearer(token) + idem("rk")), 201);

    srv.restart();
    srv.set_clock(kStart);
    token = srv.login(kPhone, kPin);
    auto again = expect_status(srv.post("/api/v1/pos/purchases", body, pos()), 201);
    CHECK(again == first);
    json changed = body;
    changed["amount"] = 1;
    expect_error(srv.post("/api/v1/pos/purchases", changed, pos()), 409, "idempotency_conflict");
    auto red2 = expect_status(
        srv.post("/api/v1/me/redemptions", {{"reward_id", "premium_coffee"}}, bearer(token) + idem("rk")), 201);
    CHECK(red2 == red);
    CHECK(srv.balance(token) == 12);
    CHECK(count_type(srv.ledger_all(token), "earn") == 1);
    CHECK(count_type(srv.ledger_all(token), "redeem") == 1);
}

TEST_CASE("persistence: a restart keeps the login lock, and a logged-out token stays dead") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    REQUIRE(srv.post_empty("/api/v1/auth/logout", bearer(token)));
    for (int i = 0; i < 5; ++i)
        expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "000000"}}), 401,
                     "invalid_credentials");
    srv.restart();
    srv.set_clock(plus(kStart, 60));
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}}), 429, "too_many_attempts");
    expect_error(srv.get("/api/v1/me", bearer(token)), 401, "unauthorized");
}

TEST_CASE("persistence: failed requests change nothing, before and after a restart") {
    TestServer srv;
    auto id = populate(srv);
    auto token = srv.login(kPhone, kPin);
    auto before = snapshot(srv, id, token);
    auto balance = before["me"]["points"]["balance"].get<std::int64_t>();
    REQUIRE(balance < 1500);

    // Business failures.
    expect_error(srv.post("/api/v1/me/redemptions", {{"reward_id", "tumbler"}}, bearer(token) + idem("f1")), 409,
                 "tier_not_allowed");
    expect_error(srv.adjust_raw(id, {{"points", -(balance + 1)}, {"reason", "too much"}}), 409, "insufficient_points");
    expect_error(srv.post("/api/v1/pos/refunds", {{"txn_id", "T2"}, {"refund_id", "R9"}, {"amount", 20001}}, pos()),
                 409, "refund_exceeds_purchase");
    expect_error(srv.post("/api/v1/pos/refunds", {{"txn_id", "T2"}, {"refund_id", "R1"}, {"amount", 4000}}, pos()), 409,
                 "idempotency_conflict");
    expect_error(srv.post("/api/v1/pos/purchases",
                          {{"txn_id", "T1"}, {"member", kPhone}, {"amount", 1}, {"store", "S001"}}, pos()),
                 409, "idempotency_conflict");
    expect_error(srv.post("/api/v1/me/redemptions", {{"reward_id", "premium_coffee"}}, bearer(token) + idem("k1")), 409,
                 "idempotency_conflict");
    auto used = srv.coupons(token, "used");
    REQUIRE(!used.empty());
    expect_error(
        srv.post("/api/v1/pos/coupons/redeem",
                 {{"code", used[0]["code"]}, {"order_amount", 5000}, {"store", "S001"}, {"txn_id", "T-NEW"}}, pos()),
        409, "coupon_used");
    expect_error(srv.post("/api/v1/admin/members", {{"phone", kPhone}, {"pin", kPin}, {"name", "Dup"}}, admin()), 409,
                 "phone_taken");
    expect_error(srv.post("/api/v1/admin/members/" + std::to_string(id) + "/coupons", {{"template", "nope"}}, admin()),
                 404, "unknown_template");
    // Validation failures.
    expect_error(srv.post("/api/v1/pos/purchases",
                          {{"txn_id", "T9"}, {"member", kPhone}, {"amount", -5}, {"store", "S1"}}, pos()),
                 400, "invalid_field");
    expect_error(srv.post("/api/v1/pos/purchases",
                          {{"txn_id", "T10"}, {"member", "13999999999"}, {"amount", 5000}, {"store", "S1"}}, pos()),
                 404, "member_not_found");
    expect_error(srv.post("/api/v1/me/redemptions", {{"reward_id", "pastry"}}, bearer(token)), 400, "invalid_field");
    expect_error(srv.post("/api/v1/me/feedback", {{"rating", 9}}, bearer(token)), 400, "invalid_field");
    expect_error(srv.del("/api/v1/me", bearer(token)), 400, "confirmation_required");
    // Wrong credentials.
    expect_error(srv.post("/api/v1/pos/purchases",
                          {{"txn_id", "T11"}, {"member", kPhone}, {"amount", 5000}, {"store", "S1"}}, admin()),
                 403, "forbidden");
    expect_error(srv.post("/api/v1/admin/members/" + std::to_string(id) + "/adjust",
                          {{"points", 5}, {"reason", "by pos"}}, pos()),
                 403, "forbidden");
    expect_error(srv.post_raw("/api/v1/admin/members/" + std::to_string(id) + "/adjust", "{\"points\": 5,", admin()),
                 400, "invalid_json");

    auto after = snapshot(srv, id, token);
    check_same(before, after);

    srv.restart();
    srv.set_clock(kStart);
    auto res = srv.get("/api/v1/me", bearer(token));
    REQUIRE(res);
    if (res->status != 200) token = srv.login(kPhone, kPin);
    auto restarted = snapshot(srv, id, token);
    check_same(before, restarted);
}

}  // namespace api_persistence_test
