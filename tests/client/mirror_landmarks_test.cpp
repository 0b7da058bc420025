// The DOM mirror on every screen of portal and kiosk: landmarks (regions, navigation, dialogs)
// have names no other landmark on the screen has, and heading levels never skip (h1, then h2 ...).
// Also: a reward kept for a tier names the tier as members know it, in both languages.
#include "harness.hpp"
#include "kiosk_harness.hpp"

using namespace mdtest;

namespace mirror_landmarks_test {

namespace {

json same_title_coupons() {
    json c = coupons_json();
    c["coupons"][0]["title"] = json{{"en", "20% off"}, {"zh", "8折"}};
    c["coupons"][1]["title"] = json{{"en", "20% off"}, {"zh", "8折"}};
    return c;
}

json rewards_with_tier_lock() {
    json r = rewards_json(1234);
    r["rewards"].push_back(json{{"id", "tumbler"},
                                {"name", {{"en", "Tumbler"}, {"zh", "随行杯"}}},
                                {"cost", 800},
                                {"coupon_title", {{"en", "A tumbler"}, {"zh", "随行杯"}}},
                                {"min_tier", "elite"},
                                {"min_tier_name", {{"en", "Elite"}, {"zh", "尊享"}}},
                                {"stock_left", nullptr},
                                {"affordable", true},
                                {"tier_allowed", false},
                                {"in_stock", true}});
    return r;
}

}  // namespace

TEST_CASE("mirror: every portal screen has uniquely named landmarks and unskipped heading levels") {
    for (const char* lang : {"en-US", "zh-CN"}) {
        CAPTURE(lang);
        Harness h([&](FakePlatform& p) { p.lang = lang; });
        h.boot();
        check_landmarks_and_headings(h.mirror, "sign_in");
        h.click("signin.sign_up");
        check_landmarks_and_headings(h.mirror, "sign-up phone");
        h.type("signup.phone", "13900000001");
        h.click("signup.send");
        REQUIRE(h.answer("POST /api/v1/auth/signup/start", 202, json{{"expires_at", "2026-03-20T09:56:40Z"}}));
        check_landmarks_and_headings(h.mirror, "sign-up code");
        h.type("signup.code", "123456");
        h.click("signup.continue");
        check_landmarks_and_headings(h.mirror, "sign-up details");
        h.click("signup.to_sign_in");
        h.click("signin.forgot");
        check_landmarks_and_headings(h.mirror, "PIN reset");
        h.click("reset.to_sign_in");
        h.sign_in();
        check_landmarks_and_headings(h.mirror, "home");
        h.click("nav.coupons");
        REQUIRE(h.answer("GET /api/v1/me/coupons", 200, same_title_coupons()));
        check_landmarks_and_headings(h.mirror, "coupons");
        h.click("coupon.7.open");
        check_landmarks_and_headings(h.mirror, "coupons with one open");
        h.click("nav.history");
        h.answer("GET /api/v1/me/ledger?limit=20", 200, ledger_json());
        h.answer("GET /api/v1/me/ledger?limit=100", 200, ledger_json());
        h.answer("GET /api/v1/me/redemptions", 200, json{{"redemptions", json::array()}});
        check_landmarks_and_headings(h.mirror, "history");
        h.click("nav.rewards");
        REQUIRE(h.answer("GET /api/v1/rewards", 200, rewards_with_tier_lock()));
        check_landmarks_and_headings(h.mirror, "rewards");
        h.click("reward.coffee_500.redeem");
        check_landmarks_and_headings(h.mirror, "rewards confirm");
        h.click("rewards.confirm.no");
        h.click("nav.tiers");
        check_landmarks_and_headings(h.mirror, "tiers");
        h.click("nav.card");
        h.answer("GET /api/v1/me/card", 200, card_json());
        check_landmarks_and_headings(h.mirror, "card");
        h.click("nav.profile");
        check_landmarks_and_headings(h.mirror, "profile");
        h.click("profile.consents");
        REQUIRE(h.answer("GET /api/v1/me/consents", 200, consents_json()));
        check_landmarks_and_headings(h.mirror, "consents");
        h.click("nav.inbox");
        h.answer("GET /api/v1/me/messages", 200, inbox_json());
        check_landmarks_and_headings(h.mirror, "inbox");
        h.click("nav.feedback");
        check_landmarks_and_headings(h.mirror, "feedback");
        h.click("nav.settings");
        check_landmarks_and_headings(h.mirror, "settings");
    }
    Harness narrow(nullptr, 390, 800);
    narrow.sign_in();
    narrow.click("app.menu");
    check_landmarks_and_headings(narrow.mirror, "narrow menu");
}

TEST_CASE("mirror: every kiosk screen and dialog has uniquely named landmarks and unskipped heading levels") {
    KioskHarness h;
    h.boot();
    check_landmarks_and_headings(h.mirror, "attract");
    h.click("kiosk.join");
    check_landmarks_and_headings(h.mirror, "join phone");
    h.press_keys("13900000001");
    h.click("kiosk.self.send");
    REQUIRE(h.answer("POST /api/v1/auth/signup/start", 202, json{{"expires_at", "2026-03-20T09:56:40Z"}}));
    check_landmarks_and_headings(h.mirror, "join code");
    h.press_keys("123456");
    h.click("kiosk.self.next");
    h.press_keys("246810");
    h.click("kiosk.self.next");
    check_landmarks_and_headings(h.mirror, "join name and consents");
    h.click("kiosk.self.back");
    h.click("kiosk.self.cancel");
    h.click("kiosk.start");
    check_landmarks_and_headings(h.mirror, "keypad phone");
    h.press_keys("13800000001");
    h.click("kiosk.next");
    check_landmarks_and_headings(h.mirror, "keypad pin");
    h.press_keys("123456");
    h.click("kiosk.submit");
    REQUIRE(h.answer("POST /api/v1/kiosk/login", 200, json{{"token", "ktok"}, {"expires_at", "2026-03-20T09:48:40Z"}}));
    REQUIRE(h.answer("GET /api/v1/me", 200, kiosk_me_json()));
    REQUIRE(h.answer("GET /api/v1/me/coupons", 200, same_title_coupons()));
    REQUIRE(h.answer("GET /api/v1/rewards", 200, rewards_with_tier_lock()));
    check_landmarks_and_headings(h.mirror, "member overview");
    h.click("kiosk.tab.coupons");
    h.answer("GET /api/v1/me/coupons", 200, same_title_coupons());
    check_landmarks_and_headings(h.mirror, "member coupons");
    h.click("kiosk.coupon.7.open");
    check_landmarks_and_headings(h.mirror, "coupon dialog");
    h.click("kiosk.coupon.close");
    h.click("kiosk.tab.rewards");
    h.answer("GET /api/v1/rewards", 200, rewards_with_tier_lock());
    check_landmarks_and_headings(h.mirror, "member rewards");
    h.click("kiosk.reward.coffee_500.redeem");
    check_landmarks_and_headings(h.mirror, "confirm dialog");
    h.click("kiosk.confirm.yes");
    h.answer("POST /api/v1/me/redemptions", 201, redemption_json());
    check_landmarks_and_headings(h.mirror, "result dialog");
    h.click("kiosk.result.close");
    h.click("kiosk.tab.history");
    h.answer("GET /api/v1/me/ledger", 200, ledger_json(true));
    check_landmarks_and_headings(h.mirror, "member history");
    h.click("kiosk.history.filter.redemptions");
    h.answer("GET /api/v1/me/redemptions", 200, json{{"redemptions", json::array({redemption_json()})}});
    check_landmarks_and_headings(h.mirror, "member history, rewards redeemed");
    h.advance(61);
    check_landmarks_and_headings(h.mirror, "still there?");
}

TEST_CASE("rewards: a reward kept for a tier names the tier, not its id, in English and Chinese") {
    for (const auto& [lang, want] : {std::pair<const char*, const char*>{"en-US", "For tier Elite and above"},
                                     std::pair<const char*, const char*>{"zh-CN", "尊享及以上等级可兑换"}}) {
        CAPTURE(lang);
        Harness h([&](FakePlatform& p) { p.lang = lang; });
        h.sign_in();
        h.click("nav.rewards");
        REQUIRE(h.answer("GET /api/v1/rewards", 200, rewards_with_tier_lock()));
        CHECK(h.label("reward.tumbler.why") == want);

        KioskHarness k;
        k.platform.lang = lang;
        k.app().start();  // the kiosk takes the browser's language when it starts
        k.sign_in_keypad();
        k.click("kiosk.tab.rewards");
        REQUIRE(k.answer("GET /api/v1/rewards", 200, rewards_with_tier_lock()));
        CHECK(k.label("kiosk.reward.tumbler.why") == want);
    }
}

}  // namespace mirror_landmarks_test
