// The staff console's manager screens as view models (docs/api.md "GET /api/v1/staff/reports" and
// "GET /api/v1/staff/at-risk", docs/reports.md): the answers decoded, and the pure rules around
// them -- which screens a role's console offers, a period choice as from/to dates ("today" is passed
// in: no clock here), rates and means as text, a report's series as chart values. The figures are
// the server's; nothing here computes one.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "memberdesk/common.hpp"
#include "memberdesk/time.hpp"

namespace memberdesk {

// One point of a report's `series` (a week or a month, cut to the period).
struct ReportPointView {
    std::string from, to;
    std::int64_t members_new = 0, members_active = 0, visits = 0;
    Cents net_spend = 0;
    std::optional<Cents> avg_spend_per_visit;
    std::optional<double> retention_rate;
    Points points_issued = 0, points_redeemed = 0, points_expired = 0, points_liability = 0;
};

// A report's `segments`: members of the scope per lifecycle segment, as of now (not the period).
struct SegmentSizesView {
    std::string as_of;  // the local date of "now"
    std::int64_t new_members = 0, core = 0, active = 0, potential = 0, dormant = 0, churned = 0;
};

// GET /staff/reports.
struct StaffReportView {
    std::string from, to, previous_from, previous_to;
    int days = 0;
    std::vector<std::string> stores;  // the scope's stores
    std::optional<std::string> store, region;
    bool all_stores = false;
    std::int64_t members_total = 0, members_new = 0, members_active = 0, visits = 0;
    Cents net_spend = 0;
    std::optional<Cents> avg_spend_per_visit;
    std::optional<double> retention_rate, churn_rate, repurchase_rate;
    Points points_issued = 0, points_redeemed = 0, points_expired = 0, points_clawed_back = 0, points_liability = 0;
    std::int64_t coupons_issued = 0, coupons_used = 0;
    std::int64_t survey_answers = 0;
    std::optional<double> survey_overall, survey_product, survey_service, survey_environment;
    std::optional<SegmentSizesView> segments;  // null when the server has none for this scope
    std::string group;                         // "week", "month" or empty (no series)
    std::vector<ReportPointView> series;
};

// GET /staff/at-risk.
struct AtRiskReachView {
    std::string kind, at;
    bool sent = false, coupon = false;
};
struct AtRiskMemberView {
    std::int64_t id = 0;
    std::string name, phone, status, last_visit;  // status: "dormant" or "at_risk"
    int days_since_visit = 0;
    std::int64_t visits = 0;
    Cents net_spend = 0;
    std::vector<AtRiskReachView> reach;
};
struct StaffAtRiskView {
    std::string as_of;
    int level = 2, dormant_days = 0, warn_days = 0;
    std::vector<AtRiskMemberView> members;
};

// GET /admin/stores (head office): the chain's regions and stores, for choosing a report's scope.
struct StoreCatalogView {
    struct Region {
        std::string id, name;
    };
    struct Store {
        std::string id, name, region;
    };
    std::vector<Region> regions;
    std::vector<Store> stores;
    std::vector<std::string> store_ids(const std::string& region) const;  // empty region: every store
};

void from_json(const nlohmann::json& j, StoreCatalogView& v);
void from_json(const nlohmann::json& j, ReportPointView& v);
void from_json(const nlohmann::json& j, SegmentSizesView& v);
void from_json(const nlohmann::json& j, StaffReportView& v);
void from_json(const nlohmann::json& j, AtRiskReachView& v);
void from_json(const nlohmann::json& j, AtRiskMemberView& v);
void from_json(const nlohmann::json& j, StaffAtRiskView& v);

// The console's screens, and which of them a role's console offers (a clerk: the counter only; an
// auditor finds no members: reports and survey results; managers also have member care). The server
// still decides every request.
enum class StaffScreen { counter, reports, at_risk, survey, care };
std::vector<StaffScreen> staff_screens_for(std::string_view role);
bool role_reads_level3(std::string_view role);  // may ask for full names with a reason

// A report period as staff choose it. `today` is the program's local date.
enum class ReportPeriod { this_month, last_month, last_12_weeks, custom };
struct ReportDates {
    CivilDate from, to;
    std::string group;  // the series: "week", or "month" for a long custom span
};
constexpr int kReportMaxDays = 366;
// this month: the 1st .. today, by week; last month: its 1st .. its last day, by week; last 12
// weeks: Monday eleven weeks before this week's Monday .. today, by week; custom: `from`..`to` as
// typed (YYYY-MM-DD, from <= to, at most kReportMaxDays), by week up to 92 days, else by month.
// nullopt for a custom span that is no such span.
std::optional<ReportDates> report_dates(ReportPeriod period, const CivilDate& today, std::string_view from = {},
                                        std::string_view to = {});

// A rate 0..1 as a percentage with at most one decimal ("12%", "12.5%"); "—" when undefined.
std::string format_rate(const std::optional<double>& rate);
// A survey mean 1..5 with two decimals ("4.25"); "—" when undefined.
std::string format_mean(const std::optional<double>& mean);

// What a trend chart can show of a report's series.
enum class ReportMetric { members_active, members_new, visits, net_spend, retention_rate, points_issued, liability };
struct ChartPoint {
    std::string label;            // "03-02" (the point's first day, month-day) or "2026-03" for a month
    std::optional<double> value;  // nullopt: undefined there (a rate with nobody to count)
};
struct ReportChart {
    std::vector<ChartPoint> points;
    double max = 0;  // the largest value (0 when none), the chart's top
};
ReportChart report_chart(const StaffReportView& report, ReportMetric metric);
// Where each point sits in a w x h box (y down, the top is `max`, undefined values at 0) -- what
// a line chart draws between.
std::vector<std::pair<float, float>> chart_positions(const ReportChart& chart, float w, float h);

}  // namespace memberdesk
