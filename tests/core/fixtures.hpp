// Shared helpers for the ledger / tier / time tests: a coffee-like program built in code (no preset
// files), real time zones from the embedded TZif bytes, and a member simulator that applies plans
// the way storage does (catch_up first, then the decision).
#pragma once
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <string_view>

#include "memberdesk/coupons.hpp"
#include "memberdesk/ledger.hpp"
#include "memberdesk/program.hpp"
#include "memberdesk/tiers.hpp"
#include "memberdesk/time.hpp"
#include "test_tz.hpp"

namespace mdtest {

using namespace memberdesk;

// "2026-03-31T16:30:00Z" -> UnixSeconds (fails the test on a bad literal).
inline UnixSeconds at(std::string_view s) {
    auto r = parse_rfc3339(s);
    if (!r) FAIL("bad time literal " << std::string(s) << ": " << r.error().message);
    return *r;
}

inline CivilDate date(int y, int m, int d) { return CivilDate{y, m, d}; }

// A real zone from the embedded tz database (cached).
inline const ZoneRules& zone(const std::string& name) {
    static std::map<std::string, ZoneRules> cache;
    auto it = cache.find(name);
    if (it != cache.end()) return it->second;
    auto bytes = test_tzif(name);
    if (bytes.empty()) FAIL("zone not embedded: " << name);
    auto z = ZoneRules::from_tzif(name, bytes);
    if (!z) FAIL("zone " << name << ": " << z.error().message);
    return cache.emplace(name, *z).first->second;
}
inline const ZoneRules& shanghai() { return zone("Asia/Shanghai"); }

inline TierDef tier(std::string id, std::string zh, std::string en, Cents min_spend, int multiplier) {
    TierDef t;
    t.id = std::move(id);
    t.name = Text{std::move(zh), std::move(en)};
    t.min_spend = min_spend;
    t.multiplier_percent = multiplier;
    return t;
}

inline CouponTemplate amount_off(std::string id, Cents amount, int days = 30) {
    CouponTemplate t;
    t.id = std::move(id);
    t.kind = CouponKind::amount_off;
    t.amount = amount;
    t.validity.days = days;
    return t;
}

// Coffee-like: Standard / Premium / Elite by rolling 12-month spend >= 0 / 1,200 / 3,600 yuan,
// x1.0 / x1.2 / x1.5, 1 point per 10 yuan, floor per order, lots expire at the end of the month
// 12 months after earning, Asia/Shanghai. Spend-back 100->10 (Standard), 200->20 (Premium),
// 500->50 (Elite); Premium perk; welcome and birthday coupons. No campaigns.
inline ProgramConfig coffee() {
    ProgramConfig p;
    p.id = "coffee";
    p.name = Text{"咖啡会员", "Coffee Club"};
    p.timezone = "Asia/Shanghai";
    p.earning = EarningRule{1000, 1, Rounding::floor, 0};
    p.expiry = ExpiryRule{ExpiryPolicy::end_of_month_after, 12};
    p.expiring_soon_days = 30;
    p.tier_rule = TierRule{TierRuleKind::rolling_spend, 12, 0, 12, 1};
    p.tiers = {tier("standard", "标准", "Standard", 0, 100), tier("premium", "优选", "Premium", 120000, 120),
               tier("elite", "尊享", "Elite", 360000, 150)};
    p.tiers[1].perk_templates = {"premium_drinks"};
    p.coupon_templates = {amount_off("cb10", 1000),        amount_off("cb20", 2000),   amount_off("cb50", 5000),
                          amount_off("premium_drinks", 0), amount_off("welcome", 500), amount_off("birthday", 0),
                          amount_off("winback", 800),      amount_off("holiday", 1500)};
    p.coupon_templates[5].kind = CouponKind::free_item;
    p.coupon_templates[5].validity.end_of_month = true;
    p.issue.welcome_template = "welcome";
    p.issue.birthday_template = "birthday";
    p.issue.spend_back = {SpendBackRule{"standard", 10000, "cb10"}, SpendBackRule{"premium", 20000, "cb20"},
                          SpendBackRule{"elite", 50000, "cb50"}};
    return p;
}

// Applies plans to one member exactly like storage: every operation runs catch_up first.
struct Sim {
    ProgramConfig p;
    ZoneRules z;
    MemberState s;
    std::int64_t next_lot = 1;

    explicit Sim(ProgramConfig program = coffee(), ZoneRules zone_rules = shanghai())
        : p(std::move(program)), z(std::move(zone_rules)) {
        s.member_id = 1;
    }

    Plan apply(const Plan& plan) {
        apply_plan(s, plan, next_lot);
        return plan;
    }
    Plan catch_up_at(UnixSeconds now) { return apply(memberdesk::catch_up(p, z, s, now)); }
    Plan earn(const std::string& txn, Cents amount, UnixSeconds now) {
        catch_up_at(now);
        auto r = earn_purchase(p, z, s, PurchaseInput{txn, amount, "S1", now}, now);
        if (!r) FAIL("earn " << txn << ": " << r.error().message);
        return apply(*r);
    }
    Plan refund(const std::string& txn, Cents amount, UnixSeconds now, const std::string& refund_id = "R") {
        catch_up_at(now);
        auto r = refund_purchase(p, z, s, RefundInput{txn, refund_id, amount}, now);
        if (!r) FAIL("refund " << txn << ": " << r.error().message);
        return apply(*r);
    }
    Plan spend(Points points, UnixSeconds now) {
        catch_up_at(now);
        auto r = spend_points(p, s, points, EntryType::redeem, Text{"兑换", "Redeemed"}, "reward:x", now);
        if (!r) FAIL("spend " << points << ": " << r.error().message);
        return apply(*r);
    }
    Balances bal(UnixSeconds now) const { return balances(p, s, now); }
    Points lots_total() const {
        Points sum = 0;
        for (const auto& l : s.lots) sum += l.remaining;
        return sum;
    }
    const Lot& lot(std::int64_t id) const {
        for (const auto& l : s.lots)
            if (l.id == id) return l;
        FAIL("no lot " << id);
        return s.lots.front();
    }
};

// A lot placed directly into a state (for spend-order tests).
inline Lot make_lot(std::int64_t id, Points points, UnixSeconds earned_at, std::optional<UnixSeconds> expires_at,
                    std::string source = "test") {
    Lot l;
    l.id = id;
    l.original = points;
    l.remaining = points;
    l.earned_at = earned_at;
    l.available_at = earned_at;
    l.expires_at = expires_at;
    l.source = std::move(source);
    return l;
}

inline Points sum_entries(const Plan& plan) {
    Points sum = 0;
    for (const auto& e : plan.entries) sum += e.points;
    return sum;
}

}  // namespace mdtest
