// dump_view writes MeView and LedgerPageView byte for byte as nlohmann::json(view).dump() does, and
// dump_ledger_page writes a page's entries as dump_view writes their views: random views and entries
// with every optional field sometimes set and strings full of escapes, CJK, emoji and long ASCII runs.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "memberdesk/views.hpp"

using namespace memberdesk;

namespace view_json_test {
using nlohmann::json;

namespace {

struct Gen {
    std::mt19937_64 rng;
    explicit Gen(std::uint64_t seed) : rng(seed) {}

    int pick(int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); }
    bool coin() { return pick(2) == 0; }
    std::int64_t number() {
        switch (pick(4)) {
            case 0: return 0;
            case 1: return pick(1000);
            case 2: return -pick(100000);
            default: return static_cast<std::int64_t>(rng());  // any int64
        }
    }
    std::string str() {
        static const char* const parts[] = {"a",    "Z",    " ",    "\"",   "\\",    "/", "\n", "\r", "\t", "\b", "\f",
                                            "\x01", "\x1f", "\x7f", "积分", "王*明", "😀", "é",  "¥",  "0",  "<",  "&"};
        // Runs of eight plain bytes and more, and three-byte sequences next to the special cases.
        static const char* const longer[] = {"Earned for a purchase of ", "消费¥37获得积分", "\xed\x9f\xbf",
                                             "\xe0\xa0\x80"};
        std::string s;
        const int n = pick(12);
        for (int i = 0; i < n; ++i)
            s += coin() ? parts[pick(static_cast<int>(std::size(parts)))]
                        : longer[pick(static_cast<int>(std::size(longer)))];
        return s;
    }
    Text text() { return Text{str(), str()}; }
    std::optional<std::string> opt_str() { return coin() ? std::optional<std::string>(str()) : std::nullopt; }

    MeView me() {
        MeView v;
        v.profile = ProfileView{number(), str(), str(), opt_str(), str()};
        v.points.balance = number();
        v.points.pending = number();
        v.points.lifetime_earned = number();
        v.points.expiring_soon = number();
        v.points.debt = number();
        v.points.next_expiry = opt_str();
        v.tier.id = str();
        v.tier.name = text();
        v.tier.multiplier_percent = pick(300);
        v.tier.valid_until = opt_str();
        for (int i = pick(4); i > 0; --i) v.tier.benefits.push_back(text());
        v.tier.percent = pick(101);
        if (coin()) v.tier.next = NextTierView{str(), text(), number(), pick(13), text()};
        v.tier.keep_requirement = text();
        v.coupons = CouponCountsView{pick(50), pick(50), pick(50), pick(50)};
        for (int i = pick(4); i > 0; --i) v.offers.push_back(OfferView{str(), text(), text(), str()});
        return v;
    }
    LedgerPageView page() {
        LedgerPageView v;
        for (int i = pick(6); i > 0; --i)
            v.entries.push_back(LedgerEntryView{number(), str(), number(), number(), text(), str(), opt_str(), str()});
        v.next_cursor = opt_str();
        return v;
    }
    LedgerEntry entry() {
        LedgerEntry e;
        e.id = number();
        e.type = static_cast<EntryType>(pick(static_cast<int>(EntryType::debt_settle) + 1));
        e.points = number();
        e.balance_after = number();
        e.reason = text();
        // Mostly this century; sometimes far outside years 0..9999 (format_rfc3339's other branch).
        auto instant = [&]() -> UnixSeconds {
            return pick(8) == 0 ? number() / 1000 : 946684800 + static_cast<UnixSeconds>(rng() % 3000000000ULL);
        };
        e.created_at = instant();
        if (coin()) e.expires_at = instant();
        e.store = str();
        e.ref = str();
        return e;
    }
};

}  // namespace

// n random views from make(g): dump_view gives exactly json(v).dump() for each.
template <class Make>
void check_random_views(std::uint64_t seed, Make make) {
    Gen g(seed);
    for (int i = 0; i < 2000; ++i) {
        const auto v = make(g);
        auto text = dump_view(v);
        REQUIRE(text);
        REQUIRE(*text == json(v).dump());
    }
}

TEST_CASE("dump_view writes a member summary exactly as the JSON codec does") {
    check_random_views(20261130, [](Gen& g) { return g.me(); });
}

TEST_CASE("dump_view writes a ledger page exactly as the JSON codec does") {
    check_random_views(7, [](Gen& g) { return g.page(); });
    CHECK(dump_view(LedgerPageView{}) == std::optional<std::string>("{\"entries\":[]}"));
}

TEST_CASE("dump_ledger_page writes a page's entries exactly as dump_view writes their views") {
    Gen g(17);
    for (int i = 0; i < 2000; ++i) {
        std::vector<LedgerEntry> entries;
        for (int k = g.pick(6); k > 0; --k) entries.push_back(g.entry());
        const auto cursor = g.opt_str();
        LedgerPageView v;
        for (const auto& e : entries) v.entries.push_back(build_ledger_entry_view(e));
        v.next_cursor = cursor;
        auto text = dump_ledger_page(entries, cursor);
        REQUIRE(text);
        REQUIRE(text == dump_view(v));
        REQUIRE(*text == json(v).dump());
    }
}

TEST_CASE("dump_view refuses strings that are not valid UTF-8") {
    for (const char* bad : {"\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\xe4\xb8",
                            "\xe4\x41\x80", "\xe0\x80\x80", "a long ASCII run, then\xe4\xb8\x41", "eight ok\xff"}) {
        LedgerEntry e;
        e.reason = Text{"ok", bad};
        CHECK_FALSE(dump_ledger_page({e}, std::nullopt));
        LedgerPageView p;
        p.entries.push_back(LedgerEntryView{1, "earn", 1, 1, Text{"ok", bad}, "t", std::nullopt, "s"});
        CHECK_FALSE(dump_view(p));
        MeView m;
        m.profile.name = bad;
        CHECK_FALSE(dump_view(m));
    }
    // The longest valid sequences pass.
    MeView m;
    m.profile.name = "\xf4\x8f\xbf\xbf\xef\xbf\xbf\xed\x9f\xbf";
    CHECK(dump_view(m) == json(m).dump());
}

}  // namespace view_json_test
