// View models: masking, builders, the member-readable rules text, the zone's wire form, JSON codecs.
//
// Index of this file:
// [SECTION] Masking
// [SECTION] Text helpers for rules
// [SECTION] Rules in plain words
// [SECTION] Builders
// [SECTION] Zone on the wire
// [SECTION] JSON codecs
#include "memberdesk/views.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

namespace memberdesk {

using nlohmann::json;

// [SECTION] Masking

namespace {

// Splits UTF-8 into code points (each as its bytes). A byte that does not start a well-formed
// sequence counts as one unit of its own, so masking never produces broken UTF-8 from valid input
// and never crashes on invalid input.
std::vector<std::string> code_points(const std::string& s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        auto b = static_cast<unsigned char>(s[i]);
        std::size_t len = 1;
        if (b >= 0xC2 && b <= 0xDF)
            len = 2;
        else if (b >= 0xE0 && b <= 0xEF)
            len = 3;
        else if (b >= 0xF0 && b <= 0xF4)
            len = 4;
        if (len > 1) {
            if (i + len > s.size())
                len = 1;
            else
                for (std::size_t k = 1; k < len; ++k)
                    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
                        len = 1;
                        break;
                    }
        }
        out.push_back(s.substr(i, len));
        i += len;
    }
    return out;
}

std::string stars(std::size_t n) { return std::string(n, '*'); }

}  // namespace

// Keeps the first 3 and last 4 characters of a phone number of 11 or more characters
// ("13812345678" -> "138****5678"); 7 to 10 characters keep 2 and 2, 3 to 6 keep 1 and 1, and
// one or two characters are masked completely. At least half of any number is hidden.
std::string mask_phone(const std::string& phone) {
    auto cp = code_points(phone);
    const std::size_t n = cp.size();
    if (n <= 2) return stars(n);
    std::size_t keep_head = n >= 11 ? 3 : n >= 7 ? 2 : 1;
    std::size_t keep_tail = n >= 11 ? 4 : n >= 7 ? 2 : 1;
    std::string out;
    for (std::size_t i = 0; i < keep_head; ++i) out += cp[i];
    out += stars(n - keep_head - keep_tail);
    for (std::size_t i = n - keep_tail; i < n; ++i) out += cp[i];
    return out;
}

// First and last character stay, everything between becomes '*': "王小明" -> "王*明",
// "Ann" -> "A*n", "Ann Lee" -> "A*****e". Two characters keep the first ("王明" -> "王*"), one is
// masked completely ("王" -> "*").
std::string mask_name(const std::string& name) {
    auto cp = code_points(name);
    const std::size_t n = cp.size();
    if (n == 0) return "";
    if (n == 1) return "*";
    if (n == 2) return cp[0] + "*";
    return cp[0] + stars(n - 2) + cp[n - 1];
}

// [SECTION] Text helpers for rules

namespace {

std::string num(std::int64_t v) {
    // "1,500" (points and counts read better grouped)
    bool neg = v < 0;
    std::uint64_t a = neg ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    std::string d = std::to_string(a), out;
    for (std::size_t i = 0; i < d.size(); ++i) {
        out += d[i];
        std::size_t left = d.size() - 1 - i;
        if (left > 0 && left % 3 == 0) out += ',';
    }
    return (neg ? "-" : "") + out;
}

std::string money_zh(Cents c) { return format_money(c, "zh"); }
std::string money_en(Cents c) { return format_money(c, "en"); }

std::string ordinal(int n) {
    int t = n % 100;
    const char* suf = "th";
    if (t < 11 || t > 13) {
        if (n % 10 == 1)
            suf = "st";
        else if (n % 10 == 2)
            suf = "nd";
        else if (n % 10 == 3)
            suf = "rd";
    }
    return std::to_string(n) + suf;
}

std::string plural(std::int64_t n, const std::string& one, const std::string& many) {
    return num(n) + " " + (n == 1 ? one : many);
}

const char* const kMonthsEn[] = {"January", "February", "March",     "April",   "May",      "June",
                                 "July",    "August",   "September", "October", "November", "December"};
const char* const kWeekdaysZh[] = {"日", "一", "二", "三", "四", "五", "六"};
const char* const kWeekdaysEn[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
    return out;
}

// Multiplier as words: "翻倍"/"double points", "3倍"/"triple points", "×1.5"/"×1.5 points".
Text multiplier_words(int percent) {
    if (percent == 200) return {"积分翻倍", "double points"};
    if (percent == 300) return {"积分3倍", "triple points"};
    return multiplier_benefit(percent);
}

// A tier's benefits as members read them: the multiplier first (written from the configured
// percent, so it can never disagree with the rules text), then the configured ones.
std::vector<Text> tier_benefits(const TierDef& t) {
    std::vector<Text> out;
    if (t.multiplier_percent != 100) out.push_back(multiplier_benefit(t.multiplier_percent));
    out.insert(out.end(), t.benefits.begin(), t.benefits.end());
    return out;
}

Text validity_text(const CouponValidity& v) {
    if (v.end_of_month) return {"当月有效", "valid until the end of the month"};
    return {"有效期" + std::to_string(v.days) + "天", "valid for " + plural(v.days, "day", "days")};
}

Text zone_words(const std::string& tz) {
    if (tz == "Asia/Shanghai") return {"北京时间", "Beijing time"};
    return {tz + "时间", tz + " time"};
}

Text tier_requirement(const ProgramConfig& p, std::size_t i) {
    const TierDef& t = p.tiers[i];
    if (i == 0) return {"入会即享", "From the day you join"};
    if (p.tier_rule.kind == TierRuleKind::rolling_spend) {
        return {std::to_string(p.tier_rule.window_months) + "个月内累计消费满" + money_zh(t.min_spend),
                "Spend " + money_en(t.min_spend) + " or more within " +
                    plural(p.tier_rule.window_months, "month", "months")};
    }
    Text r;
    if (t.min_months > 0) {
        r.zh = "连续" + std::to_string(t.min_months) + "个月每月消费满" + money_zh(p.tier_rule.monthly_minimum);
        r.en = "Spend " + money_en(p.tier_rule.monthly_minimum) + " or more in each of " +
               (t.min_months == 1 ? std::string("1 month") : std::to_string(t.min_months) + " consecutive months");
    }
    if (t.min_lifetime_spend > 0) {
        if (r.zh.empty()) {
            r.zh = "累计消费满" + money_zh(t.min_lifetime_spend);
            r.en = "Spend " + money_en(t.min_lifetime_spend) + " or more in total";
        } else {
            r.zh += "，且累计消费满" + money_zh(t.min_lifetime_spend);
            r.en += ", and " + money_en(t.min_lifetime_spend) + " or more in total";
        }
    }
    return r;
}

std::string quoted_zh(const std::string& s) { return "“" + s + "”"; }
std::string quoted_en(const std::string& s) { return "“" + s + "”"; }

void add_line(Text& body, const std::string& zh, const std::string& en) {
    if (!body.zh.empty()) body.zh += "\n";
    if (!body.en.empty()) body.en += "\n";
    body.zh += zh;
    body.en += en;
}

Text campaign_line(const Campaign& c) {
    std::string when_zh, when_en;
    if (c.weekday >= 0 && c.weekday <= 6) {
        when_zh = std::string("每周") + kWeekdaysZh[c.weekday];
        when_en = std::string("Every ") + kWeekdaysEn[c.weekday];
    }
    if (!c.dates.empty()) {
        std::vector<std::string> ds;
        for (const auto& d : c.dates) ds.push_back(format_date(d));
        if (!when_zh.empty()) {
            when_zh += "及";
            when_en += " and on ";
        } else {
            when_en = "On ";
        }
        when_zh += join(ds, "、");
        when_en += join(ds, ", ");
    }
    std::string min_zh = c.min_amount > 0 ? "单笔满" + money_zh(c.min_amount) + "，" : "";
    std::string min_en = c.min_amount > 0 ? " on purchases of " + money_en(c.min_amount) + " or more" : "";
    Text what;
    if (c.kind == CampaignKind::fixed_bonus) {
        what = {"每笔消费额外得" + num(c.bonus) + "积分",
                plural(c.bonus, "bonus point", "bonus points") + " per purchase"};
    } else {
        what = multiplier_words(c.multiplier_percent);
    }
    Text line;
    line.zh = c.name.zh + "：" + (when_zh.empty() ? "" : when_zh + "，") + min_zh + what.zh;
    line.en = c.name.en + ": " + (when_en.empty() ? "" : when_en + ", ") + what.en + min_en;
    return line;
}

}  // namespace

// [SECTION] Rules in plain words

std::vector<RuleSection> describe_rules(const ProgramConfig& p) {
    std::vector<RuleSection> out;

    // How you earn.
    {
        RuleSection s{"earning", {"如何获得积分", "How you earn points"}, {}};
        const auto& e = p.earning;
        std::string unit_zh = money_zh(e.unit), unit_en = money_en(e.unit);
        std::string rest_zh, rest_en;
        switch (e.rounding) {
            case Rounding::floor:
                rest_zh = "不足" + unit_zh + "的部分不计";
                rest_en = "amounts below " + unit_en + " don't count";
                break;
            case Rounding::round_half_up:
                rest_zh = "不足" + unit_zh + "的部分四舍五入";
                rest_en = "the remainder is rounded to the nearest " + unit_en;
                break;
            case Rounding::ceil:
                rest_zh = "不足" + unit_zh + "的部分按" + unit_zh + "计";
                rest_en = "any remainder counts as a full " + unit_en;
                break;
        }
        add_line(s.body, "每消费" + unit_zh + "得" + num(e.base_rate) + "积分（按单笔订单计算，" + rest_zh + "）。",
                 "Earn " + plural(e.base_rate, "point", "points") + " for every " + unit_en +
                     " you spend, per order (" + rest_en + ").");
        bool any_bonus =
            std::any_of(p.tiers.begin(), p.tiers.end(), [](const TierDef& t) { return t.multiplier_percent != 100; });
        if (any_bonus) {
            std::vector<std::string> zh, en;
            for (const auto& t : p.tiers) {
                zh.push_back(t.name.zh + format_multiplier(t.multiplier_percent));
                en.push_back(t.name.en + " " + format_multiplier(t.multiplier_percent));
            }
            add_line(s.body, "会员等级加成：" + join(zh, "、") + "。", "Tier bonus: " + join(en, ", ") + ".");
        }
        for (const auto& c : p.campaigns) {
            Text l = campaign_line(c);
            add_line(s.body, l.zh + "。", l.en + ".");
        }
        if (e.pending_days > 0)
            add_line(s.body, "积分在消费" + std::to_string(e.pending_days) + "天后可用（退货期内暂不可用）。",
                     "Points become usable " + plural(e.pending_days, "day", "days") +
                         " after the purchase (the returns window).");
        if (p.survey_points > 0)
            add_line(s.body, "完成满意度调查可得" + num(p.survey_points) + "积分。",
                     "Complete a satisfaction survey to earn " + plural(p.survey_points, "point", "points") + ".");
        add_line(s.body, "退货时将扣回相应积分。", "If you return a purchase, its points are taken back.");
        out.push_back(std::move(s));
    }

    // When points expire.
    {
        RuleSection s{"expiry", {"积分有效期", "When points expire"}, {}};
        const int n = p.expiry.n;
        switch (p.expiry.policy) {
            case ExpiryPolicy::never: add_line(s.body, "积分永久有效。", "Points never expire."); break;
            case ExpiryPolicy::after_days:
                add_line(s.body, "积分自获得之日起" + std::to_string(n) + "天后到期。",
                         "Points expire " + plural(n, "day", "days") + " after the day you earn them.");
                break;
            case ExpiryPolicy::end_of_month_after: {
                if (n == 0) {
                    add_line(s.body, "积分在获得当月的月末到期。",
                             "Points expire at the end of the month you earn them.");
                    break;
                }
                std::string en =
                    n == 1 ? "Points expire at the end of the month after the month you earn them."
                           : "Points expire at the end of the " + ordinal(n) + " month after the month you earn them.";
                add_line(s.body, "积分在获得当月起第" + std::to_string(n) + "个月的月末到期。", en);
                // Worked example from March.
                int target = 2 + n;  // month index from January of the earning year
                int month = target % 12 + 1;
                int years = target / 12;
                std::string zh_when = years == 0   ? "当年" + std::to_string(month) + "月末"
                                      : years == 1 ? "次年" + std::to_string(month) + "月末"
                                                   : std::to_string(years) + "年后的" + std::to_string(month) + "月末";
                std::string en_when = std::string("at the end of ") + kMonthsEn[month - 1] +
                                      (years == 0   ? " the same year"
                                       : years == 1 ? " the following year"
                                                    : ", " + std::to_string(years) + " years later");
                add_line(s.body, "例如：3月获得的积分，于" + zh_when + "到期。",
                         "For example, points earned in March expire " + en_when + ".");
                break;
            }
            case ExpiryPolicy::end_of_year:
                if (n == 0)
                    add_line(s.body, "积分在获得当年的12月31日到期。",
                             "Points expire on 31 December of the year you earn them.");
                else if (n == 1)
                    add_line(s.body, "积分在获得次年的12月31日到期。",
                             "Points expire on 31 December of the year after the year you earn them.");
                else
                    add_line(
                        s.body, "积分在获得年份之后第" + std::to_string(n) + "年的12月31日到期。",
                        "Points expire on 31 December, " + std::to_string(n) + " years after the year you earn them.");
                break;
        }
        if (p.expiry.policy != ExpiryPolicy::never) {
            Text zw = zone_words(p.timezone);
            add_line(s.body, "到期时间为当天结束（" + zw.zh + "）。",
                     "Points expire at the end of that day, " + zw.en + ".");
            add_line(s.body, "兑换时优先使用最早到期的积分。",
                     "When you redeem, the points that expire soonest are used first.");
            if (p.expiring_soon_days > 0)
                add_line(s.body, std::to_string(p.expiring_soon_days) + "天内即将到期的积分会在首页提醒您。",
                         "Points that expire within the next " + plural(p.expiring_soon_days, "day", "days") +
                             " are shown on your home screen.");
        }
        out.push_back(std::move(s));
    }

    // Tiers.
    {
        RuleSection s{"tiers", {"会员等级", "Membership tiers"}, {}};
        const auto& tr = p.tier_rule;
        std::string down_zh =
            tr.max_downgrade_steps == 0 ? "到期不降级" : "每次最多下调" + std::to_string(tr.max_downgrade_steps) + "级";
        std::string down_en =
            tr.max_downgrade_steps == 0
                ? "you never move down"
                : "you move down at most " + plural(tr.max_downgrade_steps, "tier", "tiers") + " at a time";
        if (p.tiers.size() > 1) {
            if (tr.kind == TierRuleKind::rolling_spend)
                add_line(s.body, "会员等级按最近" + std::to_string(tr.window_months) + "个月的累计消费评定。",
                         "Your tier depends on what you spent in the last " +
                             plural(tr.window_months, "month", "months") + ".");
            else
                add_line(s.body, "会员等级按连续每月消费满" + money_zh(tr.monthly_minimum) + "的月数评定。",
                         "Your tier depends on how many months in a row you spend " + money_en(tr.monthly_minimum) +
                             " or more.");
            add_line(s.body,
                     "达到条件后立即升级（当笔消费仍按原等级计分），等级有效期" + std::to_string(tr.valid_months) +
                         "个月，到期时重新评定，" + down_zh + "。",
                     "You move up as soon as you qualify (that purchase still earns at your previous tier). A tier "
                     "is held for " +
                         plural(tr.valid_months, "month", "months") + " and then reviewed; " + down_en + ".");
        }
        for (std::size_t i = 0; i < p.tiers.size(); ++i) {
            const TierDef& t = p.tiers[i];
            Text req = tier_requirement(p, i);
            const Text times = multiplier_benefit(t.multiplier_percent);
            std::string zh = t.name.zh + "：" + req.zh + "；" + times.zh;
            std::string en = t.name.en + ": " + req.en + "; " + times.en;
            if (!t.benefits.empty()) {
                std::vector<std::string> bz, be;
                for (const auto& b : t.benefits) {
                    bz.push_back(b.zh);
                    be.push_back(b.en);
                }
                zh += "；权益：" + join(bz, "、");
                en += "; benefits: " + join(be, "; ");
            }
            if (!t.can_redeem) {
                zh += "；暂不可兑换积分";
                en += "; cannot redeem points";
            }
            add_line(s.body, zh + "。", en + ".");
        }
        out.push_back(std::move(s));
    }

    // Rewards.
    {
        RuleSection s{"rewards", {"积分兑换", "Rewards"}, {}};
        if (p.rewards.empty()) {
            add_line(s.body, "暂无可兑换的礼品。", "There are no rewards at the moment.");
        } else {
            add_line(s.body, "用积分兑换以下礼品，兑换后以券的形式放入您的券包：",
                     "Redeem points for these rewards; each arrives as a coupon in your wallet:");
            for (const auto& r : p.rewards) {
                std::string zh = r.name.zh + "：" + num(r.cost) + "积分";
                std::string en = r.name.en + ": " + plural(r.cost, "point", "points");
                if (const CouponTemplate* t = p.coupon_template(r.template_id)) {
                    Text v = validity_text(t->validity);
                    zh += "（" + v.zh + "）";
                    en += " (" + v.en + ")";
                }
                if (const TierDef* need = r.min_tier.empty() ? nullptr : p.tier(r.min_tier)) {
                    zh += "，限" + need->name.zh + "及以上";
                    en += ", " + need->name.en + " and above";
                }
                if (r.stock) {
                    zh += "，数量有限";
                    en += ", while stocks last";
                }
                add_line(s.body, zh, en);
            }
            std::vector<std::string> no_zh, no_en;
            for (const auto& t : p.tiers)
                if (!t.can_redeem) {
                    no_zh.push_back(t.name.zh);
                    no_en.push_back(t.name.en);
                }
            if (!no_zh.empty())
                add_line(s.body, join(no_zh, "、") + "会员暂不可兑换积分，积分照常累积。",
                         join(no_en, ", ") + " members cannot redeem points yet; their points still add up.");
        }
        out.push_back(std::move(s));
    }

    // Coupons issued by the program.
    {
        RuleSection s{"coupons", {"优惠券", "Coupons"}, {}};
        auto tpl = [&](const std::string& id) { return id.empty() ? nullptr : p.coupon_template(id); };
        auto describe = [&](const CouponTemplate& t) {
            Text title = coupon_title(t), cond = coupon_conditions(t), v = validity_text(t.validity);
            if (!cond.en.empty() && cond.en[0] >= 'A' && cond.en[0] <= 'Z')
                cond.en[0] = static_cast<char>(cond.en[0] - 'A' + 'a');  // mid-sentence
            const std::string quan = "券";
            bool ends_with_quan = title.zh.size() >= quan.size() &&
                                  title.zh.compare(title.zh.size() - quan.size(), quan.size(), quan) == 0;
            return Text{quoted_zh(title.zh) + (ends_with_quan ? "" : quan) + "（" + cond.zh + "，" + v.zh + "）",
                        "a " + quoted_en(title.en) + " coupon (" + cond.en + "; " + v.en + ")"};
        };
        if (const auto* t = tpl(p.issue.welcome_template)) {
            Text d = describe(*t);
            add_line(s.body, "新会员赠送" + d.zh + "。", "New members get " + d.en + ".");
        }
        if (const auto* t = tpl(p.issue.birthday_template)) {
            Text d = describe(*t);
            add_line(s.body, "生日当月赠送" + d.zh + "。", "In your birthday month you get " + d.en + ".");
        }
        for (const auto& sb : p.issue.spend_back) {
            const auto* t = tpl(sb.template_id);
            if (!t) continue;
            Text d = describe(*t);
            const TierDef* tier = sb.tier_id.empty() ? nullptr : p.tier(sb.tier_id);
            std::string who_zh = tier ? tier->name.zh + "会员" : "";
            std::string who_en = tier ? tier->name.en + " members: a" : "A";
            add_line(s.body, who_zh + "单笔消费满" + money_zh(sb.min_amount) + "，赠送" + d.zh + "。",
                     who_en + " single purchase of " + money_en(sb.min_amount) + " or more earns " + d.en + ".");
        }
        for (const auto& t : p.tiers)
            for (const auto& id : t.perk_templates)
                if (const auto* ct = tpl(id)) {
                    Text d = describe(*ct);
                    add_line(s.body, "升级至" + t.name.zh + "时赠送" + d.zh + "。",
                             "On reaching " + t.name.en + " you get " + d.en + ".");
                }
        for (const auto& h : p.issue.holidays)
            if (const auto* t = tpl(h.template_id)) {
                Text d = describe(*t);
                add_line(s.body, h.name.zh + "礼包：节日期间赠送" + d.zh + "。",
                         h.name.en + " pack: at the holiday you get " + d.en + ".");
            }
        if (const auto* t = tpl(p.issue.winback_template)) {
            Text d = describe(*t);
            add_line(s.body, "许久未光顾的会员将收到" + d.zh + "，欢迎回来。",
                     "If you haven't visited for a while, you get " + d.en + " to welcome you back.");
        }
        add_line(s.body, "每张券仅可使用一次；满减券需订单金额达到门槛；优惠金额不超过订单金额；过期未用的券自动失效。",
                 "Each coupon can be used once. A threshold coupon needs the order to reach its amount. A discount "
                 "never exceeds the order. Unused coupons lapse when they expire.");
        out.push_back(std::move(s));
    }

    if (!p.campaigns.empty()) {
        RuleSection s{"campaigns", {"会员活动", "Campaigns"}, {}};
        for (const auto& c : p.campaigns) {
            Text l = campaign_line(c);
            add_line(s.body, l.zh + "。", l.en + ".");
        }
        out.push_back(std::move(s));
    }
    return out;
}

// [SECTION] Builders

namespace {

std::optional<std::string> opt_time(const std::optional<UnixSeconds>& t) {
    if (!t) return std::nullopt;
    return format_rfc3339(*t);
}

}  // namespace

MeView build_me_view(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, const std::string& name,
                     const std::string& phone, const std::optional<CivilDate>& birthday, bool kiosk_scope,
                     UnixSeconds now) {
    MeView v;
    v.profile.id = s.member_id;
    v.profile.name = kiosk_scope ? mask_name(name) : name;
    v.profile.phone_masked = mask_phone(phone);
    if (birthday && !kiosk_scope) v.profile.birthday = format_date(*birthday);
    v.profile.joined_at = format_rfc3339(s.joined_at);

    Balances b = balances(p, s, now);
    v.points.balance = b.balance;
    v.points.pending = b.pending;
    v.points.lifetime_earned = b.lifetime_earned;
    v.points.expiring_soon = b.expiring_soon;
    v.points.debt = b.debt;
    v.points.next_expiry = opt_time(b.next_expiry);

    TierProgress tp = tier_progress(p, z, s, now);
    v.tier.id = tp.tier_id;
    if (tp.tier_index >= 0 && tp.tier_index < static_cast<int>(p.tiers.size())) {
        const TierDef& t = p.tiers[static_cast<std::size_t>(tp.tier_index)];
        if (v.tier.id.empty()) v.tier.id = t.id;
        v.tier.name = t.name;
        v.tier.benefits = tier_benefits(t);
    }
    v.tier.multiplier_percent = tp.multiplier_percent;
    v.tier.valid_until = opt_time(tp.valid_until);
    v.tier.percent = std::clamp(tp.percent, 0, 100);
    v.tier.keep_requirement = tp.keep_requirement;
    if (tp.next_tier_index && *tp.next_tier_index >= 0 && *tp.next_tier_index < static_cast<int>(p.tiers.size())) {
        const TierDef& n = p.tiers[static_cast<std::size_t>(*tp.next_tier_index)];
        NextTierView nv;
        nv.id = n.id;
        nv.name = n.name;
        nv.remaining_spend = tp.remaining_spend;
        nv.remaining_months = tp.remaining_months;
        nv.requirement = tp.next_requirement;
        v.tier.next = nv;
    }

    v.coupons.used = static_cast<int>(s.earlier_coupons.used);
    v.coupons.expired = static_cast<int>(s.earlier_coupons.expired);
    v.coupons.voided = static_cast<int>(s.earlier_coupons.voided);
    for (const auto& c : s.coupons) {
        switch (effective_state(c, now)) {
            case CouponState::available: ++v.coupons.available; break;
            case CouponState::used: ++v.coupons.used; break;
            case CouponState::expired: ++v.coupons.expired; break;
            case CouponState::voided: ++v.coupons.voided; break;
        }
    }

    for (const Offer* o : offers_for(p, segment_of(p, z, s, now)))
        v.offers.push_back(OfferView{o->id, o->title, o->body, o->reward_id});
    return v;
}

LedgerEntryView build_ledger_entry_view(const LedgerEntry& e) {
    LedgerEntry copy = e;
    return build_ledger_entry_view(std::move(copy));
}

LedgerEntryView build_ledger_entry_view(LedgerEntry&& e) {
    LedgerEntryView v;
    v.id = e.id;
    v.type = to_string(e.type);
    v.points = e.points;
    v.balance_after = e.balance_after;
    v.reason = std::move(e.reason);
    v.created_at = format_rfc3339(e.created_at);
    v.expires_at = opt_time(e.expires_at);
    v.store = std::move(e.store);
    return v;
}

CouponView build_coupon_view(const Coupon& c, UnixSeconds now) {
    CouponView v;
    v.id = c.id;
    v.code = c.code;
    v.kind = to_string(c.terms.kind);
    v.state = to_string(effective_state(c, now));
    v.source = to_string(c.source);
    v.title = coupon_title(c.terms);
    v.conditions = coupon_conditions(c.terms);
    v.valid_from = format_rfc3339(c.valid_from);
    v.valid_until = format_rfc3339(c.valid_until);
    v.used_at = opt_time(c.used_at);
    v.used_discount = c.used_discount;
    return v;
}

std::vector<RewardView> build_reward_views(const ProgramConfig& p, const MemberState& s,
                                           const std::vector<std::optional<int>>& stock_left, UnixSeconds now) {
    std::vector<RewardView> out;
    for (std::size_t i = 0; i < p.rewards.size(); ++i) {
        const Reward& r = p.rewards[i];
        std::optional<int> left = i < stock_left.size() ? stock_left[i] : std::nullopt;
        RewardAvailability a = reward_availability(p, s, r, left, now);
        RewardView v;
        v.id = r.id;
        v.name = r.name;
        v.cost = r.cost;
        if (const CouponTemplate* t = p.coupon_template(r.template_id)) v.coupon_title = coupon_title(*t);
        v.min_tier = r.min_tier;
        if (const TierDef* need = r.min_tier.empty() ? nullptr : p.tier(r.min_tier)) v.min_tier_name = need->name;
        v.stock_left = left ? left : r.stock;
        v.affordable = a.affordable;
        v.tier_allowed = a.tier_allowed;
        v.in_stock = a.in_stock;
        out.push_back(std::move(v));
    }
    return out;
}

ProgramView build_program_view(const ProgramConfig& p, const ZoneRules& z) {
    ProgramView v;
    v.id = p.id;
    v.name = p.name;
    v.currency = p.currency;
    v.timezone = p.timezone;
    for (std::size_t i = 0; i < p.tiers.size(); ++i) {
        const TierDef& t = p.tiers[i];
        v.tiers.push_back(
            TierDefView{t.id, t.name, t.multiplier_percent, tier_requirement(p, i), tier_benefits(t), t.can_redeem});
    }
    v.rules = describe_rules(p);
    v.zone = zone_to_json(z);
    return v;
}

// [SECTION] Zone on the wire
// Zone on the wire: {"name", "initial_offset", "transitions": [[at, offset], ...], "posix_rule"}.
// Transitions before 1970 are left out; initial_offset is then the offset in force at the first
// instant kept, so every instant from 1970 on maps exactly as with the full rules.

json zone_to_json(const ZoneRules& z) {
    int initial = z.initial_offset();
    json tr = json::array();
    for (const auto& t : z.transitions()) {
        if (t.at < 0) {
            initial = t.offset;
            continue;
        }
        tr.push_back(json::array({t.at, t.offset}));
    }
    return json{{"name", z.name()}, {"initial_offset", initial}, {"transitions", tr}, {"posix_rule", z.posix_rule()}};
}

Result<ZoneRules> zone_from_json(const json& j) {
    auto bad = [](const std::string& why) { return make_error(ErrorCode::invalid_zone, "zone." + why); };
    if (!j.is_object()) return make_error(ErrorCode::invalid_zone, "zone: must be an object");
    auto name = j.find("name");
    if (name == j.end() || !name->is_string() || name->get<std::string>().empty())
        return bad("name: must be a non-empty string");
    auto init = j.find("initial_offset");
    if (init == j.end() || !init->is_number_integer()) return bad("initial_offset: must be an integer");
    std::string rule;
    auto pr = j.find("posix_rule");
    if (pr != j.end() && !pr->is_null()) {
        if (!pr->is_string()) return bad("posix_rule: must be a string");
        rule = pr->get<std::string>();
    }
    std::vector<ZoneRules::Transition> transitions;
    auto tr = j.find("transitions");
    if (tr != j.end() && !tr->is_null()) {
        if (!tr->is_array()) return bad("transitions: must be an array");
        for (std::size_t i = 0; i < tr->size(); ++i) {
            const json& e = (*tr)[i];
            if (!e.is_array() || e.size() != 2 || !e[0].is_number_integer() || !e[1].is_number_integer())
                return bad("transitions[" + std::to_string(i) + "]: must be [at, offset] integers");
            std::int64_t off = e[1].get<std::int64_t>();
            if (off < -86400 || off > 86400) return bad("transitions[" + std::to_string(i) + "]: offset out of range");
            transitions.push_back(ZoneRules::Transition{e[0].get<std::int64_t>(), static_cast<int>(off)});
        }
    }
    std::int64_t off = init->get<std::int64_t>();
    if (off < -86400 || off > 86400) return bad("initial_offset: out of range");
    return ZoneRules::from_parts(name->get<std::string>(), static_cast<int>(off), std::move(transitions),
                                 std::move(rule));
}

// [SECTION] JSON codecs
// JSON codecs. Keys are the struct field names; an empty std::optional is left out; decoding
// requires every non-optional field and throws nlohmann::json exceptions on a missing or
// ill-typed one.

namespace {

[[noreturn]] void type_mismatch(const json& v, const char* key, const char* want) {
    throw json::type_error::create(302, std::string("field \"") + key + "\" must be " + want, &v);
}

void read(const json& j, const char* k, std::int64_t& out) {
    const json& v = j.at(k);
    if (!v.is_number_integer()) type_mismatch(v, k, "an integer");
    out = v.get<std::int64_t>();
}
void read(const json& j, const char* k, int& out) {
    std::int64_t x = 0;
    read(j, k, x);
    if (x < std::numeric_limits<int>::min() || x > std::numeric_limits<int>::max())
        type_mismatch(j.at(k), k, "a 32-bit integer");
    out = static_cast<int>(x);
}
void read(const json& j, const char* k, bool& out) {
    const json& v = j.at(k);
    if (!v.is_boolean()) type_mismatch(v, k, "true or false");
    out = v.get<bool>();
}
void read(const json& j, const char* k, std::string& out) {
    const json& v = j.at(k);
    if (!v.is_string()) type_mismatch(v, k, "a string");
    out = v.get<std::string>();
}
template <class T>
void read(const json& j, const char* k, T& out) {
    j.at(k).get_to(out);
}
template <class T>
void read_opt(const json& j, const char* k, std::optional<T>& out) {
    auto it = j.find(k);
    if (it == j.end() || it->is_null()) {
        out.reset();
        return;
    }
    T v{};
    read(j, k, v);
    out = std::move(v);
}
template <class T>
void write_opt(json& j, const char* k, const std::optional<T>& v) {
    if (v) j[k] = *v;
}

}  // namespace

void to_json(json& j, const Text& v) { j = json{{"zh", v.zh}, {"en", v.en}}; }
void from_json(const json& j, Text& v) {
    read(j, "zh", v.zh);
    read(j, "en", v.en);
}

void to_json(json& j, const ProfileView& v) {
    j = json{{"id", v.id}, {"name", v.name}, {"phone_masked", v.phone_masked}, {"joined_at", v.joined_at}};
    write_opt(j, "birthday", v.birthday);
}
void from_json(const json& j, ProfileView& v) {
    read(j, "id", v.id);
    read(j, "name", v.name);
    read(j, "phone_masked", v.phone_masked);
    read_opt(j, "birthday", v.birthday);
    read(j, "joined_at", v.joined_at);
}

void to_json(json& j, const PointsView& v) {
    j = json{{"balance", v.balance},
             {"pending", v.pending},
             {"lifetime_earned", v.lifetime_earned},
             {"expiring_soon", v.expiring_soon},
             {"debt", v.debt}};
    write_opt(j, "next_expiry", v.next_expiry);
}
void from_json(const json& j, PointsView& v) {
    read(j, "balance", v.balance);
    read(j, "pending", v.pending);
    read(j, "lifetime_earned", v.lifetime_earned);
    read(j, "expiring_soon", v.expiring_soon);
    read(j, "debt", v.debt);
    read_opt(j, "next_expiry", v.next_expiry);
}

void to_json(json& j, const NextTierView& v) {
    j = json{{"id", v.id},
             {"name", v.name},
             {"remaining_spend", v.remaining_spend},
             {"remaining_months", v.remaining_months},
             {"requirement", v.requirement}};
}
void from_json(const json& j, NextTierView& v) {
    read(j, "id", v.id);
    read(j, "name", v.name);
    read(j, "remaining_spend", v.remaining_spend);
    read(j, "remaining_months", v.remaining_months);
    read(j, "requirement", v.requirement);
}

void to_json(json& j, const TierView& v) {
    j = json{{"id", v.id},
             {"name", v.name},
             {"multiplier_percent", v.multiplier_percent},
             {"benefits", v.benefits},
             {"percent", v.percent},
             {"keep_requirement", v.keep_requirement}};
    write_opt(j, "valid_until", v.valid_until);
    write_opt(j, "next", v.next);
}
void from_json(const json& j, TierView& v) {
    read(j, "id", v.id);
    read(j, "name", v.name);
    read(j, "multiplier_percent", v.multiplier_percent);
    read_opt(j, "valid_until", v.valid_until);
    read(j, "benefits", v.benefits);
    read(j, "percent", v.percent);
    read_opt(j, "next", v.next);
    read(j, "keep_requirement", v.keep_requirement);
}

void to_json(json& j, const CouponCountsView& v) {
    j = json{{"available", v.available}, {"used", v.used}, {"expired", v.expired}, {"voided", v.voided}};
}
void from_json(const json& j, CouponCountsView& v) {
    read(j, "available", v.available);
    read(j, "used", v.used);
    read(j, "expired", v.expired);
    read(j, "voided", v.voided);
}

void to_json(json& j, const OfferView& v) {
    j = json{{"id", v.id}, {"title", v.title}, {"body", v.body}, {"reward_id", v.reward_id}};
}
void from_json(const json& j, OfferView& v) {
    read(j, "id", v.id);
    read(j, "title", v.title);
    read(j, "body", v.body);
    read(j, "reward_id", v.reward_id);
}

void to_json(json& j, const MeView& v) {
    j = json{
        {"profile", v.profile}, {"points", v.points}, {"tier", v.tier}, {"coupons", v.coupons}, {"offers", v.offers}};
}
void from_json(const json& j, MeView& v) {
    read(j, "profile", v.profile);
    read(j, "points", v.points);
    read(j, "tier", v.tier);
    read(j, "coupons", v.coupons);
    read(j, "offers", v.offers);
}

void to_json(json& j, const LedgerEntryView& v) {
    j = json{{"id", v.id},         {"type", v.type},
             {"points", v.points}, {"balance_after", v.balance_after},
             {"reason", v.reason}, {"created_at", v.created_at},
             {"store", v.store}};
    write_opt(j, "expires_at", v.expires_at);
}
void from_json(const json& j, LedgerEntryView& v) {
    read(j, "id", v.id);
    read(j, "type", v.type);
    read(j, "points", v.points);
    read(j, "balance_after", v.balance_after);
    read(j, "reason", v.reason);
    read(j, "created_at", v.created_at);
    read_opt(j, "expires_at", v.expires_at);
    read(j, "store", v.store);
}

void to_json(json& j, const LedgerPageView& v) {
    j = json{{"entries", v.entries}};
    write_opt(j, "next_cursor", v.next_cursor);
}
void from_json(const json& j, LedgerPageView& v) {
    read(j, "entries", v.entries);
    read_opt(j, "next_cursor", v.next_cursor);
}

void to_json(json& j, const CouponView& v) {
    j = json{{"id", v.id},
             {"code", v.code},
             {"kind", v.kind},
             {"state", v.state},
             {"source", v.source},
             {"title", v.title},
             {"conditions", v.conditions},
             {"valid_from", v.valid_from},
             {"valid_until", v.valid_until},
             {"used_discount", v.used_discount}};
    write_opt(j, "used_at", v.used_at);
}
void from_json(const json& j, CouponView& v) {
    read(j, "id", v.id);
    read(j, "code", v.code);
    read(j, "kind", v.kind);
    read(j, "state", v.state);
    read(j, "source", v.source);
    read(j, "title", v.title);
    read(j, "conditions", v.conditions);
    read(j, "valid_from", v.valid_from);
    read(j, "valid_until", v.valid_until);
    read_opt(j, "used_at", v.used_at);
    read(j, "used_discount", v.used_discount);
}

void to_json(json& j, const RewardView& v) {
    j = json{{"id", v.id},
             {"name", v.name},
             {"cost", v.cost},
             {"coupon_title", v.coupon_title},
             {"min_tier", v.min_tier},
             {"min_tier_name", v.min_tier_name},
             {"affordable", v.affordable},
             {"tier_allowed", v.tier_allowed},
             {"in_stock", v.in_stock}};
    write_opt(j, "stock_left", v.stock_left);
}
void from_json(const json& j, RewardView& v) {
    read(j, "id", v.id);
    read(j, "name", v.name);
    read(j, "cost", v.cost);
    read(j, "coupon_title", v.coupon_title);
    read(j, "min_tier", v.min_tier);
    if (j.contains("min_tier_name")) read(j, "min_tier_name", v.min_tier_name);
    read_opt(j, "stock_left", v.stock_left);
    read(j, "affordable", v.affordable);
    read(j, "tier_allowed", v.tier_allowed);
    read(j, "in_stock", v.in_stock);
}

void to_json(json& j, const RedemptionView& v) {
    j = json{{"id", v.id},         {"reward_id", v.reward_id},   {"reward_name", v.reward_name},
             {"points", v.points}, {"created_at", v.created_at}, {"balance_after", v.balance_after}};
    write_opt(j, "coupon", v.coupon);
}
void from_json(const json& j, RedemptionView& v) {
    read(j, "id", v.id);
    read(j, "reward_id", v.reward_id);
    read(j, "reward_name", v.reward_name);
    read(j, "points", v.points);
    read(j, "created_at", v.created_at);
    read_opt(j, "coupon", v.coupon);
    read(j, "balance_after", v.balance_after);
}

void to_json(json& j, const RuleSection& v) { j = json{{"id", v.id}, {"heading", v.heading}, {"body", v.body}}; }
void from_json(const json& j, RuleSection& v) {
    read(j, "id", v.id);
    read(j, "heading", v.heading);
    read(j, "body", v.body);
}

void to_json(json& j, const TierDefView& v) {
    j = json{{"id", v.id},
             {"name", v.name},
             {"multiplier_percent", v.multiplier_percent},
             {"requirement", v.requirement},
             {"benefits", v.benefits},
             {"can_redeem", v.can_redeem}};
}
void from_json(const json& j, TierDefView& v) {
    read(j, "id", v.id);
    read(j, "name", v.name);
    read(j, "multiplier_percent", v.multiplier_percent);
    read(j, "requirement", v.requirement);
    read(j, "benefits", v.benefits);
    read(j, "can_redeem", v.can_redeem);
}

void to_json(json& j, const ProgramView& v) {
    j = json{{"id", v.id},       {"name", v.name},   {"currency", v.currency}, {"timezone", v.timezone},
             {"tiers", v.tiers}, {"rules", v.rules}, {"zone", v.zone}};
}
void from_json(const json& j, ProgramView& v) {
    read(j, "id", v.id);
    read(j, "name", v.name);
    read(j, "currency", v.currency);
    read(j, "timezone", v.timezone);
    read(j, "tiers", v.tiers);
    read(j, "rules", v.rules);
    v.zone = j.at("zone");
}

ReminderView build_reminder_view(const Occasion& o) {
    return ReminderView{to_string(o.kind), o.key, format_date(o.first_day), o.subject, o.consent};
}

std::optional<Text> home_reminder_line(const NextReminderView& v) {
    if (!v.next || v.next->consent != "reminders") return std::nullopt;
    if (v.next->subject.zh.empty() && v.next->subject.en.empty()) return std::nullopt;
    return v.next->subject;
}

void to_json(json& j, const ReminderView& v) {
    j = json{
        {"kind", v.kind}, {"occasion", v.occasion}, {"day", v.day}, {"subject", v.subject}, {"consent", v.consent}};
}
void from_json(const json& j, ReminderView& v) {
    read(j, "kind", v.kind);
    read(j, "occasion", v.occasion);
    read(j, "day", v.day);
    read(j, "subject", v.subject);
    read(j, "consent", v.consent);
}

void to_json(json& j, const NextReminderView& v) { j = json{{"next", v.next ? json(*v.next) : json(nullptr)}}; }
void from_json(const json& j, NextReminderView& v) { read_opt(j, "next", v.next); }

void to_json(json& j, const CardView& v) {
    j = json{{"member_code", v.member_code},
             {"expires_at", v.expires_at},
             {"refresh_after_seconds", v.refresh_after_seconds}};
}
void from_json(const json& j, CardView& v) {
    read(j, "member_code", v.member_code);
    read(j, "expires_at", v.expires_at);
    read(j, "refresh_after_seconds", v.refresh_after_seconds);
}

}  // namespace memberdesk
