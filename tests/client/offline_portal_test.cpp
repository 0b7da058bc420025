// The portal's offline view against a fake API: the member view seen is kept on the device, the
// portal opens to it when the network is down ("as of" its time, the card, actions disabled),
// leaves it when the server answers again, and sign-out or a 401 leave nothing personal behind.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace mdtest;

namespace offline_portal_test {

namespace {

const std::string kSecretHex = "3132333435363738393031323334353637383930313233343536373839303132";

json login_with_card() {
    return json{{"token", "tok123"},
                {"expires_at", "2026-03-20T10:16:40Z"},
                {"card", {{"member_id", 12}, {"device_id", 7}, {"secret", kSecretHex}}}};
}

void sign_in_with_card(Harness& h) {
    h.boot();
    h.type("signin.phone", "13800000001");
    h.type("signin.pin", "123456");
    h.click("signin.submit");
    REQUIRE(h.answer("POST /api/v1/auth/login", 200, login_with_card()));
    while (h.http.answer("GET /api/v1/me", 200, me_json().dump())) {}
    h.frames(2);
}

// What a signed-in visit left in localStorage.
std::map<std::string, std::string> kept_after_visit() {
    Harness h;
    sign_in_with_card(h);
    h.click("nav.coupons");
    REQUIRE(h.answer("GET /api/v1/me/coupons", 200, coupons_json()));
    return h.platform.local;
}

bool disabled(const Harness& h, const std::string& id) {
    const MirrorNode* n = h.node(id);
    return n && n->disabled;
}

}  // namespace

TEST_CASE("offline portal: the member view seen is kept on the device, without the birthday or the token") {
    const auto local = kept_after_visit();
    REQUIRE(local.count("memberdesk.view") == 1);
    const json j = json::parse(local.at("memberdesk.view"));
    CHECK(j["me"]["points"]["balance"] == me_json()["points"]["balance"]);
    CHECK(j["me"]["profile"].value("birthday", json()).is_null());
    CHECK(j["coupons"].is_array());
    CHECK(local.at("memberdesk.view").find("tok123") == std::string::npos);
}

TEST_CASE("offline portal: opened with the network down, it shows the kept view as of its time, with the card") {
    const auto local = kept_after_visit();
    Harness h([&](FakePlatform& p) {
        p.local = local;
        p.net = false;
        p.unix += 3600;
    });
    h.frames(2);
    REQUIRE(h.has("offline.as_of"));
    CHECK(h.label("offline.as_of").find("as of 2026-03-20") != std::string::npos);
    CHECK(h.node("offline.balance")->value == "1,234");
    CHECK(disabled(h, "offline.redeem"));
    CHECK(h.label("card.code").find("Member code: T12-7-") == 0);
    CHECK_FALSE(h.has("nav.home"));
    CHECK_FALSE(h.has("signin.submit"));
    CHECK(h.shell().next_wake() > 0);
    CHECK(h.shell().next_wake() <= 1.0);  // the code refreshes
}

TEST_CASE("offline portal: a request without an answer switches to the kept view; an answer switches back") {
    const auto local = kept_after_visit();
    Harness h([&](FakePlatform& p) {
        p.local = local;
        p.session["memberdesk.token"] = "tok123";
    });
    h.boot();
    REQUIRE(h.answer("GET /api/v1/me", 0, json()));
    REQUIRE(h.has("offline.as_of"));
    CHECK(disabled(h, "offline.redeem"));
    // The retries get no answer either; then the member asks to check again and the server answers.
    for (int i = 0; i < 10 && !h.has("offline.retry"); ++i) {
        h.advance(2);
        h.frames(2);
        h.http.answer("GET /api/v1/me", 0, "");
        h.frames(2);
    }
    CHECK(h.has("offline.as_of"));
    REQUIRE(h.has("offline.retry"));
    h.click("offline.retry");
    REQUIRE(h.answer("GET /api/v1/me", 200, me_json(2000)));
    CHECK_FALSE(h.has("offline.as_of"));
    CHECK(h.has("home.balance"));
    CHECK(json::parse(h.platform.local["memberdesk.view"])["me"]["points"]["balance"] == 2000);
}

TEST_CASE("offline portal: signing out offline erases the kept view and the card") {
    const auto local = kept_after_visit();
    Harness h([&](FakePlatform& p) {
        p.local = local;
        p.net = false;
    });
    h.frames(2);
    REQUIRE(h.has("offline.sign_out"));
    h.click("offline.sign_out");
    h.frames(2);
    CHECK(h.platform.local.count("memberdesk.view") == 0);
    CHECK(h.platform.local.count("memberdesk.card") == 0);
    CHECK(h.has("signin.submit"));
    CHECK_FALSE(h.has("offline.as_of"));
    CHECK(h.text().find("Wang") == std::string::npos);
}

TEST_CASE("offline portal: signed out, the kept data can be removed from the sign-in screen") {
    const auto local = kept_after_visit();
    Harness h([&](FakePlatform& p) { p.local = local; });
    h.boot();
    REQUIRE(h.has("signin.forget"));
    h.click("signin.forget");
    h.frames(2);
    CHECK(h.platform.local.count("memberdesk.view") == 0);
    CHECK(h.platform.local.count("memberdesk.card") == 0);
    CHECK_FALSE(h.has("signin.forget"));
}

TEST_CASE("offline portal: a 401 erases the kept view; a sign-in drops a view kept from before") {
    {
        Harness h;
        sign_in_with_card(h);
        REQUIRE(h.platform.local.count("memberdesk.view") == 1);
        h.click("nav.coupons");
        REQUIRE(h.answer("GET /api/v1/me/coupons", 401, json{{"error", {{"code", "unauthorized"}}}}));
        CHECK(h.platform.local.count("memberdesk.view") == 0);
        CHECK(h.platform.local.count("memberdesk.card") == 0);
    }
    const auto local = kept_after_visit();
    Harness h([&](FakePlatform& p) { p.local = local; });
    h.boot();
    h.type("signin.phone", "13800000002");
    h.type("signin.pin", "123456");
    h.click("signin.submit");
    REQUIRE(
        h.answer("POST /api/v1/auth/login", 200, json{{"token", "tok456"}, {"expires_at", "2026-03-20T10:16:40Z"}}));
    CHECK(h.platform.local.count("memberdesk.view") == 0);
}

}  // namespace offline_portal_test
