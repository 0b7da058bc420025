// The store kiosk (`/kiosk`, web/kiosk.html): memberdesk_kiosk.js/.wasm, with the scanner's glue
// (kiosk/kiosk_web.cpp) linked in.
#include "kiosk/kiosk_mode.hpp"
#include "platform/web.hpp"
#include "shell/shell.hpp"

int main() {
    using namespace memberdesk::client;
    return web::web_main(AppMode::kiosk, [](Shell& shell, web::WebHttp&) { shell.run<kiosk::KioskMode>(); });
}
