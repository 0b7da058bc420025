// The whole server as an object: configuration -> storage + service + HTTP routes. main.cpp parses
// the command line into an AppConfig; tests build one directly and run it on a free port.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "memberdesk/common.hpp"
#include "service/service.hpp"

namespace memberdesk::server {

struct AppConfig {
    std::string db_path;             // SQLite file (":memory:" allowed for tests) or PostgreSQL conninfo
    int db_pool = 10;                // PostgreSQL connections per process (--db-pool)
    std::string program = "coffee";  // preset name or path to a JSON file
    std::string web_dir;             // static files; empty = no static serving
    std::string zoneinfo_dir = "/usr/share/zoneinfo";
    bool demo = false;                 // seed demo data if the database is empty
    bool test_clock = false;           // enable PUT /api/v1/admin/clock
    UnixSeconds test_clock_start = 0;  // where the test clock starts; 0 = the wall clock
    std::string admin_key, pos_key, kiosk_key;
    ServiceOptions service;
    int threads = 0;        // HTTP worker threads; 0 = default
    int read_threads = -1;  // of those, threads for GET/HEAD only; -1 = default, 0 = one pool
    std::size_t max_body_bytes = 64 * 1024;
    std::string tls_cert, tls_key;  // both set: HTTPS (PEM; reloaded by reload_tls)
    int redirect_http_port = -1;    // >= 0: also a plain-HTTP port that redirects to HTTPS (0 = any)
    std::size_t max_connections_per_address = 256;
    // Member messages (domain.md §7): POSTed to this URL, signed with the secret; empty = inbox only.
    std::string notify_webhook, notify_secret;
    int notify_first_retry_seconds = 10;
};

class Store;  // storage/store.hpp

// The storage config.db_path names: PostgreSQL for a postgresql:// URL or a conninfo, else SQLite.
// Opens and migrates it; throws StoreError when it cannot.
std::unique_ptr<Store> open_store(const AppConfig& config);

class App {
public:
    // Opens/migrates the database, loads and validates the program and zone. Errors name the problem.
    static Result<std::unique_ptr<App>> create(const AppConfig& config);
    // The same over `store` instead of the database config.db_path names (tests: a store that fails).
    static Result<std::unique_ptr<App>> create(const AppConfig& config, std::unique_ptr<Store> store);
    ~App();

    int bind_to_any_port(const std::string& host);  // returns the port (tests)
    bool bind(const std::string& host, int port);
    bool listen_after_bind();  // blocks until stop()
    void stop();               // safe from another thread or a signal watcher
    bool is_running() const;
    // Re-reads --tls-cert/--tls-key for new connections (SIGHUP); false + error keeps the old ones.
    bool reload_tls(std::string& error);
    int redirect_port() const;  // bound --redirect-http port, -1 if none

    Service& service();
    const AppConfig& config() const;
    // The logins seeded by --demo (Service::seed_demo), for main to print.
    const std::vector<nlohmann::json>& demo_logins() const;
    // The staff accounts seeded by --demo (Service::seed_demo_staff).
    const std::vector<nlohmann::json>& demo_staff_logins() const;
    // The Prometheus text of GET /metrics.
    std::string metrics_text() const;

private:
    App();
    bool bind_redirect_port(const std::string& host);
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace memberdesk::server
