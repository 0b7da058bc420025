// Staff reports (docs/reports.md): the scope and period are decided here, the rows come from
// ReadTx::report_rows and the figures from core's report_figures. Every report read is audited.
#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "memberdesk/reports.hpp"
#include "memberdesk/segments.hpp"
#include "service/scope.hpp"
#include "service/service.hpp"
#include "service/service_impl.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

using access::err;
using access::guarded;
using nlohmann::json;

namespace {

constexpr int kMaxReportDays = 366;

json rounded(const std::optional<double>& v, double scale) {
    if (!v) return nullptr;
    return std::round(*v * scale) / scale;
}
json opt_cents(const std::optional<Cents>& v) { return v ? json(*v) : json(nullptr); }

json figures_json(const ReportFigures& f) {
    return {{"members", {{"total", f.members_total}, {"new", f.members_new}, {"active", f.members_active}}},
            {"visits", f.visits},
            {"net_spend", f.net_spend},
            {"avg_spend_per_visit", opt_cents(f.avg_spend_per_visit)},
            {"retention_rate", rounded(f.retention_rate, 1e4)},
            {"churn_rate", rounded(f.churn_rate, 1e4)},
            {"repurchase_rate", rounded(f.repurchase_rate, 1e4)},
            {"points",
             {{"issued", f.points_issued},
              {"redeemed", f.points_redeemed},
              {"expired", f.points_expired},
              {"clawed_back", f.points_clawed_back},
              {"liability", f.points_liability}}},
            {"coupons", {{"issued", f.coupons_issued}, {"used", f.coupons_used}}},
            {"survey",
             {{"answers", f.survey_answers},
              {"overall", rounded(f.survey_overall, 100)},
              {"product", rounded(f.survey_product, 100)},
              {"service", rounded(f.survey_service, 100)},
              {"environment", rounded(f.survey_environment, 100)}}}};
}

json point_json(const CivilDate& from, const CivilDate& to, const ReportFigures& f) {
    return {{"from", format_date(from)},
            {"to", format_date(to)},
            {"members", {{"new", f.members_new}, {"active", f.members_active}}},
            {"visits", f.visits},
            {"net_spend", f.net_spend},
            {"avg_spend_per_visit", opt_cents(f.avg_spend_per_visit)},
            {"retention_rate", rounded(f.retention_rate, 1e4)},
            {"points",
             {{"issued", f.points_issued},
              {"redeemed", f.points_redeemed},
              {"expired", f.points_expired},
              {"liability", f.points_liability}}}};
}

// The first day after `d`'s week (ISO: Monday to Sunday) or month.
CivilDate next_boundary(const CivilDate& d, bool week) {
    if (!week) return add_days(end_of_month(d), 1);
    const int to_monday = (8 - weekday(d)) % 7;  // weekday: 0 = Sunday
    return add_days(d, to_monday == 0 ? 7 : to_monday);
}

// Tests (ServiceOptions::check_report_facts): the figures from the facts must be the rows' figures.
void check_facts(const ReportRows& rows, const ReportQuery& rq, const StaffReportQuery& q, const ZoneRules& z,
                 const std::vector<ReportSums>& facts) {
    std::vector<std::pair<UnixSeconds, UnixSeconds>> spans{{rq.from, rq.to}};
    if (!q.group.empty())
        for (CivilDate d = q.from; !(q.to < d);) {
            CivilDate end = add_days(next_boundary(d, q.group == "week"), -1);
            if (q.to < end) end = q.to;
            spans.emplace_back(z.start_of_day(d), z.start_of_day(add_days(end, 1)));
            d = add_days(end, 1);
        }
    for (std::size_t i = 0; i < spans.size() && i < facts.size(); ++i) {
        const json want = figures_json(report_figures(rows, spans[i].first, spans[i].second, rq.to));
        const json got = figures_json(report_figures_from_sums(facts[i]));
        if (want != got)
            throw std::logic_error("report facts differ from the rows for " + format_rfc3339(spans[i].first) +
                                   ": facts " + got.dump() + ", rows " + want.dump());
    }
}

// Tests (check_report_facts): segment sizes from the activity rows must be segment_of on every
// member's whole history, for the members in scope by the rule of the staff member list.
void check_segments_of(ReadTx& tx, const ProgramConfig& p, const ZoneRules& z,
                       const std::optional<std::vector<std::string>>& stores,
                       const std::array<std::int64_t, kSegmentCount>& got, UnixSeconds now) {
    std::array<std::int64_t, kSegmentCount> want{};
    std::optional<std::int64_t> after;
    for (;;) {
        const auto page =
            stores ? tx.members_of_stores(*stores, after, 500) : tx.list_members(std::nullopt, after, 500);
        if (page.empty()) break;
        for (const auto& m : page) {
            if (!m.erased_at) want[static_cast<std::size_t>(segment_of(p, z, tx.load_state(m.id), now))] += 1;
            after = m.id;
        }
    }
    if (want != got) {
        std::string w, g;
        for (int s = 0; s < kSegmentCount; ++s) {
            w += std::string(" ") + to_string(static_cast<Segment>(s)) + "=" +
                 std::to_string(want[static_cast<std::size_t>(s)]);
            g += std::string(" ") + to_string(static_cast<Segment>(s)) + "=" +
                 std::to_string(got[static_cast<std::size_t>(s)]);
        }
        throw std::logic_error("segment sizes from the activity rows differ from the histories: rows" + g +
                               ", histories" + w);
    }
}

// Segment sizes as of now: counts per segment of the grouped segment tests.
std::array<std::int64_t, kSegmentCount> segment_sizes(const std::vector<SegmentCount>& counts) {
    std::array<std::int64_t, kSegmentCount> n{};
    for (const auto& c : counts) n[static_cast<std::size_t>(segment_from(c.tests))] += c.members;
    return n;
}

json segments_json(const std::array<std::int64_t, kSegmentCount>& n, const CivilDate& as_of) {
    json j = {{"as_of", format_date(as_of)}};
    for (int s = 0; s < kSegmentCount; ++s) j[to_string(static_cast<Segment>(s))] = n[static_cast<std::size_t>(s)];
    return j;
}

}  // namespace

Result<json> Service::staff_report(const StaffPrincipal& who, const StaffReportQuery& q) {
    return guarded<json>([&]() -> Result<json> {
        auto role = access::role_from(who.role);
        if (!role || !access::policy(*role).reports) return err(ErrorCode::forbidden, "this role reads no reports");
        if (q.to < q.from) return err(ErrorCode::invalid_date, "to: must not be before from");
        const auto days = days_from_civil(q.to) - days_from_civil(q.from) + 1;
        if (days > kMaxReportDays)
            return err(ErrorCode::invalid_date, "from, to: at most " + std::to_string(kMaxReportDays) + " days");
        if (!q.group.empty() && q.group != "week" && q.group != "month")
            return err(ErrorCode::invalid_field, "group: week or month");
        const ZoneRules& z = impl_->zone;
        const CivilDate prev_from_date = add_days(q.from, -static_cast<int>(days));
        ReportQuery rq;
        rq.prev_from = z.start_of_day(prev_from_date);
        rq.from = z.start_of_day(q.from);
        rq.to = z.start_of_day(add_days(q.to, 1));

        std::optional<Error> refused;
        std::vector<std::string> scope_ids;
        std::string unit;                              // report facts unit of the scope, if any
        std::optional<std::vector<ReportSums>> facts;  // the report's, then each series point's
        const UnixSeconds seg_now = now();
        const CivilDate seg_today = z.local_date(seg_now);
        std::optional<std::array<std::int64_t, kSegmentCount>> segments;  // of the unit's activity rows
        ReportRows rows = impl_->store->read([&](ReadTx& tx) -> ReportRows {
            auto stores = access::scope_stores(tx, who);
            const auto all = tx.stores();
            auto allowed = [&](const std::string& id) {
                return !stores || std::find(stores->begin(), stores->end(), id) != stores->end();
            };
            std::vector<std::string> chosen;
            for (const auto& s : all)
                if (allowed(s.id)) chosen.push_back(s.id);
            if (q.region) {
                if (!tx.region_by_id(*q.region)) {
                    refused = err(ErrorCode::unknown_region, "no region with this id");
                    return {};
                }
                std::vector<std::string> in_region;
                for (const auto& s : all)
                    if (s.region_id == *q.region) {
                        if (!allowed(s.id)) {
                            refused = err(ErrorCode::store_mismatch, "region: outside this account's scope");
                            return {};
                        }
                        in_region.push_back(s.id);
                    }
                chosen = in_region;
            }
            if (q.store) {
                if (!tx.store_by_id(*q.store)) {
                    refused = err(ErrorCode::unknown_store, "no store with this id");
                    return {};
                }
                if (!allowed(*q.store) || std::find(chosen.begin(), chosen.end(), *q.store) == chosen.end()) {
                    refused = err(ErrorCode::store_mismatch, "store: outside this account's scope or region");
                    return {};
                }
                chosen = {*q.store};
            }
            scope_ids = chosen;
            // Every store with no narrowing: members who joined online count too.
            if (!stores && !q.store && !q.region)
                rq.stores.reset();
            else
                rq.stores = chosen;
            // The facts unit that is exactly this scope: every store, one store, or a whole region.
            if (!rq.stores) {
                unit = "*";
            } else if (chosen.size() == 1) {
                unit = "s:" + chosen.front();
            } else if (!chosen.empty()) {
                std::string region;
                std::vector<std::string> of_region;
                for (const auto& s : all)
                    if (s.id == chosen.front()) region = s.region_id;
                for (const auto& s : all)
                    if (!region.empty() && s.region_id == region) of_region.push_back(s.id);
                auto sorted = chosen;
                std::sort(sorted.begin(), sorted.end());
                std::sort(of_region.begin(), of_region.end());
                if (!region.empty() && sorted == of_region) unit = "r:" + region;
            }
            if (!unit.empty() && tx.report_facts_ready(z.name())) {
                auto sums_of = [&](const CivilDate& from, const CivilDate& to_incl) {
                    const auto f0 = days_from_civil(from), t0 = days_from_civil(to_incl) + 1;
                    return tx.report_sums(unit, f0 - (t0 - f0), f0, t0);
                };
                facts = std::make_optional(std::vector<ReportSums>{sums_of(q.from, q.to)});
                if (!q.group.empty())
                    for (CivilDate d = q.from; !(q.to < d);) {
                        CivilDate end = add_days(next_boundary(d, q.group == "week"), -1);
                        if (q.to < end) end = q.to;
                        facts->push_back(sums_of(d, end));
                        d = add_days(end, 1);
                    }
                segments = segment_sizes(tx.segment_counts(unit, impl_->program.segments, days_from_civil(seg_today),
                                                           month_index(seg_today)));
                if (impl_->opt.check_report_facts)
                    check_segments_of(tx, impl_->program, z, rq.stores, *segments, seg_now);
                if (!impl_->opt.check_report_facts) return {};
            }
            return tx.report_rows(rq);
        });
        if (refused) return *refused;
        if (facts && impl_->opt.check_report_facts) check_facts(rows, rq, q, z, *facts);

        const ReportFigures f =
            facts ? report_figures_from_sums(facts->front()) : report_figures(rows, rq.from, rq.to, rq.to);
        json out = figures_json(f);
        out["segments"] = segments ? segments_json(*segments, seg_today) : json(nullptr);
        out["period"] = {{"from", format_date(q.from)}, {"to", format_date(q.to)}, {"days", days}};
        out["previous"] = {{"from", format_date(prev_from_date)}, {"to", format_date(add_days(q.from, -1))}};
        out["scope"] = {{"stores", scope_ids},
                        {"store", q.store ? json(*q.store) : json(nullptr)},
                        {"region", q.region ? json(*q.region) : json(nullptr)},
                        {"all_stores", !rq.stores.has_value()}};
        if (!q.group.empty()) {
            json series = json::array();
            for (CivilDate d = q.from; !(q.to < d);) {
                CivilDate end = add_days(next_boundary(d, q.group == "week"), -1);
                if (q.to < end) end = q.to;
                const ReportFigures b =
                    facts ? report_figures_from_sums((*facts)[series.size() + 1])
                          : report_figures(rows, z.start_of_day(d), z.start_of_day(add_days(end, 1)), rq.to);
                series.push_back(point_json(d, end, b));
                d = add_days(end, 1);
            }
            out["group"] = q.group;
            out["series"] = series;
        }

        const UnixSeconds t = now();
        Actor a = who.actor();
        impl_->store->write([&](WriteTx& tx) {
            impl_->audit(tx, a, "read_report", std::nullopt,
                         {{"from", format_date(q.from)},
                          {"to", format_date(q.to)},
                          {"stores", scope_ids},
                          {"all_stores", !rq.stores.has_value()},
                          {"group", q.group}},
                         t);
        });
        return out;
    });
}

// Dormant (no visit for the program's dormant_days) and about to be (within kWarnDays of it), not
// yet churned; by lifetime net spend. docs/reports.md "At-risk list".
Result<json> Service::staff_at_risk(const StaffPrincipal& who, const StaffAtRiskQuery& q) {
    return guarded<json>([&]() -> Result<json> {
        constexpr int kWarnDays = 14;
        auto role = access::role_from(who.role);
        if (!role) return err(ErrorCode::forbidden, "unknown role");
        const auto& pol = access::policy(*role);
        if (!pol.browse || pol.max_level < 2) return err(ErrorCode::forbidden, "this role reads no at-risk list");
        if (q.level > pol.max_level)
            return err(ErrorCode::forbidden,
                       "this role reads members at level " + std::to_string(pol.max_level) + " at most");
        if (q.level == 3 && (q.reason.empty() || q.reason.size() > 600))
            return err(ErrorCode::invalid_reason, "reason: required for level 3 (full name and phone)");
        const ZoneRules& z = impl_->zone;
        const SegmentRule& seg = impl_->program.segments;
        const UnixSeconds t = now();
        const CivilDate today = z.local_date(t);
        const int warn_from = std::max(1, seg.dormant_days - kWarnDays);
        const UnixSeconds last_before = z.start_of_day(add_days(today, -warn_from + 1));
        const UnixSeconds last_from = z.start_of_day(add_days(today, -seg.churned_days + 1));
        std::vector<std::string> scope_ids;
        bool all_stores = false;
        json members = json::array();
        impl_->store->read([&](ReadTx& tx) {
            auto stores = access::scope_stores(tx, who);
            all_stores = !stores;
            if (stores) scope_ids = *stores;
            for (const auto& r : tx.at_risk(stores, last_from, last_before, q.limit)) {
                auto m = tx.member_by_id(r.member_id);
                if (!m) continue;
                const auto days = days_from_civil(today) - days_from_civil(z.local_date(r.last_visit));
                json reach = json::array();
                for (const auto& s : tx.self().reach_of(r.member_id))
                    reach.push_back({{"kind", s.kind},
                                     {"at", format_rfc3339(s.at)},
                                     {"sent", s.message_id.has_value()},
                                     {"coupon", s.coupon_id.has_value()}});
                members.push_back({{"id", m->id},
                                   {"name", q.level >= 3 ? m->name : access::staff_mask_name(m->name)},
                                   {"phone", q.level >= 3 ? m->phone : access::staff_mask_phone(m->phone)},
                                   {"status", days >= seg.dormant_days ? "dormant" : "at_risk"},
                                   {"last_visit", format_rfc3339(r.last_visit)},
                                   {"days_since_visit", days},
                                   {"visits", r.visits},
                                   {"net_spend", r.net_spend},
                                   {"reach", reach}});
            }
        });
        Actor a = who.actor();
        impl_->store->write([&](WriteTx& tx) {
            json d = {{"level", q.level}, {"stores", scope_ids}, {"all_stores", all_stores}, {"count", members.size()}};
            if (q.level == 3) d["reason"] = q.reason;
            impl_->audit(tx, a, "read_at_risk", std::nullopt, d, t);
        });
        return json{{"as_of", format_date(today)},
                    {"level", q.level},
                    {"dormant_days", seg.dormant_days},
                    {"warn_days", kWarnDays},
                    {"members", members}};
    });
}

}  // namespace memberdesk::server
