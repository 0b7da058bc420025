// memberdesk web client (portal; kiosk and staff console modes from the path). The browser glue lives in platform/;
// everything else (app/, screens/) is platform-neutral and unit-tested natively.
namespace memberdesk::client::web {
int web_main();
}

int main() { return memberdesk::client::web::web_main(); }
