// Referral: codes, the program's referral block, and the rewards decided with the first purchase.
#include <nlohmann/json.hpp>

#include "fixtures.hpp"
#include "memberdesk/presets.hpp"
#include "memberdesk/referral.hpp"

using namespace memberdesk;

namespace referral_test {
using mdtest::at;

namespace {
const UnixSeconds kT = at("2026-05-06T04:00:00Z");

ProgramConfig with_referral(Points referrer, Points new_member, int cap) {
    ProgramConfig p = mdtest::coffee();
    p.referral = ReferralRule{referrer, new_member, cap};
    return p;
}

Plan first_purchase(mdtest::Sim& m, const std::string& txn, Cents amount, UnixSeconds now, const ReferralFacts& f) {
    m.catch_up_at(now);
    auto r = earn_purchase(m.p, m.z, m.s, PurchaseInput{txn, amount, "S1", now}, now, f);
    REQUIRE(r);
    return m.apply(*r);
}
}  // namespace

TEST_CASE("referral: a typed code is read in any case with spaces or dashes, anything else is no code") {
    CHECK(normalize_referral_code("abcd-efgh") == std::optional<std::string>("ABCDEFGH"));
    CHECK(normalize_referral_code(" 2345 6789 ") == std::optional<std::string>("23456789"));
    CHECK_FALSE(normalize_referral_code("ABCDEFG"));    // too short
    CHECK_FALSE(normalize_referral_code("ABCDEFGHJ"));  // too long
    CHECK_FALSE(normalize_referral_code("ABCDEFG0"));   // 0 looks like O: not in the alphabet
    CHECK_FALSE(normalize_referral_code("ABCDEFGI"));
    CHECK_FALSE(normalize_referral_code(""));
    CHECK(referral_url("https://shop.example", "ABCDEFGH") == "https://shop.example/?ref=ABCDEFGH");
}

TEST_CASE("referral: a scan is read as a bare code or as an invitation link's ref parameter") {
    using C = std::optional<std::string>;
    CHECK(referral_code_from_scan("K7M2QX9P") == C("K7M2QX9P"));
    CHECK(referral_code_from_scan(" k7m2-qx9p\r\n") == C("K7M2QX9P"));
    CHECK(referral_code_from_scan("https://shop.example/?ref=K7M2QX9P") == C("K7M2QX9P"));
    CHECK(referral_code_from_scan(referral_url("http://127.0.0.1:8080", "ABCDEFGH")) == C("ABCDEFGH"));
    CHECK(referral_code_from_scan("https://shop.example/?utm=qr&ref=k7m2qx9p#/sign-up") == C("K7M2QX9P"));
    CHECK(referral_code_from_scan("?ref=K7M2QX9P") == C("K7M2QX9P"));
    CHECK_FALSE(referral_code_from_scan("https://shop.example/?ref=K7M2QX90"));  // 0 is not in the alphabet
    CHECK_FALSE(referral_code_from_scan("https://shop.example/?xref=K7M2QX9P"));
    CHECK_FALSE(referral_code_from_scan("https://shop.example/"));
    CHECK_FALSE(referral_code_from_scan("M1-8f3k2abc"));  // a member code
    CHECK_FALSE(referral_code_from_scan(""));
}

TEST_CASE("referral: an invitation link typed into a name is taken out of it, the name stays") {
    std::string name = "Ann Leehttps://shop.example/?ref=K7M2QX9P";
    CHECK(take_referral_link(name) == std::optional<std::string>("K7M2QX9P"));
    CHECK(name == "Ann Lee");
    name = "Ann https://shop.example/?ref=K7M2QX9P Lee";
    CHECK(take_referral_link(name) == std::optional<std::string>("K7M2QX9P"));
    CHECK(name == "Ann Lee");
    name = "shop.example/?ref=k7m2qx9p";
    CHECK(take_referral_link(name) == std::optional<std::string>("K7M2QX9P"));
    CHECK(name.empty());
    name = "Ann Lee";
    CHECK_FALSE(take_referral_link(name));
    name = "Ann https://shop.example/?ref=BAD";
    CHECK_FALSE(take_referral_link(name));
    CHECK(name == "Ann https://shop.example/?ref=BAD");
    name = "K7M2QX9P";  // a bare code could be a name: only links are taken
    CHECK_FALSE(take_referral_link(name));
}

TEST_CASE("referral: every preset has a referral block and it round-trips through the codec") {
    for (const char* name : {"coffee", "salon", "retail"}) {
        auto p = load_preset(name);
        REQUIRE(p);
        CHECK(p->referral.enabled());
        CHECK(p->referral.referrer_points > 0);
        CHECK(p->referral.new_member_points > 0);
        CHECK(p->referral.monthly_cap > 0);
        auto again = parse_program(program_to_json(*p));
        REQUIRE(again);
        CHECK(again->referral.referrer_points == p->referral.referrer_points);
        CHECK(again->referral.new_member_points == p->referral.new_member_points);
        CHECK(again->referral.monthly_cap == p->referral.monthly_cap);
    }
}

TEST_CASE("referral: a bad referral block is refused naming the field") {
    auto j = nlohmann::json::parse(embedded_preset("coffee"));
    j["referral"]["monthly_cap"] = -1;
    auto r = parse_program(j);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.rfind("referral.monthly_cap:", 0) == 0);
    j = nlohmann::json::parse(embedded_preset("coffee"));
    j["referral"]["referrer_points"] = "100";
    r = parse_program(j);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.rfind("referral.referrer_points:", 0) == 0);
    j = nlohmann::json::parse(embedded_preset("coffee"));
    j.erase("referral");
    r = parse_program(j);
    REQUIRE(r);
    CHECK_FALSE(r->referral.enabled());
}

TEST_CASE("referral: the first purchase credits the new member and names the referrer's reward") {
    mdtest::Sim m(with_referral(100, 50, 5));
    Plan p = first_purchase(m, "T1", 25000, kT, ReferralFacts{7, false, 0});
    REQUIRE(p.referral);
    CHECK(p.referral->kind == ReferralOutcome::Kind::award);
    CHECK(p.referral->referrer_id == 7);
    CHECK(p.referral->new_member_points == 50);
    CHECK(p.referral->referrer_points == 100);
    CHECK_FALSE(p.referral->capped);
    CHECK(p.referral->month == month_index(CivilDate{2026, 5, 6}));
    CHECK(p.purchase->points == 25);  // the reward is not part of the purchase's own points
    CHECK(m.s.ledger_total == 75);
    CHECK(m.lots_total() == 75);
    bool found = false;
    for (const auto& e : p.entries)
        if (e.type == EntryType::bonus && e.points == 50) {
            found = true;
            CHECK(e.reason.en == "Referral reward for your first purchase");
        }
    CHECK(found);
}

TEST_CASE("referral: no reward at a second purchase, for a settled referral, or without the block") {
    mdtest::Sim m(with_referral(100, 50, 5));
    m.earn("T1", 10000, kT);
    Plan p = first_purchase(m, "T2", 10000, kT + 60, ReferralFacts{7, false, 0});
    CHECK_FALSE(p.referral);
    mdtest::Sim n(with_referral(100, 50, 5));
    CHECK_FALSE(first_purchase(n, "T1", 10000, kT, ReferralFacts{7, true, 0}).referral);
    mdtest::Sim o(with_referral(0, 0, 0));
    CHECK_FALSE(first_purchase(o, "T1", 10000, kT, ReferralFacts{7, false, 0}).referral);
}

TEST_CASE("referral: at the monthly cap the new member still earns and the referrer does not") {
    mdtest::Sim m(with_referral(100, 50, 2));
    Plan p = first_purchase(m, "T1", 10000, kT, ReferralFacts{7, false, 2});
    REQUIRE(p.referral);
    CHECK(p.referral->capped);
    CHECK(p.referral->referrer_points == 0);
    CHECK(p.referral->new_member_points == 50);
    mdtest::Sim n(with_referral(100, 50, 0));  // 0 = no cap
    CHECK(first_purchase(n, "T1", 10000, kT, ReferralFacts{7, false, 99}).referral->referrer_points == 100);
}

TEST_CASE("referral: the referrer's reward is a bonus lot that a clawback takes back first") {
    mdtest::Sim r(with_referral(100, 50, 5));
    r.earn("T9", 30000, kT - 86400);  // 30 points of the referrer's own
    Plan reward = r.apply(referral_reward(r.p, r.z, r.s, 100, 42, kT));
    REQUIRE(reward.entries.size() == 1);
    CHECK(reward.entries[0].type == EntryType::bonus);
    CHECK(reward.entries[0].ref == "referral:42");
    CHECK(r.s.ledger_total == 130);
    Plan back = r.apply(referral_clawback(r.p, r.s, 100, referral_source_referrer(42), "R1", kT + 60));
    REQUIRE(back.entries.size() == 1);
    CHECK(back.entries[0].type == EntryType::clawback);
    CHECK(back.entries[0].points == -100);
    CHECK(r.lot(1).remaining == 30);  // the own points are untouched
    CHECK(r.s.ledger_total == 30);
    CHECK(r.s.lifetime_earned == 30);
    // Spent meanwhile: the rest becomes debt.
    mdtest::Sim d(with_referral(100, 50, 5));
    d.apply(referral_reward(d.p, d.z, d.s, 100, 42, kT));
    d.spend(80, kT + 10);
    Plan owed = d.apply(referral_clawback(d.p, d.s, 100, referral_source_referrer(42), "R1", kT + 60));
    CHECK(owed.entries[0].points == -20);
    CHECK(d.s.debt == 80);
}

TEST_CASE("referral: refunding the first purchase in full takes the new member's reward back, a partial one does not") {
    mdtest::Sim m(with_referral(100, 50, 5));
    first_purchase(m, "T1", 20000, kT, ReferralFacts{7, false, 0});  // 20 + 50
    const ReferralPaid paid{7, "T1", 50, 100, false};
    auto part = refund_purchase(m.p, m.z, m.s, RefundInput{"T1", "R1", 5000}, kT + 60, {}, paid);
    REQUIRE(part);
    CHECK_FALSE(part->referral);
    m.apply(*part);
    CHECK(m.s.ledger_total == 65);
    auto rest = refund_purchase(m.p, m.z, m.s, RefundInput{"T1", "R2", 15000}, kT + 120, {}, paid);
    REQUIRE(rest);
    REQUIRE(rest->referral);
    CHECK(rest->referral->kind == ReferralOutcome::Kind::clawback);
    CHECK(rest->referral->referrer_points == 100);
    CHECK(rest->referral->referrer_id == 7);
    m.apply(*rest);
    CHECK(m.s.ledger_total == 0);
    CHECK(m.lots_total() == 0);
    CHECK(m.s.debt == 0);
    CHECK(rest->entries.back().reason.en == "Referral reward taken back: first purchase refunded");
    // Clawed back once: a record that says so takes nothing more.
    mdtest::Sim n(with_referral(100, 50, 5));
    first_purchase(n, "T1", 20000, kT, ReferralFacts{7, false, 0});
    auto again = refund_purchase(n.p, n.z, n.s, RefundInput{"T1", "R1", 20000}, kT + 60, {},
                                 ReferralPaid{7, "T1", 50, 100, true});
    REQUIRE(again);
    CHECK_FALSE(again->referral);
}

}  // namespace referral_test
