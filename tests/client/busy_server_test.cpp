// A busy server (503 with Retry-After) never ends the session: the client says the server is
// busy, waits as long as the server asked (within reason) and asks again. Only a 401 signs out.
#include "harness.hpp"
#include "kiosk_harness.hpp"

using namespace mdtest;

namespace busy_server_test {

namespace {
const json kBusy = json{{"error", {{"code", "server_busy"}, {"message", "busy, retry later"}}}};
}

TEST_CASE("busy server: a 503 keeps the portal session, shows 'server busy' and retries after Retry-After") {
    Harness h;
    h.sign_in();
    h.click("nav.rewards");
    // More 503s in a row than a network error is retried: the client keeps waiting them out.
    for (int i = 0; i < 4; ++i) {
        CAPTURE(i);
        REQUIRE(h.http.answer("GET /api/v1/rewards", 503, kBusy.dump(), 4));
        h.frames(2);
        CHECK(h.text().find("The server is busy, retrying") != std::string::npos);
        CHECK_FALSE(h.has("rewards.error"));
        // Not before the 4 s the server asked for.
        h.advance(2);
        h.frames(1);
        CHECK(h.http.waiting("GET /api/v1/rewards") == 0);
        h.advance(2.1);
        h.frames(1);
        REQUIRE(h.http.waiting("GET /api/v1/rewards") == 1);
        // Still signed in, still on the same screen, the token still sent.
        CHECK(h.app().ui_state().screen == Screen::rewards);
        CHECK(h.platform.session.count("memberdesk.token") == 1);
        CHECK(FakeHttp::header(*h.http.last("GET /api/v1/rewards"), "Authorization") == "Bearer tok123");
    }
    REQUIRE(h.answer("GET /api/v1/rewards", 200, rewards_json()));
    CHECK(h.has("reward.coffee_500.redeem"));
    CHECK(h.text().find("busy") == std::string::npos);
}

TEST_CASE("busy server: a Retry-After far away is waited out at most 30 s at a time") {
    Harness h;
    h.sign_in();
    h.click("nav.coupons");
    REQUIRE(h.http.answer("GET /api/v1/me/coupons", 503, kBusy.dump(), 3600));
    h.frames(1);
    h.advance(30.1);
    h.frames(1);
    CHECK(h.http.waiting("GET /api/v1/me/coupons") == 1);
}

TEST_CASE("busy server: a 503 on a write keeps the session and says so; a 401 still signs out") {
    Harness h;
    h.sign_in();
    h.click("nav.feedback");
    for (const char* d : {"feedback.product.4", "feedback.service.4", "feedback.environment.4"}) h.click(d);
    h.click("feedback.send");
    REQUIRE(h.answer("POST /api/v1/me/feedback", 503, kBusy));
    CHECK(h.app().ui_state().screen == Screen::feedback);
    CHECK(h.platform.session.count("memberdesk.token") == 1);
    CHECK_FALSE(h.has("signin.notice"));
    h.click("nav.home");
    REQUIRE(h.answer("GET /api/v1/me", 401, json{{"error", {{"code", "unauthorized"}, {"message", "expired"}}}}));
    CHECK(h.app().ui_state().screen == Screen::sign_in);
}

TEST_CASE("busy server: a 503 keeps the kiosk member signed in and retries") {
    KioskHarness h;
    h.sign_in_scan();
    h.click("kiosk.tab.rewards");
    for (int i = 0; i < 4; ++i) {
        CAPTURE(i);
        REQUIRE(h.http.answer("GET /api/v1/rewards", 503, kBusy.dump(), 2));
        h.frames(2);
        CHECK(h.text().find("The server is busy, retrying") != std::string::npos);
        h.advance(2.1);
        h.frames(1);
        REQUIRE(h.http.waiting("GET /api/v1/rewards") == 1);
        CHECK(h.app().ui_state().phase == kiosk::Phase::member);
        CHECK(h.shell().state().signed_in());
    }
    REQUIRE(h.answer("GET /api/v1/rewards", 200, rewards_json()));
    CHECK(h.app().ui_state().phase == kiosk::Phase::member);
}

}  // namespace busy_server_test
