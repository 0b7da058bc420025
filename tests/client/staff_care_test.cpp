// Member care in the staff console against a fake API, read through the accessibility mirror: a
// manager browses the scope page by page, opens a member, reveals full details with a reason (only
// roles that may), adjusts points, issues and voids coupons after a confirmation, sees the refusal
// of a limit in words, reads history, messages and audit with "Load more", and Chinese.
#include <doctest/doctest.h>

#include "staff_harness.hpp"

namespace staff_care_test {

using namespace mdtest;

json brief(long long id, const std::string& name = "李*") {
    return {{"id", id}, {"name", name}, {"phone", "138****0002"}, {"tier", "premium"}};
}

json ledger_entry(long long id, long long points, long long balance, const std::string& type = "earn",
                  const std::string& reason = "Purchase") {
    return {{"id", id},
            {"type", type},
            {"points", points},
            {"balance_after", balance},
            {"reason", {{"zh", reason}, {"en", reason}}},
            {"created_at", "2026-03-19T02:00:00Z"},
            {"expires_at", nullptr},
            {"store", "store-001"}};
}

json coupon_json(long long id, const std::string& code, const std::string& state = "available") {
    return {{"id", id},
            {"code", code},
            {"kind", "amount_off"},
            {"state", state},
            {"source", "staff"},
            {"title", {{"zh", "减20元"}, {"en", "¥20 off"}}},
            {"conditions", {{"zh", ""}, {"en", ""}}},
            {"valid_from", "2026-03-01T00:00:00Z"},
            {"valid_until", "2026-04-30T15:59:59Z"},
            {"used_at", nullptr},
            {"used_discount", 0}};
}

json audit_entry(long long id, const std::string& action, const json& detail) {
    return {{"id", id},
            {"at", "2026-03-20T02:00:00Z"},
            {"actor", {{"kind", "staff"}, {"id", "7"}, {"username", "store_manager"}, {"store", "store-001"}}},
            {"action", action},
            {"member_id", 12},
            {"store", "store-001"},
            {"detail", detail}};
}

json points_json(long long balance) {
    return {{"balance", balance}, {"pending", 0}, {"lifetime_earned", 1922}, {"expiring_soon", 0}, {"debt", 0}};
}

// Signed in as `role`, on Member care with the first page of the scope answered.
void open_care(StaffHarness& h, const std::string& role, const json& region = nullptr) {
    h.start();
    h.sign_in_as(StaffHarness::staff_json(role, region.is_null() ? json("store-001") : json(nullptr), region));
    REQUIRE(h.has("staff.nav.care"));
    h.click("staff.nav.care");
    REQUIRE(h.answer("GET /api/v1/staff/members?limit=20", 200,
                     json{{"members", json::array({brief(12), brief(15, "王*")})}, {"next_cursor", "15"}}));
}

// Opens member 12 from the list and answers everything the member view asks for.
void open_member(StaffHarness& h, bool templates = true) {
    h.click("staff.care.m12.open");
    REQUIRE(h.answer("GET /api/v1/staff/members/12", 200, StaffHarness::member_json()));
    REQUIRE(h.answer(
        "GET /api/v1/staff/members/12/ledger?limit=20", 200,
        json{{"entries", json::array({ledger_entry(3, 50, 524), ledger_entry(2, 30, 474)})}, {"next_cursor", "2"}}));
    REQUIRE(h.answer("GET /api/v1/staff/members/12/coupons", 200,
                     json{{"coupons", json::array({coupon_json(5, "CPN20OFF")})}}));
    REQUIRE(h.answer("GET /api/v1/staff/members/12/messages?limit=20", 200,
                     json{{"messages", json::array({json{{"id", 4},
                                                         {"template", "welcome"},
                                                         {"channel", "webhook"},
                                                         {"created_at", "2026-03-01T02:00:00Z"},
                                                         {"status", "delivered"},
                                                         {"delivered_at", "2026-03-01T02:00:03Z"},
                                                         {"read", false}}})},
                          {"next_cursor", nullptr}}));
    REQUIRE(h.answer(
        "GET /api/v1/staff/audit?member=12&limit=20", 200,
        json{{"entries", json::array({audit_entry(40, "purchase", json{{"amount", 3000}})})}, {"next_cursor", "40"}}));
    if (templates)
        REQUIRE(h.answer("GET /api/v1/staff/coupon-templates", 200,
                         json{{"templates", json::array({json{{"id", "amount_10"},
                                                              {"kind", "amount_off"},
                                                              {"title", {{"zh", "减10元"}, {"en", "¥10 off"}}}},
                                                         json{{"id", "spend_back_20"},
                                                              {"kind", "amount_off"},
                                                              {"title", {{"zh", "减20元"}, {"en", "¥20 off"}}}}})}}));
}

TEST_CASE("staff care: a clerk's and an auditor's consoles have no member care") {
    StaffHarness clerk;
    clerk.start();
    clerk.sign_in_as_clerk();
    CHECK_FALSE(clerk.has("staff.nav.care"));
    StaffHarness auditor;
    auditor.start();
    auditor.sign_in_as(StaffHarness::staff_json("auditor", nullptr));
    CHECK_FALSE(auditor.has("staff.nav.care"));
}

TEST_CASE("staff care: a manager browses the scope with Load more, then opens a member at level 2") {
    StaffHarness h;
    open_care(h, "store_manager");
    CHECK(h.label("staff.care.m12.who") == "No. 12 · 李* · 138****0002 · premium");
    h.click("staff.care.list_more");
    REQUIRE(h.answer("GET /api/v1/staff/members?cursor=15&limit=20", 200,
                     json{{"members", json::array({brief(15, "王*"), brief(21, "赵*")})}, {"next_cursor", nullptr}}));
    CHECK(h.has("staff.care.m21.open"));
    CHECK(h.app().state().care_list.value->members.size() == 3);  // 15 is not listed twice
    CHECK_FALSE(h.has("staff.care.list_more"));

    open_member(h);
    CHECK(h.label("staff.care.name") == "李*");
    CHECK(h.node("staff.care.balance")->value == "524");
    CHECK(h.label("staff.care.level") == "Data level 2: name and phone are masked.");
    CHECK_FALSE(h.has("staff.care.reveal"));  // a store manager reads level 2 at most
    CHECK(h.label("staff.care.l3.what").find("+50") == 0);
    check_landmarks_and_headings(h.mirror, "member care");
    h.click("staff.care.back");
    CHECK(h.has("staff.care.m12.open"));
    CHECK_FALSE(h.app().state().care_member.has());
}

TEST_CASE("staff care: full details only after a reason, for a region manager; the read names the reason") {
    StaffHarness h;
    open_care(h, "region_manager", "E");
    open_member(h);
    h.click("staff.care.reveal");
    CHECK(h.node("staff.care.reveal_confirm")->disabled);
    h.type("staff.care.reveal_reason", "member asked to correct birthday");
    h.click("staff.care.reveal_confirm");
    REQUIRE(h.http.last("GET /api/v1/staff/members/12?level=3"));
    CHECK(h.http.last("GET /api/v1/staff/members/12?level=3")->url ==
          "/api/v1/staff/members/12?level=3&reason=member%20asked%20to%20correct%20birthday");
    json full = StaffHarness::member_json();
    full["level"] = 3;
    full["name"] = "李娜";
    full["phone"] = "13800000002";
    full["birthday"] = "1988-11-03";
    REQUIRE(h.answer("GET /api/v1/staff/members/12?level=3", 200, full));
    CHECK(h.label("staff.care.name") == "李娜");
    CHECK(h.label("staff.care.phone") == "Phone: 13800000002");
    CHECK(h.label("staff.care.birthday") == "Birthday: 1988-11-03");
    CHECK(h.label("staff.care.level") == "Full details are shown. This was recorded with your reason.");
    CHECK_FALSE(h.has("staff.care.reveal"));
}

TEST_CASE("staff care: points are adjusted only after the confirmation; the lists are read again after it") {
    StaffHarness h;
    open_care(h, "store_manager");
    open_member(h);
    h.type("staff.care.adjust_points", "abc");
    CHECK(h.has("staff.care.adjust_bad"));
    h.type("staff.care.adjust_points", "+20");
    CHECK(h.node("staff.care.adjust_submit")->disabled);  // no reason yet
    h.type("staff.care.adjust_reason", "drink remade late");
    h.click("staff.care.adjust_submit");
    CHECK(h.label("staff.care.confirm_text") == "Give 20 points to this member? Reason: drink remade late");
    CHECK(h.http.waiting("POST /api/v1/staff/members/12/adjustments") == 0);
    h.click("staff.care.confirm_yes");
    const HttpRequest* r = h.http.last("POST /api/v1/staff/members/12/adjustments");
    REQUIRE(r);
    CHECK(json::parse(r->body) == json{{"points", 20}, {"reason", "drink remade late"}});
    CHECK_FALSE(h.has("staff.care.confirm_text"));
    REQUIRE(h.answer("POST /api/v1/staff/members/12/adjustments", 200,
                     json{{"member_id", 12}, {"entries", json::array()}, {"points", points_json(544)}}));
    CHECK(h.label("staff.care.result") == "Done: +20 points. Balance now 544 points.");
    CHECK(h.node("staff.care.balance")->value == "544");
    CHECK(h.app().ui_state().adjust_points.empty());
    REQUIRE(h.answer("GET /api/v1/staff/members/12/ledger?limit=20", 200,
                     json{{"entries", json::array({ledger_entry(9, 20, 544, "adjust", "drink remade late"),
                                                   ledger_entry(3, 50, 524)})},
                          {"next_cursor", nullptr}}));
    CHECK(h.http.waiting("GET /api/v1/staff/members/12/coupons") == 1);
    REQUIRE(h.answer("GET /api/v1/staff/audit?member=12&limit=20", 200,
                     json{{"entries", json::array({audit_entry(
                                          41, "adjust", json{{"points", 20}, {"reason", "drink remade late"}})})},
                          {"next_cursor", nullptr}}));
    CHECK(h.label("staff.care.l9.what").find("+20 · Adjustments") == 0);
    CHECK(h.label("staff.care.l9.why") == "drink remade late · store-001");
    h.click("staff.care.tab.audit");
    CHECK(h.label("staff.care.a41.what").find("Points adjusted · Staff store_manager · store-001") !=
          std::string::npos);
    CHECK(h.label("staff.care.a41.detail") == "+20 points · reason: drink remade late");
}

TEST_CASE("staff care: taking points over the role's limit is refused in words; cancelling sends nothing") {
    StaffHarness h;
    open_care(h, "store_manager");
    open_member(h);
    h.type("staff.care.adjust_points", "-50");
    h.type("staff.care.adjust_reason", "duplicate grant");
    h.click("staff.care.adjust_submit");
    CHECK(h.label("staff.care.confirm_text") == "Take 50 points from this member? Reason: duplicate grant");
    h.click("staff.care.confirm_no");
    CHECK_FALSE(h.has("staff.care.confirm_text"));
    CHECK(h.http.waiting("POST /api/v1/staff/members/12/adjustments") == 0);
    h.type("staff.care.adjust_points", "-5000");
    h.click("staff.care.adjust_submit");
    h.click("staff.care.confirm_yes");
    REQUIRE(h.answer("POST /api/v1/staff/members/12/adjustments", 403,
                     json{{"error",
                           {{"code", "limit_exceeded"},
                            {"message", "over this role's daily limit of 2000 points (0 used today)"}}}}));
    CHECK(h.label("staff.care.error").find("That is over your role's daily goodwill limit.") == 0);
    CHECK(h.node("staff.care.balance")->value == "524");
    CHECK(h.http.waiting("GET /api/v1/staff/members/12/ledger") == 0);  // nothing changed: nothing read again
}

TEST_CASE("staff care: a coupon is issued from the program's templates and another voided, each confirmed") {
    StaffHarness h;
    open_care(h, "store_manager");
    open_member(h);
    CHECK(h.node("staff.care.issue_submit")->disabled);
    h.click("staff.care.template.1");
    h.type("staff.care.issue_reason", "complaint about wait");
    h.click("staff.care.issue_submit");
    CHECK(h.label("staff.care.confirm_text") == "Issue \"¥20 off\" to this member? Reason: complaint about wait");
    h.click("staff.care.confirm_yes");
    CHECK(json::parse(h.http.last("POST /api/v1/staff/members/12/coupons")->body) ==
          json{{"template", "spend_back_20"}, {"reason", "complaint about wait"}});
    REQUIRE(h.answer("POST /api/v1/staff/members/12/coupons", 201, coupon_json(6, "CPNNEW20")));
    CHECK(h.label("staff.care.result") == "Coupon issued: ¥20 off (CPNNEW20).");
    REQUIRE(h.answer("GET /api/v1/staff/members/12/coupons", 200,
                     json{{"coupons", json::array({coupon_json(6, "CPNNEW20"), coupon_json(5, "CPN20OFF")})}}));

    h.click("staff.care.tab.coupons");
    CHECK(h.label("staff.care.c6.title") == "¥20 off · CPNNEW20");
    h.click("staff.care.c5.void");
    h.type("staff.care.void_reason", "issued twice");
    h.click("staff.care.void_submit");
    CHECK(h.label("staff.care.confirm_text") ==
          "Void coupon CPN20OFF? The member can no longer use it. Reason: issued twice");
    h.click("staff.care.confirm_yes");
    CHECK(json::parse(h.http.last("POST /api/v1/staff/coupons/CPN20OFF/void")->body) ==
          json{{"reason", "issued twice"}});
    REQUIRE(h.answer("POST /api/v1/staff/coupons/CPN20OFF/void", 200, coupon_json(5, "CPN20OFF", "void")));
    CHECK(h.label("staff.care.result") == "Coupon voided: ¥20 off (CPN20OFF).");
    REQUIRE(h.answer("GET /api/v1/staff/members/12/coupons", 200,
                     json{{"coupons", json::array({coupon_json(6, "CPNNEW20"), coupon_json(5, "CPN20OFF", "void")})}}));
    CHECK(h.label("staff.care.c5.state") == "Voided");
    CHECK_FALSE(h.has("staff.care.c5.void"));
    CHECK(h.has("staff.care.c6.void"));
}

TEST_CASE("staff care: history and audit load more pages; messages show kind, time, channel and delivery") {
    StaffHarness h;
    open_care(h, "store_manager");
    open_member(h);
    h.click("staff.care.more");
    REQUIRE(h.answer("GET /api/v1/staff/members/12/ledger?cursor=2&limit=20", 200,
                     json{{"entries", json::array({ledger_entry(1, 474, 474, "adjust", "Opening balance")})},
                          {"next_cursor", nullptr}}));
    CHECK(h.has("staff.care.l3.what"));
    CHECK(h.has("staff.care.l1.what"));
    CHECK_FALSE(h.has("staff.care.more"));

    h.click("staff.care.tab.messages");
    CHECK(h.label("staff.care.msg4.what").find("Welcome · ") == 0);
    CHECK(h.label("staff.care.msg4.what").find(" · webhook · delivered") != std::string::npos);

    h.click("staff.care.tab.audit");
    CHECK(h.has("staff.care.a40.what"));
    h.click("staff.care.more");
    REQUIRE(h.answer("GET /api/v1/staff/audit?member=12&cursor=40&limit=20", 500,
                     json{{"error", {{"code", "internal"}, {"message", "boom"}}}}));
    CHECK(h.has("staff.care.a40.what"));  // the rows shown stay
    CHECK(h.has("staff.care.more_error"));
    h.click("staff.care.more");
    REQUIRE(h.answer(
        "GET /api/v1/staff/audit?member=12&cursor=40&limit=20", 200,
        json{{"entries", json::array({audit_entry(39, "create_member", json::object())})}, {"next_cursor", nullptr}}));
    CHECK(h.has("staff.care.a39.what"));
    CHECK_FALSE(h.has("staff.care.more_error"));
}

TEST_CASE("staff care: a scanned card or a full phone opens that member at once") {
    StaffHarness h;
    open_care(h, "store_manager");
    h.scan("M23456789ABCDEFG");
    REQUIRE(h.answer("GET /api/v1/staff/members?code=M23456789ABCDEFG", 200,
                     json{{"members", json::array({brief(12)})}, {"next_cursor", nullptr}}));
    CHECK(h.http.waiting("GET /api/v1/staff/members/12") == 1);
    CHECK(h.app().ui_state().care_id == 12);
    h.click("staff.care.back");
    h.type("staff.care.phone", "138 0000 0099");
    h.click("staff.care.find_submit");
    REQUIRE(h.answer("GET /api/v1/staff/members?phone=13800000099", 200,
                     json{{"members", json::array()}, {"next_cursor", nullptr}}));
    CHECK(h.label("staff.care.none") == "No member found.");
    CHECK(h.app().ui_state().care_id == 0);
}

TEST_CASE("staff care: in Chinese, every label of the member view is Chinese") {
    StaffHarness h;
    h.start();
    h.click("staff.lang");
    h.sign_in_as(StaffHarness::staff_json("store_manager"));
    h.click("staff.nav.care");
    CHECK(h.label("staff.nav.care") == "会员服务");
    REQUIRE(h.answer("GET /api/v1/staff/members?limit=20", 200,
                     json{{"members", json::array({brief(12)})}, {"next_cursor", nullptr}}));
    open_member(h);
    CHECK(h.label("staff.care.tab.history") == "积分记录");
    CHECK(h.label("staff.care.adjust") == "调整积分");
    CHECK(h.label("staff.care.issue") == "发放优惠券");
    CHECK(h.label("staff.care.l3.what").find("余额 524") != std::string::npos);
    h.click("staff.care.tab.messages");
    CHECK(h.label("staff.care.msg4.what").find("欢迎消息") == 0);
    CHECK(h.label("staff.care.msg4.what").find("已送达") != std::string::npos);
}

}  // namespace staff_care_test
