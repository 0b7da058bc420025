// The staff console's manager screens against a fake API, read through the accessibility mirror:
// which screens each role's console offers, a report for a chosen period (dates from the fake
// clock) and store with its figures and chart as text, survey results per store, the at-risk list
// with its CSV download and full names only after a reason, and Chinese.
#include <doctest/doctest.h>

#include "staff_harness.hpp"

namespace staff_reports_test {

using namespace mdtest;

// The fake clock's today is 2026-03-20 (a Friday).
json report_json(const std::string& from, const std::string& to, const json& store = nullptr,
                 std::vector<std::string> stores = {"store-001"}) {
    return {
        {"period", {{"from", from}, {"to", to}, {"days", 20}}},
        {"previous", {{"from", "2026-02-09"}, {"to", "2026-02-28"}}},
        {"scope", {{"stores", stores}, {"store", store}, {"region", nullptr}, {"all_stores", false}}},
        {"members", {{"total", 40}, {"new", 3}, {"active", 21}}},
        {"visits", 30},
        {"net_spend", 123450},
        {"avg_spend_per_visit", 4115},
        {"retention_rate", 0.875},
        {"churn_rate", 0.125},
        {"repurchase_rate", nullptr},
        {"points", {{"issued", 1200}, {"redeemed", 300}, {"expired", 50}, {"clawed_back", 0}, {"liability", 9000}}},
        {"coupons", {{"issued", 12}, {"used", 5}}},
        {"survey", {{"answers", 4}, {"overall", 4.0}, {"product", 4.5}, {"service", 3.75}, {"environment", nullptr}}},
        {"segments",
         {{"as_of", "2026-03-20"},
          {"new", 3},
          {"core", 5},
          {"active", 9},
          {"potential", 1200},
          {"dormant", 7},
          {"churned", 16}}},
        {"group", "week"},
        {"series",
         json::array({json{{"from", "2026-03-01"},
                           {"to", "2026-03-01"},
                           {"members", {{"new", 0}, {"active", 2}}},
                           {"visits", 2},
                           {"net_spend", 5000},
                           {"avg_spend_per_visit", 2500},
                           {"retention_rate", nullptr},
                           {"points", {{"issued", 50}, {"redeemed", 0}, {"expired", 0}, {"liability", 8000}}}},
                      json{{"from", "2026-03-02"},
                           {"to", "2026-03-08"},
                           {"members", {{"new", 1}, {"active", 9}}},
                           {"visits", 11},
                           {"net_spend", 40000},
                           {"avg_spend_per_visit", 3636},
                           {"retention_rate", 0.5},
                           {"points", {{"issued", 400}, {"redeemed", 0}, {"expired", 0}, {"liability", 8400}}}}})}};
}

json at_risk_json(int level = 2) {
    return {{"as_of", "2026-03-20"},
            {"level", level},
            {"dormant_days", 60},
            {"warn_days", 14},
            {"members",
             json::array(
                 {json{{"id", 2},
                       {"name", level == 3 ? "Wang Fang" : "W*"},
                       {"phone", level == 3 ? "13800000001" : "138****0001"},
                       {"status", "dormant"},
                       {"last_visit", "2026-01-05T02:00:00Z"},
                       {"days_since_visit", 74},
                       {"visits", 9},
                       {"net_spend", 90000},
                       {"reach",
                        json::array({json{
                            {"kind", "winback"}, {"at", "2026-03-06T01:00:00Z"}, {"sent", true}, {"coupon", true}}})}},
                  json{{"id", 5},
                       {"name", "L*"},
                       {"phone", "139****0005"},
                       {"status", "at_risk"},
                       {"last_visit", "2026-01-25T02:00:00Z"},
                       {"days_since_visit", 54},
                       {"visits", 2},
                       {"net_spend", 3000},
                       {"reach", json::array()}}})}};
}

TEST_CASE("staff console navigation: a clerk sees only the counter; a manager's console offers every screen") {
    StaffHarness clerk;
    clerk.start();
    clerk.sign_in_as_clerk();
    CHECK_FALSE(clerk.has("staff.nav.reports"));
    CHECK_FALSE(clerk.has("staff.nav.at_risk"));
    CHECK(clerk.has("staff.find.phone"));
    CHECK(clerk.http.waiting("GET /api/v1/staff/reports") == 0);

    StaffHarness manager;
    manager.start();
    manager.sign_in_as(StaffHarness::staff_json("store_manager"));
    for (const char* id : {"staff.nav.counter", "staff.nav.reports", "staff.nav.survey", "staff.nav.at_risk"})
        CHECK(manager.has(id));
    CHECK(manager.has("staff.find.phone"));  // the counter first
    check_landmarks_and_headings(manager.mirror, "manager's counter");
}

TEST_CASE("staff console navigation: an auditor, who finds no members, starts on the reports") {
    StaffHarness h;
    h.start();
    h.sign_in_as(StaffHarness::staff_json("auditor", nullptr));
    CHECK_FALSE(h.has("staff.nav.counter"));
    CHECK_FALSE(h.has("staff.nav.at_risk"));
    CHECK(h.has("staff.reports.title"));
    CHECK(h.http.waiting("GET /api/v1/staff/reports?from=2026-03-01&to=2026-03-20&group=week") == 1);
}

TEST_CASE("staff reports: this month's figures, rates as percentages and the weekly trend, all readable as text") {
    StaffHarness h;
    h.start();
    h.sign_in_as(StaffHarness::staff_json("store_manager"));
    h.click("staff.nav.reports");
    CHECK(h.has("staff.reports.loading"));
    REQUIRE(h.answer("GET /api/v1/staff/reports?from=2026-03-01&to=2026-03-20&group=week", 200,
                     report_json("2026-03-01", "2026-03-20")));
    CHECK(FakeHttp::header(*h.http.last("GET /api/v1/staff/reports"), "Authorization") == "Bearer stok");
    CHECK(h.node("staff.reports.churn")->value == "12.5%");
    CHECK(h.label("staff.reports.churn") == "Churn rate: 12.5%");
    CHECK(h.node("staff.reports.retention")->value == "87.5%");
    CHECK(h.node("staff.reports.repurchase")->value == "\xE2\x80\x94");
    CHECK(h.node("staff.reports.avg_spend")->value ==
          "\xC2\xA5"
          "41.15");
    CHECK(h.node("staff.reports.total")->value == "40");
    CHECK(h.node("staff.reports.active")->value == "21");
    CHECK(h.node("staff.reports.spend")->value ==
          "\xC2\xA5"
          "1,234.50");
    CHECK(h.node("staff.reports.liability")->value == "9,000");
    CHECK(h.node("staff.reports.coupons_used")->value == "5");
    CHECK(h.node("staff.reports.survey_service")->value == "3.75");
    CHECK(h.node("staff.reports.survey_environment")->value == "\xE2\x80\x94");
    // Segment sizes are today's, and the heading says so.
    CHECK(h.label("staff.reports.segments") == "Segments now (today, 2026-03-20)");
    CHECK(h.node("staff.reports.seg_core")->value == "5");
    CHECK(h.label("staff.reports.seg_potential") == "Potential: 1,200");
    CHECK(h.node("staff.reports.seg_churned")->value == "16");
    CHECK(h.label("staff.reports.period_shown") == "2026-03-01 to 2026-03-20 \xC2\xB7 Store store-001");
    CHECK(h.label("staff.reports.chart") == "Active members: 03-01 2; 03-02 9");
    // Another metric of the same series.
    h.click("staff.reports.metric.3");
    CHECK(h.label("staff.reports.chart") == "Retention: 03-01 \xE2\x80\x94; 03-02 50%");
    CHECK_FALSE(h.has("staff.reports.store"));  // one store: nothing to choose
    check_landmarks_and_headings(h.mirror, "reports");
}

TEST_CASE("staff reports: last month, the last 12 weeks and a typed span ask the server for those dates") {
    StaffHarness h;
    h.start();
    h.sign_in_as(StaffHarness::staff_json("store_manager"));
    h.click("staff.nav.reports");
    REQUIRE(h.answer("GET /api/v1/staff/reports?from=2026-03-01", 200, report_json("2026-03-01", "2026-03-20")));
    h.click("staff.reports.period.1");
    CHECK(h.http.waiting("GET /api/v1/staff/reports?from=2026-02-01&to=2026-02-28&group=week") == 1);
    h.click("staff.reports.period.2");
    CHECK(h.http.waiting("GET /api/v1/staff/reports?from=2025-12-29&to=2026-03-20&group=week") == 1);
    h.click("staff.reports.period.3");
    REQUIRE(h.has("staff.reports.from"));
    h.type("staff.reports.from", "2026-01-10");
    h.type("staff.reports.to", "2026-01-01");
    CHECK(h.node("staff.reports.show")->disabled);
    CHECK(h.has("staff.reports.dates_bad"));
    h.type("staff.reports.to", "2026-12-31");
    CHECK_FALSE(h.node("staff.reports.show")->disabled);  // 356 days
    h.type("staff.reports.from", "2025-12-01");
    CHECK(h.node("staff.reports.show")->disabled);  // 396 days
    h.type("staff.reports.from", "2025-10-01");
    h.type("staff.reports.to", "2026-03-20");
    h.click("staff.reports.show");
    CHECK(h.http.waiting("GET /api/v1/staff/reports?from=2025-10-01&to=2026-03-20&group=month") == 1);
    // Only the newest answer shows: an answer for a period asked before is dropped.
    REQUIRE(h.answer("GET /api/v1/staff/reports?from=2026-02-01", 200, report_json("2026-02-01", "2026-02-28")));
    CHECK(h.label("staff.reports.period_shown").rfind("2026-03-01 to 2026-03-20", 0) == 0);
    REQUIRE(h.answer("GET /api/v1/staff/reports?from=2025-10-01", 400,
                     json{{"error", {{"code", "invalid_date"}, {"message", "too long"}}}}));
    CHECK(h.label("staff.reports.error").find("366 days") != std::string::npos);
    CHECK_FALSE(h.has("staff.reports.churn"));  // no figures of another period beside the error
}

TEST_CASE("staff reports: a region manager picks one store of their scope; survey results come per store") {
    StaffHarness h;
    h.start();
    h.sign_in_as(StaffHarness::staff_json("region_manager", nullptr, "east"));
    h.click("staff.nav.reports");
    REQUIRE(h.answer("GET /api/v1/staff/reports", 200,
                     report_json("2026-03-01", "2026-03-20", nullptr, {"store-001", "store-002"})));
    REQUIRE(h.has("staff.reports.store"));
    CHECK(h.label("staff.reports.period_shown").find("2 stores") != std::string::npos);
    h.click("staff.reports.store.2");
    CHECK(h.http.waiting("GET /api/v1/staff/reports?from=2026-03-01&to=2026-03-20&group=week&store=store-002") == 1);
    REQUIRE(h.answer("GET /api/v1/staff/reports", 200,
                     report_json("2026-03-01", "2026-03-20", "store-002", {"store-002"})));
    CHECK(h.label("staff.reports.period_shown").find("Store store-002") != std::string::npos);
    REQUIRE(h.has("staff.reports.store.2"));  // the scope's stores stay to choose from
    h.click("staff.reports.store.0");
    REQUIRE(h.answer("GET /api/v1/staff/reports", 200,
                     report_json("2026-03-01", "2026-03-20", nullptr, {"store-001", "store-002"})));

    h.click("staff.nav.survey");
    CHECK(h.http.waiting("GET /api/v1/staff/reports?from=2026-03-01&to=2026-03-20&store=store-001") == 1);
    CHECK(h.http.waiting("GET /api/v1/staff/reports?from=2026-03-01&to=2026-03-20&store=store-002") == 1);
    CHECK(h.label("staff.survey.row.store-001") == "Store store-001: Loading…");
    json second = report_json("2026-03-01", "2026-03-20", "store-002", {"store-002"});
    second["survey"] = {{"answers", 2}, {"overall", 5.0}, {"product", 5.0}, {"service", 4.5}, {"environment", 5.0}};
    REQUIRE(h.answer("GET /api/v1/staff/reports?from=2026-03-01&to=2026-03-20&store=store-002", 200, second));
    REQUIRE(h.answer("GET /api/v1/staff/reports?from=2026-03-01&to=2026-03-20&store=store-001", 200,
                     report_json("2026-03-01", "2026-03-20", "store-001")));
    CHECK(h.label("staff.survey.row.store-001") ==
          "Store store-001, Product 4.50, Service 3.75, Store environment \xE2\x80\x94, Answers 4");
    CHECK(h.label("staff.survey.row.store-002") ==
          "Store store-002, Product 5.00, Service 4.50, Store environment 5.00, Answers 2");
    check_landmarks_and_headings(h.mirror, "survey");
    // The same period again asks nothing new.
    h.frames(3);
    CHECK(h.http.waiting("GET /api/v1/staff/reports") == 0);
}

TEST_CASE("staff reports: head office narrows a report to a region of the chain, then to one of its stores") {
    StaffHarness h;
    h.start();
    h.sign_in_as(StaffHarness::staff_json("hq_admin", nullptr));
    h.click("staff.nav.reports");
    REQUIRE(h.answer(
        "GET /api/v1/admin/stores", 200,
        json{{"regions", json::array({json{{"id", "E"}, {"name", "East"}}, json{{"id", "W"}, {"name", "West"}}})},
             {"stores", json::array({json{{"id", "s1"}, {"region", "E"}}, json{{"id", "s2"}, {"region", "W"}},
                                     json{{"id", "s3"}, {"region", "E"}}})}}));
    CHECK(FakeHttp::header(*h.http.last("GET /api/v1/admin/stores"), "Authorization") == "Bearer stok");
    json all = report_json("2026-03-01", "2026-03-20", nullptr, {"s1", "s2", "s3"});
    all["scope"]["all_stores"] = true;
    REQUIRE(h.answer("GET /api/v1/staff/reports?from=2026-03-01&to=2026-03-20&group=week", 200, all));
    CHECK(h.label("staff.reports.period_shown").find("All stores") != std::string::npos);
    REQUIRE(h.has("staff.reports.region.2"));
    CHECK(h.label("staff.reports.region.1") == "East");
    h.click("staff.reports.region.1");
    CHECK(h.http.waiting("GET /api/v1/staff/reports?from=2026-03-01&to=2026-03-20&group=week&region=E") == 1);
    json east = report_json("2026-03-01", "2026-03-20", nullptr, {"s1", "s3"});
    east["scope"]["region"] = "E";
    REQUIRE(h.answer("GET /api/v1/staff/reports", 200, east));
    CHECK(h.label("staff.reports.period_shown").find("Region E") != std::string::npos);
    // The store choice offers the region's stores.
    CHECK(h.label("staff.reports.store.2") == "Store s3");
    CHECK_FALSE(h.has("staff.reports.store.3"));
    h.click("staff.reports.store.2");
    CHECK(h.http.waiting("GET /api/v1/staff/reports?from=2026-03-01&to=2026-03-20&group=week&store=s3") == 1);
}

TEST_CASE("staff at-risk list: by value with last visit and what was sent; the CSV export downloads the file") {
    StaffHarness h;
    h.start();
    h.sign_in_as(StaffHarness::staff_json("store_manager"));
    h.click("staff.nav.at_risk");
    CHECK(h.node("staff.atrisk.export")->disabled);  // nothing to export before the list is there
    REQUIRE(h.answer("GET /api/v1/staff/at-risk?limit=50", 200, at_risk_json()));
    CHECK(h.label("staff.atrisk.count") == "2 members as of 2026-03-20");
    CHECK(h.label("staff.atrisk.m2.who") == "1. W* \xC2\xB7 138****0001");
    CHECK(h.label("staff.atrisk.m2.status") == "Dormant");
    CHECK(h.label("staff.atrisk.m2.visit") ==
          "Last visit 2026-01-05 (74 days ago) \xC2\xB7 9 visits \xC2\xB7 "
          "\xC2\xA5"
          "900 spent");
    CHECK(h.label("staff.atrisk.m2.reach") == "Sent: Win-back offer 2026-03-06 + coupon");
    CHECK(h.label("staff.atrisk.m5.reach") == "Sent: nothing yet");
    CHECK(h.label("staff.atrisk.m5.status") == "At risk");
    CHECK_FALSE(h.has("staff.atrisk.reveal"));  // a store manager reads level 2 at most
    check_landmarks_and_headings(h.mirror, "at-risk");

    h.click("staff.atrisk.export");
    const HttpRequest* csv = h.http.last("GET /api/v1/staff/at-risk?limit=50&format=csv");
    REQUIRE(csv);
    CHECK(FakeHttp::header(*csv, "Authorization") == "Bearer stok");
    const std::string body = "id,name,phone,status\r\n2,W*,138****0001,dormant\r\n";
    REQUIRE(h.http.answer("GET /api/v1/staff/at-risk?limit=50&format=csv", 200, body));  // as sent, not JSON
    h.frames(2);
    CHECK(h.platform.download_name == "at-risk-2026-03-20.csv");
    CHECK(h.platform.download_data == body);
    CHECK(h.label("staff.atrisk.exported") == "Downloaded at-risk-2026-03-20.csv.");
    // A refused export says so.
    h.click("staff.atrisk.export");
    REQUIRE(h.answer("GET /api/v1/staff/at-risk?limit=50&format=csv", 403,
                     json{{"error", {{"code", "forbidden"}, {"message", "no"}}}}));
    CHECK(h.label("staff.atrisk.export_error") == "Your role can't do this.");
}

TEST_CASE("staff at-risk list: full names need a reason first, which goes with the list and its export") {
    StaffHarness h;
    h.start();
    h.sign_in_as(StaffHarness::staff_json("region_manager", nullptr, "east"));
    h.click("staff.nav.at_risk");
    REQUIRE(h.answer("GET /api/v1/staff/at-risk?limit=50", 200, at_risk_json()));
    h.click("staff.atrisk.reveal");
    REQUIRE(h.has("staff.atrisk.reason"));
    CHECK(h.node("staff.atrisk.reveal_confirm")->disabled);
    CHECK(h.http.waiting("GET /api/v1/staff/at-risk") == 0);
    h.type("staff.atrisk.reason", "call back this week");
    h.click("staff.atrisk.reveal_confirm");
    CHECK(h.http.waiting("GET /api/v1/staff/at-risk?limit=50&level=3&reason=call%20back%20this%20week") == 1);
    REQUIRE(h.answer("GET /api/v1/staff/at-risk", 200, at_risk_json(3)));
    CHECK(h.label("staff.atrisk.m2.who") == "1. Wang Fang \xC2\xB7 13800000001");
    CHECK(h.has("staff.atrisk.hide"));
    h.click("staff.atrisk.export");
    CHECK(h.http.waiting("GET /api/v1/staff/at-risk?limit=50&level=3&reason=call%20back%20this%20week&format=csv") ==
          1);
    // Masking again asks for level 2; signing out forgets the reason and the names.
    h.click("staff.atrisk.hide");
    CHECK(h.http.waiting("GET /api/v1/staff/at-risk?limit=50") >= 1);
    h.click("staff.sign_out");
    CHECK(h.text().find("Wang Fang") == std::string::npos);
    CHECK(h.app().ui_state().at_risk_reason.empty());
    CHECK(h.app().ui_state().screen == memberdesk::StaffScreen::counter);
}

TEST_CASE("staff reports in Chinese: the figures' labels and the navigation") {
    StaffHarness h;
    h.platform.lang = "zh-CN";
    h.start();
    h.sign_in_as(StaffHarness::staff_json("store_manager"));
    CHECK(h.label("staff.nav.reports") == "经营报表");
    h.click("staff.nav.reports");
    REQUIRE(h.answer("GET /api/v1/staff/reports", 200, report_json("2026-03-01", "2026-03-20")));
    CHECK(h.label("staff.reports.churn") == "流失率: 12.5%");
    CHECK(h.label("staff.reports.survey_service") == "服务: 3.75");
    CHECK(h.label("staff.reports.segments") == "会员分群（当前，2026-03-20）");
    CHECK(h.label("staff.reports.seg_dormant") == "沉睡: 7");
    h.click("staff.nav.at_risk");
    REQUIRE(h.answer("GET /api/v1/staff/at-risk", 200, at_risk_json()));
    CHECK(h.label("staff.atrisk.m2.status") == "沉睡");
    CHECK(h.label("staff.atrisk.export") == "导出 CSV");
}

}  // namespace staff_reports_test
