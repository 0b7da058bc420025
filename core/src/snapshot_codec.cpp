// Binary forms of a member snapshot (storage column).
//
// Format 2 (written): one version byte, then LEB128 varints (signed values zigzag-coded). Lists
// sorted by id or time store each id and time as the difference from the previous item's, other
// times as the difference from a related one (available_at from earned_at, ...), and each string as
// (bytes shared with the same field of the previous item, length of the rest, the rest): a lot's
// "purchase:T..." source or a purchase's store then takes two or three bytes.
//
// Format 3 (written): format 2 plus, after each lot, its merged count (0, or 2 and more), and at the
// end lots_merged_at (an optional from joined_at). Format 2 rows decode with nothing merged.
//
// Format 1 (read only: rows written before format 2): little-endian 8-byte integers, strings as an
// 8-byte length and the bytes, the version as the first 8-byte integer (first byte 1).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "memberdesk/snapshot.hpp"

namespace memberdesk {

namespace {

constexpr unsigned char kFormatFixed = 1;
constexpr unsigned char kFormatCompact = 2;
constexpr unsigned char kFormatMerged = 3;  // format 2 + each lot's merged count + lots_merged_at

// ---- format 1

struct FixedWriter {
    std::string out;
    void u64(std::uint64_t v) {
        char b[8];
        for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
        out.append(b, 8);
    }
    void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
    void str(const std::string& s) {
        u64(s.size());
        out += s;
    }
    void text(const Text& t) {
        str(t.zh);
        str(t.en);
    }
    void opt(const std::optional<std::int64_t>& v) {
        i64(v ? 1 : 0);
        if (v) i64(*v);
    }
};

struct FixedReader {
    std::string_view in;
    std::size_t pos = 0;
    bool bad = false;
    std::uint64_t u64() {
        if (in.size() - pos < 8) {
            bad = true;
            pos = in.size();
            return 0;
        }
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < 8; ++i)
            v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[pos + i])) << (8 * i);
        pos += 8;
        return v;
    }
    std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
    int i32() { return static_cast<int>(i64()); }
    std::string str() {
        const std::uint64_t n = u64();
        if (n > in.size() - pos) {
            bad = true;
            pos = in.size();
            return {};
        }
        const auto len = static_cast<std::size_t>(n);  // fits: at most what is left of `in`
        std::string s(in.substr(pos, len));
        pos += len;
        return s;
    }
    Text text() {
        Text t;
        t.zh = str();
        t.en = str();
        return t;
    }
    std::optional<std::int64_t> opt() {
        if (i64() == 0) return std::nullopt;
        return i64();
    }
    // A count of items that each take at least `min_bytes`: guards allocations against bad input.
    std::size_t count(std::size_t min_bytes) {
        const std::uint64_t n = u64();
        if (n > (in.size() - pos) / min_bytes) {
            bad = true;
            return 0;
        }
        return static_cast<std::size_t>(n);
    }
};

Result<MemberState> decode_fixed(std::string_view bytes) {
    FixedReader r{bytes};
    if (r.u64() != kFormatFixed) return make_error(ErrorCode::invalid_snapshot, "unknown snapshot format");
    MemberState s;
    s.member_id = r.i64();
    s.joined_at = r.i64();
    if (r.i64()) {
        CivilDate d;
        d.year = r.i32();
        d.month = r.i32();
        d.day = r.i32();
        s.birthday = d;
    }
    s.tier.tier_id = r.str();
    s.tier.since = r.i64();
    s.tier.valid_until = r.opt();
    s.debt = r.i64();
    s.lifetime_earned = r.i64();
    s.ledger_total = r.i64();
    s.lots.resize(r.count(56));
    for (auto& l : s.lots) {
        l.id = r.i64();
        l.original = r.i64();
        l.remaining = r.i64();
        l.earned_at = r.i64();
        l.available_at = r.i64();
        l.expires_at = r.opt();
        l.source = r.str();
    }
    s.purchases.resize(r.count(56));
    for (auto& pu : s.purchases) {
        pu.txn_id = r.str();
        pu.amount = r.i64();
        pu.refunded = r.i64();
        pu.at = r.i64();
        pu.store = r.str();
        pu.points = r.i64();
        pu.tier_id = r.str();
    }
    s.coupons.resize(r.count(200));
    for (auto& c : s.coupons) {
        c.id = r.i64();
        c.code = r.str();
        c.template_id = r.str();
        CouponTemplate& t = c.terms;
        t.id = r.str();
        const int kind = r.i32();
        if (kind < 0 || kind > static_cast<int>(CouponKind::free_item)) r.bad = true;
        t.kind = static_cast<CouponKind>(kind);
        t.amount = r.i64();
        t.threshold = r.i64();
        t.percent_off = r.i32();
        t.max_discount = r.i64();
        t.item = r.text();
        t.scope = r.text();
        t.min_spend = r.i64();
        t.stores.resize(r.count(8));
        for (auto& st : t.stores) st = r.str();
        t.validity.days = r.i32();
        t.validity.end_of_month = r.i64() != 0;
        const int source = r.i32(), state = r.i32();
        if (source < 0 || source > static_cast<int>(CouponSource::staff) || state < 0 ||
            state > static_cast<int>(CouponState::voided))
            r.bad = true;
        c.source = static_cast<CouponSource>(source);
        c.state = static_cast<CouponState>(state);
        c.valid_from = r.i64();
        c.valid_until = r.i64();
        c.issued_at = r.i64();
        c.used_at = r.opt();
        c.used_txn = r.str();
        c.used_store = r.str();
        c.used_order_amount = r.i64();
        c.used_discount = r.i64();
    }
    s.issue_keys.resize(r.count(8));
    for (auto& k : s.issue_keys) k = r.str();
    PurchaseSummary& ep = s.earlier_purchases;
    ep.horizon = r.opt();
    ep.count = r.i64();
    ep.months.resize(r.count(16));
    for (auto& m : ep.months) {
        m.month = r.i32();
        m.net = r.i64();
    }
    if (r.i64()) {
        PurchaseRef last;
        last.txn_id = r.str();
        last.at = r.i64();
        ep.last = std::move(last);
    }
    ep.last_with_spend_at = r.opt();
    s.earlier_coupons.used = r.i64();
    s.earlier_coupons.expired = r.i64();
    s.earlier_coupons.voided = r.i64();
    if (r.bad || r.pos != bytes.size())
        return make_error(ErrorCode::invalid_snapshot, "snapshot bytes are truncated or malformed");
    return s;
}

// ---- format 2

// Zigzag over the two's-complement bits (defined for every int64, differences included).
std::uint64_t zigzag(std::uint64_t x) { return (x << 1) ^ (0 - (x >> 63)); }
std::uint64_t unzigzag(std::uint64_t z) { return (z >> 1) ^ (0 - (z & 1)); }
std::uint64_t bits(std::int64_t v) { return static_cast<std::uint64_t>(v); }
std::int64_t from_bits(std::uint64_t x) {
    std::int64_t v;
    std::memcpy(&v, &x, sizeof v);
    return v;
}

const std::string kEmpty;

// Points expire at month ends: a lot's expiry is mostly its predecessor's or a month after it.
std::int64_t expiry_base(const Lot* prev, const Lot& l) {
    return prev && prev->expires_at ? *prev->expires_at : l.earned_at;
}

struct CompactWriter {
    std::string out;
    void u(std::uint64_t v) {
        while (v >= 0x80) {
            out.push_back(static_cast<char>((v & 0x7F) | 0x80));
            v >>= 7;
        }
        out.push_back(static_cast<char>(v));
    }
    void s(std::int64_t v) { u(zigzag(bits(v))); }
    // `v` as its difference from `base` (wrapping, so any pair of values round-trips).
    void d(std::int64_t v, std::int64_t base) { u(zigzag(bits(v) - bits(base))); }
    void flag(bool b) { out.push_back(b ? '\1' : '\0'); }
    void opt(const std::optional<std::int64_t>& v, std::int64_t base) {
        flag(v.has_value());
        if (v) d(*v, base);
    }
    // `v` as the length of the prefix it shares with `prev`, then the rest.
    void str(const std::string& v, const std::string& prev) {
        std::size_t k = 0;
        const std::size_t most = std::min(v.size(), prev.size());
        while (k < most && v[k] == prev[k]) ++k;
        u(k);
        u(v.size() - k);
        out.append(v, k, std::string::npos);
    }
};

struct CompactReader {
    const unsigned char* p;
    const unsigned char* end;
    bool bad = false;

    std::size_t left() const { return static_cast<std::size_t>(end - p); }
    void fail() {
        bad = true;
        p = end;
    }
    std::uint64_t u() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p == end) {
                fail();
                return 0;
            }
            const unsigned char b = *p++;
            v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80)) return v;
        }
        fail();  // longer than any uint64
        return 0;
    }
    std::int64_t s() { return from_bits(unzigzag(u())); }
    std::int64_t d(std::int64_t base) { return from_bits(bits(base) + unzigzag(u())); }
    int narrow(std::int64_t v) {
        if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) fail();
        return static_cast<int>(v);
    }
    int i32() { return narrow(s()); }
    bool flag() {
        if (p == end) {
            fail();
            return false;
        }
        const unsigned char b = *p++;
        if (b > 1) fail();
        return b == 1;
    }
    std::optional<std::int64_t> opt(std::int64_t base) {
        if (!flag()) return std::nullopt;
        return d(base);
    }
    void str(std::string& out, const std::string& prev) {
        const std::uint64_t k = u(), n = u();
        if (k > prev.size() || n > left()) {
            fail();
            out.clear();
            return;
        }
        out.reserve(static_cast<std::size_t>(k + n));
        out.assign(prev, 0, static_cast<std::size_t>(k));
        out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
        p += n;
    }
    // A count of items that each take at least `min_bytes`: guards allocations against bad input.
    std::size_t count(std::size_t min_bytes) {
        const std::uint64_t n = u();
        if (n > left() / min_bytes) {
            fail();
            return 0;
        }
        return static_cast<std::size_t>(n);
    }
};

Result<MemberState> decode_compact(std::string_view bytes) {
    CompactReader r{reinterpret_cast<const unsigned char*>(bytes.data()),
                    reinterpret_cast<const unsigned char*>(bytes.data()) + bytes.size()};
    const std::uint64_t version = r.u();
    if (version != kFormatCompact && version != kFormatMerged)
        return make_error(ErrorCode::invalid_snapshot, "unknown snapshot format");
    const bool merged = version == kFormatMerged;
    MemberState s;
    s.member_id = r.s();
    s.joined_at = r.s();
    if (r.flag()) {
        CivilDate b;
        b.year = r.i32();
        b.month = r.i32();
        b.day = r.i32();
        s.birthday = b;
    }
    r.str(s.tier.tier_id, kEmpty);
    s.tier.since = r.d(s.joined_at);
    s.tier.valid_until = r.opt(s.tier.since);
    s.debt = r.s();
    s.lifetime_earned = r.s();
    s.ledger_total = r.s();

    s.lots.resize(r.count(8));
    for (std::size_t i = 0; i < s.lots.size(); ++i) {
        Lot& l = s.lots[i];
        const Lot* prev = i ? &s.lots[i - 1] : nullptr;
        l.id = r.d(prev ? prev->id : 0);
        l.original = r.s();
        l.remaining = r.s();
        l.earned_at = r.d(prev ? prev->earned_at : s.joined_at);
        l.available_at = r.d(l.earned_at);
        l.expires_at = r.opt(expiry_base(prev, l));
        r.str(l.source, prev ? prev->source : kEmpty);
        if (merged) {
            const std::uint64_t n = r.u();
            if (n == 1 || n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) r.fail();
            l.merged = static_cast<std::int64_t>(n);
        }
    }

    s.purchases.resize(r.count(8));
    for (std::size_t i = 0; i < s.purchases.size(); ++i) {
        Purchase& pu = s.purchases[i];
        const Purchase* prev = i ? &s.purchases[i - 1] : nullptr;
        r.str(pu.txn_id, prev ? prev->txn_id : kEmpty);
        pu.amount = r.s();
        pu.refunded = r.s();
        pu.at = r.d(prev ? prev->at : s.joined_at);
        r.str(pu.store, prev ? prev->store : kEmpty);
        pu.points = r.s();
        r.str(pu.tier_id, prev ? prev->tier_id : kEmpty);
    }

    s.coupons.resize(r.count(30));
    for (std::size_t i = 0; i < s.coupons.size(); ++i) {
        Coupon& c = s.coupons[i];
        const Coupon* prev = i ? &s.coupons[i - 1] : nullptr;
        c.id = r.d(prev ? prev->id : 0);
        r.str(c.code, prev ? prev->code : kEmpty);
        r.str(c.template_id, prev ? prev->template_id : kEmpty);
        CouponTemplate& t = c.terms;
        const CouponTemplate* pt = prev ? &prev->terms : nullptr;
        r.str(t.id, pt ? pt->id : kEmpty);
        const std::uint64_t kind = r.u();
        if (kind > static_cast<std::uint64_t>(CouponKind::free_item)) r.fail();
        t.kind = static_cast<CouponKind>(kind);
        t.amount = r.s();
        t.threshold = r.s();
        t.percent_off = r.i32();
        t.max_discount = r.s();
        r.str(t.item.zh, pt ? pt->item.zh : kEmpty);
        r.str(t.item.en, pt ? pt->item.en : kEmpty);
        r.str(t.scope.zh, pt ? pt->scope.zh : kEmpty);
        r.str(t.scope.en, pt ? pt->scope.en : kEmpty);
        t.min_spend = r.s();
        t.stores.resize(r.count(2));
        for (std::size_t j = 0; j < t.stores.size(); ++j) r.str(t.stores[j], j ? t.stores[j - 1] : kEmpty);
        t.validity.days = r.i32();
        t.validity.end_of_month = r.flag();
        const std::uint64_t source = r.u(), state = r.u();
        if (source > static_cast<std::uint64_t>(CouponSource::staff) ||
            state > static_cast<std::uint64_t>(CouponState::voided))
            r.fail();
        c.source = static_cast<CouponSource>(source);
        c.state = static_cast<CouponState>(state);
        c.issued_at = r.d(prev ? prev->issued_at : s.joined_at);
        c.valid_from = r.d(c.issued_at);
        c.valid_until = r.d(c.valid_from);
        c.used_at = r.opt(c.issued_at);
        r.str(c.used_txn, prev ? prev->used_txn : kEmpty);
        r.str(c.used_store, prev ? prev->used_store : kEmpty);
        c.used_order_amount = r.s();
        c.used_discount = r.s();
    }

    s.issue_keys.resize(r.count(2));
    for (std::size_t i = 0; i < s.issue_keys.size(); ++i) r.str(s.issue_keys[i], i ? s.issue_keys[i - 1] : kEmpty);

    PurchaseSummary& ep = s.earlier_purchases;
    ep.horizon = r.opt(s.joined_at);
    ep.count = r.s();
    ep.months.resize(r.count(2));
    for (std::size_t i = 0; i < ep.months.size(); ++i) {
        ep.months[i].month = r.narrow(r.d(i ? ep.months[i - 1].month : 0));
        ep.months[i].net = r.s();
    }
    if (r.flag()) {
        PurchaseRef last;
        r.str(last.txn_id, kEmpty);
        last.at = r.d(ep.horizon.value_or(s.joined_at));
        ep.last = std::move(last);
    }
    ep.last_with_spend_at = r.opt(ep.horizon.value_or(s.joined_at));
    s.earlier_coupons.used = r.s();
    s.earlier_coupons.expired = r.s();
    s.earlier_coupons.voided = r.s();
    if (merged) s.lots_merged_at = r.opt(s.joined_at);
    if (r.bad || r.p != r.end)
        return make_error(ErrorCode::invalid_snapshot, "snapshot bytes are truncated or malformed");
    return s;
}

}  // namespace

namespace {

std::string encode_compact(const MemberState& s, unsigned char version) {
    const bool merged = version == kFormatMerged;
    CompactWriter w;
    // Typical rows: a few bytes per lot and purchase; one allocation for most.
    w.out.reserve(64 + 24 * (s.lots.size() + s.purchases.size()) + 96 * s.coupons.size());
    w.u(version);
    w.s(s.member_id);
    w.s(s.joined_at);
    w.flag(s.birthday.has_value());
    if (s.birthday) {
        w.s(s.birthday->year);
        w.s(s.birthday->month);
        w.s(s.birthday->day);
    }
    w.str(s.tier.tier_id, kEmpty);
    w.d(s.tier.since, s.joined_at);
    w.opt(s.tier.valid_until, s.tier.since);
    w.s(s.debt);
    w.s(s.lifetime_earned);
    w.s(s.ledger_total);

    w.u(s.lots.size());
    for (std::size_t i = 0; i < s.lots.size(); ++i) {
        const Lot& l = s.lots[i];
        const Lot* prev = i ? &s.lots[i - 1] : nullptr;
        w.d(l.id, prev ? prev->id : 0);
        w.s(l.original);
        w.s(l.remaining);
        w.d(l.earned_at, prev ? prev->earned_at : s.joined_at);
        w.d(l.available_at, l.earned_at);
        w.opt(l.expires_at, expiry_base(prev, l));
        w.str(l.source, prev ? prev->source : kEmpty);
        if (merged) w.u(static_cast<std::uint64_t>(l.merged));
    }

    w.u(s.purchases.size());
    for (std::size_t i = 0; i < s.purchases.size(); ++i) {
        const Purchase& pu = s.purchases[i];
        const Purchase* prev = i ? &s.purchases[i - 1] : nullptr;
        w.str(pu.txn_id, prev ? prev->txn_id : kEmpty);
        w.s(pu.amount);
        w.s(pu.refunded);
        w.d(pu.at, prev ? prev->at : s.joined_at);
        w.str(pu.store, prev ? prev->store : kEmpty);
        w.s(pu.points);
        w.str(pu.tier_id, prev ? prev->tier_id : kEmpty);
    }

    w.u(s.coupons.size());
    for (std::size_t i = 0; i < s.coupons.size(); ++i) {
        const Coupon& c = s.coupons[i];
        const Coupon* prev = i ? &s.coupons[i - 1] : nullptr;
        w.d(c.id, prev ? prev->id : 0);
        w.str(c.code, prev ? prev->code : kEmpty);
        w.str(c.template_id, prev ? prev->template_id : kEmpty);
        const CouponTemplate& t = c.terms;
        const CouponTemplate* pt = prev ? &prev->terms : nullptr;
        w.str(t.id, pt ? pt->id : kEmpty);
        w.u(static_cast<std::uint64_t>(t.kind));
        w.s(t.amount);
        w.s(t.threshold);
        w.s(t.percent_off);
        w.s(t.max_discount);
        w.str(t.item.zh, pt ? pt->item.zh : kEmpty);
        w.str(t.item.en, pt ? pt->item.en : kEmpty);
        w.str(t.scope.zh, pt ? pt->scope.zh : kEmpty);
        w.str(t.scope.en, pt ? pt->scope.en : kEmpty);
        w.s(t.min_spend);
        w.u(t.stores.size());
        for (std::size_t j = 0; j < t.stores.size(); ++j) w.str(t.stores[j], j ? t.stores[j - 1] : kEmpty);
        w.s(t.validity.days);
        w.flag(t.validity.end_of_month);
        w.u(static_cast<std::uint64_t>(c.source));
        w.u(static_cast<std::uint64_t>(c.state));
        w.d(c.issued_at, prev ? prev->issued_at : s.joined_at);
        w.d(c.valid_from, c.issued_at);
        w.d(c.valid_until, c.valid_from);
        w.opt(c.used_at, c.issued_at);
        w.str(c.used_txn, prev ? prev->used_txn : kEmpty);
        w.str(c.used_store, prev ? prev->used_store : kEmpty);
        w.s(c.used_order_amount);
        w.s(c.used_discount);
    }

    w.u(s.issue_keys.size());
    for (std::size_t i = 0; i < s.issue_keys.size(); ++i) w.str(s.issue_keys[i], i ? s.issue_keys[i - 1] : kEmpty);

    const PurchaseSummary& ep = s.earlier_purchases;
    w.opt(ep.horizon, s.joined_at);
    w.s(ep.count);
    w.u(ep.months.size());
    for (std::size_t i = 0; i < ep.months.size(); ++i) {
        w.d(ep.months[i].month, i ? ep.months[i - 1].month : 0);
        w.s(ep.months[i].net);
    }
    w.flag(ep.last.has_value());
    if (ep.last) {
        w.str(ep.last->txn_id, kEmpty);
        w.d(ep.last->at, ep.horizon.value_or(s.joined_at));
    }
    w.opt(ep.last_with_spend_at, ep.horizon.value_or(s.joined_at));
    w.s(s.earlier_coupons.used);
    w.s(s.earlier_coupons.expired);
    w.s(s.earlier_coupons.voided);
    if (merged) w.opt(s.lots_merged_at, s.joined_at);
    return std::move(w.out);
}

}  // namespace

std::string encode_snapshot(const MemberState& s) { return encode_compact(s, kFormatMerged); }

std::string encode_snapshot_v2(const MemberState& s) { return encode_compact(s, kFormatCompact); }

std::string encode_snapshot_v1(const MemberState& s) {
    FixedWriter w;
    w.u64(kFormatFixed);
    w.i64(s.member_id);
    w.i64(s.joined_at);
    w.i64(s.birthday ? 1 : 0);
    if (s.birthday) {
        w.i64(s.birthday->year);
        w.i64(s.birthday->month);
        w.i64(s.birthday->day);
    }
    w.str(s.tier.tier_id);
    w.i64(s.tier.since);
    w.opt(s.tier.valid_until);
    w.i64(s.debt);
    w.i64(s.lifetime_earned);
    w.i64(s.ledger_total);
    w.u64(s.lots.size());
    for (const auto& l : s.lots) {
        w.i64(l.id);
        w.i64(l.original);
        w.i64(l.remaining);
        w.i64(l.earned_at);
        w.i64(l.available_at);
        w.opt(l.expires_at);
        w.str(l.source);
    }
    w.u64(s.purchases.size());
    for (const auto& pu : s.purchases) {
        w.str(pu.txn_id);
        w.i64(pu.amount);
        w.i64(pu.refunded);
        w.i64(pu.at);
        w.str(pu.store);
        w.i64(pu.points);
        w.str(pu.tier_id);
    }
    w.u64(s.coupons.size());
    for (const auto& c : s.coupons) {
        w.i64(c.id);
        w.str(c.code);
        w.str(c.template_id);
        const CouponTemplate& t = c.terms;
        w.str(t.id);
        w.i64(static_cast<int>(t.kind));
        w.i64(t.amount);
        w.i64(t.threshold);
        w.i64(t.percent_off);
        w.i64(t.max_discount);
        w.text(t.item);
        w.text(t.scope);
        w.i64(t.min_spend);
        w.u64(t.stores.size());
        for (const auto& st : t.stores) w.str(st);
        w.i64(t.validity.days);
        w.i64(t.validity.end_of_month ? 1 : 0);
        w.i64(static_cast<int>(c.source));
        w.i64(static_cast<int>(c.state));
        w.i64(c.valid_from);
        w.i64(c.valid_until);
        w.i64(c.issued_at);
        w.opt(c.used_at);
        w.str(c.used_txn);
        w.str(c.used_store);
        w.i64(c.used_order_amount);
        w.i64(c.used_discount);
    }
    w.u64(s.issue_keys.size());
    for (const auto& k : s.issue_keys) w.str(k);
    const PurchaseSummary& ep = s.earlier_purchases;
    w.opt(ep.horizon);
    w.i64(ep.count);
    w.u64(ep.months.size());
    for (const auto& m : ep.months) {
        w.i64(m.month);
        w.i64(m.net);
    }
    w.i64(ep.last ? 1 : 0);
    if (ep.last) {
        w.str(ep.last->txn_id);
        w.i64(ep.last->at);
    }
    w.opt(ep.last_with_spend_at);
    w.i64(s.earlier_coupons.used);
    w.i64(s.earlier_coupons.expired);
    w.i64(s.earlier_coupons.voided);
    return std::move(w.out);
}

Result<MemberState> decode_snapshot(std::string_view bytes) {
    if (bytes.empty()) return make_error(ErrorCode::invalid_snapshot, "empty snapshot");
    switch (static_cast<unsigned char>(bytes[0])) {
        case kFormatFixed: return decode_fixed(bytes);
        case kFormatCompact:
        case kFormatMerged: return decode_compact(bytes);
        default: return make_error(ErrorCode::invalid_snapshot, "unknown snapshot format");
    }
}

}  // namespace memberdesk
