// Catch-up (expiry, tier re-evaluation) and join (the welcome coupon).
#include <algorithm>

#include "fixtures.hpp"

using namespace memberdesk;

namespace catch_up_test {
using mdtest::at;

TEST_CASE("catch_up: nothing due gives an empty plan") {
    mdtest::Sim m;
    CHECK(catch_up(m.p, m.z, m.s, at("2026-06-01T00:00:00Z")).empty());
}

TEST_CASE("catch_up: birthday, holiday and win-back coupons are left to the scheduler") {
    mdtest::Sim m;
    m.p.issue.winback_template = "winback";
    m.p.issue.holidays = {
        HolidayPack{"national_day", Text{"国庆", "National Day"}, {mdtest::date(2026, 10, 1)}, "holiday"}};
    m.s.birthday = mdtest::date(1990, 4, 18);
    m.earn("T1", 1000, at("2026-03-01T04:00:00Z"));
    for (const char* t : {"2026-04-02T02:00:00Z", "2026-06-01T02:00:00Z", "2026-10-01T02:00:00Z"})
        CHECK(m.catch_up_at(at(t)).coupons.empty());
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
    CHECK(due_days >= 2);  // expiry and tier re-evaluation happened
    CHECK(quiet_days > 600);
}

TEST_CASE(
    "catch_up_nothing_due: a probe taken once from a kept state answers exactly as the state does for two years") {
    mdtest::Sim m;
    m.earn("T1", 150000, at("2026-01-10T04:00:00Z"));
    m.earn("T2", 8000, at("2026-02-20T04:00:00Z"));
    m.earn("T3", 3000, at("2026-02-20T04:00:00Z"));  // the latest purchase shares its time with T2
    const DueProbe probe = due_probe(m.s);
    REQUIRE(probe.first_open_expiry);
    REQUIRE(probe.reduced.purchases.size() == 1);
    CHECK(probe.reduced.purchases[0].txn_id == "T3");
    int maybe_due_days = 0;
    for (UnixSeconds now = at("2026-02-21T00:00:00Z"); now < at("2028-03-01T00:00:00Z"); now += 86400) {
        INFO("at " << format_rfc3339(now));
        const bool from_probe = catch_up_nothing_due(m.p, m.z, probe, now);
        CHECK(from_probe == catch_up_nothing_due(m.p, m.z, m.s, now));
        CHECK((!from_probe || catch_up(m.p, m.z, m.s, now).empty()));
        if (!from_probe) ++maybe_due_days;
    }
    CHECK(maybe_due_days > 300);  // the state is never caught up here, so once due it stays due
}

}  // namespace catch_up_test
