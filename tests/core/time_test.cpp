// Calendar arithmetic, RFC 3339, and time zone rules from real TZif bytes.
#include <string>

#include "fixtures.hpp"

using namespace memberdesk;

namespace time_test {
using mdtest::at;
using mdtest::date;

TEST_CASE("time: civil dates round-trip through day numbers including leap days and before 1970") {
    CHECK(days_from_civil(date(1970, 1, 1)) == 0);
    CHECK(days_from_civil(date(1969, 12, 31)) == -1);
    CHECK(days_from_civil(date(2000, 3, 1)) - days_from_civil(date(2000, 2, 28)) == 2);  // 2000 is leap
    CHECK(days_from_civil(date(1900, 3, 1)) - days_from_civil(date(1900, 2, 28)) == 1);  // 1900 is not
    for (std::int64_t d = -800000; d <= 800000; d += 997) CHECK(days_from_civil(civil_from_days(d)) == d);
    CHECK(civil_from_days(days_from_civil(date(2028, 2, 29))) == date(2028, 2, 29));
    CHECK(add_days(date(2026, 12, 31), 1) == date(2027, 1, 1));
    CHECK(add_days(date(2028, 3, 1), -1) == date(2028, 2, 29));
}

TEST_CASE("time: month arithmetic clamps to the last day of the target month") {
    CHECK(add_months_clamped(date(2026, 1, 31), 1) == date(2026, 2, 28));
    CHECK(add_months_clamped(date(2028, 1, 31), 1) == date(2028, 2, 29));
    CHECK(add_months_clamped(date(2028, 2, 29), 12) == date(2029, 2, 28));
    CHECK(add_months_clamped(date(2026, 3, 15), 12) == date(2027, 3, 15));
    CHECK(add_months_clamped(date(2026, 11, 30), 3) == date(2027, 2, 28));
    CHECK(add_months_clamped(date(2026, 3, 31), -1) == date(2026, 2, 28));
    CHECK(add_months_clamped(date(2026, 1, 15), -13) == date(2024, 12, 15));
    CHECK(end_of_month(date(2028, 2, 3)) == date(2028, 2, 29));
    CHECK(end_of_month(date(2100, 2, 3)) == date(2100, 2, 28));
    CHECK(days_in_month(2026, 4) == 30);
    CHECK(days_in_month(2000, 2) == 29);
    CHECK(month_index(date(2027, 1, 5)) - month_index(date(2026, 12, 31)) == 1);
}

TEST_CASE("time: weekday is 0 for Sunday through 6 for Saturday") {
    CHECK(weekday(date(1970, 1, 1)) == 4);
    CHECK(weekday(date(1969, 12, 31)) == 3);
    CHECK(weekday(date(2026, 3, 31)) == 2);
    CHECK(weekday(date(2026, 4, 5)) == 0);
    CHECK(weekday(date(2026, 4, 8)) == 3);
    CHECK(weekday(date(2028, 2, 29)) == 2);
}

TEST_CASE("time: parse_date accepts only valid YYYY-MM-DD") {
    auto d = parse_date("2028-02-29");
    REQUIRE(d);
    CHECK(*d == date(2028, 2, 29));
    CHECK(format_date(*d) == "2028-02-29");
    for (const char* bad : {"2026-02-29", "2026-2-01", "2026-13-01", "2026-00-10", "2026-04-31", "20260301",
                            "2026-03-01x", "", "2026/03/01", "2026-03-0a"}) {
        CAPTURE(bad);
        auto r = parse_date(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::invalid_date);
    }
}

TEST_CASE("time: RFC 3339 parses Z and numeric offsets and truncates fractions") {
    CHECK(at("2026-03-31T16:30:00Z") == 1774974600);
    CHECK(*parse_rfc3339("2026-04-01T00:30:00+08:00") == at("2026-03-31T16:30:00Z"));
    CHECK(*parse_rfc3339("2026-03-31T11:30:00-05:00") == at("2026-03-31T16:30:00Z"));
    CHECK(*parse_rfc3339("2026-03-31T16:30:00.999Z") == at("2026-03-31T16:30:00Z"));
    CHECK(*parse_rfc3339("2026-03-31t16:30:00.5z") == at("2026-03-31T16:30:00Z"));
    CHECK(*parse_rfc3339("1969-12-31T23:59:59Z") == -1);
    CHECK(*parse_rfc3339("2028-02-29T23:59:59+00:00") == at("2028-02-29T23:59:59Z"));
}

TEST_CASE("time: RFC 3339 rejects malformed or out-of-range times") {
    for (const char* bad :
         {"2026-03-31T16:30:00", "2026-03-31 16:30:00Z", "2026-03-31T24:00:00Z", "2026-03-31T16:60:00Z",
          "2026-03-31T16:30:60Z", "2026-02-30T00:00:00Z", "2026-03-31T16:30:00+0800", "2026-03-31T16:30:00+24:00",
          "2026-03-31T16:30:00Zjunk", "2026-03-31T16:30:00.Z", "2026-03-31T16:30Z", "2026-03-31T1:30:00Z", "",
          "2026-03-31T16:30:00+08:60"}) {
        CAPTURE(bad);
        auto r = parse_rfc3339(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::invalid_time);
    }
}

TEST_CASE("time: RFC 3339 formatting writes UTC with Z and round-trips") {
    CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
    CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59Z");
    CHECK(format_rfc3339(at("2027-03-31T15:59:59Z")) == "2027-03-31T15:59:59Z");
    // Four-digit years padded; beyond them as many digits as needed.
    CHECK(format_rfc3339(-62135596800LL) == "0001-01-01T00:00:00Z");
    CHECK(format_rfc3339(-30641760000LL) == "0999-01-01T00:00:00Z");
    CHECK(format_rfc3339(253402300799LL) == "9999-12-31T23:59:59Z");
    CHECK(format_rfc3339(253402300800LL) == "10000-01-01T00:00:00Z");
    for (UnixSeconds t = -3000000000LL; t < 5000000000LL; t += 86399 * 37 + 11)
        CHECK(*parse_rfc3339(format_rfc3339(t)) == t);
}

TEST_CASE("time: Shanghai is UTC+8 so 16:30Z on March 31 is already April 1 locally") {
    const auto& z = mdtest::shanghai();
    CHECK(z.name() == "Asia/Shanghai");
    CHECK(z.posix_rule() == "CST-8");
    CHECK(z.offset_at(at("2026-03-31T16:30:00Z")) == 8 * 3600);
    auto l = z.to_local(at("2026-03-31T16:30:00Z"));
    CHECK(l.date == date(2026, 4, 1));
    CHECK(l.hour == 0);
    CHECK(l.minute == 30);
    CHECK(z.local_date(at("2026-03-31T15:59:59Z")) == date(2026, 3, 31));
    CHECK(z.start_of_day(date(2026, 4, 1)) == at("2026-03-31T16:00:00Z"));
    CHECK(z.end_of_day(date(2027, 3, 31)) == at("2027-03-31T15:59:59Z"));
    // China observed daylight saving time 1986-1991 (from the TZif transitions, not the footer).
    CHECK(z.offset_at(at("1988-07-01T00:00:00Z")) == 9 * 3600);
    CHECK(z.offset_at(at("1988-12-01T00:00:00Z")) == 8 * 3600);
}

TEST_CASE("time: New York uses the 64-bit TZif data and the footer rule after the last transition") {
    const auto& z = mdtest::zone("America/New_York");
    CHECK(z.posix_rule() == "EST5EDT,M3.2.0,M11.1.0");
    // 1890 is before the 32-bit range starts (1901): only the v2 block knows EST began in 1883.
    CHECK(z.offset_at(at("1890-01-01T00:00:00Z")) == -5 * 3600);
    CHECK(z.offset_at(at("1850-01-01T00:00:00Z")) == -(4 * 3600 + 56 * 60 + 2));  // LMT
    // DST 2026 starts 2026-03-08 02:00 EST and ends 2026-11-01 02:00 EDT.
    CHECK(z.offset_at(at("2026-03-08T06:59:59Z")) == -5 * 3600);
    CHECK(z.offset_at(at("2026-03-08T07:00:00Z")) == -4 * 3600);
    CHECK(z.offset_at(at("2026-11-01T05:59:59Z")) == -4 * 3600);
    CHECK(z.offset_at(at("2026-11-01T06:00:00Z")) == -5 * 3600);
    // Far beyond the listed transitions: computed from the footer.
    REQUIRE(!z.transitions().empty());
    CHECK(z.transitions().back().at < at("2040-01-01T00:00:00Z"));
    CHECK(z.offset_at(at("2040-03-11T06:59:59Z")) == -5 * 3600);  // second Sunday of March 2040 = 11th
    CHECK(z.offset_at(at("2040-03-11T07:00:00Z")) == -4 * 3600);
    CHECK(z.offset_at(at("2040-11-04T05:59:59Z")) == -4 * 3600);  // first Sunday of November 2040 = 4th
    CHECK(z.offset_at(at("2040-11-04T06:00:00Z")) == -5 * 3600);
    CHECK(z.offset_at(at("2100-07-01T00:00:00Z")) == -4 * 3600);
}

TEST_CASE("time: London switches at 01:00 UTC on the last Sundays of March and October") {
    const auto& z = mdtest::zone("Europe/London");
    CHECK(z.offset_at(at("2026-03-29T00:59:59Z")) == 0);
    CHECK(z.offset_at(at("2026-03-29T01:00:00Z")) == 3600);
    CHECK(z.offset_at(at("2026-10-25T00:59:59Z")) == 3600);
    CHECK(z.offset_at(at("2026-10-25T01:00:00Z")) == 0);
    CHECK(z.offset_at(at("2045-03-26T01:00:00Z")) == 3600);  // footer M3.5.0/1
    CHECK(z.offset_at(at("2045-03-26T00:59:59Z")) == 0);
}

TEST_CASE("time: Lord Howe has a half-hour southern-hemisphere DST spanning the new year") {
    const auto& z = mdtest::zone("Australia/Lord_Howe");
    CHECK(z.offset_at(at("2026-07-01T00:00:00Z")) == 10 * 3600 + 1800);
    CHECK(z.offset_at(at("2027-01-01T00:00:00Z")) == 11 * 3600);
    CHECK(z.offset_at(at("2055-01-15T00:00:00Z")) == 11 * 3600);  // footer: DST across the year end
    CHECK(z.offset_at(at("2055-07-15T00:00:00Z")) == 10 * 3600 + 1800);
    // DST starts on the first Sunday of October at 02:00 local standard time (2055-10-03).
    CHECK(z.offset_at(at("2055-10-02T15:29:59Z")) == 10 * 3600 + 1800);
    CHECK(z.offset_at(at("2055-10-02T15:30:00Z")) == 11 * 3600);
    CHECK(z.local_date(at("2055-10-02T15:30:00Z")) == date(2055, 10, 3));
}

TEST_CASE("time: UTC zone and fixed zones have a constant offset") {
    const auto& u = mdtest::zone("UTC");
    CHECK(u.offset_at(at("2026-06-01T00:00:00Z")) == 0);
    CHECK(u.start_of_day(date(2026, 6, 1)) == at("2026-06-01T00:00:00Z"));
    ZoneRules d;
    CHECK(d.name() == "UTC");
    CHECK(d.offset_at(12345) == 0);
    auto f = ZoneRules::fixed("UTC+8", 8 * 3600);
    CHECK(f.offset_at(at("2026-03-31T16:30:00Z")) == 8 * 3600);
    CHECK(f.local_date(at("2026-03-31T16:30:00Z")) == date(2026, 4, 1));
}

TEST_CASE("time: footer-only zone computes the same offsets as the full transition list") {
    const auto& ny = mdtest::zone("America/New_York");
    auto slim = ZoneRules::from_parts("slim", -5 * 3600, {}, "EST5EDT,M3.2.0,M11.1.0");
    REQUIRE(slim);
    for (UnixSeconds t = at("2008-01-01T00:00:00Z"); t < at("2036-12-31T00:00:00Z"); t += 3 * 3600 + 17)
        if (slim->offset_at(t) != ny.offset_at(t)) FAIL("differs at " << format_rfc3339(t));
}

TEST_CASE("time: zone parts round-trip to identical offsets") {
    const auto& sh = mdtest::shanghai();
    auto copy = ZoneRules::from_parts(sh.name(), sh.initial_offset(), sh.transitions(), sh.posix_rule());
    REQUIRE(copy);
    for (UnixSeconds t = at("1900-01-01T00:00:00Z"); t < at("2030-01-01T00:00:00Z"); t += 86400 * 3 + 3601)
        CHECK(copy->offset_at(t) == sh.offset_at(t));
}

TEST_CASE("time: start_of_day is 01:00 local on a day whose midnight falls in a DST gap") {
    // Brazil-style rule: DST starts at 00:00 on the first Sunday of November (clocks jump to 01:00),
    // ends at 00:00 on the third Sunday of February (clocks fall back to 23:00 of the day before).
    auto z = ZoneRules::from_parts("Gap/Midnight", -3 * 3600, {}, "<-03>3<-02>,M11.1.0/0,M2.3.0/0");
    REQUIRE(z);
    UnixSeconds s = z->start_of_day(date(2026, 11, 1));
    CHECK(s == at("2026-11-01T03:00:00Z"));
    auto l = z->to_local(s);
    CHECK(l.date == date(2026, 11, 1));
    CHECK(l.hour == 1);
    CHECK(l.minute == 0);
    CHECK(z->local_date(s - 1) == date(2026, 10, 31));
    CHECK(z->end_of_day(date(2026, 10, 31)) == s - 1);
    CHECK(z->start_of_day(date(2026, 11, 2)) == at("2026-11-02T02:00:00Z"));
    // Fall back at midnight: 2027-02-20 has 25 hours; 2027-02-21 starts after the repeated hour.
    CHECK(z->start_of_day(date(2027, 2, 21)) == at("2027-02-21T03:00:00Z"));
    CHECK(z->end_of_day(date(2027, 2, 20)) == at("2027-02-21T02:59:59Z"));
}

TEST_CASE("time: from_local picks the transition in a gap and the earlier instant in a fold") {
    const auto& ny = mdtest::zone("America/New_York");
    CHECK(ny.from_local(CivilDateTime{date(2026, 3, 8), 2, 30, 0}) == at("2026-03-08T07:00:00Z"));
    CHECK(ny.from_local(CivilDateTime{date(2026, 11, 1), 1, 30, 0}) == at("2026-11-01T05:30:00Z"));
    CHECK(ny.from_local(CivilDateTime{date(2026, 7, 4), 12, 0, 0}) == at("2026-07-04T16:00:00Z"));
    // A 23-hour and a 25-hour day.
    CHECK(ny.end_of_day(date(2026, 3, 8)) - ny.start_of_day(date(2026, 3, 8)) + 1 == 23 * 3600);
    CHECK(ny.end_of_day(date(2026, 11, 1)) - ny.start_of_day(date(2026, 11, 1)) + 1 == 25 * 3600);
}

TEST_CASE("time: a version 1 TZif file is read from its 32-bit block") {
    std::string v1(test_tzif("America/New_York"));
    // Keep the first header and 32-bit block only, and mark the file as version 1.
    auto u32 = [&](std::size_t off) {
        return (std::uint32_t(std::uint8_t(v1[off])) << 24) | (std::uint32_t(std::uint8_t(v1[off + 1])) << 16) |
               (std::uint32_t(std::uint8_t(v1[off + 2])) << 8) | std::uint32_t(std::uint8_t(v1[off + 3]));
    };
    std::size_t isut = u32(20), isstd = u32(24), leap = u32(28), timecnt = u32(32), typecnt = u32(36), chars = u32(40);
    std::size_t size = 44 + timecnt * 5 + typecnt * 6 + chars + leap * 8 + isstd + isut;
    v1 = v1.substr(0, size);
    v1[4] = '\0';
    auto z = ZoneRules::from_tzif("NY-v1", v1);
    REQUIRE(z);
    CHECK(z->posix_rule().empty());
    CHECK(z->offset_at(at("2026-07-01T00:00:00Z")) == -4 * 3600);
    CHECK(z->offset_at(at("2026-01-01T00:00:00Z")) == -5 * 3600);
}

TEST_CASE("time: invalid TZif data and POSIX rules are rejected") {
    CHECK_FALSE(ZoneRules::from_tzif("x", "not a tzif file at all, just some text that is long"));
    std::string ny(test_tzif("America/New_York"));
    CHECK_FALSE(ZoneRules::from_tzif("x", ny.substr(0, ny.size() / 2)));  // truncated
    std::string badver = ny;
    badver[4] = '9';
    CHECK_FALSE(ZoneRules::from_tzif("x", badver));
    std::string badfooter = ny.substr(0, ny.rfind('\n', ny.size() - 2) + 1) + "EST5EDT,M13.2.0,M11.1.0\n";
    auto r = ZoneRules::from_tzif("x", badfooter);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::invalid_zone);
    for (const char* rule : {"X-8", "CST", "CST-8CDT,M3.2.0", "CST-8CDT,M3.6.0,M11.1.0", "CST-8CDT,J0,J365",
                             "CST-8CDT,M3.2.0/200,M11.1.0", "<+1>-1", "CST-25"}) {
        CAPTURE(rule);
        CHECK_FALSE(ZoneRules::from_parts("x", 0, {}, rule));
    }
    CHECK_FALSE(ZoneRules::from_parts("x", 0, {{100, 3600}, {100, 0}}, ""));
    CHECK(ZoneRules::from_parts("x", 0, {}, "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"));
    CHECK(ZoneRules::from_parts("x", 0, {}, "EST5EDT,0/0,J365/25"));  // v3: DST all year
}

}  // namespace time_test
