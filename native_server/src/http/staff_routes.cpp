// Routes of stores, POS keys and staff (domain.md §8, docs/api.md "Staff"): request validation and
// the mapping to Service calls. Scope and data levels are decided by the service, not here.
#include <httplib.h>

#include "http/http_util.hpp"
#include "http/route_ctx.hpp"
#include "memberdesk/ledger.hpp"
#include "memberdesk/views.hpp"

namespace memberdesk::server {

using nlohmann::json;
using namespace http;

namespace {

template <class T>
T& ok(Result<T>& r) {
    if (!r) fail(r.error().code, r.error().message);
    return r.value();
}

void send_reply(RouteCtx& c, const Reply& r) { server::send_reply(c.res, r); }

std::int64_t path_id(const RouteCtx& c) {
    auto v = parse_int64(c.param);
    if (!v || *v <= 0) fail(ErrorCode::not_found, "no route for " + c.req.method + " " + c.req.path);
    return *v;
}

std::optional<std::string> opt_nonempty(const json& b, const char* field, std::size_t max_len) {
    return opt_string(b, field, 1, max_len);
}

// One CSV field (RFC 4180): quoted when it has a comma, quote or line break; a leading = + - @ is
// prefixed with ' so a spreadsheet does not run it as a formula.
std::string csv_field(const std::string& v) {
    std::string f = v;
    if (!f.empty() && (f[0] == '=' || f[0] == '+' || f[0] == '-' || f[0] == '@')) f = "'" + f;
    if (f.find_first_of(",\"\r\n") == std::string::npos) return f;
    std::string out = "\"";
    for (char ch : f) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
}

std::string at_risk_csv(const json& j) {
    std::string out = "id,name,phone,status,last_visit,days_since_visit,visits,net_spend,last_reach,last_reach_at\r\n";
    for (const auto& m : j["members"]) {
        const json& reach = m["reach"];
        const std::string kind = reach.empty() ? "" : reach.back()["kind"].get<std::string>();
        const std::string at = reach.empty() ? "" : reach.back()["at"].get<std::string>();
        out += std::to_string(m["id"].get<std::int64_t>()) + "," + csv_field(m["name"].get<std::string>()) + "," +
               csv_field(m["phone"].get<std::string>()) + "," + m["status"].get<std::string>() + "," +
               m["last_visit"].get<std::string>() + "," + std::to_string(m["days_since_visit"].get<std::int64_t>()) +
               "," + std::to_string(m["visits"].get<std::int64_t>()) + "," +
               std::to_string(m["net_spend"].get<std::int64_t>()) + "," + kind + "," + at + "\r\n";
    }
    return out;
}

}  // namespace

std::vector<ExtRoute> staff_routes(Service& svc) {
    std::vector<ExtRoute> r;
    Service* s = &svc;

    // ---- stores, regions, POS keys (admin key or hq_admin)
    r.push_back({"POST", "/api/v1/admin/regions", Auth::admin_or_hq, [s](RouteCtx& c) {
                     auto b = parse_object(c.req.body);
                     auto res = s->create_region(c.actor, req_string(b, "id", 1, 64), req_string(b, "name", 1, 200));
                     send_reply(c, ok(res));
                 }});
    r.push_back({"POST", "/api/v1/admin/stores", Auth::admin_or_hq, [s](RouteCtx& c) {
                     auto b = parse_object(c.req.body);
                     auto res = s->create_store(c.actor, req_string(b, "id", 1, 64), req_string(b, "name", 1, 200),
                                                req_string(b, "region", 1, 64));
                     send_reply(c, ok(res));
                 }});
    r.push_back({"GET", "/api/v1/admin/stores", Auth::admin_or_hq, [s](RouteCtx& c) {
                     auto res = s->list_stores();
                     send_json(c.res, 200, ok(res));
                 }});
    r.push_back({"POST", "/api/v1/admin/stores/{id}/pos-keys", Auth::admin_or_hq, [s](RouteCtx& c) {
                     if (c.param.size() > 64) fail(ErrorCode::unknown_store, "no store with this id");
                     auto res = s->issue_pos_key(c.actor, c.param);
                     send_reply(c, ok(res));
                 }});
    r.push_back({"DELETE", "/api/v1/admin/pos-keys/{key_id}", Auth::admin_or_hq, [s](RouteCtx& c) {
                     if (c.param.size() > 64) fail(ErrorCode::pos_key_not_found, "no active POS key with this id");
                     auto res = s->revoke_pos_key(c.actor, c.param);
                     send_reply(c, ok(res));
                 }});

    // ---- staff accounts (admin key or hq_admin)
    r.push_back({"POST", "/api/v1/admin/staff", Auth::admin_or_hq, [s](RouteCtx& c) {
                     auto b = parse_object(c.req.body);
                     NewStaff n;
                     n.username = req_string(b, "username", 1, 64);
                     n.password = req_string(b, "password", 1, 256);
                     n.name = req_string(b, "name", 1, 200);
                     n.role = req_string(b, "role", 1, 32);
                     n.store = opt_nonempty(b, "store", 64).value_or("");
                     n.region = opt_nonempty(b, "region", 64).value_or("");
                     auto res = s->create_staff(c.actor, n);
                     send_reply(c, ok(res));
                 }});
    r.push_back({"GET", "/api/v1/admin/staff", Auth::admin_or_hq, [s](RouteCtx& c) {
                     auto res = s->list_staff();
                     send_json(c.res, 200, ok(res));
                 }});
    r.push_back({"PATCH", "/api/v1/admin/staff/{id}", Auth::admin_or_hq, [s](RouteCtx& c) {
                     auto id = path_id(c);
                     auto b = parse_object(c.req.body);
                     StaffPatch p;
                     p.name = opt_nonempty(b, "name", 200);
                     p.password = opt_nonempty(b, "password", 256);
                     p.role = opt_nonempty(b, "role", 32);
                     p.store = opt_nonempty(b, "store", 64);
                     p.region = opt_nonempty(b, "region", 64);
                     if (has_field(b, "disabled")) {
                         if (!b["disabled"].is_boolean()) bad_field("disabled", "must be true or false");
                         p.disabled = b["disabled"].get<bool>();
                     }
                     auto res = s->update_staff(c.actor, id, p);
                     send_reply(c, ok(res));
                 }});

    // ---- staff sessions
    r.push_back({"POST", "/api/v1/staff/login", Auth::none, [s](RouteCtx& c) {
                     auto b = parse_object(c.req.body);
                     auto res = s->staff_login(req_string(b, "username", 1, 64), req_string(b, "password", 1, 256));
                     auto& ss = ok(res);
                     send_json(c.res, 200,
                               {{"token", ss.token}, {"expires_at", format_rfc3339(ss.expires_at)}, {"role", ss.role}});
                 }});
    r.push_back({"POST", "/api/v1/staff/logout", Auth::staff, [s](RouteCtx& c) {
                     s->staff_logout(c.token);
                     c.res.status = 204;
                 }});
    r.push_back({"GET", "/api/v1/staff/me", Auth::staff, [](RouteCtx& c) {
                     const StaffPrincipal& p = *c.staff;
                     send_json(c.res, 200,
                               {{"id", p.staff_id},
                                {"username", p.username},
                                {"name", p.name},
                                {"role", p.role},
                                {"store", p.store.empty() ? json(nullptr) : json(p.store)},
                                {"region", p.region.empty() ? json(nullptr) : json(p.region)},
                                {"expires_at", format_rfc3339(p.expires_at)}});
                 }});
    r.push_back({"POST", "/api/v1/staff/password", Auth::staff, [s](RouteCtx& c) {
                     auto b = parse_object(c.req.body);
                     auto res = s->change_password(*c.staff, req_string(b, "old_password", 1, 256),
                                                   req_string(b, "new_password", 1, 256));
                     send_reply(c, ok(res));
                 }});

    // ---- members within the staff member's scope and level (decided by the service)
    r.push_back({"GET", "/api/v1/staff/members", Auth::staff, [s](RouteCtx& c) {
                     StaffMemberQuery q;
                     if (auto v = query(c.req, "phone")) {
                         if (v->empty() || v->size() > 32) bad_field("phone", "must be 1..32 characters");
                         q.phone = *v;
                     }
                     if (auto v = query(c.req, "code")) {
                         if (v->empty() || v->size() > 128) bad_field("code", "must be a member code");
                         q.code = *v;
                     }
                     if (auto v = query(c.req, "cursor")) {
                         if (!parse_int64(*v)) bad_field("cursor", "must be a next_cursor value");
                         q.cursor = *v;
                     }
                     q.limit = query_limit(c.req, 20);
                     auto res = s->staff_members(*c.staff, q);
                     send_json(c.res, 200, ok(res));
                 }});
    r.push_back({"GET", "/api/v1/staff/members/{id}", Auth::staff, [s](RouteCtx& c) {
                     auto id = path_id(c);
                     int level = 0;
                     if (auto v = query(c.req, "level")) {
                         auto n = parse_int64(*v);
                         if (!n || *n < 1 || *n > 3) bad_field("level", "must be 1, 2 or 3");
                         level = static_cast<int>(*n);
                     }
                     auto reason = query(c.req, "reason").value_or("");
                     if (reason.size() > 600) bad_field("reason", "at most 200 characters");
                     auto res = s->staff_member(*c.staff, id, level, reason);
                     send_json(c.res, 200, ok(res));
                 }});
    r.push_back({"GET", "/api/v1/staff/members/{id}/reach", Auth::staff, [s](RouteCtx& c) {
                     auto res = s->staff_member_reach(*c.staff, path_id(c));
                     send_json(c.res, 200, ok(res));
                 }});
    r.push_back({"GET", "/api/v1/staff/members/{id}/ledger", Auth::staff, [s](RouteCtx& c) {
                     auto id = path_id(c);
                     LedgerQuery q;
                     if (auto t = query(c.req, "type")) {
                         if (!entry_type_from_string(*t))
                             bad_field("type",
                                       "must be one of earn, bonus, redeem, expire, clawback, adjust, debt_settle");
                         q.type = *t;
                     }
                     q.limit = query_limit(c.req, 20);
                     if (auto v = query(c.req, "cursor")) {
                         if (v->empty() || v->size() > 512) bad_field("cursor", "must be a next_cursor value");
                         q.cursor = *v;
                     }
                     auto res = s->staff_member_ledger(*c.staff, id, q);
                     send_json(c.res, 200, json(ok(res)));
                 }});
    r.push_back({"GET", "/api/v1/staff/members/{id}/messages", Auth::staff, [s](RouteCtx& c) {
                     auto id = path_id(c);
                     auto cursor = query(c.req, "cursor");
                     if (cursor && (cursor->empty() || cursor->size() > 32))
                         bad_field("cursor", "must be a next_cursor value");
                     auto res = s->staff_member_messages(*c.staff, id, cursor, query_limit(c.req, 20));
                     send_json(c.res, 200, ok(res));
                 }});
    r.push_back({"GET", "/api/v1/staff/members/{id}/coupons", Auth::staff, [s](RouteCtx& c) {
                     auto res = s->staff_member_coupons(*c.staff, path_id(c));
                     send_json(c.res, 200, ok(res));
                 }});
    r.push_back({"GET", "/api/v1/staff/coupon-templates", Auth::staff, [s](RouteCtx& c) {
                     auto res = s->staff_coupon_templates(*c.staff);
                     send_json(c.res, 200, ok(res));
                 }});
    r.push_back({"POST", "/api/v1/staff/members/{id}/adjustments", Auth::staff, [s](RouteCtx& c) {
                     auto id = path_id(c);
                     auto b = parse_object(c.req.body);
                     auto points = req_int(b, "points", -1000000, 1000000);
                     if (points == 0) bad_field("points", "must be a non-zero integer, -1000000..1000000");
                     auto res = s->staff_adjust(*c.staff, id, points, req_string(b, "reason", 1, 200));
                     send_reply(c, ok(res));
                 }});
    r.push_back({"POST", "/api/v1/staff/members/{id}/coupons", Auth::staff, [s](RouteCtx& c) {
                     auto id = path_id(c);
                     auto b = parse_object(c.req.body);
                     auto res = s->staff_issue_coupon(*c.staff, id, req_string(b, "template", 1, 64),
                                                      req_string(b, "reason", 1, 200));
                     send_reply(c, ok(res));
                 }});
    r.push_back({"POST", "/api/v1/staff/coupons/{code}/void", Auth::staff, [s](RouteCtx& c) {
                     if (c.param.size() > 32) fail(ErrorCode::coupon_not_found, "no coupon with this code");
                     auto b = parse_object(c.req.body);
                     auto res = s->staff_void_coupon(*c.staff, c.param, req_string(b, "reason", 1, 200));
                     send_reply(c, ok(res));
                 }});
    r.push_back({"POST", "/api/v1/staff/coupons/redeem", Auth::staff, [s](RouteCtx& c) {
                     auto b = parse_object(c.req.body);
                     CouponRedeemRequest cr;
                     cr.code = req_string(b, "code", 1, 32);
                     cr.order_amount = req_amount(b, "order_amount");
                     cr.txn_id = req_string(b, "txn_id", 1, 128);
                     cr.store = opt_nonempty(b, "store", 64).value_or("");
                     auto res = s->staff_redeem_coupon(*c.staff, cr);
                     send_reply(c, ok(res));
                 }});
    r.push_back({"GET", "/api/v1/staff/reports", Auth::staff, [s](RouteCtx& c) {
                     StaffReportQuery q;
                     auto date = [&](const char* name) {
                         auto v = query(c.req, name);
                         if (!v) bad_field(name, "required: a local date YYYY-MM-DD");
                         auto d = v->size() == 10 ? parse_date(*v) : Result<CivilDate>(Error{});
                         if (!d) fail(ErrorCode::invalid_date, std::string(name) + ": expected a date as YYYY-MM-DD");
                         return *d;
                     };
                     q.from = date("from");
                     q.to = date("to");
                     auto id = [&](const char* name) -> std::optional<std::string> {
                         auto v = query(c.req, name);
                         if (v && (v->empty() || v->size() > 64)) bad_field(name, "must be 1..64 characters");
                         return v;
                     };
                     q.store = id("store");
                     q.region = id("region");
                     if (auto v = query(c.req, "group")) {
                         if (*v != "week" && *v != "month") bad_field("group", "must be week or month");
                         q.group = *v;
                     }
                     auto res = s->staff_report(*c.staff, q);
                     send_json(c.res, 200, ok(res));
                 }});
    r.push_back({"GET", "/api/v1/staff/at-risk", Auth::staff, [s](RouteCtx& c) {
                     StaffAtRiskQuery q;
                     q.limit = query_limit(c.req, 50);
                     if (auto v = query(c.req, "level")) {
                         if (*v != "2" && *v != "3") bad_field("level", "must be 2 or 3");
                         q.level = *v == "3" ? 3 : 2;
                     }
                     q.reason = query(c.req, "reason").value_or("");
                     const auto format = query(c.req, "format").value_or("json");
                     if (format != "json" && format != "csv") bad_field("format", "must be json or csv");
                     auto res = s->staff_at_risk(*c.staff, q);
                     const json& j = ok(res);
                     if (format == "json") return send_json(c.res, 200, j);
                     c.res.status = 200;
                     c.res.set_header("Content-Disposition",
                                      "attachment; filename=\"at-risk-" + j["as_of"].get<std::string>() + ".csv\"");
                     c.res.set_content(at_risk_csv(j), "text/csv; charset=utf-8");
                 }});
    r.push_back({"GET", "/api/v1/staff/audit", Auth::staff, [s](RouteCtx& c) {
                     StaffAuditQuery q;
                     auto pos_int = [&](const char* name) -> std::optional<std::int64_t> {
                         auto v = query(c.req, name);
                         if (!v) return std::nullopt;
                         auto n = parse_int64(*v);
                         if (!n || *n <= 0) bad_field(name, "must be a positive integer");
                         return n;
                     };
                     auto text = [&](const char* name) -> std::optional<std::string> {
                         auto v = query(c.req, name);
                         if (v && (v->empty() || v->size() > 64)) bad_field(name, "must be 1..64 characters");
                         return v;
                     };
                     auto time = [&](const char* name) -> std::optional<UnixSeconds> {
                         auto v = query(c.req, name);
                         if (!v) return std::nullopt;
                         auto t = parse_rfc3339(*v);
                         if (!t) bad_field(name, "must be an RFC 3339 time");
                         return *t;
                     };
                     q.member_id = pos_int("member");
                     q.staff_id = pos_int("staff");
                     q.store = text("store");
                     q.action = text("action");
                     q.from = time("from");
                     q.to = time("to");
                     if (auto v = pos_int("cursor")) q.cursor = std::to_string(*v);
                     q.limit = query_limit(c.req, 50);
                     auto res = s->staff_audit(*c.staff, q);
                     send_json(c.res, 200, ok(res));
                 }});
    return r;
}

}  // namespace memberdesk::server
