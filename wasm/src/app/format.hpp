// Number, money and date formatting for display (pure; tested natively).
#pragma once
#include <optional>
#include <string>

#include "memberdesk/common.hpp"
#include "memberdesk/time.hpp"

namespace memberdesk::client {

std::string fmt_int(long long v);                                             // 12345 -> "12,345"; -5 -> "-5"
std::string fmt_signed(long long v);                                          // 50 -> "+50", -500 -> "-500"
std::string fmt_money(Cents fen);                                             // 1250 -> "¥12.50", 1000 -> "¥10"
std::string fmt_date(const std::string& rfc3339, const ZoneRules& zone);      // local "2026-03-31"
std::string fmt_datetime(const std::string& rfc3339, const ZoneRules& zone);  // "2026-03-31 14:05"
std::optional<UnixSeconds> parse_time(const std::string& rfc3339);
// Seconds left until `rfc3339` (negative when past); nullopt when it does not parse.
std::optional<long long> seconds_until(const std::string& rfc3339, UnixSeconds now);
// A phone field as typed: keep digits and a leading '+'.
std::string digits_only(const std::string& s, bool allow_plus);

}  // namespace memberdesk::client
