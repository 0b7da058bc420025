// Command line of memberdesk-server: flags and environment -> AppConfig + where to listen.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "memberdesk/common.hpp"

namespace memberdesk::server {

struct CliOptions {
    AppConfig app;
    std::string host = "127.0.0.1";
    int port = -1;  // 0 = any free port
    bool help = false;
    bool demo_keys = false;  // --demo filled in keys that were not given
};

// Fixed keys used by --demo when none are given (printed at start-up; never use in production).
inline constexpr const char* kDemoAdminKey = "demo-admin-key-not-secret";
inline constexpr const char* kDemoPosKey = "demo-pos-key-not-secret";
inline constexpr const char* kDemoKioskKey = "demo-kiosk-key-not-secret";
inline constexpr std::size_t kMinKeyLength = 16;

using GetEnv = std::function<const char*(const char*)>;

// args excludes argv[0]. Errors have code "usage" and a one-line message.
Result<CliOptions> parse_cli(const std::vector<std::string>& args, const GetEnv& getenv);

std::string usage_text();

}  // namespace memberdesk::server
