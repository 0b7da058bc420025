#include "http/security_headers.hpp"

namespace memberdesk::server {

namespace {

std::string build(bool https, bool api_without_cache_control) {
    std::string s = "Content-Security-Policy: ";
    s += kContentSecurityPolicy;
    s += "\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nX-Frame-Options: DENY\r\n";
    if (https) s += "Strict-Transport-Security: max-age=31536000\r\n";
    if (api_without_cache_control) s += "Cache-Control: no-store\r\n";
    return s;
}

}  // namespace

const std::string& security_header_lines(bool https, bool api_without_cache_control) {
    static const std::string variants[4] = {build(false, false), build(false, true), build(true, false),
                                            build(true, true)};
    return variants[(https ? 2 : 0) + (api_without_cache_control ? 1 : 0)];
}

}  // namespace memberdesk::server
