// Staff console web glue (emscripten only): web/staff_setup.js listens for a scanner's keystrokes
// anywhere on the page (outside text fields) and hands each finished code (typed + Enter) to
// md_staff_scan(); StaffMode::update() picks it up on the next frame.
#ifdef __EMSCRIPTEN__
#include <emscripten.h>

#include <string>

#include "staff/staff_mode.hpp"

extern "C" EMSCRIPTEN_KEEPALIVE void md_staff_scan(const char* code) {
    if (code && *code) memberdesk::client::staff::post_scan(std::string(code));
}
#endif
