// Staff accounts (domain.md §8): sign-in with username and password, the lock after repeated
// failures, sessions of 8 h that end after 30 min unused, password change, and hq_admin managing
// accounts while the admin key stays usable.
#include "staff_fixture.hpp"

using namespace mdtest;

namespace api_staff_test {

TEST_CASE("staff: an account signs in with username and password and gets a bearer token with its role") {
    TestServer srv;
    make_chain(srv);
    create_staff(srv, "clerk.e1", "clerk", "S001");
    auto j =
        expect_status(srv.post("/api/v1/staff/login", {{"username", "clerk.e1"}, {"password", kStaffPassword}}), 200);
    CHECK(j["role"] == "clerk");
    CHECK(j["expires_at"] == plus(kStart, 8 * 3600));
    auto me = expect_status(srv.get("/api/v1/staff/me", bearer(j["token"].get<std::string>())), 200);
    CHECK(me["username"] == "clerk.e1");
    CHECK(me["store"] == "S001");
    CHECK(me["region"].is_null());
    // A staff token is no member token, and a member token is no staff token.
    expect_error(srv.get("/api/v1/me", bearer(j["token"].get<std::string>())), 401, "unauthorized");
    srv.create_member("13800000001");
    expect_error(srv.get("/api/v1/staff/me", bearer(srv.login("13800000001"))), 401, "unauthorized");
    expect_status(srv.post_empty("/api/v1/staff/logout", bearer(j["token"].get<std::string>())), 204);
    expect_error(srv.get("/api/v1/staff/me", bearer(j["token"].get<std::string>())), 401, "unauthorized");
}

TEST_CASE("staff: a wrong password is 401 and after 5 failures even the right one is 429 for the window") {
    TestServer srv;
    make_chain(srv);
    create_staff(srv, "clerk.e1", "clerk", "S001");
    for (int i = 0; i < 5; ++i)
        expect_error(srv.post("/api/v1/staff/login", {{"username", "clerk.e1"}, {"password", "wrong-password"}}), 401,
                     "invalid_credentials");
    auto res = srv.post("/api/v1/staff/login", {{"username", "clerk.e1"}, {"password", kStaffPassword}});
    expect_error(res, 429, "too_many_attempts");
    CHECK(res->get_header_value("Retry-After") != "");
    expect_error(srv.post("/api/v1/staff/login", {{"username", "nobody"}, {"password", kStaffPassword}}), 401,
                 "invalid_credentials");
    srv.set_clock(plus(kStart, 15 * 60 + 1));
    staff_login(srv, "clerk.e1");
}

TEST_CASE("staff: a session ends after 30 minutes unused and after 8 hours in any case") {
    TestServer srv;
    make_chain(srv);
    create_staff(srv, "mgr.e1", "store_manager", "S001");
    auto idle = staff_login(srv, "mgr.e1");
    auto busy = staff_login(srv, "mgr.e1");
    std::int64_t t = 0;
    // `busy` is used every 20 minutes for 8 hours; `idle` is left alone after the first 20.
    for (; t < 8 * 3600 - 1200; t += 1200) {
        srv.set_clock(plus(kStart, t + 1200));
        expect_status(srv.get("/api/v1/staff/me", bearer(busy)), 200);
        if (t == 0) expect_status(srv.get("/api/v1/staff/me", bearer(idle)), 200);
    }
    expect_error(srv.get("/api/v1/staff/me", bearer(idle)), 401, "unauthorized");
    srv.set_clock(plus(kStart, 8 * 3600));
    expect_error(srv.get("/api/v1/staff/me", bearer(busy)), 401, "unauthorized");
}

TEST_CASE("staff: a password change signs every session out and the new password works") {
    TestServer srv;
    make_chain(srv);
    create_staff(srv, "clerk.e1", "clerk", "S001");
    auto t1 = staff_login(srv, "clerk.e1");
    auto t2 = staff_login(srv, "clerk.e1");
    expect_error(srv.post("/api/v1/staff/password",
                          {{"old_password", "not-the-password"}, {"new_password", "new-pass-2026!"}}, bearer(t1)),
                 401, "invalid_credentials");
    expect_error(
        srv.post("/api/v1/staff/password", {{"old_password", kStaffPassword}, {"new_password", "short"}}, bearer(t1)),
        400, "weak_password");
    expect_status(srv.post("/api/v1/staff/password",
                           {{"old_password", kStaffPassword}, {"new_password", "new-pass-2026!"}}, bearer(t1)),
                  204);
    expect_error(srv.get("/api/v1/staff/me", bearer(t2)), 401, "unauthorized");
    expect_error(srv.post("/api/v1/staff/login", {{"username", "clerk.e1"}, {"password", kStaffPassword}}), 401,
                 "invalid_credentials");
    staff_login(srv, "clerk.e1", "new-pass-2026!");
}

TEST_CASE("staff: hq_admin creates, disables and resets accounts and manages stores; other roles may not") {
    TestServer srv;
    make_chain(srv);
    create_staff(srv, "hq.ann", "hq_admin");
    create_staff(srv, "mgr.e1", "store_manager", "S001");
    auto hq = staff_login(srv, "hq.ann");
    auto mgr = staff_login(srv, "mgr.e1");
    json clerk = {
        {"username", "clerk.e9"}, {"password", kStaffPassword}, {"name", "Nine"}, {"role", "clerk"}, {"store", "S002"}};
    expect_error(srv.post("/api/v1/admin/staff", clerk, bearer(mgr)), 403, "forbidden");
    auto created = expect_status(srv.post("/api/v1/admin/staff", clerk, bearer(hq)), 201);
    auto id = created["id"].get<std::int64_t>();
    auto tok = staff_login(srv, "clerk.e9");
    expect_status(srv.patch("/api/v1/admin/staff/" + std::to_string(id), {{"disabled", true}}, bearer(hq)), 200);
    expect_error(srv.get("/api/v1/staff/me", bearer(tok)), 401, "unauthorized");
    expect_error(srv.post("/api/v1/staff/login", {{"username", "clerk.e9"}, {"password", kStaffPassword}}), 401,
                 "invalid_credentials");
    expect_status(srv.patch("/api/v1/admin/staff/" + std::to_string(id),
                            {{"disabled", false}, {"password", "reset-pass-2026"}}, bearer(hq)),
                  200);
    staff_login(srv, "clerk.e9", "reset-pass-2026");
    expect_status(srv.post("/api/v1/admin/regions", {{"id", "N"}, {"name", "North"}}, bearer(hq)), 201);
    expect_error(srv.post("/api/v1/admin/regions", {{"id", "S"}, {"name", "South"}}, bearer(mgr)), 403, "forbidden");
    auto list = expect_status(srv.get("/api/v1/admin/staff", bearer(hq)), 200)["staff"];
    CHECK(list.size() == 3);
    CHECK(list.dump().find("password") == std::string::npos);
    // The audit names hq_admin by id and username.
    bool named = false;
    for (const auto& e : admin_audit(srv))
        if (e["action"] == "update_staff") named = e["actor"]["kind"] == "staff" && e["actor"]["username"] == "hq.ann";
    CHECK(named);
}

TEST_CASE("staff: an account's role must be known and come with its store or region") {
    TestServer srv;
    make_chain(srv);
    auto post = [&](json b) {
        b["password"] = kStaffPassword;
        b["name"] = "N";
        return srv.post("/api/v1/admin/staff", b, admin());
    };
    expect_error(post({{"username", "a.b"}, {"role", "owner"}}), 400, "invalid_role");
    expect_error(post({{"username", "a.b"}, {"role", "clerk"}}), 400, "invalid_field");
    expect_error(post({{"username", "a.b"}, {"role", "clerk"}, {"store", "S999"}}), 404, "unknown_store");
    expect_error(post({{"username", "a.b"}, {"role", "region_manager"}, {"region", "X"}}), 404, "unknown_region");
    expect_error(post({{"username", "A B"}, {"role", "auditor"}}), 400, "invalid_username");
    expect_status(post({{"username", "a.b"}, {"role", "auditor"}}), 201);
    expect_error(post({{"username", "a.b"}, {"role", "auditor"}}), 409, "already_exists");
    expect_error(srv.post("/api/v1/admin/staff",
                          {{"username", "c.d"}, {"password", "short"}, {"name", "N"}, {"role", "auditor"}}, admin()),
                 400, "weak_password");
}

}  // namespace api_staff_test
