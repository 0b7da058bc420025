// Kiosk web glue (emscripten only): web/kiosk.html listens for a scanner's keystrokes anywhere on
// the page (whatever has focus) and hands each finished code (typed + Enter) to md_kiosk_scan();
// KioskApp::update() picks it up on the next frame.
#ifdef __EMSCRIPTEN__
#include <emscripten.h>

#include <string>

#include "kiosk/kiosk_state.hpp"

extern "C" EMSCRIPTEN_KEEPALIVE void md_kiosk_scan(const char* code) {
    if (code && *code) memberdesk::client::kiosk::post_scan(std::string(code));
}
#endif
