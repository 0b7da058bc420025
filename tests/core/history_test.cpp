// The kiosk History tab's view model (memberdesk/history.hpp): what each filter keeps, which API
// query it uses, and how rows fall into pages while more ledger pages may still arrive.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "memberdesk/history.hpp"

using namespace memberdesk;

namespace history_test {

namespace {

LedgerEntryView entry(std::int64_t id, const std::string& type, Points points) {
    LedgerEntryView e;
    e.id = id;
    e.type = type;
    e.points = points;
    e.reason = Text{"原因" + std::to_string(id), "reason " + std::to_string(id)};
    e.created_at = "2026-03-" + std::string(id < 10 ? "0" : "") + std::to_string(id) + "T04:00:00Z";
    e.store = "S00" + std::to_string(id % 3);
    return e;
}

// Newest first, as the API sends them: ids n..1, a mix of every kind.
std::vector<LedgerEntryView> ledger(int n) {
    static const char* types[] = {"earn", "redeem", "bonus", "expire", "adjust", "clawback"};
    std::vector<LedgerEntryView> out;
    for (int i = n; i >= 1; --i) {
        const std::string t = types[i % 6];
        const bool negative = t == "redeem" || t == "expire" || t == "clawback" || (t == "adjust" && i % 4 == 0);
        out.push_back(entry(i, t, negative ? -10 * i : 10 * i));
    }
    return out;
}

std::vector<std::string> ids(const HistoryPage& p) {
    std::vector<std::string> out;
    for (const auto& r : p.rows) out.push_back(r.id);
    return out;
}

}  // namespace

TEST_CASE("history: earned keeps every entry that added points, spent the redemptions, expired the expiries") {
    CHECK(history_keeps(HistoryFilter::earned, entry(1, "earn", 12)));
    CHECK(history_keeps(HistoryFilter::earned, entry(1, "bonus", 50)));
    CHECK(history_keeps(HistoryFilter::earned, entry(1, "adjust", 5)));
    CHECK_FALSE(history_keeps(HistoryFilter::earned, entry(1, "adjust", -5)));
    CHECK_FALSE(history_keeps(HistoryFilter::earned, entry(1, "clawback", -5)));
    CHECK(history_keeps(HistoryFilter::spent, entry(1, "redeem", -500)));
    CHECK_FALSE(history_keeps(HistoryFilter::spent, entry(1, "expire", -5)));
    CHECK(history_keeps(HistoryFilter::expired, entry(1, "expire", -5)));
    CHECK_FALSE(history_keeps(HistoryFilter::expired, entry(1, "earn", 5)));
    CHECK(history_keeps(HistoryFilter::all, entry(1, "debt_settle", -3)));
    CHECK_FALSE(history_keeps(HistoryFilter::redemptions, entry(1, "earn", 5)));
}

TEST_CASE("history: spent and expired ask the API for their one type, earned and all ask for everything") {
    CHECK(history_ledger_type(HistoryFilter::spent) == "redeem");
    CHECK(history_ledger_type(HistoryFilter::expired) == "expire");
    CHECK(history_ledger_type(HistoryFilter::earned).empty());
    CHECK(history_ledger_type(HistoryFilter::all).empty());
}

TEST_CASE("history: a complete ledger falls into pages of the given size, newest first, with prev and next") {
    const auto l = ledger(12);
    HistoryPage p0 = build_history_page(l, false, {}, HistoryFilter::all, 0, 5);
    CHECK(ids(p0) == std::vector<std::string>{"entry.12", "entry.11", "entry.10", "entry.9", "entry.8"});
    CHECK(p0.pages_known == 3);
    CHECK_FALSE(p0.has_prev);
    CHECK(p0.has_next);
    CHECK(p0.complete);
    CHECK_FALSE(p0.need_more);
    HistoryPage p2 = build_history_page(l, false, {}, HistoryFilter::all, 2, 5);
    CHECK(ids(p2) == std::vector<std::string>{"entry.2", "entry.1"});
    CHECK(p2.has_prev);
    CHECK_FALSE(p2.has_next);
    // Past the end of a complete list: the last page.
    HistoryPage p9 = build_history_page(l, false, {}, HistoryFilter::all, 9, 5);
    CHECK(p9.page == 2);
    CHECK(ids(p9) == ids(p2));
}

TEST_CASE("history: a row carries the entry's reason, points, date and store") {
    const auto l = ledger(3);
    HistoryPage p = build_history_page(l, false, {}, HistoryFilter::all, 0, 5);
    REQUIRE(p.rows.size() == 3);
    CHECK(p.rows[0].type == l[0].type);
    CHECK(p.rows[0].points == l[0].points);
    CHECK(p.rows[0].reason == l[0].reason);
    CHECK(p.rows[0].at == l[0].created_at);
    CHECK(p.rows[0].store == l[0].store);
}

TEST_CASE("history: the earned filter pages over matching rows only") {
    const auto l = ledger(30);
    HistoryPage p = build_history_page(l, false, {}, HistoryFilter::earned, 0, 4);
    REQUIRE(p.rows.size() == 4);
    for (const auto& r : p.rows) CHECK(r.points > 0);
    int matching = 0;
    for (const auto& e : l) matching += history_keeps(HistoryFilter::earned, e) ? 1 : 0;
    CHECK(p.pages_known == (matching + 3) / 4);
}

TEST_CASE("history: while the API has more pages, a page short of rows asks for more and keeps next open") {
    const auto l = ledger(6);  // 6 loaded, more on the server
    HistoryPage p0 = build_history_page(l, true, {}, HistoryFilter::all, 0, 5);
    CHECK(p0.rows.size() == 5);
    CHECK(p0.need_more);  // the next page has only one loaded row
    CHECK(p0.has_next);
    CHECK_FALSE(p0.complete);
    HistoryPage p3 = build_history_page(l, true, {}, HistoryFilter::all, 3, 5);
    CHECK(p3.page == 3);  // kept: its rows may still arrive
    CHECK(p3.rows.empty());
    CHECK(p3.need_more);
    // Enough rows loaded for this page and the next: nothing more needed yet.
    CHECK_FALSE(build_history_page(ledger(10), true, {}, HistoryFilter::all, 0, 5).need_more);
}

TEST_CASE("history: the redemptions filter lists rewards with the points they took, all on one request") {
    RedemptionView r;
    r.id = 3;
    r.reward_name = Text{"精品咖啡", "Premium coffee"};
    r.points = 500;
    r.created_at = "2026-03-15T04:12:00Z";
    HistoryPage p = build_history_page(ledger(4), true, {r}, HistoryFilter::redemptions, 0, 5);
    REQUIRE(p.rows.size() == 1);
    CHECK(p.rows[0].id == "redemption.3");
    CHECK(p.rows[0].points == -500);
    CHECK(p.rows[0].reason.en == "Premium coffee");
    CHECK(p.complete);
    CHECK_FALSE(p.need_more);
    CHECK_FALSE(p.has_next);
}

TEST_CASE("history: an empty history is one empty page without prev or next") {
    HistoryPage p = build_history_page({}, false, {}, HistoryFilter::expired, 0, 5);
    CHECK(p.rows.empty());
    CHECK(p.page == 0);
    CHECK(p.pages_known == 0);
    CHECK_FALSE(p.has_prev);
    CHECK_FALSE(p.has_next);
}

}  // namespace history_test
