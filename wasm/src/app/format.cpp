#include "app/format.hpp"

#include <cstdio>

namespace memberdesk::client {

std::string fmt_int(long long v) {
    const bool neg = v < 0;
    unsigned long long u = neg ? 0ULL - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
    std::string digits = std::to_string(u);
    std::string out;
    const int n = static_cast<int>(digits.size());
    for (int i = 0; i < n; ++i) {
        out += digits[static_cast<std::size_t>(i)];
        const int left = n - 1 - i;
        if (left > 0 && left % 3 == 0) out += ',';
    }
    return neg ? "-" + out : out;
}

std::string fmt_signed(long long v) { return v > 0 ? "+" + fmt_int(v) : fmt_int(v); }

std::string fmt_money(Cents fen) {
    const bool neg = fen < 0;
    const unsigned long long u =
        neg ? 0ULL - static_cast<unsigned long long>(fen) : static_cast<unsigned long long>(fen);
    std::string s = "\xC2\xA5" + fmt_int(static_cast<long long>(u / 100));
    if (u % 100) {
        char buf[8];
        std::snprintf(buf, sizeof buf, ".%02llu", u % 100);
        s += buf;
    }
    return neg ? "-" + s : s;
}

std::optional<UnixSeconds> parse_time(const std::string& rfc3339) {
    auto t = parse_rfc3339(rfc3339);
    if (!t.ok()) return std::nullopt;
    return t.value();
}

std::string fmt_date(const std::string& rfc3339, const ZoneRules& zone) {
    auto t = parse_time(rfc3339);
    if (!t) return rfc3339.size() >= 10 ? rfc3339.substr(0, 10) : rfc3339;
    return format_date(zone.local_date(*t));
}

std::string fmt_datetime(const std::string& rfc3339, const ZoneRules& zone) {
    auto t = parse_time(rfc3339);
    if (!t) return rfc3339;
    const CivilDateTime l = zone.to_local(*t);
    char buf[16];
    std::snprintf(buf, sizeof buf, " %02d:%02d", l.hour, l.minute);
    return format_date(l.date) + buf;
}

std::optional<long long> seconds_until(const std::string& rfc3339, UnixSeconds now) {
    auto t = parse_time(rfc3339);
    if (!t) return std::nullopt;
    return static_cast<long long>(*t - now);
}

std::string digits_only(const std::string& s, bool allow_plus) {
    std::string out;
    for (char c : s) {
        if (c >= '0' && c <= '9')
            out += c;
        else if (c == '+' && allow_plus && out.empty())
            out += c;
    }
    return out;
}

}  // namespace memberdesk::client
