// Daily report facts (docs/design.md "Report facts"): what a staff report sums instead of reading
// rows. A *unit* is what a report's scope can be: "*" (every store), "s:<store>", "r:<region>".
// unit_day_facts holds per unit and local day the sums of docs/reports.md; member_units says which
// units count a member's points, coupons and store-less answers (joined or bought at one of the
// unit's stores); unit_visit_gaps holds, per unit and day, each visit's distance in days to the
// member's previous and second-previous visit in that unit, from which active, repeat and retained
// members of any span are counted without reading purchases. These helpers are pure.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "memberdesk/ledger.hpp"

namespace memberdesk::server::facts {

enum Col {
    joined,
    erased,
    pts_issued,
    pts_redeemed,
    pts_expired,
    pts_clawed,
    pts_net,
    coupons_issued,
    coupons_used,
    visits,
    net_spend,
    answers,
    rating_sum,
    dims,
    product_sum,
    service_sum,
    environment_sum,
    kCols
};
inline const char* const kColNames[kCols] = {
    "joined",     "erased",         "pts_issued",   "pts_redeemed", "pts_expired",    "pts_clawed",
    "pts_net",    "coupons_issued", "coupons_used", "visits",       "net_spend",      "answers",
    "rating_sum", "dims",           "product_sum",  "service_sum",  "environment_sum"};

struct Facts {
    std::array<std::int64_t, kCols> v{};
    bool empty() const {
        return std::all_of(v.begin(), v.end(), [](std::int64_t x) { return x == 0; });
    }
    Facts& operator+=(const Facts& o) {
        for (int i = 0; i < kCols; ++i) v[i] += o.v[i];
        return *this;
    }
};

// A gap to a visit that does not exist (the member's first or second visit in the unit).
constexpr std::int64_t kNoGap = std::int64_t{1} << 30;

inline Facts entry_facts(EntryType type, Points points) {
    Facts f;
    f.v[pts_net] = points;
    switch (type) {
        case EntryType::earn:
        case EntryType::bonus: f.v[pts_issued] = points; break;
        case EntryType::adjust:
            if (points > 0)
                f.v[pts_issued] = points;
            else
                f.v[pts_clawed] = -points;
            break;
        case EntryType::redeem: f.v[pts_redeemed] = -points; break;
        case EntryType::expire: f.v[pts_expired] = -points; break;
        case EntryType::clawback: f.v[pts_clawed] = -points; break;
        case EntryType::debt_settle: break;
    }
    return f;
}

inline Facts purchase_facts(Cents amount, Cents refunded) {
    Facts f;
    if (refunded >= amount) return f;  // fully refunded: no visit
    f.v[visits] = 1;
    f.v[net_spend] = amount - refunded;
    return f;
}

inline Facts answer_facts(int rating, const std::optional<int>& product, const std::optional<int>& service,
                          const std::optional<int>& environment) {
    Facts f;
    f.v[answers] = 1;
    f.v[rating_sum] = rating;
    if (product && service && environment) {
        f.v[dims] = 1;
        f.v[product_sum] = *product;
        f.v[service_sum] = *service;
        f.v[environment_sum] = *environment;
    }
    return f;
}

// (day, gap1, gap2) -> count.
using Gaps = std::map<std::tuple<std::int64_t, std::int64_t, std::int64_t>, std::int64_t>;

// Adds (sign +1) or removes (-1) the gap rows of one member's visit days in one unit.
inline void add_chain(Gaps& g, std::vector<std::int64_t> days, std::int64_t sign) {
    std::sort(days.begin(), days.end());
    for (std::size_t i = 0; i < days.size(); ++i) {
        const std::int64_t g1 = i >= 1 ? days[i] - days[i - 1] : kNoGap;
        const std::int64_t g2 = i >= 2 ? days[i] - days[i - 2] : kNoGap;
        g[{days[i], g1, g2}] += sign;
    }
}

// The gap rows that change when one visit on day `x` joins a member's chain in one unit, from its
// neighbours alone: `before` = up to two visit days at or before it, `after` = up to two after it
// (both ascending; fewer means there are no more). A row further on keeps its two predecessors, so
// the result equals add_chain(days + x, +1) and add_chain(days, -1) together, at a cost that does not
// grow with the member's history.
inline void add_visit(Gaps& g, const std::vector<std::int64_t>& before, std::int64_t x,
                      const std::vector<std::int64_t>& after) {
    auto rows = [&g](const std::vector<std::int64_t>& seq, std::size_t from, std::int64_t sign) {
        for (std::size_t i = from; i < seq.size(); ++i) {
            const std::int64_t g1 = i >= 1 ? seq[i] - seq[i - 1] : kNoGap;
            const std::int64_t g2 = i >= 2 ? seq[i] - seq[i - 2] : kNoGap;
            g[{seq[i], g1, g2}] += sign;
        }
    };
    std::vector<std::int64_t> without = before;
    without.insert(without.end(), after.begin(), after.end());
    std::vector<std::int64_t> with = before;
    with.push_back(x);
    with.insert(with.end(), after.begin(), after.end());
    rows(without, before.size(), -1);
    rows(with, before.size(), 1);
    for (auto it = g.begin(); it != g.end();) it = it->second == 0 ? g.erase(it) : std::next(it);
}

// The units a purchase, an answer or a joining at `store` counts in ("" = no store: only "*").
inline std::vector<std::string> store_units(const std::string& store, const std::string& region) {
    std::vector<std::string> out{"*"};
    if (store.empty()) return out;
    out.push_back("s:" + store);
    if (!region.empty()) out.push_back("r:" + region);
    return out;
}

}  // namespace memberdesk::server::facts
