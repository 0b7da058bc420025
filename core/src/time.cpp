// Calendar arithmetic, RFC 3339, and time zone rules from TZif bytes (RFC 8536) with the POSIX TZ
// footer. Pure: no files, no clock, no locale. Civil conversions use Howard Hinnant's date.h
// (header-only part only; tz.h and its compiled database are not used).
#include "memberdesk/time.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

#include <date/date.h>

namespace memberdesk {

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at s[pos..]; false if any is not a digit.
bool read_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        char c = s[pos + i];
        if (!is_digit(c)) return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int kMinUtcOffset = -89999;  // RFC 8536 recommended bounds for utoff
constexpr int kMaxUtcOffset = 93599;

}  // namespace

// ---------------------------------------------------------------------------------------------
// Calendar

bool CivilDate::operator<(const CivilDate& o) const {
    if (year != o.year) return year < o.year;
    if (month != o.month) return month < o.month;
    return day < o.day;
}

std::int64_t days_from_civil(const CivilDate& d) {
    using namespace date;
    return sys_days{year{d.year} / month{static_cast<unsigned>(d.month)} / day{static_cast<unsigned>(d.day)}}
        .time_since_epoch()
        .count();
}

CivilDate civil_from_days(std::int64_t days) {
    using namespace date;
    year_month_day ymd{sys_days{date::days{static_cast<date::days::rep>(days)}}};
    return CivilDate{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                     static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

CivilDate add_days(const CivilDate& d, int days) { return civil_from_days(days_from_civil(d) + days); }

int days_in_month(int year, int month) {
    static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    if (month == 2 && is_leap(year)) return 29;
    return kDays[month - 1];
}

CivilDate add_months_clamped(const CivilDate& d, int months) {
    std::int64_t idx = static_cast<std::int64_t>(d.year) * 12 + (d.month - 1) + months;
    int y = static_cast<int>(floor_div(idx, 12));
    int m = static_cast<int>(idx - static_cast<std::int64_t>(y) * 12) + 1;
    int day = std::min(d.day, days_in_month(y, m));
    return CivilDate{y, m, day};
}

CivilDate end_of_month(const CivilDate& d) { return CivilDate{d.year, d.month, days_in_month(d.year, d.month)}; }

int weekday(const CivilDate& d) {
    // 1970-01-01 was a Thursday (4).
    std::int64_t z = days_from_civil(d) + 4;
    return static_cast<int>(z - floor_div(z, 7) * 7);
}

int month_index(const CivilDate& d) { return d.year * 12 + (d.month - 1); }

std::string format_date(const CivilDate& d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

Result<CivilDate> parse_date(std::string_view s) {
    int y = 0, m = 0, d = 0;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !read_digits(s, 0, 4, y) || !read_digits(s, 5, 2, m) ||
        !read_digits(s, 8, 2, d))
        return make_error(ErrorCode::invalid_date, "expected a date as YYYY-MM-DD");
    if (m < 1 || m > 12) return make_error(ErrorCode::invalid_date, "month must be 01..12");
    if (d < 1 || d > days_in_month(y, m)) return make_error(ErrorCode::invalid_date, "day out of range for the month");
    return CivilDate{y, m, d};
}

// ---------------------------------------------------------------------------------------------
// RFC 3339

Result<UnixSeconds> parse_rfc3339(std::string_view s) {
    // date-time = full-date ("T"/"t") full-time ; full-time = HH:MM:SS[.frac] ("Z"/"z" / ("+"/"-")HH:MM)
    auto bad = [](const char* why) {
        return make_error(ErrorCode::invalid_time, std::string("RFC 3339 time: ") + why);
    };
    if (s.size() < 20) return bad("too short, expected e.g. 2026-03-31T16:30:00Z");
    auto date = parse_date(s.substr(0, 10));
    if (!date) return bad("invalid date part");
    if (s[10] != 'T' && s[10] != 't') return bad("expected 'T' between date and time");
    int hh = 0, mi = 0, ss = 0;
    if (!read_digits(s, 11, 2, hh) || s[13] != ':' || !read_digits(s, 14, 2, mi) || s[16] != ':' ||
        !read_digits(s, 17, 2, ss))
        return bad("expected HH:MM:SS");
    if (hh > 23 || mi > 59) return bad("hour or minute out of range");
    if (ss > 59) return bad("second out of range (leap seconds are not supported)");
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t start = pos;
        while (pos < s.size() && is_digit(s[pos])) ++pos;
        if (pos == start) return bad("expected digits after '.'");
    }
    if (pos >= s.size()) return bad("missing time zone offset ('Z' or +HH:MM)");
    int offset = 0;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
        int sign = s[pos] == '-' ? -1 : 1;
        int oh = 0, om = 0;
        if (!read_digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !read_digits(s, pos + 4, 2, om))
            return bad("expected offset as +HH:MM");
        if (oh > 23 || om > 59) return bad("offset out of range");
        offset = sign * (oh * 3600 + om * 60);
        pos += 6;
    } else {
        return bad("expected 'Z' or an offset");
    }
    if (pos != s.size()) return bad("unexpected characters after the offset");
    return days_from_civil(*date) * 86400 + hh * 3600 + mi * 60 + ss - offset;
}

bool format_rfc3339_to(UnixSeconds t, char (&out)[20]) {
    std::int64_t days = floor_div(t, 86400);
    std::int64_t secs = t - days * 86400;
    CivilDate d = civil_from_days(days);
    if (d.year < 0 || d.year > 9999) return false;
    const int hh = static_cast<int>(secs / 3600), mi = static_cast<int>(secs / 60 % 60),
              ss = static_cast<int>(secs % 60);
    auto two = [&](int at, int v) {
        out[at] = static_cast<char>('0' + v / 10);
        out[at + 1] = static_cast<char>('0' + v % 10);
    };
    two(0, d.year / 100);
    two(2, d.year % 100);
    out[4] = '-';
    two(5, static_cast<int>(d.month));
    out[7] = '-';
    two(8, static_cast<int>(d.day));
    out[10] = 'T';
    two(11, hh);
    out[13] = ':';
    two(14, mi);
    out[16] = ':';
    two(17, ss);
    out[19] = 'Z';
    return true;
}

std::string format_rfc3339(UnixSeconds t) {
    // The usual case without snprintf (a ledger page formats a hundred of these).
    char b[20];
    if (format_rfc3339_to(t, b)) return std::string(b, sizeof b);
    std::int64_t days = floor_div(t, 86400);
    std::int64_t secs = t - days * 86400;
    CivilDate d = civil_from_days(days);
    const int hh = static_cast<int>(secs / 3600), mi = static_cast<int>(secs / 60 % 60),
              ss = static_cast<int>(secs % 60);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day, hh, mi, ss);
    return buf;
}

// ---------------------------------------------------------------------------------------------
// POSIX TZ rule ("STDoffset[DST[offset][,start[/time],end[/time]]]", with the TZif v3 extensions)

namespace {

struct PosixParser {
    std::string_view s;
    std::size_t i = 0;

    bool at_end() const { return i >= s.size(); }
    char peek() const { return at_end() ? '\0' : s[i]; }

    bool name() {
        if (peek() == '<') {
            ++i;
            std::size_t start = i;
            while (!at_end() && s[i] != '>') {
                char c = s[i];
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '+' || c == '-';
                if (!ok) return false;
                ++i;
            }
            if (at_end() || i - start < 3) return false;
            ++i;  // '>'
            return true;
        }
        std::size_t start = i;
        while (!at_end() && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) ++i;
        return i - start >= 3;
    }

    bool number(int max_digits, int& out) {
        std::size_t start = i;
        int v = 0;
        while (!at_end() && is_digit(s[i]) && static_cast<int>(i - start) < max_digits) v = v * 10 + (s[i++] - '0');
        if (i == start) return false;
        out = v;
        return true;
    }

    // [+-]hh[:mm[:ss]] -> seconds; hours up to max_hours.
    bool hms(int max_hours, int& out) {
        int sign = 1;
        if (peek() == '+' || peek() == '-') {
            if (peek() == '-') sign = -1;
            ++i;
        }
        int h = 0, m = 0, sec = 0;
        if (!number(3, h) || h > max_hours) return false;
        if (peek() == ':') {
            ++i;
            if (!number(2, m) || m > 59) return false;
            if (peek() == ':') {
                ++i;
                if (!number(2, sec) || sec > 59) return false;
            }
        }
        out = sign * (h * 3600 + m * 60 + sec);
        return true;
    }

    bool when(ZoneRules::PosixRule::When& w) {
        if (peek() == 'J') {
            ++i;
            w.kind = 'J';
            if (!number(3, w.a) || w.a < 1 || w.a > 365) return false;
        } else if (peek() == 'M') {
            ++i;
            w.kind = 'M';
            if (!number(2, w.a) || w.a < 1 || w.a > 12) return false;
            if (peek() != '.') return false;
            ++i;
            if (!number(1, w.b) || w.b < 1 || w.b > 5) return false;
            if (peek() != '.') return false;
            ++i;
            if (!number(1, w.c) || w.c > 6) return false;
        } else {
            w.kind = 'N';
            if (!number(3, w.a) || w.a > 365) return false;
        }
        w.time = 7200;
        if (peek() == '/') {
            ++i;
            if (!hms(167, w.time)) return false;
        }
        return true;
    }
};

bool parse_posix_rule(std::string_view text, ZoneRules::PosixRule& r) {
    r = ZoneRules::PosixRule{};
    if (text.empty()) return true;
    PosixParser p{text};
    int off = 0;
    if (!p.name() || !p.hms(24, off)) return false;
    r.present = true;
    r.std_offset = -off;  // POSIX offsets are west-positive
    if (p.at_end()) return true;
    if (!p.name()) return false;
    r.has_dst = true;
    r.dst_offset = r.std_offset + 3600;
    if (!p.at_end() && p.peek() != ',') {
        if (!p.hms(24, off)) return false;
        r.dst_offset = -off;
    }
    if (p.at_end()) {
        // No rule given: POSIX leaves it to the implementation; use the US rule like glibc.
        r.start = ZoneRules::PosixRule::When{'M', 3, 2, 0, 7200};
        r.end = ZoneRules::PosixRule::When{'M', 11, 1, 0, 7200};
        return true;
    }
    if (p.peek() != ',') return false;
    ++p.i;
    if (!p.when(r.start)) return false;
    if (p.peek() != ',') return false;
    ++p.i;
    if (!p.when(r.end)) return false;
    return p.at_end();
}

// Local midnight (days since epoch) of the rule's date in `year`.
std::int64_t rule_day(const ZoneRules::PosixRule::When& w, int year) {
    std::int64_t jan1 = days_from_civil(CivilDate{year, 1, 1});
    switch (w.kind) {
        case 'J': return jan1 + w.a - 1 + ((is_leap(year) && w.a >= 60) ? 1 : 0);
        case 'N': return jan1 + w.a;
        default: {
            CivilDate first{year, w.a, 1};
            int wd1 = weekday(first);
            int day = 1 + (w.c - wd1 + 7) % 7 + (w.b - 1) * 7;
            int dim = days_in_month(year, w.a);
            while (day > dim) day -= 7;
            return days_from_civil(CivilDate{year, w.a, day});
        }
    }
}

int posix_offset_at(const ZoneRules::PosixRule& r, UnixSeconds utc) {
    if (!r.has_dst) return r.std_offset;
    int y = civil_from_days(floor_div(utc + r.std_offset, 86400)).year;
    auto start_of = [&](int yr) { return rule_day(r.start, yr) * 86400 + r.start.time - r.std_offset; };
    auto end_of = [&](int yr) { return rule_day(r.end, yr) * 86400 + r.end.time - r.dst_offset; };
    // DST intervals that begin in year Y: [start_Y, end_Y) if it ends later the same year, else
    // [start_Y, end_{Y+1}) (southern hemisphere). Look at the years that can cover `utc`.
    for (int yr = y - 2; yr <= y + 1; ++yr) {
        UnixSeconds st = start_of(yr);
        UnixSeconds en = end_of(yr);
        if (en <= st) en = end_of(yr + 1);
        if (utc >= st && utc < en) return r.dst_offset;
    }
    return r.std_offset;
}

// TZif reader -------------------------------------------------------------------------------

struct ByteReader {
    std::string_view b;
    std::size_t pos = 0;
    bool has(std::size_t n) const { return pos <= b.size() && b.size() - pos >= n; }
    std::uint32_t u32() {
        std::uint32_t v = 0;
        for (int k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(b[pos++]);
        return v;
    }
    std::int64_t i64() {
        std::uint64_t v = 0;
        for (int k = 0; k < 8; ++k) v = (v << 8) | static_cast<unsigned char>(b[pos++]);
        return static_cast<std::int64_t>(v);
    }
    unsigned char u8() { return static_cast<unsigned char>(b[pos++]); }
};

struct TzifHeader {
    char version = 0;
    std::uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
};

bool read_header(ByteReader& r, TzifHeader& h) {
    if (!r.has(44)) return false;
    if (r.b.substr(r.pos, 4) != "TZif") return false;
    r.pos += 4;
    h.version = static_cast<char>(r.u8());
    r.pos += 15;
    h.isutcnt = r.u32();
    h.isstdcnt = r.u32();
    h.leapcnt = r.u32();
    h.timecnt = r.u32();
    h.typecnt = r.u32();
    h.charcnt = r.u32();
    return true;
}

std::size_t block_size(const TzifHeader& h, std::size_t time_size) {
    return static_cast<std::size_t>(h.timecnt) * time_size + h.timecnt + static_cast<std::size_t>(h.typecnt) * 6 +
           h.charcnt + static_cast<std::size_t>(h.leapcnt) * (time_size + 4) + h.isstdcnt + h.isutcnt;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ZoneRules

ZoneRules::ZoneRules() = default;

ZoneRules ZoneRules::fixed(std::string name, int offset_seconds) {
    ZoneRules z;
    z.name_ = std::move(name);
    z.initial_offset_ = offset_seconds;
    return z;
}

Result<ZoneRules> ZoneRules::from_parts(std::string name, int initial_offset, std::vector<Transition> transitions,
                                        std::string posix_rule) {
    auto bad = [&](const std::string& why) { return make_error(ErrorCode::invalid_zone, name + ": " + why); };
    if (initial_offset < kMinUtcOffset || initial_offset > kMaxUtcOffset) return bad("initial offset out of range");
    for (std::size_t k = 0; k < transitions.size(); ++k) {
        if (transitions[k].offset < kMinUtcOffset || transitions[k].offset > kMaxUtcOffset)
            return bad("transition offset out of range");
        if (k > 0 && transitions[k].at <= transitions[k - 1].at) return bad("transitions must be strictly increasing");
    }
    ZoneRules z;
    if (!parse_posix_rule(posix_rule, z.rule_)) return bad("invalid POSIX TZ rule '" + posix_rule + "'");
    z.name_ = std::move(name);
    z.initial_offset_ = initial_offset;
    // Keep only real offset changes (isdst/abbreviation-only changes do not matter here).
    int prev = initial_offset;
    for (const auto& t : transitions) {
        if (t.offset == prev) continue;
        z.transitions_.push_back(t);
        prev = t.offset;
    }
    z.posix_rule_ = std::move(posix_rule);
    return z;
}

Result<ZoneRules> ZoneRules::from_tzif(std::string name, std::string_view bytes) {
    auto bad = [&](const std::string& why) { return make_error(ErrorCode::invalid_zone, name + ": TZif " + why); };
    ByteReader r{bytes};
    TzifHeader h1;
    if (!read_header(r, h1)) return bad("header missing (not a TZif file)");
    if (h1.version != 0 && h1.version != '2' && h1.version != '3' && h1.version != '4')
        return bad("unsupported version");
    TzifHeader h = h1;
    std::size_t time_size = 4;
    if (h1.version != 0) {
        // Skip the 32-bit block; use the 64-bit one.
        std::size_t skip = block_size(h1, 4);
        if (!r.has(skip)) return bad("truncated v1 data block");
        r.pos += skip;
        if (!read_header(r, h)) return bad("second header missing");
        time_size = 8;
    }
    if (h.typecnt == 0) return bad("no local time types");
    if (h.leapcnt != 0) return bad("leap-second data is not supported (use a zone without 'right/')");
    if ((h.isstdcnt != 0 && h.isstdcnt != h.typecnt) || (h.isutcnt != 0 && h.isutcnt != h.typecnt))
        return bad("inconsistent counts");
    if (!r.has(block_size(h, time_size))) return bad("truncated data block");

    std::vector<std::int64_t> times(h.timecnt);
    for (auto& t : times) t = time_size == 8 ? r.i64() : static_cast<std::int32_t>(r.u32());
    std::vector<unsigned> idx(h.timecnt);
    for (auto& k : idx) {
        k = r.u8();
        if (k >= h.typecnt) return bad("transition type index out of range");
    }
    std::vector<int> offsets(h.typecnt);
    for (auto& o : offsets) {
        o = static_cast<std::int32_t>(r.u32());
        r.pos += 2;  // isdst, desigidx
        if (o < kMinUtcOffset || o > kMaxUtcOffset) return bad("UTC offset out of range");
    }
    r.pos += h.charcnt + h.isstdcnt + h.isutcnt;  // designations, std/wall and UT/local indicators

    std::string footer;
    if (h1.version != 0) {
        if (!r.has(1) || r.b[r.pos] != '\n') return bad("footer missing");
        std::size_t start = r.pos + 1;
        std::size_t end = bytes.find('\n', start);
        if (end == std::string_view::npos) return bad("footer not terminated");
        footer = std::string(bytes.substr(start, end - start));
    }

    std::vector<Transition> transitions;
    transitions.reserve(times.size());
    for (std::size_t k = 0; k < times.size(); ++k) {
        if (k > 0 && times[k] <= times[k - 1]) return bad("transition times not increasing");
        transitions.push_back(Transition{times[k], offsets[idx[k]]});
    }
    auto z = from_parts(std::move(name), offsets[0], std::move(transitions), std::move(footer));
    if (!z) return bad(z.error().message);
    return z;
}

int ZoneRules::offset_at(UnixSeconds utc) const {
    if (!transitions_.empty() && utc < transitions_.front().at) return initial_offset_;
    if (transitions_.empty() || utc >= transitions_.back().at) {
        if (rule_.present) return posix_offset_at(rule_, utc);
        return transitions_.empty() ? initial_offset_ : transitions_.back().offset;
    }
    // Last transition with at <= utc.
    auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc,
                               [](UnixSeconds t, const Transition& tr) { return t < tr.at; });
    return std::prev(it)->offset;
}

CivilDateTime ZoneRules::to_local(UnixSeconds utc) const {
    std::int64_t local = utc + offset_at(utc);
    std::int64_t days = floor_div(local, 86400);
    std::int64_t secs = local - days * 86400;
    CivilDateTime out;
    out.date = civil_from_days(days);
    out.hour = static_cast<int>(secs / 3600);
    out.minute = static_cast<int>(secs / 60 % 60);
    out.second = static_cast<int>(secs % 60);
    return out;
}

UnixSeconds ZoneRules::from_local(const CivilDateTime& lt) const {
    const std::int64_t L = days_from_civil(lt.date) * 86400 + lt.hour * 3600 + lt.minute * 60 + lt.second;
    // Offsets in force around the local time; a valid reading t = L - o has offset_at(t) == o.
    const int cand[3] = {offset_at(L - 86400), offset_at(L), offset_at(L + 86400)};
    bool found = false;
    UnixSeconds best = 0;
    for (int o : cand) {
        UnixSeconds t = L - o;
        if (offset_at(t) == o && (!found || t < best)) {
            best = t;
            found = true;
        }
    }
    if (found) return best;
    // `lt` falls in a gap: the first instant whose local time is past it is the transition itself.
    int lo_off = *std::min_element(cand, cand + 3), hi_off = *std::max_element(cand, cand + 3);
    UnixSeconds lo = L - hi_off, hi = L - lo_off;  // answer in (lo, hi]
    while (lo + 1 < hi) {
        UnixSeconds mid = lo + (hi - lo) / 2;
        if (mid + offset_at(mid) >= L)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

UnixSeconds ZoneRules::start_of_day(const CivilDate& d) const { return from_local(CivilDateTime{d, 0, 0, 0}); }

}  // namespace memberdesk
