// Staff report figures (docs/reports.md): a pure function from the rows storage gathered for a
// scope to the figures of a span of time. No I/O; the server fetches the rows (ReadTx::report_rows)
// and turns local dates into the instants used here.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "memberdesk/common.hpp"
#include "memberdesk/ledger.hpp"

namespace memberdesk {

// What the figures are computed from. Spans are half-open: [from, to).
struct ReportRows {
    struct Member {
        std::int64_t id = 0;
        UnixSeconds joined_at = 0;
        std::optional<UnixSeconds> erased_at;
    };
    struct Purchase {  // at the scope's stores
        std::int64_t member_id = 0;
        UnixSeconds at = 0;
        Cents amount = 0, refunded = 0;
    };
    struct Entry {  // ledger entries of members in scope
        EntryType type = EntryType::earn;
        Points points = 0;
        UnixSeconds at = 0;
    };
    struct CouponRow {  // coupons of members in scope
        UnixSeconds issued_at = 0;
        std::optional<UnixSeconds> used_at;  // set only for used coupons
    };
    struct Answer {  // survey answers for the scope
        int rating = 0;
        std::optional<int> product, service, environment;
        UnixSeconds at = 0;
    };
    std::vector<Member> members;      // in scope, joined before the end of the report
    std::vector<Purchase> purchases;  // at >= the report's previous-period start, < its end
    std::vector<Entry> entries;       // created in the report's period
    Points liability_at_end = 0;      // Σ ledger points of members in scope created before the end
    std::vector<CouponRow> coupons;   // issued or used in the report's period
    std::vector<Answer> answers;      // given in the report's period
};

struct ReportFigures {
    std::int64_t members_total = 0, members_new = 0, members_active = 0;
    std::int64_t visits = 0;
    Cents net_spend = 0;
    std::optional<double> retention_rate, churn_rate, repurchase_rate;
    std::optional<Cents> avg_spend_per_visit;
    Points points_issued = 0, points_redeemed = 0, points_expired = 0, points_clawed_back = 0;
    Points points_liability = 0;
    std::int64_t coupons_issued = 0, coupons_used = 0;
    std::int64_t survey_answers = 0;
    std::optional<double> survey_overall, survey_product, survey_service, survey_environment;
};

// The figures of [from, to), its previous span being [from - (to - from), from). `report_end` is
// the end of the whole report (rows.liability_at_end is as of then): the liability at `to` is that
// minus the entries between `to` and `report_end`, which must all be in rows.entries.
ReportFigures report_figures(const ReportRows& rows, UnixSeconds from, UnixSeconds to, UnixSeconds report_end);

// The same figures from pre-aggregated daily facts (the server's report_facts tables): sums over
// the days of the span, and the distinct-member counts the visit chains give.
struct ReportSums {
    std::int64_t joined_before_end = 0, erased_before_end = 0, joined = 0;
    std::int64_t visits = 0;
    Cents net_spend = 0;
    std::int64_t active = 0, repeaters = 0, prev_active = 0, retained = 0;
    Points issued = 0, redeemed = 0, expired = 0, clawed_back = 0, liability = 0;
    std::int64_t coupons_issued = 0, coupons_used = 0;
    std::int64_t answers = 0, rating_sum = 0, dims = 0, product_sum = 0, service_sum = 0, environment_sum = 0;
};
ReportFigures report_figures_from_sums(const ReportSums& s);

}  // namespace memberdesk
