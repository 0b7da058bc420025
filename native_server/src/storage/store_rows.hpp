// Row <-> record code shared by the SQLite and PostgreSQL backends: enum texts, the column lists
// of the tables both schemas share, and the decoders of a result row into the store's records.
// `Row` is a backend's statement/result cursor with null(c), i64(c), i32(c), opt(c) and str(c).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "memberdesk/ledger.hpp"
#include "memberdesk/time.hpp"
#include "storage/store.hpp"

namespace memberdesk::server::store_rows {

// A BLOB (SQLite) / bytea (PostgreSQL) parameter, bound without a copy: the bytes must outlive the
// statement's run.
struct Blob {
    std::string_view bytes;
};

// Bytes from hex text (the snapshot column before schema step 14); anything that is not hex gives
// an empty string, which decode_snapshot refuses.
inline std::string hex_bytes(const std::string& h) {
    auto v = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    if (h.size() % 2) return {};
    std::string out(h.size() / 2, '\0');
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = v(h[2 * i]), lo = v(h[2 * i + 1]);
        if (hi < 0 || lo < 0) return {};
        out[i] = static_cast<char>(hi * 16 + lo);
    }
    return out;
}

inline CouponKind coupon_kind_from(const std::string& s) {
    for (CouponKind k : {CouponKind::amount_off, CouponKind::percent_off, CouponKind::threshold, CouponKind::free_item})
        if (s == to_string(k)) return k;
    throw StoreError(StoreError::Kind::other, "stored coupon kind unknown: " + s);
}
inline EntryType entry_type_from(const std::string& s) {
    if (auto t = entry_type_from_string(s)) return *t;
    throw StoreError(StoreError::Kind::other, "stored entry type unknown: " + s);
}
inline CouponState coupon_state_from(const std::string& s) {
    if (auto t = coupon_state_from_string(s)) return *t;
    throw StoreError(StoreError::Kind::other, "stored coupon state unknown: " + s);
}
inline CouponSource coupon_source_from(const std::string& s) {
    if (auto t = coupon_source_from_string(s)) return *t;
    throw StoreError(StoreError::Kind::other, "stored coupon source unknown: " + s);
}

inline std::string join_lines(const std::vector<std::string>& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += '\n';
        out += v[i];
    }
    return out;
}
inline std::vector<std::string> split_lines(const std::string& s) {
    std::vector<std::string> out;
    if (s.empty()) return out;
    std::size_t start = 0;
    for (;;) {
        std::size_t nl = s.find('\n', start);
        out.push_back(s.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    return out;
}

template <class Row>
std::optional<CivilDate> date_from(const Row& q, int c) {
    if (q.null(c)) return std::nullopt;
    auto d = parse_date(q.str(c));
    if (!d) return std::nullopt;
    return *d;
}
inline std::optional<std::string> date_text(const std::optional<CivilDate>& d) {
    if (!d) return std::nullopt;
    return format_date(*d);
}

inline constexpr const char* kMemberCols =
    "id, phone, name, pin_hash, birthday, joined_at, erased_at, tier_id, rev, joined_store FROM members ";
template <class Row>
MemberRecord member_from(const Row& q) {
    MemberRecord m;
    m.id = q.i64(0);
    m.phone = q.str(1);
    m.name = q.str(2);
    m.pin_hash = q.str(3);
    m.birthday = date_from(q, 4);
    m.joined_at = q.i64(5);
    m.erased_at = q.opt(6);
    m.tier_id = q.str(7);
    m.rev = q.i64(8);
    m.joined_store = q.str(9);
    return m;
}

inline constexpr const char* kLotCols =
    "id, original, remaining, earned_at, available_at, expires_at, source FROM lots ";
template <class Row>
Lot lot_from(const Row& q) {
    Lot l;
    l.id = q.i64(0);
    l.original = q.i64(1);
    l.remaining = q.i64(2);
    l.earned_at = q.i64(3);
    l.available_at = q.i64(4);
    l.expires_at = q.opt(5);
    l.source = q.str(6);
    return l;
}

inline constexpr const char* kPurchaseCols = "txn_id, amount, refunded, at, store, points, tier_id FROM purchases ";
template <class Row>
Purchase purchase_from(const Row& q) {
    Purchase p;
    p.txn_id = q.str(0);
    p.amount = q.i64(1);
    p.refunded = q.i64(2);
    p.at = q.i64(3);
    p.store = q.str(4);
    p.points = q.i64(5);
    p.tier_id = q.str(6);
    return p;
}

// The ledger columns entry_from reads, then `ref` (column 9) where asked for: the ledger page leaves
// it out, as no entry view shows it.
inline constexpr const char* kEntryColsBeforeRef =
    "id, type, points, balance_after, reason_zh, reason_en, created_at, expires_at, store";
template <class Row>
LedgerEntry entry_from(const Row& q, bool with_ref = true) {
    LedgerEntry e;
    e.id = q.i64(0);
    e.type = entry_type_from(q.str(1));
    e.points = q.i64(2);
    e.balance_after = q.i64(3);
    e.reason = Text{q.str(4), q.str(5)};
    e.created_at = q.i64(6);
    e.expires_at = q.opt(7);
    e.store = q.str(8);
    if (with_ref) e.ref = q.str(9);
    return e;
}

inline constexpr const char* kCouponCols =
    "id, member_id, code, template_id, kind, amount, threshold, percent_off, max_discount, item_zh, item_en, "
    "scope_zh, scope_en, min_spend, stores, validity_days, validity_eom, source, state, valid_from, valid_until, "
    "issued_at, reason_zh, reason_en, used_at, used_txn, used_store, used_order_amount, used_discount FROM coupons ";
template <class Row>
CouponRecord coupon_from(const Row& q) {
    CouponRecord r;
    r.member_id = q.i64(1);
    Coupon& c = r.coupon;
    c.id = q.i64(0);
    c.code = q.str(2);
    c.template_id = q.str(3);
    CouponTemplate& t = c.terms;
    t.id = c.template_id;
    t.kind = coupon_kind_from(q.str(4));
    t.amount = q.i64(5);
    t.threshold = q.i64(6);
    t.percent_off = q.i32(7);
    t.max_discount = q.i64(8);
    t.item = Text{q.str(9), q.str(10)};
    t.scope = Text{q.str(11), q.str(12)};
    t.min_spend = q.i64(13);
    t.stores = split_lines(q.str(14));
    t.validity.days = q.i32(15);
    t.validity.end_of_month = q.i64(16) != 0;
    c.source = coupon_source_from(q.str(17));
    c.state = coupon_state_from(q.str(18));
    c.valid_from = q.i64(19);
    c.valid_until = q.i64(20);
    c.issued_at = q.i64(21);
    r.reason = Text{q.str(22), q.str(23)};
    c.used_at = q.opt(24);
    c.used_txn = q.str(25);
    c.used_store = q.str(26);
    c.used_order_amount = q.i64(27);
    c.used_discount = q.i64(28);
    return r;
}

inline constexpr const char* kSessionCols =
    "token_hash, kind, member_id, kiosk_key_id, created_at, expires_at FROM sessions ";
inline constexpr const char* kAuditCols =
    "id, at, actor_kind, actor_id, action, member_id, detail, actor_name, store FROM audit ";
template <class Row>
AuditRecord audit_from(const Row& q) {
    AuditRecord a;
    a.id = q.i64(0);
    a.at = q.i64(1);
    a.actor_kind = q.str(2);
    a.actor_id = q.str(3);
    a.action = q.str(4);
    a.member_id = q.opt(5);
    a.detail = q.str(6);
    a.actor_name = q.str(7);
    a.store = q.str(8);
    return a;
}

inline constexpr const char* kStaffCols =
    "id, username, name, password_hash, role, store_id, region_id, disabled, created_at FROM staff ";
template <class Row>
StaffRecord staff_from(const Row& q) {
    StaffRecord s;
    s.id = q.i64(0);
    s.username = q.str(1);
    s.name = q.str(2);
    s.password_hash = q.str(3);
    s.role = q.str(4);
    s.store_id = q.str(5);
    s.region_id = q.str(6);
    s.disabled = q.i64(7) != 0;
    s.created_at = q.i64(8);
    return s;
}

inline constexpr const char* kPosKeyCols = "id, store_id, key_hash, created_at, revoked_at FROM pos_keys ";
template <class Row>
PosKeyRecord pos_key_from(const Row& q) {
    return PosKeyRecord{q.str(0), q.str(1), q.str(2), q.i64(3), q.opt(4)};
}

}  // namespace memberdesk::server::store_rows
