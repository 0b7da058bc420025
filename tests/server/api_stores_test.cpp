// Stores, regions and per-store POS keys (domain.md §8): the admin API, keys shown once and kept
// hashed, a store's key acting only for its own store, revocation, and the audit naming the key.
#include "staff_fixture.hpp"

using namespace mdtest;

namespace api_stores_test {

namespace {
const std::string kPhone = "13800000001";

json purchase(const std::string& txn, const std::string& store, std::int64_t amount = 12800) {
    return {{"txn_id", txn}, {"member", kPhone}, {"amount", amount}, {"store", store}};
}
}  // namespace

TEST_CASE("stores: the admin key creates regions and stores and lists them with their active key ids") {
    TestServer srv;
    make_chain(srv);
    auto k = issue_pos_key(srv, "S001");
    auto j = expect_status(srv.get("/api/v1/admin/stores", admin()), 200);
    REQUIRE(j["regions"].size() == 2);
    CHECK(j["regions"][0]["id"] == "E");
    REQUIRE(j["stores"].size() == 4);
    CHECK(j["stores"][0]["id"] == "S001");
    CHECK(j["stores"][0]["region"] == "E");
    REQUIRE(j["stores"][0]["pos_keys"].size() == 1);
    CHECK(j["stores"][0]["pos_keys"][0]["key_id"] == k.id);
    CHECK(j.dump().find(k.key) == std::string::npos);  // the key itself is shown once only
    CHECK(k.key.rfind("mdpos_", 0) == 0);
}

TEST_CASE("stores: bad ids, unknown regions and duplicates are refused with their codes") {
    TestServer srv;
    make_chain(srv);
    expect_error(srv.post("/api/v1/admin/regions", {{"id", "E"}, {"name", "again"}}, admin()), 409, "already_exists");
    expect_error(srv.post("/api/v1/admin/stores", {{"id", "S001"}, {"name", "again"}, {"region", "E"}}, admin()), 409,
                 "already_exists");
    expect_error(srv.post("/api/v1/admin/stores", {{"id", "S900"}, {"name", "n"}, {"region", "X"}}, admin()), 404,
                 "unknown_region");
    expect_error(srv.post("/api/v1/admin/regions", {{"id", "no spaces"}, {"name", "n"}}, admin()), 400, "invalid_id");
    expect_error(srv.post_empty("/api/v1/admin/stores/S999/pos-keys", admin()), 404, "unknown_store");
    expect_error(srv.post("/api/v1/admin/regions", {{"id", "N"}, {"name", "North"}}, pos()), 403, "forbidden");
    expect_error(srv.post("/api/v1/admin/regions", {{"id", "N"}, {"name", "North"}}), 401, "unauthorized");
}

TEST_CASE("stores: a store's POS key posts purchases for its own store and is refused for another") {
    TestServer srv;
    make_chain(srv);
    srv.create_member(kPhone);
    auto a = issue_pos_key(srv, "S001");
    expect_status(srv.post("/api/v1/pos/purchases", purchase("T1", "S001"), api_key(a.key)), 201);
    expect_error(srv.post("/api/v1/pos/purchases", purchase("T2", "S101"), api_key(a.key)), 403, "store_mismatch");
    // The chain-wide key acts for any store.
    expect_status(srv.post("/api/v1/pos/purchases", purchase("T3", "S101"), pos()), 201);
    // A store key is no admin key, and a made-up key is no key.
    expect_error(srv.get("/api/v1/admin/members", api_key(a.key)), 401, "unauthorized");
    expect_error(srv.post("/api/v1/pos/purchases", purchase("T4", "S001"), api_key("mdpos_made-up-key-0000000000")),
                 401, "unauthorized");
}

TEST_CASE("stores: a store's POS key refunds and redeems coupons only for its own store") {
    TestServer srv;
    make_chain(srv);
    srv.create_member(kPhone);
    auto a = issue_pos_key(srv, "S001");
    auto b = issue_pos_key(srv, "S101");
    expect_status(srv.post("/api/v1/pos/purchases", purchase("T1", "S001"), api_key(a.key)), 201);
    json refund = {{"txn_id", "T1"}, {"refund_id", "R1"}, {"amount", 1000}};
    expect_error(srv.post("/api/v1/pos/refunds", refund, api_key(b.key)), 403, "store_mismatch");
    expect_status(srv.post("/api/v1/pos/refunds", refund, api_key(a.key)), 201);

    auto token = srv.login(kPhone);
    auto code = srv.coupons(token, "available").at(0)["code"].get<std::string>();
    json redeem = {{"code", code}, {"order_amount", 15000}, {"store", "S001"}, {"txn_id", "T-C1"}};
    expect_error(srv.post("/api/v1/pos/coupons/redeem", redeem, api_key(b.key)), 403, "store_mismatch");
    expect_status(srv.post("/api/v1/pos/coupons/redeem", redeem, api_key(a.key)), 200);
}

TEST_CASE("stores: a revoked POS key is refused while the store's other key keeps working") {
    TestServer srv;
    make_chain(srv);
    srv.create_member(kPhone);
    auto old_key = issue_pos_key(srv, "S001");
    auto new_key = issue_pos_key(srv, "S001");
    CHECK(old_key.id != new_key.id);
    expect_status(srv.del("/api/v1/admin/pos-keys/" + old_key.id, admin()), 204);
    expect_error(srv.del("/api/v1/admin/pos-keys/" + old_key.id, admin()), 404, "pos_key_not_found");
    expect_error(srv.post("/api/v1/pos/purchases", purchase("T1", "S001"), api_key(old_key.key)), 401, "unauthorized");
    expect_status(srv.post("/api/v1/pos/purchases", purchase("T2", "S001"), api_key(new_key.key)), 201);
    auto stores = expect_status(srv.get("/api/v1/admin/stores", admin()), 200)["stores"];
    REQUIRE(stores[0]["pos_keys"].size() == 1);
    CHECK(stores[0]["pos_keys"][0]["key_id"] == new_key.id);
}

TEST_CASE("stores: the audit names the store's key and its store, and marks the chain-wide key as chain") {
    TestServer srv;
    make_chain(srv);
    srv.create_member(kPhone);
    auto a = issue_pos_key(srv, "S002");
    expect_status(srv.post("/api/v1/pos/purchases", purchase("T1", "S002"), api_key(a.key)), 201);
    expect_status(srv.post("/api/v1/pos/purchases", purchase("T2", "S101"), pos()), 201);
    int seen = 0;
    for (const auto& e : admin_audit(srv)) {
        if (e["action"] != "purchase") continue;
        CHECK(e["actor"]["kind"] == "pos");
        if (e["detail"]["txn_id"] == "T1") {
            CHECK(e["actor"]["id"] == a.id);
            CHECK(e["actor"]["store"] == "S002");
            ++seen;
        } else {
            CHECK(e["actor"]["id"] == "chain");
            CHECK(e["actor"]["store"] == "S101");
            ++seen;
        }
    }
    CHECK(seen == 2);
}

}  // namespace api_stores_test
