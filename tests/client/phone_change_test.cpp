// Profile's change of phone: a code to the new number, then the code; the number on Profile follows.
#include "harness.hpp"

using namespace mdtest;

TEST_CASE("change phone: a code goes to the new number, the code confirms it, a taken number is explained") {
    Harness h;
    h.sign_in();
    h.click("nav.profile");
    h.click("profile.phone.change");
    h.type("profile.phone.new", "13900000009");
    h.click("profile.phone.send");
    const HttpRequest* start = h.http.last("POST /api/v1/me/phone/start");
    REQUIRE(start);
    CHECK(json::parse(start->body)["phone"] == "13900000009");
    REQUIRE(h.answer("POST /api/v1/me/phone/start", 202, json{{"expires_at", "2026-03-20T09:56:40Z"}}));
    REQUIRE(h.has("profile.phone.code"));
    CHECK(h.node("profile.phone.resend")->disabled);  // one code a minute
    h.type("profile.phone.code", "654321");
    h.click("profile.phone.confirm");
    const HttpRequest* verify = h.http.last("POST /api/v1/me/phone/verify");
    REQUIRE(verify);
    CHECK(json::parse(verify->body)["code"] == "654321");
    CHECK(json::parse(verify->body)["phone"] == "13900000009");
    REQUIRE(h.answer("POST /api/v1/me/phone/verify", 200, json::object()));
    CHECK(h.has("profile.phone.done"));
    CHECK_FALSE(h.has("profile.phone.code"));
    CHECK(h.http.waiting("GET /api/v1/me") > 0);  // the masked number is read again

    h.click("profile.phone.change");
    h.type("profile.phone.new", "13900000008");
    h.click("profile.phone.send");
    REQUIRE(h.answer("POST /api/v1/me/phone/start", 409,
                     json{{"error", {{"code", "phone_taken"}, {"message", "taken"}}}}));
    CHECK(h.has("profile.phone.error"));
    CHECK(h.has("profile.phone.new"));  // still on the number
}
