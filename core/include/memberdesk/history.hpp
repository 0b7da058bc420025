// The kiosk's History tab as a view model (pure): which rows of the points ledger and the
// redemption history a filter keeps, and how they fall into pages of a fixed size. The screen only
// draws a HistoryPage; the kiosk mode asks for more ledger pages when a page is not loaded yet.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "memberdesk/views.hpp"

namespace memberdesk {

enum class HistoryFilter { all, earned, spent, expired, redemptions };
const char* to_string(HistoryFilter f);

// Earned: every entry that added points (purchases, bonuses, positive adjustments). Spent: points
// redeemed for rewards. Expired: expiry entries. All: every ledger entry. Redemptions: no ledger
// entry (the rows come from the redemption history).
bool history_keeps(HistoryFilter f, const LedgerEntryView& e);

// The `type` query of GET /me/ledger that gives exactly the filter's rows when one type does
// ("redeem", "expire"); "" = unfiltered (the filter is applied to what arrives).
std::string history_ledger_type(HistoryFilter f);

struct HistoryRow {
    std::string id;    // "entry.<id>" or "redemption.<id>"
    std::string type;  // ledger entry type, or "redemption"
    Points points = 0;
    Text reason;  // the ledger's reason, or the reward's name
    std::string at;
    std::string store;  // "" when unknown (redemptions)
};

struct HistoryPage {
    std::vector<HistoryRow> rows;  // at most page_size
    int page = 0;                  // 0-based, clamped into what exists
    int pages_known = 0;           // full or partial pages among the rows loaded so far
    bool has_prev = false, has_next = false;
    // More ledger rows must be loaded before this page (or the next one) can be drawn complete.
    bool need_more = false;
    bool complete = false;  // every matching row is loaded
};

// `entries` are the ledger rows loaded so far (newest first), `more_available` whether the API
// has a next page; `redemptions` the whole redemption history (one request).
HistoryPage build_history_page(const std::vector<LedgerEntryView>& entries, bool more_available,
                               const std::vector<RedemptionView>& redemptions, HistoryFilter f, int page,
                               int page_size);

}  // namespace memberdesk
