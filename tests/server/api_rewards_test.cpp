// Rewards catalog and redemptions over HTTP: affordability, Idempotency-Key, insufficient points,
// tier restriction, and 16 concurrent redemptions that must never overdraw.
#include "test_server.hpp"

using namespace mdtest;

namespace api_rewards_test {

namespace {
const std::string kPhone = "13800000001";
const std::string kPin = "123456";

json reward(const json& list, const std::string& id) {
    for (const auto& r : list)
        if (r.value("id", "") == id) return r;
    FAIL("reward " << id << " not in " << list.dump());
    return json();
}
}  // namespace

TEST_CASE("rewards: the catalog marks what the member can afford, can reach by tier, and stock") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    auto j = expect_status(srv.get("/api/v1/rewards", bearer(token)), 200);
    REQUIRE(j["rewards"].is_array());
    CHECK(j["rewards"].size() == 3);
    auto pastry = reward(j["rewards"], "pastry");
    CHECK(pastry["cost"] == 300);
    CHECK(pastry["affordable"] == false);
    CHECK(pastry["tier_allowed"] == true);
    CHECK(pastry["in_stock"] == true);
    CHECK(pastry["stock_left"].is_null());
    CHECK(pastry["name"]["en"] == "Pastry");
    CHECK(pastry["coupon_title"].is_object());
    auto tumbler = reward(j["rewards"], "tumbler");
    CHECK(tumbler["min_tier"] == "elite");
    CHECK(tumbler["tier_allowed"] == false);
    CHECK(tumbler["stock_left"] == 200);

    srv.adjust(id, 400, "gift");
    j = expect_status(srv.get("/api/v1/rewards", bearer(token)), 200);
    CHECK(reward(j["rewards"], "pastry")["affordable"] == true);
    CHECK(reward(j["rewards"], "premium_coffee")["affordable"] == false);

    expect_error(srv.get("/api/v1/rewards"), 401, "unauthorized");
}

TEST_CASE("rewards: redeem with an Idempotency-Key is 201 with the coupon and new balance; a replay is identical") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    srv.adjust(id, 700, "gift");
    auto token = srv.login(kPhone, kPin);
    auto r1 = srv.post("/api/v1/me/redemptions", {{"reward_id", "premium_coffee"}}, bearer(token) + idem("key-1"));
    auto j1 = expect_status(r1, 201);
    CHECK(j1["reward_id"] == "premium_coffee");
    CHECK(j1["points"] == 500);
    CHECK(j1["balance_after"] == 200);
    CHECK(j1["created_at"] == kStart);
    REQUIRE(j1["coupon"].is_object());
    CHECK(j1["coupon"]["kind"] == "free_item");
    CHECK(j1["coupon"]["source"] == "reward");
    CHECK(j1["coupon"]["state"] == "available");

    auto r2 = srv.post("/api/v1/me/redemptions", {{"reward_id", "premium_coffee"}}, bearer(token) + idem("key-1"));
    auto j2 = expect_status(r2, 201);
    CHECK(j2 == j1);

    CHECK(srv.balance(token) == 200);
    auto ledger = srv.ledger_all(token, "type=redeem");
    REQUIRE(ledger.size() == 1);
    CHECK(ledger[0]["points"] == -500);
    auto hist = expect_status(srv.get("/api/v1/me/redemptions", bearer(token)), 200);
    REQUIRE(hist["redemptions"].is_array());
    CHECK(hist["redemptions"].size() == 1);
    // The coupon is in the wallet and works at the POS as a free item (0 money, a note).
    auto code = j1["coupon"]["code"].get<std::string>();
    bool found = false;
    for (const auto& c : srv.coupons(token, "available")) found = found || c["code"] == code;
    CHECK(found);
    auto pay = expect_status(
        srv.post("/api/v1/pos/coupons/redeem",
                 {{"code", code}, {"order_amount", 3800}, {"store", "S001"}, {"txn_id", "T-FREE"}}, pos()),
        200);
    CHECK(pay["discount"] == 0);
    CHECK(pay["pay_amount"] == 3800);
    CHECK(pay["kind"] == "free_item");
    REQUIRE(pay["item"].is_object());  // what to hand over, in both languages
    CHECK(pay["item"]["zh"].is_string());
    CHECK(pay["item"]["en"].is_string());
}

TEST_CASE("rewards: the same key for a different reward is 409 idempotency_conflict") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    srv.adjust(id, 2000, "gift");
    auto token = srv.login(kPhone, kPin);
    expect_status(srv.post("/api/v1/me/redemptions", {{"reward_id", "pastry"}}, bearer(token) + idem("k")), 201);
    expect_error(srv.post("/api/v1/me/redemptions", {{"reward_id", "premium_coffee"}}, bearer(token) + idem("k")), 409,
                 "idempotency_conflict");
    CHECK(srv.balance(token) == 1700);
    // Keys are per member: another member may use the same key.
    auto id2 = srv.create_member("13900000002", "654321");
    srv.adjust(id2, 300, "gift");
    auto t2 = srv.login("13900000002", "654321");
    auto j = expect_status(srv.post("/api/v1/me/redemptions", {{"reward_id", "pastry"}}, bearer(t2) + idem("k")), 201);
    CHECK(j["balance_after"] == 0);
    CHECK(srv.balance(token) == 1700);
}

TEST_CASE("rewards: a missing or malformed Idempotency-Key is 400 and spends nothing") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    srv.adjust(id, 1000, "gift");
    auto token = srv.login(kPhone, kPin);
    auto j = expect_error(srv.post("/api/v1/me/redemptions", {{"reward_id", "pastry"}}, bearer(token)), 400,
                          "invalid_field");
    CHECK(starts_with(error_message(j), "Idempotency-Key"));
    for (const std::string& key :
         {std::string(129, 'k'), std::string("has space"), std::string("tab\tkey"), std::string("ключ")}) {
        INFO("key '" << key << "'");
        j = expect_error(srv.post("/api/v1/me/redemptions", {{"reward_id", "pastry"}}, bearer(token) + idem(key)), 400,
                         "invalid_field");
        CHECK(starts_with(error_message(j), "Idempotency-Key"));
    }
    expect_status(
        srv.post("/api/v1/me/redemptions", {{"reward_id", "pastry"}}, bearer(token) + idem(std::string(128, 'k'))),
        201);
    j = expect_error(srv.post("/api/v1/me/redemptions", json::object(), bearer(token) + idem("k2")), 400,
                     "invalid_field");
    CHECK(starts_with(error_message(j), "reward_id"));
    j = expect_error(srv.post("/api/v1/me/redemptions", {{"reward_id", 3}}, bearer(token) + idem("k3")), 400,
                     "invalid_field");
    CHECK(starts_with(error_message(j), "reward_id"));
    expect_error(srv.post("/api/v1/me/redemptions", {{"reward_id", "unicorn"}}, bearer(token) + idem("k4")), 404,
                 "unknown_reward");
    CHECK(srv.balance(token) == 700);
}

TEST_CASE("rewards: insufficient points is 409, changes nothing and leaves its key free; tier restriction is 409") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    srv.adjust(id, 499, "gift");
    auto token = srv.login(kPhone, kPin);
    expect_error(srv.post("/api/v1/me/redemptions", {{"reward_id", "premium_coffee"}}, bearer(token) + idem("a")), 409,
                 "insufficient_points");
    CHECK(srv.balance(token) == 499);
    CHECK(srv.ledger_all(token).size() == 1);
    CHECK(srv.coupons(token).size() == 1);  // only the welcome coupon

    srv.adjust(id, 5000, "gift");
    expect_error(srv.post("/api/v1/me/redemptions", {{"reward_id", "tumbler"}}, bearer(token) + idem("b")), 409,
                 "tier_not_allowed");
    CHECK(srv.balance(token) == 5499);
    // A refusal is not remembered: the key refused for too few points redeems now.
    expect_status(srv.post("/api/v1/me/redemptions", {{"reward_id", "premium_coffee"}}, bearer(token) + idem("a")),
                  201);
    CHECK(srv.balance(token) == 4999);
}

TEST_CASE("rewards: 16 concurrent redemptions with different keys never overdraw") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    srv.adjust(id, 1700, "gift");
    auto token = srv.login(kPhone, kPin);
    const std::int64_t initial = srv.balance(token);
    REQUIRE(initial == 1700);

    constexpr int N = 16;
    std::vector<int> status(N, 0);
    std::vector<std::string> bodies(N);
    run_concurrently(N, [&](int i) {
        auto cli = srv.new_client();
        auto res = cli->Post("/api/v1/me/redemptions", bearer(token) + idem("race-" + std::to_string(i)),
                             json{{"reward_id", "premium_coffee"}}.dump(), "application/json");
        if (res) {
            status[i] = res->status;
            bodies[i] = res->body;
        }
    });
    int ok = 0, refused = 0;
    for (int i = 0; i < N; ++i) {
        INFO("thread " << i << ": " << status[i] << " " << bodies[i]);
        if (status[i] == 201) {
            ++ok;
        } else {
            CHECK(status[i] == 409);
            auto j = json::parse(bodies[i], nullptr, false);
            CHECK(j["error"]["code"] == "insufficient_points");
            ++refused;
        }
    }
    CHECK(ok + refused == N);
    CHECK(ok == 3);  // 1700 / 500
    auto final_balance = srv.balance(token);
    CHECK(final_balance >= 0);
    CHECK(final_balance == initial - 500 * ok);
    auto ledger = srv.ledger_all(token);
    CHECK(count_type(ledger, "redeem") == ok);
    CHECK(sum_points(ledger) == final_balance);
    auto hist = expect_status(srv.get("/api/v1/me/redemptions", bearer(token)), 200);
    CHECK(hist["redemptions"].size() == static_cast<std::size_t>(ok));
}

TEST_CASE("rewards: 16 concurrent replays of one Idempotency-Key redeem once") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    srv.adjust(id, 5000, "gift");
    auto token = srv.login(kPhone, kPin);
    constexpr int N = 16;
    std::vector<int> status(N, 0);
    std::vector<std::string> bodies(N);
    run_concurrently(N, [&](int i) {
        auto cli = srv.new_client();
        auto res = cli->Post("/api/v1/me/redemptions", bearer(token) + idem("same-key"),
                             json{{"reward_id", "pastry"}}.dump(), "application/json");
        if (res) {
            status[i] = res->status;
            bodies[i] = res->body;
        }
    });
    for (int i = 0; i < N; ++i) {
        INFO("thread " << i << ": " << bodies[i]);
        CHECK(status[i] == 201);
        CHECK(json::parse(bodies[i], nullptr, false) == json::parse(bodies[0], nullptr, false));
    }
    CHECK(srv.balance(token) == 4700);
    CHECK(count_type(srv.ledger_all(token), "redeem") == 1);
}

TEST_CASE("rewards: an Elite member may redeem the stocked tumbler and stock_left goes down") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    srv.buy("T-BIG", kPhone, 400000);  // ¥4,000 -> Elite (earns 400 at Standard)
    srv.adjust(id, 1100, "gift");
    auto token = srv.login(kPhone, kPin);
    CHECK(srv.me(token)["tier"]["id"] == "elite");
    auto j =
        expect_status(srv.post("/api/v1/me/redemptions", {{"reward_id", "tumbler"}}, bearer(token) + idem("t1")), 201);
    CHECK(j["balance_after"] == 0);
    auto list = expect_status(srv.get("/api/v1/rewards", bearer(token)), 200);
    CHECK(reward(list["rewards"], "tumbler")["stock_left"] == 199);
}

}  // namespace api_rewards_test
