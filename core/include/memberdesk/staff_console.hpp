// The staff console's view models (domain.md §8, docs/api.md "Stores and staff"): what the staff
// API answers, decoded for the console (wasm/src/staff/), and the counter's pure rules -- what a
// scanned code is, how an order amount and a goodwill grant are read from what staff typed. Who
// may do what is decided by the server; nothing here grants or refuses a right.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "memberdesk/common.hpp"
#include "memberdesk/views.hpp"

namespace memberdesk {

// GET /staff/me: who is signed in, and where they act.
struct StaffSessionView {
    std::int64_t id = 0;
    std::string username, name, role;  // role: clerk, store_manager, region_manager, hq_admin, auditor
    std::optional<std::string> store, region;
    std::string expires_at;
};

// One row of GET /staff/members (name and phone masked by the server).
struct StaffMemberBrief {
    std::int64_t id = 0;
    std::string name, phone, tier;
};
struct StaffMemberList {
    std::vector<StaffMemberBrief> members;
    std::optional<std::string> next_cursor;
};

// The member's tier as the staff view gives it.
struct StaffTierView {
    std::string id;
    Text name;
    std::optional<std::string> valid_until;
    int percent = 0;
};

// GET /staff/members/{id}: level 1 = points, tier, coupons, purchases; level 2 adds the masked name
// and phone and the segment; level 3 the full name, phone and birthday.
struct StaffMemberView {
    std::int64_t id = 0;
    int level = 1;
    std::string joined_at;
    std::optional<std::string> joined_store;
    PointsView points;
    StaffTierView tier;
    CouponCountsView coupons;
    std::int64_t purchases = 0;
    std::optional<std::string> name, phone, segment, birthday;
};

// POST /staff/coupons/redeem: the discount the order gets.
struct StaffRedeemView {
    std::string code, txn_id, kind;
    Cents order_amount = 0, discount = 0, pay_amount = 0;
    Text title;
    std::optional<Text> item;  // a free-item coupon: what to hand over
    std::int64_t member_id = 0;
};

// POST /staff/members/{id}/adjustments: the member's points after the grant.
struct StaffAdjustView {
    std::int64_t member_id = 0;
    PointsView points;
};

void from_json(const nlohmann::json& j, StaffSessionView& v);
void from_json(const nlohmann::json& j, StaffMemberBrief& v);
void from_json(const nlohmann::json& j, StaffMemberList& v);
void from_json(const nlohmann::json& j, StaffTierView& v);
void from_json(const nlohmann::json& j, StaffMemberView& v);
void from_json(const nlohmann::json& j, StaffRedeemView& v);
void from_json(const nlohmann::json& j, StaffAdjustView& v);

// What a scanned (or typed) code names: a member's card (the portal's "M…" code or an offline
// card code "T<member>-<device>-<otp>") or a coupon; `none` for what can be neither.
enum class ScanKind { none, member, coupon };
ScanKind classify_scan(std::string_view code);

// An amount in yuan as staff type it ("150", "150.5", "1,280.00", "¥88") in fen; nullopt for
// anything else (negative, more than two decimals, over ¥1,000,000).
std::optional<Cents> parse_yuan(std::string_view text);

// Goodwill points as typed: a whole number 1..1,000,000 (the server decides the role's limit).
std::optional<Points> parse_goodwill(std::string_view text);

// A reason as the server takes it: 1..200 characters, not only spaces, no control characters.
bool valid_staff_reason(std::string_view reason);

// Only digits of a phone number typed at the counter ("138 0000 0001" -> "13800000001").
std::string phone_digits(std::string_view text);

}  // namespace memberdesk
