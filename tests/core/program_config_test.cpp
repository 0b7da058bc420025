// Program configuration: the shipped presets, strict validation that names the bad field, round-trip.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "memberdesk/presets.hpp"
#include "memberdesk/program.hpp"

using namespace memberdesk;

namespace program_config_test {
using nlohmann::json;

namespace {

json preset_json(const char* name) {
    auto text = embedded_preset(name);
    REQUIRE_FALSE(text.empty());
    return json::parse(text);
}

ProgramConfig preset(const char* name) {
    auto p = load_preset(name);
    if (!p) FAIL(p.error().message);
    return *p;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

}  // namespace

TEST_CASE("program: all three presets parse and are listed") {
    for (const char* name : {"coffee", "salon", "retail"}) {
        CAPTURE(name);
        auto p = load_preset(name);
        REQUIRE_MESSAGE(p.ok(), (p.ok() ? std::string() : p.error().message));
        CHECK(p->id == name);
        CHECK_FALSE(p->name.zh.empty());
        CHECK_FALSE(p->name.en.empty());
        CHECK(p->timezone == "Asia/Shanghai");
        CHECK(p->currency == "CNY");
    }
    auto names = embedded_preset_names();
    CHECK(std::set<std::string>(names.begin(), names.end()) == std::set<std::string>{"coffee", "retail", "salon"});
}

TEST_CASE("program: load_preset of an unknown name fails with unknown_preset") {
    auto p = load_preset("bakery");
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == ErrorCode::unknown_preset);
    CHECK(p.error().message.find("coffee") != std::string::npos);
}

TEST_CASE("program: coffee preset has the spec's tiers, earning, expiry and coupons") {
    auto p = preset("coffee");
    REQUIRE(p.tiers.size() == 3);
    CHECK(p.tier_rule.kind == TierRuleKind::rolling_spend);
    CHECK(p.tier_rule.window_months == 12);
    CHECK(p.tiers[0].name.zh == "标准");
    CHECK(p.tiers[1].name.zh == "优选");
    CHECK(p.tiers[2].name.zh == "尊享");
    CHECK(p.tiers[0].name.en == "Standard");
    CHECK(p.tiers[1].name.en == "Premium");
    CHECK(p.tiers[2].name.en == "Elite");
    CHECK(p.tiers[0].min_spend == 0);
    CHECK(p.tiers[1].min_spend == 120000);
    CHECK(p.tiers[2].min_spend == 360000);
    CHECK(p.tiers[0].multiplier_percent == 100);
    CHECK(p.tiers[1].multiplier_percent == 120);
    CHECK(p.tiers[2].multiplier_percent == 150);
    CHECK(p.earning.unit == 1000);
    CHECK(p.earning.base_rate == 1);
    CHECK(p.earning.rounding == Rounding::floor);
    CHECK(p.expiry.policy == ExpiryPolicy::end_of_month_after);
    CHECK(p.expiry.n == 12);

    const Reward* coffee = p.reward("premium_coffee");
    REQUIRE(coffee);
    CHECK(coffee->cost == 500);
    const CouponTemplate* ct = p.coupon_template(coffee->template_id);
    REQUIRE(ct);
    CHECK(ct->kind == CouponKind::free_item);

    // Spend-back ¥100→¥10 / ¥200→¥20 / ¥500→¥50 by tier, per single purchase.
    REQUIRE(p.issue.spend_back.size() == 3);
    const std::pair<const char*, std::pair<Cents, Cents>> expected[] = {
        {"standard", {10000, 1000}}, {"premium", {20000, 2000}}, {"elite", {50000, 5000}}};
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& sb = p.issue.spend_back[i];
        CHECK(sb.tier_id == expected[i].first);
        CHECK(sb.min_amount == expected[i].second.first);
        const CouponTemplate* t = p.coupon_template(sb.template_id);
        REQUIRE(t);
        CHECK(t->kind == CouponKind::amount_off);
        CHECK(t->amount == expected[i].second.second);
    }
    // Premium and up: 20 % off selected drinks.
    CHECK(p.tiers[0].perk_templates.empty());
    for (int i : {1, 2}) {
        REQUIRE(p.tiers[static_cast<std::size_t>(i)].perk_templates.size() == 1);
        const CouponTemplate* t = p.coupon_template(p.tiers[static_cast<std::size_t>(i)].perk_templates[0]);
        REQUIRE(t);
        CHECK(t->kind == CouponKind::percent_off);
        CHECK(t->percent_off == 20);
        CHECK(t->scope.zh == "指定饮品");
        CHECK(t->scope.en == "selected drinks");
    }
    const CouponTemplate* birthday = p.coupon_template(p.issue.birthday_template);
    REQUIRE(birthday);
    CHECK(birthday->kind == CouponKind::free_item);
    CHECK(birthday->validity.end_of_month);
    const CouponTemplate* welcome = p.coupon_template(p.issue.welcome_template);
    REQUIRE(welcome);
    CHECK(welcome->kind == CouponKind::percent_off);
    CHECK(welcome->percent_off == 20);
}

TEST_CASE("program: salon preset qualifies by monthly streak and Regular cannot redeem") {
    auto p = preset("salon");
    CHECK(p.tier_rule.kind == TierRuleKind::monthly_streak);
    CHECK(p.tier_rule.monthly_minimum > 0);
    REQUIRE(p.tiers.size() == 4);
    const char* zh[] = {"普通", "银卡", "金卡", "白金"};
    const char* en[] = {"Regular", "Silver", "Gold", "Platinum"};
    const int months[] = {0, 3, 6, 12};
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(p.tiers[i].name.zh == zh[i]);
        CHECK(p.tiers[i].name.en == en[i]);
        CHECK(p.tiers[i].min_months == months[i]);
        CHECK(p.tiers[i].can_redeem == (i > 0));
        // Benefits are cumulative: each tier lists at least everything of the tier below.
        if (i > 0) {
            // (The points multiplier line is replaced by the higher one.)
            CHECK(p.tiers[i].benefits.size() > p.tiers[i - 1].benefits.size());
            for (const auto& b : p.tiers[i - 1].benefits) {
                if (b.en.find("× points") != std::string::npos) continue;
                bool found = false;
                for (const auto& c : p.tiers[i].benefits)
                    if (c.zh == b.zh) found = true;
                CHECK_MESSAGE(found, p.tiers[i].id << " lacks " << b.en);
            }
        }
    }
    // Priority booking and the free care treatment are free_item perk coupons.
    for (const char* id : {"priority_booking", "free_care"}) {
        const CouponTemplate* t = p.coupon_template(id);
        REQUIRE(t);
        CHECK(t->kind == CouponKind::free_item);
    }
    const auto& gold = p.tiers[2].perk_templates;
    CHECK(std::find(gold.begin(), gold.end(), "free_care") != gold.end());
    CHECK(std::find(gold.begin(), gold.end(), "priority_booking") != gold.end());
}

TEST_CASE("program: retail preset has member day, holiday packs 2026-2030, survey points and win-back") {
    auto p = preset("retail");
    REQUIRE(p.tiers.size() == 3);
    CHECK(p.tiers[1].min_spend == 200000);
    CHECK(p.tiers[2].min_spend == 800000);
    REQUIRE(p.campaigns.size() == 1);
    CHECK(p.campaigns[0].kind == CampaignKind::weekday_multiplier);
    CHECK(p.campaigns[0].weekday == 3);
    CHECK(p.campaigns[0].multiplier_percent == 200);
    CHECK(p.survey_points > 0);
    CHECK(p.coupon_template(p.issue.winback_template) != nullptr);
    CHECK(p.coupon_template(p.issue.welcome_template) != nullptr);
    CHECK(p.coupon_template(p.issue.birthday_template) != nullptr);
    REQUIRE(p.issue.holidays.size() == 2);
    CHECK(p.issue.holidays[0].name.zh == "春节");
    CHECK(p.issue.holidays[1].name.zh == "国庆");
    const char* spring[] = {"2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03"};
    REQUIRE(p.issue.holidays[0].dates.size() == 5);
    REQUIRE(p.issue.holidays[1].dates.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(format_date(p.issue.holidays[0].dates[i]) == spring[i]);
        CHECK(format_date(p.issue.holidays[1].dates[i]) == std::to_string(2026 + i) + "-10-01");
    }
}

TEST_CASE("program: every preset has an offer for every lifecycle segment") {
    for (const char* name : {"coffee", "salon", "retail"}) {
        CAPTURE(name);
        auto p = preset(name);
        for (const char* seg : {"new", "core", "active", "potential", "dormant", "churned"}) {
            CAPTURE(seg);
            bool found = false;
            for (const auto& o : p.offers)
                if (std::find(o.segments.begin(), o.segments.end(), seg) != o.segments.end()) found = true;
            CHECK(found);
        }
    }
}

TEST_CASE("program: lookups by id") {
    auto p = preset("coffee");
    CHECK(p.tier_index("standard") == 0);
    CHECK(p.tier_index("elite") == 2);
    CHECK(p.tier_index("gold") == -1);
    CHECK(p.tier("premium")->multiplier_percent == 120);
    CHECK(p.tier("nope") == nullptr);
    CHECK(p.coupon_template("welcome_20") != nullptr);
    CHECK(p.coupon_template("nope") == nullptr);
    CHECK(p.reward("pastry")->cost == 300);
    CHECK(p.reward("nope") == nullptr);
    CHECK(std::string(to_string(CouponKind::threshold)) == "threshold");
    CHECK(std::string(to_string(ExpiryPolicy::end_of_month_after)) == "end_of_month_after");
    CHECK(std::string(to_string(TierRuleKind::monthly_streak)) == "monthly_streak");
}

TEST_CASE("program: program_to_json round-trips every preset") {
    for (const char* name : {"coffee", "salon", "retail"}) {
        CAPTURE(name);
        auto p = preset(name);
        json once = program_to_json(p);
        auto again = parse_program(once);
        REQUIRE_MESSAGE(again.ok(), (again.ok() ? std::string() : again.error().message));
        CHECK(program_to_json(*again) == once);
        // And through text.
        auto from_text = parse_program_text(once.dump(2));
        REQUIRE(from_text.ok());
        CHECK(program_to_json(*from_text) == once);
    }
}

TEST_CASE("program: unknown fields are ignored and optional sections take their defaults") {
    json j = {{"id", "mini"},
              {"name", {{"zh", "迷你"}, {"en", "Mini"}}},
              {"tiers", json::array({{{"id", "basic"}, {"name", {{"zh", "基础"}, {"en", "Basic"}}}}})},
              {"some_future_field", {{"x", 1}}}};
    j["tiers"][0]["colour"] = "blue";
    auto p = parse_program(j);
    REQUIRE_MESSAGE(p.ok(), (p.ok() ? std::string() : p.error().message));
    CHECK(p->currency == "CNY");
    CHECK(p->timezone == "Asia/Shanghai");
    CHECK(p->earning.unit == 1000);
    CHECK(p->expiry.policy == ExpiryPolicy::end_of_month_after);
    CHECK(p->expiry.n == 12);
    CHECK(p->tiers[0].multiplier_percent == 100);
    CHECK(p->segments.core_monthly == 30000);
    CHECK(p->rewards.empty());
}

TEST_CASE("program: a null optional field is the same as an absent one") {
    json j = preset_json("coffee");
    j["campaigns"] = nullptr;
    j["rewards"][2]["stock"] = nullptr;
    auto p = parse_program(j);
    REQUIRE(p.ok());
    CHECK_FALSE(p->rewards[2].stock.has_value());
}

namespace {

struct Broken {
    const char* preset;
    const char* what;
    std::function<void(json&)> edit;
    const char* expected_prefix;  // the message must start with this (the JSON path, then ": ")
};

void set(json& j, const char* pointer, json v) { j[json::json_pointer(pointer)] = std::move(v); }
void erase(json& j, const char* parent, const char* key) { j[json::json_pointer(parent)].erase(key); }

}  // namespace

TEST_CASE("program: each validation error names the bad field") {
    // coffee coupon_templates: 0 premium_coffee, 1 pastry, 2 tumbler, 3 spend_back_10, 4 spend_back_20,
    // 5 spend_back_50, 6 selected_drinks_20, 7 birthday_drink, 8 welcome_20.
    // salon coupon_templates: 4 welcome_300_50 (threshold).
    const Broken cases[] = {
        // required / ill-typed
        {"coffee", "missing id", [](json& j) { j.erase("id"); }, "id: is required"},
        {"coffee", "id with spaces", [](json& j) { set(j, "/id", "my program"); }, "id: "},
        {"coffee", "name not an object", [](json& j) { set(j, "/name", "Coffee"); }, "name: must be an object"},
        {"coffee", "name.en missing", [](json& j) { erase(j, "/name", "en"); }, "name.en: is required"},
        {"coffee", "name.zh empty", [](json& j) { set(j, "/name/zh", ""); }, "name.zh: must be a non-empty string"},
        {"coffee", "multiplier below 100", [](json& j) { set(j, "/tiers/1/multiplier_percent", 99); },
         "tiers[1].multiplier_percent: must be an integer >= 100"},
        {"coffee", "multiplier as string", [](json& j) { set(j, "/tiers/1/multiplier_percent", "120"); },
         "tiers[1].multiplier_percent: must be an integer"},
        {"coffee", "multiplier as fraction", [](json& j) { set(j, "/tiers/1/multiplier_percent", 1.2); },
         "tiers[1].multiplier_percent: must be an integer"},
        {"coffee", "can_redeem not bool", [](json& j) { set(j, "/tiers/1/can_redeem", "yes"); },
         "tiers[1].can_redeem: must be true or false"},
        {"coffee", "benefit as plain string", [](json& j) { set(j, "/tiers/1/benefits/0", "1.2x"); },
         "tiers[1].benefits[0]: must be an object"},
        {"coffee", "tier name missing", [](json& j) { erase(j, "/tiers/2", "name"); }, "tiers[2].name: is required"},
        {"coffee", "tiers empty", [](json& j) { set(j, "/tiers", json::array()); }, "tiers: must be a non-empty array"},
        {"coffee", "tiers missing", [](json& j) { j.erase("tiers"); }, "tiers: is required"},
        {"coffee", "tiers not an array", [](json& j) { set(j, "/tiers", json::object()); }, "tiers: must be"},
        {"coffee", "tier is not an object", [](json& j) { set(j, "/tiers/1", 5); }, "tiers[1]: must be an object"},
        // enums
        {"coffee", "unknown rounding", [](json& j) { set(j, "/earning/rounding", "nearest"); },
         "earning.rounding: must be one of \"floor\", \"round_half_up\", \"ceil\""},
        {"coffee", "unknown expiry policy", [](json& j) { set(j, "/expiry/policy", "monthly"); },
         "expiry.policy: must be one of"},
        {"coffee", "unknown tier rule kind", [](json& j) { set(j, "/tier_rule/kind", "lifetime"); },
         "tier_rule.kind: must be one of"},
        {"coffee", "unknown coupon kind", [](json& j) { set(j, "/coupon_templates/3/kind", "bogof"); },
         "coupon_templates[3].kind: must be one of"},
        {"coffee", "coupon kind missing", [](json& j) { erase(j, "/coupon_templates/3", "kind"); },
         "coupon_templates[3].kind: is required"},
        {"retail", "unknown campaign kind", [](json& j) { set(j, "/campaigns/0/kind", "happy_hour"); },
         "campaigns[0].kind: must be one of"},
        // numbers and ranges
        {"coffee", "unit zero", [](json& j) { set(j, "/earning/unit", 0); }, "earning.unit: must be an integer >= 1"},
        {"coffee", "base rate zero", [](json& j) { set(j, "/earning/base_rate", 0); }, "earning.base_rate: "},
        {"coffee", "pending days negative", [](json& j) { set(j, "/earning/pending_days", -1); },
         "earning.pending_days: "},
        {"coffee", "expiry months negative", [](json& j) { set(j, "/expiry/n", -1); }, "expiry.n: "},
        {"coffee", "window zero", [](json& j) { set(j, "/tier_rule/window_months", 0); }, "tier_rule.window_months: "},
        {"coffee", "expiring soon negative", [](json& j) { set(j, "/expiring_soon_days", -1); },
         "expiring_soon_days: "},
        {"coffee", "survey points negative", [](json& j) { set(j, "/survey_points", -5); }, "survey_points: "},
        {"coffee", "negative amount", [](json& j) { set(j, "/coupon_templates/3/amount", -100); },
         "coupon_templates[3].amount: must be an integer >= 1"},
        {"coffee", "negative min spend", [](json& j) { set(j, "/coupon_templates/3/min_spend", -1); },
         "coupon_templates[3].min_spend: must be an integer >= 0"},
        {"coffee", "negative max discount", [](json& j) { set(j, "/coupon_templates/8/max_discount", -1); },
         "coupon_templates[8].max_discount: "},
        {"coffee", "percent zero", [](json& j) { set(j, "/coupon_templates/6/percent_off", 0); },
         "coupon_templates[6].percent_off: must be an integer between 1 and 100"},
        {"coffee", "percent over 100", [](json& j) { set(j, "/coupon_templates/6/percent_off", 101); },
         "coupon_templates[6].percent_off: must be an integer between 1 and 100"},
        {"coffee", "free item without item", [](json& j) { erase(j, "/coupon_templates/0", "item"); },
         "coupon_templates[0].item: is required"},
        {"coffee", "validity days zero", [](json& j) { set(j, "/coupon_templates/0/validity/days", 0); },
         "coupon_templates[0].validity.days: "},
        {"coffee", "store id not a string", [](json& j) { set(j, "/coupon_templates/0/stores", json::array({1})); },
         "coupon_templates[0].stores[0]: "},
        {"salon", "threshold amount above threshold", [](json& j) { set(j, "/coupon_templates/4/amount", 40000); },
         "coupon_templates[4].amount: must not exceed threshold"},
        {"salon", "threshold missing", [](json& j) { erase(j, "/coupon_templates/4", "threshold"); },
         "coupon_templates[4].threshold: is required"},
        {"coffee", "reward cost zero", [](json& j) { set(j, "/rewards/1/cost", 0); }, "rewards[1].cost: "},
        {"coffee", "reward stock negative", [](json& j) { set(j, "/rewards/2/stock", -1); }, "rewards[2].stock: "},
        {"coffee", "spend-back min amount zero", [](json& j) { set(j, "/issue/spend_back/0/min_amount", 0); },
         "issue.spend_back[0].min_amount: "},
        {"retail", "weekday 7", [](json& j) { set(j, "/campaigns/0/weekday", 7); },
         "campaigns[0].weekday: must be an integer between 0 and 6"},
        {"retail", "weekday missing", [](json& j) { erase(j, "/campaigns/0", "weekday"); },
         "campaigns[0].weekday: is required"},
        {"retail", "multiplier campaign of 100%", [](json& j) { set(j, "/campaigns/0/multiplier_percent", 100); },
         "campaigns[0].multiplier_percent: "},
        {"salon", "streak without monthly minimum", [](json& j) { set(j, "/tier_rule/monthly_minimum", 0); },
         "tier_rule.monthly_minimum: must be an integer >= 1"},
        {"coffee", "currency not ISO", [](json& j) { set(j, "/currency", "yuan"); }, "currency: "},
        {"coffee", "empty time zone", [](json& j) { set(j, "/timezone", ""); }, "timezone: must be a non-empty string"},
        {"coffee", "time zone not a string", [](json& j) { set(j, "/timezone", 8); }, "timezone: "},
        {"coffee", "segments: churned before dormant", [](json& j) { set(j, "/segments/churned_days", 30); },
         "segments.churned_days: must be greater than dormant_days"},
        {"coffee", "segments: active above core", [](json& j) { set(j, "/segments/active_monthly", 50000); },
         "segments.active_monthly: must not exceed core_monthly"},
        {"retail", "holiday date invalid", [](json& j) { set(j, "/issue/holidays/0/dates/1", "2027-02-30"); },
         "issue.holidays[0].dates[1]: must be a date \"YYYY-MM-DD\""},
        {"retail", "holiday without dates", [](json& j) { set(j, "/issue/holidays/1/dates", json::array()); },
         "issue.holidays[1].dates: must be a non-empty array"},
        {"coffee", "offer without segments", [](json& j) { set(j, "/offers/0/segments", json::array()); },
         "offers[0].segments: must be a non-empty array"},
        {"coffee", "offer with an unknown segment", [](json& j) { set(j, "/offers/1/segments/0", "vip"); },
         "offers[1].segments[0]: must be one of"},
        {"coffee", "offer without title", [](json& j) { erase(j, "/offers/1", "title"); },
         "offers[1].title: is required"},
        // ordering
        {"coffee", "tiers out of order", [](json& j) { set(j, "/tiers/2/min_spend", 100000); },
         "tiers[2].min_spend: must be greater than tiers[1].min_spend"},
        {"coffee", "equal thresholds", [](json& j) { set(j, "/tiers/2/min_spend", 120000); },
         "tiers[2].min_spend: must be greater than tiers[1].min_spend"},
        {"coffee", "entry tier with a threshold", [](json& j) { set(j, "/tiers/0/min_spend", 100); },
         "tiers[0].min_spend: the entry tier"},
        {"salon", "streak tiers out of order", [](json& j) { set(j, "/tiers/2/min_months", 2); },
         "tiers[2].min_months: must not be less than tiers[1].min_months"},
        {"salon", "streak tiers equal", [](json& j) { set(j, "/tiers/2/min_months", 3); },
         "tiers[2].min_months: must be greater than tiers[1].min_months"},
        // unique ids
        {"coffee", "duplicate tier id", [](json& j) { set(j, "/tiers/2/id", "premium"); },
         "tiers[2].id: duplicate id \"premium\""},
        {"coffee", "duplicate template id", [](json& j) { set(j, "/coupon_templates/1/id", "premium_coffee"); },
         "coupon_templates[1].id: duplicate id"},
        {"coffee", "duplicate reward id", [](json& j) { set(j, "/rewards/1/id", "pastry"); },
         "rewards[1].id: duplicate id"},
        {"coffee", "duplicate offer id", [](json& j) { set(j, "/offers/1/id", "new_first_reward"); },
         "offers[1].id: duplicate id"},
        {"retail", "duplicate holiday id", [](json& j) { set(j, "/issue/holidays/1/id", "spring_festival"); },
         "issue.holidays[1].id: duplicate id"},
        // references
        {"coffee", "welcome template unknown", [](json& j) { set(j, "/issue/welcome_template", "nope"); },
         "issue.welcome_template: unknown coupon template \"nope\""},
        {"coffee", "birthday template unknown", [](json& j) { set(j, "/issue/birthday_template", "nope"); },
         "issue.birthday_template: unknown coupon template"},
        {"retail", "winback template unknown", [](json& j) { set(j, "/issue/winback_template", "nope"); },
         "issue.winback_template: unknown coupon template"},
        {"coffee", "spend-back template unknown", [](json& j) { set(j, "/issue/spend_back/1/template_id", "nope"); },
         "issue.spend_back[1].template_id: unknown coupon template"},
        {"coffee", "spend-back tier unknown", [](json& j) { set(j, "/issue/spend_back/1/tier_id", "gold"); },
         "issue.spend_back[1].tier_id: unknown tier \"gold\""},
        {"retail", "holiday template unknown", [](json& j) { set(j, "/issue/holidays/1/template_id", "nope"); },
         "issue.holidays[1].template_id: unknown coupon template"},
        {"coffee", "perk template unknown", [](json& j) { set(j, "/tiers/1/perk_templates/0", "nope"); },
         "tiers[1].perk_templates[0]: unknown coupon template"},
        {"coffee", "reward template unknown", [](json& j) { set(j, "/rewards/1/template_id", "nope"); },
         "rewards[1].template_id: unknown coupon template"},
        {"coffee", "reward template missing", [](json& j) { erase(j, "/rewards/1", "template_id"); },
         "rewards[1].template_id: is required"},
        {"coffee", "reward min tier unknown", [](json& j) { set(j, "/rewards/2/min_tier", "platinum"); },
         "rewards[2].min_tier: unknown tier"},
        {"coffee", "offer reward unknown", [](json& j) { set(j, "/offers/0/reward_id", "nope"); },
         "offers[0].reward_id: unknown reward \"nope\""},
    };
    for (const auto& c : cases) {
        std::string what = std::string(c.preset) + ": " + c.what;
        CAPTURE(what);
        json j = preset_json(c.preset);
        c.edit(j);
        auto p = parse_program(j);
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().code == ErrorCode::invalid_program);
        CHECK_MESSAGE(starts_with(p.error().message, c.expected_prefix),
                      "got: " << p.error().message << "\nwant prefix: " << std::string(c.expected_prefix));
    }
}

TEST_CASE("program: a document that is not an object or not JSON is refused at the root") {
    auto a = parse_program(json::array({1, 2}));
    REQUIRE_FALSE(a.ok());
    CHECK(a.error().code == ErrorCode::invalid_program);
    CHECK(starts_with(a.error().message, "(root): must be an object"));
    auto b = parse_program_text("{\"id\": ");
    REQUIRE_FALSE(b.ok());
    CHECK(b.error().code == ErrorCode::invalid_program);
    CHECK(starts_with(b.error().message, "(root): not valid JSON"));
}

TEST_CASE("program: the first error in document order is the one reported") {
    json j = preset_json("coffee");
    set(j, "/earning/unit", -1);
    set(j, "/tiers/1/multiplier_percent", 50);
    auto p = parse_program(j);
    REQUIRE_FALSE(p.ok());
    CHECK(starts_with(p.error().message, "earning.unit: "));
}

}  // namespace program_config_test
