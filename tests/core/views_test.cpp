// View models: masking, builders, the generated rules text, the zone's wire form and JSON codecs.
#include <doctest/doctest.h>

#include <string>

#include "fixtures.hpp"
#include "memberdesk/views.hpp"

using namespace memberdesk;

namespace views_test {
using nlohmann::json;

namespace {

ProgramConfig preset(const char* name) {
    auto p = load_preset(name);
    if (!p) FAIL(p.error().message);
    return *p;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const RuleSection& section(const std::vector<RuleSection>& rules, const std::string& id) {
    for (const auto& r : rules)
        if (r.id == id) return r;
    FAIL("no rule section " << id);
    return rules.front();
}

// to_json -> from_json -> to_json gives the same JSON, and the decoded value equals the original's JSON.
template <class T>
json round_trip(const T& v) {
    json a = v;
    T back = a.get<T>();
    json b = back;
    CHECK(a == b);
    // And through text.
    json c = json::parse(a.dump()).get<T>();
    CHECK(c == a);
    return a;
}

CouponView sample_coupon_view() {
    CouponView c;
    c.id = 3;
    c.code = "K7Q2M9";
    c.kind = "threshold";
    c.state = "used";
    c.source = "spend_back";
    c.title = {"满100减10", "¥10 off orders of ¥100 or more"};
    c.conditions = {"全部门店可用", "Valid at all stores"};
    c.valid_from = "2026-03-01T00:00:00Z";
    c.valid_until = "2026-03-31T15:59:59Z";
    c.used_at = "2026-03-05T08:00:00Z";
    c.used_discount = 1000;
    return c;
}

}  // namespace

TEST_CASE("views: names are masked by code point, CJK included") {
    CHECK(mask_name("王小明") == "王*明");
    CHECK(mask_name("王明") == "王*");
    CHECK(mask_name("王") == "*");
    CHECK(mask_name("欧阳小明") == "欧**明");
    CHECK(mask_name("Ann") == "A*n");
    CHECK(mask_name("Ann Lee") == "A*****e");
    CHECK(mask_name("Al") == "A*");
    CHECK(mask_name("") == "");
    CHECK(mask_name("😀ab") == "😀*b");  // 4-byte code point kept whole
    CHECK(mask_name("Zoë") == "Z*ë");  // 2-byte code point at the end
    // Invalid UTF-8 does not crash and keeps byte count sane.
    CHECK(mask_name(std::string("\xff\xfe\xfd")) == std::string("\xff*\xfd"));
    CHECK(mask_name(std::string("\xe7\x8e")) == std::string("\xe7*"));  // truncated sequence
}

TEST_CASE("views: phone numbers keep the first 3 and last 4 digits") {
    CHECK(mask_phone("13812345678") == "138****5678");
    CHECK(mask_phone("+8613812345678") == "+86*******5678");
    CHECK(mask_phone("12345678") == "12****78");  // shorter numbers still hide most digits
    CHECK(mask_phone("1234567") == "12***67");
    CHECK(mask_phone("123456") == "1****6");
    CHECK(mask_phone("12345") == "1***5");
    CHECK(mask_phone("123") == "1*3");
    CHECK(mask_phone("12") == "**");
    CHECK(mask_phone("") == "");
}

TEST_CASE("views: me view shows the member's own data in the portal and masks it for the kiosk") {
    mdtest::Sim sim(preset("coffee"));
    sim.s.joined_at = mdtest::at("2026-01-05T10:00:00+08:00");
    sim.apply(join(sim.p, sim.z, sim.s, sim.s.joined_at));
    sim.earn("T1", 35000, mdtest::at("2026-02-01T10:00:00+08:00"));
    const UnixSeconds now = mdtest::at("2026-02-02T10:00:00+08:00");
    const CivilDate bday{1990, 7, 14};

    MeView portal = build_me_view(sim.p, sim.z, sim.s, "王小明", "13812345678", bday, false, now);
    CHECK(portal.profile.id == 1);
    CHECK(portal.profile.name == "王小明");
    CHECK(portal.profile.phone_masked == "138****5678");
    REQUIRE(portal.profile.birthday.has_value());
    CHECK(*portal.profile.birthday == "1990-07-14");
    CHECK(portal.profile.joined_at == "2026-01-05T02:00:00Z");
    CHECK(portal.points.balance == 35);
    CHECK(portal.points.lifetime_earned == 35);
    CHECK(portal.tier.id == "standard");
    CHECK(portal.tier.name.en == "Standard");
    CHECK(portal.tier.multiplier_percent == 100);
    CHECK_FALSE(portal.tier.benefits.empty());
    REQUIRE(portal.tier.next.has_value());
    CHECK(portal.tier.next->id == "premium");
    CHECK(portal.tier.next->name.zh == "优选");
    CHECK(portal.tier.next->remaining_spend == 120000 - 35000);
    CHECK(portal.coupons.available >= 2);  // welcome + spend-back
    REQUIRE(portal.offers.size() == 1);    // new member
    CHECK(portal.offers[0].id == "new_first_reward");

    MeView kiosk = build_me_view(sim.p, sim.z, sim.s, "王小明", "13812345678", bday, true, now);
    CHECK(kiosk.profile.name == "王*明");
    CHECK(kiosk.profile.phone_masked == "138****5678");
    CHECK_FALSE(kiosk.profile.birthday.has_value());
    json j = kiosk;
    CHECK_FALSE(j["profile"].contains("birthday"));
    CHECK(j.dump().find("王小明") == std::string::npos);
    CHECK(j.dump().find("13812345678") == std::string::npos);
    CHECK(kiosk.points.balance == portal.points.balance);
}

TEST_CASE("views: coupon counts use the effective state") {
    mdtest::Sim sim(preset("coffee"));
    sim.s.joined_at = mdtest::at("2026-01-05T10:00:00+08:00");
    sim.apply(join(sim.p, sim.z, sim.s, sim.s.joined_at));  // welcome coupon valid 30 days
    REQUIRE(sim.s.coupons.size() == 1);
    MeView early = build_me_view(sim.p, sim.z, sim.s, "A", "1", std::nullopt, false, sim.s.joined_at + 60);
    CHECK(early.coupons.available == 1);
    CHECK(early.coupons.expired == 0);
    MeView late = build_me_view(sim.p, sim.z, sim.s, "A", "1", std::nullopt, false, mdtest::at("2026-03-01T00:00:00Z"));
    CHECK(late.coupons.available == 0);
    CHECK(late.coupons.expired == 1);
}

TEST_CASE("views: coupon view carries texts, times and the effective state") {
    auto p = preset("coffee");
    Coupon c;
    c.id = 9;
    c.code = "ZX81";
    c.template_id = "spend_back_10";
    c.terms = *p.coupon_template("spend_back_10");
    c.source = CouponSource::spend_back;
    c.valid_from = mdtest::at("2026-03-01T00:00:00Z");
    c.valid_until = mdtest::at("2026-03-31T15:59:59Z");
    CouponView v = build_coupon_view(c, mdtest::at("2026-03-10T00:00:00Z"));
    CHECK(v.id == 9);
    CHECK(v.code == "ZX81");
    CHECK(v.kind == "amount_off");
    CHECK(v.state == "available");
    CHECK(v.source == "spend_back");
    CHECK(v.title.zh == "¥10无门槛券");
    CHECK(v.title.en == "¥10 off");
    CHECK(v.valid_until == "2026-03-31T15:59:59Z");
    CHECK_FALSE(v.used_at.has_value());
    CHECK(build_coupon_view(c, mdtest::at("2026-04-01T00:00:00Z")).state == "expired");
}

TEST_CASE("views: ledger entry view formats times and the type") {
    LedgerEntry e;
    e.id = 42;
    e.type = EntryType::earn;
    e.points = 35;
    e.balance_after = 135;
    e.reason = {"消费得积分", "Purchase"};
    e.created_at = mdtest::at("2026-03-15T10:00:00+08:00");
    e.expires_at = mdtest::at("2027-03-31T23:59:59+08:00");
    e.store = "S1";
    LedgerEntryView v = build_ledger_entry_view(e);
    CHECK(v.id == 42);
    CHECK(v.type == "earn");
    CHECK(v.points == 35);
    CHECK(v.balance_after == 135);
    CHECK(v.created_at == "2026-03-15T02:00:00Z");
    REQUIRE(v.expires_at.has_value());
    CHECK(*v.expires_at == "2027-03-31T15:59:59Z");
    CHECK(v.store == "S1");
    e.expires_at.reset();
    json j = build_ledger_entry_view(e);
    CHECK_FALSE(j.contains("expires_at"));
}

TEST_CASE("views: reward views carry availability and stock per catalog item") {
    auto p = preset("coffee");
    MemberState s;
    s.lots.push_back(mdtest::make_lot(1, 600, 0, std::nullopt));
    s.ledger_total = 600;
    auto views = build_reward_views(p, s, {std::nullopt, std::nullopt, 0}, 1000);
    REQUIRE(views.size() == 3);
    CHECK(views[0].id == "pastry");
    CHECK(views[0].affordable);
    CHECK(views[0].coupon_title.en == "Free: One pastry");
    CHECK_FALSE(views[0].stock_left.has_value());
    CHECK(views[1].id == "premium_coffee");
    CHECK(views[1].affordable);
    CHECK(views[2].id == "tumbler");
    CHECK_FALSE(views[2].affordable);
    CHECK_FALSE(views[2].tier_allowed);
    CHECK_FALSE(views[2].in_stock);
    CHECK(views[2].min_tier == "elite");
    REQUIRE(views[2].stock_left.has_value());
    CHECK(*views[2].stock_left == 0);
    // Storage not counting: the configured stock is shown.
    auto fewer = build_reward_views(p, s, {}, 1000);
    REQUIRE(fewer[2].stock_left.has_value());
    CHECK(*fewer[2].stock_left == 200);
}

TEST_CASE("views: rules describe earning, tiers, expiry, rewards and coupons with the config's numbers") {
    auto p = preset("coffee");
    auto rules = describe_rules(p);
    const auto& earning = section(rules, "earning");
    CHECK(has(earning.body.zh, "每消费¥10得1积分"));
    CHECK(has(earning.body.en, "Earn 1 point for every ¥10 you spend"));
    CHECK(has(earning.body.en, "Premium ×1.2"));
    CHECK(has(earning.body.en, "Elite ×1.5"));
    CHECK(has(earning.body.zh, "尊享×1.5"));
    CHECK_FALSE(has(earning.body.en, "returns window"));  // coffee has no pending period

    const auto& expiry = section(rules, "expiry");
    CHECK(has(expiry.body.en, "Points expire at the end of the 12th month after the month you earn them"));
    CHECK(has(expiry.body.zh, "积分在获得当月起第12个月的月末到期"));
    CHECK(has(expiry.body.en, "points earned in March expire at the end of March the following year"));
    CHECK(has(expiry.body.zh, "次年3月末"));
    CHECK(has(expiry.body.en, "30 days"));
    CHECK(has(expiry.body.zh, "北京时间"));

    const auto& tiers = section(rules, "tiers");
    CHECK(has(tiers.body.en, "Spend ¥1,200 or more within 12 months"));
    CHECK(has(tiers.body.en, "Spend ¥3,600 or more within 12 months"));
    CHECK(has(tiers.body.zh, "12个月内累计消费满¥1,200"));
    CHECK(has(tiers.body.en, "held for 12 months"));
    CHECK(has(tiers.body.en, "at most 1 tier at a time"));

    const auto& rewards = section(rules, "rewards");
    CHECK(has(rewards.body.en, "Premium coffee: 500 points"));
    CHECK(has(rewards.body.zh, "精品咖啡：500积分"));
    CHECK(has(rewards.body.en, "Limited-edition tumbler: 1,500 points"));
    CHECK(has(rewards.body.en, "Elite and above"));

    const auto& coupons = section(rules, "coupons");
    CHECK(has(coupons.body.en, "Standard members: a single purchase of ¥100 or more earns a “¥10 off” coupon"));
    CHECK(has(coupons.body.en, "Elite members: a single purchase of ¥500 or more earns a “¥50 off” coupon"));
    CHECK(has(coupons.body.zh, "单笔消费满¥200"));
    CHECK(has(coupons.body.en, "New members get a “20% off” coupon"));
    CHECK(has(coupons.body.en, "your first order"));
    CHECK(has(coupons.body.en, "birthday month"));
    CHECK(has(coupons.body.en, "On reaching Premium"));
    CHECK(has(coupons.body.zh, "指定饮品"));

    // No campaigns in coffee: no campaigns section.
    for (const auto& r : rules) CHECK(r.id != "campaigns");
    for (const auto& r : rules) {
        CAPTURE(r.id);
        CHECK_FALSE(r.heading.zh.empty());
        CHECK_FALSE(r.heading.en.empty());
        CHECK_FALSE(r.body.zh.empty());
        CHECK_FALSE(r.body.en.empty());
    }
}

TEST_CASE("views: rules change when the config changes") {
    auto p = preset("coffee");
    p.earning.unit = 2000;
    p.earning.base_rate = 3;
    p.earning.pending_days = 7;
    p.expiry.n = 6;
    p.tiers[1].multiplier_percent = 130;
    p.tiers[1].min_spend = 150000;
    p.rewards[1].cost = 450;
    auto rules = describe_rules(p);
    const auto& earning = section(rules, "earning");
    CHECK(has(earning.body.en, "Earn 3 points for every ¥20 you spend"));
    CHECK(has(earning.body.zh, "每消费¥20得3积分"));
    CHECK(has(earning.body.en, "Premium ×1.3"));
    CHECK(has(earning.body.en, "7 days after the purchase"));
    const auto& expiry = section(rules, "expiry");
    CHECK(has(expiry.body.en, "end of the 6th month after the month you earn them"));
    CHECK(has(expiry.body.en, "points earned in March expire at the end of September the same year"));
    CHECK(has(expiry.body.zh, "第6个月"));
    CHECK(has(section(rules, "tiers").body.en, "Spend ¥1,500 or more"));
    CHECK(has(section(rules, "rewards").body.en, "Premium coffee: 450 points"));

    p.expiry = ExpiryRule{ExpiryPolicy::never, 0};
    CHECK(has(section(describe_rules(p), "expiry").body.en, "Points never expire."));
    p.expiry = ExpiryRule{ExpiryPolicy::after_days, 90};
    CHECK(has(section(describe_rules(p), "expiry").body.en, "Points expire 90 days after the day you earn them."));
    p.expiry = ExpiryRule{ExpiryPolicy::end_of_year, 1};
    CHECK(has(section(describe_rules(p), "expiry").body.en, "31 December of the year after"));
    p.expiry = ExpiryRule{ExpiryPolicy::end_of_month_after, 24};
    CHECK(has(section(describe_rules(p), "expiry").body.en, "end of March, 2 years later"));
    p.expiry = ExpiryRule{ExpiryPolicy::end_of_month_after, 1};
    CHECK(has(section(describe_rules(p), "expiry").body.en, "end of the month after the month you earn them"));
}

TEST_CASE("views: salon rules explain the monthly streak and that Regular cannot redeem") {
    auto rules = describe_rules(preset("salon"));
    const auto& tiers = section(rules, "tiers");
    CHECK(has(tiers.body.en, "how many months in a row you spend ¥300 or more"));
    CHECK(has(tiers.body.en, "Spend ¥300 or more in each of 3 consecutive months"));
    CHECK(has(tiers.body.en, "12 consecutive months"));
    CHECK(has(tiers.body.zh, "连续6个月每月消费满¥300"));
    CHECK(has(tiers.body.en, "Regular: From the day you join"));
    CHECK(has(tiers.body.en, "cannot redeem points"));
    CHECK(has(section(rules, "rewards").body.en, "Regular members cannot redeem points yet"));
    CHECK(has(section(rules, "expiry").body.en, "31 December of the year after"));
    CHECK(has(section(rules, "rewards").body.en, "Gold and above"));
}

TEST_CASE("views: retail rules mention member day, pending points, survey points and holiday packs") {
    auto rules = describe_rules(preset("retail"));
    const auto& earning = section(rules, "earning");
    CHECK(has(earning.body.en, "Every Wednesday, double points"));
    CHECK(has(earning.body.zh, "每周三"));
    CHECK(has(earning.body.zh, "积分翻倍"));
    CHECK(has(earning.body.en, "7 days after the purchase"));
    CHECK(has(earning.body.en, "survey to earn 20 points"));
    const auto& campaigns = section(rules, "campaigns");
    CHECK(has(campaigns.body.en, "Member day"));
    const auto& coupons = section(rules, "coupons");
    CHECK(has(coupons.body.zh, "春节"));
    CHECK(has(coupons.body.zh, "国庆"));
    CHECK(has(coupons.body.en, "Spring Festival pack"));
    CHECK(has(coupons.body.en, "“¥50 off orders of ¥300 or more”"));
    CHECK(has(coupons.body.en, "welcome you back"));
}

TEST_CASE("views: program view lists tiers with requirements and carries the rules and the zone") {
    auto p = preset("coffee");
    ProgramView v = build_program_view(p, mdtest::shanghai());
    CHECK(v.id == "coffee");
    CHECK(v.currency == "CNY");
    CHECK(v.timezone == "Asia/Shanghai");
    REQUIRE(v.tiers.size() == 3);
    CHECK(v.tiers[0].requirement.en == "From the day you join");
    CHECK(v.tiers[1].requirement.en == "Spend ¥1,200 or more within 12 months");
    CHECK(v.tiers[2].multiplier_percent == 150);
    CHECK(v.tiers[2].can_redeem);
    CHECK(v.rules.size() == describe_rules(p).size());
    CHECK(v.zone["name"] == "Asia/Shanghai");
    auto z = zone_from_json(v.zone);
    REQUIRE(z.ok());
    CHECK(z->offset_at(mdtest::at("2026-06-01T00:00:00Z")) == 8 * 3600);
}

TEST_CASE("views: zone JSON round-trips real zones for every instant from 1970 on") {
    for (const char* name : {"Asia/Shanghai", "America/New_York", "Europe/London", "UTC", "Australia/Lord_Howe"}) {
        CAPTURE(name);
        const ZoneRules& z = mdtest::zone(name);
        json j = zone_to_json(z);
        CHECK(j["name"] == name);
        CHECK(j["posix_rule"] == z.posix_rule());
        for (const auto& t : j["transitions"]) {
            REQUIRE(t.is_array());
            CHECK(t[0].get<std::int64_t>() >= 0);
        }
        auto back = zone_from_json(json::parse(j.dump()));
        REQUIRE_MESSAGE(back.ok(), (back.ok() ? std::string() : back.error().message));
        CHECK(back->name() == name);
        // Every day of 1970..2060 at 00:00 and 12:00 UTC, plus every transition instant +-1 s.
        int mismatches = 0;
        UnixSeconds first_mismatch = -1;
        for (UnixSeconds t = 0; t < 2'840'000'000; t += 43200)
            if (back->offset_at(t) != z.offset_at(t) && mismatches++ == 0) first_mismatch = t;
        CHECK_MESSAGE(mismatches == 0, "first at " << first_mismatch);
        for (const auto& tr : z.transitions()) {
            if (tr.at < 1) continue;
            CHECK(back->offset_at(tr.at - 1) == z.offset_at(tr.at - 1));
            CHECK(back->offset_at(tr.at) == z.offset_at(tr.at));
        }
        CHECK(zone_to_json(*back) == j);
    }
}

TEST_CASE("views: zone_from_json rejects malformed zones") {
    CHECK_FALSE(zone_from_json(json::array()).ok());
    CHECK_FALSE(zone_from_json(json{{"initial_offset", 0}}).ok());
    CHECK_FALSE(zone_from_json(json{{"name", "X"}, {"initial_offset", "8"}}).ok());
    CHECK_FALSE(zone_from_json(json{{"name", "X"}, {"initial_offset", 0}, {"transitions", json::array({1, 2})}}).ok());
    CHECK_FALSE(zone_from_json(json{{"name", "X"},
                                    {"initial_offset", 0},
                                    {"transitions", json::array({json::array({10, 3600}), json::array({5, 0})})}})
                    .ok());
    auto e = zone_from_json(json{{"name", "X"}, {"initial_offset", 0}, {"transitions", 5}});
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == ErrorCode::invalid_zone);
    auto ok = zone_from_json(json{{"name", "Fixed"}, {"initial_offset", 3600}});
    REQUIRE(ok.ok());
    CHECK(ok->offset_at(0) == 3600);
}

TEST_CASE("views: every view round-trips through JSON with snake_case keys") {
    SUBCASE("Text") {
        json j = round_trip(Text{"中文", "English"});
        CHECK(j == json{{"zh", "中文"}, {"en", "English"}});
    }
    SUBCASE("MeView with all optionals set") {
        MeView m;
        m.profile = ProfileView{5, "王小明", "138****5678", std::string("1990-07-14"), "2026-01-01T00:00:00Z"};
        m.points.balance = 120;
        m.points.pending = 5;
        m.points.lifetime_earned = 900;
        m.points.expiring_soon = 30;
        m.points.debt = 2;
        m.points.next_expiry = "2026-03-31T15:59:59Z";
        m.tier.id = "premium";
        m.tier.name = {"优选", "Premium"};
        m.tier.multiplier_percent = 120;
        m.tier.valid_until = "2027-01-01T00:00:00Z";
        m.tier.benefits = {{"积分1.2倍", "1.2× points"}};
        m.tier.percent = 40;
        m.tier.next = NextTierView{"elite", {"尊享", "Elite"}, 150000, 0, {"再消费¥1,500", "Spend ¥1,500 more"}};
        m.tier.keep_requirement = {"保持", "Keep"};
        m.coupons = CouponCountsView{1, 2, 3, 4};
        m.offers = {OfferView{"o1", {"标题", "Title"}, {"正文", "Body"}, "pastry"}};
        json j = round_trip(m);
        CHECK(j["profile"]["phone_masked"] == "138****5678");
        CHECK(j["points"]["next_expiry"] == "2026-03-31T15:59:59Z");
        CHECK(j["tier"]["next"]["remaining_spend"] == 150000);
        CHECK(j["tier"]["multiplier_percent"] == 120);
        CHECK(j["coupons"]["voided"] == 4);
        CHECK(j["offers"][0]["reward_id"] == "pastry");
    }
    SUBCASE("MeView with optionals empty leaves them out") {
        MeView m;
        json j = round_trip(m);
        CHECK_FALSE(j["profile"].contains("birthday"));
        CHECK_FALSE(j["points"].contains("next_expiry"));
        CHECK_FALSE(j["tier"].contains("valid_until"));
        CHECK_FALSE(j["tier"].contains("next"));
        CHECK(j["offers"].is_array());
    }
    SUBCASE("LedgerPageView") {
        LedgerPageView page;
        LedgerEntryView e;
        e.id = 1;
        e.type = "earn";
        e.points = 10;
        e.balance_after = 10;
        e.reason = {"消费", "Purchase"};
        e.created_at = "2026-01-01T00:00:00Z";
        e.expires_at = "2027-01-31T15:59:59Z";
        e.store = "S1";
        page.entries = {e, e};
        page.next_cursor = "abc";
        json j = round_trip(page);
        CHECK(j["entries"].size() == 2);
        CHECK(j["entries"][0]["balance_after"] == 10);
        CHECK(j["next_cursor"] == "abc");
        page.next_cursor.reset();
        CHECK_FALSE(round_trip(page).contains("next_cursor"));
    }
    SUBCASE("CouponView") {
        json j = round_trip(sample_coupon_view());
        CHECK(j["used_discount"] == 1000);
        CHECK(j["valid_until"] == "2026-03-31T15:59:59Z");
    }
    SUBCASE("RewardView") {
        RewardView r{"pastry", {"点心", "Pastry"}, 300, {"免费：点心", "Free: Pastry"}, "", {}, 12, true, false, true};
        json j = round_trip(r);
        CHECK(j["stock_left"] == 12);
        CHECK(j["tier_allowed"] == false);
        r.stock_left.reset();
        CHECK_FALSE(round_trip(r).contains("stock_left"));
    }
    SUBCASE("RedemptionView") {
        RedemptionView r;
        r.id = 8;
        r.reward_id = "pastry";
        r.reward_name = {"点心", "Pastry"};
        r.points = 300;
        r.created_at = "2026-01-01T00:00:00Z";
        r.coupon = sample_coupon_view();
        r.balance_after = 20;
        json j = round_trip(r);
        CHECK(j["coupon"]["code"] == "K7Q2M9");
        r.coupon.reset();
        CHECK_FALSE(round_trip(r).contains("coupon"));
    }
    SUBCASE("ProgramView") {
        json j = round_trip(build_program_view(preset("retail"), mdtest::shanghai()));
        CHECK(j["tiers"].size() == 3);
        CHECK(j["rules"][0]["id"] == "earning");
        CHECK(j["zone"]["name"] == "Asia/Shanghai");
    }
    SUBCASE("CardView") {
        json j = round_trip(CardView{"MC-123", "2026-01-01T00:02:00Z", 90});
        CHECK(j ==
              json{{"member_code", "MC-123"}, {"expires_at", "2026-01-01T00:02:00Z"}, {"refresh_after_seconds", 90}});
    }
    SUBCASE("RuleSection and TierDefView") {
        round_trip(RuleSection{"earning", {"标题", "Heading"}, {"正文", "Body"}});
        round_trip(TierDefView{"gold", {"金卡", "Gold"}, 150, {"要求", "Requirement"}, {{"a", "b"}}, false});
    }
}

TEST_CASE("views: decoding rejects missing and ill-typed fields") {
    json good = sample_coupon_view();
    CHECK_NOTHROW(good.get<CouponView>());
    json missing = good;
    missing.erase("code");
    CHECK_THROWS_AS(missing.get<CouponView>(), nlohmann::json::exception);
    json wrong = good;
    wrong["id"] = "3";
    CHECK_THROWS_AS(wrong.get<CouponView>(), nlohmann::json::exception);
    json fraction = good;
    fraction["used_discount"] = 10.5;
    CHECK_THROWS_AS(fraction.get<CouponView>(), nlohmann::json::exception);
    json text = good;
    text["title"] = "满100减10";
    CHECK_THROWS_AS(text.get<CouponView>(), nlohmann::json::exception);
    json flag = json(RewardView{});
    flag["affordable"] = 1;
    CHECK_THROWS_AS(flag.get<RewardView>(), nlohmann::json::exception);
    // Unknown fields are ignored.
    json extra = good;
    extra["something_new"] = 1;
    CHECK_NOTHROW(extra.get<CouponView>());
}

namespace {
// Every way a multiplier near `percent` could be written that is not format_multiplier's.
std::vector<std::string> wrong_multipliers() {
    return {"1.2×",  "1.2倍",  "1.1×",   "1.1倍",  "1.5×",  "1.5倍", "1.25×", "1.25倍", "×1.2 ",
            "×1.2;", "×1.2。", "×1.2；", "×1.2、", "×1.2,", "×1.10", "×1.50", "x1."};
}
}  // namespace

TEST_CASE(
    "views: the program's rules and tier benefits state 110, 125 and 150 % tiers the same way in both languages") {
    auto p = preset("coffee");
    REQUIRE(p.tiers.size() == 3);
    p.tiers[0].multiplier_percent = 110;
    p.tiers[1].multiplier_percent = 125;
    p.tiers[2].multiplier_percent = 150;
    const ProgramView v = build_program_view(p, ZoneRules::fixed("Asia/Shanghai", 8 * 3600));
    const json j = v;
    const std::string all = j.dump();
    for (const auto& wrong : wrong_multipliers()) {
        CAPTURE(wrong);
        CHECK_FALSE(has(all, wrong));
    }
    const char* want[] = {"×1.1", "×1.25", "×1.5"};
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        const TierDefView& t = v.tiers[i];
        REQUIRE_FALSE(t.benefits.empty());
        CHECK(t.benefits[0].en == std::string(want[i]) + " points");
        CHECK(t.benefits[0].zh == std::string("积分") + want[i]);
        // No other benefit names a multiplier.
        for (std::size_t b = 1; b < t.benefits.size(); ++b) {
            CHECK_FALSE(has(t.benefits[b].en, "×"));
            CHECK_FALSE(has(t.benefits[b].zh, "倍"));
        }
    }
    const auto& earning = section(v.rules, "earning");
    CHECK(has(earning.body.en, "Standard ×1.1, Premium ×1.25, Elite ×1.5"));
    CHECK(has(earning.body.zh, "标准×1.1、优选×1.25、尊享×1.5"));
    const auto& tiers = section(v.rules, "tiers");
    CHECK(has(tiers.body.en, "Premium: Spend ¥1,200 or more within 12 months; ×1.25 points"));
    CHECK(has(tiers.body.zh, "优选：12个月内累计消费满¥1,200；积分×1.25"));
}

TEST_CASE("views: a reward limited to a tier carries the tier's name in both languages") {
    auto p = preset("coffee");
    MemberState s;
    auto views = build_reward_views(p, s, {}, 1000);
    REQUIRE(views.size() >= 3);
    CHECK(views[2].min_tier == "elite");
    CHECK(views[2].min_tier_name.en == "Elite");
    CHECK(views[2].min_tier_name.zh == "尊享");
    CHECK(views[0].min_tier_name.en.empty());
    const json j = views[2];
    CHECK(j["min_tier_name"]["zh"] == "尊享");
    CHECK(j.get<RewardView>().min_tier_name.en == "Elite");
}

}  // namespace views_test
