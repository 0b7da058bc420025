// Staff reports (docs/reports.md) on a constructed history whose figures are computed by hand below,
// the scope each role reports on, and the requests that are refused.
#include <algorithm>

#include "staff_fixture.hpp"
#include "test_server.hpp"

using namespace mdtest;

namespace reports_test {

namespace {

// Program "coffee" (Asia/Shanghai, UTC+8): 1 point per ¥10 (1000 fen), a welcome coupon at joining,
// 10 survey points once a month, no pending days; no purchase here reaches a spend-back coupon (¥100).
// Every event is at 02:00Z = 10:00 local, so its local date is the one written.
//
// Stores (make_chain): region E = S001, S002; region W = S101, S102.
//
//  date    event                                               ledger            coupons
//  02-10   A, B, C join (admin, no store)                      -                 3 welcome issued
//  02-10   A buys 5000 at S001                                 A earn +5
//  02-12   B buys 2000 at S002                                 B earn +2
//  02-15   C buys 6000 at S101                                 C earn +6
//  03-03   D joins; buys 8000 at S002, uses the welcome coupon D earn +8          D welcome issued, used
//  03-04   D answers the v1 survey: rating 2, no store         D bonus +10
//  03-05   A buys 3000 at S001                                 A earn +3
//  03-06   A survey (5,4,3) for S001 -> rating 4               A bonus +10
//  03-07   A +300 by admin, redeems the pastry (300)           A adjust +300, redeem -300   pastry coupon issued
//  03-08   E joins; buys 2500 at S101                          E earn +2         E welcome issued
//  03-09   F joins at S002 (admin, store S002), never buys     -                 F welcome issued
//  03-10   C buys 7000 at S101                                 C earn +7
//  03-11   C survey (1,3,5) for S101 -> rating 3               C bonus +10
//  03-12   C -2 by admin                                       C adjust -2
//  03-20   A buys 4000 at S001                                 A earn +4
//  03-25   D buys 1500 at S002                                 D earn +1
//  03-26   D's 1500 purchase refunded in full                  D clawback -1
//  04-02   A buys 2000 at S001 (after the period)              A earn +2
//
// Balances at the end of March: A 5+3+10+300-300+4 = 22, B 2, C 6+7+10-2 = 21, D 8+10+1-1 = 18, E 2,
// F 0: 65 in all.
struct History {
    TestServer srv{[] {
        ServerOptions o;
        o.start = "2026-02-10T02:00:00Z";
        return o;
    }()};
    std::string d_token;

    History() {
        make_chain(srv);
        const auto a = srv.create_member("13800000001", "123456", "Alice");
        srv.create_member("13800000002", "123456", "Bob");
        const auto c = srv.create_member("13800000003", "123456", "Chen");
        srv.buy("T-A1", "13800000001", 5000, "S001");
        at("2026-02-12");
        srv.buy("T-B1", "13800000002", 2000, "S002");
        at("2026-02-15");
        srv.buy("T-C1", "13800000003", 6000, "S101");
        at("2026-03-03");
        srv.create_member("13800000004", "123456", "Deng");
        srv.buy("T-D1", "13800000004", 8000, "S002");
        d_token = srv.login("13800000004");
        auto wallet = srv.coupons(d_token, "available");
        REQUIRE(wallet.size() == 1);
        expect_status(
            srv.post("/api/v1/pos/coupons/redeem",
                     {{"code", wallet[0]["code"]}, {"order_amount", 8000}, {"store", "S002"}, {"txn_id", "T-D1"}},
                     pos()),
            200);
        at("2026-03-04");
        d_token = srv.login("13800000004");
        expect_status(srv.post("/api/v1/me/feedback", {{"rating", 2}}, bearer(d_token)), 201);
        at("2026-03-05");
        srv.buy("T-A2", "13800000001", 3000, "S001");
        at("2026-03-06");
        auto a_token = srv.login("13800000001");
        expect_status(srv.post("/api/v1/me/feedback",
                               {{"scores", {{"product", 5}, {"service", 4}, {"environment", 3}}}, {"store", "S001"}},
                               bearer(a_token)),
                      201);
        at("2026-03-07");
        srv.adjust(a, 300);
        a_token = srv.login("13800000001");
        expect_status(srv.post("/api/v1/me/redemptions", {{"reward_id", "pastry"}}, bearer(a_token) + idem("r-1")),
                      201);
        at("2026-03-08");
        srv.create_member("13800000005", "123456", "Eve");
        srv.buy("T-E1", "13800000005", 2500, "S101");
        at("2026-03-09");
        expect_status(
            srv.post("/api/v1/admin/members",
                     {{"phone", "13800000006"}, {"pin", "123456"}, {"name", "Fang"}, {"store", "S002"}}, admin()),
            201);
        at("2026-03-10");
        srv.buy("T-C2", "13800000003", 7000, "S101");
        at("2026-03-11");
        auto c_token = srv.login("13800000003");
        expect_status(srv.post("/api/v1/me/feedback",
                               {{"scores", {{"product", 1}, {"service", 3}, {"environment", 5}}}, {"store", "S101"}},
                               bearer(c_token)),
                      201);
        at("2026-03-12");
        srv.adjust(c, -2);
        at("2026-03-20");
        srv.buy("T-A3", "13800000001", 4000, "S001");
        at("2026-03-25");
        srv.buy("T-D2", "13800000004", 1500, "S002");
        at("2026-03-26");
        expect_status(
            srv.post("/api/v1/pos/refunds", {{"txn_id", "T-D2"}, {"refund_id", "R-D2"}, {"amount", 1500}}, pos()), 201);
        at("2026-04-02");
        srv.buy("T-A4", "13800000001", 2000, "S001");
    }
    void at(const std::string& date) { srv.set_clock(date + "T02:00:00Z"); }

    json report(const std::string& username, const std::string& query) {
        const auto token = staff_login(srv, username);
        return expect_status(srv.get("/api/v1/staff/reports?" + query, bearer(token)), 200);
    }
};

const std::string kMarch = "from=2026-03-01&to=2026-03-31";

}  // namespace

TEST_CASE("a head-office report for March counts every store's members, visits, points, coupons and survey") {
    History h;
    create_staff(h.srv, "head.office", "hq_admin");
    const json r = h.report("head.office", kMarch);
    CHECK(r["period"] == json{{"from", "2026-03-01"}, {"to", "2026-03-31"}, {"days", 31}});
    // The previous period is the 31 days before: 01-29 .. 02-28.
    CHECK(r["previous"] == json{{"from", "2026-01-29"}, {"to", "2026-02-28"}});
    CHECK(r["scope"]["all_stores"] == true);
    // A..F joined by the end of March; D, E, F in March.
    CHECK(r["members"]["total"] == 6);
    CHECK(r["members"]["new"] == 3);
    // Visits: A 03-05, A 03-20, C 03-10, D 03-03, E 03-08 (D's 03-25 purchase was refunded in full).
    CHECK(r["members"]["active"] == 4);
    CHECK(r["visits"] == 5);
    CHECK(r["net_spend"] == 3000 + 4000 + 7000 + 8000 + 2500);
    CHECK(r["avg_spend_per_visit"] == 24500 / 5);
    // Active before: A, B, C; again in March: A, C -> 2/3 retained, 1/3 churned.
    CHECK(r["retention_rate"].get<double>() == doctest::Approx(0.6667));
    CHECK(r["churn_rate"].get<double>() == doctest::Approx(0.3333));
    // Of the 4 active members only A came twice.
    CHECK(r["repurchase_rate"].get<double>() == doctest::Approx(0.25));
    // Issued: earn 3+4+7+8+2+1 = 25, survey 3 x 10 = 30, adjust +300 -> 355. Redeemed 300.
    // Clawed back: C's -2 adjustment and D's refund (1) -> 3. Liability: the balances above, 65.
    CHECK(r["points"] ==
          json{{"issued", 355}, {"redeemed", 300}, {"expired", 0}, {"clawed_back", 3}, {"liability", 65}});
    // Issued in March: welcome coupons of D, E, F and A's pastry; used: D's welcome.
    CHECK(r["coupons"] == json{{"issued", 4}, {"used", 1}});
    // Answers: D (2, no dimensions), A (4: 5,4,3), C (3: 1,3,5).
    CHECK(r["survey"]["answers"] == 3);
    CHECK(r["survey"]["overall"].get<double>() == doctest::Approx(3.0));      // (2+4+3)/3
    CHECK(r["survey"]["product"].get<double>() == doctest::Approx(3.0));      // (5+1)/2
    CHECK(r["survey"]["service"].get<double>() == doctest::Approx(3.5));      // (4+3)/2
    CHECK(r["survey"]["environment"].get<double>() == doctest::Approx(4.0));  // (3+5)/2
    CHECK_FALSE(r.contains("series"));
}

TEST_CASE("a region manager's report counts only the members and visits of their region's stores") {
    History h;
    create_staff(h.srv, "east.manager", "region_manager", "", "E");
    const json r = h.report("east.manager", kMarch);
    CHECK(r["scope"]["stores"] == json::array({"S001", "S002"}));
    CHECK(r["scope"]["all_stores"] == false);
    // In scope: A (bought at S001), B and D (bought at S002), F (joined at S002). New: D, F.
    CHECK(r["members"]["total"] == 4);
    CHECK(r["members"]["new"] == 2);
    // Visits at S001/S002: A twice, D once.
    CHECK(r["members"]["active"] == 2);
    CHECK(r["visits"] == 3);
    CHECK(r["net_spend"] == 3000 + 4000 + 8000);
    CHECK(r["avg_spend_per_visit"] == 5000);
    // Active before at E stores: A, B; again: A.
    CHECK(r["retention_rate"].get<double>() == doctest::Approx(0.5));
    CHECK(r["churn_rate"].get<double>() == doctest::Approx(0.5));
    CHECK(r["repurchase_rate"].get<double>() == doctest::Approx(0.5));
    // A: 3+4+10+300 issued, 300 redeemed; D: 8+10+1 issued, 1 clawed back. Liability A 22 + B 2 + D 18 + F 0.
    CHECK(r["points"] ==
          json{{"issued", 336}, {"redeemed", 300}, {"expired", 0}, {"clawed_back", 1}, {"liability", 42}});
    // D's and F's welcome coupons and A's pastry; D's welcome used.
    CHECK(r["coupons"] == json{{"issued", 3}, {"used", 1}});
    // A's answer for S001 and D's answer without a store (D is in scope); not C's for S101.
    CHECK(r["survey"]["answers"] == 2);
    CHECK(r["survey"]["overall"].get<double>() == doctest::Approx(3.0));  // (4+2)/2
    CHECK(r["survey"]["product"].get<double>() == doctest::Approx(5.0));
    CHECK(r["survey"]["service"].get<double>() == doctest::Approx(4.0));
    CHECK(r["survey"]["environment"].get<double>() == doctest::Approx(3.0));
}

TEST_CASE("head office may narrow a report to a region or a store") {
    History h;
    create_staff(h.srv, "head.office", "hq_admin");
    // Region W: C and E bought at S101. C came back (retention 1), E is new.
    const json w = h.report("head.office", kMarch + "&region=W");
    CHECK(w["scope"]["stores"] == json::array({"S101", "S102"}));
    CHECK(w["members"] == json{{"total", 2}, {"new", 1}, {"active", 2}});
    CHECK(w["net_spend"] == 7000 + 2500);
    CHECK(w["avg_spend_per_visit"] == 4750);
    CHECK(w["retention_rate"].get<double>() == doctest::Approx(1.0));
    CHECK(w["churn_rate"].get<double>() == doctest::Approx(0.0));
    // Store S001: only A, who visited twice in March and once before.
    const json s = h.report("head.office", kMarch + "&store=S001");
    CHECK(s["scope"]["stores"] == json::array({"S001"}));
    CHECK(s["members"] == json{{"total", 1}, {"new", 0}, {"active", 1}});
    CHECK(s["visits"] == 2);
    CHECK(s["repurchase_rate"].get<double>() == doctest::Approx(1.0));
    CHECK(s["points"]["liability"] == 22);
}

TEST_CASE("a weekly series cuts the period at Mondays and gives each week's figures") {
    History h;
    create_staff(h.srv, "head.office", "hq_admin");
    const json r = h.report("head.office", kMarch + "&group=week");
    CHECK(r["group"] == "week");
    const json& s = r["series"];
    // 2026-03-01 is a Sunday: 03-01, 03-02..08, 03-09..15, 03-16..22, 03-23..29, 03-30..31.
    REQUIRE(s.size() == 6);
    CHECK(s[0]["from"] == "2026-03-01");
    CHECK(s[0]["to"] == "2026-03-01");
    CHECK(s[1]["from"] == "2026-03-02");
    CHECK(s[1]["to"] == "2026-03-08");
    CHECK(s[5]["from"] == "2026-03-30");
    CHECK(s[5]["to"] == "2026-03-31");
    // 03-02..08: D joins and buys 8000, A buys 3000, E joins and buys 2500.
    CHECK(s[1]["members"] == json{{"new", 2}, {"active", 3}});
    CHECK(s[1]["visits"] == 3);
    CHECK(s[1]["net_spend"] == 13500);
    CHECK(s[1]["avg_spend_per_visit"] == 4500);
    CHECK(s[1]["retention_rate"].is_null());  // nobody bought in 02-23..03-01
    // Issued: D 8 + 10, A 3 + 10 + 300, E 2 = 333; redeemed 300. Liability on 03-08: Feb's 13 + 333 - 300.
    CHECK(s[1]["points"] == json{{"issued", 333}, {"redeemed", 300}, {"expired", 0}, {"liability", 46}});
    // The last point ends with the period: its liability is the report's.
    CHECK(s[5]["points"]["liability"] == 65);
    // The weeks add up to the period.
    std::int64_t visits = 0;
    for (const auto& p : s) visits += p["visits"].get<std::int64_t>();
    CHECK(visits == 5);
}

TEST_CASE("a monthly series over two months measures each month's retention against the month before") {
    History h;
    create_staff(h.srv, "head.office", "hq_admin");
    const json r = h.report("head.office", "from=2026-02-01&to=2026-03-31&group=month");
    const json& s = r["series"];
    REQUIRE(s.size() == 2);
    CHECK(s[0]["from"] == "2026-02-01");
    CHECK(s[0]["to"] == "2026-02-28");
    CHECK(s[0]["visits"] == 3);  // A, B, C
    CHECK(s[0]["net_spend"] == 13000);
    CHECK(s[0]["retention_rate"].is_null());  // nobody bought in January
    CHECK(s[1]["from"] == "2026-03-01");
    CHECK(s[1]["retention_rate"].get<double>() == doctest::Approx(0.6667));  // the 31 days before March
    CHECK(s[0]["points"]["liability"] == 13);
    CHECK(s[1]["points"]["liability"] == 65);
}

TEST_CASE("a store manager reports on their own store only and cannot ask for another store or region") {
    History h;
    create_staff(h.srv, "s001.manager", "store_manager", "S001");
    const json r = h.report("s001.manager", kMarch);
    CHECK(r["scope"]["stores"] == json::array({"S001"}));
    CHECK(r["members"]["total"] == 1);
    const auto token = staff_login(h.srv, "s001.manager");
    expect_error(h.srv.get("/api/v1/staff/reports?" + kMarch + "&store=S002", bearer(token)), 403, "store_mismatch");
    expect_error(h.srv.get("/api/v1/staff/reports?" + kMarch + "&region=E", bearer(token)), 403, "store_mismatch");
    expect_error(h.srv.get("/api/v1/staff/reports?" + kMarch + "&store=S999", bearer(token)), 404, "unknown_store");
    expect_error(h.srv.get("/api/v1/staff/reports?" + kMarch + "&region=X", bearer(token)), 404, "unknown_region");
    create_staff(h.srv, "west.manager", "region_manager", "", "W");
    const auto west = staff_login(h.srv, "west.manager");
    expect_error(h.srv.get("/api/v1/staff/reports?" + kMarch + "&store=S001", bearer(west)), 403, "store_mismatch");
}

TEST_CASE("a clerk is refused reports and an auditor reads them without personal data") {
    History h;
    create_staff(h.srv, "s001.clerk", "clerk", "S001");
    const auto clerk = staff_login(h.srv, "s001.clerk");
    expect_error(h.srv.get("/api/v1/staff/reports?" + kMarch, bearer(clerk)), 403, "forbidden");
    create_staff(h.srv, "the.auditor", "auditor");
    const json r = h.report("the.auditor", kMarch);
    CHECK(r["members"]["total"] == 6);
    const std::string body = r.dump();
    CHECK(body.find("1380000000") == std::string::npos);
    CHECK(body.find("Alice") == std::string::npos);
}

TEST_CASE("bad or missing dates and a bad group are 400 and the report read is audited") {
    History h;
    create_staff(h.srv, "head.office", "hq_admin");
    const auto token = staff_login(h.srv, "head.office");
    auto get = [&](const std::string& q) { return h.srv.get("/api/v1/staff/reports?" + q, bearer(token)); };
    expect_error(get("from=2026-3-1&to=2026-03-31"), 400, "invalid_date");
    expect_error(get("from=2026-02-30&to=2026-03-31"), 400, "invalid_date");
    expect_error(get("from=2026-03-31&to=2026-03-01"), 400, "invalid_date");
    expect_error(get("from=2025-01-01&to=2026-03-31"), 400, "invalid_date");  // longer than 366 days
    expect_error(get("from=2026-03-01"), 400, "invalid_field");
    expect_error(get(kMarch + "&group=year"), 400, "invalid_field");
    expect_error(h.srv.get("/api/v1/staff/reports?" + kMarch), 401, "unauthorized");
    expect_status(get(kMarch + "&region=E"), 200);
    const json entries = admin_audit(h.srv);
    auto it = std::find_if(entries.begin(), entries.end(), [](const json& e) { return e["action"] == "read_report"; });
    REQUIRE(it != entries.end());
    CHECK((*it)["actor"]["username"] == "head.office");
    CHECK((*it)["detail"]["from"] == "2026-03-01");
    CHECK((*it)["detail"]["to"] == "2026-03-31");
    CHECK((*it)["detail"]["stores"] == json::array({"S001", "S002"}));
    // Only the report that was answered is audited.
    CHECK(std::count_if(entries.begin(), entries.end(), [](const json& e) { return e["action"] == "read_report"; }) ==
          1);
}

}  // namespace reports_test
