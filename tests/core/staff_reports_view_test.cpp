// The staff console's manager screens as view models (pure): which screens a role's console
// offers, a period choice as from/to dates for a given "today", rates and means as text, the
// report and at-risk answers decoded, and a report's series as chart values and positions.
#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "memberdesk/staff_reports_view.hpp"

namespace staff_reports_view_test {

using namespace memberdesk;
using nlohmann::json;

std::string d(const CivilDate& c) { return format_date(c); }

TEST_CASE(
    "a clerk's console is the counter; managers add member care, reports, survey and at-risk; an auditor reads only") {
    CHECK(staff_screens_for("clerk") == std::vector<StaffScreen>{StaffScreen::counter});
    CHECK(staff_screens_for("something_new") == std::vector<StaffScreen>{StaffScreen::counter});
    const std::vector<StaffScreen> manager{StaffScreen::counter, StaffScreen::care, StaffScreen::reports,
                                           StaffScreen::survey, StaffScreen::at_risk};
    CHECK(staff_screens_for("store_manager") == manager);
    CHECK(staff_screens_for("region_manager") == manager);
    CHECK(staff_screens_for("hq_admin") == manager);
    CHECK(staff_screens_for("auditor") == std::vector<StaffScreen>{StaffScreen::reports, StaffScreen::survey});
    CHECK_FALSE(role_reads_level3("store_manager"));
    CHECK(role_reads_level3("region_manager"));
    CHECK(role_reads_level3("hq_admin"));
}

TEST_CASE("this month runs from the 1st to today and last month is the whole previous month, by week") {
    const CivilDate today{2026, 3, 10};
    auto tm = report_dates(ReportPeriod::this_month, today);
    REQUIRE(tm);
    CHECK(d(tm->from) == "2026-03-01");
    CHECK(d(tm->to) == "2026-03-10");
    CHECK(tm->group == "week");
    auto lm = report_dates(ReportPeriod::last_month, today);
    REQUIRE(lm);
    CHECK(d(lm->from) == "2026-02-01");
    CHECK(d(lm->to) == "2026-02-28");
    auto jan = report_dates(ReportPeriod::last_month, CivilDate{2026, 1, 31});
    REQUIRE(jan);
    CHECK(d(jan->from) == "2025-12-01");
    CHECK(d(jan->to) == "2025-12-31");
    auto leap = report_dates(ReportPeriod::last_month, CivilDate{2024, 3, 1});
    REQUIRE(leap);
    CHECK(d(leap->to) == "2024-02-29");
}

TEST_CASE("the last 12 weeks start on the Monday eleven weeks before this week's and end today") {
    // 2026-03-10 is a Tuesday: this week's Monday is 03-09, eleven weeks earlier is 12-22.
    auto w = report_dates(ReportPeriod::last_12_weeks, CivilDate{2026, 3, 10});
    REQUIRE(w);
    CHECK(d(w->from) == "2025-12-22");
    CHECK(d(w->to) == "2026-03-10");
    CHECK(weekday(w->from) == 1);
    // On a Sunday the week started six days before.
    auto sun = report_dates(ReportPeriod::last_12_weeks, CivilDate{2026, 3, 15});
    REQUIRE(sun);
    CHECK(d(sun->from) == "2025-12-22");
    auto mon = report_dates(ReportPeriod::last_12_weeks, CivilDate{2026, 3, 16});
    REQUIRE(mon);
    CHECK(d(mon->from) == "2025-12-29");
}

TEST_CASE("a custom span is taken as typed, by week up to 92 days and by month beyond; a bad span is none") {
    const CivilDate today{2026, 3, 10};
    auto a = report_dates(ReportPeriod::custom, today, "2026-01-01", "2026-03-31");
    REQUIRE(a);
    CHECK(d(a->from) == "2026-01-01");
    CHECK(d(a->to) == "2026-03-31");
    CHECK(a->group == "week");  // 90 days
    auto b = report_dates(ReportPeriod::custom, today, "2025-03-11", "2026-03-10");
    REQUIRE(b);
    CHECK(b->group == "month");
    CHECK(report_dates(ReportPeriod::custom, today, "2026-03-02", "2026-03-01") == std::nullopt);
    CHECK(report_dates(ReportPeriod::custom, today, "2025-01-01", "2026-03-01") == std::nullopt);  // > 366 days
    CHECK(report_dates(ReportPeriod::custom, today, "2026-3-1", "2026-03-10") == std::nullopt);
    CHECK(report_dates(ReportPeriod::custom, today, "2026-02-30", "2026-03-10") == std::nullopt);
    CHECK(report_dates(ReportPeriod::custom, today, "", "") == std::nullopt);
}

TEST_CASE("rates show as percentages with at most one decimal and means with two; undefined is a dash") {
    CHECK(format_rate(0.12) == "12%");
    CHECK(format_rate(0.125) == "12.5%");
    CHECK(format_rate(1.0 / 3.0) == "33.3%");
    CHECK(format_rate(0.0) == "0%");
    CHECK(format_rate(1.0) == "100%");
    CHECK(format_rate(0.0004) == "0%");
    CHECK(format_rate(std::nullopt) == "\xE2\x80\x94");
    CHECK(format_mean(4.25) == "4.25");
    CHECK(format_mean(3.0) == "3.00");
    CHECK(format_mean(std::nullopt) == "\xE2\x80\x94");
}

json report_json() {
    return json::parse(R"({"period": {"from": "2026-03-01", "to": "2026-03-31", "days": 31},
 "previous": {"from": "2026-01-29", "to": "2026-02-28"},
 "scope": {"stores": ["S001", "S002"], "store": null, "region": "E", "all_stores": false},
 "members": {"total": 4, "new": 2, "active": 2}, "visits": 3, "net_spend": 15000,
 "avg_spend_per_visit": 5000, "retention_rate": 0.5, "churn_rate": 0.5, "repurchase_rate": null,
 "points": {"issued": 336, "redeemed": 300, "expired": 0, "clawed_back": 1, "liability": 42},
 "coupons": {"issued": 3, "used": 1},
 "survey": {"answers": 2, "overall": 3.0, "product": 5.0, "service": 4.0, "environment": null},
 "segments": {"as_of": "2026-04-02", "new": 1, "core": 0, "active": 1, "potential": 1, "dormant": 0, "churned": 1},
 "group": "week",
 "series": [{"from": "2026-03-01", "to": "2026-03-01", "members": {"new": 0, "active": 0}, "visits": 0,
             "net_spend": 0, "avg_spend_per_visit": null, "retention_rate": null,
             "points": {"issued": 0, "redeemed": 0, "expired": 0, "liability": 13}},
            {"from": "2026-03-02", "to": "2026-03-08", "members": {"new": 1, "active": 2}, "visits": 3,
             "net_spend": 15000, "avg_spend_per_visit": 5000, "retention_rate": 0.25,
             "points": {"issued": 336, "redeemed": 300, "expired": 0, "liability": 42}}]})");
}

TEST_CASE("a report without segment sizes (facts not built yet) has none") {
    json j = report_json();
    j["segments"] = nullptr;
    CHECK_FALSE(j.get<StaffReportView>().segments);
}

TEST_CASE("a report answer is decoded with its scope, figures, undefined rates and series") {
    const auto r = report_json().get<StaffReportView>();
    CHECK(r.from == "2026-03-01");
    CHECK(r.days == 31);
    CHECK(r.previous_to == "2026-02-28");
    CHECK(r.stores == std::vector<std::string>{"S001", "S002"});
    CHECK(r.region == std::optional<std::string>("E"));
    CHECK_FALSE(r.store);
    CHECK(r.members_total == 4);
    CHECK(r.members_active == 2);
    CHECK(r.avg_spend_per_visit == std::optional<Cents>(5000));
    CHECK(r.churn_rate == std::optional<double>(0.5));
    CHECK_FALSE(r.repurchase_rate);
    CHECK(r.points_liability == 42);
    CHECK(r.coupons_used == 1);
    CHECK(r.survey_service == std::optional<double>(4.0));
    CHECK_FALSE(r.survey_environment);
    REQUIRE(r.segments);
    CHECK(r.segments->as_of == "2026-04-02");
    CHECK(r.segments->new_members == 1);
    CHECK(r.segments->potential == 1);
    CHECK(r.segments->churned == 1);
    REQUIRE(r.series.size() == 2);
    CHECK(r.series[1].members_active == 2);
    CHECK(r.series[1].retention_rate == std::optional<double>(0.25));
    CHECK_FALSE(r.series[0].avg_spend_per_visit);
    CHECK(r.series[0].points_liability == 13);
}

TEST_CASE("a report's series becomes chart points labelled by their first day, undefined kept apart") {
    const auto r = report_json().get<StaffReportView>();
    const ReportChart active = report_chart(r, ReportMetric::members_active);
    REQUIRE(active.points.size() == 2);
    CHECK(active.points[0].label == "03-01");
    CHECK(active.points[1].label == "03-02");
    CHECK(active.max == 2);
    const ReportChart retention = report_chart(r, ReportMetric::retention_rate);
    CHECK_FALSE(retention.points[0].value);
    CHECK(retention.points[1].value == std::optional<double>(0.25));
    const auto pos = chart_positions(active, 100, 50);
    REQUIRE(pos.size() == 2);
    CHECK(pos[0] == std::pair<float, float>(0.0f, 50.0f));
    CHECK(pos[1] == std::pair<float, float>(100.0f, 0.0f));
    auto monthly = r;
    monthly.group = "month";
    CHECK(report_chart(monthly, ReportMetric::visits).points[1].label == "2026-03");
    // Nothing to show: no points, and a chart of zeros stays on its baseline.
    CHECK(report_chart(StaffReportView{}, ReportMetric::visits).points.empty());
    ReportChart zeros;
    zeros.points = {{"a", 0.0}};
    CHECK(chart_positions(zeros, 10, 10)[0] == std::pair<float, float>(5.0f, 10.0f));
}

TEST_CASE("an at-risk answer is decoded with each member's last visit and what they were sent") {
    const auto v = json::parse(R"({"as_of": "2026-03-10", "level": 2, "dormant_days": 60, "warn_days": 14,
 "members": [{"id": 2, "name": "A*", "phone": "138****0001", "status": "dormant",
              "last_visit": "2026-01-05T02:00:00Z", "days_since_visit": 64, "visits": 1, "net_spend": 9000,
              "reach": [{"kind": "points_expiry", "at": "2026-02-01T01:00:00Z", "sent": true, "coupon": false}]}]})")
                       .get<StaffAtRiskView>();
    CHECK(v.as_of == "2026-03-10");
    CHECK(v.dormant_days == 60);
    REQUIRE(v.members.size() == 1);
    const auto& m = v.members[0];
    CHECK(m.name == "A*");
    CHECK(m.status == "dormant");
    CHECK(m.days_since_visit == 64);
    CHECK(m.net_spend == 9000);
    REQUIRE(m.reach.size() == 1);
    CHECK(m.reach[0].kind == "points_expiry");
    CHECK(m.reach[0].sent);
    CHECK_FALSE(m.reach[0].coupon);
}

TEST_CASE("head office's store catalogue lists regions, and a region's stores for the store choice") {
    const auto c = json::parse(R"({"regions": [{"id": "E", "name": "East"}, {"id": "W", "name": "West"}],
 "stores": [{"id": "s1", "name": "One", "region": "E", "pos_keys": []}, {"id": "s2", "name": "Two", "region": "W"},
            {"id": "s3", "name": "Three", "region": "E"}]})")
                       .get<StoreCatalogView>();
    REQUIRE(c.regions.size() == 2);
    CHECK(c.regions[1].name == "West");
    CHECK(c.store_ids("E") == std::vector<std::string>{"s1", "s3"});
    CHECK(c.store_ids("") == std::vector<std::string>{"s1", "s2", "s3"});
    CHECK(c.store_ids("X").empty());
}

}  // namespace staff_reports_view_test
