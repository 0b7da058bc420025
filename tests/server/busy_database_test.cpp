// A database that cannot answer is the server's problem, never the member's: 503 service_busy with
// Retry-After, and the session stays valid for the retry.
#include "test_server.hpp"

using namespace mdtest;

namespace busy_database_test {

TEST_CASE("a busy database while checking a member's token answers 503 with Retry-After, not 401") {
    auto busy = std::make_shared<std::atomic<bool>>(false);
    TestServer srv(busy_when_told(busy));
    srv.create_member("13800000001", "123456");
    const std::string token = srv.login("13800000001", "123456");
    expect_status(srv.get("/api/v1/me", bearer(token)), 200);

    busy->store(true);
    auto res = srv.get("/api/v1/me", bearer(token));
    expect_error(res, 503, "service_busy");
    CHECK(res->get_header_value("Retry-After") == "1");
    expect_error(srv.get("/api/v1/me/ledger", bearer(token)), 503, "service_busy");

    busy->store(false);
    expect_status(srv.get("/api/v1/me", bearer(token)), 200);  // the session survived
}

TEST_CASE("a busy database while a POS or admin writes answers 503 service_busy with Retry-After") {
    auto busy = std::make_shared<std::atomic<bool>>(false);
    TestServer srv(busy_when_told(busy));
    const auto id = srv.create_member("13800000001", "123456");
    busy->store(true);
    auto buy =
        srv.post("/api/v1/pos/purchases", {{"txn_id", "T1"}, {"member", id}, {"amount", 3000}, {"store", "S1"}}, pos());
    expect_error(buy, 503, "service_busy");
    CHECK(buy->get_header_value("Retry-After") == "1");
    expect_error(srv.get("/api/v1/admin/members/" + std::to_string(id), admin()), 503, "service_busy");
}

}  // namespace busy_database_test
