// Lifecycle segments: exactly one per member, each rule and each boundary, and offers per segment.
#include <doctest/doctest.h>

#include <string>

#include "fixtures.hpp"
#include "memberdesk/segments.hpp"

using namespace memberdesk;

namespace segments_test {

namespace {

// Local calendar days in Asia/Shanghai; "now" is mid-May so the 3-month window is March..May.
const UnixSeconds kNow = mdtest::at("2026-05-20T12:00:00+08:00");

UnixSeconds days_ago(int d, const char* local_time = "12:00:00") {
    CivilDate day = add_days(CivilDate{2026, 5, 20}, -d);
    return mdtest::at(format_date(day) + "T" + local_time + "+08:00");
}

Purchase purchase(UnixSeconds at, Cents amount, Cents refunded = 0) {
    static int n = 0;
    Purchase pu;
    pu.txn_id = "T" + std::to_string(++n);
    pu.amount = amount;
    pu.refunded = refunded;
    pu.at = at;
    pu.store = "S1";
    return pu;
}

MemberState member(UnixSeconds joined, std::vector<Purchase> purchases = {}) {
    MemberState s;
    s.member_id = 1;
    s.joined_at = joined;
    s.purchases = std::move(purchases);
    return s;
}

std::string seg(const MemberState& s, UnixSeconds now = kNow) {
    static const ProgramConfig p = mdtest::coffee();  // default SegmentRule: 30 / 300 / 100 / 60 / 180
    return to_string(segment_of(p, mdtest::shanghai(), s, now));
}

// A long-standing member whose recent purchases in March, April and May total `total`.
MemberState spending(Cents total) {
    Cents third = total / 3;
    return member(days_ago(400), {purchase(mdtest::at("2026-03-10T12:00:00+08:00"), third),
                                  purchase(mdtest::at("2026-04-10T12:00:00+08:00"), third),
                                  purchase(mdtest::at("2026-05-10T12:00:00+08:00"), total - 2 * third)});
}

}  // namespace

TEST_CASE("segments: labels") {
    CHECK(std::string(to_string(Segment::new_member)) == "new");
    CHECK(std::string(to_string(Segment::core)) == "core");
    CHECK(std::string(to_string(Segment::active)) == "active");
    CHECK(std::string(to_string(Segment::potential)) == "potential");
    CHECK(std::string(to_string(Segment::dormant)) == "dormant");
    CHECK(std::string(to_string(Segment::churned)) == "churned");
}

TEST_CASE("segments: new for fewer than 30 local days after joining: day 29 is new, day 30 is not") {
    CHECK(seg(member(days_ago(0))) == "new");
    CHECK(seg(member(days_ago(29))) == "new");
    CHECK(seg(member(days_ago(30))) == "potential");
    // Local days count, not elapsed hours: joined at 23:59 thirty local days ago is 30 days.
    CHECK(seg(member(days_ago(30, "23:59:00")), mdtest::at("2026-05-20T00:00:01+08:00")) == "potential");
    CHECK(seg(member(days_ago(29, "00:00:00")), mdtest::at("2026-05-20T23:59:59+08:00")) == "new");
}

TEST_CASE("segments: new wins over everything else") {
    CHECK(seg(member(days_ago(5), {purchase(days_ago(4), 500000)})) == "new");
}

TEST_CASE("segments: dormant from 60 days without a purchase: day 59 is not, day 60 is") {
    MemberState s59 = member(days_ago(400), {purchase(days_ago(59), 50000)});
    MemberState s60 = member(days_ago(400), {purchase(days_ago(60), 50000)});
    CHECK(seg(s59) != "dormant");
    CHECK(seg(s60) == "dormant");
}

TEST_CASE("segments: churned from 180 days without a purchase: day 179 is dormant, day 180 churned") {
    CHECK(seg(member(days_ago(400), {purchase(days_ago(179), 50000)})) == "dormant");
    CHECK(seg(member(days_ago(400), {purchase(days_ago(180), 50000)})) == "churned");
    CHECK(seg(member(days_ago(900), {purchase(days_ago(700), 50000), purchase(days_ago(181), 1)})) == "churned");
}

TEST_CASE("segments: never bought: potential, then dormant at 60 days, churned at 180 days of membership") {
    CHECK(seg(member(days_ago(59))) == "potential");
    CHECK(seg(member(days_ago(60))) == "dormant");
    CHECK(seg(member(days_ago(179))) == "dormant");
    CHECK(seg(member(days_ago(180))) == "churned");
}

TEST_CASE("segments: core above an average of ¥300 a month: ¥300.00 is active, ¥300.01 is core") {
    CHECK(seg(spending(90000)) == "active");  // 900.00 / 3 = 300.00
    CHECK(seg(spending(90003)) == "core");    // 900.03 / 3 = 300.01
    CHECK(seg(spending(90001)) == "core");    // 300.0033... is above 300
}

TEST_CASE("segments: active from an average of ¥100 a month: ¥99.99 is potential") {
    CHECK(seg(spending(30000)) == "active");     // exactly 100.00
    CHECK(seg(spending(29997)) == "potential");  // 99.99
    CHECK(seg(spending(29999)) == "potential");  // 99.9966...
}

TEST_CASE("segments: the average covers the current local month and the two before it") {
    // ¥1,000 in February is outside the window (March..May); a small May purchase keeps it recent.
    MemberState s = member(days_ago(400), {purchase(mdtest::at("2026-02-27T12:00:00+08:00"), 100000),
                                           purchase(mdtest::at("2026-05-19T12:00:00+08:00"), 1000)});
    CHECK(seg(s) == "potential");
    // 1 March 00:30 local is 28 February in UTC, but counts for March.
    s.purchases[0].at = mdtest::at("2026-03-01T00:30:00+08:00");
    CHECK(seg(s) == "core");
}

TEST_CASE("segments: refunds reduce spend, and a fully refunded order is not a visit") {
    MemberState s = spending(90003);
    s.purchases[2].refunded = 3;  // net 90000 = 300.00 average
    CHECK(seg(s) == "active");
    MemberState gone = member(days_ago(400), {purchase(days_ago(100), 50000), purchase(days_ago(10), 50000, 50000)});
    CHECK(seg(gone) == "dormant");
}

TEST_CASE("segments: purchases after now are ignored") {
    MemberState s = member(days_ago(400), {purchase(kNow + 86400, 500000)});
    CHECK(seg(s) == "churned");
}

TEST_CASE("segments: thresholds come from the program") {
    ProgramConfig p = mdtest::coffee();
    p.segments.core_monthly = 50000;
    p.segments.active_monthly = 20000;
    p.segments.dormant_days = 30;
    p.segments.churned_days = 90;
    p.segments.new_days = 7;
    auto at = [&](const MemberState& s) { return std::string(to_string(segment_of(p, mdtest::shanghai(), s, kNow))); };
    CHECK(at(spending(90003)) == "active");
    CHECK(at(spending(150003)) == "core");
    CHECK(at(member(days_ago(7))) == "potential");
    CHECK(at(member(days_ago(400), {purchase(days_ago(30), 100000)})) == "dormant");
    CHECK(at(member(days_ago(400), {purchase(days_ago(90), 100000)})) == "churned");
}

TEST_CASE("segments: offers_for returns the offers of the member's segment") {
    auto p = load_preset("coffee");
    REQUIRE(p.ok());
    auto offers = offers_for(*p, Segment::new_member);
    REQUIRE(offers.size() == 1);
    CHECK(offers[0]->id == "new_first_reward");
    auto dormant = offers_for(*p, Segment::dormant);
    auto churned = offers_for(*p, Segment::churned);
    REQUIRE(dormant.size() == 1);
    REQUIRE(churned.size() == 1);
    CHECK(dormant[0]->id == churned[0]->id);
    CHECK(offers_for(mdtest::coffee(), Segment::core).empty());
}

}  // namespace segments_test
