// The snapshot's binary forms (core/src/snapshot_codec.cpp): random snapshots round-trip through
// the compact form and through the fixed-width form rows written before it hold; damaged bytes are
// refused, never misread; a member who buys daily gets a row a fraction of the old size. The
// snapshot == replay invariant over random histories is in snapshot_property_test.cpp (which also
// round-trips both forms after every write). Raw mt19937 output only (same sequences under g++
// and em++).
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "memberdesk/snapshot.hpp"
#include "test_rng.hpp"

using namespace memberdesk;

namespace snapshot_codec_test {

namespace {

struct Rng : mdtest::Rng {
    using mdtest::Rng::Rng;
    std::uint64_t bits64() { return (static_cast<std::uint64_t>(g()) << 32) | g(); }
    // Mostly realistic values, now and then the extremes and anything at all.
    std::int64_t value(std::int64_t typical) {
        switch (below(10)) {
            case 0: return std::numeric_limits<std::int64_t>::min();
            case 1: return std::numeric_limits<std::int64_t>::max();
            case 2: return static_cast<std::int64_t>(bits64());
            case 3: return -static_cast<std::int64_t>(below(1000));
            default: return typical + static_cast<std::int64_t>(below(100000));
        }
    }
    int small_int() { return chance(10) ? static_cast<int>(g()) : static_cast<int>(below(500)); }
    std::optional<std::int64_t> maybe(std::int64_t typical) {
        if (chance(30)) return std::nullopt;
        return value(typical);
    }
    // Strings that share prefixes with `prev` often, hold any byte now and then.
    std::string text(const std::string& prev) {
        std::string s;
        if (!prev.empty() && chance(60)) s = prev.substr(0, below(static_cast<std::uint32_t>(prev.size()) + 1));
        const std::uint32_t n = below(chance(5) ? 300 : 12);
        for (std::uint32_t i = 0; i < n; ++i)
            s.push_back(chance(10) ? static_cast<char>(g()) : static_cast<char>('0' + below(40)));
        return s;
    }
};

MemberState random_snapshot(Rng& r) {
    const std::int64_t t = 1700000000;
    MemberState s;
    s.member_id = r.value(1);
    s.joined_at = r.value(t);
    if (r.chance(50)) s.birthday = CivilDate{r.small_int(), r.small_int(), r.small_int()};
    s.tier.tier_id = r.text("");
    s.tier.since = r.value(t);
    s.tier.valid_until = r.maybe(t);
    s.debt = r.value(0);
    s.lifetime_earned = r.value(0);
    s.ledger_total = r.value(0);
    std::string prev;
    for (std::uint32_t i = 0, n = r.below(60); i < n; ++i) {
        Lot l;
        l.id = r.value(static_cast<std::int64_t>(i));
        l.original = r.value(10);
        l.remaining = r.value(10);
        l.earned_at = r.value(t);
        l.available_at = r.chance(70) ? l.earned_at : r.value(t);
        l.expires_at = r.maybe(t);
        l.source = prev = r.text(prev);
        if (r.chance(30)) l.merged = r.chance(90) ? 2 + r.below(1000) : std::numeric_limits<std::int64_t>::max();
        s.lots.push_back(l);
    }
    prev.clear();
    for (std::uint32_t i = 0, n = r.below(60); i < n; ++i) {
        Purchase pu;
        pu.txn_id = prev = r.text(prev);
        pu.amount = r.value(100);
        pu.refunded = r.chance(80) ? 0 : r.value(0);
        pu.at = r.value(t);
        pu.store = r.text(i ? s.purchases.back().store : "");
        pu.points = r.value(0);
        pu.tier_id = r.text(i ? s.purchases.back().tier_id : "");
        s.purchases.push_back(pu);
    }
    for (std::uint32_t i = 0, n = r.below(6); i < n; ++i) {
        Coupon c;
        c.id = r.value(1);
        c.code = r.text("");
        c.template_id = r.text("");
        c.terms.id = r.text(c.template_id);
        c.terms.kind = static_cast<CouponKind>(r.below(4));
        c.terms.amount = r.value(0);
        c.terms.threshold = r.value(0);
        c.terms.percent_off = r.small_int();
        c.terms.max_discount = r.value(0);
        c.terms.item = Text{r.text(""), r.text("")};
        c.terms.scope = Text{r.text(""), r.text("")};
        c.terms.min_spend = r.value(0);
        for (std::uint32_t j = 0, m = r.below(4); j < m; ++j) c.terms.stores.push_back(r.text(""));
        c.terms.validity.days = r.small_int();
        c.terms.validity.end_of_month = r.chance(50);
        c.source = static_cast<CouponSource>(r.below(8));
        c.state = static_cast<CouponState>(r.below(4));
        c.valid_from = r.value(t);
        c.valid_until = r.value(t);
        c.issued_at = r.value(t);
        c.used_at = r.maybe(t);
        c.used_txn = r.text("");
        c.used_store = r.text("");
        c.used_order_amount = r.value(0);
        c.used_discount = r.value(0);
        s.coupons.push_back(c);
    }
    prev.clear();
    for (std::uint32_t i = 0, n = r.below(8); i < n; ++i) s.issue_keys.push_back(prev = r.text(prev));
    PurchaseSummary& ep = s.earlier_purchases;
    ep.horizon = r.maybe(t);
    ep.count = r.value(0);
    for (std::uint32_t i = 0, n = r.below(30); i < n; ++i) ep.months.push_back(MonthSpend{r.small_int(), r.value(0)});
    if (r.chance(60)) ep.last = PurchaseRef{r.text(""), r.value(t)};
    ep.last_with_spend_at = r.maybe(t);
    s.earlier_coupons.used = r.value(0);
    s.earlier_coupons.expired = r.value(0);
    s.earlier_coupons.voided = r.value(0);
    s.lots_merged_at = r.maybe(t);
    return s;
}

// What a row of format 1 or 2 can hold: nothing merged.
MemberState without_merged(MemberState s) {
    for (auto& l : s.lots) l.merged = 0;
    s.lots_merged_at.reset();
    return s;
}

std::string difference_after(const std::string& bytes, const MemberState& want) {
    auto back = decode_snapshot(bytes);
    if (!back) return "refused: " + back.error().message;
    return state_difference(*back, want);
}

}  // namespace

TEST_CASE("random snapshots round-trip through the compact form and the older forms of rows") {
    Rng r(17);
    for (std::uint32_t i = 0; i < mdtest::runs(2000); ++i) {
        const MemberState s = random_snapshot(r);
        const MemberState old = without_merged(s);
        CAPTURE(i);
        const std::string compact = encode_snapshot(s), v2 = encode_snapshot_v2(old), fixed = encode_snapshot_v1(old);
        REQUIRE(compact.size() > 0);
        CHECK(static_cast<unsigned char>(compact[0]) == 3);
        CHECK(static_cast<unsigned char>(v2[0]) == 2);
        CHECK(static_cast<unsigned char>(fixed[0]) == 1);
        const std::string a = difference_after(compact, s), b = difference_after(fixed, old),
                          c = difference_after(v2, old);
        CHECK_MESSAGE(a.empty(), a);
        CHECK_MESSAGE(b.empty(), b);
        CHECK_MESSAGE(c.empty(), c);
        // Re-encoding a decoded row gives the same bytes: the form is canonical.
        CHECK(encode_snapshot(*decode_snapshot(compact)) == compact);
        CHECK(encode_snapshot(*decode_snapshot(fixed)) == encode_snapshot(old));
        CHECK(encode_snapshot(*decode_snapshot(v2)) == encode_snapshot(old));
    }
}

TEST_CASE("a merged count of one or a negative one is refused") {
    Rng r(31);
    int tried = 0;
    for (int i = 0; i < 200; ++i) {
        MemberState s = random_snapshot(r);
        if (s.lots.empty()) continue;
        ++tried;
        s.lots.front().merged = r.chance(50) ? 1 : -2;
        CHECK_FALSE(decode_snapshot(encode_snapshot(s)));
    }
    CHECK(tried > 100);
}

TEST_CASE("every truncation and any trailing byte of a compact snapshot is refused") {
    // One check per snapshot, not per prefix: doctest's bookkeeping per assertion would cost more
    // than the decoding (this test runs under ASan too).
    Rng r(23);
    for (std::uint32_t i = 0; i < mdtest::runs(60); ++i) {
        const MemberState s = random_snapshot(r);
        const std::string bytes = i % 2 ? encode_snapshot(s) : encode_snapshot_v2(without_merged(s));
        CAPTURE(i);
        std::vector<std::size_t> accepted_prefixes;
        for (std::size_t n = 0; n < bytes.size(); ++n)
            if (decode_snapshot(std::string_view(bytes).substr(0, n))) accepted_prefixes.push_back(n);
        CHECK(accepted_prefixes.empty());
        CHECK_FALSE(decode_snapshot(bytes + static_cast<char>(r.below(256))));
    }
}

TEST_CASE("damaged compact snapshots are refused or decode to a snapshot that encodes again") {
    Rng r(29);
    int refused = 0, decoded = 0;
    for (int i = 0; i < 2000; ++i) {
        std::string bytes = encode_snapshot(random_snapshot(r));
        for (std::uint32_t k = 0, n = 1 + r.below(4); k < n; ++k)
            bytes[r.below(static_cast<std::uint32_t>(bytes.size()))] = static_cast<char>(r.g());
        auto s = decode_snapshot(bytes);
        if (!s) {
            ++refused;
            continue;
        }
        ++decoded;
        const std::string d = difference_after(encode_snapshot(*s), *s);
        CHECK_MESSAGE(d.empty(), d);
    }
    CHECK(refused > 0);
    MESSAGE("damaged rows: " << refused << " refused, " << decoded << " decoded");
}

TEST_CASE("a year of daily purchases takes a fraction of the fixed-width form's bytes") {
    mdtest::Sim m;
    UnixSeconds now = mdtest::at("2025-01-01T04:00:00Z");
    for (int d = 0; d < 500; ++d, now += 86400)
        m.earn("POS-2025-" + std::to_string(100000 + d), 2800 + d % 7 * 100, now);
    const MemberState snap = snapshot_of(m.z, m.s, snapshot_horizon(m.p, m.z, now));
    REQUIRE(snap.purchases.size() > 300);
    REQUIRE(snap.lots.size() > 300);
    const std::string compact = encode_snapshot(snap), fixed = encode_snapshot_v1(snap);
    MESSAGE("lots " << snap.lots.size() << ", purchases " << snap.purchases.size() << ": compact " << compact.size()
                    << " bytes, fixed-width " << fixed.size() << " bytes (stored as hex: twice that)");
    CHECK(compact.size() * 4 < fixed.size());
    // A few bytes per listed lot and purchase.
    CHECK(compact.size() < 24 * (snap.lots.size() + snap.purchases.size()));
    CHECK(difference_after(compact, snap).empty());
}

TEST_CASE("a year of daily purchases keeps one merged lot per expiry month") {
    mdtest::Sim m;
    UnixSeconds now = mdtest::at("2025-01-01T04:00:00Z");
    for (int d = 0; d < 500; ++d, now += 86400)
        m.earn("POS-2025-" + std::to_string(100000 + d), 2800 + d % 7 * 100, now);
    const MemberState plain = snapshot_of(m.z, m.s, snapshot_horizon(m.p, m.z, now));
    const MemberState snap = snapshot_of(m.z, m.s, snapshot_horizon(m.p, m.z, now), now);
    Points sum = 0, plain_sum = 0;
    std::int64_t count = 0;
    for (const auto& l : snap.lots) {
        sum += l.remaining;
        count += l.merged > 0 ? l.merged : 1;
    }
    for (const auto& l : plain.lots) plain_sum += l.remaining;
    const std::string merged = encode_snapshot(snap), unmerged = encode_snapshot(plain);
    MESSAGE("open lots " << plain.lots.size() << " -> " << snap.lots.size() << " merged; row " << unmerged.size()
                         << " -> " << merged.size() << " bytes");
    CHECK(snap.lots.size() <= 14);  // about 13 expiry months
    CHECK(count == static_cast<std::int64_t>(plain.lots.size()));
    CHECK(sum == plain_sum);
    CHECK(merged.size() * 3 < unmerged.size() * 2);  // the listed purchases are the rest
    CHECK(difference_after(merged, snap).empty());
}

}  // namespace snapshot_codec_test
