// The member's own profile (domain.md §7): the name any time, the birthday once.
#include "test_server.hpp"

using namespace mdtest;

namespace profile_test {

TEST_CASE("profile: a member changes their name and sets a birthday once; a second birthday is refused") {
    TestServer srv;
    srv.create_member("13800000001");
    const auto token = srv.login("13800000001");
    auto j =
        expect_status(srv.patch("/api/v1/me", {{"name", "韩梅梅"}, {"birthday", "1990-05-20"}}, bearer(token)), 200);
    CHECK(j["profile"]["name"] == "韩梅梅");
    CHECK(j["profile"]["birthday"] == "1990-05-20");
    expect_error(srv.patch("/api/v1/me", {{"birthday", "1991-01-01"}}, bearer(token)), 409, "birthday_already_set");
    // The same birthday again changes nothing and is fine.
    expect_status(srv.patch("/api/v1/me", {{"birthday", "1990-05-20"}, {"name", "梅梅"}}, bearer(token)), 200);
    CHECK(srv.me(token)["profile"]["name"] == "梅梅");
}

TEST_CASE("profile: bad names and birthdays are refused, and a kiosk cannot change the profile") {
    TestServer srv;
    srv.create_member("13800000001");
    const auto token = srv.login("13800000001");
    expect_error(srv.patch("/api/v1/me", {{"name", "   "}}, bearer(token)), 400, "invalid_name");
    expect_error(srv.patch("/api/v1/me", {{"birthday", "2030-01-01"}}, bearer(token)), 400, "invalid_birthday");
    expect_error(srv.patch("/api/v1/me", json::object(), bearer(token)), 400, "invalid_field");
    auto k = srv.kiosk_login({{"phone", "13800000001"}, {"pin", "123456"}});
    expect_error(srv.patch("/api/v1/me", {{"name", "x"}}, bearer(k)), 403, "forbidden");
}

}  // namespace profile_test
