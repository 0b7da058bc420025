// Scheduled reach (domain.md §7), the pure part: which occasions a member has on a local calendar
// day (reminders, birthday, win-back, holiday packs), with the consent each message needs and the
// coupon each issues, and when the next one may be due. The server decides the day and the instant
// (the program's send_at in its time zone), runs this once per member and day and records each
// occasion once (docs/design.md, "Scheduled reach").
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "memberdesk/ledger.hpp"

namespace memberdesk {

enum class ReachKind { points_expiry, tier_review, coupon_expiry, birthday, winback, holiday };
const char* to_string(ReachKind k);  // "points_expiry", ...

struct Occasion {
    ReachKind kind = ReachKind::points_expiry;
    // Unique per member: "points_expiry:2027-03-31", "tier_review:2027-03-31", "coupon_expiry:2026-05-31",
    // "birthday:2026", "winback:<txn id>", "holiday:<pack id>:<year>". For the coupon occasions it is
    // also the coupon's issue key (MemberState::issue_keys), so a coupon is never issued twice.
    std::string key;
    CivilDate first_day, last_day;      // local days on which it is sent (inclusive)
    const char* consent = "reminders";  // the consent the message needs: "reminders" or "marketing"
    Text subject;                       // one line: "120 points expire on 31 March"
    Text text;                          // the message
    std::optional<CouponIssue> coupon;  // due occasions only: the coupon issued with it
    Points points = 0;                  // points_expiry: the total
    CivilDate date;                     // the date the subject names (expiry, review, ...)
};

// Occasions of `s` due on local day `day` at instant `at` (the day's send time) and not in `done`
// (keys already recorded; the member's issue keys also count as done), in a fixed order. Coupons are
// made at `at`. Tier review is due only while the purchases so far do not keep the tier at its review.
std::vector<Occasion> due_occasions(const ProgramConfig& p, const ZoneRules& z, const MemberState& s,
                                    const CivilDate& day, UnixSeconds at, const std::vector<std::string>& done);

// Occasions not yet done that can become due on `from` or later, by first due day (from at the
// earliest): what is scheduled next. `now` is the instant totals and titles are read at.
std::vector<Occasion> upcoming_occasions(const ProgramConfig& p, const ZoneRules& z, const MemberState& s,
                                         const CivilDate& from, UnixSeconds now, const std::vector<std::string>& done);

// The first local day on or after `from` on which due_occasions may be non-empty (a day that turns
// out empty is fine: the scheduler looks again from the next day). None: nothing will ever be due
// unless the member's state changes.
std::optional<CivilDate> next_reach_day(const ProgramConfig& p, const ZoneRules& z, const MemberState& s,
                                        const CivilDate& from, UnixSeconds now, const std::vector<std::string>& done);

// "31 March" / "3月31日".
Text day_month_text(const CivilDate& d);

}  // namespace memberdesk
