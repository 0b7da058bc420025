// The portal's referral: an invitation link pre-fills sign-up, the code is sent with it, a refused
// code says so, and Invite a friend shows the member's code, link, QR and counts.
#include "harness.hpp"

using namespace mdtest;

namespace {

json body_of(const HttpRequest* r) {
    REQUIRE(r);
    return json::parse(r->body);
}

void to_details(Harness& h) {
    h.type("signup.phone", "13900000001");
    h.click("signup.send");
    REQUIRE(h.answer("POST /api/v1/auth/signup/start", 202, json{{"expires_at", "2026-03-20T09:56:40Z"}}));
    h.type("signup.code", "123456");
    h.click("signup.continue");
    h.type("signup.name", "Ann Lee");
    h.type("signup.pin", "246810");
    h.click("signup.terms.1");
    h.frame();
}

}  // namespace

TEST_CASE("referral: an invitation link opens sign-up with the code, which is sent with the details") {
    Harness h;
    h.platform.query = "?utm=x&ref=k7m2-qx9p";
    h.boot();
    CHECK(h.app().ui_state().screen == Screen::sign_up);
    to_details(h);
    REQUIRE(h.has("signup.referral"));
    CHECK(h.node("signup.referral")->value == "K7M2QX9P");
    h.click("signup.submit");
    CHECK(body_of(h.http.last("POST /api/v1/auth/signup/verify"))["referral_code"] == "K7M2QX9P");
}

TEST_CASE("referral: without a link the code is typed, left empty it is not sent, and a refusal is explained") {
    Harness h;
    h.boot();
    h.click("signin.sign_up");
    to_details(h);
    h.click("signup.submit");
    CHECK_FALSE(body_of(h.http.last("POST /api/v1/auth/signup/verify")).contains("referral_code"));
    REQUIRE(h.answer("POST /api/v1/auth/signup/verify", 400,
                     json{{"error", {{"code", "invalid_referral_code"}, {"message", "referral_code: no member"}}}}));
    h.type("signup.referral", "ZZZ");
    h.frame();
    CHECK(h.node("signup.submit")->disabled);  // cannot be a code
    CHECK(h.text().find("That invitation code is not known") != std::string::npos);
}

TEST_CASE("referral: Invite a friend shows the code, the link with its QR, and the counts") {
    Harness h;
    h.sign_in();
    h.click("nav.profile");
    h.click("profile.referral");
    CHECK(h.app().ui_state().screen == Screen::referral);
    REQUIRE(h.answer("GET /api/v1/me/referral", 200,
                     json{{"code", "K7M2QX9P"},
                          {"url", "https://shop.example/?ref=K7M2QX9P"},
                          {"invited", 3},
                          {"rewarded", 2}}));
    CHECK(h.label("referral.code").find("K7M2QX9P") != std::string::npos);
    CHECK(h.label("referral.link").find("https://shop.example/?ref=K7M2QX9P") != std::string::npos);
    CHECK(h.has("referral.qr"));
    CHECK(h.label("referral.invited").find("3") != std::string::npos);
    CHECK(h.label("referral.rewarded").find("2") != std::string::npos);
    h.click("referral.copy");
    CHECK(h.platform.clipboard == "https://shop.example/?ref=K7M2QX9P");
}
