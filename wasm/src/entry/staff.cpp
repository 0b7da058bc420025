// The staff console (`/staff`, web/staff.html): memberdesk_staff.js/.wasm, with the scanner's glue
// (staff/staff_web.cpp) linked in.
#include "platform/web.hpp"
#include "shell/shell.hpp"
#include "staff/staff_mode.hpp"

int main() {
    using namespace memberdesk::client;
    return web::web_main(AppMode::staff, [](Shell& shell, web::WebHttp& http) { shell.run<staff::StaffMode>(http); });
}
