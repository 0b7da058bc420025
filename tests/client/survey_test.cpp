// The satisfaction survey on the portal and the kiosk (domain.md §8): product, service and store
// environment scored 1 to 5, an optional comment and the store, sent as POST /me/feedback's
// three-dimension form; the answer says the points it earned or that this month's are given.
#include <doctest/doctest.h>

#include "harness.hpp"
#include "kiosk_harness.hpp"

using namespace mdtest;

namespace survey_test {

namespace {

json no_purchases_ledger() {
    json l = ledger_json();
    l["entries"].erase(0);  // only the redemption is left
    return l;
}

}  // namespace

TEST_CASE("survey (portal): three scores, the last purchase's store and a comment are sent; the points are shown") {
    Harness h;
    h.sign_in();
    h.click("nav.feedback");
    REQUIRE(h.answer("GET /api/v1/me/ledger?limit=100", 200, ledger_json()));
    CHECK(h.node("feedback.send")->disabled);
    CHECK(h.has("feedback.need_all"));
    REQUIRE(h.has("feedback.store"));
    CHECK(h.label("feedback.store.0") == "S001 (your last purchase)");
    CHECK(h.node("feedback.store.0")->checked);
    CHECK(h.label("feedback.product") == "Products");
    CHECK(h.label("feedback.product.4") == "5 stars");  // what a screen reader says of each option
    h.click("feedback.product.4");
    h.click("feedback.service.2");
    CHECK(h.node("feedback.send")->disabled);  // environment is still unanswered
    h.click("feedback.environment.3");
    CHECK_FALSE(h.has("feedback.need_all"));
    h.type("feedback.comment", "Great coffee 很好");
    h.click("feedback.send");
    const HttpRequest* r = h.http.last("POST /api/v1/me/feedback");
    REQUIRE(r);
    const json b = json::parse(r->body);
    CHECK(b["scores"] == json{{"product", 5}, {"service", 3}, {"environment", 4}});
    CHECK(b["store"] == "S001");
    CHECK(b["comment"] == "Great coffee 很好");
    CHECK_FALSE(b.contains("rating"));
    h.answer("POST /api/v1/me/feedback", 201, json{{"id", 4}, {"points_awarded", 10}});
    CHECK(h.has("feedback.sent"));
    CHECK(h.label("feedback.points") == "You earned 10 points for it.");
    CHECK(h.http.waiting("GET /api/v1/me") >= 1);  // the balance is refreshed
}

TEST_CASE("survey (portal): no store when the member says so; a second answer in the month earns none") {
    Harness h;
    h.sign_in();
    h.click("nav.feedback");
    REQUIRE(h.answer("GET /api/v1/me/ledger?limit=100", 200, ledger_json()));
    for (const char* id : {"feedback.product.0", "feedback.service.0", "feedback.environment.1", "feedback.store.1"})
        h.click(id);
    h.click("feedback.send");
    const json b = json::parse(h.http.last("POST /api/v1/me/feedback")->body);
    CHECK_FALSE(b.contains("store"));
    CHECK_FALSE(b.contains("comment"));  // none typed
    h.answer("POST /api/v1/me/feedback", 201, json{{"id", 5}, {"points_awarded", 0}});
    CHECK_FALSE(h.has("feedback.points"));
    CHECK(h.label("feedback.no_points") == "Survey points are given once a month: this month's are already yours.");
    h.click("feedback.again");
    CHECK(h.node("feedback.send")->disabled);  // a fresh survey
}

TEST_CASE("survey (portal): without a purchase in the history there is no store to choose, and none is sent") {
    Harness h;
    h.sign_in();
    h.click("nav.feedback");
    REQUIRE(h.answer("GET /api/v1/me/ledger?limit=100", 200, no_purchases_ledger()));
    CHECK_FALSE(h.has("feedback.store"));
    for (const char* id : {"feedback.product.2", "feedback.service.2", "feedback.environment.2"}) h.click(id);
    h.click("feedback.send");
    CHECK_FALSE(json::parse(h.http.last("POST /api/v1/me/feedback")->body).contains("store"));
    h.answer("POST /api/v1/me/feedback", 400,
             json{{"error", {{"code", "invalid_comment"}, {"message", "comment must be text"}}}});
    CHECK(h.has("feedback.error"));
    CHECK_FALSE(h.node("feedback.send")->disabled);  // the member can send again
}

TEST_CASE("survey (kiosk): from the member screen, big score keys, the kiosk's store; then back to the member") {
    KioskHarness h(true, 1920, 1080, 1.0f, "store-002");
    h.sign_in_keypad();
    h.click("kiosk.survey.open");
    CHECK(h.app().ui_state().phase == kiosk::Phase::survey);
    CHECK(h.has("kiosk.done"));  // still signed in: Done is there
    CHECK(h.node("kiosk.survey.send")->disabled);
    REQUIRE(h.has("kiosk.survey.product"));
    CHECK(h.node("kiosk.survey.product")->role == Role::choice);
    CHECK(h.label("kiosk.survey.product") == "Products");
    CHECK(h.label("kiosk.survey.service.4") == "4 of 5");
    h.click("kiosk.survey.product.5");
    h.click("kiosk.survey.service.4");
    h.click("kiosk.survey.environment.3");
    CHECK(h.node("kiosk.survey.service.4")->checked);
    CHECK_FALSE(h.node("kiosk.survey.service.5")->checked);
    h.frame({MirrorEvent{MirrorEvent::Kind::input, "kiosk.survey.comment", "Friendly staff 店员很热情"}});
    h.frame();
    h.click("kiosk.survey.send");
    const HttpRequest* r = h.http.last("POST /api/v1/me/feedback");
    REQUIRE(r);
    const json b = json::parse(r->body);
    CHECK(b["scores"] == json{{"product", 5}, {"service", 4}, {"environment", 3}});
    CHECK(b["store"] == "store-002");
    CHECK(b["comment"] == "Friendly staff 店员很热情");
    REQUIRE(h.answer("POST /api/v1/me/feedback", 201, json{{"id", 9}, {"points_awarded", 20}}));
    CHECK(h.label("kiosk.survey.points") == "You earned 20 points for it.");
    REQUIRE(h.answer("GET /api/v1/me", 200, kiosk_me_json(1254)));  // the new balance
    h.click("kiosk.survey.back");
    CHECK(h.app().ui_state().phase == kiosk::Phase::member);
    CHECK(h.has("kiosk.balance"));
    CHECK(h.app().ui_state().survey.comment.empty());
}

TEST_CASE("survey (kiosk): a second answer earns none; nobody there signs out from the survey and forgets it") {
    KioskHarness h;  // a kiosk set up without a store
    h.sign_in_keypad();
    h.click("kiosk.survey.open");
    for (const char* id : {"kiosk.survey.product.1", "kiosk.survey.service.2", "kiosk.survey.environment.2"})
        h.click(id);
    h.click("kiosk.survey.send");
    CHECK_FALSE(json::parse(h.http.last("POST /api/v1/me/feedback")->body).contains("store"));
    REQUIRE(h.answer("POST /api/v1/me/feedback", 201, json{{"id", 10}, {"points_awarded", 0}}));
    CHECK(h.has("kiosk.survey.no_points"));
    CHECK_FALSE(h.has("kiosk.survey.points"));

    // A new survey, half typed, then nobody there.
    h.click("kiosk.survey.back");
    h.click("kiosk.survey.open");
    h.click("kiosk.survey.product.4");
    h.frame({MirrorEvent{MirrorEvent::Kind::input, "kiosk.survey.comment", "private words"}});
    h.advance(61);
    CHECK(h.has("kiosk.idle.out"));
    CHECK(h.label("kiosk.idle.out") == "Sign out now");
    h.advance(11);
    CHECK(h.app().ui_state().phase == kiosk::Phase::attract);
    CHECK(h.app().ui_state().survey.comment.empty());
    CHECK(h.app().ui_state().survey.product == 0);
    CHECK(h.text().find("private words") == std::string::npos);
    CHECK(h.shell().state().token.empty());
}

TEST_CASE("survey (kiosk): one screen, every key >= 44 CSS px, landscape and portrait") {
    struct Size {
        float w, h, dpr;
    };
    for (Size s : {Size{1920, 1080, 1}, Size{1080, 1920, 1}, Size{3840, 2160, 2}}) {
        CAPTURE(s.w);
        KioskHarness h(true, s.w, s.h, s.dpr);
        h.sign_in_keypad();
        h.click("kiosk.survey.open");
        h.frame();
        int keys = 0;
        for (const auto& t : h.app().hit_targets()) {
            CHECK_MESSAGE(t.w >= 44 * s.dpr, t.id << " is " << t.w << " px wide");
            CHECK_MESSAGE(t.h >= 44 * s.dpr, t.id << " is " << t.h << " px tall");
            if (t.id.rfind("kiosk.survey.", 0) == 0) ++keys;
        }
        CHECK(keys == 3 * 5 + 2);  // fifteen score keys, Send and Back
        // Everything is on the screen at once (no scrolling to reach Send).
        for (const char* id : {"kiosk.survey.environment.5", "kiosk.survey.send", "kiosk.survey.cancel"}) {
            const MirrorNode* n = h.node(id);
            REQUIRE(n);
            CHECK_MESSAGE(n->w > 0, id << " is not drawn");
            CHECK_MESSAGE(n->y + n->h <= s.h, id << " ends at " << n->y + n->h << " of " << s.h);
        }
    }
}

}  // namespace survey_test
