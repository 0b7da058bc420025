// The member portal (`/`, web/index.html): memberdesk_portal.js/.wasm. Only the portal's mode is
// named here, so its wasm carries none of the kiosk's or the staff console's code.
#include "app/portal_mode.hpp"
#include "platform/web.hpp"
#include "shell/shell.hpp"

int main() {
    using namespace memberdesk::client;
    return web::web_main(AppMode::portal, [](Shell& shell, web::WebHttp&) { shell.run<PortalMode>(); });
}
