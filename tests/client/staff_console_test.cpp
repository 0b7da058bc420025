// The staff console (/staff) against a fake API, read through the accessibility mirror: sign-in
// (errors in words, the token kept for this tab), the counter by scan and by phone, coupon
// redemption with the discount from the answer, goodwill points within and over the limit, a
// session the server ended, sign-out, and Chinese.
#include <doctest/doctest.h>

#include <memory>

#include "staff_harness.hpp"

namespace staff_console_test {

using namespace mdtest;

TEST_CASE("staff console: its screens name each landmark once and never skip a heading level") {
    StaffHarness h;
    h.start();
    check_landmarks_and_headings(h.mirror, "sign-in");
    h.sign_in_as_clerk();
    check_landmarks_and_headings(h.mirror, "counter");
    h.scan_member();
    check_landmarks_and_headings(h.mirror, "counter with a member");
}

TEST_CASE(
    "staff console sign-in: the username and password are sent, the token kept for this tab, who is signed in shown") {
    StaffHarness h;
    h.start();
    CHECK(h.platform.doc_title == "Staff console");
    CHECK(h.node("staff.signin.submit")->disabled);  // nothing typed yet
    h.sign_in_as_clerk();
    const HttpRequest* login = h.http.last("POST /api/v1/staff/login");
    REQUIRE(login);
    CHECK(json::parse(login->body) == json{{"username", "clerk"}, {"password", "demo-password"}});
    CHECK(h.platform.session["memberdesk.staff.token"] == "stok");
    CHECK(FakeHttp::header(*h.http.last("GET /api/v1/staff/me"), "Authorization") == "Bearer stok");
    CHECK(h.label("staff.user") == "Signed in as Li Clerk \xC2\xB7 Clerk \xC2\xB7 Store store-001");
    CHECK(h.has("staff.find.phone"));
    CHECK(h.has("staff.coupon.code"));
    CHECK(h.has("staff.sign_out"));
    CHECK(h.text().find("demo-password") == std::string::npos);
    CHECK(h.app().ui_state().password.empty());
}

TEST_CASE("staff console sign-in: a refusal shows the API's error in words, not its code") {
    StaffHarness h;
    h.start();
    h.type("staff.signin.username", "clerk");
    h.type("staff.signin.password", "wrong-password");
    h.click("staff.signin.submit");
    REQUIRE(h.answer("POST /api/v1/staff/login", 401,
                     json{{"error", {{"code", "invalid_credentials"}, {"message", "wrong username or password"}}}}));
    CHECK(h.label("staff.signin.error") == "The username or password is not right.");
    h.click("staff.signin.submit");
    REQUIRE(h.answer("POST /api/v1/staff/login", 429,
                     json{{"error", {{"code", "too_many_attempts"}, {"message", "try later"}}}}));
    CHECK(h.label("staff.signin.error").find("15 minutes") != std::string::npos);
    CHECK(h.platform.session.count("memberdesk.staff.token") == 0);
}

TEST_CASE("staff console session: a token kept in this tab is used at start; a 401 ends it and the sign-in says so") {
    StaffHarness h;
    h.platform.session["memberdesk.staff.token"] = "kept";
    h.start();
    REQUIRE(h.answer("GET /api/v1/staff/me", 200, StaffHarness::clerk_json()));
    CHECK(FakeHttp::header(*h.http.last("GET /api/v1/staff/me"), "Authorization") == "Bearer kept");
    CHECK(h.has("staff.find.phone"));
    h.scan("M23456789ABCDEFG");
    REQUIRE(h.answer("GET /api/v1/staff/members?code=M23456789ABCDEFG", 401,
                     json{{"error", {{"code", "unauthorized"}, {"message", "session expired"}}}}));
    CHECK(h.has("staff.signin.username"));
    CHECK(h.label("staff.signin.notice") == "Your session has ended. Please sign in again.");
    CHECK(h.platform.session.count("memberdesk.staff.token") == 0);
}

TEST_CASE("staff console counter: a scanned member card finds the member and shows their level-2 data") {
    StaffHarness h;
    h.start();
    h.sign_in_as_clerk();
    h.scan_member();
    CHECK(h.label("staff.member.name") == "李*");
    CHECK(h.label("staff.member.phone") == "Phone: 138****0002");
    CHECK(h.label("staff.member.tier") == "Tier: Premium");
    CHECK(h.node("staff.member.balance")->value == "524");
    CHECK(h.label("staff.member.coupons") == "Coupons available / used: 2 / 1");
    CHECK(h.label("staff.member.purchases") == "Purchases: 115");
    CHECK(h.label("staff.member.segment") == "Segment: Active");
    CHECK(h.label("staff.member.level").find("level 2") != std::string::npos);
    CHECK(h.label("staff.find.status") == "Member card scanned.");
    // A code that is not a member's: the API's refusal in words.
    h.scan("MZZZZZZZZZZZZZZZ");
    REQUIRE(h.answer("GET /api/v1/staff/members?code=MZZZZZZZZZZZZZZZ", 404,
                     json{{"error", {{"code", "invalid_member_code"}, {"message", "unknown"}}}}));
    CHECK_FALSE(h.has("staff.member.name"));
    CHECK(h.label("staff.find.error").find("refresh their card") != std::string::npos);
}

TEST_CASE(
    "staff console counter: a member found by full phone whose details are out of scope shows why, with a retry") {
    StaffHarness h;
    h.start();
    h.sign_in_as_clerk();
    h.type("staff.find.phone", "138 0000 0002");
    CHECK(h.app().ui_state().phone == "13800000002");
    h.click("staff.find.submit");
    REQUIRE(
        h.answer("GET /api/v1/staff/members?phone=13800000002", 200,
                 json{{"members",
                       json::array({json{{"id", 7}, {"name", "王*"}, {"phone", "138****0002"}, {"tier", "standard"}}})},
                      {"next_cursor", nullptr}}));
    REQUIRE(h.answer("GET /api/v1/staff/members/7", 404,
                     json{{"error", {{"code", "member_not_found"}, {"message", "no such member"}}}}));
    CHECK(h.label("staff.member.name") == "王*");
    CHECK(h.label("staff.member.error").find("not one of your store's members") != std::string::npos);
    h.click("staff.member.retry");
    CHECK(h.http.waiting("GET /api/v1/staff/members/7") == 1);
    // Nobody with that phone.
    h.type("staff.find.phone", "13900000000");
    h.click("staff.find.submit");
    REQUIRE(h.answer("GET /api/v1/staff/members?phone=13900000000", 200,
                     json{{"members", json::array()}, {"next_cursor", nullptr}}));
    CHECK(h.label("staff.find.error") == "No member with this phone number.");
}

TEST_CASE(
    "staff console counter: a scanned coupon fills the form; redeeming for an order shows the answer's discount") {
    StaffHarness h;
    h.start();
    h.sign_in_as_clerk();
    h.scan_member();
    h.scan("c7k2m9qxab");
    CHECK(h.app().ui_state().coupon_code == "C7K2M9QXAB");
    CHECK(h.node("staff.coupon.submit")->disabled);  // no amount yet
    h.type("staff.coupon.amount", "12.3.4");
    CHECK(h.has("staff.coupon.amount_bad"));
    CHECK(h.node("staff.coupon.submit")->disabled);
    h.type("staff.coupon.amount", "150.00");
    h.click("staff.coupon.submit");
    const HttpRequest* r = h.http.last("POST /api/v1/staff/coupons/redeem");
    REQUIRE(r);
    const json body = json::parse(r->body);
    CHECK(body["code"] == "C7K2M9QXAB");
    CHECK(body["order_amount"] == 15000);
    CHECK(body["txn_id"].get<std::string>().rfind("STAFF-", 0) == 0);
    REQUIRE(h.answer("POST /api/v1/staff/coupons/redeem", 200,
                     json{{"code", "C7K2M9QXAB"},
                          {"txn_id", body["txn_id"]},
                          {"order_amount", 15000},
                          {"discount", 1000},
                          {"pay_amount", 14000},
                          {"kind", "amount_off"},
                          {"title", {{"zh", "10元券"}, {"en", "¥10 off"}}},
                          {"member_id", 12}}));
    CHECK(h.label("staff.coupon.result") == "Coupon redeemed: ¥10 off");
    CHECK(h.node("staff.coupon.discount")->value ==
          "\xC2\xA5"
          "10");
    CHECK(h.label("staff.coupon.pay") ==
          "To pay: \xC2\xA5"
          "140");
    CHECK(h.app().ui_state().coupon_code.empty());
    // The member's coupon counts are asked for again.
    CHECK(h.http.waiting("GET /api/v1/staff/members/12") == 1);
    // A coupon used already: the refusal in words.
    h.scan("C7K2M9QXAB");
    h.type("staff.coupon.amount", "150");
    h.click("staff.coupon.submit");
    REQUIRE(h.answer("POST /api/v1/staff/coupons/redeem", 409,
                     json{{"error", {{"code", "coupon_used"}, {"message", "used"}}}}));
    CHECK(h.label("staff.coupon.error") == "This coupon has already been used.");
}

TEST_CASE(
    "staff console counter: goodwill points raise the balance; over the role's limit the API's refusal is shown") {
    StaffHarness h;
    h.start();
    h.sign_in_as_clerk();
    CHECK(h.has("staff.goodwill.need_member"));
    CHECK(h.node("staff.goodwill.submit")->disabled);
    h.scan_member();
    h.type("staff.goodwill.points", "20");
    CHECK(h.node("staff.goodwill.submit")->disabled);  // no reason yet
    h.type("staff.goodwill.reason", "drink remade late");
    h.click("staff.goodwill.submit");
    const HttpRequest* r = h.http.last("POST /api/v1/staff/members/12/adjustments");
    REQUIRE(r);
    CHECK(json::parse(r->body) == json{{"points", 20}, {"reason", "drink remade late"}});
    REQUIRE(h.answer(
        "POST /api/v1/staff/members/12/adjustments", 200,
        json{{"member_id", 12},
             {"entries", json::array()},
             {"points",
              {{"balance", 544}, {"pending", 0}, {"lifetime_earned", 1922}, {"expiring_soon", 40}, {"debt", 0}}}}));
    CHECK(h.node("staff.member.balance")->value == "544");
    CHECK(h.label("staff.goodwill.result") == "20 points given. Balance now 544 points.");
    CHECK(h.app().ui_state().goodwill_points.empty());
    h.type("staff.goodwill.points", "500");
    h.type("staff.goodwill.reason", "big apology");
    h.click("staff.goodwill.submit");
    REQUIRE(h.answer("POST /api/v1/staff/members/12/adjustments", 403,
                     json{{"error",
                           {{"code", "limit_exceeded"},
                            {"message", "over this role's daily limit of 200 points (20 used today)"}}}}));
    CHECK(
        h.label("staff.goodwill.error") ==
        "That is over your role's daily goodwill limit. (over this role's daily limit of 200 points (20 used today))");
    CHECK(h.node("staff.member.balance")->value == "544");
}

TEST_CASE("staff console sign-out: the server is told; the member, the forms and the token are forgotten") {
    StaffHarness h;
    h.start();
    h.sign_in_as_clerk();
    h.scan_member();
    h.type("staff.goodwill.reason", "secret note");
    h.click("staff.sign_out");
    CHECK(h.http.waiting("POST /api/v1/staff/logout") == 1);
    CHECK(FakeHttp::header(*h.http.last("POST /api/v1/staff/logout"), "Authorization") == "Bearer stok");
    CHECK(h.has("staff.signin.username"));
    CHECK(h.label("staff.signin.notice") == "You have signed out.");
    for (const char* s : {"李*", "138****0002", "524", "secret note"})
        CHECK_MESSAGE(h.text().find(s) == std::string::npos, "still on screen: " << s);
    CHECK(h.platform.session.count("memberdesk.staff.token") == 0);
    CHECK_FALSE(h.app().state().member.has());
    h.scan("M23456789ABCDEFG");  // signed out: a scan does nothing
    CHECK(h.http.waiting("GET /api/v1/staff/members") == 0);
}

TEST_CASE("staff console: it switches to Chinese and remembers it on this PC") {
    StaffHarness h;
    h.start();
    h.click("staff.lang");
    CHECK(h.label("staff.signin.title") == "员工登录");
    CHECK(h.platform.local["memberdesk.staff.lang"] == "zh");
    CHECK(h.platform.doc_lang == "zh");
    CHECK(h.platform.doc_title == "员工工作台");
    h.sign_in_as_clerk();
    h.scan_member();
    CHECK(h.label("staff.member.tier") == "等级: 高级");
    CHECK(h.label("staff.coupon.title") == "核销优惠券");
    CHECK(h.label("staff.user").find("店员") != std::string::npos);
}

TEST_CASE("staff console counter: its buttons are enabled only for a complete form") {
    staff::StaffUi ui;
    CHECK_FALSE(staff::redeem_ready(ui));
    ui.coupon_code = "C7K2M9QXAB";
    ui.order_amount = "88";
    CHECK(staff::redeem_ready(ui));
    ui.coupon_code = "M23456789ABCDEFG";  // a member's card in the coupon field
    CHECK_FALSE(staff::redeem_ready(ui));
    ui.goodwill_points = "20";
    ui.goodwill_reason = "late drink";
    CHECK(staff::goodwill_ready(ui, true));
    CHECK_FALSE(staff::goodwill_ready(ui, false));
    ui.goodwill_points = "0";
    CHECK_FALSE(staff::goodwill_ready(ui, true));
}

}  // namespace staff_console_test
