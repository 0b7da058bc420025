// The in-store kiosk over HTTP: device key, sign-in by member code or phone + PIN, masked data,
// what a kiosk session may not do, and its short sliding lifetime.
#include "test_server.hpp"

using namespace mdtest;

namespace api_kiosk_test {

namespace {
const std::string kPhone = "13812345678";
const std::string kPin = "123456";

std::string member_code(TestServer& srv, const std::string& member_token) {
    auto card = expect_status(srv.get("/api/v1/me/card", bearer(member_token)), 200);
    REQUIRE(card["member_code"].is_string());
    return card["member_code"].get<std::string>();
}
}  // namespace

TEST_CASE("kiosk: login requires a valid X-Kiosk-Key") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    json body = {{"phone", kPhone}, {"pin", kPin}};
    expect_error(srv.post("/api/v1/kiosk/login", body), 401, "unauthorized");
    expect_error(srv.post("/api/v1/kiosk/login", body, {{"X-Kiosk-Key", "not-the-kiosk-key-0000000000"}}), 401,
                 "unauthorized");
    expect_error(srv.post("/api/v1/kiosk/login", body, {{"X-Kiosk-Key", kAdminKey}}), 401, "unauthorized");
    expect_error(srv.post("/api/v1/kiosk/login", body, {{"X-Kiosk-Key", kPosKey}}), 401, "unauthorized");
    expect_error(srv.post("/api/v1/kiosk/login", body, {{"X-Api-Key", kKioskKey}}), 401, "unauthorized");
    expect_error(srv.post("/api/v1/kiosk/login", body, admin()), 401, "unauthorized");
    auto j = expect_status(srv.post("/api/v1/kiosk/login", body, kiosk_device()), 200);
    CHECK(j["token"].is_string());
    CHECK(j["expires_at"] == plus(kStart, 120));
}

TEST_CASE("kiosk: sign in by a scanned member code; the kiosk sees a masked name and no birthday") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin, "王小明", std::string("1990-05-12"));
    auto mt = srv.login(kPhone, kPin);
    auto code = member_code(srv, mt);
    auto kt = srv.kiosk_login({{"member_code", code}});
    auto res = srv.get("/api/v1/me", bearer(kt));
    auto j = expect_status(res, 200);
    CHECK(j["profile"]["id"] == id);
    CHECK(j["profile"]["name"] == "王*明");
    CHECK(j["profile"]["phone_masked"] == "138****5678");
    CHECK((!j["profile"].contains("birthday") || j["profile"]["birthday"].is_null()));
    REQUIRE(res);
    CHECK(res->body.find("王小明") == std::string::npos);
    CHECK(res->body.find(kPhone) == std::string::npos);
    CHECK(res->body.find("1990-05-12") == std::string::npos);
    // The member's own portal still shows the full name.
    CHECK(srv.me(mt)["profile"]["name"] == "王小明");
}

TEST_CASE("kiosk: sign in by phone + PIN; Latin names are masked too") {
    TestServer srv;
    srv.create_member(kPhone, kPin, "Ann Lee");
    auto kt = srv.kiosk_login({{"phone", kPhone}, {"pin", kPin}});
    auto j = srv.me(kt);
    CHECK(j["profile"]["name"] == "A*****e");
    expect_error(srv.post("/api/v1/kiosk/login", {{"phone", kPhone}, {"pin", "000000"}}, kiosk_device()), 401,
                 "invalid_credentials");
    expect_error(srv.post("/api/v1/kiosk/login", {{"phone", "13999999999"}, {"pin", kPin}}, kiosk_device()), 401,
                 "invalid_credentials");
}

TEST_CASE("kiosk: bad bodies and bad member codes") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto j = expect_error(srv.post("/api/v1/kiosk/login", json::object(), kiosk_device()), 400, "invalid_field");
    CHECK(!error_message(j).empty());
    j = expect_error(srv.post("/api/v1/kiosk/login", {{"phone", kPhone}}, kiosk_device()), 400, "invalid_field");
    CHECK(starts_with(error_message(j), "pin"));
    j = expect_error(srv.post("/api/v1/kiosk/login", {{"member_code", 12345}}, kiosk_device()), 400, "invalid_field");
    CHECK(starts_with(error_message(j), "member_code"));
    j = expect_error(srv.post("/api/v1/kiosk/login", {{"member_code", std::string(129, 'M')}}, kiosk_device()), 400,
                     "invalid_field");
    CHECK(starts_with(error_message(j), "member_code"));
    expect_error(srv.post_raw("/api/v1/kiosk/login", "[]", kiosk_device()), 400, "invalid_json");
    expect_error(srv.post("/api/v1/kiosk/login", {{"member_code", "M1-not-a-real-code"}}, kiosk_device()), 404,
                 "invalid_member_code");
    // A member id or phone is not a member code.
    expect_error(srv.post("/api/v1/kiosk/login", {{"member_code", kPhone}}, kiosk_device()), 404,
                 "invalid_member_code");
}

TEST_CASE("kiosk: member_code wins when both forms are given") {
    TestServer srv;
    auto a = srv.create_member(kPhone, kPin, "Alice");
    srv.create_member("13900000002", "654321", "Bob");
    auto code = member_code(srv, srv.login(kPhone, kPin));
    auto kt = srv.kiosk_login({{"member_code", code}, {"phone", "13900000002"}, {"pin", "654321"}});
    CHECK(srv.me(kt)["profile"]["id"] == a);
}

TEST_CASE("kiosk: an expired member code is refused") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto code = member_code(srv, srv.login(kPhone, kPin));
    srv.set_clock(plus(kStart, 121));
    expect_error(srv.post("/api/v1/kiosk/login", {{"member_code", code}}, kiosk_device()), 404, "invalid_member_code");
}

TEST_CASE("kiosk: a kiosk session cannot see the card, export or delete (403), but can use the rest") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin, "王小明");
    srv.adjust(id, 600, "gift");
    auto kt = srv.kiosk_login({{"phone", kPhone}, {"pin", kPin}});

    expect_error(srv.get("/api/v1/me/card", bearer(kt)), 403, "forbidden");
    expect_error(srv.get("/api/v1/me/export", bearer(kt)), 403, "forbidden");
    expect_error(srv.del("/api/v1/me?confirm=yes", bearer(kt)), 403, "forbidden");
    expect_error(srv.del("/api/v1/me", json{{"confirm", true}}, bearer(kt)), 403, "forbidden");
    // The member was not erased.
    auto mt = srv.login(kPhone, kPin);
    CHECK(srv.me(mt)["profile"]["name"] == "王小明");

    // Admin and POS routes are not reachable with a kiosk token either.
    for (const char* path : {"/api/v1/admin/members", "/api/v1/admin/audit"}) {
        auto res = srv.get(path, bearer(kt));
        REQUIRE(res);
        CHECK((res->status == 401 || res->status == 403));
    }

    expect_status(srv.get("/api/v1/me/ledger", bearer(kt)), 200);
    CHECK(srv.coupons(kt).size() == 1);
    expect_status(srv.get("/api/v1/rewards", bearer(kt)), 200);
    auto r = expect_status(
        srv.post("/api/v1/me/redemptions", {{"reward_id", "premium_coffee"}}, bearer(kt) + idem("kiosk-1")), 201);
    CHECK(r["balance_after"] == 100);
    auto hist = expect_status(srv.get("/api/v1/me/redemptions", bearer(kt)), 200);
    CHECK(hist["redemptions"].size() == 1);
    expect_status(srv.post("/api/v1/me/feedback", {{"rating", 4}}, bearer(kt)), 201);
    CHECK(srv.balance(mt) == 110);

    auto res = srv.post_empty("/api/v1/auth/logout", bearer(kt));
    REQUIRE(res);
    CHECK(res->status == 204);
    expect_error(srv.get("/api/v1/me", bearer(kt)), 401, "unauthorized");
    // Ending the kiosk session does not end the member's own session.
    CHECK(srv.me(mt)["profile"]["id"] == id);
}

TEST_CASE("kiosk: the kiosk token expires after 2 minutes idle and slides with use") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto kt = srv.kiosk_login({{"phone", kPhone}, {"pin", kPin}});
    srv.set_clock(plus(kStart, 100));
    srv.me(kt);  // -> valid until +220
    srv.set_clock(plus(kStart, 200));
    srv.me(kt);  // -> valid until +320
    srv.set_clock(plus(kStart, 321));
    expect_error(srv.get("/api/v1/me", bearer(kt)), 401, "unauthorized");

    auto kt2 = srv.kiosk_login({{"phone", kPhone}, {"pin", kPin}});
    auto mt = srv.login(kPhone, kPin);  // a member token from the same moment lives 30 minutes
    srv.set_clock(plus(kStart, 321 + 121));
    expect_error(srv.get("/api/v1/me", bearer(kt2)), 401, "unauthorized");
    CHECK(srv.me(mt)["profile"]["phone_masked"] == "138****5678");
}

TEST_CASE("kiosk: wrong PINs at the kiosk count toward the login lock") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    for (int i = 0; i < 5; ++i)
        expect_error(srv.post("/api/v1/kiosk/login", {{"phone", kPhone}, {"pin", "000000"}}, kiosk_device()), 401,
                     "invalid_credentials");
    auto res = srv.post("/api/v1/kiosk/login", {{"phone", kPhone}, {"pin", kPin}}, kiosk_device());
    expect_error(res, 429, "too_many_attempts");
    REQUIRE(res);
    CHECK(res->has_header("Retry-After"));
    // The same lock applies on the portal.
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}}), 429, "too_many_attempts");
}

}  // namespace api_kiosk_test
