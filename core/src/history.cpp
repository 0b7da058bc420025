#include "memberdesk/history.hpp"

#include <algorithm>

namespace memberdesk {

const char* to_string(HistoryFilter f) {
    switch (f) {
        case HistoryFilter::all: return "all";
        case HistoryFilter::earned: return "earned";
        case HistoryFilter::spent: return "spent";
        case HistoryFilter::expired: return "expired";
        case HistoryFilter::redemptions: return "redemptions";
    }
    return "all";
}

bool history_keeps(HistoryFilter f, const LedgerEntryView& e) {
    switch (f) {
        case HistoryFilter::all: return true;
        case HistoryFilter::earned: return e.points > 0 && e.type != "expire" && e.type != "redeem";
        case HistoryFilter::spent: return e.type == "redeem";
        case HistoryFilter::expired: return e.type == "expire";
        case HistoryFilter::redemptions: return false;
    }
    return false;
}

std::string history_ledger_type(HistoryFilter f) {
    switch (f) {
        case HistoryFilter::spent: return "redeem";
        case HistoryFilter::expired: return "expire";
        default: return "";
    }
}

HistoryPage build_history_page(const std::vector<LedgerEntryView>& entries, bool more_available,
                               const std::vector<RedemptionView>& redemptions, HistoryFilter f, int page,
                               int page_size) {
    HistoryPage out;
    page_size = std::max(1, page_size);
    std::vector<HistoryRow> all;
    if (f == HistoryFilter::redemptions) {
        more_available = false;  // one request gives the whole redemption history
        for (const auto& r : redemptions)
            all.push_back(
                {"redemption." + std::to_string(r.id), "redemption", -r.points, r.reward_name, r.created_at, ""});
    } else {
        for (const auto& e : entries)
            if (history_keeps(f, e))
                all.push_back({"entry." + std::to_string(e.id), e.type, e.points, e.reason, e.created_at, e.store});
    }
    const auto n = static_cast<std::int64_t>(all.size());
    const std::int64_t size = page_size;
    out.complete = !more_available;
    out.pages_known = static_cast<int>((n + size - 1) / size);
    // A page past the loaded rows is kept only while more may arrive; else the last page is shown.
    const int last = std::max(0, out.pages_known - 1);
    out.page = std::max(0, page);
    if (out.complete && out.page > last) out.page = last;
    const std::int64_t begin = out.page * size, end = std::min(n, begin + size);
    for (std::int64_t i = begin; i < end; ++i) out.rows.push_back(all[static_cast<std::size_t>(i)]);
    out.has_prev = out.page > 0;
    out.has_next = n > end || more_available;
    // Rows for this page and the next, so Next shows a full page at once.
    out.need_more = more_available && n < begin + 2 * size;
    return out;
}

}  // namespace memberdesk
