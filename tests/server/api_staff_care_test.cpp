// Member care routes for managers (domain.md §8, docs/api.md "What staff do with members"): a
// member's points history, the messages they were sent, their coupons and the program's coupon
// templates -- within the manager's scope, refused to clerks and auditors, unknown out of scope.
#include "self_service_harness.hpp"
#include "staff_fixture.hpp"

using namespace mdtest;

namespace api_staff_care_test {

namespace {

const std::string kPhone = "13800000021";  // bought at S001 (region E)

struct Care {
    std::int64_t member = 0;
    std::string manager, other_manager, region, clerk, auditor;
};

Care make_care(TestServer& srv) {
    make_chain(srv);
    Care c;
    c.member = srv.create_member(kPhone, "123456", "王小明", "1990-05-01");
    srv.buy("C1", kPhone, 3000, "S001");
    srv.buy("C2", kPhone, 5000, "S001");
    create_staff(srv, "mgr.e", "store_manager", "S001");
    create_staff(srv, "mgr.w", "store_manager", "S101");
    create_staff(srv, "region.e", "region_manager", "", "E");
    create_staff(srv, "clerk.e", "clerk", "S001");
    create_staff(srv, "audit.bo", "auditor");
    c.manager = staff_login(srv, "mgr.e");
    c.other_manager = staff_login(srv, "mgr.w");
    c.region = staff_login(srv, "region.e");
    c.clerk = staff_login(srv, "clerk.e");
    c.auditor = staff_login(srv, "audit.bo");
    return c;
}

std::string member_path(std::int64_t id, const std::string& tail) {
    return "/api/v1/staff/members/" + std::to_string(id) + tail;
}

}  // namespace

TEST_CASE("staff care: a store manager reads their member's ledger page by page, the same rows the member sees") {
    TestServer srv;
    Care c = make_care(srv);
    expect_status(srv.post(member_path(c.member, "/adjustments"), {{"points", 20}, {"reason", "drink remade"}},
                           bearer(c.manager)),
                  200);
    const std::string member_token = srv.login(kPhone);
    auto mine = expect_status(srv.get("/api/v1/me/ledger?limit=100", bearer(member_token)), 200)["entries"];
    REQUIRE(mine.size() >= 3);

    auto first = expect_status(srv.get(member_path(c.member, "/ledger?limit=2"), bearer(c.manager)), 200);
    REQUIRE(first["entries"].size() == 2);
    CHECK(first["entries"][0] == mine[0]);
    CHECK(first["entries"][0]["type"] == "adjust");
    CHECK(first["entries"][0]["points"] == 20);
    REQUIRE(first["next_cursor"].is_string());
    auto rest = expect_status(
        srv.get(member_path(c.member, "/ledger?limit=100&cursor=" + first["next_cursor"].get<std::string>()),
                bearer(c.manager)),
        200);
    CHECK(rest["entries"].size() == mine.size() - 2);
    CHECK(rest["entries"][0] == mine[2]);
    CHECK(rest["next_cursor"].is_null());
    // The region's manager reads it too.
    expect_status(srv.get(member_path(c.member, "/ledger"), bearer(c.region)), 200);
}

TEST_CASE("staff care: another store's manager gets 404, clerks and auditors 403, for every care route") {
    TestServer srv;
    Care c = make_care(srv);
    for (const char* tail : {"/ledger", "/messages", "/coupons"}) {
        INFO(tail);
        expect_error(srv.get(member_path(c.member, tail), bearer(c.other_manager)), 404, "member_not_found");
        expect_error(srv.get(member_path(c.member, tail), bearer(c.clerk)), 403, "forbidden");
        expect_error(srv.get(member_path(c.member, tail), bearer(c.auditor)), 403, "forbidden");
        expect_error(srv.get(member_path(999999, tail), bearer(c.manager)), 404, "member_not_found");
        expect_error(srv.get(member_path(c.member, tail)), 401, "unauthorized");
    }
    expect_error(srv.get("/api/v1/staff/coupon-templates", bearer(c.clerk)), 403, "forbidden");
    expect_error(srv.get("/api/v1/staff/coupon-templates", bearer(c.auditor)), 403, "forbidden");
    expect_error(srv.get(member_path(c.member, "/ledger?cursor=x%20y"), bearer(c.manager)), 400, "invalid_field");
    for (const char* bad : {"?limit=0", "?limit=101", "?cursor=abc", "?cursor=-5"}) {
        INFO(bad);
        expect_error(srv.get(member_path(c.member, std::string("/messages") + bad), bearer(c.manager)), 400,
                     "invalid_field");
    }
}

TEST_CASE("staff care: the member's messages show template, channel, times and delivery state, never the text") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    make_chain(srv);
    auto v = sign_up(srv, *codes, "13900000001");
    const std::int64_t id = v["member_id"].get<std::int64_t>();
    srv.buy("M1", "13900000001", 2000, "S001");
    create_staff(srv, "mgr.e", "store_manager", "S001");
    create_staff(srv, "mgr.w", "store_manager", "S101");
    const std::string manager = staff_login(srv, "mgr.e");

    auto j = expect_status(srv.get(member_path(id, "/messages"), bearer(manager)), 200);
    REQUIRE(j["messages"].size() >= 2);
    std::vector<std::string> templates;
    for (const auto& m : j["messages"]) {
        templates.push_back(m["template"].get<std::string>());
        CHECK_FALSE(m.contains("text"));
        CHECK(m["channel"] == "webhook");
        const std::string status = m["status"].get<std::string>();
        CHECK((status == "delivered" || status == "sending" || status == "failed"));
        CHECK(m["created_at"].is_string());
    }
    CHECK(std::find(templates.begin(), templates.end(), "signup_code") != templates.end());
    CHECK(j.dump().find(codes->last("13900000001")) == std::string::npos);
    CHECK(j["messages"][0]["id"].get<std::int64_t>() > j["messages"][1]["id"].get<std::int64_t>());

    auto page = expect_status(srv.get(member_path(id, "/messages?limit=1"), bearer(manager)), 200);
    REQUIRE(page["messages"].size() == 1);
    REQUIRE(page["next_cursor"].is_string());
    auto next = expect_status(
        srv.get(member_path(id, "/messages?limit=1&cursor=" + page["next_cursor"].get<std::string>()), bearer(manager)),
        200);
    REQUIRE(next["messages"].size() == 1);
    CHECK(next["messages"][0]["id"] == j["messages"][1]["id"]);
    expect_error(srv.get(member_path(id, "/messages"), bearer(staff_login(srv, "mgr.w"))), 404, "member_not_found");
}

TEST_CASE("staff care: a manager lists the member's coupons with codes, issues one from the templates and voids it") {
    TestServer srv;
    Care c = make_care(srv);
    auto t = expect_status(srv.get("/api/v1/staff/coupon-templates", bearer(c.manager)), 200)["templates"];
    REQUIRE_FALSE(t.empty());
    bool found = false;
    for (const auto& e : t) {
        CHECK(e["title"]["en"].is_string());
        CHECK(e["title"]["zh"].is_string());
        if (e["id"] == "spend_back_20") found = true;
    }
    CHECK(found);

    auto issued = expect_status(srv.post(member_path(c.member, "/coupons"),
                                         {{"template", "spend_back_20"}, {"reason", "complaint"}}, bearer(c.manager)),
                                201);
    auto list = expect_status(srv.get(member_path(c.member, "/coupons"), bearer(c.manager)), 200)["coupons"];
    REQUIRE_FALSE(list.empty());
    CHECK(list[0]["code"] == issued["code"]);
    CHECK(list[0]["state"] == "available");

    expect_status(srv.post("/api/v1/staff/coupons/" + issued["code"].get<std::string>() + "/void",
                           {{"reason", "issued by mistake"}}, bearer(c.manager)),
                  200);
    list = expect_status(srv.get(member_path(c.member, "/coupons"), bearer(c.manager)), 200)["coupons"];
    CHECK(list[0]["state"] == "void");
    auto audit = expect_status(srv.get("/api/v1/staff/audit?member=" + std::to_string(c.member), bearer(c.manager)),
                               200)["entries"];
    REQUIRE(audit.size() >= 2);
    CHECK(audit[0]["action"] == "void_coupon");
    CHECK(audit[0]["detail"]["reason"] == "issued by mistake");
}

TEST_CASE("staff care: a region manager's level-3 read shows in their audit and in the member's audit in scope only") {
    TestServer srv;
    Care c = make_care(srv);
    expect_status(srv.get(member_path(c.member, "?level=3&reason=member%20asked%20at%20the%20till"), bearer(c.region)),
                  200);
    auto level3_rows = [&](const std::string& token, const std::string& query) {
        auto page = expect_status(srv.get("/api/v1/staff/audit?action=read_member_level3" + query, bearer(token)), 200);
        return page["entries"].size();
    };
    const std::string of_member = "&member=" + std::to_string(c.member);
    // The row names no store (a region manager acts for none), yet its author reads it ...
    CHECK(level3_rows(c.region, "") == 1);
    CHECK(level3_rows(c.region, of_member) == 1);
    // ... and so does the manager of the member's store, in the member's audit.
    CHECK(level3_rows(c.manager, of_member) == 1);
    // Not the manager of another store, whose scope the member is not in, nor a store-less browse.
    CHECK(level3_rows(c.other_manager, of_member) == 0);
    CHECK(level3_rows(c.other_manager, "") == 0);
    CHECK(level3_rows(c.manager, "") == 0);
}

}  // namespace api_staff_care_test
