// The store kiosk end to end against a fake API, read through the accessibility mirror: attract ->
// keypad or scan sign-in -> member view -> coupons / rewards -> Done or idle sign-out, and that no
// personal data is left in state or in the mirror afterwards.
#include <doctest/doctest.h>

#include <functional>
#include <set>

#include "kiosk/kiosk_i18n.hpp"
#include "kiosk_harness.hpp"

using namespace mdtest;

namespace kiosk_flow_test {

namespace {

void check_unique_ids(const MirrorNode& root) {
    std::set<std::string> ids;
    std::function<void(const MirrorNode&)> walk = [&](const MirrorNode& n) {
        CHECK_MESSAGE(ids.insert(n.id).second, "duplicate mirror id " << n.id);
        for (const auto& c : n.children) walk(c);
    };
    walk(root);
}

// Nothing of the member: name, phone, balance, coupon codes, token.
void check_no_personal_data(KioskHarness& h) {
    const std::string t = h.text();
    for (const char* s : {"王*明", "王小明", "138****5678", "1,234", "734", "C7K2M9QX", "C8AAAA", "CNEW500", "ktok",
                          "13800000001", "One premium coffee", "Points you can use"}) {
        CHECK_MESSAGE(t.find(s) == std::string::npos, "still on screen: " << s);
    }
    const ClientState& s = h.shell().state();
    CHECK(s.token.empty());
    CHECK_FALSE(s.me.has());
    CHECK_FALSE(s.coupons.has());
    CHECK_FALSE(s.rewards.has());
    CHECK_FALSE(s.redemption.has());
    CHECK_FALSE(s.redemptions.has());
    CHECK_FALSE(s.login.has());
    CHECK_FALSE(s.card.has());
    const auto& k = h.app().ui_state();
    CHECK(k.phase == kiosk::Phase::attract);
    CHECK(k.keypad.phone.empty());
    CHECK(k.keypad.pin.empty());
    CHECK_FALSE(k.open_coupon);
    CHECK(k.confirm_reward.empty());
    CHECK(h.app().scan_buffer().empty());
    CHECK_FALSE(h.app().idle().running());
    CHECK(h.platform.session.count("memberdesk.token") == 0);
}

}  // namespace

TEST_CASE("kiosk attract: brand, scan instruction, sign-in button, language switch, rotating offers") {
    KioskHarness h;
    h.boot();
    REQUIRE(h.has("kiosk.attract"));
    CHECK(h.label("kiosk.brand") == "Coffee Rewards");
    CHECK(h.label("kiosk.scan.title") == "Scan your member code here");
    CHECK(h.label("kiosk.start") == "Tap to sign in with phone and PIN");
    CHECK(h.node("kiosk.lang")->role == Role::button);
    CHECK(h.has("kiosk.setup") == false);  // the device key is set
    // Offers from the program: rewards lines first (not the "...:" intro, not the expiry rules).
    REQUIRE(h.has("kiosk.offer.body"));
    CHECK(h.label("kiosk.offer.body") == "Premium coffee: 500 points");
    CHECK(h.label("kiosk.offer.index") == "Offer 1 of 3");
    h.advance(6.1);
    CHECK(h.label("kiosk.offer.body") == "Pastry: 300 points");
    h.advance(6.0);
    CHECK(h.label("kiosk.offer.body") == "1 point for every ¥10 you spend.");
    CHECK(h.text().find("expire") == std::string::npos);
    // Idle on the attract screen: nothing to wake for but the next offer.
    CHECK(h.shell().next_wake() > 0);
    CHECK(h.shell().next_wake() <= 6.1);
    check_unique_ids(h.mirror.root());
    CHECK(h.platform.doc_title == "Member self-service");
}

TEST_CASE("kiosk set-up: the device key comes from #key=..., is kept on the device and leaves the URL") {
    KioskHarness none(false);
    none.boot();
    REQUIRE(none.has("kiosk.setup"));
    CHECK_FALSE(none.app().device_key_set());

    FakePlatform p;
    p.hash = "#key=store-7-secret";
    FakeHttp http;
    ImGuiContext* ctx = ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // no imgui.ini left in the working directory
    {
        Shell shell(p, http, AppMode::kiosk);
        KioskMode& app = shell.run<KioskMode>();
        shell.start();
        CHECK(app.device_key_set());
        CHECK(p.local["memberdesk.kiosk.key"] == "store-7-secret");
        CHECK(p.hash.find("store-7-secret") == std::string::npos);
    }
    ImGui::DestroyContext(ctx);
}

TEST_CASE("kiosk keypad: phone and PIN on the on-screen keys, PIN never mirrored, kiosk login request") {
    KioskHarness h;
    h.boot();
    h.click("kiosk.start");
    REQUIRE(h.has("kiosk.keypad"));
    for (const char* k : {"kiosk.key.0", "kiosk.key.1", "kiosk.key.9", "kiosk.key.clear", "kiosk.key.back"})
        CHECK(h.has(k));
    CHECK(h.label("kiosk.keypad.step") == "Enter your phone number");
    CHECK(h.node("kiosk.next")->disabled);
    h.press_keys("13800000001");
    CHECK(h.node("kiosk.phone")->value == "138 0000 0001");
    CHECK_FALSE(h.node("kiosk.next")->disabled);
    h.click("kiosk.next");
    CHECK(h.label("kiosk.keypad.step") == "Enter your 6-digit PIN");
    CHECK(h.node("kiosk.submit")->disabled);
    h.press_keys("123456");
    CHECK(h.node("kiosk.pin")->value == "6 of 6 digits entered");
    CHECK(h.text().find("123456") == std::string::npos);
    h.click("kiosk.submit");
    const HttpRequest* r = h.http.last("POST /api/v1/kiosk/login");
    REQUIRE(r);
    CHECK(FakeHttp::header(*r, "X-Kiosk-Key") == "test-kiosk-key");
    auto body = json::parse(r->body);
    CHECK(body["phone"] == "13800000001");
    CHECK(body["pin"] == "123456");
    CHECK(h.label("kiosk.submit") == "Signing in…");
    CHECK(h.node("kiosk.submit")->disabled);
}

TEST_CASE("kiosk keypad: a wrong PIN is said in words and wiped; Cancel goes back to the attract screen") {
    KioskHarness h;
    h.boot();
    h.click("kiosk.start");
    h.press_keys("13800000001");
    h.click("kiosk.next");
    h.press_keys("000000");
    h.click("kiosk.submit");
    h.answer("POST /api/v1/kiosk/login", 401,
             json{{"error", {{"code", "invalid_credentials"}, {"message", "wrong phone or PIN"}}}});
    REQUIRE(h.has("kiosk.error"));
    CHECK(h.label("kiosk.error") == "The phone number or PIN is not right.");
    CHECK(h.app().ui_state().keypad.pin.empty());
    CHECK(h.app().ui_state().keypad.phone == "13800000001");
    CHECK(h.label("kiosk.keypad.step") == "Enter your 6-digit PIN");
    h.click("kiosk.key.4");  // typing again clears the message
    CHECK_FALSE(h.has("kiosk.error"));
    h.click("kiosk.cancel");
    REQUIRE(h.has("kiosk.attract"));
    CHECK(h.app().ui_state().keypad.phone.empty());
    CHECK(h.app().ui_state().keypad.pin.empty());
}

TEST_CASE("kiosk member view: masked name and phone, balance, tier and progress, coupon count; no token stored") {
    KioskHarness h;
    json me = kiosk_me_json(1234);
    me["profile"]["name"] = "王小明";  // even if a server sent it unmasked, the kiosk masks it
    h.sign_in_keypad(me);
    REQUIRE(h.app().ui_state().phase == kiosk::Phase::member);
    CHECK(h.label("kiosk.hello") == "Hello, 王*明");
    CHECK(h.text().find("王小明") == std::string::npos);
    CHECK(h.label("kiosk.phone_masked") == "Phone 138****5678");
    REQUIRE(h.has("kiosk.balance"));
    CHECK(h.node("kiosk.balance")->value == "1,234");
    CHECK(h.label("kiosk.tier.name") == "Tier: Premium");
    REQUIRE(h.has("kiosk.progress"));
    CHECK(h.node("kiosk.progress")->role == Role::progress);
    CHECK(h.node("kiosk.progress")->value == "45");
    CHECK(h.label("kiosk.tab.coupons") == "Coupons (2)");
    CHECK(h.has("kiosk.done"));
    // Kiosk scope: no card, profile, export, delete, settings.
    for (const char* id : {"nav.card", "nav.profile", "profile.export", "profile.erase", "nav.settings"})
        CHECK_FALSE(h.has(id));
    CHECK(h.http.waiting("GET /api/v1/me/card") == 0);
    CHECK(h.platform.session.empty());  // the kiosk token lives in memory only
    CHECK(h.shell().state().token == "ktok");
    check_unique_ids(h.mirror.root());
}

TEST_CASE("kiosk scan: typed code + Enter anywhere signs in; the time to the member view is measured") {
    KioskHarness h;
    h.boot();
    h.scanner_types("M1-8f3k2abc");
    const HttpRequest* r = h.http.last("POST /api/v1/kiosk/login");
    REQUIRE(r);
    CHECK(json::parse(r->body) == json{{"member_code", "M1-8f3k2abc"}});
    CHECK(FakeHttp::header(*r, "X-Kiosk-Key") == "test-kiosk-key");
    REQUIRE(h.has("kiosk.signing_in"));
    CHECK(h.app().last_scan_to_member_seconds() < 0);
    REQUIRE(h.answer("POST /api/v1/kiosk/login", 200, json{{"token", "ktok"}, {"expires_at", "2026-03-20T09:48:40Z"}}));
    h.answer_member_data();
    REQUIRE(h.has("kiosk.balance"));
    CHECK(h.app().last_scan_to_member_seconds() > 0);
    CHECK(h.app().last_scan_to_member_seconds() < 1.0);  // a few frames of the fake clock
}

TEST_CASE("kiosk scan: the web glue's code arrives through post_scan; a bad code is explained and fades") {
    KioskHarness h;
    h.boot();
    kiosk::post_scan("M1-expired");
    h.frames(2);
    REQUIRE(h.http.last("POST /api/v1/kiosk/login"));
    h.answer("POST /api/v1/kiosk/login", 401,
             json{{"error", {{"code", "invalid_member_code"}, {"message", "unknown or expired member code"}}}});
    REQUIRE(h.has("kiosk.error"));
    CHECK(h.label("kiosk.error").find("not recognised") != std::string::npos);
    h.advance(16);
    CHECK_FALSE(h.has("kiosk.error"));
}

TEST_CASE("kiosk scan: a new member's code while someone is signed in ends that session first") {
    KioskHarness h;
    h.sign_in_keypad();
    h.scanner_types("M1-second");
    CHECK(h.http.last("POST /api/v1/auth/logout"));
    CHECK(FakeHttp::header(*h.http.last("POST /api/v1/auth/logout"), "Authorization") == "Bearer ktok");
    const HttpRequest* r = h.http.last("POST /api/v1/kiosk/login");
    REQUIRE(r);
    CHECK(json::parse(r->body)["member_code"] == "M1-second");
    CHECK(FakeHttp::header(*r, "Authorization").empty());
    CHECK(h.text().find("1,234") == std::string::npos);
}

TEST_CASE("kiosk idle: 60 s -> visible 10 s countdown -> sign-out, logout called, nothing personal left") {
    KioskHarness h;
    h.sign_in_keypad();
    h.click("kiosk.tab.coupons");
    h.answer("GET /api/v1/me/coupons", 200, coupons_json());
    h.click("kiosk.coupon.7.open");
    REQUIRE(h.has("kiosk.coupon.qr"));
    h.advance(59);
    CHECK_FALSE(h.has("kiosk.idle"));
    CHECK(h.shell().next_wake() <= 1.1);
    h.advance(2);
    REQUIRE(h.has("kiosk.idle"));
    CHECK(h.node("kiosk.idle")->role == Role::dialog);
    CHECK(h.label("kiosk.idle.title") == "Still there?");
    CHECK(h.label("kiosk.idle.count") == "9");
    CHECK(h.label("kiosk.idle.text") == "For your privacy you will be signed out in 9 seconds.");
    CHECK_FALSE(h.has("kiosk.coupon.qr"));  // the countdown comes first
    h.advance(3);
    CHECK(h.label("kiosk.idle.count") == "6");
    CHECK(h.shell().next_wake() <= 1.01);
    h.advance(6.5);
    REQUIRE(h.has("kiosk.attract"));
    CHECK_FALSE(h.has("kiosk.idle"));
    CHECK(h.label("kiosk.farewell") == "You have been signed out. Thank you!");
    const HttpRequest* out = h.http.last("POST /api/v1/auth/logout");
    REQUIRE(out);
    CHECK(FakeHttp::header(*out, "Authorization") == "Bearer ktok");
    check_no_personal_data(h);
    h.advance(7);
    CHECK_FALSE(h.has("kiosk.farewell"));
}

TEST_CASE("kiosk idle: a test tab may shorten the idle time (never lengthen it)") {
    {
        KioskHarness h;
        h.platform.session["memberdesk.kiosk.idle"] = "5";
        h.shell().start();  // reads it (as the page load would)
        CHECK(h.app().idle().timing().idle_seconds == 5);
    }
    {
        KioskHarness h;
        h.platform.session["memberdesk.kiosk.idle"] = "600";
        h.shell().start();
        CHECK(h.app().idle().timing().idle_seconds == 60);
    }
}

TEST_CASE("kiosk idle: \"I'm still here\" or any tap keeps the session") {
    KioskHarness h;
    h.sign_in_keypad();
    h.advance(61);
    REQUIRE(h.has("kiosk.idle"));
    h.click("kiosk.idle.keep");
    CHECK_FALSE(h.has("kiosk.idle"));
    h.advance(59);
    CHECK_FALSE(h.has("kiosk.idle"));
    h.advance(2);
    REQUIRE(h.has("kiosk.idle"));
    h.tap_background();  // a finger anywhere on the screen
    h.frame();
    CHECK_FALSE(h.has("kiosk.idle"));
    CHECK(h.shell().state().signed_in());
    CHECK(h.has("kiosk.balance"));
    CHECK(h.http.last("POST /api/v1/auth/logout") == nullptr);
}

TEST_CASE("kiosk idle: on the keypad, idle time goes back to the attract screen and forgets the digits") {
    KioskHarness h;
    h.boot();
    h.click("kiosk.start");
    h.press_keys("1380000");
    h.advance(61);
    REQUIRE(h.has("kiosk.idle"));
    CHECK(h.label("kiosk.idle.out") == "Cancel");
    h.advance(10);
    REQUIRE(h.has("kiosk.attract"));
    CHECK(h.app().ui_state().keypad.phone.empty());
    CHECK(h.text().find("138 0000") == std::string::npos);
}

TEST_CASE("kiosk Done: signs out at once, calls logout, clears state and mirror") {
    KioskHarness h;
    h.sign_in_scan();
    REQUIRE(h.has("kiosk.balance"));
    h.click("kiosk.done");
    REQUIRE(h.has("kiosk.attract"));
    REQUIRE(h.http.last("POST /api/v1/auth/logout"));
    check_no_personal_data(h);
    // An answer still in flight for the old session is dropped.
    h.http.answer("POST /api/v1/auth/logout", 204, "");
    h.frames(2);
    check_no_personal_data(h);
}

TEST_CASE("kiosk coupons: each opens large with its QR and code for the cashier") {
    KioskHarness h;
    h.sign_in_keypad();
    h.click("kiosk.tab.coupons");
    h.answer("GET /api/v1/me/coupons", 200, coupons_json());
    CHECK(h.node("kiosk.tab.coupons")->current);
    REQUIRE(h.has("kiosk.coupon.7.open"));
    CHECK(h.has("kiosk.coupon.8.open"));
    CHECK_FALSE(h.has("kiosk.coupon.9.open"));  // used ones are not offered at a counter
    h.click("kiosk.coupon.7.open");
    REQUIRE(h.has("kiosk.coupon"));
    CHECK(h.node("kiosk.coupon")->role == Role::dialog);
    CHECK(h.node("kiosk.coupon.qr")->role == Role::image);
    CHECK(h.label("kiosk.coupon.qr").find("C7K2M9QX") != std::string::npos);
    CHECK(h.label("kiosk.coupon.code") == "C7K2M9QX");
    h.click("kiosk.coupon.close");
    CHECK_FALSE(h.has("kiosk.coupon"));
}

TEST_CASE("kiosk rewards: redeem with confirmation, idempotency key, result, then show the new coupon") {
    KioskHarness h;
    h.sign_in_keypad();
    h.click("kiosk.tab.rewards");
    h.answer("GET /api/v1/rewards", 200, rewards_json(1234));
    REQUIRE(h.has("kiosk.reward.coffee_500.redeem"));
    CHECK(h.node("kiosk.reward.mug_5000.redeem")->disabled);
    CHECK(h.label("kiosk.reward.mug_5000.why") == "3,766 more points needed");
    h.click("kiosk.reward.coffee_500.redeem");
    REQUIRE(h.has("kiosk.confirm"));
    CHECK(h.label("kiosk.confirm.after") == "Your balance goes from 1,234 to 734 points.");
    h.click("kiosk.confirm.yes");
    const HttpRequest* r = h.http.last("POST /api/v1/me/redemptions");
    REQUIRE(r);
    CHECK(json::parse(r->body)["reward_id"] == "coffee_500");
    CHECK_FALSE(FakeHttp::header(*r, "Idempotency-Key").empty());
    CHECK(FakeHttp::header(*r, "Authorization") == "Bearer ktok");
    CHECK(h.label("kiosk.confirm.yes") == "Redeeming…");
    h.answer("POST /api/v1/me/redemptions", 201, redemption_json());
    REQUIRE(h.has("kiosk.result"));
    CHECK(h.label("kiosk.result.balance") == "Your balance is now 734 points.");
    h.click("kiosk.result.show");
    REQUIRE(h.has("kiosk.coupon"));
    CHECK(h.label("kiosk.coupon.code") == "CNEW500");
}

TEST_CASE("kiosk rewards: a refused redemption is explained in words") {
    KioskHarness h;
    h.sign_in_keypad();
    h.click("kiosk.tab.rewards");
    h.answer("GET /api/v1/rewards", 200, rewards_json(1234));
    h.click("kiosk.reward.coffee_500.redeem");
    h.click("kiosk.confirm.yes");
    h.answer("POST /api/v1/me/redemptions", 409, json{{"error", {{"code", "out_of_stock"}, {"message", "gone"}}}});
    CHECK_FALSE(h.has("kiosk.confirm"));
    REQUIRE(h.has("kiosk.redeem.error"));
    CHECK(h.label("kiosk.redeem.error") == "Sorry, this reward has just run out.");
}

TEST_CASE("kiosk session: a 401 (token expired on the server) returns to the attract screen, data cleared") {
    KioskHarness h;
    h.sign_in_keypad();
    h.click("kiosk.tab.rewards");
    h.answer("GET /api/v1/rewards", 401, json{{"error", {{"code", "unauthorized"}, {"message", "expired"}}}});
    REQUIRE(h.has("kiosk.attract"));
    CHECK(h.label("kiosk.farewell") == "Your session has ended. Please sign in again.");
    check_no_personal_data(h);
}

TEST_CASE("kiosk keep-alive: a member busy at the screen keeps the 2-minute token alive") {
    KioskHarness h;
    h.sign_in_keypad();
    const int before = h.http.waiting("GET /api/v1/me");
    h.advance(30);
    h.tap_background();
    h.advance(30);
    h.tap_background();
    CHECK(h.http.waiting("GET /api/v1/me") == before + 1);
    CHECK(h.shell().state().signed_in());
}

TEST_CASE("kiosk language: 中文 on the attract screen; the next person starts in the default again") {
    KioskHarness h;
    h.boot();
    CHECK(h.label("kiosk.lang") == "中文 (Chinese)");
    h.click("kiosk.lang");
    CHECK(h.label("kiosk.scan.title") == "请在此扫描会员码");
    CHECK(h.label("kiosk.start") == "点击使用手机号和密码登录");
    CHECK(h.platform.doc_lang == "zh");
    REQUIRE(h.http.waiting("GET /fonts/ui-cjk.ttf") == 1);  // the CJK font only once Chinese is wanted
    h.http.answer("GET /fonts/ui-cjk.ttf", 404, "");
    h.click("kiosk.start");
    h.press_keys("13800000001");
    h.click("kiosk.next");
    h.press_keys("123456");
    h.click("kiosk.submit");
    REQUIRE(h.answer("POST /api/v1/kiosk/login", 200, json{{"token", "ktok"}, {"expires_at", "2026-03-20T09:48:40Z"}}));
    h.answer_member_data();
    CHECK(h.label("kiosk.hello") == "王*明，您好");
    CHECK(h.label("kiosk.done") == "完成");
    h.click("kiosk.done");
    CHECK(h.label("kiosk.scan.title") == "Scan your member code here");
}

TEST_CASE("kiosk strings: every kiosk key has English and Chinese, and they differ") {
    for (const auto& e : kiosk::kiosk_string_table()) {
        CHECK_MESSAGE(std::string(e.en).size() > 0, e.key);
        CHECK_MESSAGE(std::string(e.zh).size() > 0, e.key);
        CHECK_MESSAGE(std::string(e.en) != std::string(e.zh), e.key);
        CHECK(std::string(e.key).rfind("kiosk.", 0) == 0);
    }
    CHECK(std::string(kiosk::ktr(Lang::zh, "rewards.redeem")) == "兑换");  // falls back to the portal's table
}

TEST_CASE("kiosk hit targets: every control >= 44 CSS px x devicePixelRatio, landscape and portrait") {
    struct Size {
        float w, h, dpr;
    };
    for (Size s : {Size{1920, 1080, 1}, Size{1080, 1920, 1}, Size{3840, 2160, 2}, Size{2160, 3840, 2}}) {
        CAPTURE(s.w);
        CAPTURE(s.dpr);
        KioskHarness h(true, s.w, s.h, s.dpr);
        const float min = 44 * s.dpr;
        auto check_all = [&](const char* where) {
            CAPTURE(where);
            const auto& t = h.app().hit_targets();
            CHECK(t.size() >= 2);
            for (const auto& ht : t) {
                CHECK_MESSAGE(ht.w >= min, ht.id << " is " << ht.w << " px wide");
                CHECK_MESSAGE(ht.h >= min, ht.id << " is " << ht.h << " px tall");
            }
        };
        h.boot();
        check_all("attract");
        h.click("kiosk.start");
        check_all("keypad");
        h.press_keys("13800000001");
        h.click("kiosk.next");
        check_all("keypad pin");
        h.press_keys("123456");
        h.click("kiosk.submit");
        REQUIRE(h.answer("POST /api/v1/kiosk/login", 200, json{{"token", "ktok"}, {"expires_at", "x"}}));
        h.answer_member_data();
        check_all("member");
        h.click("kiosk.tab.rewards");
        check_all("rewards");
        h.click("kiosk.tab.coupons");
        check_all("coupons");
        h.click("kiosk.coupon.7.open");
        check_all("coupon");
        h.advance(61);
        check_all("countdown");
    }
}

}  // namespace kiosk_flow_test
