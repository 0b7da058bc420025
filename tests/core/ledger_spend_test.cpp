// Spending order, staff adjustments, participation points, plan application, names.
#include "fixtures.hpp"

using namespace memberdesk;

namespace ledger_spend_test {
using mdtest::at;
using mdtest::make_lot;

namespace {
MemberState state_with(std::vector<Lot> lots) {
    MemberState s;
    s.member_id = 7;
    for (const auto& l : lots) s.ledger_total += l.remaining;
    s.lots = std::move(lots);
    return s;
}
Points taken_from(const Plan& p, std::int64_t lot_id, const MemberState& s) {
    for (const auto& c : p.lot_changes)
        if (c.lot_id == lot_id)
            for (const auto& l : s.lots)
                if (l.id == lot_id) return l.remaining - c.remaining;
    return 0;
}
}  // namespace

TEST_CASE("spend: consumes the lot that expires soonest first regardless of earning order") {
    const auto now = at("2026-06-01T00:00:00Z");
    auto s = state_with({make_lot(1, 10, at("2026-01-01T00:00:00Z"), at("2027-05-31T15:59:59Z")),
                         make_lot(2, 10, at("2026-02-01T00:00:00Z"), at("2026-12-31T15:59:59Z")),
                         make_lot(3, 10, at("2026-03-01T00:00:00Z"), at("2027-01-31T15:59:59Z"))});
    auto r = spend_points(mdtest::coffee(), s, 15, EntryType::redeem, Text{"兑换", "Redeemed"}, "reward:latte", now);
    REQUIRE(r);
    CHECK(taken_from(*r, 2, s) == 10);
    CHECK(taken_from(*r, 3, s) == 5);
    CHECK(taken_from(*r, 1, s) == 0);
    REQUIRE(r->entries.size() == 1);
    CHECK(r->entries[0].type == EntryType::redeem);
    CHECK(r->entries[0].points == -15);
    CHECK(r->entries[0].balance_after == 15);
    CHECK(r->entries[0].ref == "reward:latte");
    CHECK(r->entries[0].created_at == now);
    CHECK(r->ledger_total_after == 15);
}

TEST_CASE("spend: equal expiry spends the oldest lot first then the lower id and never-expiring last") {
    const auto now = at("2026-06-01T00:00:00Z");
    const auto exp = at("2027-03-31T15:59:59Z");
    auto s =
        state_with({make_lot(1, 5, at("2026-01-01T00:00:00Z"), std::nullopt),
                    make_lot(2, 5, at("2026-03-20T00:00:00Z"), exp), make_lot(3, 5, at("2026-03-10T00:00:00Z"), exp),
                    make_lot(5, 5, at("2026-03-25T00:00:00Z"), exp), make_lot(4, 5, at("2026-03-25T00:00:00Z"), exp)});
    auto p = mdtest::coffee();
    auto r = spend_points(p, s, 7, EntryType::redeem, Text{}, "", now);
    REQUIRE(r);
    CHECK(taken_from(*r, 3, s) == 5);  // oldest
    CHECK(taken_from(*r, 2, s) == 2);
    r = spend_points(p, s, 21, EntryType::redeem, Text{}, "", now);
    REQUIRE(r);
    CHECK(taken_from(*r, 4, s) == 5);  // same time as lot 5: lower id first
    CHECK(taken_from(*r, 5, s) == 5);
    CHECK(taken_from(*r, 1, s) == 1);  // never-expiring last
    r = spend_points(p, s, 16, EntryType::redeem, Text{}, "", now);
    REQUIRE(r);
    CHECK(taken_from(*r, 4, s) == 5);
    CHECK(taken_from(*r, 5, s) == 1);
    CHECK(taken_from(*r, 1, s) == 0);
}

TEST_CASE("spend: pending and expired lots are not spendable") {
    const auto now = at("2026-06-01T00:00:00Z");
    auto pending = make_lot(1, 50, at("2026-05-30T00:00:00Z"), at("2027-05-31T15:59:59Z"));
    pending.available_at = at("2026-06-06T00:00:00Z");
    auto expired = make_lot(2, 50, at("2025-01-01T00:00:00Z"), at("2026-01-31T15:59:59Z"));
    auto ok = make_lot(3, 10, at("2026-02-01T00:00:00Z"), at("2027-02-28T15:59:59Z"));
    auto s = state_with({pending, expired, ok});
    auto r = spend_points(mdtest::coffee(), s, 11, EntryType::redeem, Text{}, "", now);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::insufficient_points);
    r = spend_points(mdtest::coffee(), s, 10, EntryType::redeem, Text{}, "", now);
    REQUIRE(r);
    REQUIRE(r->lot_changes.size() == 1);
    CHECK(r->lot_changes[0].lot_id == 3);
    CHECK(r->lot_changes[0].remaining == 0);
    CHECK(balances(mdtest::coffee(), s, now).balance == 10);
    CHECK(balances(mdtest::coffee(), s, now).pending == 50);
}

TEST_CASE("spend: zero or negative points are invalid") {
    auto s = state_with({make_lot(1, 10, 0, std::nullopt)});
    for (Points bad : {Points{0}, Points{-5}}) {
        auto r = spend_points(mdtest::coffee(), s, bad, EntryType::redeem, Text{}, "", 100);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::invalid_points);
    }
}

TEST_CASE("adjust: a positive adjustment creates a lot with the program expiry and counts as earned") {
    mdtest::Sim m;
    const auto now = at("2026-03-31T16:30:00Z");
    auto r = adjust_points(m.p, m.z, m.s, 25, "补偿：系统故障", now);
    REQUIRE(r);
    REQUIRE(r->new_lots.size() == 1);
    CHECK(r->new_lots[0].original == 25);
    CHECK(r->new_lots[0].remaining == 25);
    CHECK(r->new_lots[0].source == "adjust");
    CHECK(r->new_lots[0].expires_at == at("2027-04-30T15:59:59Z"));
    REQUIRE(r->entries.size() == 1);
    CHECK(r->entries[0].type == EntryType::adjust);
    CHECK(r->entries[0].points == 25);
    CHECK(r->entries[0].reason.zh == "补偿：系统故障");
    CHECK(r->entries[0].expires_at == at("2027-04-30T15:59:59Z"));
    CHECK(r->lifetime_earned_after == 25);
    m.apply(*r);
    CHECK(m.bal(now).balance == 25);
}

TEST_CASE("adjust: a negative adjustment spends in spend order and cannot overdraw") {
    mdtest::Sim m;
    m.earn("T1", 10000, at("2026-01-10T02:00:00Z"));
    m.earn("T2", 10000, at("2026-02-10T02:00:00Z"));
    const auto now = at("2026-03-01T00:00:00Z");
    auto r = adjust_points(m.p, m.z, m.s, -25, "correction", now);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::insufficient_points);
    r = adjust_points(m.p, m.z, m.s, -12, "correction", now);
    REQUIRE(r);
    CHECK(r->entries[0].type == EntryType::adjust);
    CHECK(r->entries[0].points == -12);
    CHECK(r->lifetime_earned_after == 20);  // a deduction is not negative earning
    m.apply(*r);
    CHECK(m.lot(1).remaining == 0);
    CHECK(m.lot(2).remaining == 8);
    auto zero = adjust_points(m.p, m.z, m.s, 0, "nothing", now);
    REQUIRE_FALSE(zero);
    CHECK(zero.error().code == ErrorCode::invalid_points);
}

TEST_CASE("participation: survey points are a bonus lot and zero points plan nothing") {
    mdtest::Sim m;
    const auto now = at("2026-05-01T00:00:00Z");
    Plan plan = participation_points(m.p, m.z, m.s, 20, Text{"完成满意度调查", "Completed a survey"}, "survey", now);
    REQUIRE(plan.entries.size() == 1);
    CHECK(plan.entries[0].type == EntryType::bonus);
    CHECK(plan.entries[0].points == 20);
    CHECK(plan.entries[0].ref == "survey");
    REQUIRE(plan.new_lots.size() == 1);
    CHECK(plan.new_lots[0].source == "survey");
    CHECK(plan.lifetime_earned_after == 20);
    CHECK(participation_points(m.p, m.z, m.s, 0, Text{}, "survey", now).empty());
}

TEST_CASE("apply_plan: an empty plan leaves the member unchanged") {
    mdtest::Sim m;
    m.earn("T1", 10000, at("2026-01-10T02:00:00Z"));
    auto before = m.s;
    m.apply(Plan{});
    CHECK(m.s.ledger_total == before.ledger_total);
    CHECK(m.s.lifetime_earned == before.lifetime_earned);
    CHECK(m.s.lots.size() == before.lots.size());
}

TEST_CASE("ledger: names of entry types coupon states and sources round-trip") {
    for (auto t : {EntryType::earn, EntryType::bonus, EntryType::redeem, EntryType::expire, EntryType::clawback,
                   EntryType::adjust, EntryType::debt_settle})
        CHECK(entry_type_from_string(to_string(t)) == t);
    CHECK(std::string(to_string(EntryType::debt_settle)) == "debt_settle");
    CHECK_FALSE(entry_type_from_string("gift"));
    for (auto c : {CouponState::available, CouponState::used, CouponState::expired, CouponState::voided})
        CHECK(coupon_state_from_string(to_string(c)) == c);
    CHECK(std::string(to_string(CouponState::voided)) == "void");
    CHECK(coupon_state_from_string("voided") == CouponState::voided);
    for (auto c : {CouponSource::reward, CouponSource::spend_back, CouponSource::birthday, CouponSource::welcome,
                   CouponSource::winback, CouponSource::holiday, CouponSource::tier_perk, CouponSource::staff})
        CHECK(coupon_source_from_string(to_string(c)) == c);
    CHECK_FALSE(coupon_source_from_string("lottery"));
}

}  // namespace ledger_spend_test
