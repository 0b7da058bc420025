// Member care in the staff console (managers; domain.md §8, docs/api.md "What staff do with
// members"): the member's history, messages, coupons and audit as the staff API answers them, the
// coupon templates staff may issue, what a role's care screen offers, and how adjustments and
// pages of lists are read. Pure: the server decides every right; nothing here grants one.
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

// GET /staff/members/{id}/messages: what was sent and whether it arrived (never its text).
struct StaffMessageView {
    std::int64_t id = 0;
    std::string template_id, channel, created_at;
    std::string status;  // delivered, sending, failed
    std::optional<std::string> delivered_at;
    bool read = false;
};
struct StaffMessageList {
    std::vector<StaffMessageView> messages;
    std::optional<std::string> next_cursor;
};

// GET /staff/members/{id}/coupons (codes only for roles that void coupons).
struct StaffCouponList {
    std::vector<CouponView> coupons;
};

// GET /staff/coupon-templates.
struct CouponTemplateView {
    std::string id, kind;
    Text title;
};
struct CouponTemplateList {
    std::vector<CouponTemplateView> templates;
};

// GET /staff/audit: one row, with what the console shows of its detail.
struct StaffAuditEntryView {
    std::int64_t id = 0;
    std::string at, action;
    std::string actor_kind, actor_id;
    std::optional<std::string> actor_username, actor_store;
    std::optional<std::int64_t> member_id;
    std::optional<std::string> store;
    std::optional<std::string> reason;  // detail.reason
    std::optional<Points> points;       // detail.points (adjustments)
};
struct StaffAuditPage {
    std::vector<StaffAuditEntryView> entries;
    std::optional<std::string> next_cursor;
};

// The answer to a care change: an adjustment ({member_id, entries, points}) or a coupon issued or
// voided (a CouponView).
struct StaffCareResult {
    std::optional<PointsView> points;
    std::optional<CouponView> coupon;
};

void from_json(const nlohmann::json& j, StaffMessageView& v);
void from_json(const nlohmann::json& j, StaffMessageList& v);
void from_json(const nlohmann::json& j, StaffCouponList& v);
void from_json(const nlohmann::json& j, CouponTemplateView& v);
void from_json(const nlohmann::json& j, CouponTemplateList& v);
void from_json(const nlohmann::json& j, StaffAuditEntryView& v);
void from_json(const nlohmann::json& j, StaffAuditPage& v);
void from_json(const nlohmann::json& j, StaffCareResult& v);

// What a role's care screen offers (docs/api.md's role table). Clerks and auditors have none.
struct CareRights {
    bool care = false;    // the screen at all: browse, find, history, messages, audit
    bool level3 = false;  // "Show full details" with a reason
    bool give = false, take = false;
    bool issue = false, void_coupons = false;
};
CareRights care_rights(std::string_view role);

// Points to add or take as typed: "20", "+20", "-50" (spaces around allowed); a non-zero whole
// number, |points| <= 1,000,000. nullopt otherwise.
std::optional<Points> parse_adjustment(std::string_view text);

// "Load more": the next page's rows after the ones shown, skipping any already there (a row that
// moved between pages). The caller takes the next page's cursor.
template <class Row>
void append_rows(std::vector<Row>& shown, const std::vector<Row>& next) {
    for (const auto& r : next) {
        bool dup = false;
        for (const auto& h : shown)
            if (h.id == r.id) {
                dup = true;
                break;
            }
        if (!dup) shown.push_back(r);
    }
}

// A coupon the care screen may offer to void: available (not used, expired or already void).
bool coupon_voidable(const CouponView& c);

}  // namespace memberdesk
