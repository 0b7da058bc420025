// The kiosk's History tab against a fake API, read through the mirror: the ledger's rows (reason,
// points, date, store) in pages with Previous / Next, the next ledger page loaded when a page needs
// it, the filters (spent and expired ask the API for one type), the redemption history, and
// nothing of it left after sign-out.
#include <doctest/doctest.h>

#include <set>

#include "kiosk_harness.hpp"

using namespace mdtest;

namespace kiosk_history_test {

namespace {

// `n` ledger entries with ids from `first` down, alternating earn / redeem / expire.
json entries_json(int first, int n, bool more) {
    json a = json::array();
    for (int i = 0; i < n; ++i) {
        const int id = first - i;
        const char* type = id % 3 == 0 ? "expire" : id % 3 == 1 ? "earn" : "redeem";
        const int pts = id % 3 == 1 ? id : -id;
        a.push_back(json{{"id", id},
                         {"type", type},
                         {"points", pts},
                         {"balance_after", 1000 + id},
                         {"reason", json{{"en", "Entry " + std::to_string(id)}, {"zh", "记录 " + std::to_string(id)}}},
                         {"created_at", "2026-03-15T04:12:00Z"},
                         {"store", id % 3 == 1 ? "S001" : ""}});
    }
    return json{{"entries", a}, {"next_cursor", more ? json("CUR" + std::to_string(first - n)) : json(nullptr)}};
}

void open_history(KioskHarness& h) {
    h.sign_in_keypad();
    h.click("kiosk.tab.history");
    REQUIRE(h.http.waiting("GET /api/v1/me/ledger") == 1);
}

}  // namespace

TEST_CASE("kiosk history: the tab shows the ledger's reason, points, date and store in large rows") {
    KioskHarness h;
    open_history(h);
    CHECK(h.has("kiosk.history.loading"));
    REQUIRE(h.answer("GET /api/v1/me/ledger", 200, ledger_json()));
    REQUIRE(h.has("kiosk.history.rows"));
    CHECK(h.label("kiosk.history.entry.91.reason") == "Points for a ¥128 purchase");
    CHECK(h.label("kiosk.history.entry.91.points") == "+12 points");
    CHECK(h.label("kiosk.history.entry.91.meta").find("S001") != std::string::npos);
    CHECK(h.label("kiosk.history.entry.91.meta").find("2026") != std::string::npos);
    CHECK(h.label("kiosk.history.entry.90.points") == "-500 points");
    CHECK(h.label("kiosk.history.where") == "Page 1 of 1");
    CHECK(h.node("kiosk.history.prev")->disabled);
    CHECK(h.node("kiosk.history.next")->disabled);
    CHECK(h.node("kiosk.tab.history")->current);
}

TEST_CASE("kiosk history: Next pages through the rows and loads the next ledger page when it needs it") {
    KioskHarness h;
    open_history(h);
    REQUIRE(h.answer("GET /api/v1/me/ledger", 200, entries_json(40, 20, true)));
    const int rows = h.app().ui_state().history_rows;
    REQUIRE(rows >= 1);
    CHECK(h.has("kiosk.history.entry.40.reason"));
    CHECK_FALSE(h.node("kiosk.history.next")->disabled);
    CHECK(h.node("kiosk.history.prev")->disabled);
    // Click Next until the loaded 20 rows run short: the kiosk asks for the next page by itself.
    int pages = 0;
    while (h.http.waiting("GET /api/v1/me/ledger") == 0 && pages < 25) {
        h.click("kiosk.history.next");
        ++pages;
    }
    REQUIRE(h.http.waiting("GET /api/v1/me/ledger?") == 1);
    CHECK(h.http.pending.back().request.url.find("cursor=CUR20") != std::string::npos);
    CHECK(h.has("kiosk.history.entry." + std::to_string(40 - pages * rows) + ".reason"));
    REQUIRE(h.answer("GET /api/v1/me/ledger", 200, entries_json(20, 20, false)));
    CHECK_FALSE(h.node("kiosk.history.prev")->disabled);
    h.click("kiosk.history.prev");
    CHECK(h.app().ui_state().history_page == pages - 1);
    CHECK(h.has("kiosk.history.entry." + std::to_string(40 - (pages - 1) * rows) + ".reason"));
}

TEST_CASE("kiosk history: spent and expired ask the API for their type; earned filters what arrives") {
    KioskHarness h;
    open_history(h);
    REQUIRE(h.answer("GET /api/v1/me/ledger", 200, entries_json(9, 9, false)));
    h.click("kiosk.history.filter.spent");
    REQUIRE(h.http.waiting("GET /api/v1/me/ledger") == 1);
    CHECK(h.http.pending.back().request.url.find("type=redeem") != std::string::npos);
    REQUIRE(h.answer("GET /api/v1/me/ledger", 200, ledger_json()));
    CHECK(h.has("kiosk.history.entry.90.reason"));
    CHECK_FALSE(h.has("kiosk.history.entry.91.reason"));  // an earn entry is not spent
    CHECK(h.node("kiosk.history.filter.spent")->current);

    h.click("kiosk.history.filter.expired");
    CHECK(h.http.pending.back().request.url.find("type=expire") != std::string::npos);
    REQUIRE(h.answer("GET /api/v1/me/ledger", 200, json{{"entries", json::array()}, {"next_cursor", nullptr}}));
    CHECK(h.label("kiosk.history.empty") == "Nothing here yet.");

    h.click("kiosk.history.filter.earned");
    CHECK(h.http.pending.back().request.url.find("type=") == std::string::npos);
    REQUIRE(h.answer("GET /api/v1/me/ledger", 200, entries_json(9, 9, false)));
    // Every page, Next until the end: the earn entries and nothing else.
    std::set<int> shown;
    for (int page = 0; page < 10; ++page) {
        for (int id = 1; id <= 9; ++id)
            if (h.has("kiosk.history.entry." + std::to_string(id) + ".reason")) shown.insert(id);
        if (h.node("kiosk.history.next")->disabled) break;
        h.click("kiosk.history.next");
    }
    CHECK(shown == std::set<int>{1, 4, 7});
}

TEST_CASE("kiosk history: rewards redeemed come from the redemption history") {
    KioskHarness h;
    open_history(h);
    REQUIRE(h.answer("GET /api/v1/me/ledger", 200, ledger_json()));
    h.click("kiosk.history.filter.redemptions");
    REQUIRE(h.answer("GET /api/v1/me/redemptions", 200, json{{"redemptions", json::array({redemption_json()})}}));
    CHECK(h.label("kiosk.history.redemption.3.reason") == "Premium coffee");
    CHECK(h.label("kiosk.history.redemption.3.points") == "-500 points");
}

TEST_CASE("kiosk history: sign-out leaves no history row in the state or the mirror") {
    KioskHarness h;
    open_history(h);
    REQUIRE(h.answer("GET /api/v1/me/ledger", 200, ledger_json()));
    REQUIRE(h.has("kiosk.history.entry.91.reason"));
    h.click("kiosk.done");
    h.frames(2);
    CHECK_FALSE(h.shell().state().ledger.has());
    CHECK(h.text().find("Points for a") == std::string::npos);
    CHECK(h.app().ui_state().tab == kiosk::MemberTab::overview);
    CHECK(h.app().ui_state().history_page == 0);
}

}  // namespace kiosk_history_test
