// Profile: a new phone number proved with a code sent to it (POST /me/phone/start, /verify;
// domain.md §7): the steps a member goes through and the server's refusals in words.
#include "harness.hpp"

using namespace mdtest;

namespace phone_change_test {

namespace {

json body_of(const HttpRequest* r) {
    REQUIRE(r);
    return json::parse(r->body);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

json error_json(const char* code) { return json{{"error", {{"code", code}, {"message", "x"}}}}; }

void start_change(Harness& h) {
    h.sign_in();
    h.click("nav.profile");
    while (h.http.answer("GET /api/v1/me", 200, me_json().dump())) {}  // opening Profile refreshes it
    h.frames(2);
    h.click("profile.phone.change");
    REQUIRE(h.has("profile.phone.new"));
}

void to_code_step(Harness& h) {
    start_change(h);
    h.type("profile.phone.new", "13900000009");
    h.click("profile.phone.send");
    REQUIRE(h.answer("POST /api/v1/me/phone/start", 202, json{{"expires_at", "2026-03-20T09:56:40Z"}}));
    REQUIRE(h.has("profile.phone.code"));
}

}  // namespace

TEST_CASE("changing the phone: the new number, a code sent to it, the code, then the new number on Profile") {
    Harness h;
    start_change(h);
    CHECK(h.node("profile.phone.send")->disabled);
    h.type("profile.phone.new", "13900000009");
    h.frame();
    CHECK_FALSE(h.node("profile.phone.send")->disabled);
    h.click("profile.phone.send");
    CHECK(body_of(h.http.last("POST /api/v1/me/phone/start"))["phone"] == "13900000009");
    REQUIRE(h.answer("POST /api/v1/me/phone/start", 202, json{{"expires_at", "2026-03-20T09:56:40Z"}}));
    CHECK(contains(h.label("profile.phone.sent"), "13900000009"));
    CHECK(h.node("profile.phone.resend")->disabled);  // one code a minute
    CHECK(h.node("profile.phone.confirm")->disabled);
    h.type("profile.phone.code", "123456");
    h.frame();
    h.click("profile.phone.confirm");
    const json b = body_of(h.http.last("POST /api/v1/me/phone/verify"));
    CHECK(b["phone"] == "13900000009");
    CHECK(b["code"] == "123456");
    REQUIRE(h.answer("POST /api/v1/me/phone/verify", 200, json::object()));
    CHECK(h.has("profile.phone.done"));
    CHECK_FALSE(h.has("profile.phone.code"));
    CHECK(h.has("profile.phone.change"));
    json me = me_json();
    me["profile"]["phone_masked"] = "139****0009";
    CHECK(h.http.waiting("GET /api/v1/me") == 1);  // the masked number is the server's
    REQUIRE(h.answer("GET /api/v1/me", 200, me));
    CHECK(contains(h.label("profile.phone"), "139****0009"));
}

TEST_CASE("a new code can be asked for once the minute is over") {
    Harness h;
    to_code_step(h);
    h.advance(61);
    h.frames(2);
    REQUIRE_FALSE(h.node("profile.phone.resend")->disabled);
    h.click("profile.phone.resend");
    CHECK(h.http.waiting("POST /api/v1/me/phone/start") == 1);
}

TEST_CASE("a phone another member has is refused in words, and the number stays to be corrected") {
    Harness h;
    start_change(h);
    h.type("profile.phone.new", "13800000002");
    h.click("profile.phone.send");
    REQUIRE(h.answer("POST /api/v1/me/phone/start", 409, error_json("phone_taken")));
    CHECK(contains(h.label("profile.phone.error"), "already has a membership"));
    CHECK(h.has("profile.phone.new"));
    CHECK(h.node("profile.phone.new")->value == "13800000002");
    CHECK_FALSE(h.has("profile.phone.code"));
}

TEST_CASE("a wrong code stays on the code step, and a phone taken meanwhile goes back to the number") {
    Harness h;
    to_code_step(h);
    h.type("profile.phone.code", "111111");
    h.click("profile.phone.confirm");
    REQUIRE(h.answer("POST /api/v1/me/phone/verify", 400, error_json("invalid_code")));
    CHECK(contains(h.label("profile.phone.error"), "not right"));
    CHECK(h.has("profile.phone.code"));
    CHECK(h.node("profile.phone.code")->value.empty());
    CHECK_FALSE(h.has("profile.phone.done"));

    h.type("profile.phone.code", "123456");
    h.click("profile.phone.confirm");
    REQUIRE(h.answer("POST /api/v1/me/phone/verify", 409, error_json("phone_taken")));
    CHECK(contains(h.label("profile.phone.error"), "already has a membership"));
    CHECK(h.has("profile.phone.new"));
    CHECK_FALSE(h.has("profile.phone.code"));
}

TEST_CASE("Cancel forgets the number typed, and the phone shown stays the old one") {
    Harness h;
    start_change(h);
    h.type("profile.phone.new", "13900000009");
    h.click("profile.phone.cancel");
    CHECK_FALSE(h.has("profile.phone.new"));
    CHECK(contains(h.label("profile.phone"), "138****5678"));
    h.click("profile.phone.change");
    CHECK(h.node("profile.phone.new")->value.empty());
    CHECK(h.http.waiting("POST /api/v1/me/phone/start") == 0);
}

}  // namespace phone_change_test
