// Points ledger: lots with expiry, and the pure decisions (earn, refund, spend, adjust, expire, catch-up
// issues) that return a Plan for storage to persist. Invariant kept by every Plan:
//   sum(entry points) == sum(lot remainders) == ledger_total, no lot below 0 or above its original,
//   and debt is only ever changed together with an entry or a purchase row.
//
// Index of this file:
// [SECTION] Names
// [SECTION] Internals
// [SECTION] State application and balances
// [SECTION] Spending and adjustments
// [SECTION] Purchases and refunds
// [SECTION] Catch-up and join
#include "memberdesk/ledger.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "memberdesk/coupons.hpp"
#include "memberdesk/multiplier.hpp"
#include "memberdesk/referral.hpp"
#include "memberdesk/tiers.hpp"

namespace memberdesk {

// [SECTION] Names

const char* to_string(EntryType t) {
    switch (t) {
        case EntryType::earn: return "earn";
        case EntryType::bonus: return "bonus";
        case EntryType::redeem: return "redeem";
        case EntryType::expire: return "expire";
        case EntryType::clawback: return "clawback";
        case EntryType::adjust: return "adjust";
        case EntryType::debt_settle: return "debt_settle";
    }
    return "earn";
}

std::optional<EntryType> entry_type_from_string(const std::string& s) {
    for (EntryType t : {EntryType::earn, EntryType::bonus, EntryType::redeem, EntryType::expire, EntryType::clawback,
                        EntryType::adjust, EntryType::debt_settle})
        if (s == to_string(t)) return t;
    return std::nullopt;
}

const char* to_string(CouponState s) {
    switch (s) {
        case CouponState::available: return "available";
        case CouponState::used: return "used";
        case CouponState::expired: return "expired";
        case CouponState::voided: return "void";  // the spec's state name (available -> void)
    }
    return "available";
}

std::optional<CouponState> coupon_state_from_string(const std::string& s) {
    if (s == "voided") return CouponState::voided;  // accepted as an alias of "void"
    for (CouponState c : {CouponState::available, CouponState::used, CouponState::expired, CouponState::voided})
        if (s == to_string(c)) return c;
    return std::nullopt;
}

const char* to_string(CouponSource s) {
    switch (s) {
        case CouponSource::reward: return "reward";
        case CouponSource::spend_back: return "spend_back";
        case CouponSource::birthday: return "birthday";
        case CouponSource::welcome: return "welcome";
        case CouponSource::winback: return "winback";
        case CouponSource::holiday: return "holiday";
        case CouponSource::tier_perk: return "tier_perk";
        case CouponSource::staff: return "staff";
    }
    return "staff";
}

std::optional<CouponSource> coupon_source_from_string(const std::string& s) {
    for (CouponSource c :
         {CouponSource::reward, CouponSource::spend_back, CouponSource::birthday, CouponSource::welcome,
          CouponSource::winback, CouponSource::holiday, CouponSource::tier_perk, CouponSource::staff})
        if (s == to_string(c)) return c;
    return std::nullopt;
}

Cents PurchaseSummary::net_in(int month) const {
    auto it = std::lower_bound(months.begin(), months.end(), month,
                               [](const MonthSpend& m, int want) { return m.month < want; });
    return it != months.end() && it->month == month ? it->net : 0;
}

Cents PurchaseSummary::net_total() const {
    Cents sum = 0;
    for (const auto& m : months) sum += m.net;
    return sum;
}

bool Plan::empty() const {
    return lot_changes.empty() && new_lots.empty() && entries.empty() && coupons.empty() && !tier_change && !purchase &&
           new_issue_keys.empty();
}

// [SECTION] Internals

namespace {

bool is_expired(const Lot& l, UnixSeconds now) { return l.expires_at && *l.expires_at < now; }
bool is_spendable(const Lot& l, UnixSeconds now) {
    return l.remaining > 0 && l.available_at <= now && !is_expired(l, now);
}

// Spend order: soonest expiry first, then oldest earned, never-expiring last; ties by lot id.
bool spend_before(const Lot& a, const Lot& b) {
    if (a.expires_at.has_value() != b.expires_at.has_value()) return a.expires_at.has_value();
    if (a.expires_at && *a.expires_at != *b.expires_at) return *a.expires_at < *b.expires_at;
    if (a.earned_at != b.earned_at) return a.earned_at < b.earned_at;
    return a.id < b.id;
}

std::vector<const Lot*> spendable_in_order(const MemberState& s, UnixSeconds now) {
    std::vector<const Lot*> out;
    for (const auto& l : s.lots)
        if (is_spendable(l, now)) out.push_back(&l);
    std::sort(out.begin(), out.end(), [](const Lot* a, const Lot* b) { return spend_before(*a, *b); });
    return out;
}

Points spendable_total(const MemberState& s, UnixSeconds now) {
    Points sum = 0;
    for (const auto& l : s.lots)
        if (is_spendable(l, now)) sum += l.remaining;
    return sum;
}

// floor(a * b / c) for non-negative a, b and positive c, without overflow.
std::int64_t mul_div_floor(std::int64_t a, std::int64_t b, std::int64_t c) {
    return static_cast<std::int64_t>(static_cast<__int128>(a) * b / c);
}

// x / 100 under the rule's rounding (x >= 0).
Points round_percent(std::int64_t x, Rounding r) {
    switch (r) {
        case Rounding::floor: return x / 100;
        case Rounding::round_half_up: return (x + 50) / 100;
        case Rounding::ceil: return (x + 99) / 100;
    }
    return x / 100;
}

bool has_key(const MemberState& s, const std::string& key) {
    return std::find(s.issue_keys.begin(), s.issue_keys.end(), key) != s.issue_keys.end();
}

// Accumulates a Plan: entries with running balance, changes to existing lots, new lots, scalars.
struct Builder {
    const MemberState& s;
    Plan plan;
    Points total;
    Points debt;
    Points lifetime;

    explicit Builder(const MemberState& st)
        : s(st), total(st.ledger_total), debt(st.debt), lifetime(st.lifetime_earned) {}

    Points remaining_of(const Lot& l) const {
        for (const auto& c : plan.lot_changes)
            if (c.lot_id == l.id) return c.remaining;
        return l.remaining;
    }
    void set_remaining(const Lot& l, Points r) {
        for (auto& c : plan.lot_changes)
            if (c.lot_id == l.id) {
                c.remaining = r;
                return;
            }
        plan.lot_changes.push_back(LotChange{l.id, r});
    }
    LedgerEntry& entry(EntryType type, Points points, Text reason, UnixSeconds created_at, std::string ref = {},
                       std::string store = {}, std::optional<UnixSeconds> expires_at = std::nullopt) {
        total += points;
        LedgerEntry e;
        e.type = type;
        e.points = points;
        e.balance_after = total;
        e.reason = std::move(reason);
        e.created_at = created_at;
        e.expires_at = expires_at;
        e.store = std::move(store);
        e.ref = std::move(ref);
        plan.entries.push_back(std::move(e));
        return plan.entries.back();
    }
    // Takes up to `want` points from `lot` (respecting its current remainder); returns what it took.
    Points take(const Lot& lot, Points want) {
        Points have = remaining_of(lot);
        Points t = std::min(have, want);
        if (t > 0) set_remaining(lot, have - t);
        return t;
    }
    Plan finish() {
        plan.ledger_total_after = total;
        plan.debt_after = debt;
        plan.lifetime_earned_after = lifetime;
        return std::move(plan);
    }
};

struct Credit {
    EntryType type = EntryType::earn;
    Points points = 0;
    Text reason;
    std::string ref, store, source;
    UnixSeconds earned_at = 0, available_at = 0;
    std::optional<UnixSeconds> expires_at;
};

// New lots + entries for each credit, then nets the member's debt against them (a debt_settle entry,
// taken from these new lots in order).
void add_credits(Builder& b, const std::vector<Credit>& credits, UnixSeconds now) {
    std::size_t first_lot = b.plan.new_lots.size();
    Points sum = 0;
    for (const auto& c : credits) {
        if (c.points <= 0) continue;
        b.entry(c.type, c.points, c.reason, now, c.ref, c.store, c.expires_at);
        Lot lot;
        lot.original = c.points;
        lot.remaining = c.points;
        lot.earned_at = c.earned_at;
        lot.available_at = c.available_at;
        lot.expires_at = c.expires_at;
        lot.source = c.source;
        b.plan.new_lots.push_back(std::move(lot));
        b.lifetime += c.points;
        sum += c.points;
    }
    Points settle = std::min(b.debt, sum);
    if (settle <= 0) return;
    Points left = settle;
    for (std::size_t k = first_lot; k < b.plan.new_lots.size() && left > 0; ++k) {
        Lot& lot = b.plan.new_lots[k];
        Points t = std::min(lot.remaining, left);
        lot.remaining -= t;
        left -= t;
    }
    b.debt -= settle;
    std::string ref = credits.empty() ? std::string() : credits.front().ref;
    b.entry(EntryType::debt_settle, -settle,
            Text{"抵扣退款欠下的" + std::to_string(settle) + "积分",
                 "Offset " + std::to_string(settle) + " points owed after a refund"},
            now, ref);
}

// Consumes `points` from spendable lots in spend order (caller checked there are enough).
void consume_in_spend_order(Builder& b, const MemberState& s, Points points, UnixSeconds now,
                            const std::string& skip_source = {}) {
    for (const Lot* l : spendable_in_order(s, now)) {
        if (points <= 0) break;
        if (!skip_source.empty() && l->source == skip_source) continue;
        points -= b.take(*l, points);
    }
}

// Takes `points` back (a refund, a referral reward undone): first from the lots of `source` (pending
// or not), then from other spendable lots, the rest becomes debt; one clawback entry.
void take_back(Builder& b, const MemberState& s, Points points, const std::string& source, Text reason, std::string ref,
               std::string store, UnixSeconds now) {
    std::vector<const Lot*> own;
    for (const auto& l : s.lots)
        if (l.source == source && l.remaining > 0 && !is_expired(l, now)) own.push_back(&l);
    std::sort(own.begin(), own.end(), [](const Lot* a, const Lot* x) { return a->id < x->id; });
    Points left = points;
    for (const Lot* l : own) left -= b.take(*l, left);
    if (left > 0) {
        Points other = 0;
        for (const Lot* l : spendable_in_order(s, now))
            if (l->source != source) other += b.remaining_of(*l);
        Points t = std::min(other, left);
        consume_in_spend_order(b, s, t, now, source);
        left -= t;
    }
    const Points taken = points - left;
    b.debt += left;
    b.lifetime -= points;
    if (left > 0) {
        reason.zh += "（余额不足，" + std::to_string(left) + "积分记为欠分，从以后获得的积分中抵扣）";
        reason.en += " (" + std::to_string(left) + " owed, to be offset against future points)";
    }
    b.entry(EntryType::clawback, -taken, std::move(reason), now, std::move(ref), std::move(store));
}

CivilDate local_date(const ZoneRules& z, UnixSeconds t) { return z.local_date(t); }

Credit make_credit(const ProgramConfig& p, const ZoneRules& z, EntryType type, Points points, Text reason,
                   std::string ref, std::string store, std::string source, UnixSeconds earned_at) {
    Credit c;
    c.type = type;
    c.points = points;
    c.reason = std::move(reason);
    c.ref = std::move(ref);
    c.store = std::move(store);
    c.source = std::move(source);
    c.earned_at = earned_at;
    c.available_at = earned_at + static_cast<UnixSeconds>(std::max(0, p.earning.pending_days)) * 86400;
    c.expires_at = lot_expiry(p, z, earned_at);
    return c;
}

void issue(Plan& plan, const ProgramConfig& p, const ZoneRules& z, const std::string& template_id, CouponSource source,
           UnixSeconds now, Text reason) {
    if (template_id.empty()) return;
    const CouponTemplate* t = p.coupon_template(template_id);
    if (!t) return;  // the program validator rejects unknown template ids
    plan.coupons.push_back(make_issue(*t, source, z, now, std::move(reason)));
}

const TierDef* tier_at(const ProgramConfig& p, int index) {
    if (index < 0 || index >= static_cast<int>(p.tiers.size())) return nullptr;
    return &p.tiers[static_cast<std::size_t>(index)];
}

}  // namespace

// [SECTION] State application and balances

void apply_plan(MemberState& s, const Plan& p, std::int64_t& next_lot_id) {
    if (p.empty()) return;  // an empty plan's scalars carry no meaning
    for (const auto& c : p.lot_changes)
        for (auto& l : s.lots)
            if (l.id == c.lot_id) l.remaining = c.remaining;
    for (const auto& nl : p.new_lots) {
        Lot l = nl;
        l.id = next_lot_id++;
        s.lots.push_back(std::move(l));
    }
    std::int64_t next_coupon = 1;
    for (const auto& c : s.coupons) next_coupon = std::max(next_coupon, c.id + 1);
    for (const auto& ci : p.coupons) {
        Coupon c;
        c.id = next_coupon++;
        c.code = "M" + std::to_string(s.member_id) + "C" + std::to_string(c.id);
        c.template_id = ci.template_id;
        c.terms.id = ci.template_id;  // apply_plan has no program: terms carry only the template id
        c.source = ci.source;
        c.state = CouponState::available;
        c.valid_from = ci.valid_from;
        c.valid_until = ci.valid_until;
        c.issued_at = ci.valid_from;
        s.coupons.push_back(std::move(c));
    }
    if (p.tier_change) s.tier = p.tier_change->status;
    if (p.purchase) {
        auto it = std::find_if(s.purchases.begin(), s.purchases.end(),
                               [&](const Purchase& x) { return x.txn_id == p.purchase->txn_id; });
        if (it != s.purchases.end())
            *it = *p.purchase;
        else
            s.purchases.push_back(*p.purchase);
    }
    s.debt = p.debt_after;
    s.lifetime_earned = p.lifetime_earned_after;
    s.ledger_total = p.ledger_total_after;
    for (const auto& k : p.new_issue_keys)
        if (!has_key(s, k)) s.issue_keys.push_back(k);
}

Balances balances(const ProgramConfig& p, const MemberState& s, UnixSeconds now) {
    Balances b;
    const UnixSeconds soon = now + static_cast<UnixSeconds>(std::max(0, p.expiring_soon_days)) * 86400;
    for (const auto& l : s.lots) {
        if (l.remaining <= 0 || is_expired(l, now)) continue;
        if (l.available_at > now) {
            b.pending += l.remaining;
            continue;
        }
        b.balance += l.remaining;
        if (l.expires_at && *l.expires_at <= soon) {
            b.expiring_soon += l.remaining;
            if (!b.next_expiry || *l.expires_at < *b.next_expiry) b.next_expiry = l.expires_at;
        }
    }
    b.lifetime_earned = s.lifetime_earned;
    b.debt = s.debt;
    return b;
}

// after_days N: end of the local day N days after the earning date (day-based like every other
// boundary in the program). end_of_month_after N: end of the local month N months after the earning
// month. end_of_year N: end of 31 December of the year N years after the earning year.
std::optional<UnixSeconds> lot_expiry(const ProgramConfig& p, const ZoneRules& z, UnixSeconds earned_at) {
    const CivilDate d = z.local_date(earned_at);
    const int n = p.expiry.n;
    switch (p.expiry.policy) {
        case ExpiryPolicy::never: return std::nullopt;
        case ExpiryPolicy::after_days: return z.end_of_day(add_days(d, n));
        case ExpiryPolicy::end_of_month_after: return z.end_of_day(end_of_month(add_months_clamped(d, n)));
        case ExpiryPolicy::end_of_year: return z.end_of_day(CivilDate{d.year + n, 12, 31});
    }
    return std::nullopt;
}

// [SECTION] Spending and adjustments

Result<Plan> spend_points(const ProgramConfig&, const MemberState& s, Points points, EntryType type, Text reason,
                          std::string ref, UnixSeconds now) {
    if (points <= 0) return make_error(ErrorCode::invalid_points, "points must be a positive integer");
    Points have = spendable_total(s, now);
    if (have < points)
        return make_error(ErrorCode::insufficient_points,
                          "needs " + std::to_string(points) + " points, " + std::to_string(have) + " available");
    Builder b(s);
    consume_in_spend_order(b, s, points, now);
    b.entry(type, -points, std::move(reason), now, std::move(ref));
    return b.finish();
}

Result<Plan> adjust_points(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, Points delta,
                           const std::string& reason, UnixSeconds now) {
    if (delta == 0) return make_error(ErrorCode::invalid_points, "an adjustment must change the points");
    if (delta < 0) return spend_points(p, s, -delta, EntryType::adjust, Text{reason, reason}, "adjust", now);
    Builder b(s);
    add_credits(b, {make_credit(p, z, EntryType::adjust, delta, Text{reason, reason}, "adjust", {}, "adjust", now)},
                now);
    return b.finish();
}

Plan participation_points(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, Points points, Text reason,
                          std::string ref, UnixSeconds now) {
    if (points <= 0) return Plan{};
    Builder b(s);
    std::string source = ref.empty() ? std::string("participation") : ref;
    add_credits(b, {make_credit(p, z, EntryType::bonus, points, std::move(reason), ref, {}, source, now)}, now);
    return b.finish();
}

// [SECTION] Purchases and refunds

Result<Plan> earn_purchase(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, const PurchaseInput& in,
                           UnixSeconds now, const std::optional<ReferralFacts>& referral) {
    if (in.amount <= 0) return make_error(ErrorCode::invalid_amount, "amount must be a positive number of fen");
    if (in.txn_id.empty()) return make_error(ErrorCode::invalid_transaction, "txn_id must not be empty");
    for (const auto& pu : s.purchases)
        if (pu.txn_id == in.txn_id)
            return make_error(ErrorCode::duplicate_transaction, "transaction " + in.txn_id + " was already posted");

    const UnixSeconds at = in.at > 0 ? in.at : now;
    const int tier_idx = current_tier_index(p, s.tier);
    const TierDef* tier = tier_at(p, tier_idx);
    const int mult = tier ? tier->multiplier_percent : 100;
    const std::string tier_id = tier ? tier->id : std::string();
    const std::string source = "purchase:" + in.txn_id;
    const std::string zh_amount = format_money(in.amount, "zh"), en_amount = format_money(in.amount, "en");

    // Base points at the tier held before this purchase.
    const Cents unit = p.earning.unit > 0 ? p.earning.unit : 1;
    const std::int64_t steps = in.amount / unit;
    const Points base = round_percent(steps * p.earning.base_rate * mult, p.earning.rounding);

    std::vector<Credit> credits;
    {
        Text reason{"消费" + zh_amount + "获得积分", "Earned for a purchase of " + en_amount};
        if (mult != 100 && tier) {
            reason.zh += "（" + tier->name.zh + " " + format_multiplier(mult) + "）";
            reason.en += " (" + tier->name.en + " " + format_multiplier(mult) + ")";
        }
        credits.push_back(make_credit(p, z, EntryType::earn, base, reason, in.txn_id, in.store, source, at));
    }

    // Campaign bonuses: one bonus entry and lot per campaign that applies (they stack additively).
    const CivilDate day = local_date(z, at);
    for (const auto& c : p.campaigns) {
        if (in.amount < c.min_amount) continue;
        Points bonus = 0;
        switch (c.kind) {
            case CampaignKind::weekday_multiplier:
                if (weekday(day) == c.weekday && c.multiplier_percent > 100)
                    bonus = round_percent(base * (c.multiplier_percent - 100), p.earning.rounding);
                break;
            case CampaignKind::date_multiplier:
                if (std::find(c.dates.begin(), c.dates.end(), day) != c.dates.end() && c.multiplier_percent > 100)
                    bonus = round_percent(base * (c.multiplier_percent - 100), p.earning.rounding);
                break;
            case CampaignKind::fixed_bonus: bonus = c.bonus; break;
        }
        if (bonus <= 0) continue;
        credits.push_back(make_credit(p, z, EntryType::bonus, bonus,
                                      Text{c.name.zh + "：额外积分", c.name.en + ": bonus points"}, in.txn_id, in.store,
                                      source, at));
    }

    // Referral: the new member's reward at their first purchase, in its own lot (a partial refund of
    // the purchase does not touch it; refund_purchase takes it back at a full refund).
    std::vector<Credit> all = credits;
    std::optional<ReferralOutcome> referral_out;
    if (referral && !referral->settled && p.referral.enabled() && s.purchases.empty() &&
        s.earlier_purchases.count == 0) {
        ReferralOutcome o;
        o.kind = ReferralOutcome::Kind::award;
        o.referrer_id = referral->referrer_id;
        o.month = referral_month(z, at);
        o.new_member_points = p.referral.new_member_points;
        o.capped = p.referral.monthly_cap > 0 && referral->referrer_rewards_this_month >= p.referral.monthly_cap;
        o.referrer_points = o.capped ? 0 : p.referral.referrer_points;
        if (o.new_member_points > 0)
            all.push_back(make_credit(p, z, EntryType::bonus, o.new_member_points,
                                      Text{"推荐奖励：首次消费", "Referral reward for your first purchase"}, in.txn_id,
                                      in.store, referral_source_new_member(), at));
        referral_out = o;
    }

    Builder b(s);
    add_credits(b, all, now);
    b.plan.referral = referral_out;

    Purchase pu;
    pu.txn_id = in.txn_id;
    pu.amount = in.amount;
    pu.at = at;
    pu.store = in.store;
    for (const auto& c : credits) pu.points += std::max<Points>(0, c.points);
    pu.tier_id = tier_id;
    b.plan.purchase = pu;

    // Spend-back: of the rules for the tier held before the purchase, the one with the highest
    // min_amount that this purchase reaches (one coupon per purchase; config order breaks ties).
    const SpendBackRule* best = nullptr;
    for (const auto& r : p.issue.spend_back) {
        if (!r.tier_id.empty() && r.tier_id != tier_id) continue;
        if (in.amount < r.min_amount) continue;
        if (!best || r.min_amount > best->min_amount) best = &r;
    }
    if (best)
        issue(b.plan, p, z, best->template_id, CouponSource::spend_back, now,
              Text{"消费满" + format_money(best->min_amount, "zh") + "返券",
                   "Spend-back for a purchase over " + format_money(best->min_amount, "en")});

    // Immediate upgrade (this purchase already earned at the old tier), with the new tier's perks.
    MemberState after = s;
    after.purchases.push_back(pu);
    if (auto change = upgrade_after_purchase(p, z, after, std::max(now, at))) {
        if (const TierDef* nt = p.tier(change->to))
            for (const auto& tpl : nt->perk_templates)
                issue(b.plan, p, z, tpl, CouponSource::tier_perk, now,
                      Text{nt->name.zh + "会员礼遇", nt->name.en + " member perk"});
        b.plan.tier_change = std::move(*change);
    }
    return b.finish();
}

Result<Plan> refund_purchase(const ProgramConfig&, const ZoneRules&, const MemberState& s, const RefundInput& in,
                             UnixSeconds now, const std::optional<Purchase>& stored,
                             const std::optional<ReferralPaid>& referral) {
    if (in.amount <= 0) return make_error(ErrorCode::invalid_amount, "refund amount must be a positive number of fen");
    const Purchase* found = stored && stored->txn_id == in.txn_id ? &*stored : nullptr;
    for (const auto& x : s.purchases)
        if (!found && x.txn_id == in.txn_id) found = &x;
    if (!found) return make_error(ErrorCode::unknown_transaction, "no purchase " + in.txn_id);
    const Purchase& pu = *found;
    if (in.amount > pu.amount - pu.refunded)
        return make_error(ErrorCode::refund_exceeds_purchase,
                          "refund of " + std::to_string(in.amount) + " exceeds the " +
                              std::to_string(pu.amount - pu.refunded) + " fen not yet refunded");

    const Cents refunded_after = pu.refunded + in.amount;
    // Cumulative: after all refunds so far exactly floor(points * refunded / amount) is clawed back.
    const Points claw =
        mul_div_floor(pu.points, refunded_after, pu.amount) - mul_div_floor(pu.points, pu.refunded, pu.amount);

    Builder b(s);
    Purchase updated = pu;
    updated.refunded = refunded_after;
    b.plan.purchase = updated;
    b.plan.purchase_refunded_before = pu.refunded;
    const std::string ref = in.refund_id.empty() ? pu.txn_id : in.refund_id;
    if (claw > 0)
        take_back(
            b, s, claw, "purchase:" + pu.txn_id,
            Text{"退款" + format_money(in.amount, "zh") + "，扣回" + std::to_string(claw) + "积分",
                 "Refund of " + format_money(in.amount, "en") + ": " + std::to_string(claw) + " points taken back"},
            ref, pu.store, now);

    // The first purchase refunded in full: the referral rewards of both sides go back.
    if (referral && !referral->clawed_back && referral->first_txn == pu.txn_id && refunded_after == pu.amount) {
        ReferralOutcome o;
        o.kind = ReferralOutcome::Kind::clawback;
        o.referrer_id = referral->referrer_id;
        o.new_member_points = referral->new_member_points;
        o.referrer_points = referral->referrer_points;
        if (o.new_member_points > 0)
            take_back(b, s, o.new_member_points, referral_source_new_member(),
                      Text{"首次消费已全额退款，扣回推荐奖励", "Referral reward taken back: first purchase refunded"},
                      ref, pu.store, now);
        b.plan.referral = o;
    }
    return b.finish();
}

// [SECTION] Catch-up and join

Plan catch_up(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, UnixSeconds now) {
    Builder b(s);

    // 1. Expiry: one entry per lot with points left whose last usable second has passed.
    std::vector<const Lot*> due;
    for (const auto& l : s.lots)
        if (l.remaining > 0 && is_expired(l, now)) due.push_back(&l);
    std::sort(due.begin(), due.end(), [](const Lot* a, const Lot* x) {
        if (*a->expires_at != *x->expires_at) return *a->expires_at < *x->expires_at;
        return a->id < x->id;
    });
    for (const Lot* l : due) {
        Points r = l->remaining;
        b.set_remaining(*l, 0);
        const std::string earned = format_date(z.local_date(l->earned_at));
        b.entry(EntryType::expire, -r, Text{"积分过期（" + earned + "获得）", "Points expired (earned " + earned + ")"},
                *l->expires_at + 1, "lot:" + std::to_string(l->id));
    }

    // 2. Tier re-evaluation, repeated while further valid_until dates have passed.
    {
        MemberState cur = s;
        std::optional<TierChange> total;
        for (int guard = 0; guard < 1000; ++guard) {
            auto c = reevaluate_tier(p, z, cur, now);
            if (!c) break;
            if (c->status.valid_until && cur.tier.valid_until && *c->status.valid_until <= *cur.tier.valid_until)
                break;  // no progress (misconfigured valid_months); stop rather than loop
            if (!total)
                total = c;
            else {
                std::string from = total->from;
                total = c;
                total->from = from;
            }
            cur.tier = c->status;
        }
        if (total) b.plan.tier_change = std::move(total);
    }

    // Birthday, holiday and win-back coupons are not issued here but by the scheduler on their day
    // (reach.hpp), so a member who never visits gets them too.
    if (b.plan.empty()) return Plan{};
    return b.finish();
}

Plan join(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, UnixSeconds now) {
    Builder b(s);
    if (!p.issue.welcome_template.empty() && !has_key(s, "welcome") && p.coupon_template(p.issue.welcome_template)) {
        issue(b.plan, p, z, p.issue.welcome_template, CouponSource::welcome, now,
              Text{"新会员欢迎礼", "Welcome gift for new members"});
        b.plan.new_issue_keys.push_back("welcome");
    }
    if (b.plan.empty()) return Plan{};
    return b.finish();
}

// Mirrors what each of catch_up's sections reads, so it works on a full state and on a reduced one
// (open lots, latest purchase, no coupons): (1) expiry: lots with remaining > 0 whose expires_at <
// now -- checked directly; (2) tier re-evaluation: fires once tier.valid_until < now and then depends
// on all purchases, so a passed valid_until means "maybe due". The rest is decided by catch_up itself
// on a state holding the scalars, tier and issue keys. A new kind of catch-up event must be added here.
DueProbe due_probe(const MemberState& s) {
    DueProbe probe;
    for (const auto& l : s.lots)
        if (l.remaining > 0 && l.expires_at && (!probe.first_open_expiry || *l.expires_at < *probe.first_open_expiry))
            probe.first_open_expiry = l.expires_at;
    MemberState& t = probe.reduced;
    t.member_id = s.member_id;
    t.joined_at = s.joined_at;
    t.birthday = s.birthday;
    t.tier = s.tier;
    t.debt = s.debt;
    t.lifetime_earned = s.lifetime_earned;
    t.ledger_total = s.ledger_total;
    t.issue_keys = s.issue_keys;
    t.earlier_purchases.horizon = s.earlier_purchases.horizon;
    t.earlier_purchases.last = s.earlier_purchases.last;
    const Purchase* last = nullptr;  // purchases are in (at, id) order: the last one with the greatest at
    for (const auto& pu : s.purchases)
        if (!last || pu.at >= last->at) last = &pu;
    if (last) t.purchases.push_back(*last);
    return probe;
}

bool catch_up_nothing_due(const ProgramConfig& p, const ZoneRules& z, const DueProbe& probe, UnixSeconds now) {
    if (probe.first_open_expiry && *probe.first_open_expiry < now) return false;
    const MemberState& t = probe.reduced;
    if (!p.tiers.empty() && t.tier.valid_until && *t.tier.valid_until < now) return false;
    return catch_up(p, z, t, now).empty();
}

bool catch_up_nothing_due(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, UnixSeconds now) {
    return catch_up_nothing_due(p, z, due_probe(s), now);
}

// [SECTION] Referral rewards

Plan referral_reward(const ProgramConfig& p, const ZoneRules& z, const MemberState& referrer, Points points,
                     std::int64_t new_member_id, UnixSeconds now) {
    if (points <= 0) return Plan{};
    Builder b(referrer);
    add_credits(
        b,
        {make_credit(p, z, EntryType::bonus, points,
                     Text{"推荐奖励：好友首次消费", "Referral reward: a friend you invited made a first purchase"},
                     "referral:" + std::to_string(new_member_id), {}, referral_source_referrer(new_member_id), now)},
        now);
    return b.finish();
}

Plan referral_clawback(const ProgramConfig&, const MemberState& s, Points points, const std::string& source,
                       const std::string& ref, UnixSeconds now) {
    if (points <= 0) return Plan{};
    Builder b(s);
    take_back(b, s, points, source,
              Text{"好友首次消费已全额退款，扣回推荐奖励",
                   "Referral reward taken back: your friend's first purchase was refunded"},
              ref, {}, now);
    return b.finish();
}

}  // namespace memberdesk
