// Member snapshots: reduce a full state at a horizon, fold plans into a snapshot, compare.
// The binary form is in snapshot_codec.cpp.
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

}  // namespace memberdesk
