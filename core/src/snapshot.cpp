// Member snapshots: reduce a full state at a horizon, fold plans into a snapshot, compare.
// The binary form is in snapshot_codec.cpp.
#include "memberdesk/snapshot.hpp"

#include <algorithm>
#include <map>
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

// Expiry order, never-expiring last (the spend order of expiries).
std::pair<int, UnixSeconds> expiry_key(const std::optional<UnixSeconds>& e) {
    return e ? std::make_pair(0, *e) : std::make_pair(1, UnixSeconds{0});
}

std::int64_t lot_count(const Lot& l) { return l.merged > 0 ? l.merged : 1; }

// Merged lots take ids -n..-1 in expiry order, so lots sorted by id list them first, by expiry.
void sort_lots(std::vector<Lot>& lots) {
    std::sort(lots.begin(), lots.end(), [](const Lot& a, const Lot& b) { return a.id < b.id; });
}

// Every open lot available at `at` joins the others of its expiry (and their merged lot) when they
// are two or more. Lots at 0 are gone already.
bool merge_lots(MemberState& s, UnixSeconds at) {
    for (const auto& l : s.lots)
        if (l.merged > 0 && l.available_at > at) return false;
    s.lots_merged_at = at;
    std::map<std::pair<int, UnixSeconds>, std::vector<std::size_t>> by_expiry;
    for (std::size_t i = 0; i < s.lots.size(); ++i)
        if (s.lots[i].merged > 0 || s.lots[i].available_at <= at)
            by_expiry[expiry_key(s.lots[i].expires_at)].push_back(i);
    std::vector<bool> taken(s.lots.size(), false);
    std::vector<Lot> merged;
    for (const auto& [key, idx] : by_expiry) {
        std::int64_t count = 0;
        for (std::size_t i : idx) count += lot_count(s.lots[i]);
        if (count < 2) continue;
        Lot m;
        m.merged = count;
        m.expires_at = s.lots[idx.front()].expires_at;
        m.earned_at = s.lots[idx.front()].earned_at;
        m.available_at = s.lots[idx.front()].available_at;
        for (std::size_t i : idx) {
            const Lot& l = s.lots[i];
            m.original += l.original;
            m.remaining += l.remaining;
            m.earned_at = std::min(m.earned_at, l.earned_at);
            m.available_at = std::max(m.available_at, l.available_at);
            taken[i] = true;
        }
        merged.push_back(std::move(m));
    }
    std::vector<Lot> out;
    out.reserve(merged.size() + s.lots.size());
    for (std::size_t k = 0; k < merged.size(); ++k) {
        merged[k].id = static_cast<std::int64_t>(k) - static_cast<std::int64_t>(merged.size());
        out.push_back(std::move(merged[k]));
    }
    for (std::size_t i = 0; i < s.lots.size(); ++i)
        if (!taken[i]) out.push_back(std::move(s.lots[i]));
    s.lots = std::move(out);
    sort_lots(s.lots);
    return true;
}

const Lot* merged_lot_of(const MemberState& s, const std::optional<UnixSeconds>& expiry) {
    for (const auto& l : s.lots)
        if (l.merged > 0 && l.expires_at == expiry) return &l;
    return nullptr;
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
    for (const auto& l : s.lots)
        if (l.merged > 0 && l.available_at > now) return false;
    return true;
}

bool compact_snapshot(const ZoneRules& z, MemberState& s, UnixSeconds horizon,
                      std::optional<UnixSeconds> merge_lots_at) {
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
    return merge_lots_at ? merge_lots(s, *merge_lots_at) : true;
}

MemberState snapshot_of(const ZoneRules& z, const MemberState& full, UnixSeconds horizon,
                        std::optional<UnixSeconds> merge_lots_at) {
    MemberState s = full;
    compact_snapshot(z, s, horizon, merge_lots_at);
    return s;
}

MemberState snapshot_like(const ZoneRules& z, const MemberState& full, const MemberState& like) {
    return snapshot_of(z, full, like.earlier_purchases.horizon.value_or(0), like.lots_merged_at);
}

std::vector<std::optional<UnixSeconds>> merged_lots_read(const MemberState& s, const Plan& plan) {
    std::vector<std::optional<UnixSeconds>> out;
    for (const auto& c : plan.lot_changes) {
        auto it = std::find_if(s.lots.begin(), s.lots.end(), [&](const Lot& l) { return l.id == c.lot_id; });
        if (it == s.lots.end()) continue;
        if (it->merged == 0 && !merged_lot_of(s, it->expires_at)) continue;
        if (std::find(out.begin(), out.end(), it->expires_at) == out.end()) out.push_back(it->expires_at);
    }
    return out;
}

bool expand_lots(MemberState& s, const std::vector<Lot>& open,
                 const std::vector<std::optional<UnixSeconds>>& expiries) {
    const UnixSeconds at = s.lots_merged_at.value_or(0);
    for (const auto& e : expiries) {
        const Lot* m = merged_lot_of(s, e);
        if (!m) continue;
        const std::int64_t count = m->merged;
        const Points remaining = m->remaining;
        std::int64_t pending_here = 0;
        for (const auto& l : s.lots)
            if (l.merged == 0 && l.expires_at == e) ++pending_here;
        std::int64_t stored_count = 0, stored_pending = 0;
        Points stored_remaining = 0;
        for (const auto& l : open) {
            if (l.remaining <= 0 || l.expires_at != e || l.merged != 0) continue;
            if (l.available_at <= at) {
                ++stored_count;
                stored_remaining += l.remaining;
            } else {
                ++stored_pending;
            }
        }
        if (stored_count != count || stored_remaining != remaining || stored_pending != pending_here) {
            expand_all_lots(s, open);
            return false;
        }
        s.lots.erase(std::remove_if(s.lots.begin(), s.lots.end(), [&](const Lot& l) { return l.expires_at == e; }),
                     s.lots.end());
        for (const auto& l : open)
            if (l.remaining > 0 && l.expires_at == e) s.lots.push_back(l);
    }
    sort_lots(s.lots);
    return true;
}

void expand_all_lots(MemberState& s, std::vector<Lot> open) {
    open.erase(std::remove_if(open.begin(), open.end(), [](const Lot& l) { return l.remaining <= 0; }), open.end());
    s.lots = std::move(open);
    sort_lots(s.lots);
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
    // A plan decided on merged lots would change no stored lot here (decide_on_snapshot expands them).
    if (!merged_lots_read(s, *apply).empty()) return false;
    apply_plan(s, *apply, unused_lot_id);
    if (s.lots.size() - lots_before != ids.lot_ids.size() || s.coupons.size() - coupons_before != ids.coupons.size())
        return false;
    for (std::size_t i = 0; i < ids.lot_ids.size(); ++i) s.lots[lots_before + i].id = ids.lot_ids[i];
    s.coupons.resize(coupons_before);
    s.coupons.insert(s.coupons.end(), ids.coupons.begin(), ids.coupons.end());
    if (!compact_snapshot(z, s, snapshot_horizon(p, z, now), now)) return false;
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
            x.available_at != y.available_at || x.expires_at != y.expires_at || x.source != y.source ||
            x.merged != y.merged)
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
    if (a.lots_merged_at != b.lots_merged_at)
        return mismatch("lots_merged_at", 0, a.lots_merged_at.value_or(-1), b.lots_merged_at.value_or(-1));
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
