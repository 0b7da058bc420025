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

// The rows' sums, then the same derivation as the daily facts' (report_figures_from_sums): the two
// ways differ only in how the sums are counted.
ReportFigures report_figures(const ReportRows& rows, UnixSeconds from, UnixSeconds to, UnixSeconds report_end) {
    ReportSums s;
    for (const auto& m : rows.members) {
        if (m.joined_at < to) ++s.joined_before_end;
        if (m.joined_at < to && m.erased_at && *m.erased_at < to) ++s.erased_before_end;
        if (in(m.joined_at, from, to)) ++s.joined;
    }

    const auto now = visits_by_member(rows, from, to, &s.net_spend);
    const auto before = visits_by_member(rows, from - (to - from), from, nullptr);
    s.active = static_cast<std::int64_t>(now.size());
    for (const auto& [id, n] : now) {
        s.visits += n;
        if (n >= 2) ++s.repeaters;
    }
    s.prev_active = static_cast<std::int64_t>(before.size());
    for (const auto& [id, n] : before)
        if (now.count(id)) ++s.retained;

    Points after_to = 0;  // ledger change between `to` and the end of the report
    for (const auto& e : rows.entries) {
        if (in(e.at, to, report_end)) after_to += e.points;
        if (!in(e.at, from, to)) continue;
        switch (e.type) {
            case EntryType::earn:
            case EntryType::bonus: s.issued += e.points; break;
            case EntryType::adjust:
                if (e.points > 0)
                    s.issued += e.points;
                else
                    s.clawed_back -= e.points;
                break;
            case EntryType::redeem: s.redeemed -= e.points; break;
            case EntryType::expire: s.expired -= e.points; break;
            case EntryType::clawback: s.clawed_back -= e.points; break;
            case EntryType::debt_settle: break;
        }
    }
    s.liability = rows.liability_at_end - after_to;

    for (const auto& c : rows.coupons) {
        if (in(c.issued_at, from, to)) ++s.coupons_issued;
        if (c.used_at && in(*c.used_at, from, to)) ++s.coupons_used;
    }

    for (const auto& a : rows.answers) {
        if (!in(a.at, from, to)) continue;
        ++s.answers;
        s.rating_sum += a.rating;
        if (a.product && a.service && a.environment) {
            ++s.dims;
            s.product_sum += *a.product;
            s.service_sum += *a.service;
            s.environment_sum += *a.environment;
        }
    }
    return report_figures_from_sums(s);
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
