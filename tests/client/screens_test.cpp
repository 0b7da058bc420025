// The portal's screens driven through the accessibility mirror (as a screen reader or the browser
// tests would), against a fake API.
#include <doctest/doctest.h>

#include <functional>
#include <set>

#include "harness.hpp"

using namespace mdtest;

namespace screens_test {

namespace {

// Every mirror id on screen is unique (the DOM layer keys elements by id).
void check_unique_ids(const MirrorNode& root) {
    std::set<std::string> ids;
    std::function<void(const MirrorNode&)> walk = [&](const MirrorNode& n) {
        CHECK_MESSAGE(ids.insert(n.id).second, "duplicate mirror id " << n.id);
        for (const auto& c : n.children) walk(c);
    };
    walk(root);
}

}  // namespace

TEST_CASE("sign in: phone and PIN inputs and a Sign in button") {
    Harness h;
    h.boot();
    REQUIRE(h.has("signin.phone"));
    REQUIRE(h.has("signin.pin"));
    CHECK(h.node("signin.phone")->role == Role::input);
    CHECK(h.node("signin.phone")->kind == "tel");
    CHECK(h.node("signin.pin")->kind == "password");
    REQUIRE(h.has("signin.submit"));
    CHECK(h.node("signin.submit")->role == Role::button);
    CHECK(h.label("signin.submit") == "Sign in");
    CHECK(h.node("signin.submit")->disabled);  // nothing typed yet
    CHECK(h.has("nav") == false);              // no navigation before signing in
    CHECK(h.platform.doc_title.find("Sign in") != std::string::npos);
    check_unique_ids(h.mirror.root());
}

TEST_CASE("sign in: typing through the mirror, the PIN never mirrored back, login request") {
    Harness h;
    h.boot();
    h.type("signin.phone", "138 0000 0001");
    h.type("signin.pin", "123456");
    CHECK(h.node("signin.phone")->value == "13800000001");
    CHECK(h.node("signin.pin")->value.empty());
    CHECK_FALSE(h.node("signin.submit")->disabled);
    h.click("signin.submit");
    const HttpRequest* r = h.http.last("POST /api/v1/auth/login");
    REQUIRE(r);
    auto body = json::parse(r->body);
    CHECK(body["phone"] == "13800000001");
    CHECK(body["pin"] == "123456");
    CHECK(h.label("signin.submit") == "Signing in…");
}

TEST_CASE("sign in: wrong PIN shows words, not the code") {
    Harness h;
    h.boot();
    h.type("signin.phone", "13800000001");
    h.type("signin.pin", "000000");
    h.click("signin.submit");
    h.answer("POST /api/v1/auth/login", 401,
             json{{"error", {{"code", "invalid_credentials"}, {"message", "wrong phone or PIN"}}}});
    REQUIRE(h.has("signin.error"));
    CHECK(h.node("signin.error")->role == Role::alert);
    CHECK(h.label("signin.error") == "The phone number or PIN is not right.");
    CHECK(h.text().find("invalid_credentials") == std::string::npos);
}

TEST_CASE("sign in: success stores the token in sessionStorage and shows home with the balance") {
    Harness h;
    h.sign_in(me_json(1234));
    CHECK(h.platform.session["memberdesk.token"] == "tok123");
    CHECK(h.app().ui_state().screen == Screen::home);
    CHECK(h.platform.hash == "#/home");
    REQUIRE(h.has("home.balance"));
    CHECK(h.node("home.balance")->value == "1,234");
    CHECK(h.label("home.balance").find("1,234") != std::string::npos);
    CHECK(h.label("home.tier.name") == "Premium");
    REQUIRE(h.has("home.tier.progress"));
    CHECK(h.node("home.tier.progress")->value == "45");
    CHECK(h.text().find("Spend ¥1,980 more") != std::string::npos);
    CHECK(h.text().find("40 points expire on 2026-03-31") != std::string::npos);
    CHECK(h.has("home.offer.win_back.title"));
    // The API call carried the token.
    CHECK(FakeHttp::header(*h.http.last("GET /api/v1/me"), "Authorization") == "Bearer tok123");
    // Navigation is there, with Home marked current.
    REQUIRE(h.has("nav.home"));
    CHECK(h.node("nav.home")->current);
    check_unique_ids(h.mirror.root());
}

TEST_CASE("session: a stored token resumes on the screen of the URL") {
    Harness h([](FakePlatform& p) {
        p.session["memberdesk.token"] = "tok999";
        p.hash = "#/coupons";
    });
    h.boot();
    CHECK(h.app().ui_state().screen == Screen::coupons);
    REQUIRE(h.answer("GET /api/v1/me/coupons", 200, coupons_json()));
    CHECK(h.has("coupon.7.title"));
}

TEST_CASE("session: a 401 ends it and returns to sign-in with a notice") {
    Harness h;
    h.sign_in();
    h.click("nav.coupons");
    h.answer("GET /api/v1/me/coupons", 401, json{{"error", {{"code", "unauthorized"}, {"message", "expired"}}}});
    CHECK(h.app().ui_state().screen == Screen::sign_in);
    CHECK(h.platform.session.count("memberdesk.token") == 0);
    REQUIRE(h.has("signin.notice"));
    CHECK(h.label("signin.notice") == "Your session has ended. Please sign in again.");
    CHECK(h.text().find("Wang") == std::string::npos);  // nothing personal left on screen
}

TEST_CASE("network: GETs retry with back-off, then offer Try again") {
    Harness h;
    h.sign_in();
    h.click("nav.rewards");
    REQUIRE(h.http.answer("GET /api/v1/rewards", 0, ""));
    h.frames(1);
    CHECK(h.text().find("trying again") != std::string::npos);
    h.advance(0.6);
    h.frames(1);
    REQUIRE(h.http.answer("GET /api/v1/rewards", 502, ""));
    h.frames(1);
    h.advance(1.6);
    h.frames(1);
    REQUIRE(h.http.answer("GET /api/v1/rewards", 0, ""));
    h.frames(2);
    REQUIRE(h.has("rewards.error"));
    CHECK(h.label("rewards.error") == "We couldn't reach the server. Check your connection and try again.");
    REQUIRE(h.has("rewards.retry"));
    h.click("rewards.retry");
    REQUIRE(h.answer("GET /api/v1/rewards", 200, rewards_json()));
    CHECK_FALSE(h.has("rewards.error"));
    CHECK(h.has("reward.coffee_500.redeem"));
}

TEST_CASE("rewards: redeem asks for confirmation, then posts once with an Idempotency-Key") {
    Harness h;
    h.sign_in(me_json(1234));
    h.click("nav.rewards");
    REQUIRE(h.answer("GET /api/v1/rewards", 200, rewards_json(1234)));
    CHECK(h.label("rewards.balance") == "You have 1,234 points");
    CHECK_FALSE(h.node("reward.coffee_500.redeem")->disabled);
    CHECK(h.node("reward.mug_5000.redeem")->disabled);
    CHECK(h.label("reward.mug_5000.why") == "3,766 more points needed");

    h.click("reward.coffee_500.redeem");
    REQUIRE(h.has("rewards.confirm"));
    CHECK(h.node("rewards.confirm")->role == Role::dialog);
    CHECK(h.label("rewards.confirm.after") == "Your balance goes from 1,234 to 734 points.");
    CHECK(h.http.waiting("POST /api/v1/me/redemptions") == 0);  // nothing before confirming

    h.click("rewards.confirm.yes");
    CHECK_FALSE(h.has("rewards.confirm"));
    const HttpRequest* r = h.http.last("POST /api/v1/me/redemptions");
    REQUIRE(r);
    CHECK(json::parse(r->body)["reward_id"] == "coffee_500");
    CHECK_FALSE(FakeHttp::header(*r, "Idempotency-Key").empty());

    REQUIRE(h.answer("POST /api/v1/me/redemptions", 201, redemption_json()));
    REQUIRE(h.has("rewards.result.text"));
    CHECK(h.label("rewards.result.text").find("734") != std::string::npos);
    CHECK(h.label("rewards.result.coupon").find("CNEW500") != std::string::npos);
    // The new balance is shown at once; me, rewards and coupons reload.
    CHECK(h.label("rewards.balance") == "You have 734 points");
    CHECK(h.http.waiting("GET /api/v1/me") >= 1);
    CHECK(h.http.waiting("GET /api/v1/rewards") == 1);
    CHECK(h.http.waiting("GET /api/v1/me/coupons") == 1);
    h.click("rewards.result.view");
    CHECK(h.app().ui_state().screen == Screen::coupons);
}

TEST_CASE("rewards: a refused redemption is explained in words") {
    Harness h;
    h.sign_in(me_json(600));
    h.click("nav.rewards");
    REQUIRE(h.answer("GET /api/v1/rewards", 200, rewards_json(600)));
    h.click("reward.coffee_500.redeem");
    h.click("rewards.confirm.yes");
    REQUIRE(h.answer("POST /api/v1/me/redemptions", 409,
                     json{{"error", {{"code", "insufficient_points"}, {"message", "balance 400 < cost 500"}}}}));
    REQUIRE(h.has("rewards.error"));
    CHECK(h.label("rewards.error") == "You don't have enough points for this reward.");
    CHECK(h.text().find("insufficient_points") == std::string::npos);
    h.click("rewards.error.dismiss");
    CHECK_FALSE(h.has("rewards.error"));
}

TEST_CASE("rewards: a network failure during redemption retries with the same key") {
    Harness h;
    h.sign_in();
    h.click("nav.rewards");
    REQUIRE(h.answer("GET /api/v1/rewards", 200, rewards_json()));
    h.click("reward.coffee_500.redeem");
    h.click("rewards.confirm.yes");
    const std::string key = FakeHttp::header(*h.http.last("POST /api/v1/me/redemptions"), "Idempotency-Key");
    REQUIRE(h.http.answer("POST /api/v1/me/redemptions", 0, ""));
    h.frames(1);
    h.advance(0.6);
    h.frames(1);
    REQUIRE(h.http.waiting("POST /api/v1/me/redemptions") == 1);
    CHECK(FakeHttp::header(h.http.pending.back().request, "Idempotency-Key") == key);
}

TEST_CASE("coupons: tabs with counts, a large view with the QR of the code, copy") {
    Harness h;
    h.sign_in();
    h.click("nav.coupons");
    REQUIRE(h.answer("GET /api/v1/me/coupons", 200, coupons_json()));
    REQUIRE(h.has("coupons.tab.0"));
    CHECK(h.label("coupons.tab.0") == "Available (2)");
    CHECK(h.node("coupons.tab.0")->checked);
    CHECK(h.has("coupon.7.title"));
    CHECK_FALSE(h.has("coupon.9.title"));
    h.click("coupons.tab.1");
    CHECK(h.has("coupon.9.title"));
    CHECK_FALSE(h.has("coupon.7.title"));
    h.click("coupons.tab.0");
    h.click("coupon.7.open");
    REQUIRE(h.has("coupons.large.qr"));
    CHECK(h.node("coupons.large.qr")->role == Role::image);
    CHECK(h.label("coupons.large.qr") == "QR code of coupon code C7K2M9QX");
    CHECK(h.label("coupons.large.code") == "Coupon code: C7K2M9QX");
    h.click("coupons.large.copy");
    CHECK(h.platform.clipboard == "C7K2M9QX");
    h.click("coupons.large.back");
    CHECK(h.has("coupon.7.open"));
}

TEST_CASE("history: chart, filters and paging") {
    Harness h;
    h.sign_in();
    h.click("nav.history");
    REQUIRE(h.answer("GET /api/v1/me/ledger?limit=20", 200, ledger_json(true)));
    REQUIRE(h.answer("GET /api/v1/me/ledger?limit=100", 200, ledger_json(false)));
    REQUIRE(h.has("history.chart"));
    CHECK(h.node("history.chart")->role == Role::image);
    CHECK(h.label("history.chart").find("1,234 points") != std::string::npos);
    CHECK(h.label("entry.91.reason") == "Points for a ¥128 purchase");
    CHECK(h.label("entry.91.points") == "+12 pts");
    CHECK(h.label("entry.90.points") == "-500 pts");

    h.click("history.more");
    const HttpRequest* more = h.http.last("GET /api/v1/me/ledger");
    REQUIRE(more);
    CHECK(more->url.find("cursor=CUR2") != std::string::npos);
    h.answer("GET /api/v1/me/ledger", 200,
             json{{"entries", json::array({json{{"id", 5},
                                                {"type", "earn"},
                                                {"points", 30},
                                                {"balance_after", 30},
                                                {"reason", {{"en", "Welcome"}, {"zh", "欢迎"}}},
                                                {"created_at", "2025-04-01T04:12:00Z"},
                                                {"expires_at", nullptr},
                                                {"store", "S002"}}})},
                  {"next_cursor", nullptr}});
    CHECK(h.has("entry.91.reason"));  // kept
    CHECK(h.has("entry.5.reason"));   // appended
    CHECK_FALSE(h.has("history.more"));

    h.click("history.type.3");  // Redeemed
    h.type("history.from", "2026-01-01");
    h.type("history.to", "bad");
    CHECK(h.node("history.apply")->disabled);
    CHECK(h.has("history.date_error"));
    h.type("history.to", "2026-03-31");
    h.click("history.apply");
    const HttpRequest* f = h.http.last("GET /api/v1/me/ledger");
    CHECK(f->url.find("type=redeem") != std::string::npos);
    CHECK(f->url.find("from=2026-01-01") != std::string::npos);
    CHECK(f->url.find("to=2026-03-31") != std::string::npos);

    h.click("history.tab.1");
    REQUIRE(h.answer("GET /api/v1/me/redemptions", 200, json{{"redemptions", json::array({redemption_json()})}}));
    CHECK(h.label("redemption.3.name") == "Premium coffee");
}

TEST_CASE("tiers & rules come from GET /program, the member's tier marked") {
    Harness h;
    h.sign_in();
    h.click("nav.tiers");
    CHECK(h.label("tiers.tier.premium.name") == "Premium");
    CHECK(h.has("tiers.tier.premium.mine"));
    CHECK_FALSE(h.has("tiers.tier.standard.mine"));
    CHECK(h.label("rules.earning.body") == "1 point for every ¥10 you spend.");
}

TEST_CASE("member card: QR of the code, refreshed before it expires") {
    Harness h;
    h.sign_in();
    h.click("nav.card");
    REQUIRE(h.answer("GET /api/v1/me/card", 200, card_json()));
    REQUIRE(h.has("card.qr"));
    CHECK(h.label("card.code") == "Member code: M1-8f3k2abc");
    CHECK(h.label("card.countdown").find("refreshes in") != std::string::npos);
    CHECK(h.shell().next_wake() > 0);  // the countdown ticks
    CHECK(h.http.waiting("GET /api/v1/me/card") == 0);
    h.advance(91);
    h.frames(1);
    CHECK(h.http.waiting("GET /api/v1/me/card") == 1);
}

TEST_CASE("profile: export downloads a JSON file; delete asks twice") {
    Harness h;
    h.sign_in();
    h.click("nav.profile");
    CHECK(h.label("profile.phone") == "Phone: 138****5678");
    h.click("profile.export");
    REQUIRE(h.answer("GET /api/v1/me/export", 200, json{{"profile", {{"id", 12}}}}));
    CHECK(h.platform.download_name == "memberdesk-export-12.json");
    CHECK(json::parse(h.platform.download_data)["profile"]["id"] == 12);
    CHECK(h.has("profile.export.done"));

    h.click("profile.erase");
    REQUIRE(h.has("profile.erase1"));
    h.click("profile.erase1.no");
    CHECK_FALSE(h.has("profile.erase1"));
    CHECK(h.http.waiting("DELETE") == 0);
    h.click("profile.erase");
    h.click("profile.erase1.yes");
    REQUIRE(h.has("profile.erase2"));
    CHECK(h.http.waiting("DELETE") == 0);  // still nothing after the first yes
    h.click("profile.erase2.yes");
    REQUIRE(h.http.waiting("DELETE /api/v1/me?confirm=yes") == 1);
    h.answer("DELETE /api/v1/me", 200, json{{"erased", true}, {"id", 12}});
    CHECK(h.app().ui_state().screen == Screen::sign_in);
    CHECK(h.platform.session.count("memberdesk.token") == 0);
    CHECK(h.label("signin.notice").find("erased") != std::string::npos);
}

TEST_CASE("settings: Chinese, text size and theme are remembered; Chinese fetches the CJK font") {
    Harness h;
    h.sign_in();
    h.click("nav.settings");
    CHECK(h.http.waiting("GET /fonts/ui-cjk.ttf") == 0);  // English only so far
    h.click("settings.lang.1");
    CHECK(h.label("app.title") == "会员中心");
    CHECK(h.label("screen.title") == "设置");
    CHECK(h.platform.doc_lang == "zh");
    auto saved = json::parse(h.platform.local["memberdesk.settings"]);
    CHECK(saved["lang"] == "zh");
    CHECK(h.http.waiting("GET /fonts/ui-cjk.ttf") == 1);
    h.click("settings.size.2");
    h.click("settings.theme.1");
    saved = json::parse(h.platform.local["memberdesk.settings"]);
    CHECK(saved["text_size"] == 2);
    CHECK(saved["theme"] == "dark");
    CHECK(h.shell().theme().dark);
    CHECK(h.shell().scale() == doctest::Approx(1.2f));

    // Remembered by the next visit.
    auto local = h.platform.local;
    Harness h2([&](FakePlatform& p) { p.local = local; });
    h2.boot();
    CHECK(h2.label("signin.submit") == "登录");
    CHECK(h2.shell().theme().dark);
}

TEST_CASE("fonts: the CJK font is requested when a Chinese name appears on an English screen") {
    Harness h;
    json me = me_json();
    me["profile"]["name"] = "王小明";
    h.sign_in(me);
    CHECK(h.label("home.greeting") == "Hello, 王小明");
    CHECK(h.http.waiting("GET /fonts/ui-cjk.ttf") == 1);
    CHECK(h.shell().fonts().wants_cjk());
}

TEST_CASE("sign out forgets the member") {
    Harness h;
    h.sign_in();
    h.click("app.sign_out");
    CHECK(h.http.last("POST /api/v1/auth/logout"));
    CHECK(h.app().ui_state().screen == Screen::sign_in);
    CHECK(h.platform.session.count("memberdesk.token") == 0);
    CHECK_FALSE(h.shell().state().me.has());
    CHECK(h.text().find("Wang") == std::string::npos);
}

TEST_CASE("every screen: unique mirror ids, a heading, nothing in flight means no timed redraw") {
    Harness h;
    h.sign_in();
    for (const char* s :
         {"home", "inbox", "coupons", "history", "rewards", "tiers", "card", "profile", "feedback", "settings"}) {
        CAPTURE(s);
        h.click(std::string("nav.") + s);
        h.answer("GET /api/v1/me/coupons", 200, coupons_json());
        h.answer("GET /api/v1/me/ledger?limit=20", 200, ledger_json());
        h.answer("GET /api/v1/me/ledger?limit=100", 200, ledger_json());
        h.answer("GET /api/v1/me/redemptions", 200, json{{"redemptions", json::array()}});
        h.answer("GET /api/v1/rewards", 200, rewards_json());
        h.answer("GET /api/v1/me/card", 200, card_json());
        h.answer("GET /api/v1/me/messages", 200, inbox_json());
        h.answer("POST /api/v1/me/messages/read", 200, json{{"unread", 0}});
        h.answer("GET /api/v1/me/reminders", 200, json{{"next", nullptr}});
        while (h.http.answer("GET /api/v1/me", 200, me_json().dump())) {}
        h.frames(2);
        CHECK(h.has("screen.title"));
        check_unique_ids(h.mirror.root());
        if (std::string(s) != "card") CHECK(h.shell().next_wake() < 0);
    }
}

TEST_CASE("home: the next reminder's subject is a line of its own, and no line without one") {
    Harness h;
    h.sign_in();
    h.answer("GET /api/v1/me/reminders", 200,
             json{{"next",
                   {{"kind", "points_expiry"},
                    {"occasion", "points_expiry:2027-03-31"},
                    {"day", "2027-03-01"},
                    {"subject", {{"zh", "120积分将于3月31日过期"}, {"en", "120 points expire on 31 March"}}},
                    {"consent", "reminders"}}}});
    REQUIRE(h.has("home.reminder"));
    CHECK(h.label("home.reminder") == "120 points expire on 31 March");
    Harness none;
    none.sign_in();
    none.answer("GET /api/v1/me/reminders", 200, json{{"next", nullptr}});
    CHECK(none.has("home.balance"));
    CHECK_FALSE(none.has("home.reminder"));
}

TEST_CASE("narrow window: a menu button replaces the side navigation") {
    Harness h(nullptr, 390, 800);
    h.sign_in();
    CHECK_FALSE(h.has("nav"));
    REQUIRE(h.has("app.menu"));
    h.click("app.menu");
    REQUIRE(h.has("nav.coupons"));
    h.click("nav.coupons");
    CHECK(h.app().ui_state().screen == Screen::coupons);
    CHECK_FALSE(h.has("nav"));
}

TEST_CASE("touch: a finger drag scrolls the screen and presses nothing") {
    Harness h(nullptr, 390, 400);  // short window: home is taller than it
    h.sign_in();
    h.frames(2);
    const MirrorNode* b = h.node("home.go.rewards");
    REQUIRE(b);
    REQUIRE(b->h > 0);  // on screen, with its rect
    const float y0 = b->y;
    const float finger = b->y + b->h / 2;  // (the mirror is rebuilt each frame: keep numbers, not b)
    ImGuiIO& io = ImGui::GetIO();
    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
    io.AddMousePosEvent(200, finger);  // the finger lands on the button...
    io.AddMouseButtonEvent(0, true);
    h.frame();
    for (int i = 1; i <= 10; ++i) {  // ...and drags up 150 px
        io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
        io.AddMousePosEvent(200, finger - 15.0f * static_cast<float>(i));
        h.frame();
    }
    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
    io.AddMouseButtonEvent(0, false);
    h.frame();
    h.frames(2);
    const MirrorNode* a = h.node("home.go.rewards");
    REQUIRE(a);
    CHECK(y0 - a->y > 100);                            // the content followed the finger
    CHECK(h.app().ui_state().screen == Screen::home);  // the drag was not a tap on "Redeem points"
}

}  // namespace screens_test
