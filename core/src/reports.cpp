// Staff report figures; the definitions are docs/reports.md.
#include "memberdesk/reports.hpp"

#include <map>

namespace memberdesk {

namespace {

bool in(UnixSeconds t, UnixSeconds from, UnixSeconds to) { return t >= from && t < to; }

// Visits per member in [from, to): purchases not fully refunded.
std::map<std::int64_t, int> visits_by_member(const ReportRows& rows, UnixSeconds from, UnixSeconds to,
                                             Cents* net_spend) {
    std::map<std::int64_t, int> out;
    for (const auto& p : rows.purchases) {
        if (!in(p.at, from, to) || p.refunded >= p.amount) continue;
        ++out[p.member_id];
        if (net_spend) *net_spend += p.amount - p.refunded;
    }
    return out;
}

std::optional<double> mean(std::int64_t sum, std::int64_t n) {
    if (n == 0) return std::nullopt;
    return static_cast<double>(sum) / static_cast<double>(n);
}

}  // namespace

ReportFigures report_figures(const ReportRows& rows, UnixSeconds from, UnixSeconds to, UnixSeconds report_end) {
    ReportFigures f;
    for (const auto& m : rows.members) {
        if (m.joined_at < to && (!m.erased_at || *m.erased_at >= to)) ++f.members_total;
        if (in(m.joined_at, from, to)) ++f.members_new;
    }

    const auto now = visits_by_member(rows, from, to, &f.net_spend);
    const auto before = visits_by_member(rows, from - (to - from), from, nullptr);
    f.members_active = static_cast<std::int64_t>(now.size());
    std::int64_t repeat = 0;
    for (const auto& [id, n] : now) {
        f.visits += n;
        if (n >= 2) ++repeat;
    }
    std::int64_t retained = 0;
    for (const auto& [id, n] : before)
        if (now.count(id)) ++retained;
    if (!before.empty()) {
        f.retention_rate = static_cast<double>(retained) / static_cast<double>(before.size());
        f.churn_rate = 1.0 - *f.retention_rate;
    }
    if (f.members_active > 0) f.repurchase_rate = static_cast<double>(repeat) / static_cast<double>(f.members_active);
    if (f.visits > 0) f.avg_spend_per_visit = (2 * f.net_spend + f.visits) / (2 * f.visits);  // nearest fen

    Points after_to = 0;  // ledger change between `to` and the end of the report
    for (const auto& e : rows.entries) {
        if (in(e.at, to, report_end)) after_to += e.points;
        if (!in(e.at, from, to)) continue;
        switch (e.type) {
            case EntryType::earn:
            case EntryType::bonus: f.points_issued += e.points; break;
            case EntryType::adjust:
                if (e.points > 0)
                    f.points_issued += e.points;
                else
                    f.points_clawed_back -= e.points;
                break;
            case EntryType::redeem: f.points_redeemed -= e.points; break;
            case EntryType::expire: f.points_expired -= e.points; break;
            case EntryType::clawback: f.points_clawed_back -= e.points; break;
            case EntryType::debt_settle: break;
        }
    }
    f.points_liability = rows.liability_at_end - after_to;

    for (const auto& c : rows.coupons) {
        if (in(c.issued_at, from, to)) ++f.coupons_issued;
        if (c.used_at && in(*c.used_at, from, to)) ++f.coupons_used;
    }

    std::int64_t rating = 0, product = 0, service = 0, environment = 0, n_dims = 0;
    for (const auto& a : rows.answers) {
        if (!in(a.at, from, to)) continue;
        ++f.survey_answers;
        rating += a.rating;
        if (a.product && a.service && a.environment) {
            ++n_dims;
            product += *a.product;
            service += *a.service;
            environment += *a.environment;
        }
    }
    f.survey_overall = mean(rating, f.survey_answers);
    f.survey_product = mean(product, n_dims);
    f.survey_service = mean(service, n_dims);
    f.survey_environment = mean(environment, n_dims);
    return f;
}

ReportFigures report_figures_from_sums(const ReportSums& s) {
    ReportFigures f;
    f.members_total = s.joined_before_end - s.erased_before_end;
    f.members_new = s.joined;
    f.members_active = s.active;
    f.visits = s.visits;
    f.net_spend = s.net_spend;
    if (s.prev_active > 0) {
        f.retention_rate = static_cast<double>(s.retained) / static_cast<double>(s.prev_active);
        f.churn_rate = 1.0 - *f.retention_rate;
    }
    if (s.active > 0) f.repurchase_rate = static_cast<double>(s.repeaters) / static_cast<double>(s.active);
    if (s.visits > 0) f.avg_spend_per_visit = (2 * s.net_spend + s.visits) / (2 * s.visits);
    f.points_issued = s.issued;
    f.points_redeemed = s.redeemed;
    f.points_expired = s.expired;
    f.points_clawed_back = s.clawed_back;
    f.points_liability = s.liability;
    f.coupons_issued = s.coupons_issued;
    f.coupons_used = s.coupons_used;
    f.survey_answers = s.answers;
    f.survey_overall = mean(s.rating_sum, s.answers);
    f.survey_product = mean(s.product_sum, s.dims);
    f.survey_service = mean(s.service_sum, s.dims);
    f.survey_environment = mean(s.environment_sum, s.dims);
    return f;
}

}  // namespace memberdesk
