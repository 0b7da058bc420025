// POS over HTTP: earning, idempotency by txn_id (also under 32 concurrent posts), member lookup by
// id/phone/code, refunds and debt, coupon redemption at checkout, input validation, key scopes.
#include "test_server.hpp"

#include <mutex>

using namespace mdtest;

namespace api_pos_test {

namespace {
const std::string kPhone = "13800000001";
const std::string kPin = "123456";

json purchase_body(const std::string& txn, const std::string& member, json amount, const std::string& store = "S001") {
    return {{"txn_id", txn}, {"member", member}, {"amount", std::move(amount)}, {"store", store}};
}
}  // namespace

TEST_CASE("pos: a Standard member earns floor(amount / 1000) points per purchase") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    struct Case {
        std::int64_t amount, points;
    };
    std::int64_t total = 0;
    int n = 0;
    for (auto c :
         {Case{999, 0}, Case{1000, 1}, Case{1999, 1}, Case{9999, 9}, Case{12800, 12}, Case{100000000, 100000}}) {
        INFO("amount " << c.amount);
        auto res = srv.purchase("T" + std::to_string(n++), kPhone, c.amount);
        auto j = expect_status(res, 201);
        CHECK(j["points_earned"] == c.points);
        CHECK(j["member_id"] == id);
        total += c.points;
        CHECK(j["points"]["balance"] == total);
        CHECK(j["txn_id"] == "T" + std::to_string(n - 1));
    }
    auto token = srv.login(kPhone, kPin);
    CHECK(srv.balance(token) == total);
    auto earn = srv.ledger_all(token, "type=earn");
    // A 0-point purchase writes no earn entry, or one of 0 points; either way the sum is exact.
    CHECK(sum_points(earn) == total);
}

TEST_CASE("pos: purchase answer shape, and the spend-back coupon for a Standard purchase of 100 yuan or more") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto j = srv.buy("T1", kPhone, 12800);
    CHECK(j["tier"]["id"] == "standard");
    CHECK(j["tier"]["name"]["en"] == "Standard");
    CHECK(j["tier_changed"] == false);
    CHECK(j["amount"] == 12800);
    CHECK(j["at"] == kStart);
    REQUIRE(j["entries"].is_array());
    REQUIRE(j["entries"].size() == 1);
    CHECK(j["entries"][0]["type"] == "earn");
    CHECK(j["entries"][0]["points"] == 12);
    CHECK(j["points"]["balance"] == 12);
    CHECK(j["points"]["lifetime_earned"] == 12);
    CHECK(j["points"]["debt"] == 0);
    REQUIRE(j["coupons_issued"].is_array());
    REQUIRE(j["coupons_issued"].size() == 1);
    CHECK(j["coupons_issued"][0]["kind"] == "amount_off");
    CHECK(j["coupons_issued"][0]["source"] == "spend_back");
    CHECK(j["coupons_issued"][0]["state"] == "available");
    auto small = srv.buy("T2", kPhone, 9999);
    REQUIRE(small["coupons_issued"].is_array());
    CHECK(small["coupons_issued"].empty());
}

TEST_CASE("pos: same txn_id and same body gives the same answer and earns once") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto body = purchase_body("T-IDEM", kPhone, 12800);
    auto r1 = srv.post("/api/v1/pos/purchases", body, pos());
    auto j1 = expect_status(r1, 201);
    srv.set_clock(plus(kStart, 3600));  // a retry an hour later, same body (no `at`)
    auto r2 = srv.post("/api/v1/pos/purchases", body, pos());
    auto j2 = expect_status(r2, 201);
    CHECK(j1 == j2);
    auto token = srv.login(kPhone, kPin);
    CHECK(srv.balance(token) == 12);
    CHECK(count_type(srv.ledger_all(token), "earn") == 1);
    CHECK(srv.coupons(token, "available").size() == 2);  // welcome + one spend-back, not two
}

TEST_CASE("pos: same txn_id with a different body is 409 idempotency_conflict and changes nothing") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    srv.create_member("13900000002", "654321");
    srv.buy("T-1", kPhone, 12800);
    expect_error(srv.post("/api/v1/pos/purchases", purchase_body("T-1", kPhone, 12900), pos()), 409,
                 "idempotency_conflict");
    expect_error(srv.post("/api/v1/pos/purchases", purchase_body("T-1", kPhone, 12800, "S002"), pos()), 409,
                 "idempotency_conflict");
    expect_error(srv.post("/api/v1/pos/purchases", purchase_body("T-1", "13900000002", 12800), pos()), 409,
                 "idempotency_conflict");
    auto withat = purchase_body("T-1", kPhone, 12800);
    withat["at"] = "2026-03-01T00:00:00Z";
    expect_error(srv.post("/api/v1/pos/purchases", withat, pos()), 409, "idempotency_conflict");
    CHECK(srv.balance(srv.login(kPhone, kPin)) == 12);
    CHECK(srv.balance(srv.login("13900000002", "654321")) == 0);
}

TEST_CASE("pos: 32 threads posting the same txn_id concurrently earn exactly once, all with the same answer") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    constexpr int N = 32;
    std::vector<int> status(N, 0);
    std::vector<std::string> bodies(N);
    auto body = purchase_body("T-RACE", kPhone, 25600).dump();
    run_concurrently(N, [&](int i) {
        auto cli = srv.new_client();
        auto res = cli->Post("/api/v1/pos/purchases", pos(), body, "application/json");
        if (res) {
            status[i] = res->status;
            bodies[i] = res->body;
        }
    });
    for (int i = 0; i < N; ++i) {
        INFO("thread " << i << ": " << status[i] << " " << bodies[i]);
        CHECK(status[i] == 201);
        CHECK(json::parse(bodies[i], nullptr, false) == json::parse(bodies[0], nullptr, false));
    }
    auto token = srv.login(kPhone, kPin);
    auto ledger = srv.ledger_all(token);
    CHECK(count_type(ledger, "earn") == 1);
    CHECK(sum_points(ledger) == 25);
    CHECK(srv.balance(token) == 25);
    CHECK(srv.coupons(token, "available").size() == 2);  // welcome + one spend-back
}

TEST_CASE("pos: 32 concurrent purchases with different txn_ids for one member all count (no lost update)") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    constexpr int N = 32;
    std::vector<int> status(N, 0);
    run_concurrently(N, [&](int i) {
        auto cli = srv.new_client();
        auto res = cli->Post("/api/v1/pos/purchases", pos(),
                             purchase_body("T-" + std::to_string(i), kPhone, 3000).dump(), "application/json");
        status[i] = res ? res->status : -1;
    });
    for (int i = 0; i < N; ++i) CHECK(status[i] == 201);
    auto token = srv.login(kPhone, kPin);
    auto ledger = srv.ledger_all(token);
    CHECK(count_type(ledger, "earn") == N);
    CHECK(srv.balance(token) == 3 * N);
    // Running balances are consistent: balance_after of each entry = previous + points.
    std::int64_t running = 0;
    for (auto it = ledger.rbegin(); it != ledger.rend(); ++it) {
        running += (*it)["points"].get<std::int64_t>();
        CHECK((*it)["balance_after"] == running);
    }
}

TEST_CASE("pos: the member is found by id, by phone, or by a scanned member code") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    auto by_id = srv.buy("T1", std::to_string(id), 2000);
    CHECK(by_id["member_id"] == id);
    auto by_phone = srv.buy("T2", kPhone, 3000);
    CHECK(by_phone["member_id"] == id);
    auto token = srv.login(kPhone, kPin);
    auto card = expect_status(srv.get("/api/v1/me/card", bearer(token)), 200);
    auto by_code = srv.buy("T3", card["member_code"].get<std::string>(), 4000);
    CHECK(by_code["member_id"] == id);
    CHECK(srv.balance(token) == 9);

    expect_error(srv.purchase("T4", "13999999999", 1000), 404, "member_not_found");
    expect_error(srv.purchase("T5", "999999", 1000), 404, "member_not_found");
}

TEST_CASE("pos: refunds claw back the refunded share; over-refund is 409; idempotent by refund_id") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    srv.buy("T1", kPhone, 12800);  // 12 points
    auto r1 = expect_status(
        srv.post("/api/v1/pos/refunds", {{"txn_id", "T1"}, {"refund_id", "R1"}, {"amount", 6400}}, pos()), 201);
    CHECK(r1["points_clawed_back"] == 6);
    CHECK(r1["points"]["balance"] == 6);
    CHECK(r1["points"]["debt"] == 0);
    REQUIRE(r1["entries"].is_array());
    REQUIRE(r1["entries"].size() == 1);
    CHECK(r1["entries"][0]["type"] == "clawback");
    CHECK(r1["entries"][0]["points"] == -6);
    CHECK(r1["refund_id"] == "R1");
    CHECK(r1["txn_id"] == "T1");

    // Replay: same answer, no second clawback. Different body: 409.
    auto again = expect_status(
        srv.post("/api/v1/pos/refunds", {{"txn_id", "T1"}, {"refund_id", "R1"}, {"amount", 6400}}, pos()), 201);
    CHECK(again == r1);
    expect_error(srv.post("/api/v1/pos/refunds", {{"txn_id", "T1"}, {"refund_id", "R1"}, {"amount", 100}}, pos()), 409,
                 "idempotency_conflict");

    // More than what is left of the purchase (6400): 409, nothing changes.
    expect_error(srv.post("/api/v1/pos/refunds", {{"txn_id", "T1"}, {"refund_id", "R2"}, {"amount", 6401}}, pos()), 409,
                 "refund_exceeds_purchase");
    auto r3 = expect_status(
        srv.post("/api/v1/pos/refunds", {{"txn_id", "T1"}, {"refund_id", "R3"}, {"amount", 6400}}, pos()), 201);
    CHECK(r3["points_clawed_back"] == 6);
    CHECK(r3["points"]["balance"] == 0);
    expect_error(srv.post("/api/v1/pos/refunds", {{"txn_id", "T1"}, {"refund_id", "R4"}, {"amount", 1}}, pos()), 409,
                 "refund_exceeds_purchase");

    expect_error(srv.post("/api/v1/pos/refunds", {{"txn_id", "NOPE"}, {"refund_id", "R5"}, {"amount", 100}}, pos()),
                 404, "unknown_transaction");

    auto token = srv.login(kPhone, kPin);
    auto ledger = srv.ledger_all(token);
    CHECK(count_type(ledger, "clawback") == 2);
    CHECK(sum_points(ledger, "clawback") == -12);
    CHECK(srv.balance(token) == 0);
}

TEST_CASE("pos: a refund over the whole purchase amount in one go is refused") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    srv.buy("T1", kPhone, 5000);
    expect_error(srv.post("/api/v1/pos/refunds", {{"txn_id", "T1"}, {"refund_id", "R1"}, {"amount", 5001}}, pos()), 409,
                 "refund_exceeds_purchase");
    CHECK(srv.balance(srv.login(kPhone, kPin)) == 5);
}

TEST_CASE("pos: a clawback beyond the balance becomes debt, netted against the next earning") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    srv.buy("T1", kPhone, 12800);            // 12
    srv.adjust(id, -10, "spent elsewhere");  // 2 left
    auto r = expect_status(
        srv.post("/api/v1/pos/refunds", {{"txn_id", "T1"}, {"refund_id", "R1"}, {"amount", 12800}}, pos()), 201);
    CHECK(r["points"]["balance"] == 0);
    CHECK(r["points"]["debt"] == 10);
    auto token = srv.login(kPhone, kPin);
    CHECK(srv.me(token)["points"]["debt"] == 10);
    CHECK(srv.me(token)["points"]["balance"] == 0);

    auto p = srv.buy("T2", kPhone, 20000);  // 20 earned, 10 settle the debt
    CHECK(p["points"]["balance"] == 10);
    CHECK(p["points"]["debt"] == 0);
    auto me = srv.me(token);
    CHECK(me["points"]["balance"] == 10);
    CHECK(me["points"]["debt"] == 0);
    auto ledger = srv.ledger_all(token);
    CHECK(count_type(ledger, "debt_settle") == 1);
    CHECK(sum_points(ledger, "debt_settle") == -10);
    CHECK(sum_points(ledger) == 10);  // balance = sum of the ledger
}

TEST_CASE("pos: coupon redeem computes the discount, is idempotent by txn_id, and a second use is 409") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    auto wallet = srv.coupons(token, "available");
    REQUIRE(wallet.size() == 1);  // welcome_20: 20 % off, at most ¥50
    auto code = wallet[0]["code"].get<std::string>();
    json body = {{"code", code}, {"order_amount", 15000}, {"store", "S001"}, {"txn_id", "T-C1"}};
    auto r1 = srv.post("/api/v1/pos/coupons/redeem", body, pos());
    auto j1 = expect_status(r1, 200);
    CHECK(j1["code"] == code);
    CHECK(j1["discount"] == 3000);
    CHECK(j1["order_amount"] == 15000);
    CHECK(j1["pay_amount"] == 12000);
    CHECK(j1["coupon"]["state"] == "used");

    auto j2 = expect_status(srv.post("/api/v1/pos/coupons/redeem", body, pos()), 200);
    CHECK(j2 == j1);

    json other = body;
    other["txn_id"] = "T-C2";
    expect_error(srv.post("/api/v1/pos/coupons/redeem", other, pos()), 409, "coupon_used");
    json changed = body;
    changed["order_amount"] = 20000;
    auto res = srv.post("/api/v1/pos/coupons/redeem", changed, pos());
    REQUIRE(res);
    CHECK_MESSAGE(res->status == 409, describe(res));

    auto used = srv.coupons(token, "used");
    REQUIRE(used.size() == 1);
    CHECK(used[0]["used_discount"] == 3000);
    expect_error(
        srv.post("/api/v1/pos/coupons/redeem",
                 {{"code", "NO-SUCH-CODE"}, {"order_amount", 1000}, {"store", "S001"}, {"txn_id", "T-C3"}}, pos()),
        404, "coupon_not_found");
}

TEST_CASE("pos: percent coupons are capped and no discount exceeds the order") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    auto welcome = srv.coupons(token, "available").at(0)["code"].get<std::string>();
    auto j = expect_status(
        srv.post("/api/v1/pos/coupons/redeem",
                 {{"code", welcome}, {"order_amount", 40000}, {"store", "S001"}, {"txn_id", "T1"}}, pos()),
        200);
    CHECK(j["discount"] == 5000);  // 20 % of ¥400 = ¥80, capped at ¥50
    CHECK(j["pay_amount"] == 35000);

    auto c = expect_status(
        srv.post("/api/v1/admin/members/" + std::to_string(id) + "/coupons", {{"template", "spend_back_10"}}, admin()),
        201);
    auto k = expect_status(
        srv.post("/api/v1/pos/coupons/redeem",
                 {{"code", c["code"]}, {"order_amount", 600}, {"store", "S001"}, {"txn_id", "T2"}}, pos()),
        200);
    CHECK(k["discount"] == 600);
    CHECK(k["pay_amount"] == 0);
}

TEST_CASE("pos: an expired or voided coupon cannot be redeemed") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    auto issue = [&] {
        return expect_status(srv.post("/api/v1/admin/members/" + std::to_string(id) + "/coupons",
                                      {{"template", "spend_back_10"}}, admin()),
                             201)["code"]
            .get<std::string>();
    };
    auto voided = issue();
    expect_status(srv.post_empty("/api/v1/admin/coupons/" + voided + "/void", admin()), 200);
    expect_error(srv.post("/api/v1/pos/coupons/redeem",
                          {{"code", voided}, {"order_amount", 5000}, {"store", "S001"}, {"txn_id", "T1"}}, pos()),
                 409, "coupon_void");
    auto late = issue();
    srv.set_clock("2026-05-01T00:00:00Z");  // > 30 days
    expect_error(srv.post("/api/v1/pos/coupons/redeem",
                          {{"code", late}, {"order_amount", 5000}, {"store", "S001"}, {"txn_id", "T2"}}, pos()),
                 409, "coupon_expired");
}

TEST_CASE("pos: bad amounts are 400 invalid_field and change nothing") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    srv.buy("T-OK", kPhone, 100000000);  // the maximum is allowed
    std::vector<json> bad = {-100,    0,         12.5,           1000.0,
                             "12800", 100000001, 1e20,           9223372036854775807LL,
                             true,    nullptr,   json::object(), json::array()};
    int n = 0;
    for (const auto& amount : bad) {
        INFO("amount " << amount.dump());
        auto j = expect_error(
            srv.post("/api/v1/pos/purchases", purchase_body("T" + std::to_string(n++), kPhone, amount), pos()), 400,
            "invalid_field");
        CHECK(starts_with(error_message(j), "amount"));
    }
    // Huge literal that does not fit in 64 bits.
    auto j = expect_error(
        srv.post_raw(
            "/api/v1/pos/purchases",
            R"({"txn_id":"T-BIG","member":"13800000001","amount":123456789012345678901234567890,"store":"S1"})", pos()),
        400, "invalid_field");
    CHECK(starts_with(error_message(j), "amount"));
    j = expect_error(
        srv.post("/api/v1/pos/purchases", {{"txn_id", "T-MISSING"}, {"member", kPhone}, {"store", "S1"}}, pos()), 400,
        "invalid_field");
    CHECK(starts_with(error_message(j), "amount"));

    // Same for refunds and coupon order amounts.
    for (const auto& amount : {json(0), json(-1), json(1.5), json("1")}) {
        INFO("refund amount " << amount.dump());
        j = expect_error(
            srv.post("/api/v1/pos/refunds", {{"txn_id", "T-OK"}, {"refund_id", "R"}, {"amount", amount}}, pos()), 400,
            "invalid_field");
        CHECK(starts_with(error_message(j), "amount"));
        j = expect_error(srv.post("/api/v1/pos/coupons/redeem",
                                  {{"code", "X"}, {"order_amount", amount}, {"store", "S1"}, {"txn_id", "T-X"}}, pos()),
                         400, "invalid_field");
        CHECK(starts_with(error_message(j), "order_amount"));
    }
    CHECK(srv.balance(srv.login(kPhone, kPin)) == 100000);
}

TEST_CASE("pos: other purchase fields are validated and named in the message") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    struct Case {
        json body;
        std::string field;
    };
    std::vector<Case> cases = {
        {{{"member", kPhone}, {"amount", 1000}, {"store", "S1"}}, "txn_id"},
        {{{"txn_id", ""}, {"member", kPhone}, {"amount", 1000}, {"store", "S1"}}, "txn_id"},
        {{{"txn_id", std::string(129, 'x')}, {"member", kPhone}, {"amount", 1000}, {"store", "S1"}}, "txn_id"},
        {{{"txn_id", 17}, {"member", kPhone}, {"amount", 1000}, {"store", "S1"}}, "txn_id"},
        {{{"txn_id", "T"}, {"amount", 1000}, {"store", "S1"}}, "member"},
        {{{"txn_id", "T"}, {"member", true}, {"amount", 1000}, {"store", "S1"}}, "member"},
        {{{"txn_id", "T"}, {"member", ""}, {"amount", 1000}, {"store", "S1"}}, "member"},
        {{{"txn_id", "T"}, {"member", kPhone}, {"amount", 1000}}, "store"},
        {{{"txn_id", "T"}, {"member", kPhone}, {"amount", 1000}, {"store", std::string(65, 's')}}, "store"},
        {{{"txn_id", "T"}, {"member", kPhone}, {"amount", 1000}, {"store", "S1"}, {"at", "yesterday"}}, "at"},
        {{{"txn_id", "T"}, {"member", kPhone}, {"amount", 1000}, {"store", "S1"}, {"at", 1773540000}}, "at"},
    };
    for (const auto& c : cases) {
        INFO(c.body.dump());
        auto j = expect_error(srv.post("/api/v1/pos/purchases", c.body, pos()), 400, "invalid_field");
        CHECK(starts_with(error_message(j), c.field));
    }
    expect_error(srv.post_raw("/api/v1/pos/purchases", "{\"txn_id\":", pos()), 400, "invalid_json");
    CHECK(srv.balance(srv.login(kPhone, kPin)) == 0);
    // A txn_id of exactly 128 characters is fine.
    expect_status(srv.post("/api/v1/pos/purchases", purchase_body(std::string(128, 'x'), kPhone, 1000), pos()), 201);
}

TEST_CASE("pos: wrong, missing and wrong-kind keys are refused") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto body = purchase_body("T1", kPhone, 1000);
    expect_error(srv.post("/api/v1/pos/purchases", body), 401, "unauthorized");
    expect_error(srv.post("/api/v1/pos/purchases", body, {{"X-Api-Key", "wrong-key-0123456789abcdef"}}), 401,
                 "unauthorized");
    expect_error(srv.post("/api/v1/pos/purchases", body, {{"X-Api-Key", kPosKey + "x"}}), 401, "unauthorized");
    expect_error(srv.post("/api/v1/pos/purchases", body, {{"X-Api-Key", kPosKey.substr(0, kPosKey.size() - 1)}}), 401,
                 "unauthorized");
    expect_error(srv.post("/api/v1/pos/purchases", body, {{"X-Api-Key", ""}}), 401, "unauthorized");
    // The kiosk device key is a valid credential of the wrong kind.
    expect_error(srv.post("/api/v1/pos/purchases", body, {{"X-Api-Key", kKioskKey}}), 403, "forbidden");
    expect_error(srv.post("/api/v1/pos/purchases", body, kiosk_device()), 401, "unauthorized");
    expect_error(srv.post("/api/v1/pos/purchases", body, admin()), 403, "forbidden");
    auto token = srv.login(kPhone, kPin);
    CHECK(srv.balance(token) == 0);

    // A POS key on admin routes.
    expect_error(srv.get("/api/v1/admin/members", pos()), 403, "forbidden");
    expect_error(srv.post("/api/v1/admin/members", {{"phone", "13900000002"}, {"pin", kPin}, {"name", "X"}}, pos()),
                 403, "forbidden");
    expect_error(srv.post("/api/v1/admin/members/1/adjust", {{"points", 1000}, {"reason", "free points"}}, pos()), 403,
                 "forbidden");
    expect_error(srv.put("/api/v1/admin/clock", {{"now", "2030-01-01T00:00:00Z"}}, pos()), 403, "forbidden");
    CHECK(srv.balance(token) == 0);
    // And on member routes a POS key is not a bearer token.
    expect_error(srv.get("/api/v1/me", pos()), 401, "unauthorized");
}

}  // namespace api_pos_test
