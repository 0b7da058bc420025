// Time: RFC 3339 on the wire, civil dates in the program's time zone.
// The zone comes from real tz database bytes (TZif); the core never reads files or clocks.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "memberdesk/common.hpp"

namespace memberdesk {

struct CivilDate {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31
    bool operator==(const CivilDate& o) const { return year == o.year && month == o.month && day == o.day; }
    bool operator!=(const CivilDate& o) const { return !(*this == o); }
    bool operator<(const CivilDate& o) const;
};

struct CivilDateTime {
    CivilDate date;
    int hour = 0, minute = 0, second = 0;
};

// Pure calendar arithmetic (proleptic Gregorian).
std::int64_t days_from_civil(const CivilDate& d);  // days since 1970-01-01
CivilDate civil_from_days(std::int64_t days);
CivilDate add_days(const CivilDate& d, int days);
CivilDate add_months_clamped(const CivilDate& d, int months);  // Jan 31 + 1 month = Feb 28/29
CivilDate end_of_month(const CivilDate& d);                    // last day of d's month
int days_in_month(int year, int month);
int weekday(const CivilDate& d);                   // 0 = Sunday .. 6 = Saturday
int month_index(const CivilDate& d);               // year*12 + (month-1), for month spans
std::string format_date(const CivilDate& d);       // "2026-03-31"
Result<CivilDate> parse_date(std::string_view s);  // "YYYY-MM-DD", validated

// RFC 3339: parse accepts "Z" or numeric offsets and fractional seconds (truncated);
// format always writes UTC with "Z" and whole seconds.
Result<UnixSeconds> parse_rfc3339(std::string_view s);
std::string format_rfc3339(UnixSeconds t);
// The same 20 characters written into `out`, without a string; false (out unspecified) for years
// outside 0000..9999, which format_rfc3339 writes with snprintf.
bool format_rfc3339_to(UnixSeconds t, char (&out)[20]);

// Offsets of one zone over time, from TZif v1/v2/v3 bytes, including the POSIX TZ footer rule
// that governs instants after the last listed transition.
class ZoneRules {
public:
    struct Transition {
        UnixSeconds at;  // UTC instant from which `offset` applies
        int offset;      // seconds east of UTC
    };

    ZoneRules();  // UTC
    static Result<ZoneRules> from_tzif(std::string name, std::string_view tzif_bytes);
    static ZoneRules fixed(std::string name, int offset_seconds);  // for tests and UTC only

    const std::string& name() const { return name_; }
    int offset_at(UnixSeconds utc) const;
    CivilDateTime to_local(UnixSeconds utc) const;
    CivilDate local_date(UnixSeconds utc) const { return to_local(utc).date; }
    // First UTC instant of the local day `d` (handles days that do not start at 00:00).
    UnixSeconds start_of_day(const CivilDate& d) const;
    // Last UTC second of the local day `d` (= start_of_day(d+1) - 1).
    UnixSeconds end_of_day(const CivilDate& d) const { return start_of_day(add_days(d, 1)) - 1; }
    // First UTC instant whose local time is at or after `lt`: for a local time that occurs twice
    // (fall back) the earlier instant; for one skipped by a gap (spring forward) the transition.
    UnixSeconds from_local(const CivilDateTime& lt) const;

    // Compact form for the wire (the client has no tz files): transitions between two instants
    // plus the footer rule. Round-trips through to_json/from_json in codec.hpp.
    const std::vector<Transition>& transitions() const { return transitions_; }
    const std::string& posix_rule() const { return posix_rule_; }
    int initial_offset() const { return initial_offset_; }
    static Result<ZoneRules> from_parts(std::string name, int initial_offset, std::vector<Transition> transitions,
                                        std::string posix_rule);

    // posix_rule() parsed (internal; filled by from_tzif/from_parts).
    struct PosixRule {
        struct When {
            char kind = 'M';          // 'J' (Jn, 1..365 no Feb 29), 'N' (n, 0..365), 'M' (Mm.w.d)
            int a = 0, b = 0, c = 0;  // J/N: day in a; M: month a, week b (1..5), weekday c (0=Sun)
            int time = 7200;          // local seconds after midnight (may be < 0 or > 24h in TZif v3)
        };
        bool present = false;
        int std_offset = 0;  // seconds east of UTC
        bool has_dst = false;
        int dst_offset = 0;  // seconds east of UTC
        When start, end;     // DST starts (in standard time) / ends (in DST)
    };

private:
    std::string name_ = "UTC";
    int initial_offset_ = 0;
    std::vector<Transition> transitions_;
    std::string posix_rule_;  // e.g. "CST-8" or "EST5EDT,M3.2.0,M11.1.0"; may be empty
    PosixRule rule_;
};

}  // namespace memberdesk
