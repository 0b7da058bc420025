// libFuzzer: the JSON request decoding of every API route, end to end through the real server
// (App: routes, auth, validation, Service, SQLite in memory) on a loopback port in this process.
// Input: byte 0 picks the route (and its credential), byte 1 picks query-string / header variants,
// the rest is the request body (or query string for GET routes).
// Properties: never a crash/UB/leak in the server (sanitizers); never a 500; the connection never
// breaks; every 4xx is JSON {"error":{"code","message"}} with non-empty strings; every 2xx body on
// /api/ is valid JSON (except 204).
#include <httplib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "app/app.hpp"

using namespace memberdesk::server;

namespace {

struct Route {
    const char* method;
    const char* path;  // "{id}" -> a demo member id, "{code}" -> a coupon code placeholder
    enum Cred { none, member, pos, admin, kiosk } cred;
    bool body_is_query;  // GET: the fuzz bytes become the query string
};

const Route kRoutes[] = {
    {"POST", "/api/v1/auth/login", Route::none, false},
    {"POST", "/api/v1/auth/logout", Route::member, false},
    {"POST", "/api/v1/kiosk/login", Route::kiosk, false},
    {"GET", "/api/v1/program", Route::none, true},
    {"GET", "/api/v1/me", Route::member, true},
    {"GET", "/api/v1/me/ledger", Route::member, true},
    {"GET", "/api/v1/me/coupons", Route::member, true},
    {"GET", "/api/v1/rewards", Route::member, true},
    {"POST", "/api/v1/me/redemptions", Route::member, false},
    {"GET", "/api/v1/me/redemptions", Route::member, true},
    {"GET", "/api/v1/me/card", Route::member, true},
    {"POST", "/api/v1/me/feedback", Route::member, false},
    {"GET", "/api/v1/me/export", Route::member, true},
    {"POST", "/api/v1/pos/purchases", Route::pos, false},
    {"POST", "/api/v1/pos/refunds", Route::pos, false},
    {"POST", "/api/v1/pos/coupons/redeem", Route::pos, false},
    {"POST", "/api/v1/admin/members", Route::admin, false},
    {"GET", "/api/v1/admin/members", Route::admin, true},
    {"GET", "/api/v1/admin/members/{id}", Route::admin, true},
    {"PATCH", "/api/v1/admin/members/{id}", Route::admin, false},
    {"POST", "/api/v1/admin/members/{id}/adjust", Route::admin, false},
    {"POST", "/api/v1/admin/members/{id}/coupons", Route::admin, false},
    {"POST", "/api/v1/admin/coupons/{code}/void", Route::admin, false},
    {"GET", "/api/v1/admin/audit", Route::admin, true},
    {"PUT", "/api/v1/admin/clock", Route::admin, false},
};
constexpr std::size_t kRouteCount = sizeof(kRoutes) / sizeof(kRoutes[0]);

const char* kAdminKey = "fuzz-admin-key-0123456789";
const char* kPosKey = "fuzz-pos-key-0123456789ab";
const char* kKioskKey = "fuzz-kiosk-key-0123456789";

struct Harness {
    std::unique_ptr<App> app;
    std::thread listener;
    int port = 0;
    std::unique_ptr<httplib::Client> client;
    std::string token;
    std::string phone = "13800000001";
    int fresh_members = 0;
    std::string last_login;
    static constexpr const char* kPin = "123456";

    Harness() {
        AppConfig c;
        c.db_path = ":memory:";
        c.program = "coffee";
        c.demo = true;
        c.test_clock = true;
        c.admin_key = kAdminKey;
        c.pos_key = kPosKey;
        c.kiosk_key = kKioskKey;
        c.threads = 2;
        auto a = App::create(c);
        if (!a) {
            std::fprintf(stderr, "fuzz_routes: App::create: %s\n", a.error().message.c_str());
            std::abort();
        }
        app = std::move(a.value());
        port = app->bind_to_any_port("127.0.0.1");
        if (port <= 0) std::abort();
        listener = std::thread([this] { app->listen_after_bind(); });
        client = std::make_unique<httplib::Client>("127.0.0.1", port);
        client->set_keep_alive(true);
        client->set_read_timeout(10, 0);
        for (int i = 0; i < 200 && !app->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        login();
    }
    // Signs in as the demo member; when the fuzzer has locked them out (wrong PINs) or changed their
    // phone or PIN through the admin routes, carries on as a new member it cannot name.
    void login() {
        if (try_login(phone, kPin)) return;
        for (int attempt = 0; attempt < 20; ++attempt) {
            char fresh[16];
            std::snprintf(fresh, sizeof fresh, "1370000%04d", ++fresh_members % 10000);
            nlohmann::json member = {{"phone", fresh}, {"pin", kPin}, {"name", "Fuzz"}};
            auto r =
                client->Post("/api/v1/admin/members", {{"X-Api-Key", kAdminKey}}, member.dump(), "application/json");
            if (r && r->status == 201 && try_login(fresh, kPin)) {
                phone = fresh;
                return;
            }
        }
        std::fprintf(stderr, "fuzz_routes: no member could sign in (last: %s)\n", last_login.c_str());
        std::abort();
    }
    bool try_login(const std::string& ph, const char* pin) {
        nlohmann::json body = {{"phone", ph}, {"pin", pin}};
        auto r = client->Post("/api/v1/auth/login", body.dump(), "application/json");
        if (!r || r->status != 200) {
            last_login = ph + ": " + (r ? std::to_string(r->status) + " " + r->body : httplib::to_string(r.error()));
            return false;
        }
        token = nlohmann::json::parse(r->body).at("token").get<std::string>();
        return true;
    }
};

Harness& harness() {
    static Harness* h = new Harness();  // never destroyed: the listener thread lives for the process
    return *h;
}

[[noreturn]] void fail(const Route& r, const std::string& target, const std::string& body, const std::string& why) {
    std::fprintf(stderr, "fuzz_routes: %s %s: %s\nrequest body (%zu bytes): %s\n", r.method, target.c_str(),
                 why.c_str(), body.size(), body.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    harness();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    Harness& h = harness();
    const Route& route = kRoutes[data[0] % kRouteCount];
    const std::uint8_t variant = data[1];
    std::string body(reinterpret_cast<const char*>(data + 2), size - 2);

    std::string path = route.path;
    if (auto at = path.find("{id}"); at != std::string::npos) path.replace(at, 4, std::to_string(1 + variant % 5));
    if (auto at = path.find("{code}"); at != std::string::npos) path.replace(at, 6, "C7K2M9QX");
    std::string target = path;
    if (route.body_is_query) {
        target += "?" + httplib::detail::encode_query_param(body);
        // Also try the bytes as a raw (already encoded) query string: exercises the server's decoding.
        if (variant & 1) target = path + "?" + body;
        for (char ch : target)  // a request line cannot hold these; httplib would refuse to send it
            if (ch == '\r' || ch == '\n' || ch == ' ' || ch == '\0' || ch == '#') return 0;
    }

    httplib::Headers headers;
    switch (route.cred) {
        case Route::member: headers.emplace("Authorization", "Bearer " + h.token); break;
        case Route::pos: headers.emplace("X-Api-Key", kPosKey); break;
        case Route::admin: headers.emplace("X-Api-Key", kAdminKey); break;
        case Route::kiosk: headers.emplace("X-Kiosk-Key", kKioskKey); break;
        case Route::none: break;
    }
    if (variant & 2) headers.emplace("Idempotency-Key", "fuzz-" + std::to_string(variant));

    std::string m = route.method;
    httplib::Result res = m == "GET"     ? h.client->Get(target, headers)
                          : m == "POST"  ? h.client->Post(target, headers, body, "application/json")
                          : m == "PUT"   ? h.client->Put(target, headers, body, "application/json")
                          : m == "PATCH" ? h.client->Patch(target, headers, body, "application/json")
                                         : h.client->Delete(target, headers, body, "application/json");
    if (!res) fail(route, target, body, "no answer (" + httplib::to_string(res.error()) + ")");
    const int st = res->status;
    if (st >= 500) fail(route, target, body, "status " + std::to_string(st) + ": " + res->body);
    if (st >= 400) {
        auto j = nlohmann::json::parse(res->body, nullptr, false);
        const nlohmann::json* e = (!j.is_discarded() && j.is_object() && j.contains("error")) ? &j["error"] : nullptr;
        if (!e || !e->is_object() || !e->contains("code") || !(*e)["code"].is_string() ||
            (*e)["code"].get<std::string>().empty() || !e->contains("message") || !(*e)["message"].is_string())
            fail(route, target, body, "status " + std::to_string(st) + " without a JSON error: " + res->body);
    } else if (st != 204 && !res->body.empty()) {
        if (nlohmann::json::parse(res->body, nullptr, false).is_discarded())
            fail(route, target, body, "status " + std::to_string(st) + " with a non-JSON body");
    }
    // The fuzzer may log the member out or change their PIN: get a fresh token then.
    if (route.cred == Route::member && st == 401) h.login();
    if (std::string(route.path) == "/api/v1/auth/logout" && st == 204) h.login();
    return 0;
}
