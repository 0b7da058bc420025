// View models: what a member sees. The server builds them and encodes them as the API's JSON;
// the client decodes the same structs and draws them. Times are RFC 3339 UTC strings here.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "memberdesk/coupons.hpp"
#include "memberdesk/ledger.hpp"
#include "memberdesk/multiplier.hpp"
#include "memberdesk/reach.hpp"
#include "memberdesk/rewards.hpp"
#include "memberdesk/segments.hpp"
#include "memberdesk/tiers.hpp"

namespace memberdesk {

// Masking for shared screens and API output. UTF-8 aware: "王小明" -> "王*明", "Ann Lee" -> "A*****e",
// "13812345678" -> "138****5678".
std::string mask_phone(const std::string& phone);
std::string mask_name(const std::string& name);

struct ProfileView {
    std::int64_t id = 0;
    std::string name;  // full for the member's own portal; masked for kiosk scope
    std::string phone_masked;
    std::optional<std::string> birthday;  // "YYYY-MM-DD"; omitted for kiosk scope
    std::string joined_at;
};

struct PointsView {
    Points balance = 0, pending = 0, lifetime_earned = 0, expiring_soon = 0, debt = 0;
    std::optional<std::string> next_expiry;
};

struct NextTierView {
    std::string id;
    Text name;
    Cents remaining_spend = 0;
    int remaining_months = 0;
    Text requirement;
};

struct TierView {
    std::string id;
    Text name;
    int multiplier_percent = 100;
    std::optional<std::string> valid_until;
    std::vector<Text> benefits;
    int percent = 0;  // progress to next tier, 0..100
    std::optional<NextTierView> next;
    Text keep_requirement;
};

struct CouponCountsView {
    int available = 0, used = 0, expired = 0, voided = 0;
};

struct OfferView {
    std::string id;
    Text title, body;
    std::string reward_id;
};

struct MeView {
    ProfileView profile;
    PointsView points;
    TierView tier;
    CouponCountsView coupons;
    std::vector<OfferView> offers;
};

struct LedgerEntryView {
    std::int64_t id = 0;
    std::string type;  // to_string(EntryType)
    Points points = 0;
    Points balance_after = 0;
    Text reason;
    std::string created_at;
    std::optional<std::string> expires_at;
    std::string store;
};

struct LedgerPageView {
    std::vector<LedgerEntryView> entries;
    std::optional<std::string> next_cursor;
};

struct CouponView {
    std::int64_t id = 0;
    std::string code;
    std::string kind;   // to_string(CouponKind)
    std::string state;  // effective state as of the view's `now`
    std::string source;
    Text title, conditions;
    std::string valid_from, valid_until;
    std::optional<std::string> used_at;
    Cents used_discount = 0;
};

struct RewardView {
    std::string id;
    Text name;
    Points cost = 0;
    Text coupon_title;
    std::string min_tier;  // tier id ("" = any tier)
    Text min_tier_name;    // what members read ("Elite"/"尊享"); empty when min_tier is
    std::optional<int> stock_left;
    bool affordable = false, tier_allowed = true, in_stock = true;
};

struct RedemptionView {
    std::int64_t id = 0;
    std::string reward_id;
    Text reward_name;
    Points points = 0;
    std::string created_at;
    std::optional<CouponView> coupon;
    Points balance_after = 0;  // spendable balance right after (in the POST answer)
};

struct RuleSection {
    std::string id;  // "earning", "expiry", "tiers", "rewards", "coupons", "campaigns"
    Text heading, body;
};

struct TierDefView {
    std::string id;
    Text name;
    int multiplier_percent = 100;
    Text requirement;
    std::vector<Text> benefits;
    bool can_redeem = true;
};

struct ProgramView {
    std::string id;
    Text name;
    std::string currency, timezone;
    std::vector<TierDefView> tiers;
    std::vector<RuleSection> rules;  // member-readable description generated from the config
    nlohmann::json zone;             // ZoneRules for the client (see zone_to_json)
};

struct CardView {
    std::string member_code;  // short-lived code shown as QR
    std::string expires_at;
    int refresh_after_seconds = 0;
};

// One scheduled occasion as the API shows it (GET /me/reminders, the admin's reach view).
struct ReminderView {
    std::string kind;      // "points_expiry", "tier_review", "coupon_expiry", ...
    std::string occasion;  // "points_expiry:2027-03-31"
    std::string day;       // the local day it is sent, "YYYY-MM-DD"
    Text subject;          // "120 points expire on 31 March"
    std::string consent;   // "reminders" or "marketing"
};
// GET /me/reminders: the member's next reminder, if any.
struct NextReminderView {
    std::optional<ReminderView> next;
};

// Builders (pure).
MeView build_me_view(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, const std::string& name,
                     const std::string& phone, const std::optional<CivilDate>& birthday, bool kiosk_scope,
                     UnixSeconds now);
LedgerEntryView build_ledger_entry_view(const LedgerEntry& e);
LedgerEntryView build_ledger_entry_view(LedgerEntry&& e);  // takes the entry's strings
CouponView build_coupon_view(const Coupon& c, UnixSeconds now);
std::vector<RewardView> build_reward_views(const ProgramConfig& p, const MemberState& s,
                                           const std::vector<std::optional<int>>& stock_left, UnixSeconds now);
ProgramView build_program_view(const ProgramConfig& p, const ZoneRules& z);
ReminderView build_reminder_view(const Occasion& o);
// The portal home's reminder line: the next reminder's subject. None when nothing is scheduled,
// when the next occasion is not a reminder (a marketing message is no reminder) or its subject is
// empty.
std::optional<Text> home_reminder_line(const NextReminderView& v);
std::vector<RuleSection> describe_rules(const ProgramConfig& p);  // zh and en, from the live config

nlohmann::json zone_to_json(const ZoneRules& z);
Result<ZoneRules> zone_from_json(const nlohmann::json& j);

// JSON codecs (snake_case field names as in docs/api.md).
void to_json(nlohmann::json& j, const Text& v);
void from_json(const nlohmann::json& j, Text& v);
#define MEMBERDESK_VIEW_CODEC(T)                 \
    void to_json(nlohmann::json& j, const T& v); \
    void from_json(const nlohmann::json& j, T& v);
MEMBERDESK_VIEW_CODEC(ProfileView)
MEMBERDESK_VIEW_CODEC(PointsView)
MEMBERDESK_VIEW_CODEC(NextTierView)
MEMBERDESK_VIEW_CODEC(TierView)
MEMBERDESK_VIEW_CODEC(CouponCountsView)
MEMBERDESK_VIEW_CODEC(OfferView)
MEMBERDESK_VIEW_CODEC(MeView)
MEMBERDESK_VIEW_CODEC(LedgerEntryView)
MEMBERDESK_VIEW_CODEC(LedgerPageView)
MEMBERDESK_VIEW_CODEC(CouponView)
MEMBERDESK_VIEW_CODEC(RewardView)
MEMBERDESK_VIEW_CODEC(RedemptionView)
MEMBERDESK_VIEW_CODEC(RuleSection)
MEMBERDESK_VIEW_CODEC(TierDefView)
MEMBERDESK_VIEW_CODEC(ProgramView)
MEMBERDESK_VIEW_CODEC(CardView)
MEMBERDESK_VIEW_CODEC(ReminderView)
MEMBERDESK_VIEW_CODEC(NextReminderView)
#undef MEMBERDESK_VIEW_CODEC

// The JSON text of the two busiest GET answers, written straight into a string: byte for byte
// nlohmann::json(v).dump() without building the tree (docs/performance.md says what it saves).
// nullopt when a string is not valid UTF-8 (the tree's dump then decides how to replace it).
std::optional<std::string> dump_view(const MeView& v);
std::optional<std::string> dump_view(const LedgerPageView& v);
// The same text as dump_view of the page's views (build_ledger_entry_view of each entry), written
// from the entries themselves: no view strings in between.
std::optional<std::string> dump_ledger_page(const std::vector<LedgerEntry>& entries,
                                            const std::optional<std::string>& next_cursor);

}  // namespace memberdesk
