// Scheduled reach: which occasions are due on a local day (points and tier reminders, coupons about
// to expire, birthday month, win-back, holiday packs), their consent and coupon, and the next day to
// look; walked day by day at 10:00 local as the server's scheduler does, in Shanghai and New York.
#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "fixtures.hpp"
#include "memberdesk/reach.hpp"

using namespace memberdesk;

namespace reach_test {
using mdtest::at;
using mdtest::date;

namespace {

// The scheduler of the server, without storage: every local day at 10:00, catch-up first, then the
// due occasions; their coupons are issued and their keys recorded.
struct Walk {
    mdtest::Sim m;
    std::vector<std::string> done;
    std::vector<std::pair<CivilDate, Occasion>> sent;

    explicit Walk(ProgramConfig p = mdtest::coffee(), ZoneRules z = mdtest::shanghai())
        : m(std::move(p), std::move(z)) {}

    UnixSeconds ten(const CivilDate& d) const { return m.z.from_local(CivilDateTime{d, 10, 0, 0}); }

    void day(const CivilDate& d) {
        const UnixSeconds t = ten(d);
        m.catch_up_at(t);
        Plan plan;
        for (auto& o : due_occasions(m.p, m.z, m.s, d, t, done)) {
            if (o.coupon) {
                plan.coupons.push_back(*o.coupon);
                plan.new_issue_keys.push_back(o.key);
            }
            done.push_back(o.key);
            sent.emplace_back(d, std::move(o));
        }
        plan.debt_after = m.s.debt;
        plan.lifetime_earned_after = m.s.lifetime_earned;
        plan.ledger_total_after = m.s.ledger_total;
        m.apply(plan);
    }
    void days(const CivilDate& from, const CivilDate& to) {
        for (CivilDate d = from; !(to < d); d = add_days(d, 1)) day(d);
    }
    std::vector<std::string> keys_sent_on(const CivilDate& d) const {
        std::vector<std::string> out;
        for (const auto& [when, o] : sent)
            if (when == d) out.push_back(o.key);
        return out;
    }
    int count(ReachKind k) const {
        return static_cast<int>(
            std::count_if(sent.begin(), sent.end(), [&](const auto& x) { return x.second.kind == k; }));
    }
};

}  // namespace

TEST_CASE("reach: a points reminder goes out 30 local days before each expiry date, with that date's total") {
    Walk w;
    w.m.earn("T1", 10000, at("2026-03-10T04:00:00Z"));  // 10 points, expire end of March 2027
    w.m.earn("T2", 20000, at("2026-03-20T04:00:00Z"));  // 20 more, same date
    w.m.earn("T3", 5000, at("2026-04-02T04:00:00Z"));   // 5, end of April 2027
    w.days(date(2027, 2, 25), date(2027, 4, 30));
    CHECK(w.keys_sent_on(date(2027, 3, 1)) == std::vector<std::string>{"points_expiry:2027-03-31"});
    CHECK(w.keys_sent_on(date(2027, 3, 31)) == std::vector<std::string>{"points_expiry:2027-04-30"});
    REQUIRE(w.count(ReachKind::points_expiry) == 2);
    const Occasion& first = w.sent[0].second;
    CHECK(first.points == 30);
    CHECK(first.subject.en == "30 points expire on 31 March");
    CHECK(first.subject.zh == "30积分将于3月31日过期");
    CHECK(std::string(first.consent) == "reminders");
    CHECK_FALSE(first.coupon);
}

TEST_CASE("reach: points spent before their reminder day send no reminder") {
    Walk w;
    w.m.earn("T1", 10000, at("2026-03-10T04:00:00Z"));
    w.m.spend(10, at("2026-06-01T04:00:00Z"));
    w.days(date(2027, 2, 20), date(2027, 4, 5));
    CHECK(w.count(ReachKind::points_expiry) == 0);
}

TEST_CASE("reach: the birthday coupon and greeting come on the first local day of the birthday month, once a year") {
    Walk w;
    w.m.s.birthday = date(1990, 4, 18);
    w.days(date(2026, 3, 25), date(2027, 4, 5));
    CHECK(w.keys_sent_on(date(2026, 4, 1)) == std::vector<std::string>{"birthday:2026"});
    CHECK(w.keys_sent_on(date(2027, 4, 1)) == std::vector<std::string>{"birthday:2027"});
    CHECK(w.count(ReachKind::birthday) == 2);
    const Occasion& o = w.sent[0].second;
    CHECK(std::string(o.consent) == "marketing");
    REQUIRE(o.coupon);
    CHECK(o.coupon->source == CouponSource::birthday);
    CHECK(o.coupon->valid_from == at("2026-04-01T02:00:00Z"));   // 10:00 in Shanghai
    CHECK(o.coupon->valid_until == at("2026-04-30T15:59:59Z"));  // end of the local month
    CHECK(std::count(w.m.s.issue_keys.begin(), w.m.s.issue_keys.end(), "birthday:2026") == 1);
    // The birthday coupon expires at the end of April: its reminder comes 3 days before.
    CHECK(w.keys_sent_on(date(2026, 4, 27)) == std::vector<std::string>{"coupon_expiry:2026-04-30"});
}

TEST_CASE("reach: a birthday coupon already issued (issue key present) is not sent again") {
    Walk w;
    w.m.s.birthday = date(1990, 4, 18);
    w.m.s.issue_keys.push_back("birthday:2026");
    w.days(date(2026, 4, 1), date(2026, 4, 30));
    CHECK(w.count(ReachKind::birthday) == 0);
}

TEST_CASE("reach: a birthday set in the middle of the birthday month is still greeted that month") {
    Walk w;
    w.days(date(2026, 4, 1), date(2026, 4, 10));
    w.m.s.birthday = date(1990, 4, 18);
    w.days(date(2026, 4, 11), date(2026, 4, 12));
    CHECK(w.keys_sent_on(date(2026, 4, 11)) == std::vector<std::string>{"birthday:2026"});
}

TEST_CASE("reach: win-back on the day the member turns dormant, once per last purchase, not once churned") {
    Walk w;
    w.m.p.issue.winback_template = "winback";
    w.m.earn("T1", 1000, at("2026-03-01T04:00:00Z"));  // 2026-03-01 local; dormant 60 days later
    w.days(date(2026, 3, 2), date(2026, 6, 30));
    CHECK(w.keys_sent_on(date(2026, 4, 30)) == std::vector<std::string>{"winback:T1"});
    CHECK(w.count(ReachKind::winback) == 1);
    REQUIRE(w.sent.size() >= 1);
    CHECK(w.m.s.coupons.back().source == CouponSource::winback);
    // Comes back and goes quiet again: a new win-back for the new last purchase.
    w.m.earn("T2", 1000, at("2026-07-01T04:00:00Z"));
    w.days(date(2026, 7, 1), date(2026, 9, 30));
    CHECK(w.keys_sent_on(date(2026, 8, 30)) == std::vector<std::string>{"winback:T2"});
    // A member already churned when first seen (180 days idle) is not sent a win-back.
    Walk late;
    late.m.p.issue.winback_template = "winback";
    late.m.earn("T1", 1000, at("2026-03-01T04:00:00Z"));
    late.days(date(2026, 8, 28), date(2026, 9, 30));
    CHECK(late.count(ReachKind::winback) == 0);
    // Members who never bought are not won back.
    Walk fresh;
    fresh.m.p.issue.winback_template = "winback";
    fresh.days(date(2026, 3, 1), date(2026, 12, 31));
    CHECK(fresh.sent.empty());
}

TEST_CASE("reach: holiday packs on the day, within the week after when a run was missed, once a year") {
    Walk w;
    w.m.p.issue.holidays = {
        HolidayPack{"national_day", Text{"国庆", "National Day"}, {date(2026, 10, 1), date(2027, 10, 1)}, "holiday"}};
    w.days(date(2026, 9, 25), date(2026, 10, 10));
    CHECK(w.keys_sent_on(date(2026, 10, 1)) == std::vector<std::string>{"holiday:national_day:2026"});
    CHECK(w.count(ReachKind::holiday) == 1);
    CHECK(w.sent[0].second.subject.en.find("Happy National Day!") == 0);
    Walk late;
    late.m.p.issue.holidays = w.m.p.issue.holidays;
    late.days(date(2026, 10, 7), date(2026, 10, 7));
    CHECK(late.count(ReachKind::holiday) == 1);
    Walk too_late;
    too_late.m.p.issue.holidays = w.m.p.issue.holidays;
    too_late.days(date(2026, 10, 8), date(2026, 10, 20));
    CHECK(too_late.count(ReachKind::holiday) == 0);
}

TEST_CASE("reach: the tier review warning comes 30 days ahead only while the member does not qualify to keep it") {
    // Premium reached with ¥1,500 on 2026-03-10: held until 2027-03-10 (12 months).
    Walk w;
    w.m.earn("T1", 150000, at("2026-03-10T04:00:00Z"));
    REQUIRE(w.m.s.tier.tier_id == "premium");
    REQUIRE(w.m.s.tier.valid_until);
    const CivilDate review = w.m.z.local_date(*w.m.s.tier.valid_until);
    w.days(add_days(review, -40), review);
    // Judged at the review, the ¥1,500 has left the 12-month window: warned 30 days ahead.
    const auto warned = std::find_if(w.sent.begin(), w.sent.end(),
                                     [](const auto& x) { return x.second.kind == ReachKind::tier_review; });
    REQUIRE(warned != w.sent.end());
    CHECK(warned->first == add_days(review, -30));
    CHECK(warned->second.key == "tier_review:" + format_date(review));
    CHECK(warned->second.subject.en == "Your Premium status is reviewed on " + day_month_text(review).en);
    CHECK(w.count(ReachKind::tier_review) == 1);
    // A member who keeps qualifying (a big purchase a month ago) gets no warning.
    Walk keep;
    keep.m.earn("T1", 150000, at("2026-03-10T04:00:00Z"));
    keep.m.earn("T2", 150000, at("2027-01-20T04:00:00Z"));
    const CivilDate review2 = keep.m.z.local_date(*keep.m.s.tier.valid_until);
    keep.days(add_days(review2, -40), review2);
    CHECK(keep.count(ReachKind::tier_review) == 0);
}

TEST_CASE("reach: a coupon reminder 3 days before the coupon's last local day, one per date") {
    Walk w;
    w.m.earn("T1", 10000, at("2026-03-10T04:00:00Z"));  // ¥100: spend-back coupon cb10, 30 days
    REQUIRE(w.m.s.coupons.size() == 1);
    const CivilDate last = w.m.z.local_date(w.m.s.coupons[0].valid_until);
    CHECK(last == date(2026, 4, 8));
    w.days(date(2026, 3, 11), date(2026, 4, 10));
    CHECK(w.keys_sent_on(date(2026, 4, 5)) == std::vector<std::string>{"coupon_expiry:2026-04-08"});
    CHECK(w.count(ReachKind::coupon_expiry) == 1);
    // A coupon used before its reminder day is not reminded.
    Walk used;
    used.m.earn("T1", 10000, at("2026-03-10T04:00:00Z"));
    used.m.s.coupons[0].state = CouponState::used;
    used.days(date(2026, 3, 11), date(2026, 4, 10));
    CHECK(used.count(ReachKind::coupon_expiry) == 0);
}

TEST_CASE("reach: next_reach_day names the first day something may be due, and nothing for a member with nothing") {
    mdtest::Sim m;
    CHECK_FALSE(next_reach_day(m.p, m.z, m.s, date(2026, 3, 1), at("2026-03-01T02:00:00Z"), {}));
    m.s.birthday = date(1990, 7, 3);
    CHECK(next_reach_day(m.p, m.z, m.s, date(2026, 3, 1), at("2026-03-01T02:00:00Z"), {}) == date(2026, 7, 1));
    CHECK(next_reach_day(m.p, m.z, m.s, date(2026, 7, 9), at("2026-07-09T02:00:00Z"), {}) == date(2026, 7, 9));
    CHECK(next_reach_day(m.p, m.z, m.s, date(2026, 7, 9), at("2026-07-09T02:00:00Z"), {"birthday:2026"}) ==
          date(2027, 7, 1));
    m.earn("T1", 10000, at("2026-03-10T04:00:00Z"));  // points to 2027-03-31, coupon to 2026-04-08
    CHECK(next_reach_day(m.p, m.z, m.s, date(2026, 3, 11), at("2026-03-11T02:00:00Z"), {}) == date(2026, 4, 5));
    const auto up = upcoming_occasions(m.p, m.z, m.s, date(2026, 3, 11), at("2026-03-11T02:00:00Z"), {});
    REQUIRE(up.size() == 3);
    CHECK(up[0].key == "coupon_expiry:2026-04-08");
    CHECK(up[1].key == "birthday:2026");
    CHECK(up[2].key == "points_expiry:2027-03-31");
    CHECK(up[2].first_day == date(2027, 3, 1));
}

TEST_CASE("reach: in a DST zone the day and the 10:00 send time follow local time across the change") {
    ProgramConfig p = mdtest::coffee();
    p.timezone = "America/New_York";
    Walk w(p, mdtest::zone("America/New_York"));
    w.m.s.birthday = date(1985, 11, 20);
    // 2026-11-01: clocks go back at 02:00 (EDT -> EST); 10:00 that day is 15:00Z, the day before 14:00Z.
    CHECK(w.ten(date(2026, 10, 31)) == at("2026-10-31T14:00:00Z"));
    CHECK(w.ten(date(2026, 11, 1)) == at("2026-11-01T15:00:00Z"));
    w.days(date(2026, 10, 30), date(2026, 11, 2));
    REQUIRE(w.keys_sent_on(date(2026, 11, 1)) == std::vector<std::string>{"birthday:2026"});
    const Occasion& o = w.sent[0].second;
    REQUIRE(o.coupon);
    CHECK(o.coupon->valid_from == at("2026-11-01T15:00:00Z"));
    CHECK(o.coupon->valid_until == at("2026-12-01T04:59:59Z"));  // 23:59:59 EST on 30 November
    // Spring forward (2027-03-14): points earned in New York on 2026-03-20 expire at the end of March
    // 2027 local; the reminder goes out on 1 March local.
    Walk spring(p, mdtest::zone("America/New_York"));
    spring.m.earn("T1", 10000, at("2026-03-20T16:00:00Z"));
    spring.days(date(2027, 2, 27), date(2027, 3, 16));
    CHECK(spring.keys_sent_on(date(2027, 3, 1)) == std::vector<std::string>{"points_expiry:2027-03-31"});
    CHECK(spring.ten(date(2027, 3, 14)) == at("2027-03-14T14:00:00Z"));  // EDT from 02:00 that day
}

TEST_CASE("reach: send_at and quiet hours are read from the program and send_at must be outside quiet hours") {
    for (const char* name : {"coffee", "salon", "retail"}) {
        auto p = load_preset(name);
        REQUIRE(p);
        CHECK(p->reach.send_at == 600);
        CHECK(p->reach.quiet(21 * 60));
        CHECK(p->reach.quiet(8 * 60 + 59));
        CHECK_FALSE(p->reach.quiet(9 * 60));
        CHECK_FALSE(p->reach.quiet(20 * 60 + 59));
    }
    auto j = program_to_json(*load_preset("coffee"));
    CHECK(j["reach"]["send_at"] == "10:00");
    j["reach"]["send_at"] = "09:30";
    j["reach"]["quiet_hours"] = {{"from", "22:00"}, {"to", "08:00"}};
    auto ok = parse_program(j);
    REQUIRE(ok);
    CHECK(ok->reach.send_at == 570);
    CHECK(ok->reach.quiet_from == 1320);
    j["reach"]["send_at"] = "23:00";
    auto bad = parse_program(j);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "reach.send_at: must lie outside the quiet hours");
    j["reach"]["send_at"] = "10:60";
    CHECK(parse_program(j).error().message.find("reach.send_at: must be a local time") == 0);
}

}  // namespace reach_test
