// A friend joins at the kiosk with a member's invitation code: typed into the join's optional
// field, or the invitation QR (the portal's link, /?ref=CODE) scanned, wherever the focus is.
#include "kiosk_harness.hpp"

using namespace mdtest;

namespace kiosk_referral_test {

namespace {

const std::string kLink = "https://shop.example/?ref=K7M2QX9P";

json body_of(const HttpRequest* r) {
    REQUIRE(r);
    return json::parse(r->body);
}

// attract -> Join -> phone, code, PIN on the keys -> the name, consents and invitation code step.
void to_about_you(KioskHarness& h) {
    h.boot();
    h.click("kiosk.join");
    h.press_keys("13900000001");
    h.click("kiosk.self.send");
    REQUIRE(h.answer("POST /api/v1/auth/signup/start", 202, json{{"expires_at", "2026-03-20T09:56:40Z"}}));
    h.press_keys("123456");
    h.click("kiosk.self.next");
    h.press_keys("246810");
    h.click("kiosk.self.next");
    REQUIRE(h.has("kiosk.self.referral"));
}

std::string referral_field(const KioskHarness& h) {
    const MirrorNode* n = h.node("kiosk.self.referral");
    REQUIRE(n);
    return n->value;
}

}  // namespace

TEST_CASE("kiosk join: a scanned invitation link fills the code, which goes with the join") {
    KioskHarness h;
    to_about_you(h);
    CHECK(referral_field(h).empty());
    CHECK(h.label("kiosk.self.referral") == "Invitation code from a friend (optional)");
    CHECK(h.node("kiosk.self.referral")->h >= 44);  // a finger's target (1920x1080, dpr 1)
    CHECK(h.node("kiosk.self.referral")->w >= 400);
    h.frame({MirrorEvent{MirrorEvent::Kind::input, "kiosk.self.name", "Ann Lee"}});
    h.scanner_types(kLink);
    CHECK(referral_field(h) == "K7M2QX9P");
    CHECK(h.app().ui_state().flow.name == "Ann Lee");
    CHECK(h.app().ui_state().phase == kiosk::Phase::signup);
    CHECK(h.http.last("POST /api/v1/kiosk/login") == nullptr);
    h.click("kiosk.self.terms.1");
    h.click("kiosk.self.submit");
    const json b = body_of(h.http.last("POST /api/v1/auth/signup/verify"));
    CHECK(b["referral_code"] == "K7M2QX9P");
    CHECK(b["name"] == "Ann Lee");
}

TEST_CASE("kiosk join: the name, choices, invitation code and Join fit the screen in both orientations") {
    for (const auto& [w, hgt] : {std::pair<float, float>{1920, 1080}, std::pair<float, float>{1080, 1920}}) {
        CAPTURE(w);
        KioskHarness h(true, w, hgt);
        to_about_you(h);
        h.frame({MirrorEvent{MirrorEvent::Kind::input, "kiosk.self.name", "Ann Lee"}});
        h.click("kiosk.self.terms.1");
        h.frame({MirrorEvent{MirrorEvent::Kind::input, "kiosk.self.referral", "K7M2"}});  // with the error shown
        h.frame();
        REQUIRE(h.has("kiosk.self.referral.bad"));
        for (const std::string id :
             {"kiosk.self.name", "kiosk.self.offers.1", "kiosk.self.referral", "kiosk.self.submit"}) {
            CAPTURE(id);
            const MirrorNode* n = h.node(id);
            REQUIRE(n);
            CHECK(n->w > 0);
            CHECK(n->y + n->h <= hgt);
        }
    }
}

TEST_CASE("kiosk join: the web scanner's code at the phone step is kept for the join, a bare code too") {
    KioskHarness h;
    h.boot();
    h.click("kiosk.join");
    kiosk::post_scan(kLink);
    h.frame();
    CHECK(h.app().ui_state().phase == kiosk::Phase::signup);
    CHECK(h.app().ui_state().flow.referral_code == "K7M2QX9P");
    CHECK(h.text().find("Invitation code K7M2QX9P") != std::string::npos);
    kiosk::post_scan("abcd-efgh");
    h.frame();
    CHECK(h.app().ui_state().flow.referral_code == "ABCDEFGH");
    CHECK(h.http.last("POST /api/v1/kiosk/login") == nullptr);
    h.click("kiosk.self.cancel");
    CHECK(h.app().ui_state().flow.referral_code.empty());
}

TEST_CASE("kiosk join: a link scanned into the name field moves to the code field, the name stays") {
    KioskHarness h;
    to_about_you(h);
    h.frame({MirrorEvent{MirrorEvent::Kind::input, "kiosk.self.name", "Ann Lee" + kLink}});
    h.frame();
    CHECK(h.app().ui_state().flow.name == "Ann Lee");
    CHECK(referral_field(h) == "K7M2QX9P");
    // Scanned into the code's own field, the link is shown as the code.
    h.frame({MirrorEvent{MirrorEvent::Kind::input, "kiosk.self.referral", "https://shop.example/?ref=abcdefgh"}});
    h.frame();
    CHECK(referral_field(h) == "ABCDEFGH");
}

TEST_CASE("kiosk join: an unknown code shows the portal's error in both languages and blocks the join") {
    KioskHarness h;
    to_about_you(h);
    h.frame({MirrorEvent{MirrorEvent::Kind::input, "kiosk.self.name", "Ann Lee"}});
    h.click("kiosk.self.terms.1");
    CHECK_FALSE(h.node("kiosk.self.submit")->disabled);
    h.frame({MirrorEvent{MirrorEvent::Kind::input, "kiosk.self.referral", "K7M2"}});
    h.frame();
    REQUIRE(h.has("kiosk.self.referral.bad"));
    CHECK(h.label("kiosk.self.referral.bad") == "That invitation code is not known. Check it, or leave it empty.");
    CHECK(h.node("kiosk.self.submit")->disabled);
    h.click("kiosk.lang");
    CHECK(h.label("kiosk.self.referral") == "好友邀请码（选填）");
    CHECK(h.text().find("扫描好友的邀请二维码") != std::string::npos);
    h.click("kiosk.lang");
    // A well-formed code the server does not know: the server's invalid_referral_code, on this step.
    h.frame({MirrorEvent{MirrorEvent::Kind::input, "kiosk.self.referral", "K7M2QX9P"}});
    h.frame();
    CHECK_FALSE(h.has("kiosk.self.referral.bad"));
    h.click("kiosk.self.submit");
    REQUIRE(h.answer(
        "POST /api/v1/auth/signup/verify", 400,
        json{{"error", json{{"code", "invalid_referral_code"}, {"message", "invitation code: not a member's code"}}}}));
    CHECK(h.has("kiosk.self.referral"));
    CHECK(h.text().find("That invitation code is not known") != std::string::npos);
    h.frame({MirrorEvent{MirrorEvent::Kind::input, "kiosk.self.referral", ""}});
    h.frame();
    CHECK_FALSE(h.node("kiosk.self.submit")->disabled);
}

TEST_CASE("kiosk: an invitation link scanned at the attract screen starts a join with its code") {
    KioskHarness h;
    h.boot();
    h.scanner_types(kLink);
    CHECK(h.app().ui_state().phase == kiosk::Phase::signup);
    CHECK(h.app().ui_state().flow.referral_code == "K7M2QX9P");
    CHECK(h.http.last("POST /api/v1/kiosk/login") == nullptr);
    // A member code still signs its member in.
    h.click("kiosk.self.cancel");
    h.scanner_types("M1-8f3k2abc");
    CHECK(h.http.last("POST /api/v1/kiosk/login") != nullptr);
}

}  // namespace kiosk_referral_test
