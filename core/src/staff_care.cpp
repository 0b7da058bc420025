#include "memberdesk/staff_care.hpp"

#include <cctype>
#include <stdexcept>

#include "lenient_json.hpp"
#include "memberdesk/staff_console.hpp"

namespace memberdesk {

using nlohmann::json;

using lenient::number_or;
using lenient::opt_number;
using lenient::opt_string;
using lenient::string_or_empty;
using lenient::sub_object;

void from_json(const json& j, StaffMessageView& v) {
    v.id = j.at("id").get<std::int64_t>();
    v.template_id = string_or_empty(j, "template");
    v.channel = string_or_empty(j, "channel");
    v.created_at = string_or_empty(j, "created_at");
    v.status = string_or_empty(j, "status");
    v.delivered_at = opt_string(j, "delivered_at");
    auto it = j.find("read");
    v.read = it != j.end() && it->is_boolean() && it->get<bool>();
}

void from_json(const json& j, StaffMessageList& v) {
    v.messages = j.at("messages").get<std::vector<StaffMessageView>>();
    v.next_cursor = opt_string(j, "next_cursor");
}

void from_json(const json& j, StaffCouponList& v) { v.coupons = j.at("coupons").get<std::vector<CouponView>>(); }

void from_json(const json& j, CouponTemplateView& v) {
    v.id = j.at("id").get<std::string>();
    v.kind = string_or_empty(j, "kind");
    if (auto it = j.find("title"); it != j.end() && it->is_object()) v.title = it->get<Text>();
}

void from_json(const json& j, CouponTemplateList& v) {
    v.templates = j.at("templates").get<std::vector<CouponTemplateView>>();
}

void from_json(const json& j, StaffAuditEntryView& v) {
    v.id = j.at("id").get<std::int64_t>();
    v.at = string_or_empty(j, "at");
    v.action = string_or_empty(j, "action");
    const json& actor = sub_object(j, "actor");
    v.actor_kind = string_or_empty(actor, "kind");
    v.actor_id = string_or_empty(actor, "id");
    v.actor_username = opt_string(actor, "username");
    v.actor_store = opt_string(actor, "store");
    v.member_id = opt_number<std::int64_t>(j, "member_id");
    v.store = opt_string(j, "store");
    const json& detail = sub_object(j, "detail");
    v.reason = opt_string(detail, "reason");
    if (auto it = detail.find("points"); it != detail.end() && it->is_number_integer()) v.points = it->get<Points>();
}

void from_json(const json& j, StaffAuditPage& v) {
    v.entries = j.at("entries").get<std::vector<StaffAuditEntryView>>();
    v.next_cursor = opt_string(j, "next_cursor");
}

void from_json(const json& j, StaffCareResult& v) {
    if (auto it = j.find("points"); it != j.end() && it->is_object()) v.points = it->get<PointsView>();
    if (j.contains("code") || j.contains("state")) v.coupon = j.get<CouponView>();
    if (!v.points && !v.coupon) throw std::runtime_error("neither points nor a coupon in the answer");
}

CareRights care_rights(std::string_view role) {
    CareRights r;
    if (role == "store_manager") {
        r = {true, false, true, true, true, true};
    } else if (role == "region_manager" || role == "hq_admin") {
        r = {true, true, true, true, true, true};
    }
    return r;
}

std::optional<Points> parse_adjustment(std::string_view text) {
    std::string_view t = text;
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    const bool negative = !t.empty() && t.front() == '-';
    if (!t.empty() && (t.front() == '+' || t.front() == '-')) t.remove_prefix(1);
    const auto p = parse_goodwill(t);
    if (!p) return std::nullopt;
    return negative ? -*p : *p;
}

bool coupon_voidable(const CouponView& c) { return c.state == "available" && !c.code.empty(); }

}  // namespace memberdesk
