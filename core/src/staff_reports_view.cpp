#include "memberdesk/staff_reports_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "lenient_json.hpp"

namespace memberdesk {

using nlohmann::json;

namespace {

using namespace lenient;

// The figures a whole report and each point of its series both carry.
template <class View>
void read_shared_figures(const json& j, View& v) {
    const json& m = sub_object(j, "members");
    v.members_new = number_or<std::int64_t>(m, "new");
    v.members_active = number_or<std::int64_t>(m, "active");
    v.visits = number_or<std::int64_t>(j, "visits");
    v.net_spend = number_or<Cents>(j, "net_spend");
    v.avg_spend_per_visit = opt_number<Cents>(j, "avg_spend_per_visit");
    v.retention_rate = opt_number<double>(j, "retention_rate");
    const json& p = sub_object(j, "points");
    v.points_issued = number_or<Points>(p, "issued");
    v.points_redeemed = number_or<Points>(p, "redeemed");
    v.points_expired = number_or<Points>(p, "expired");
    v.points_liability = number_or<Points>(p, "liability");
}

}  // namespace

void from_json(const json& j, StoreCatalogView& v) {
    if (auto it = j.find("regions"); it != j.end() && it->is_array())
        for (const auto& r : *it) v.regions.push_back({string_or_empty(r, "id"), string_or_empty(r, "name")});
    if (auto it = j.find("stores"); it != j.end() && it->is_array())
        for (const auto& s : *it)
            v.stores.push_back({string_or_empty(s, "id"), string_or_empty(s, "name"), string_or_empty(s, "region")});
}

std::vector<std::string> StoreCatalogView::store_ids(const std::string& region) const {
    std::vector<std::string> out;
    for (const auto& s : stores)
        if (region.empty() || s.region == region) out.push_back(s.id);
    return out;
}

void from_json(const json& j, ReportPointView& v) {
    v.from = string_or_empty(j, "from");
    v.to = string_or_empty(j, "to");
    read_shared_figures(j, v);
}

void from_json(const json& j, SegmentSizesView& v) {
    v.as_of = string_or_empty(j, "as_of");
    v.new_members = number_or<std::int64_t>(j, "new");
    v.core = number_or<std::int64_t>(j, "core");
    v.active = number_or<std::int64_t>(j, "active");
    v.potential = number_or<std::int64_t>(j, "potential");
    v.dormant = number_or<std::int64_t>(j, "dormant");
    v.churned = number_or<std::int64_t>(j, "churned");
}

void from_json(const json& j, StaffReportView& v) {
    const json& period = j.at("period");
    v.from = period.at("from").get<std::string>();
    v.to = period.at("to").get<std::string>();
    v.days = number_or<int>(period, "days");
    const json& prev = sub_object(j, "previous");
    v.previous_from = string_or_empty(prev, "from");
    v.previous_to = string_or_empty(prev, "to");
    const json& scope = sub_object(j, "scope");
    if (auto it = scope.find("stores"); it != scope.end() && it->is_array())
        v.stores = it->get<std::vector<std::string>>();
    v.store = opt_string(scope, "store");
    v.region = opt_string(scope, "region");
    v.all_stores = scope.value("all_stores", false);
    v.members_total = number_or<std::int64_t>(j.at("members"), "total");
    read_shared_figures(j, v);
    v.churn_rate = opt_number<double>(j, "churn_rate");
    v.repurchase_rate = opt_number<double>(j, "repurchase_rate");
    v.points_clawed_back = number_or<Points>(sub_object(j, "points"), "clawed_back");
    const json& c = sub_object(j, "coupons");
    v.coupons_issued = number_or<std::int64_t>(c, "issued");
    v.coupons_used = number_or<std::int64_t>(c, "used");
    const json& s = sub_object(j, "survey");
    v.survey_answers = number_or<std::int64_t>(s, "answers");
    v.survey_overall = opt_number<double>(s, "overall");
    v.survey_product = opt_number<double>(s, "product");
    v.survey_service = opt_number<double>(s, "service");
    v.survey_environment = opt_number<double>(s, "environment");
    if (auto it = j.find("segments"); it != j.end() && it->is_object()) v.segments = it->get<SegmentSizesView>();
    v.group = string_or_empty(j, "group");
    if (auto it = j.find("series"); it != j.end() && it->is_array()) v.series = it->get<std::vector<ReportPointView>>();
}

void from_json(const json& j, AtRiskReachView& v) {
    v.kind = string_or_empty(j, "kind");
    v.at = string_or_empty(j, "at");
    v.sent = j.value("sent", false);
    v.coupon = j.value("coupon", false);
}

void from_json(const json& j, AtRiskMemberView& v) {
    v.id = j.at("id").get<std::int64_t>();
    v.name = string_or_empty(j, "name");
    v.phone = string_or_empty(j, "phone");
    v.status = string_or_empty(j, "status");
    v.last_visit = string_or_empty(j, "last_visit");
    v.days_since_visit = number_or<int>(j, "days_since_visit");
    v.visits = number_or<std::int64_t>(j, "visits");
    v.net_spend = number_or<Cents>(j, "net_spend");
    if (auto it = j.find("reach"); it != j.end() && it->is_array()) v.reach = it->get<std::vector<AtRiskReachView>>();
}

void from_json(const json& j, StaffAtRiskView& v) {
    v.as_of = string_or_empty(j, "as_of");
    v.level = number_or<int>(j, "level", 2);
    v.dormant_days = number_or<int>(j, "dormant_days");
    v.warn_days = number_or<int>(j, "warn_days");
    v.members = j.at("members").get<std::vector<AtRiskMemberView>>();
}

std::vector<StaffScreen> staff_screens_for(std::string_view role) {
    if (role == "store_manager" || role == "region_manager" || role == "hq_admin")
        return {StaffScreen::counter, StaffScreen::care, StaffScreen::reports, StaffScreen::survey,
                StaffScreen::at_risk};
    if (role == "auditor") return {StaffScreen::reports, StaffScreen::survey};
    return {StaffScreen::counter};
}

bool role_reads_level3(std::string_view role) { return role == "region_manager" || role == "hq_admin"; }

std::optional<ReportDates> report_dates(ReportPeriod period, const CivilDate& today, std::string_view from,
                                        std::string_view to) {
    switch (period) {
        case ReportPeriod::this_month: return ReportDates{CivilDate{today.year, today.month, 1}, today, "week"};
        case ReportPeriod::last_month: {
            const CivilDate last = add_days(CivilDate{today.year, today.month, 1}, -1);
            return ReportDates{CivilDate{last.year, last.month, 1}, last, "week"};
        }
        case ReportPeriod::last_12_weeks: {
            const int since_monday = (weekday(today) + 6) % 7;  // weekday: 0 = Sunday
            return ReportDates{add_days(today, -since_monday - 7 * 11), today, "week"};
        }
        case ReportPeriod::custom: {
            if (from.size() != 10 || to.size() != 10) return std::nullopt;
            auto f = parse_date(from);
            auto t = parse_date(to);
            if (!f || !t || *t < *f) return std::nullopt;
            const auto days = days_from_civil(*t) - days_from_civil(*f) + 1;
            if (days > kReportMaxDays) return std::nullopt;
            return ReportDates{*f, *t, days <= 92 ? "week" : "month"};
        }
    }
    return std::nullopt;
}

std::string format_rate(const std::optional<double>& rate) {
    if (!rate || !std::isfinite(*rate)) return "\xE2\x80\x94";
    const long long tenths = std::llround(*rate * 1000.0);
    char buf[32];
    if (tenths % 10 == 0)
        std::snprintf(buf, sizeof buf, "%lld%%", tenths / 10);
    else
        std::snprintf(buf, sizeof buf, "%s%lld.%lld%%", tenths < 0 ? "-" : "", std::llabs(tenths) / 10,
                      std::llabs(tenths) % 10);
    return buf;
}

std::string format_mean(const std::optional<double>& mean) {
    if (!mean || !std::isfinite(*mean)) return "\xE2\x80\x94";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", std::round(*mean * 100.0) / 100.0);
    return buf;
}

ReportChart report_chart(const StaffReportView& report, ReportMetric metric) {
    ReportChart c;
    for (const auto& p : report.series) {
        ChartPoint cp;
        cp.label = report.group == "month" ? p.from.substr(0, 7) : p.from.size() >= 10 ? p.from.substr(5) : p.from;
        switch (metric) {
            case ReportMetric::members_active: cp.value = static_cast<double>(p.members_active); break;
            case ReportMetric::members_new: cp.value = static_cast<double>(p.members_new); break;
            case ReportMetric::visits: cp.value = static_cast<double>(p.visits); break;
            case ReportMetric::net_spend: cp.value = static_cast<double>(p.net_spend); break;
            case ReportMetric::retention_rate: cp.value = p.retention_rate; break;
            case ReportMetric::points_issued: cp.value = static_cast<double>(p.points_issued); break;
            case ReportMetric::liability: cp.value = static_cast<double>(p.points_liability); break;
        }
        if (cp.value) c.max = std::max(c.max, *cp.value);
        c.points.push_back(std::move(cp));
    }
    return c;
}

std::vector<std::pair<float, float>> chart_positions(const ReportChart& chart, float w, float h) {
    std::vector<std::pair<float, float>> out;
    const std::size_t n = chart.points.size();
    for (std::size_t i = 0; i < n; ++i) {
        const float x = n == 1 ? w * 0.5f : w * static_cast<float>(i) / static_cast<float>(n - 1);
        const double v = chart.points[i].value.value_or(0.0);
        const float share = chart.max > 0 ? static_cast<float>(std::clamp(v / chart.max, 0.0, 1.0)) : 0.0f;
        out.emplace_back(x, h - h * share);
    }
    return out;
}

}  // namespace memberdesk
