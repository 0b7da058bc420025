// Reports from the daily report facts (docs/design.md "Report facts") give exactly the figures of
// the rows: the test server runs with ServiceOptions::check_report_facts, so every report below is
// computed both ways and answers 500 if they differ. The history is generated (fixed seed) over
// both regions, with back-dated purchases, partial and full refunds, coupons, surveys with and
// without a store, staff adjustments, a member who joins the East region late and an erasure.
#include <random>

#include "staff_fixture.hpp"
#include "storage/report_facts.hpp"
#include "test_server.hpp"

using namespace mdtest;

namespace report_facts_test {

namespace {

const char* const kStores[] = {"S001", "S002", "S101", "S102", ""};

std::string date_of(int day) {  // day 0 = 2026-01-05
    static const int kMonthDays[] = {31, 28, 31, 30, 31, 30};
    int m = 0, d = 5 + day;
    while (d > kMonthDays[m]) d -= kMonthDays[m++];
    char buf[32];
    std::snprintf(buf, sizeof buf, "2026-%02d-%02d", m + 1, d);
    return buf;
}

struct Generated {
    TestServer srv{[] {
        ServerOptions o;
        o.start = "2026-01-05T02:00:00Z";
        return o;
    }()};
    std::vector<std::string> phones;
    std::vector<std::int64_t> ids;
    std::vector<std::pair<std::string, std::int64_t>> purchases;  // txn, amount

    Generated() {
        make_chain(srv);
        std::mt19937 rng(20261203);
        auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
        int txn = 0, refund = 0;
        for (int day = 0; day < 120; day += 1 + pick(3)) {
            srv.set_clock(date_of(day) + "T0" + std::to_string(1 + pick(8)) + ":00:00Z");
            if (ids.size() < 4 || pick(4) == 0) {
                const std::string phone = "1380000" + std::to_string(1000 + ids.size());
                json b = {{"phone", phone}, {"pin", "123456"}, {"name", "M" + phone}};
                if (const std::string st = kStores[pick(5)]; !st.empty()) b["store"] = st;
                auto j = expect_status(srv.post("/api/v1/admin/members", b, admin()), 201);
                phones.push_back(phone);
                ids.push_back(j["id"].get<std::int64_t>());
            }
            for (int k = 0, n = 1 + pick(4); k < n; ++k) {
                const int who = pick(static_cast<int>(ids.size()));
                if (phones[static_cast<std::size_t>(who)] == "erased") continue;
                const int what = pick(10);
                if (what < 5) {
                    const std::string t = "T" + std::to_string(++txn);
                    const std::int64_t amount = 1000 + 500 * pick(20);
                    // Every fourth purchase is back-dated by up to 40 days (a till that was offline).
                    std::string store = kStores[pick(4)];
                    if (who == 0) store = "S101";  // member 0 buys in West only until day 60
                    if (who == 0 && day > 60) store = "S002";
                    json b = {{"txn_id", t}, {"member", phones[who]}, {"amount", amount}, {"store", store}};
                    if (pick(4) == 0) b["at"] = date_of(std::max(0, day - 1 - pick(40))) + "T03:00:00Z";
                    expect_status(srv.post("/api/v1/pos/purchases", b, pos()), 201);
                    purchases.emplace_back(t, amount);
                } else if (what == 5 && !purchases.empty()) {
                    auto& [t, left] = purchases[static_cast<std::size_t>(pick(static_cast<int>(purchases.size())))];
                    if (left == 0) continue;
                    const std::int64_t amount = pick(2) ? left : left / 2;
                    expect_status(
                        srv.post("/api/v1/pos/refunds",
                                 {{"txn_id", t}, {"refund_id", "R" + std::to_string(++refund)}, {"amount", amount}},
                                 pos()),
                        201);
                    left -= amount;
                } else if (what == 6) {
                    srv.adjust(ids[who], pick(2) ? 50 : -3);
                } else if (what == 7) {
                    const auto token = srv.login(phones[who]);
                    json b =
                        pick(3) == 0
                            ? json{{"rating", 1 + pick(5)}}
                            : json{
                                  {"scores",
                                   {{"product", 1 + pick(5)}, {"service", 1 + pick(5)}, {"environment", 1 + pick(5)}}}};
                    if (const std::string st = kStores[pick(5)]; !st.empty() && b.contains("scores")) b["store"] = st;
                    const auto r = srv.post("/api/v1/me/feedback", b, bearer(token));
                    REQUIRE(r);
                    CHECK((r->status == 201 || r->status == 409 || r->status == 429));
                } else if (what == 8) {
                    const auto token = srv.login(phones[who]);
                    auto wallet = srv.coupons(token, "available");
                    if (!wallet.empty())
                        srv.post("/api/v1/pos/coupons/redeem",
                                 {{"code", wallet[0]["code"]},
                                  {"order_amount", 30000},
                                  {"store", kStores[pick(4)]},
                                  {"txn_id", "C" + std::to_string(++txn)}},
                                 pos());
                } else {
                    expect_status(srv.post("/api/v1/admin/members/" + std::to_string(ids[who]) + "/coupons",
                                           {{"template", "spend_back_10"}}, admin()),
                                  201);
                }
            }
            if (day > 100 && ids.size() > 6 && phones[5] != "erased") {
                const auto token = srv.login(phones[5]);
                expect_status(srv.del("/api/v1/me?confirm=yes", bearer(token)), 204);
                phones[5] = "erased";
            }
        }
    }
};

}  // namespace

TEST_CASE("reports from the daily facts equal the reports from the rows for every scope, period and grouping") {
    Generated g;
    create_staff(g.srv, "head.office", "hq_admin");
    const auto token = staff_login(g.srv, "head.office");
    int asked = 0;
    for (const std::string scope : {"", "&region=E", "&region=W", "&store=S001", "&store=S002", "&store=S102"})
        for (const std::string period :
             {"from=2026-01-01&to=2026-01-31", "from=2026-02-01&to=2026-02-28", "from=2026-02-10&to=2026-03-17",
              "from=2026-03-01&to=2026-05-31", "from=2026-04-20&to=2026-04-20"})
            for (const std::string group : {"", "&group=week", "&group=month"}) {
                INFO(period << scope << group);
                const json r =
                    expect_status(g.srv.get("/api/v1/staff/reports?" + period + scope + group, bearer(token)), 200);
                CHECK(r["members"]["total"].get<int>() >= 0);
                ++asked;
            }
    CHECK(asked == 90);
    // The history is not empty where it matters.
    const json all =
        expect_status(g.srv.get("/api/v1/staff/reports?from=2026-01-01&to=2026-05-31", bearer(token)), 200);
    CHECK(all["visits"].get<int>() > 20);
    CHECK(all["members"]["active"].get<int>() > 4);
    CHECK(all["survey"]["answers"].get<int>() > 0);
    CHECK(all["coupons"]["used"].get<int>() > 0);
}

TEST_CASE("a region manager's report from the facts equals the rows' report, the series included") {
    Generated g;
    create_staff(g.srv, "east.lead", "region_manager", "", "E");
    create_staff(g.srv, "s002.lead", "store_manager", "S002");
    for (const std::string user : {"east.lead", "s002.lead"}) {
        const auto token = staff_login(g.srv, user);
        const json r = expect_status(
            g.srv.get("/api/v1/staff/reports?from=2026-02-01&to=2026-04-30&group=week", bearer(token)), 200);
        CHECK(r["series"].size() == 14);  // 02-01 (a Sunday), 12 whole weeks, 04-27..04-30
        CHECK(r["members"]["total"].get<int>() > 0);
    }
}

TEST_CASE("a new visit changes the same gap rows from its neighbours alone as from the member's whole chain") {
    using namespace memberdesk::server;
    std::mt19937 rng(20261204);
    int checked = 0;
    for (int round = 0; round < 2000; ++round) {
        std::vector<std::int64_t> days(rng() % 12);
        for (auto& d : days) d = static_cast<std::int64_t>(rng() % 40);  // repeats: two visits a day
        std::sort(days.begin(), days.end());
        const auto x = static_cast<std::int64_t>(rng() % 44) - 2;
        // Whole chains: rows with x, minus rows without it.
        facts::Gaps whole;
        auto with = days;
        with.push_back(x);
        facts::add_chain(whole, with, 1);
        facts::add_chain(whole, days, -1);
        for (auto it = whole.begin(); it != whole.end();) it = it->second == 0 ? whole.erase(it) : std::next(it);
        // Neighbours: the two days at or before x and the two after it.
        const auto split = std::upper_bound(days.begin(), days.end(), x);
        std::vector<std::int64_t> before(split - std::min<std::ptrdiff_t>(2, split - days.begin()), split);
        std::vector<std::int64_t> after(split, split + std::min<std::ptrdiff_t>(2, days.end() - split));
        facts::Gaps local;
        facts::add_visit(local, before, x, after);
        CHECK(local == whole);
        checked += local == whole;
    }
    CHECK(checked == 2000);
}

}  // namespace report_facts_test
