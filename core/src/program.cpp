// Program configuration: lookups, strict JSON parsing with field-path errors, serialisation, presets.
//
// Index of this file:
// [SECTION] Lookups and enum names
// [SECTION] Parsing
// [SECTION] Serialisation and presets
#include "memberdesk/program.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "memberdesk/presets.hpp"

namespace memberdesk {

using nlohmann::json;

// [SECTION] Lookups and enum names

bool ReachRule::quiet(int minute_of_day) const {
    if (quiet_from == quiet_to) return false;
    if (quiet_from < quiet_to) return minute_of_day >= quiet_from && minute_of_day < quiet_to;
    return minute_of_day >= quiet_from || minute_of_day < quiet_to;
}

const TierDef* ProgramConfig::tier(std::string_view tid) const {
    for (const auto& t : tiers)
        if (t.id == tid) return &t;
    return nullptr;
}

int ProgramConfig::tier_index(std::string_view tid) const {
    for (std::size_t i = 0; i < tiers.size(); ++i)
        if (tiers[i].id == tid) return static_cast<int>(i);
    return -1;
}

const CouponTemplate* ProgramConfig::coupon_template(std::string_view tid) const {
    for (const auto& t : coupon_templates)
        if (t.id == tid) return &t;
    return nullptr;
}

const Reward* ProgramConfig::reward(std::string_view rid) const {
    for (const auto& r : rewards)
        if (r.id == rid) return &r;
    return nullptr;
}

const char* to_string(CouponKind k) {
    switch (k) {
        case CouponKind::amount_off: return "amount_off";
        case CouponKind::percent_off: return "percent_off";
        case CouponKind::threshold: return "threshold";
        case CouponKind::free_item: return "free_item";
    }
    return "amount_off";
}

const char* to_string(ExpiryPolicy p) {
    switch (p) {
        case ExpiryPolicy::never: return "never";
        case ExpiryPolicy::after_days: return "after_days";
        case ExpiryPolicy::end_of_month_after: return "end_of_month_after";
        case ExpiryPolicy::end_of_year: return "end_of_year";
    }
    return "never";
}

const char* to_string(TierRuleKind k) {
    switch (k) {
        case TierRuleKind::rolling_spend: return "rolling_spend";
        case TierRuleKind::monthly_streak: return "monthly_streak";
    }
    return "rolling_spend";
}

namespace {

const char* rounding_name(Rounding r) {
    switch (r) {
        case Rounding::floor: return "floor";
        case Rounding::round_half_up: return "round_half_up";
        case Rounding::ceil: return "ceil";
    }
    return "floor";
}

const char* campaign_kind_name(CampaignKind k) {
    switch (k) {
        case CampaignKind::weekday_multiplier: return "weekday_multiplier";
        case CampaignKind::date_multiplier: return "date_multiplier";
        case CampaignKind::fixed_bonus: return "fixed_bonus";
    }
    return "weekday_multiplier";
}

// [SECTION] Parsing
// Parsing. Every reader takes the JSON path of the value it reads; a failure throws BadField,
// which parse_program turns into Error{"invalid_program", "<path>: <what is wrong>"}.
// A field that is absent or null takes its default (or fails if required); unknown fields are ignored.

struct BadField {
    std::string message;
};

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw BadField{(path.empty() ? std::string("(root)") : path) + ": " + what};
}

std::string member_path(const std::string& base, const char* key) {
    return base.empty() ? std::string(key) : base + "." + key;
}
std::string index_path(const std::string& base, std::size_t i) { return base + "[" + std::to_string(i) + "]"; }

constexpr std::int64_t kNoMax = std::numeric_limits<std::int64_t>::max();
constexpr int kIntMax = std::numeric_limits<int>::max();
// Money and point amounts beyond this are nonsense and would risk overflow in rule arithmetic.
constexpr std::int64_t kMaxAmount = 1'000'000'000'000LL;  // ¥10 billion in fen

std::string quote(const std::string& s) { return "\"" + s + "\""; }

class Reader {
public:
    Reader(const json& obj, std::string path) : j_(obj), path_(std::move(path)) {
        if (!j_.is_object()) fail(path_, "must be an object");
    }
    const std::string& path() const { return path_; }
    std::string at(const char* key) const { return member_path(path_, key); }

    // Present and not null.
    bool has(const char* key) const {
        auto it = j_.find(key);
        return it != j_.end() && !it->is_null();
    }
    const json& raw(const char* key) const { return j_.at(key); }

    std::int64_t integer(const char* key, std::int64_t def, std::int64_t lo, std::int64_t hi,
                         bool required = false) const {
        if (!has(key)) {
            if (required) fail(at(key), "is required and " + range_text(lo, hi));
            return def;
        }
        const json& v = j_.at(key);
        if (!v.is_number_integer()) fail(at(key), range_text(lo, hi));
        std::int64_t x = 0;
        if (v.is_number_unsigned()) {
            auto u = v.get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(kNoMax)) fail(at(key), range_text(lo, hi));
            x = static_cast<std::int64_t>(u);
        } else {
            x = v.get<std::int64_t>();
        }
        if (x < lo || x > hi) fail(at(key), range_text(lo, hi));
        return x;
    }
    int integer32(const char* key, int def, int lo, int hi, bool required = false) const {
        return static_cast<int>(integer(key, def, lo, hi, required));
    }
    Cents money(const char* key, Cents def = 0, Cents lo = 0, bool required = false) const {
        return integer(key, def, lo, kMaxAmount, required);
    }

    bool boolean(const char* key, bool def) const {
        if (!has(key)) return def;
        const json& v = j_.at(key);
        if (!v.is_boolean()) fail(at(key), "must be true or false");
        return v.get<bool>();
    }

    std::string string(const char* key, const std::string& def, bool required = false, bool non_empty = false) const {
        if (!has(key)) {
            if (required) fail(at(key), "is required (a non-empty string)");
            return def;
        }
        const json& v = j_.at(key);
        if (!v.is_string()) fail(at(key), non_empty ? "must be a non-empty string" : "must be a string");
        auto s = v.get<std::string>();
        if (non_empty && s.empty()) fail(at(key), "must be a non-empty string");
        return s;
    }

    Text text(const char* key, bool required) const {
        if (!has(key)) {
            if (required) fail(at(key), "is required (an object {\"zh\": ..., \"en\": ...})");
            return {};
        }
        Reader t(j_.at(key), at(key));
        Text out;
        out.zh = t.string("zh", "", true, required);
        out.en = t.string("en", "", true, required);
        return out;
    }

    template <class E, std::size_t N>
    E enumeration(const char* key, E def, const std::pair<const char*, E> (&names)[N], bool required = false) const {
        std::string allowed;
        for (std::size_t i = 0; i < N; ++i) allowed += (i ? ", " : "") + quote(names[i].first);
        if (!has(key)) {
            if (required) fail(at(key), "is required (one of " + allowed + ")");
            return def;
        }
        const json& v = j_.at(key);
        if (v.is_string()) {
            auto s = v.get<std::string>();
            for (const auto& n : names)
                if (s == n.first) return n.second;
        }
        fail(at(key), "must be one of " + allowed);
    }

    // An array (absent/null = empty); calls f(element, element_path) for each element.
    template <class F>
    void each(const char* key, F&& f, bool required_non_empty = false) const {
        if (!has(key)) {
            if (required_non_empty) fail(at(key), "is required (a non-empty array)");
            return;
        }
        const json& v = j_.at(key);
        if (!v.is_array()) fail(at(key), required_non_empty ? "must be a non-empty array" : "must be an array");
        if (required_non_empty && v.empty()) fail(at(key), "must be a non-empty array");
        for (std::size_t i = 0; i < v.size(); ++i) f(v[i], index_path(at(key), i));
    }

    std::vector<std::string> strings(const char* key, bool required_non_empty = false) const {
        std::vector<std::string> out;
        each(
            key,
            [&](const json& e, const std::string& p) {
                if (!e.is_string() || e.get<std::string>().empty()) fail(p, "must be a non-empty string");
                out.push_back(e.get<std::string>());
            },
            required_non_empty);
        return out;
    }

    std::vector<CivilDate> dates(const char* key, bool required_non_empty) const {
        std::vector<CivilDate> out;
        each(
            key,
            [&](const json& e, const std::string& p) {
                if (!e.is_string()) fail(p, "must be a date \"YYYY-MM-DD\"");
                auto d = parse_date(e.get<std::string>());
                if (!d) fail(p, "must be a date \"YYYY-MM-DD\"");
                out.push_back(*d);
            },
            required_non_empty);
        return out;
    }

    // A nested object (absent/null = default-constructed by the caller).
    const json* object(const char* key) const {
        if (!has(key)) return nullptr;
        return &j_.at(key);
    }

private:
    static std::string range_text(std::int64_t lo, std::int64_t hi) {
        if (hi >= std::numeric_limits<int>::max()) return "must be an integer >= " + std::to_string(lo);
        return "must be an integer between " + std::to_string(lo) + " and " + std::to_string(hi);
    }

    const json& j_;
    std::string path_;
};

const std::pair<const char*, Rounding> kRoundings[] = {
    {"floor", Rounding::floor}, {"round_half_up", Rounding::round_half_up}, {"ceil", Rounding::ceil}};
const std::pair<const char*, ExpiryPolicy> kPolicies[] = {{"never", ExpiryPolicy::never},
                                                          {"after_days", ExpiryPolicy::after_days},
                                                          {"end_of_month_after", ExpiryPolicy::end_of_month_after},
                                                          {"end_of_year", ExpiryPolicy::end_of_year}};
const std::pair<const char*, TierRuleKind> kTierKinds[] = {{"rolling_spend", TierRuleKind::rolling_spend},
                                                           {"monthly_streak", TierRuleKind::monthly_streak}};
const std::pair<const char*, CouponKind> kCouponKinds[] = {{"amount_off", CouponKind::amount_off},
                                                           {"percent_off", CouponKind::percent_off},
                                                           {"threshold", CouponKind::threshold},
                                                           {"free_item", CouponKind::free_item}};
const std::pair<const char*, CampaignKind> kCampaignKinds[] = {{"weekday_multiplier", CampaignKind::weekday_multiplier},
                                                               {"date_multiplier", CampaignKind::date_multiplier},
                                                               {"fixed_bonus", CampaignKind::fixed_bonus}};

const char* const kSegmentLabels[] = {"new", "core", "active", "potential", "dormant", "churned"};

// Ids are referenced from other fields and appear in URLs and logs: keep them plain.
void check_id(const std::string& id, const std::string& path) {
    if (id.size() > 64) fail(path, "must be at most 64 characters");
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                  c == '.';
        if (!ok) fail(path, "must contain only letters, digits, '_', '-' or '.'");
    }
}

std::string read_id(const Reader& r) {
    auto id = r.string("id", "", true, true);
    check_id(id, r.at("id"));
    return id;
}

template <class T>
void check_unique_ids(const std::vector<T>& items, const std::string& array_path) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items.size(); ++i)
        if (!seen.insert(items[i].id).second)
            fail(index_path(array_path, i) + ".id", "duplicate id " + quote(items[i].id));
}

EarningRule parse_earning(const json* j, const std::string& path) {
    EarningRule e;
    if (!j) return e;
    Reader r(*j, path);
    e.unit = r.money("unit", e.unit, 1);
    e.base_rate = r.integer("base_rate", e.base_rate, 1, 1'000'000);
    e.rounding = r.enumeration("rounding", e.rounding, kRoundings);
    e.pending_days = r.integer32("pending_days", e.pending_days, 0, 365);
    return e;
}

ExpiryRule parse_expiry(const json* j, const std::string& path) {
    ExpiryRule e;
    if (!j) return e;
    Reader r(*j, path);
    e.policy = r.enumeration("policy", e.policy, kPolicies);
    switch (e.policy) {
        case ExpiryPolicy::never: e.n = r.integer32("n", 0, 0, 100000); break;
        case ExpiryPolicy::after_days: e.n = r.integer32("n", 365, 1, 36500); break;
        case ExpiryPolicy::end_of_month_after: e.n = r.integer32("n", 12, 0, 1200); break;
        case ExpiryPolicy::end_of_year: e.n = r.integer32("n", 1, 0, 100); break;
    }
    return e;
}

TierRule parse_tier_rule(const json* j, const std::string& path) {
    TierRule t;
    if (!j) return t;
    Reader r(*j, path);
    t.kind = r.enumeration("kind", t.kind, kTierKinds);
    t.window_months = r.integer32("window_months", t.window_months, 1, 120);
    t.monthly_minimum = r.money("monthly_minimum", t.monthly_minimum, t.kind == TierRuleKind::monthly_streak ? 1 : 0,
                                t.kind == TierRuleKind::monthly_streak);
    t.valid_months = r.integer32("valid_months", t.valid_months, 1, 120);
    t.max_downgrade_steps = r.integer32("max_downgrade_steps", t.max_downgrade_steps, 0, 100);
    return t;
}

TierDef parse_tier(const json& j, const std::string& path) {
    Reader r(j, path);
    TierDef t;
    t.id = read_id(r);
    t.name = r.text("name", true);
    t.min_spend = r.money("min_spend");
    t.min_months = r.integer32("min_months", 0, 0, 1200);
    t.min_lifetime_spend = r.money("min_lifetime_spend");
    t.multiplier_percent = r.integer32("multiplier_percent", 100, 100, kIntMax);
    t.can_redeem = r.boolean("can_redeem", true);
    r.each("benefits", [&](const json& e, const std::string& p) {
        if (!e.is_object()) fail(p, "must be an object {\"zh\": ..., \"en\": ...}");
        Reader b(e, p);
        t.benefits.push_back(Text{b.string("zh", "", true, true), b.string("en", "", true, true)});
    });
    t.perk_templates = r.strings("perk_templates");
    return t;
}

Campaign parse_campaign(const json& j, const std::string& path) {
    Reader r(j, path);
    Campaign c;
    c.id = read_id(r);
    c.name = r.text("name", true);
    c.kind = r.enumeration("kind", c.kind, kCampaignKinds, true);
    switch (c.kind) {
        case CampaignKind::weekday_multiplier:
            c.weekday = r.integer32("weekday", -1, 0, 6, true);
            c.multiplier_percent = r.integer32("multiplier_percent", 200, 101, kIntMax);
            break;
        case CampaignKind::date_multiplier:
            c.weekday = r.integer32("weekday", -1, -1, 6);
            c.dates = r.dates("dates", true);
            c.multiplier_percent = r.integer32("multiplier_percent", 200, 101, kIntMax);
            break;
        case CampaignKind::fixed_bonus:
            c.weekday = r.integer32("weekday", -1, -1, 6);
            c.multiplier_percent = r.integer32("multiplier_percent", 200, 100, kIntMax);
            c.bonus = r.integer("bonus", 0, 1, 1'000'000, true);
            break;
    }
    if (c.kind != CampaignKind::date_multiplier) c.dates = r.dates("dates", false);
    if (c.kind != CampaignKind::fixed_bonus) c.bonus = r.integer("bonus", 0, 0, 1'000'000);
    c.min_amount = r.money("min_amount");
    return c;
}

CouponTemplate parse_template(const json& j, const std::string& path) {
    Reader r(j, path);
    CouponTemplate t;
    t.id = read_id(r);
    t.kind = r.enumeration("kind", t.kind, kCouponKinds, true);
    switch (t.kind) {
        case CouponKind::amount_off:
            t.amount = r.money("amount", 0, 1, true);
            t.threshold = r.money("threshold");
            t.percent_off = r.integer32("percent_off", 0, 0, 100);
            break;
        case CouponKind::threshold:
            t.threshold = r.money("threshold", 0, 1, true);
            t.amount = r.money("amount", 0, 1, true);
            if (t.amount > t.threshold) fail(r.at("amount"), "must not exceed threshold (满X减Y needs Y <= X)");
            t.percent_off = r.integer32("percent_off", 0, 0, 100);
            break;
        case CouponKind::percent_off:
            t.percent_off = r.integer32("percent_off", 0, 1, 100, true);
            t.amount = r.money("amount");
            t.threshold = r.money("threshold");
            break;
        case CouponKind::free_item:
            t.amount = r.money("amount");
            t.threshold = r.money("threshold");
            t.percent_off = r.integer32("percent_off", 0, 0, 100);
            break;
    }
    t.max_discount = r.money("max_discount");
    t.item = r.text("item", t.kind == CouponKind::free_item);
    t.scope = r.text("scope", false);
    t.min_spend = r.money("min_spend");
    t.stores = r.strings("stores");
    if (const json* v = r.object("validity")) {
        Reader vr(*v, r.at("validity"));
        t.validity.end_of_month = vr.boolean("end_of_month", false);
        t.validity.days = vr.integer32("days", t.validity.days, 1, 3650);
    }
    return t;
}

SpendBackRule parse_spend_back(const json& j, const std::string& path) {
    Reader r(j, path);
    SpendBackRule s;
    s.tier_id = r.string("tier_id", "");
    s.min_amount = r.money("min_amount", 0, 1, true);
    s.template_id = r.string("template_id", "", true, true);
    return s;
}

HolidayPack parse_holiday(const json& j, const std::string& path) {
    Reader r(j, path);
    HolidayPack h;
    h.id = read_id(r);
    h.name = r.text("name", true);
    h.dates = r.dates("dates", true);
    h.template_id = r.string("template_id", "", true, true);
    return h;
}

IssueRules parse_issue(const json* j, const std::string& path) {
    IssueRules is;
    if (!j) return is;
    Reader r(*j, path);
    is.welcome_template = r.string("welcome_template", "");
    is.birthday_template = r.string("birthday_template", "");
    is.winback_template = r.string("winback_template", "");
    r.each("spend_back", [&](const json& e, const std::string& p) { is.spend_back.push_back(parse_spend_back(e, p)); });
    r.each("holidays", [&](const json& e, const std::string& p) { is.holidays.push_back(parse_holiday(e, p)); });
    check_unique_ids(is.holidays, r.at("holidays"));
    return is;
}

Reward parse_reward(const json& j, const std::string& path) {
    Reader r(j, path);
    Reward w;
    w.id = read_id(r);
    w.name = r.text("name", true);
    w.cost = r.integer("cost", 0, 1, kMaxAmount, true);
    w.template_id = r.string("template_id", "", true, true);
    w.min_tier = r.string("min_tier", "");
    if (r.has("stock")) w.stock = r.integer32("stock", 0, 0, std::numeric_limits<int>::max());
    return w;
}

SegmentRule parse_segments(const json* j, const std::string& path) {
    SegmentRule s;
    if (!j) return s;
    Reader r(*j, path);
    s.new_days = r.integer32("new_days", s.new_days, 0, 3650);
    s.core_monthly = r.money("core_monthly", s.core_monthly);
    s.active_monthly = r.money("active_monthly", s.active_monthly);
    if (s.active_monthly > s.core_monthly) fail(r.at("active_monthly"), "must not exceed core_monthly");
    s.dormant_days = r.integer32("dormant_days", s.dormant_days, 1, 3650);
    s.churned_days = r.integer32("churned_days", s.churned_days, 1, 36500);
    if (s.churned_days <= s.dormant_days) fail(r.at("churned_days"), "must be greater than dormant_days");
    return s;
}

// "HH:MM" -> minutes after midnight.
int parse_clock_time(const Reader& r, const char* key, int def) {
    const std::string s = r.string(key, "");
    if (s.empty()) return def;
    const bool shape = s.size() == 5 && s[2] == ':' && std::isdigit(static_cast<unsigned char>(s[0])) &&
                       std::isdigit(static_cast<unsigned char>(s[1])) &&
                       std::isdigit(static_cast<unsigned char>(s[3])) && std::isdigit(static_cast<unsigned char>(s[4]));
    const int h = shape ? (s[0] - '0') * 10 + (s[1] - '0') : 99, m = shape ? (s[3] - '0') * 10 + (s[4] - '0') : 99;
    if (h > 23 || m > 59) fail(r.at(key), "must be a local time \"HH:MM\" (00:00 to 23:59)");
    return h * 60 + m;
}

ReachRule parse_reach(const json* j, const std::string& path) {
    ReachRule rr;
    if (!j) return rr;
    Reader r(*j, path);
    rr.send_at = parse_clock_time(r, "send_at", rr.send_at);
    if (const json* q = r.object("quiet_hours")) {
        Reader qr(*q, r.at("quiet_hours"));
        rr.quiet_from = parse_clock_time(qr, "from", rr.quiet_from);
        rr.quiet_to = parse_clock_time(qr, "to", rr.quiet_to);
    }
    if (rr.quiet(rr.send_at)) fail(r.at("send_at"), "must lie outside the quiet hours");
    return rr;
}

ReferralRule parse_referral(const json* j, const std::string& path) {
    ReferralRule rr;
    if (!j) return rr;
    Reader r(*j, path);
    rr.referrer_points = r.integer("referrer_points", 0, 0, 1'000'000);
    rr.new_member_points = r.integer("new_member_points", 0, 0, 1'000'000);
    rr.monthly_cap = r.integer32("monthly_cap", 0, 0, 1000);
    return rr;
}

Offer parse_offer(const json& j, const std::string& path) {
    Reader r(j, path);
    Offer o;
    o.id = read_id(r);
    o.segments = r.strings("segments", true);
    for (std::size_t i = 0; i < o.segments.size(); ++i) {
        const auto& s = o.segments[i];
        bool known =
            std::any_of(std::begin(kSegmentLabels), std::end(kSegmentLabels), [&](const char* l) { return s == l; });
        if (!known)
            fail(index_path(r.at("segments"), i),
                 "must be one of \"new\", \"core\", \"active\", \"potential\", \"dormant\", \"churned\"");
    }
    o.title = r.text("title", true);
    o.body = r.text("body", true);
    o.reward_id = r.string("reward_id", "");
    return o;
}

void check_tiers(const ProgramConfig& p) {
    if (p.tiers.empty()) fail("tiers", "must have at least one tier");
    check_unique_ids(p.tiers, "tiers");
    const bool streak = p.tier_rule.kind == TierRuleKind::monthly_streak;
    const TierDef& entry = p.tiers[0];
    if (!streak && entry.min_spend != 0) fail("tiers[0].min_spend", "the entry tier (tiers[0]) must require 0");
    if (streak && entry.min_months != 0) fail("tiers[0].min_months", "the entry tier (tiers[0]) must require 0");
    if (streak && entry.min_lifetime_spend != 0)
        fail("tiers[0].min_lifetime_spend", "the entry tier (tiers[0]) must require 0");
    for (std::size_t i = 1; i < p.tiers.size(); ++i) {
        const TierDef& a = p.tiers[i - 1];
        const TierDef& b = p.tiers[i];
        std::string at = index_path("tiers", i);
        if (!streak) {
            if (b.min_spend <= a.min_spend)
                fail(at + ".min_spend", "must be greater than " + index_path("tiers", i - 1) +
                                            ".min_spend (tiers are ordered by ascending threshold)");
        } else {
            if (b.min_months < a.min_months)
                fail(at + ".min_months", "must not be less than " + index_path("tiers", i - 1) +
                                             ".min_months (tiers are ordered by ascending threshold)");
            if (b.min_lifetime_spend < a.min_lifetime_spend)
                fail(at + ".min_lifetime_spend", "must not be less than " + index_path("tiers", i - 1) +
                                                     ".min_lifetime_spend (tiers are ordered by ascending threshold)");
            if (b.min_months == a.min_months && b.min_lifetime_spend == a.min_lifetime_spend)
                fail(at + ".min_months", "must be greater than " + index_path("tiers", i - 1) +
                                             ".min_months (tiers are ordered by ascending threshold)");
        }
    }
}

void check_template_ref(const ProgramConfig& p, const std::string& id, const std::string& path, bool optional) {
    if (id.empty()) {
        if (optional) return;
        fail(path, "is required (a coupon template id)");
    }
    if (!p.coupon_template(id)) fail(path, "unknown coupon template " + quote(id));
}

void check_references(const ProgramConfig& p) {
    for (std::size_t i = 0; i < p.tiers.size(); ++i)
        for (std::size_t k = 0; k < p.tiers[i].perk_templates.size(); ++k)
            check_template_ref(p, p.tiers[i].perk_templates[k],
                               index_path(index_path("tiers", i) + ".perk_templates", k), false);
    check_template_ref(p, p.issue.welcome_template, "issue.welcome_template", true);
    check_template_ref(p, p.issue.birthday_template, "issue.birthday_template", true);
    check_template_ref(p, p.issue.winback_template, "issue.winback_template", true);
    for (std::size_t i = 0; i < p.issue.spend_back.size(); ++i) {
        const auto& s = p.issue.spend_back[i];
        std::string at = index_path("issue.spend_back", i);
        if (!s.tier_id.empty() && p.tier_index(s.tier_id) < 0)
            fail(at + ".tier_id", "unknown tier " + quote(s.tier_id));
        check_template_ref(p, s.template_id, at + ".template_id", false);
    }
    for (std::size_t i = 0; i < p.issue.holidays.size(); ++i)
        check_template_ref(p, p.issue.holidays[i].template_id, index_path("issue.holidays", i) + ".template_id", false);
    for (std::size_t i = 0; i < p.rewards.size(); ++i) {
        const auto& r = p.rewards[i];
        std::string at = index_path("rewards", i);
        check_template_ref(p, r.template_id, at + ".template_id", false);
        if (!r.min_tier.empty() && p.tier_index(r.min_tier) < 0)
            fail(at + ".min_tier", "unknown tier " + quote(r.min_tier));
    }
    for (std::size_t i = 0; i < p.offers.size(); ++i) {
        const auto& o = p.offers[i];
        if (!o.reward_id.empty() && !p.reward(o.reward_id))
            fail(index_path("offers", i) + ".reward_id", "unknown reward " + quote(o.reward_id));
    }
}

ProgramConfig parse_root(const json& j) {
    Reader r(j, "");
    ProgramConfig p;
    p.id = read_id(r);
    p.name = r.text("name", true);
    p.currency = r.string("currency", p.currency);
    if (p.currency.size() != 3 ||
        !std::all_of(p.currency.begin(), p.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        fail("currency", "must be a three-letter ISO 4217 code such as \"CNY\"");
    // The server checks that the zone exists in the tz database; here it must at least be named.
    p.timezone = r.string("timezone", p.timezone, false, true);
    p.earning = parse_earning(r.object("earning"), "earning");
    p.expiry = parse_expiry(r.object("expiry"), "expiry");
    p.expiring_soon_days = r.integer32("expiring_soon_days", p.expiring_soon_days, 0, 366);
    p.tier_rule = parse_tier_rule(r.object("tier_rule"), "tier_rule");
    r.each(
        "tiers", [&](const json& e, const std::string& path) { p.tiers.push_back(parse_tier(e, path)); }, true);
    check_tiers(p);
    r.each("campaigns",
           [&](const json& e, const std::string& path) { p.campaigns.push_back(parse_campaign(e, path)); });
    check_unique_ids(p.campaigns, "campaigns");
    r.each("coupon_templates",
           [&](const json& e, const std::string& path) { p.coupon_templates.push_back(parse_template(e, path)); });
    check_unique_ids(p.coupon_templates, "coupon_templates");
    p.issue = parse_issue(r.object("issue"), "issue");
    r.each("rewards", [&](const json& e, const std::string& path) { p.rewards.push_back(parse_reward(e, path)); });
    check_unique_ids(p.rewards, "rewards");
    p.survey_points = r.integer("survey_points", 0, 0, 1'000'000);
    p.segments = parse_segments(r.object("segments"), "segments");
    r.each("offers", [&](const json& e, const std::string& path) { p.offers.push_back(parse_offer(e, path)); });
    check_unique_ids(p.offers, "offers");
    p.reach = parse_reach(r.object("reach"), "reach");
    p.referral = parse_referral(r.object("referral"), "referral");
    check_references(p);
    return p;
}

// [SECTION] Serialisation and presets

std::string clock_time(int minutes) {
    const char d[] = "0123456789";
    const int h = minutes / 60, m = minutes % 60;
    return {d[h / 10], d[h % 10], ':', d[m / 10], d[m % 10]};
}

json text_json(const Text& t) { return json{{"zh", t.zh}, {"en", t.en}}; }

json dates_json(const std::vector<CivilDate>& ds) {
    json a = json::array();
    for (const auto& d : ds) a.push_back(format_date(d));
    return a;
}

json template_json(const CouponTemplate& t) {
    json j{{"id", t.id},
           {"kind", to_string(t.kind)},
           {"amount", t.amount},
           {"threshold", t.threshold},
           {"percent_off", t.percent_off},
           {"max_discount", t.max_discount},
           {"min_spend", t.min_spend},
           {"stores", t.stores},
           {"validity", json{{"days", t.validity.days}, {"end_of_month", t.validity.end_of_month}}}};
    if (!t.item.zh.empty() || !t.item.en.empty()) j["item"] = text_json(t.item);
    if (!t.scope.zh.empty() || !t.scope.en.empty()) j["scope"] = text_json(t.scope);
    return j;
}

}  // namespace

Result<ProgramConfig> parse_program(const json& j) {
    try {
        return parse_root(j);
    } catch (const BadField& e) {
        return make_error(ErrorCode::invalid_program, e.message);
    } catch (const json::exception& e) {  // should not happen: every access is type-checked first
        return make_error(ErrorCode::invalid_program, std::string("(root): ") + e.what());
    }
}

Result<ProgramConfig> parse_program_text(std::string_view text) {
    json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return make_error(ErrorCode::invalid_program, "(root): not valid JSON");
    return parse_program(j);
}

json program_to_json(const ProgramConfig& p) {
    json j;
    j["id"] = p.id;
    j["name"] = text_json(p.name);
    j["currency"] = p.currency;
    j["timezone"] = p.timezone;
    j["earning"] = json{{"unit", p.earning.unit},
                        {"base_rate", p.earning.base_rate},
                        {"rounding", rounding_name(p.earning.rounding)},
                        {"pending_days", p.earning.pending_days}};
    j["expiry"] = json{{"policy", to_string(p.expiry.policy)}, {"n", p.expiry.n}};
    j["expiring_soon_days"] = p.expiring_soon_days;
    j["tier_rule"] = json{{"kind", to_string(p.tier_rule.kind)},
                          {"window_months", p.tier_rule.window_months},
                          {"monthly_minimum", p.tier_rule.monthly_minimum},
                          {"valid_months", p.tier_rule.valid_months},
                          {"max_downgrade_steps", p.tier_rule.max_downgrade_steps}};
    json tiers = json::array();
    for (const auto& t : p.tiers) {
        json b = json::array();
        for (const auto& x : t.benefits) b.push_back(text_json(x));
        tiers.push_back(json{{"id", t.id},
                             {"name", text_json(t.name)},
                             {"min_spend", t.min_spend},
                             {"min_months", t.min_months},
                             {"min_lifetime_spend", t.min_lifetime_spend},
                             {"multiplier_percent", t.multiplier_percent},
                             {"can_redeem", t.can_redeem},
                             {"benefits", b},
                             {"perk_templates", t.perk_templates}});
    }
    j["tiers"] = tiers;
    json campaigns = json::array();
    for (const auto& c : p.campaigns)
        campaigns.push_back(json{{"id", c.id},
                                 {"name", text_json(c.name)},
                                 {"kind", campaign_kind_name(c.kind)},
                                 {"weekday", c.weekday},
                                 {"dates", dates_json(c.dates)},
                                 {"multiplier_percent", c.multiplier_percent},
                                 {"bonus", c.bonus},
                                 {"min_amount", c.min_amount}});
    j["campaigns"] = campaigns;
    json templates = json::array();
    for (const auto& t : p.coupon_templates) templates.push_back(template_json(t));
    j["coupon_templates"] = templates;
    json spend_back = json::array();
    for (const auto& s : p.issue.spend_back)
        spend_back.push_back(
            json{{"tier_id", s.tier_id}, {"min_amount", s.min_amount}, {"template_id", s.template_id}});
    json holidays = json::array();
    for (const auto& h : p.issue.holidays)
        holidays.push_back(json{
            {"id", h.id}, {"name", text_json(h.name)}, {"dates", dates_json(h.dates)}, {"template_id", h.template_id}});
    j["issue"] = json{{"welcome_template", p.issue.welcome_template},
                      {"birthday_template", p.issue.birthday_template},
                      {"winback_template", p.issue.winback_template},
                      {"spend_back", spend_back},
                      {"holidays", holidays}};
    json rewards = json::array();
    for (const auto& r : p.rewards) {
        json x{{"id", r.id},
               {"name", text_json(r.name)},
               {"cost", r.cost},
               {"template_id", r.template_id},
               {"min_tier", r.min_tier}};
        if (r.stock) x["stock"] = *r.stock;
        rewards.push_back(x);
    }
    j["rewards"] = rewards;
    j["survey_points"] = p.survey_points;
    j["segments"] = json{{"new_days", p.segments.new_days},
                         {"core_monthly", p.segments.core_monthly},
                         {"active_monthly", p.segments.active_monthly},
                         {"dormant_days", p.segments.dormant_days},
                         {"churned_days", p.segments.churned_days}};
    json offers = json::array();
    for (const auto& o : p.offers)
        offers.push_back(json{{"id", o.id},
                              {"segments", o.segments},
                              {"title", text_json(o.title)},
                              {"body", text_json(o.body)},
                              {"reward_id", o.reward_id}});
    j["offers"] = offers;
    j["reach"] =
        json{{"send_at", clock_time(p.reach.send_at)},
             {"quiet_hours", {{"from", clock_time(p.reach.quiet_from)}, {"to", clock_time(p.reach.quiet_to)}}}};
    j["referral"] = json{{"referrer_points", p.referral.referrer_points},
                         {"new_member_points", p.referral.new_member_points},
                         {"monthly_cap", p.referral.monthly_cap}};
    return j;
}

Result<ProgramConfig> load_preset(std::string_view name) {
    std::string_view text = embedded_preset(name);
    if (text.empty()) {
        std::string known;
        for (const auto& n : embedded_preset_names()) known += (known.empty() ? "" : ", ") + n;
        return make_error(ErrorCode::unknown_preset,
                          "no preset named \"" + std::string(name) + "\" (available: " + known + ")");
    }
    auto p = parse_program_text(text);
    if (!p) return make_error(ErrorCode::invalid_program, p.error().message + " (preset " + std::string(name) + ")");
    return p;
}

}  // namespace memberdesk
