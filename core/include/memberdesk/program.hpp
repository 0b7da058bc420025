// A loyalty program's configuration: what the chain chose, as data. Parsed from JSON presets
// (core/programs/*.json) or a chain's own file; validation errors name the bad field.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "memberdesk/common.hpp"
#include "memberdesk/time.hpp"

namespace memberdesk {

enum class Rounding { floor, round_half_up, ceil };
enum class ExpiryPolicy { never, after_days, end_of_month_after, end_of_year };
enum class TierRuleKind { rolling_spend, monthly_streak };
enum class CouponKind { amount_off, percent_off, threshold, free_item };
enum class CampaignKind { weekday_multiplier, date_multiplier, fixed_bonus };

struct EarningRule {
    Cents unit = 1000;                    // money per earning step (default ¥10)
    Points base_rate = 1;                 // points per step
    Rounding rounding = Rounding::floor;  // applied once per order
    int pending_days = 0;                 // points usable only after N days (returns window)
};

struct ExpiryRule {
    ExpiryPolicy policy = ExpiryPolicy::end_of_month_after;
    int n = 12;  // after_days: days; end_of_month_after: months; end_of_year: years after the earning year
};

struct TierDef {
    std::string id;
    Text name;
    Cents min_spend = 0;           // rolling_spend: qualifying spend in the window
    int min_months = 0;            // monthly_streak: consecutive months at or above the monthly minimum
    Cents min_lifetime_spend = 0;  // monthly_streak: optional extra condition
    int multiplier_percent = 100;  // 120 = x1.2
    bool can_redeem = true;        // may redeem rewards (salon: Silver and up)
    std::vector<Text> benefits;
    std::vector<std::string> perk_templates;  // coupon templates issued on reaching this tier
};

struct TierRule {
    TierRuleKind kind = TierRuleKind::rolling_spend;
    int window_months = 12;       // rolling_spend window
    Cents monthly_minimum = 0;    // monthly_streak minimum per calendar month
    int valid_months = 12;        // tier held this long after the qualifying date
    int max_downgrade_steps = 1;  // at re-evaluation
};

struct Campaign {
    std::string id;
    Text name;
    CampaignKind kind = CampaignKind::weekday_multiplier;
    int weekday = -1;              // 0=Sunday..6 (weekday_multiplier), in program time zone
    std::vector<CivilDate> dates;  // date_multiplier
    int multiplier_percent = 200;  // 200 = double points: bonus = earned * (p-100)/100
    Points bonus = 0;              // fixed_bonus per qualifying purchase
    Cents min_amount = 0;
};

struct CouponValidity {
    int days = 30;              // valid for N local days from issue (inclusive of the issue day)
    bool end_of_month = false;  // or: until the end of the issue month (birthday)
};

struct CouponTemplate {
    std::string id;
    CouponKind kind = CouponKind::amount_off;
    Cents amount = 0;        // amount_off: ¥X; threshold: Y in 满X减Y
    Cents threshold = 0;     // threshold: X in 满X减Y
    int percent_off = 0;     // percent_off: 20 = 20 % off (8折)
    Cents max_discount = 0;  // percent_off cap, 0 = none
    Text item;               // free_item: the product
    Text scope;              // optional: "selected drinks"
    Cents min_spend = 0;
    std::vector<std::string> stores;  // empty = every store
    CouponValidity validity;
};

struct SpendBackRule {
    std::string tier_id;   // empty = every tier; otherwise this tier only
    Cents min_amount = 0;  // one purchase of at least this amount
    std::string template_id;
};

struct HolidayPack {
    std::string id;  // e.g. "spring_festival"
    Text name;
    std::vector<CivilDate> dates;  // first day of the holiday, per year
    std::string template_id;
};

struct IssueRules {
    std::string welcome_template;   // empty = none
    std::string birthday_template;  // issued once in the birthday month
    std::string winback_template;   // issued when a member becomes dormant
    std::vector<SpendBackRule> spend_back;
    std::vector<HolidayPack> holidays;
};

struct Reward {
    std::string id;
    Text name;
    Points cost = 0;
    std::string template_id;
    std::string min_tier;      // empty = any tier
    std::optional<int> stock;  // empty = unlimited
};

struct SegmentRule {
    int new_days = 30;
    Cents core_monthly = 30000;    // avg monthly spend over the last 3 months > this = core
    Cents active_monthly = 10000;  // >= this = active
    int dormant_days = 60;
    int churned_days = 180;
};

struct Offer {
    std::string id;
    std::vector<std::string> segments;  // internal labels, never shown
    Text title;
    Text body;
    std::string reward_id;  // optional link into the catalog
};

// Scheduled reach (domain.md §7): when the day's messages go out, in the program's local time.
// Minutes after local midnight. Quiet hours run from quiet_from to quiet_to, across midnight when
// quiet_from > quiet_to; send_at must lie outside them.
struct ReachRule {
    int send_at = 10 * 60;
    int quiet_from = 21 * 60;
    int quiet_to = 9 * 60;
    bool quiet(int minute_of_day) const;
};

// Referral (domain.md §7): what a member who invited a friend and the friend each earn at the
// friend's first purchase; the referrer's reward at most monthly_cap times per local month
// (0 = no cap). Points 0 on both sides = no referral rewards.
struct ReferralRule {
    Points referrer_points = 0;
    Points new_member_points = 0;
    int monthly_cap = 0;
    bool enabled() const { return referrer_points > 0 || new_member_points > 0; }
};

struct ProgramConfig {
    std::string id;
    Text name;
    std::string currency = "CNY";
    std::string timezone = "Asia/Shanghai";
    EarningRule earning;
    ExpiryRule expiry;
    int expiring_soon_days = 30;
    TierRule tier_rule;
    std::vector<TierDef> tiers;  // ordered lowest first; tiers[0] is the entry tier
    std::vector<Campaign> campaigns;
    std::vector<CouponTemplate> coupon_templates;
    IssueRules issue;
    std::vector<Reward> rewards;
    Points survey_points = 0;  // participation points for a completed survey
    SegmentRule segments;
    std::vector<Offer> offers;
    ReachRule reach;
    ReferralRule referral;

    const TierDef* tier(std::string_view id) const;
    int tier_index(std::string_view id) const;  // -1 if unknown
    const CouponTemplate* coupon_template(std::string_view id) const;
    const Reward* reward(std::string_view id) const;
};

// Errors have code "invalid_program" and a message that starts with the JSON path of the
// bad field, e.g. "tiers[1].multiplier_percent: must be an integer >= 100".
Result<ProgramConfig> parse_program(const nlohmann::json& j);
Result<ProgramConfig> parse_program_text(std::string_view json_text);
nlohmann::json program_to_json(const ProgramConfig& p);  // round-trips through parse_program

// Preset by name ("coffee", "salon", "retail") from the embedded files.
Result<ProgramConfig> load_preset(std::string_view name);

const char* to_string(CouponKind k);
const char* to_string(ExpiryPolicy p);
const char* to_string(TierRuleKind k);

}  // namespace memberdesk
