// Member sign-in over HTTP: login, brute-force limit, logout, sliding session expiry, bad bodies.
#include "test_server.hpp"

using namespace mdtest;

namespace api_auth_test {

namespace {
const std::string kPhone = "13800000001";
const std::string kPin = "123456";
}  // namespace

TEST_CASE("auth: login with the right PIN returns a token that expires 30 minutes from now") {
    TestServer srv;
    srv.create_member(kPhone, kPin, "王小明");
    auto res = srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}});
    auto j = expect_status(res, 200);
    REQUIRE(j.is_object());
    CHECK(j["token"].is_string());
    CHECK(j["token"].get<std::string>().size() >= 20);
    CHECK(j["expires_at"] == plus(kStart, 30 * 60));
    CHECK(res->get_header_value("Cache-Control") == "no-store");

    // The token works.
    auto me = srv.me(j["token"].get<std::string>());
    CHECK(me["profile"]["phone_masked"] == "138****0001");
}

TEST_CASE("auth: two logins give two different tokens") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto a = srv.login(kPhone, kPin);
    auto b = srv.login(kPhone, kPin);
    CHECK(a != b);
    CHECK(srv.me(a)["profile"]["id"] == srv.me(b)["profile"]["id"]);
}

TEST_CASE("auth: wrong PIN and unknown phone both answer 401 invalid_credentials") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "654321"}}), 401, "invalid_credentials");
    expect_error(srv.post("/api/v1/auth/login", {{"phone", "13900000009"}, {"pin", kPin}}), 401, "invalid_credentials");
}

TEST_CASE("auth: after 5 failures within 15 minutes even the right PIN gets 429 with Retry-After") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    for (int i = 0; i < 5; ++i) {
        srv.set_clock(plus(kStart, i * 60));  // spread over 4 minutes
        expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "000000"}}), 401,
                     "invalid_credentials");
    }
    auto res = srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}});
    expect_error(res, 429, "too_many_attempts");
    REQUIRE(res);
    CHECK(res->has_header("Retry-After"));
    auto retry = res->get_header_value("Retry-After");
    CHECK(!retry.empty());
    if (!retry.empty()) {
        long secs = std::strtol(retry.c_str(), nullptr, 10);
        CHECK(secs > 0);
        CHECK(secs <= 15 * 60);
    }

    // Still locked a bit later inside the window.
    srv.set_clock(plus(kStart, 10 * 60));
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}}), 429, "too_many_attempts");
}

TEST_CASE("auth: the lock is per phone: another member can still sign in") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    srv.create_member("13800000002", "222222");
    for (int i = 0; i < 5; ++i)
        expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "000000"}}), 401,
                     "invalid_credentials");
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}}), 429, "too_many_attempts");
    CHECK(!srv.login("13800000002", "222222").empty());
}

TEST_CASE("auth: four failures do not lock; the right PIN still signs in") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    for (int i = 0; i < 4; ++i)
        expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "000000"}}), 401,
                     "invalid_credentials");
    CHECK(!srv.login(kPhone, kPin).empty());
}

TEST_CASE("auth: the lock lifts once the 15-minute window has passed (test clock)") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    for (int i = 0; i < 5; ++i)
        expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "000000"}}), 401,
                     "invalid_credentials");
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}}), 429, "too_many_attempts");

    srv.set_clock(plus(kStart, 15 * 60 + 1));
    auto token = srv.login(kPhone, kPin);
    CHECK(!token.empty());
    CHECK(srv.me(token)["profile"]["phone_masked"] == "138****0001");
}

TEST_CASE("auth: logout answers 204 and the token is then refused with 401") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    auto other = srv.login(kPhone, kPin);

    auto res = srv.post_empty("/api/v1/auth/logout", bearer(token));
    REQUIRE(res);
    CHECK(res->status == 204);
    CHECK(res->body.empty());

    expect_error(srv.get("/api/v1/me", bearer(token)), 401, "unauthorized");
    expect_error(srv.post_empty("/api/v1/auth/logout", bearer(token)), 401, "unauthorized");
    // Only that session ended.
    CHECK(srv.me(other)["profile"]["phone_masked"] == "138****0001");
}

TEST_CASE("auth: logout without a token is 401") {
    TestServer srv;
    expect_error(srv.post_empty("/api/v1/auth/logout"), 401, "unauthorized");
}

TEST_CASE("auth: missing, malformed and unknown bearer tokens are 401 unauthorized") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    expect_error(srv.get("/api/v1/me"), 401, "unauthorized");
    expect_error(srv.get("/api/v1/me", {{"Authorization", "Bearer"}}), 401, "unauthorized");
    expect_error(srv.get("/api/v1/me", {{"Authorization", "Bearer "}}), 401, "unauthorized");
    expect_error(srv.get("/api/v1/me", {{"Authorization", "Basic dXNlcjpwYXNz"}}), 401, "unauthorized");
    expect_error(srv.get("/api/v1/me", bearer("not-a-real-token-0000000000000000000000")), 401, "unauthorized");
    auto token = srv.login(kPhone, kPin);
    expect_error(srv.get("/api/v1/me", bearer(token + "x")), 401, "unauthorized");
}

TEST_CASE("auth: a member token expires after 30 minutes idle") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    srv.set_clock(plus(kStart, 30 * 60 + 1));
    expect_error(srv.get("/api/v1/me", bearer(token)), 401, "unauthorized");
    // And it stays dead even if the clock is set back.
    srv.set_clock(plus(kStart, 60));
    auto res = srv.get("/api/v1/me", bearer(token));
    REQUIRE(res);
    INFO("an expired token came back to life when the clock went back: " << describe(res));
    CHECK(res->status == 401);
}

TEST_CASE("auth: a member token slides: each use extends it by 30 minutes") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    srv.set_clock(plus(kStart, 20 * 60));
    srv.me(token);                         // used at +20 min -> valid until +50 min
    srv.set_clock(plus(kStart, 45 * 60));  // 25 minutes after the last use, 45 after login
    srv.me(token);                         // -> valid until +75 min
    srv.set_clock(plus(kStart, 74 * 60));
    srv.me(token);  // -> valid until +104 min
    srv.set_clock(plus(kStart, 104 * 60 + 1));
    expect_error(srv.get("/api/v1/me", bearer(token)), 401, "unauthorized");
}

TEST_CASE("auth: malformed JSON, non-object JSON and missing or ill-typed fields are 400") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    expect_error(srv.post_raw("/api/v1/auth/login", "{\"phone\": \"13800000001\", "), 400, "invalid_json");
    expect_error(srv.post_raw("/api/v1/auth/login", "not json"), 400, "invalid_json");
    expect_error(srv.post_raw("/api/v1/auth/login", ""), 400, "invalid_json");
    expect_error(srv.post_raw("/api/v1/auth/login", "[\"13800000001\", \"123456\"]"), 400, "invalid_json");
    expect_error(srv.post_raw("/api/v1/auth/login", "\"13800000001\""), 400, "invalid_json");

    auto j = expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}}), 400, "invalid_field");
    CHECK(starts_with(error_message(j), "pin"));
    j = expect_error(srv.post("/api/v1/auth/login", {{"pin", kPin}}), 400, "invalid_field");
    CHECK(starts_with(error_message(j), "phone"));
    j = expect_error(srv.post("/api/v1/auth/login", {{"phone", 13800000001LL}, {"pin", kPin}}), 400, "invalid_field");
    CHECK(starts_with(error_message(j), "phone"));
    j = expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", 123456}}), 400, "invalid_field");
    CHECK(starts_with(error_message(j), "pin"));
    j = expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", nullptr}}), 400, "invalid_field");
    CHECK(starts_with(error_message(j), "pin"));
    j = expect_error(srv.post("/api/v1/auth/login", {{"phone", std::string(33, '1')}, {"pin", kPin}}), 400,
                     "invalid_field");
    CHECK(starts_with(error_message(j), "phone"));
}

TEST_CASE("auth: unknown fields in the login body are ignored") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto j = expect_status(
        srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}, {"remember_me", true}, {"x", {1, 2}}}), 200);
    CHECK(j["token"].is_string());
}

TEST_CASE("auth: 400 bodies do not count as failed logins") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    for (int i = 0; i < 6; ++i) expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}}), 400, "invalid_field");
    CHECK(!srv.login(kPhone, kPin).empty());
}

TEST_CASE("auth: a PIN is never echoed and the token is not a guessable counter") {
    TestServer srv;
    srv.create_member(kPhone, "987654");
    auto res = srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "987654"}});
    expect_status(res, 200);
    REQUIRE(res);
    CHECK(res->body.find("987654") == std::string::npos);
    auto bad = srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "111119"}});
    expect_error(bad, 401, "invalid_credentials");
    REQUIRE(bad);
    CHECK(bad->body.find("111119") == std::string::npos);
}

}  // namespace api_auth_test
