// Coupons issued by rules during catch-up and join: birthday, holiday packs, win-back, welcome.
#include <algorithm>

#include "fixtures.hpp"

using namespace memberdesk;
using mdtest::at;

namespace {
bool has_key(const MemberState& s, const std::string& k) {
    return std::find(s.issue_keys.begin(), s.issue_keys.end(), k) != s.issue_keys.end();
}
}  // namespace

TEST_CASE("catch_up: nothing due gives an empty plan") {
    mdtest::Sim m;
    CHECK(catch_up(m.p, m.z, m.s, at("2026-06-01T00:00:00Z")).empty());
}

TEST_CASE("catch_up: birthday coupon once a year in the local birthday month") {
    mdtest::Sim m;
    m.s.birthday = mdtest::date(1990, 4, 18);
    CHECK(m.catch_up_at(at("2026-03-31T15:59:59Z")).coupons.empty());  // still March locally
    Plan p = m.catch_up_at(at("2026-03-31T16:30:00Z"));                // April 1 in Shanghai
    REQUIRE(p.coupons.size() == 1);
    CHECK(p.coupons[0].template_id == "birthday");
    CHECK(p.coupons[0].source == CouponSource::birthday);
    CHECK(p.coupons[0].valid_until == at("2026-04-30T15:59:59Z"));  // birthday template: end of month
    CHECK(p.new_issue_keys == std::vector<std::string>{"birthday:2026"});
    CHECK(p.ledger_total_after == m.s.ledger_total);
    CHECK(m.catch_up_at(at("2026-04-20T00:00:00Z")).empty());  // once
    CHECK(m.catch_up_at(at("2026-05-01T00:00:00Z")).empty());
    Plan next = m.catch_up_at(at("2027-04-02T00:00:00Z"));
    REQUIRE(next.coupons.size() == 1);
    CHECK(has_key(m.s, "birthday:2027"));
}

TEST_CASE("catch_up: holiday pack is issued from the holiday's date for 7 local days, once per year") {
    mdtest::Sim m;
    m.p.issue.holidays = {HolidayPack{"national_day",
                                      Text{"国庆", "National Day"},
                                      {mdtest::date(2026, 10, 1), mdtest::date(2027, 10, 1)},
                                      "holiday"}};
    CHECK(m.catch_up_at(at("2026-09-30T15:59:59Z")).coupons.empty());  // Sep 30 local
    Plan p = m.catch_up_at(at("2026-09-30T16:00:00Z"));                // Oct 1 00:00 local
    REQUIRE(p.coupons.size() == 1);
    CHECK(p.coupons[0].source == CouponSource::holiday);
    CHECK(p.new_issue_keys == std::vector<std::string>{"holiday:national_day:2026"});
    CHECK(m.catch_up_at(at("2026-10-03T00:00:00Z")).empty());
    // A member first seen on the 7th day still gets it; on the 8th day it is too late.
    mdtest::Sim late7 = m;
    late7.s.issue_keys.clear();
    CHECK(late7.catch_up_at(at("2026-10-07T15:59:59Z")).coupons.size() == 1);  // Oct 7 local
    mdtest::Sim late8 = m;
    late8.s.issue_keys.clear();
    CHECK(late8.catch_up_at(at("2026-10-07T16:00:00Z")).coupons.empty());  // Oct 8 local
    CHECK(m.catch_up_at(at("2027-10-02T00:00:00Z")).coupons.size() == 1);
}

TEST_CASE("catch_up: win-back coupon when the member turns dormant, once per last purchase") {
    mdtest::Sim m;
    m.p.issue.winback_template = "winback";
    m.earn("T1", 10000, at("2026-03-01T04:00:00Z"));  // 2026-03-01 local
    // 60 local days later is 2026-04-30.
    CHECK(m.catch_up_at(at("2026-04-29T15:59:59Z")).coupons.empty());
    Plan p = m.catch_up_at(at("2026-04-29T16:00:00Z"));
    REQUIRE(p.coupons.size() == 1);
    CHECK(p.coupons[0].source == CouponSource::winback);
    CHECK(p.new_issue_keys == std::vector<std::string>{"winback:T1"});
    CHECK(m.catch_up_at(at("2026-06-01T00:00:00Z")).empty());
    // Comes back, buys, and goes quiet again: a new win-back for the new last purchase.
    m.earn("T2", 10000, at("2026-07-01T04:00:00Z"));
    CHECK(m.catch_up_at(at("2026-08-01T00:00:00Z")).empty());
    CHECK(m.catch_up_at(at("2026-09-01T00:00:00Z")).new_issue_keys == std::vector<std::string>{"winback:T2"});
    // Members who never bought are not "won back".
    mdtest::Sim fresh;
    fresh.p.issue.winback_template = "winback";
    CHECK(fresh.catch_up_at(at("2027-01-01T00:00:00Z")).empty());
}

TEST_CASE("join: welcome coupon once") {
    mdtest::Sim m;
    const UnixSeconds now = at("2026-03-31T16:30:00Z");
    Plan p = join(m.p, m.z, m.s, now);
    REQUIRE(p.coupons.size() == 1);
    CHECK(p.coupons[0].template_id == "welcome");
    CHECK(p.coupons[0].source == CouponSource::welcome);
    CHECK(p.coupons[0].valid_from == now);
    CHECK(p.new_issue_keys == std::vector<std::string>{"welcome"});
    m.apply(p);
    CHECK(m.s.coupons.size() == 1);
    CHECK(join(m.p, m.z, m.s, now + 1).empty());
    m.p.issue.welcome_template.clear();
    mdtest::Sim none;
    none.p.issue.welcome_template.clear();
    CHECK(join(none.p, none.z, none.s, now).empty());
}

TEST_CASE("catch_up_nothing_due: never says nothing is due when catch_up has work, day by day over two years") {
    mdtest::Sim m;
    m.p.issue.winback_template = "winback";
    m.s.birthday = mdtest::date(1990, 4, 18);
    m.earn("T1", 150000, at("2026-01-10T04:00:00Z"));  // upgrade, a lot that will expire, a last purchase
    m.earn("T2", 8000, at("2026-02-20T04:00:00Z"));
    int due_days = 0, quiet_days = 0;
    for (UnixSeconds now = at("2026-02-21T00:00:00Z"); now < at("2028-03-01T00:00:00Z"); now += 86400) {
        const bool cheap = catch_up_nothing_due(m.p, m.z, m.s, now);
        const bool empty = catch_up(m.p, m.z, m.s, now).empty();
        INFO("at " << format_rfc3339(now));
        CHECK((!cheap || empty));  // "nothing due" must be exact; "maybe due" may be conservative
        if (empty)
            ++quiet_days;
        else
            ++due_days;
        m.catch_up_at(now);
        CHECK(catch_up_nothing_due(m.p, m.z, m.s, now));  // right after catching up nothing is due
    }
    CHECK(due_days >= 4);  // birthday x2, expiry, tier re-evaluation, win-back all happened
    CHECK(quiet_days > 600);
}
