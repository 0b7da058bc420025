// Member snapshots: reduce a full state at a horizon, fold plans into a snapshot, compare, encode.
#include "memberdesk/snapshot.hpp"

#include <algorithm>
#include <utility>

#include "memberdesk/coupons.hpp"
#include "memberdesk/tiers.hpp"

namespace memberdesk {

namespace {

Cents net(const Purchase& pu) { return pu.amount - pu.refunded; }

void add_month_spend(PurchaseSummary& sum, int month, Cents delta) {
    auto it = std::lower_bound(sum.months.begin(), sum.months.end(), month,
                               [](const MonthSpend& m, int want) { return m.month < want; });
    if (it == sum.months.end() || it->month != month) it = sum.months.insert(it, MonthSpend{month, 0});
    it->net += delta;
}

// Moves one purchase into the summary. Called in (at, id) order for purchases listed after every
// summarised one (made later, or stored later), so on equal `at` the moved one is the later.
void summarise(const ZoneRules& z, PurchaseSummary& sum, const Purchase& pu) {
    ++sum.count;
    add_month_spend(sum, month_index(z.local_date(pu.at)), net(pu));
    if (!sum.last || pu.at >= sum.last->at) sum.last = PurchaseRef{pu.txn_id, pu.at};
    if (net(pu) > 0 && (!sum.last_with_spend_at || pu.at > *sum.last_with_spend_at)) sum.last_with_spend_at = pu.at;
}

void count_closed(CouponSummary& sum, const Coupon& c, UnixSeconds at) {
    switch (effective_state(c, at)) {
        case CouponState::used: ++sum.used; break;
        case CouponState::voided: ++sum.voided; break;
        case CouponState::expired: ++sum.expired; break;
        case CouponState::available: break;
    }
}

bool coupon_closed(const Coupon& c, UnixSeconds horizon) {
    return c.state != CouponState::available || c.valid_until < horizon;
}

}  // namespace

UnixSeconds snapshot_horizon(const ProgramConfig& p, const ZoneRules& z, UnixSeconds now) {
    const int back = 1 + (p.tier_rule.kind == TierRuleKind::rolling_spend ? std::max(0, p.tier_rule.window_months) : 0);
    const CivilDate today = z.local_date(now);
    return z.start_of_day(add_months_clamped(CivilDate{today.year, today.month, 1}, -back));
}

bool snapshot_covers(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, UnixSeconds now) {
    if (!s.earlier_purchases.horizon) return true;
    const UnixSeconds h = *s.earlier_purchases.horizon;
    std::vector<UnixSeconds> judged{now};
    if (s.tier.valid_until) judged.push_back(*s.tier.valid_until);
    for (UnixSeconds t : judged) {
        if (t < h) return false;
        if (!p.tiers.empty() && p.tier_rule.kind == TierRuleKind::rolling_spend && rolling_window_start(p, z, t) < h)
            return false;
    }
    return true;
}

void compact_snapshot(const ZoneRules& z, MemberState& s, UnixSeconds horizon) {
    if (s.earlier_purchases.horizon) horizon = std::max(horizon, *s.earlier_purchases.horizon);
    s.earlier_purchases.horizon = horizon;

    std::sort(s.lots.begin(), s.lots.end(), [](const Lot& a, const Lot& b) { return a.id < b.id; });
    s.lots.erase(std::remove_if(s.lots.begin(), s.lots.end(), [](const Lot& l) { return l.remaining <= 0; }),
                 s.lots.end());

    std::stable_sort(s.purchases.begin(), s.purchases.end(),
                     [](const Purchase& a, const Purchase& b) { return a.at < b.at; });
    auto keep = std::stable_partition(s.purchases.begin(), s.purchases.end(),
                                      [&](const Purchase& pu) { return pu.at <= horizon; });
    for (auto it = s.purchases.begin(); it != keep; ++it) summarise(z, s.earlier_purchases, *it);
    s.purchases.erase(s.purchases.begin(), keep);

    std::sort(s.coupons.begin(), s.coupons.end(), [](const Coupon& a, const Coupon& b) { return a.id < b.id; });
    for (const auto& c : s.coupons)
        if (coupon_closed(c, horizon)) count_closed(s.earlier_coupons, c, horizon);
    s.coupons.erase(
        std::remove_if(s.coupons.begin(), s.coupons.end(), [&](const Coupon& c) { return coupon_closed(c, horizon); }),
        s.coupons.end());

    std::sort(s.issue_keys.begin(), s.issue_keys.end());
}

MemberState snapshot_of(const ZoneRules& z, const MemberState& full, UnixSeconds horizon) {
    MemberState s = full;
    compact_snapshot(z, s, horizon);
    return s;
}

bool fold_plan(const ProgramConfig& p, const ZoneRules& z, MemberState& s, const Plan& plan, const StoredIds& ids,
               UnixSeconds now) {
    bool exact = true;
    const Plan* apply = &plan;
    Plan without_purchase;
    if (plan.purchase && plan.purchase->refunded > 0 &&
        std::none_of(s.purchases.begin(), s.purchases.end(),
                     [&](const Purchase& x) { return x.txn_id == plan.purchase->txn_id; })) {
        // A refund of a summarised purchase: only its month's net spend changes.
        const Purchase& pu = *plan.purchase;
        PurchaseSummary& sum = s.earlier_purchases;
        if (!sum.horizon || pu.at > *sum.horizon) return false;
        add_month_spend(sum, month_index(z.local_date(pu.at)), plan.purchase_refunded_before - pu.refunded);
        if (net(pu) <= 0 && pu.amount - plan.purchase_refunded_before > 0 && sum.last_with_spend_at == pu.at)
            exact = false;
        without_purchase = plan;
        without_purchase.purchase.reset();
        apply = &without_purchase;
    }
    const std::size_t lots_before = s.lots.size(), coupons_before = s.coupons.size();
    std::int64_t unused_lot_id = 0;
    apply_plan(s, *apply, unused_lot_id);
    if (s.lots.size() - lots_before != ids.lot_ids.size() || s.coupons.size() - coupons_before != ids.coupons.size())
        return false;
    for (std::size_t i = 0; i < ids.lot_ids.size(); ++i) s.lots[lots_before + i].id = ids.lot_ids[i];
    s.coupons.resize(coupons_before);
    s.coupons.insert(s.coupons.end(), ids.coupons.begin(), ids.coupons.end());
    compact_snapshot(z, s, snapshot_horizon(p, z, now));
    return exact;
}

void fold_coupon_update(MemberState& s, const Coupon& updated) {
    auto it = std::find_if(s.coupons.begin(), s.coupons.end(), [&](const Coupon& c) { return c.id == updated.id; });
    if (it == s.coupons.end()) return;  // already summarised: closed for good
    *it = updated;
    if (updated.state != CouponState::available) {
        count_closed(s.earlier_coupons, updated, s.earlier_purchases.horizon.value_or(0));
        s.coupons.erase(it);
    }
}

// ---------------------------------------------------------------------------------------------
// Comparison

namespace {

std::string mismatch(const char* what, std::size_t i, long long x, long long y) {
    return std::string(what) + "[" + std::to_string(i) + "]: " + std::to_string(x) + " vs " + std::to_string(y);
}

bool same_terms(const CouponTemplate& s, const CouponTemplate& t) {
    return s.id == t.id && s.kind == t.kind && s.amount == t.amount && s.threshold == t.threshold &&
           s.percent_off == t.percent_off && s.max_discount == t.max_discount && s.item == t.item &&
           s.scope == t.scope && s.min_spend == t.min_spend && s.stores == t.stores &&
           s.validity.days == t.validity.days && s.validity.end_of_month == t.validity.end_of_month;
}

}  // namespace

std::string state_difference(const MemberState& a, const MemberState& b) {
    if (a.member_id != b.member_id) return mismatch("member_id", 0, a.member_id, b.member_id);
    if (a.joined_at != b.joined_at) return mismatch("joined_at", 0, a.joined_at, b.joined_at);
    if (a.birthday.has_value() != b.birthday.has_value() || (a.birthday && *a.birthday != *b.birthday))
        return "birthday";
    if (a.debt != b.debt) return mismatch("debt", 0, a.debt, b.debt);
    if (a.lifetime_earned != b.lifetime_earned)
        return mismatch("lifetime_earned", 0, a.lifetime_earned, b.lifetime_earned);
    if (a.ledger_total != b.ledger_total) return mismatch("ledger_total", 0, a.ledger_total, b.ledger_total);
    if (a.tier.tier_id != b.tier.tier_id || a.tier.since != b.tier.since || a.tier.valid_until != b.tier.valid_until)
        return "tier: " + a.tier.tier_id + " vs " + b.tier.tier_id;
    if (a.lots.size() != b.lots.size())
        return mismatch("lots.size", 0, (long long)a.lots.size(), (long long)b.lots.size());
    for (std::size_t i = 0; i < a.lots.size(); ++i) {
        const Lot &x = a.lots[i], &y = b.lots[i];
        if (x.id != y.id) return mismatch("lots.id", i, x.id, y.id);
        if (x.original != y.original || x.remaining != y.remaining || x.earned_at != y.earned_at ||
            x.available_at != y.available_at || x.expires_at != y.expires_at || x.source != y.source)
            return mismatch("lots", i, x.remaining, y.remaining);
    }
    if (a.purchases.size() != b.purchases.size())
        return mismatch("purchases.size", 0, (long long)a.purchases.size(), (long long)b.purchases.size());
    for (std::size_t i = 0; i < a.purchases.size(); ++i) {
        const Purchase &x = a.purchases[i], &y = b.purchases[i];
        if (x.txn_id != y.txn_id || x.amount != y.amount || x.refunded != y.refunded || x.at != y.at ||
            x.store != y.store || x.points != y.points || x.tier_id != y.tier_id)
            return "purchases[" + std::to_string(i) + "]: " + x.txn_id + " vs " + y.txn_id;
    }
    if (a.coupons.size() != b.coupons.size())
        return mismatch("coupons.size", 0, (long long)a.coupons.size(), (long long)b.coupons.size());
    for (std::size_t i = 0; i < a.coupons.size(); ++i) {
        const Coupon &x = a.coupons[i], &y = b.coupons[i];
        if (x.id != y.id) return mismatch("coupons.id", i, x.id, y.id);
        if (x.code != y.code || x.template_id != y.template_id || x.source != y.source || x.state != y.state ||
            x.valid_from != y.valid_from || x.valid_until != y.valid_until || x.issued_at != y.issued_at ||
            x.used_at != y.used_at || x.used_txn != y.used_txn || x.used_store != y.used_store ||
            x.used_order_amount != y.used_order_amount || x.used_discount != y.used_discount)
            return mismatch("coupons", i, x.id, y.id);
        if (!same_terms(x.terms, y.terms)) return mismatch("coupons.terms", i, x.id, y.id);
    }
    if (a.issue_keys != b.issue_keys) return "issue_keys";
    const PurchaseSummary &pa = a.earlier_purchases, &pb = b.earlier_purchases;
    if (pa.horizon != pb.horizon)
        return mismatch("earlier_purchases.horizon", 0, pa.horizon.value_or(-1), pb.horizon.value_or(-1));
    if (pa.count != pb.count) return mismatch("earlier_purchases.count", 0, pa.count, pb.count);
    if (pa.months != pb.months) return "earlier_purchases.months";
    if (!(pa.last == pb.last)) return "earlier_purchases.last";
    if (pa.last_with_spend_at != pb.last_with_spend_at) return "earlier_purchases.last_with_spend_at";
    const CouponSummary &ca = a.earlier_coupons, &cb = b.earlier_coupons;
    if (ca.used != cb.used || ca.expired != cb.expired || ca.voided != cb.voided)
        return mismatch("earlier_coupons(used,expired,voided)", 0, ca.used * 1000000 + ca.expired * 1000 + ca.voided,
                        cb.used * 1000000 + cb.expired * 1000 + cb.voided);
    return {};
}

// ---------------------------------------------------------------------------------------------
// Binary form: little-endian fixed-width integers, strings as length + bytes, a leading version.

namespace {

constexpr std::uint32_t kSnapshotFormat = 1;

struct Writer {
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

struct Reader {
    const std::string& in;
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
        std::string s = in.substr(pos, len);
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

}  // namespace

std::string encode_snapshot(const MemberState& s) {
    Writer w;
    w.u64(kSnapshotFormat);
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

Result<MemberState> decode_snapshot(const std::string& bytes) {
    Reader r{bytes};
    if (r.u64() != kSnapshotFormat) return make_error(ErrorCode::invalid_snapshot, "unknown snapshot format");
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

}  // namespace memberdesk
