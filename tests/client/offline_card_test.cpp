// The portal's offline member card against a fake API: the secret from the sign-in answer is kept
// on the device, the card shows "T<member>-<device>-<otp>" computed here (no request), the code
// follows the clock step by step, the next sign-in names the old card, and sign-out or a 401
// leave no secret behind.
#include <doctest/doctest.h>

#include "harness.hpp"
#include "memberdesk/totp.hpp"

using namespace mdtest;

namespace offline_card_test {

namespace {

const std::string kSecretHex = "3132333435363738393031323334353637383930313233343536373839303132";
const std::string kSecret = "12345678901234567890123456789012";

json login_with_card() {
    return json{{"token", "tok123"},
                {"expires_at", "2026-03-20T10:16:40Z"},
                {"card",
                 {{"member_id", 12},
                  {"device_id", 7},
                  {"secret", kSecretHex},
                  {"algorithm", "HMAC-SHA-256"},
                  {"digits", 8},
                  {"period", 30}}}};
}

void sign_in_with_card(Harness& h) {
    h.boot();
    h.type("signin.phone", "13800000001");
    h.type("signin.pin", "123456");
    h.click("signin.submit");
    REQUIRE(h.answer("POST /api/v1/auth/login", 200, login_with_card()));
    while (h.http.answer("GET /api/v1/me", 200, me_json().dump())) {}
    h.frames(2);
}

std::string expected_code(std::int64_t t) {
    return memberdesk::format_card_code({12, 7, memberdesk::totp(kSecret, t)});
}

}  // namespace

TEST_CASE("offline card: the card shows the code computed on the device, without asking the server") {
    Harness h;
    sign_in_with_card(h);
    CHECK(h.platform.local.count("memberdesk.card") == 1);
    h.click("nav.card");
    h.frames(2);
    CHECK(h.http.waiting("GET /api/v1/me/card") == 0);
    REQUIRE(h.has("card.qr"));
    CHECK(h.label("card.code") == "Member code: " + expected_code(h.platform.unix));
    // The next 30-second step: a new code, still without a request.
    const std::int64_t left = memberdesk::totp_seconds_left(h.platform.unix);
    h.advance(static_cast<double>(left));
    h.frames(2);
    CHECK(h.label("card.code") == "Member code: " + expected_code(h.platform.unix));
    CHECK(expected_code(h.platform.unix) != expected_code(h.platform.unix - left));
    CHECK(h.http.waiting("GET /api/v1/me/card") == 0);
    CHECK(h.shell().next_wake() > 0);
    CHECK(h.shell().next_wake() <= 1.0);
}

TEST_CASE("offline card: a reload of the tab restores the card; the next sign-in names it to be replaced") {
    std::string stored;
    {
        Harness h;
        sign_in_with_card(h);
        stored = h.platform.local["memberdesk.card"];
        CHECK(stored.find(kSecretHex) != std::string::npos);
    }
    Harness again([&](FakePlatform& p) {
        p.local["memberdesk.card"] = stored;
        p.session["memberdesk.token"] = "tok123";
    });
    again.boot();
    REQUIRE(again.shell().state().offline_card);
    CHECK(again.shell().state().offline_card->device_id == 7);
    // A 401 ends the session: the secret goes, its id stays for the next sign-in.
    again.frames(1);
    again.http.answer("GET /api/v1/me", 401, R"({"error":{"code":"unauthorized","message":"x"}})");
    again.frames(2);
    CHECK_FALSE(again.shell().state().offline_card);
    CHECK(again.platform.local.count("memberdesk.card") == 0);
    CHECK(again.platform.local["memberdesk.card.device"] == "7");
    again.type("signin.phone", "13800000001");
    again.type("signin.pin", "123456");
    again.click("signin.submit");
    const auto* login = again.http.last("POST /api/v1/auth/login");
    REQUIRE(login);
    CHECK(json::parse(login->body)["card_device"] == 7);
}

TEST_CASE("offline card: sign-out removes the secret and the device id from the device") {
    Harness h;
    sign_in_with_card(h);
    h.click("app.sign_out");
    CHECK(h.http.last("POST /api/v1/auth/logout"));
    CHECK_FALSE(h.shell().state().offline_card);
    CHECK(h.platform.local.count("memberdesk.card") == 0);
    CHECK(h.platform.local.count("memberdesk.card.device") == 0);
}

}  // namespace offline_card_test
