// The kiosk's join and PIN reset on the on-screen keys, against a fake server: the kiosk hands the
// new member's portal token back and signs in with its own key; nothing typed survives a cancel.
#include "kiosk_harness.hpp"

using namespace mdtest;

namespace kiosk_self_service_test {

namespace {

json body_of(const HttpRequest* r) {
    REQUIRE(r);
    return json::parse(r->body);
}

}  // namespace

TEST_CASE("kiosk join: phone, code and PIN on the keys, then name and consents; signed in with the kiosk key") {
    KioskHarness h;
    h.boot();
    h.click("kiosk.join");
    CHECK(h.app().ui_state().phase == kiosk::Phase::signup);
    h.press_keys("13900000001");
    CHECK(h.label("kiosk.self.phone").find("139 0000 0001") != std::string::npos);
    h.click("kiosk.self.send");
    CHECK(body_of(h.http.last("POST /api/v1/auth/signup/start"))["phone"] == "13900000001");
    REQUIRE(h.answer("POST /api/v1/auth/signup/start", 202, json{{"expires_at", "2026-03-20T09:56:40Z"}}));
    CHECK(h.text().find("Enter the 6-digit code we sent to 13900000001") != std::string::npos);
    h.press_keys("123456");
    h.click("kiosk.self.next");
    h.press_keys("246810");
    h.click("kiosk.self.next");
    REQUIRE(h.has("kiosk.self.name"));
    CHECK(h.node("kiosk.self.marketing.0")->checked);
    CHECK(h.node("kiosk.self.offers.0")->checked);
    CHECK(h.node("kiosk.self.submit")->disabled);
    h.frame({MirrorEvent{MirrorEvent::Kind::input, "kiosk.self.name", "Ann Lee"}});
    h.click("kiosk.self.terms.1");
    h.click("kiosk.self.submit");
    const json b = body_of(h.http.last("POST /api/v1/auth/signup/verify"));
    CHECK(b["channel"] == "kiosk");
    CHECK(b["name"] == "Ann Lee");
    CHECK(b["pin"] == "246810");
    CHECK(b["consents"] == json{{"terms", true}, {"marketing", false}, {"personalised_offers", false}});
    REQUIRE(h.answer("POST /api/v1/auth/signup/verify", 201,
                     json{{"token", "portal-token"}, {"expires_at", "2026-03-20T10:16:40Z"}, {"member_id", 42}}));
    // The portal token goes back at once; the kiosk signs in as it does for anyone.
    const HttpRequest* out = h.http.last("POST /api/v1/auth/logout");
    REQUIRE(out);
    CHECK(FakeHttp::header(*out, "Authorization") == "Bearer portal-token");
    const HttpRequest* in = h.http.last("POST /api/v1/kiosk/login");
    REQUIRE(in);
    CHECK(FakeHttp::header(*in, "X-Kiosk-Key") == "test-kiosk-key");
    CHECK(json::parse(in->body) == json{{"phone", "13900000001"}, {"pin", "246810"}});
    REQUIRE(h.answer("POST /api/v1/kiosk/login", 200, json{{"token", "ktok"}, {"expires_at", "2026-03-20T09:48:40Z"}}));
    h.answer_member_data();
    CHECK(h.app().ui_state().phase == kiosk::Phase::member);
    CHECK(h.shell().state().token == "ktok");
    CHECK(h.app().ui_state().flow.pin.empty());
}

TEST_CASE("kiosk PIN reset: the same words for any phone; then sign in with the phone filled in") {
    KioskHarness h;
    h.boot();
    h.click("kiosk.forgot");
    h.press_keys("13800000001");
    h.click("kiosk.self.send");
    REQUIRE(h.answer("POST /api/v1/auth/pin-reset/start", 202, json{{"expires_at", "2026-03-20T09:56:40Z"}}));
    CHECK(h.text().find("If 13800000001 belongs to a membership") != std::string::npos);
    h.press_keys("111111");
    h.click("kiosk.self.next");
    h.press_keys("135790");
    h.click("kiosk.self.submit");
    CHECK(body_of(h.http.last("POST /api/v1/auth/pin-reset/verify")) ==
          json{{"phone", "13800000001"}, {"code", "111111"}, {"pin", "135790"}, {"locale", "en"}});
    REQUIRE(h.answer("POST /api/v1/auth/pin-reset/verify", 200, json::object()));
    CHECK(h.has("kiosk.self.done"));
    h.click("kiosk.self.sign_in");
    CHECK(h.app().ui_state().phase == kiosk::Phase::keypad);
    CHECK(h.app().ui_state().keypad.phone == "13800000001");
    CHECK(h.app().ui_state().keypad.field == kiosk::KeypadEntry::Field::pin);
}

TEST_CASE("kiosk join: a wrong code is said and typed again; cancel forgets everything") {
    KioskHarness h;
    h.boot();
    h.click("kiosk.join");
    h.press_keys("13900000001");
    h.click("kiosk.self.send");
    REQUIRE(h.answer("POST /api/v1/auth/signup/start", 202, json{{"expires_at", "2026-03-20T09:56:40Z"}}));
    h.press_keys("999999");
    h.click("kiosk.self.next");
    h.press_keys("246810");
    h.click("kiosk.self.next");
    h.frame({MirrorEvent{MirrorEvent::Kind::input, "kiosk.self.name", "Ann"}});
    h.click("kiosk.self.terms.1");
    h.click("kiosk.self.submit");
    REQUIRE(h.answer("POST /api/v1/auth/signup/verify", 400,
                     json{{"error", {{"code", "invalid_code"}, {"message", "code"}}}}));
    CHECK(h.app().ui_state().flow.step() == CodeFlow::Step::code);
    CHECK(h.has("kiosk.self.error"));
    CHECK(h.has("kiosk.key.1"));
    h.click("kiosk.self.cancel");
    CHECK(h.app().ui_state().phase == kiosk::Phase::attract);
    CHECK(h.app().ui_state().flow.phone.empty());
    CHECK(h.app().ui_state().flow.name.empty());
    CHECK(h.text().find("13900000001") == std::string::npos);
}

TEST_CASE(
    "kiosk join: the keys and buttons are large in both orientations, and a join left alone ends like a session") {
    for (const auto& [w, hgt] : {std::pair<float, float>{1080, 1920}, std::pair<float, float>{1920, 1080}}) {
        KioskHarness p(true, w, hgt);
        p.boot();
        p.click("kiosk.join");
        CAPTURE(w);
        CHECK(p.app().hit_targets().size() >= 14);  // 12 keys, Cancel, Send code
        for (const auto& t : p.app().hit_targets()) {
            CAPTURE(t.id);
            CHECK(t.h >= 64);
            CHECK(t.w >= 64);
        }
    }
    KioskHarness h;
    h.boot();
    h.click("kiosk.join");
    h.press_keys("139");
    h.advance(61);
    h.advance(10);
    CHECK(h.app().ui_state().phase == kiosk::Phase::attract);
    CHECK(h.app().ui_state().flow.phone.empty());
}

}  // namespace kiosk_self_service_test
