// The headers every answer of memberdesk-server carries (added by the connection front, so answers
// the front makes itself -- 408, 413, redirects -- have them too).
#pragma once
#include <string>
#include <string_view>

namespace memberdesk::server {

// The portal and kiosk need: scripts from the same origin and WebAssembly compilation
// ('wasm-unsafe-eval'), no inline script; styles from style.css; fetch() to the same origin; the
// fonts and the wasm fetched from the same origin; the empty data: icon.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

// The header lines ("Name: value\r\n"...) to append to an answer's head. `https`: add HSTS.
// `api_without_cache_control`: an /api/ answer that did not say how to cache -> no-store.
const std::string& security_header_lines(bool https, bool api_without_cache_control);

}  // namespace memberdesk::server
