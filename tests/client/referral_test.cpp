// Invite a friend: what a member sees of their referral (GET /me/referral), and an invitation link
// (/?ref=CODE) filling the code at sign-up (domain.md §7).
#include "harness.hpp"

using namespace mdtest;

namespace referral_test {

namespace {

json referral_json() {
    return json{{"code", "K7M2QX9P"}, {"url", "https://shop.example/?ref=K7M2QX9P"}, {"invited", 3}, {"rewarded", 2}};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

void open_referral(Harness& h) {
    h.sign_in();
    h.click("nav.profile");
    h.click("profile.referral");
    REQUIRE(h.app().ui_state().screen == Screen::referral);
}

// From a link with `query` to the details step of sign-up.
void to_details(Harness& h) {
    h.boot();
    REQUIRE(h.app().ui_state().screen == Screen::sign_up);
    h.type("signup.phone", "13900000001");
    h.click("signup.send");
    REQUIRE(h.answer("POST /api/v1/auth/signup/start", 202, json{{"expires_at", "2026-03-20T09:56:40Z"}}));
    h.type("signup.code", "123456");
    h.click("signup.continue");
    REQUIRE(h.has("signup.name"));
    h.type("signup.name", "Li Na");
    h.type("signup.pin", "246810");
    h.click("signup.terms.1");
    h.frame();
}

}  // namespace

TEST_CASE("Invite a friend shows the member's code, link, QR and counts, and copies the link") {
    Harness h;
    open_referral(h);
    CHECK(h.http.waiting("GET /api/v1/me/referral") == 1);
    CHECK(h.has("referral.loading"));
    REQUIRE(h.answer("GET /api/v1/me/referral", 200, referral_json()));
    CHECK(contains(h.label("referral.code"), "K7M2QX9P"));
    CHECK(contains(h.label("referral.link"), "https://shop.example/?ref=K7M2QX9P"));
    CHECK(contains(h.label("referral.invited"), "3"));
    CHECK(contains(h.label("referral.rewarded"), "2"));
    CHECK(h.label("referral.qr") == "QR code of your invitation link");
    h.click("referral.copy");
    CHECK(h.platform.clipboard == "https://shop.example/?ref=K7M2QX9P");
    h.click("referral.back");
    CHECK(h.app().ui_state().screen == Screen::profile);
}

TEST_CASE("Invite a friend says in words when the referral cannot be loaded, and Retry asks again") {
    Harness h;
    open_referral(h);
    REQUIRE(h.answer("GET /api/v1/me/referral", 403, json{{"error", {{"code", "forbidden"}, {"message", "x"}}}}));
    CHECK(h.has("referral.error"));
    CHECK_FALSE(h.has("referral.code"));
    h.click("referral.retry");
    REQUIRE(h.answer("GET /api/v1/me/referral", 200, referral_json()));
    CHECK_FALSE(h.has("referral.error"));
    CHECK(contains(h.label("referral.code"), "K7M2QX9P"));
}

TEST_CASE("an invitation link opens sign-up with its code filled in, and the sign-up sends it") {
    Harness h([](FakePlatform& p) { p.query = "?utm_source=friend&ref=k7m2-qx9p"; });
    to_details(h);
    CHECK(h.node("signup.referral")->value == "K7M2QX9P");
    CHECK_FALSE(h.has("signup.referral.bad"));
    h.click("signup.submit");
    const HttpRequest* r = h.http.last("POST /api/v1/auth/signup/verify");
    REQUIRE(r);
    CHECK(json::parse(r->body)["referral_code"] == "K7M2QX9P");
}

TEST_CASE("a code the server does not know is said in words and stays on the details step to fix") {
    Harness h([](FakePlatform& p) { p.query = "?ref=K7M2QX9P"; });
    to_details(h);
    h.click("signup.submit");
    REQUIRE(h.answer("POST /api/v1/auth/signup/verify", 400,
                     json{{"error", {{"code", "invalid_referral_code"}, {"message", "x"}}}}));
    CHECK(h.app().ui_state().sign_up.flow.step() == CodeFlow::Step::details);
    CHECK(contains(h.text(), "That invitation code is not known"));
    h.type("signup.referral", "");
    h.click("signup.submit");
    const HttpRequest* r = h.http.last("POST /api/v1/auth/signup/verify");
    REQUIRE(r);
    CHECK_FALSE(json::parse(r->body).contains("referral_code"));
}

TEST_CASE("without a ref parameter the portal opens to sign-in with no code kept") {
    Harness h([](FakePlatform& p) { p.query = "?utm_source=poster"; });
    h.boot();
    CHECK(h.app().ui_state().screen == Screen::sign_in);
    CHECK(h.app().ui_state().sign_up.flow.referral_code.empty());
}

}  // namespace referral_test
