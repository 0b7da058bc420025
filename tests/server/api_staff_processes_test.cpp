// Scope across server processes (domain.md §8): a second server on the same database (its own
// PostgreSQL schema under tests/pg/run) honours the keys, sessions and scope the first one created,
// since all of them live in the database and none in a process.
#include "staff_fixture.hpp"

using namespace mdtest;

namespace api_staff_processes_test {

TEST_CASE("staff processes: a second server on the same database keeps store keys, sessions and scope") {
    TestServer srv;
    make_chain(srv);
    const auto east = srv.create_member("13800000011");
    const auto west = srv.create_member("13800000012");
    srv.buy("TE", "13800000011", 3000, "S001");
    srv.buy("TW", "13800000012", 3000, "S101");
    create_staff(srv, "region.e", "region_manager", "", "E");
    auto token = staff_login(srv, "region.e");
    auto key = issue_pos_key(srv, "S001");

    RunningApp second(srv.config());
    httplib::Client b("127.0.0.1", second.port());
    b.set_read_timeout(30, 0);
    auto tok = bearer(token);
    auto list = body_json(b.Get("/api/v1/staff/members", tok));
    REQUIRE(list["members"].size() == 1);
    CHECK(list["members"][0]["id"] == east);
    expect_error(b.Get("/api/v1/staff/members/" + std::to_string(west), tok), 404, "member_not_found");
    expect_status(b.Get("/api/v1/staff/members/" + std::to_string(east), tok), 200);

    json purchase = {{"txn_id", "T2"}, {"member", "13800000011"}, {"amount", 1000}, {"store", "S101"}};
    expect_error(b.Post("/api/v1/pos/purchases", api_key(key.key), purchase.dump(), "application/json"), 403,
                 "store_mismatch");
    purchase["store"] = "S001";
    expect_status(b.Post("/api/v1/pos/purchases", api_key(key.key), purchase.dump(), "application/json"), 201);

    // A key revoked through the first server is refused by the second at once.
    expect_status(srv.del("/api/v1/admin/pos-keys/" + key.id, admin()), 204);
    purchase["txn_id"] = "T3";
    expect_error(b.Post("/api/v1/pos/purchases", api_key(key.key), purchase.dump(), "application/json"), 401,
                 "unauthorized");
    second.stop();
}

}  // namespace api_staff_processes_test
