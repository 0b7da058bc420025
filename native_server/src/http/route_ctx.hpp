// What a route handler sees (shared by routes.cpp and the route files of each feature): the
// request, the answer, who is asking, and the table entry of a handler defined outside routes.cpp.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "service/service.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace memberdesk::server {

// Who may call a route. admin_or_hq: the admin key, or a staff token of an hq_admin.
enum class Auth { none, member, member_or_kiosk, kiosk_device, pos, admin, staff, admin_or_hq };

struct RouteCtx {
    const httplib::Request& req;
    httplib::Response& res;
    std::string param;                    // the {id} / {code} path segment
    std::optional<Principal> principal;   // member and kiosk bearer sessions
    std::optional<StaffPrincipal> staff;  // staff bearer sessions
    std::string token;
    Actor actor;
    int metric = -1;
};

struct ExtRoute {
    const char* method;
    std::string pattern;
    Auth auth;
    std::function<void(RouteCtx&)> fn;
};

// A service's Reply as the HTTP answer: 204 for empty, else 201/200 with its stored text when it was
// serialised already (idempotency), or its body (http_util.cpp).
void send_reply(httplib::Response& res, const Reply& r);

// Stores, POS keys and staff routes (http/staff_routes.cpp).
std::vector<ExtRoute> staff_routes(Service& svc);

}  // namespace memberdesk::server
