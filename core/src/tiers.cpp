// Tier qualification (rolling_spend, monthly_streak), upgrade / hold / downgrade, and progress texts.
#include "memberdesk/tiers.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "memberdesk/coupons.hpp"

namespace memberdesk {

namespace {

Cents net_amount(const Purchase& pu) { return pu.amount - pu.refunded; }

// Net spend per local calendar month (month_index) of purchases made at or before `now` (summarised
// purchases were all made at or before now: snapshot_covers).
std::map<int, Cents> spend_by_month(const ZoneRules& z, const std::vector<Purchase>& purchases,
                                    const PurchaseSummary& earlier, UnixSeconds now) {
    std::map<int, Cents> out;
    for (const auto& m : earlier.months) out[m.month] += m.net;
    for (const auto& pu : purchases)
        if (pu.at <= now) out[month_index(z.local_date(pu.at))] += net_amount(pu);
    return out;
}

Cents lifetime_spend(const std::vector<Purchase>& purchases, const PurchaseSummary& earlier, UnixSeconds now) {
    Cents sum = earlier.net_total();
    for (const auto& pu : purchases)
        if (pu.at <= now) sum += net_amount(pu);
    return sum;
}

// A month counts toward a streak when its net spend reaches the monthly minimum; a month without any
// spend never counts (so a minimum of 0 does not make every month since 1970 count).
Cents streak_minimum(const ProgramConfig& p) { return std::max<Cents>(p.tier_rule.monthly_minimum, 1); }

bool qualifies(const ProgramConfig& p, const TierDef& t, Cents window, int streak, Cents lifetime) {
    if (p.tier_rule.kind == TierRuleKind::rolling_spend) return window >= t.min_spend;
    return streak >= t.min_months && lifetime >= t.min_lifetime_spend;
}

// The tier is held through the end of the local day that is valid_months after the qualifying (or
// re-evaluation) date, clamped to the month's last day: qualifying on 2026-03-15 with 12 months holds
// the tier through 2027-03-15 23:59:59 local; 2026-01-31 + 1 month holds through 2026-02-28.
// The entry tier is never limited.
std::optional<UnixSeconds> valid_until_for(const ProgramConfig& p, const ZoneRules& z, int tier_index,
                                           UnixSeconds qualified_at) {
    if (tier_index <= 0) return std::nullopt;
    return z.end_of_day(add_months_clamped(z.local_date(qualified_at), std::max(1, p.tier_rule.valid_months)));
}

const std::string& tier_id_at(const ProgramConfig& p, int i) {
    static const std::string empty;
    if (i < 0 || i >= static_cast<int>(p.tiers.size())) return empty;
    return p.tiers[static_cast<std::size_t>(i)].id;
}

std::string months_en(int n) { return std::to_string(n) + (n == 1 ? " month" : " months"); }
std::string more_months_en(int n) { return std::to_string(n) + (n == 1 ? " more month" : " more months"); }

}  // namespace

UnixSeconds rolling_window_start(const ProgramConfig& p, const ZoneRules& z, UnixSeconds now) {
    CivilDateTime start = z.to_local(now);
    start.date = add_months_clamped(start.date, -std::max(0, p.tier_rule.window_months));
    return z.from_local(start);
}

Cents rolling_spend(const ProgramConfig& p, const ZoneRules& z, const std::vector<Purchase>& purchases,
                    UnixSeconds now) {
    // Window (now - W local months, now].
    const UnixSeconds from = rolling_window_start(p, z, now);
    Cents sum = 0;
    for (const auto& pu : purchases)
        if (pu.at > from && pu.at <= now) sum += net_amount(pu);
    return sum;
}

int monthly_streak(const ProgramConfig& p, const ZoneRules& z, const std::vector<Purchase>& purchases, UnixSeconds now,
                   const PurchaseSummary& earlier) {
    const auto by_month = spend_by_month(z, purchases, earlier, now);
    const Cents min = streak_minimum(p);
    auto spend = [&](int m) {
        auto it = by_month.find(m);
        return it == by_month.end() ? Cents{0} : it->second;
    };
    int m = month_index(z.local_date(now));
    if (spend(m) < min) --m;
    int n = 0;
    while (spend(m) >= min) {
        ++n;
        --m;
    }
    return n;
}

int qualified_tier(const ProgramConfig& p, const ZoneRules& z, const std::vector<Purchase>& purchases, UnixSeconds now,
                   const PurchaseSummary& earlier) {
    if (p.tiers.empty()) return 0;
    Cents window = 0, lifetime = 0;
    int streak = 0;
    if (p.tier_rule.kind == TierRuleKind::rolling_spend) {
        window = rolling_spend(p, z, purchases, now);
    } else {
        streak = monthly_streak(p, z, purchases, now, earlier);
        lifetime = lifetime_spend(purchases, earlier, now);
    }
    for (int i = static_cast<int>(p.tiers.size()) - 1; i > 0; --i)
        if (qualifies(p, p.tiers[static_cast<std::size_t>(i)], window, streak, lifetime)) return i;
    return 0;
}

int current_tier_index(const ProgramConfig& p, const TierStatus& t) {
    if (t.tier_id.empty()) return 0;
    int i = p.tier_index(t.tier_id);
    return i < 0 ? 0 : i;
}

std::optional<TierChange> upgrade_after_purchase(const ProgramConfig& p, const ZoneRules& z, const MemberState& s,
                                                 UnixSeconds now) {
    if (p.tiers.empty()) return std::nullopt;
    const int cur = current_tier_index(p, s.tier);
    const int q = qualified_tier(p, z, s.purchases, now, s.earlier_purchases);
    if (q <= cur) return std::nullopt;
    const TierDef& to = p.tiers[static_cast<std::size_t>(q)];
    TierChange c;
    c.from = tier_id_at(p, cur);
    c.to = to.id;
    c.status.tier_id = to.id;
    c.status.since = now;
    c.status.valid_until = valid_until_for(p, z, q, now);
    c.reason = Text{"升级为" + to.name.zh, "Upgraded to " + to.name.en};
    return c;
}

// Due when valid_until has passed (valid_until is the last second the tier is held). Qualification is
// judged as of valid_until itself, so a member away for years is re-evaluated period by period
// (catch_up repeats this while it returns a change).
std::optional<TierChange> reevaluate_tier(const ProgramConfig& p, const ZoneRules& z, const MemberState& s,
                                          UnixSeconds now) {
    if (p.tiers.empty() || !s.tier.valid_until || *s.tier.valid_until >= now) return std::nullopt;
    const UnixSeconds at = *s.tier.valid_until;
    const int cur = current_tier_index(p, s.tier);
    const int q = qualified_tier(p, z, s.purchases, at, s.earlier_purchases);
    int target = q;
    if (q < cur) target = std::max(q, cur - std::max(0, p.tier_rule.max_downgrade_steps));
    const TierDef& to = p.tiers[static_cast<std::size_t>(target)];
    TierChange c;
    c.from = tier_id_at(p, cur);
    c.to = to.id;
    c.status.tier_id = to.id;
    c.status.since = target == cur ? s.tier.since : at + 1;
    c.status.valid_until = valid_until_for(p, z, target, at);
    if (target == cur) {
        std::string until = c.status.valid_until ? format_date(z.local_date(*c.status.valid_until)) : std::string();
        c.reason = c.status.valid_until ? Text{"保级成功：" + to.name.zh + "有效期延至" + until,
                                               "Kept " + to.name.en + " until " + until}
                                        : Text{"保持" + to.name.zh, "Kept " + to.name.en};
    } else if (target > cur) {
        c.reason = Text{"升级为" + to.name.zh, "Upgraded to " + to.name.en};
    } else {
        c.reason = Text{"等级调整为" + to.name.zh, "Tier changed to " + to.name.en};
    }
    return c;
}

TierProgress tier_progress(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, UnixSeconds now) {
    TierProgress tp;
    if (p.tiers.empty()) {
        tp.percent = 100;
        return tp;
    }
    const int idx = current_tier_index(p, s.tier);
    const TierDef& cur = p.tiers[static_cast<std::size_t>(idx)];
    const int n = static_cast<int>(p.tiers.size());
    tp.tier_index = idx;
    tp.tier_id = cur.id;
    tp.valid_until = idx > 0 ? s.tier.valid_until : std::nullopt;
    tp.multiplier_percent = cur.multiplier_percent;
    const std::string until = tp.valid_until ? format_date(z.local_date(*tp.valid_until)) : std::string();
    const bool top = idx + 1 >= n;
    const TierDef* next = top ? nullptr : &p.tiers[static_cast<std::size_t>(idx + 1)];
    if (next) {
        tp.next_tier_index = idx + 1;
        tp.next_tier_id = next->id;
    }

    if (p.tier_rule.kind == TierRuleKind::rolling_spend) {
        tp.window_spend = rolling_spend(p, z, s.purchases, now);
        if (next) {
            tp.remaining_spend = std::max<Cents>(0, next->min_spend - tp.window_spend);
            tp.percent = next->min_spend > 0
                             ? static_cast<int>(std::min<Cents>(100, tp.window_spend * 100 / next->min_spend))
                             : 100;
            if (tp.remaining_spend > 0)
                tp.next_requirement =
                    Text{"再消费" + format_money(tp.remaining_spend, "zh") + "升级为" + next->name.zh,
                         "Spend " + format_money(tp.remaining_spend, "en") + " more to reach " + next->name.en};
            else
                tp.next_requirement =
                    Text{"已满足" + next->name.zh + "的升级条件", "You meet the requirement for " + next->name.en};
        }
        if (idx > 0 && tp.valid_until) {
            // Spend already inside the window that will be judged at valid_until.
            const Cents counted = rolling_spend(p, z, s.purchases, *tp.valid_until);
            const Cents need = std::max<Cents>(0, cur.min_spend - counted);
            if (need > 0)
                tp.keep_requirement =
                    Text{until + "前再消费" + format_money(need, "zh") + "即可保持" + cur.name.zh,
                         "Spend " + format_money(need, "en") + " more by " + until + " to keep " + cur.name.en};
            else
                tp.keep_requirement = Text{"已满足保级条件，" + until + "评估后继续保持" + cur.name.zh,
                                           "You already qualify to keep " + cur.name.en + " at the review on " + until};
        }
    } else {
        const auto by_month = spend_by_month(z, s.purchases, s.earlier_purchases, now);
        const int this_month = month_index(z.local_date(now));
        auto it = by_month.find(this_month);
        const Cents month_spend = it == by_month.end() ? 0 : it->second;
        const Cents min = streak_minimum(p);
        const Cents lifetime = lifetime_spend(s.purchases, s.earlier_purchases, now);
        tp.window_spend = month_spend;
        tp.streak_months = monthly_streak(p, z, s.purchases, now, s.earlier_purchases);
        tp.month_remaining_spend = std::max<Cents>(0, min - month_spend);
        const std::string min_zh = format_money(min, "zh"), min_en = format_money(min, "en");
        if (next) {
            tp.remaining_months = std::max(0, next->min_months - tp.streak_months);
            tp.remaining_spend = std::max<Cents>(0, next->min_lifetime_spend - lifetime);
            int pm = next->min_months > 0 ? std::min(100, tp.streak_months * 100 / next->min_months) : 100;
            int pl = next->min_lifetime_spend > 0
                         ? static_cast<int>(std::min<Cents>(100, lifetime * 100 / next->min_lifetime_spend))
                         : 100;
            tp.percent = std::min(pm, pl);
            Text req;
            if (tp.remaining_months > 0) {
                req.zh = "再连续" + std::to_string(tp.remaining_months) + "个月每月消费满" + min_zh;
                req.en = "Spend " + min_en + " a month for " + more_months_en(tp.remaining_months);
                if (tp.month_remaining_spend > 0) {
                    req.zh += "（本月还差" + format_money(tp.month_remaining_spend, "zh") + "）";
                    req.en += " (" + format_money(tp.month_remaining_spend, "en") + " to go this month)";
                }
            }
            if (tp.remaining_spend > 0) {
                req.zh += (req.zh.empty() ? "累计再消费" : "，并累计再消费") + format_money(tp.remaining_spend, "zh");
                req.en +=
                    (req.en.empty() ? "Spend " : ", and ") + format_money(tp.remaining_spend, "en") + " more in total";
            }
            if (req.zh.empty())
                tp.next_requirement =
                    Text{"已满足" + next->name.zh + "的升级条件", "You meet the requirement for " + next->name.en};
            else
                tp.next_requirement = Text{req.zh + "升级为" + next->name.zh, req.en + " to reach " + next->name.en};
        }
        if (idx > 0 && tp.valid_until)
            tp.keep_requirement = Text{"保持每月消费满" + min_zh + "（连续" + std::to_string(cur.min_months) +
                                           "个月），" + until + "评估时即可保持" + cur.name.zh,
                                       "Keep spending " + min_en + " a month (" + months_en(cur.min_months) +
                                           " in a row) to keep " + cur.name.en + " at the review on " + until};
    }
    if (top) {
        tp.percent = 100;
        tp.next_requirement = Text{"已是最高等级", "You are at the top tier"};
    }
    if (idx == 0)
        tp.keep_requirement =
            Text{cur.name.zh + "为入门等级，无需保级", cur.name.en + " is the entry tier: nothing to do to keep it"};
    return tp;
}

}  // namespace memberdesk
