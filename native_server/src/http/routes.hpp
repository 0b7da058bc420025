// HTTP routes of the API (docs/api.md): authentication and scopes, request validation, mapping
// to Service calls and Service errors to statuses, plus /healthz, /metrics and static files.
// Routing is our own (a table of patterns), so 404 vs 405 and the metrics' route labels are exact.
#pragma once
#include <memory>
#include <string>

#include "service/service.hpp"

namespace httplib {
class Server;
}

namespace memberdesk::server {

class StaticFiles;

struct ApiKeys {
    std::string admin, pos, kiosk;
};

struct ApiOptions {
    ApiKeys keys;
    TestClock* test_clock = nullptr;            // non-null: PUT /api/v1/admin/clock is enabled
    const StaticFiles* static_files = nullptr;  // null: no static serving
    int login_window_seconds = 15 * 60;         // Retry-After on 429 too_many_attempts
    bool https = false;                         // links the API hands out (referral) use https://
};

class Api {
public:
    Api(Service& service, ApiOptions options);
    ~Api();

    // Registers handlers, error/exception handlers, the pre-routing dispatcher and the metrics logger.
    void install(httplib::Server& server);

    std::string metrics_text() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace memberdesk::server
