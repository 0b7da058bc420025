// Integration-test fixture: the REAL server (memberdesk::server::App) on a free port of 127.0.0.1,
// backed by a SQLite file in a fresh temp dir, talked to with a real httplib::Client — the same
// style as cpp-httplib's own tests. One TestServer per test case; its destructor stops the server,
// joins the listener thread and removes the temp dir.
//
//   TestServer srv;                                   // coffee program, --test-clock, 2026-03-15T02:00:00Z
//   auto id  = srv.create_member("13800000001", "123456", "王小明");
//   auto tok = srv.login("13800000001", "123456");
//   auto res = srv.get("/api/v1/me", bearer(tok));
//   expect_status(res, 200);
//   expect_error(srv.get("/api/v1/me"), 401, "unauthorized");
#pragma once

#include <doctest/doctest.h>
#include <httplib.h>
#include <sodium.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <unistd.h>

#include "app/app.hpp"
#include "memberdesk/time.hpp"
#include "storage/store.hpp"

namespace mdtest {

using json = nlohmann::json;
namespace fs = std::filesystem;
using memberdesk::server::App;
using memberdesk::server::AppConfig;

// Fixed long keys (the server requires >= 16 characters).
inline const std::string kAdminKey = "test-admin-key-0123456789abcdef";
inline const std::string kPosKey = "test-pos-key-0123456789abcdef00";
inline const std::string kKioskKey = "test-kiosk-key-0123456789abcdef";

// The default test clock: 2026-03-15 10:00 in Asia/Shanghai.
inline const std::string kStart = "2026-03-15T02:00:00Z";

// ---------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------
inline httplib::Headers admin() { return {{"X-Api-Key", kAdminKey}}; }
inline httplib::Headers pos() { return {{"X-Api-Key", kPosKey}}; }
inline httplib::Headers kiosk_device() { return {{"X-Kiosk-Key", kKioskKey}}; }
inline httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
inline httplib::Headers operator+(httplib::Headers a, const httplib::Headers& b) {
    a.insert(b.begin(), b.end());
    return a;
}
inline httplib::Headers idem(const std::string& key) { return {{"Idempotency-Key", key}}; }

// ---------------------------------------------------------------------------------------------
// Time helpers (RFC 3339 UTC, via the core's own codec)
// ---------------------------------------------------------------------------------------------
inline std::int64_t unix_of(const std::string& rfc3339) {
    auto r = memberdesk::parse_rfc3339(rfc3339);
    if (!r) throw std::runtime_error("bad RFC 3339 in test: " + rfc3339);
    return *r;
}
inline std::string rfc(std::int64_t t) { return memberdesk::format_rfc3339(t); }
inline std::string plus(const std::string& t, std::int64_t seconds) { return rfc(unix_of(t) + seconds); }

// ---------------------------------------------------------------------------------------------
// Temp dir
// ---------------------------------------------------------------------------------------------
class TempDir {
public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "memberdesk-test-XXXXXX").string();
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        if (!::mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
        path_ = buf.data();
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

// A file of the source tree (docs/api.md, ...): $MEMBERDESK_SOURCE_DIR, else the tree built from.
inline fs::path source_path(const std::string& relative) {
    const char* env = std::getenv("MEMBERDESK_SOURCE_DIR");
    return fs::path(env && *env ? env : MEMBERDESK_SOURCE_DIR_BUILT) / relative;
}
inline std::string read_source_file(const std::string& relative) {
    std::ifstream f(source_path(relative), std::ios::binary);
    REQUIRE_MESSAGE(f, "cannot read " << source_path(relative).string());
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

inline void write_file(const fs::path& p, const std::string& content) {
    fs::create_directories(p.parent_path());
    std::ofstream f(p, std::ios::binary);
    f.write(content.data(), static_cast<std::streamsize>(content.size()));
}

// ---------------------------------------------------------------------------------------------
// One running App: created from a config, bound to a free port, listening in its own thread.
// ---------------------------------------------------------------------------------------------
// Makes the storage of a test server instead of the one AppConfig::db_path names (null: that one).
using StoreFactory = std::function<std::unique_ptr<memberdesk::server::Store>(const AppConfig&)>;

class RunningApp {
public:
    explicit RunningApp(const AppConfig& cfg, const StoreFactory& make_store = nullptr) {
        auto created = make_store ? App::create(cfg, make_store(cfg)) : App::create(cfg);
        if (!created) {
            FAIL("App::create failed: " << to_string(created.error().code) << ": " << created.error().message);
        }
        app_ = std::move(created.value());
        port_ = app_->bind_to_any_port("127.0.0.1");
        REQUIRE_MESSAGE(port_ > 0, "bind_to_any_port failed");
        thread_ = std::thread([this] { app_->listen_after_bind(); });
        // stop() before the accept loop has started would be lost: wait until it runs.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!app_->is_running() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        REQUIRE_MESSAGE(app_->is_running(), "server did not start listening");
    }
    ~RunningApp() { stop(); }
    RunningApp(const RunningApp&) = delete;
    RunningApp& operator=(const RunningApp&) = delete;

    void stop() {
        if (app_) app_->stop();
        if (thread_.joinable()) thread_.join();
        app_.reset();  // closes the database
    }
    int port() const { return port_; }
    App& app() { return *app_; }

private:
    std::unique_ptr<App> app_;
    std::thread thread_;
    int port_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Assertions on responses. Failures name the caller's file and line.
// ---------------------------------------------------------------------------------------------
inline std::string describe(const httplib::Result& res) {
    if (!res) return "no response (" + httplib::to_string(res.error()) + ")";
    return "status " + std::to_string(res->status) + ", body: " + res->body.substr(0, 2000);
}

// Parses the body as JSON; a non-JSON body fails the check and yields a discarded value (null).
inline json body_json(const httplib::Result& res, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    INFO("called from " << file << ":" << line);
    REQUIRE_MESSAGE(res, describe(res));
    auto j = json::parse(res->body, nullptr, false);
    CHECK_MESSAGE(!j.is_discarded(), "body is not JSON: " << res->body.substr(0, 500));
    if (j.is_discarded()) return json();
    return j;
}

// Checks the status; returns the JSON body (null if empty/not JSON and the status check passed).
inline json expect_status(const httplib::Result& res, int status, const char* file = __builtin_FILE(),
                          int line = __builtin_LINE()) {
    INFO("called from " << file << ":" << line);
    REQUIRE_MESSAGE(res, describe(res));
    CHECK_MESSAGE(res->status == status, "expected " << status << ", got " << describe(res));
    auto j = json::parse(res->body, nullptr, false);
    return j.is_discarded() ? json() : j;
}

// Checks status and the error shape {"error":{"code","message"}}; returns the body.
inline json expect_error(const httplib::Result& res, int status, const std::string& code,
                         const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    INFO("called from " << file << ":" << line);
    REQUIRE_MESSAGE(res, describe(res));
    CHECK_MESSAGE(res->status == status, "expected " << status << " " << code << ", got " << describe(res));
    CHECK_MESSAGE(res->get_header_value("Content-Type").find("application/json") == 0,
                  "error Content-Type: " << res->get_header_value("Content-Type"));
    auto j = json::parse(res->body, nullptr, false);
    REQUIRE_MESSAGE(!j.is_discarded(), "error body is not JSON: " << res->body.substr(0, 500));
    REQUIRE_MESSAGE(j.is_object(), res->body);
    REQUIRE_MESSAGE(j.contains("error"), res->body);
    const json& e = j["error"];
    REQUIRE_MESSAGE(e.is_object(), res->body);
    REQUIRE_MESSAGE(e.contains("code"), res->body);
    CHECK_MESSAGE(e["code"].is_string(), res->body);
    if (e["code"].is_string()) CHECK_MESSAGE(e["code"].get<std::string>() == code, res->body);
    CHECK_MESSAGE(e.contains("message"), res->body);
    if (e.contains("message")) {
        CHECK_MESSAGE(e["message"].is_string(), res->body);
        if (e["message"].is_string()) CHECK_MESSAGE(!e["message"].get<std::string>().empty(), res->body);
    }
    return j;
}

// Error message prefix ("amount: ...", "limit: ...").
inline std::string error_message(const json& j) {
    if (j.is_object() && j.contains("error") && j["error"].contains("message") && j["error"]["message"].is_string())
        return j["error"]["message"].get<std::string>();
    return {};
}
inline bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

// ---------------------------------------------------------------------------------------------
// The fixture
// ---------------------------------------------------------------------------------------------
struct ServerOptions {
    bool test_clock = true;
    std::string program = "coffee";
    std::string start = kStart;                    // clock set right after start (test clock only)
    std::map<std::string, std::string> web_files;  // written to <tmp>/web and served if non-empty
    std::size_t max_body_bytes = 64 * 1024;
    int threads = 0;
    StoreFactory store;                         // e.g. a store that fails on purpose
    std::function<void(AppConfig&)> configure;  // last word on the config (hooks, webhook)
};

// MEMBERDESK_TEST_DB=postgresql://... runs the suite on PostgreSQL (tests/pg/run): each server
// gets a schema of its own in that database (created by the server from the search_path).
inline std::string postgres_test_db(const std::string& url) {
    static std::atomic<int> n{0};
    const std::string schema = "t" + std::to_string(::getpid()) + "_" + std::to_string(++n) + "_" +
                               std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000007);
    if (url.rfind("postgres", 0) != 0) return url + " options='-csearch_path=" + schema + "'";
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

inline AppConfig make_config(const fs::path& dir, const ServerOptions& o) {
    AppConfig c;
    c.db_path = (dir / "memberdesk.db").string();
    if (const char* pg = std::getenv("MEMBERDESK_TEST_DB"); pg && *pg) c.db_path = postgres_test_db(pg);
    c.program = o.program;
    c.test_clock = o.test_clock;
    // The test clock starts (and restarts) at the test's start time, never at the wall clock: a
    // jump from the wall clock back to 2026 would purge what had not expired yet in test time.
    if (o.test_clock && !o.start.empty()) c.test_clock_start = unix_of(o.start);
    c.admin_key = kAdminKey;
    c.pos_key = kPosKey;
    c.kiosk_key = kKioskKey;
    c.service.kdf_opslimit = crypto_pwhash_OPSLIMIT_MIN;  // 1
    c.service.kdf_memlimit = crypto_pwhash_MEMLIMIT_MIN;  // 8192
    c.service.check_state_cache = true;                   // every read from the state cache is compared with storage
    c.service.check_snapshots = true;                     // every snapshot written is compared with the replay
    c.service.check_report_facts = true;                  // every report from the facts is compared with the rows
    c.max_body_bytes = o.max_body_bytes;
    c.threads = o.threads;
    if (!o.web_files.empty()) {
        for (const auto& [name, content] : o.web_files) write_file(dir / "web" / name, content);
        c.web_dir = (dir / "web").string();
    }
    if (o.configure) o.configure(c);
    return c;
}

// The store the suite runs on (SQLite, or PostgreSQL under tests/pg/run), with a gate before every
// write and every read: a gate may throw (a busy database) or block (a writer stuck on the disk).
class GatedStore : public memberdesk::server::Store {
public:
    using Gate = std::function<void()>;
    GatedStore(std::unique_ptr<memberdesk::server::Store> inner, Gate before_write, Gate before_read)
        : inner_(std::move(inner)), before_write_(std::move(before_write)), before_read_(std::move(before_read)) {}
    std::string backend() const override { return inner_->backend(); }
    int schema_version() override { return inner_->schema_version(); }

protected:
    void run_write(const std::function<void(memberdesk::server::WriteTx&)>& fn) override {
        if (before_write_) before_write_();
        inner_->write([&](memberdesk::server::WriteTx& tx) { fn(tx); });
    }
    void run_read(const std::function<void(memberdesk::server::ReadTx&)>& fn) override {
        if (before_read_) before_read_();
        inner_->read([&](memberdesk::server::ReadTx& tx) { fn(tx); });
    }

private:
    std::unique_ptr<memberdesk::server::Store> inner_;
    Gate before_write_, before_read_;
};

// Every transaction throws "busy" while `busy` is set.
inline ServerOptions busy_when_told(const std::shared_ptr<std::atomic<bool>>& busy) {
    ServerOptions o;
    o.store = [busy](const AppConfig& c) -> std::unique_ptr<memberdesk::server::Store> {
        auto throw_if_busy = [busy] {
            if (busy->load())
                throw memberdesk::server::StoreError(memberdesk::server::StoreError::Kind::busy, "database is locked");
        };
        return std::make_unique<GatedStore>(memberdesk::server::open_store(c), throw_if_busy, throw_if_busy);
    };
    return o;
}

class TestServer {
public:
    explicit TestServer(ServerOptions opt = {}) : opt_(std::move(opt)) {
        config_ = make_config(dir_.path(), opt_);
        start();
    }
    ~TestServer() {
        http_.reset();
        app_.reset();
    }
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    // Stop the App (closing the database) and start a new one on the same files. The test
    // clock of a new App starts at ServerOptions::start again: call set_clock() to move it.
    void restart() {
        http_.reset();
        app_.reset();
        app_ = std::make_unique<RunningApp>(config_, opt_.store);
        http_ = new_client();
    }
    void stop() {
        http_.reset();
        app_.reset();
    }

    int port() const { return app_->port(); }
    App& app() { return app_->app(); }
    const AppConfig& config() const { return config_; }
    const TempDir& dir() const { return dir_; }

    // A fresh client of its own (one per thread in concurrency tests).
    std::unique_ptr<httplib::Client> new_client() const {
        auto c = std::make_unique<httplib::Client>("127.0.0.1", app_->port());
        c->set_connection_timeout(5, 0);
        c->set_read_timeout(30, 0);
        c->set_write_timeout(30, 0);
        c->set_decompress(false);
        return c;
    }
    httplib::Client& http() { return *http_; }

    // ---- raw requests -------------------------------------------------------------------------
    httplib::Result get(const std::string& path, const httplib::Headers& h = {}) { return http_->Get(path, h); }
    httplib::Result post(const std::string& path, const json& body, const httplib::Headers& h = {}) {
        return http_->Post(path, h, body.dump(), "application/json");
    }
    httplib::Result post_raw(const std::string& path, const std::string& body, const httplib::Headers& h = {}) {
        return http_->Post(path, h, body, "application/json");
    }
    httplib::Result post_empty(const std::string& path, const httplib::Headers& h = {}) {
        return http_->Post(path, h, "", "application/json");
    }
    httplib::Result put(const std::string& path, const json& body, const httplib::Headers& h = {}) {
        return http_->Put(path, h, body.dump(), "application/json");
    }
    httplib::Result patch(const std::string& path, const json& body, const httplib::Headers& h = {}) {
        return http_->Patch(path, h, body.dump(), "application/json");
    }
    httplib::Result del(const std::string& path, const httplib::Headers& h = {}) { return http_->Delete(path, h); }
    httplib::Result del(const std::string& path, const json& body, const httplib::Headers& h) {
        return http_->Delete(path, h, body.dump(), "application/json");
    }

    // ---- domain helpers (each REQUIREs success) ------------------------------------------------
    std::int64_t create_member(const std::string& phone, const std::string& pin = "123456",
                               const std::string& name = "Test Member",
                               const std::optional<std::string>& birthday = std::nullopt,
                               const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
        INFO("create_member called from " << file << ":" << line);
        json b = {{"phone", phone}, {"pin", pin}, {"name", name}};
        if (birthday) b["birthday"] = *birthday;
        auto res = post("/api/v1/admin/members", b, admin());
        REQUIRE_MESSAGE(res, describe(res));
        REQUIRE_MESSAGE(res->status == 201, describe(res));
        auto j = json::parse(res->body, nullptr, false);
        REQUIRE_MESSAGE((j.is_object() && j.contains("id") && j["id"].is_number_integer()), res->body);
        return j["id"].get<std::int64_t>();
    }

    std::string login(const std::string& phone, const std::string& pin = "123456", const char* file = __builtin_FILE(),
                      int line = __builtin_LINE()) {
        INFO("login called from " << file << ":" << line);
        auto res = post("/api/v1/auth/login", {{"phone", phone}, {"pin", pin}});
        REQUIRE_MESSAGE(res, describe(res));
        REQUIRE_MESSAGE(res->status == 200, describe(res));
        auto j = json::parse(res->body, nullptr, false);
        REQUIRE_MESSAGE((j.is_object() && j.contains("token") && j["token"].is_string()), res->body);
        return j["token"].get<std::string>();
    }

    std::string kiosk_login(const json& body, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
        INFO("kiosk_login called from " << file << ":" << line);
        auto res = post("/api/v1/kiosk/login", body, kiosk_device());
        REQUIRE_MESSAGE(res, describe(res));
        REQUIRE_MESSAGE(res->status == 200, describe(res));
        auto j = json::parse(res->body, nullptr, false);
        REQUIRE_MESSAGE((j.is_object() && j.contains("token") && j["token"].is_string()), res->body);
        return j["token"].get<std::string>();
    }

    void set_clock(const std::string& now, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
        INFO("set_clock(" << now << ") called from " << file << ":" << line);
        auto res = put("/api/v1/admin/clock", {{"now", now}}, admin());
        REQUIRE_MESSAGE(res, describe(res));
        REQUIRE_MESSAGE(res->status == 200, describe(res));
    }

    json me(const std::string& token, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
        INFO("me called from " << file << ":" << line);
        auto res = get("/api/v1/me", bearer(token));
        REQUIRE_MESSAGE(res, describe(res));
        REQUIRE_MESSAGE(res->status == 200, describe(res));
        auto j = json::parse(res->body, nullptr, false);
        REQUIRE_MESSAGE(j.is_object(), res->body);
        return j;
    }
    std::int64_t balance(const std::string& token, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
        auto j = me(token, file, line);
        INFO("balance called from " << file << ":" << line << ": " << j.dump());
        REQUIRE(j["points"]["balance"].is_number_integer());
        return j["points"]["balance"].get<std::int64_t>();
    }

    httplib::Result purchase(const std::string& txn_id, const std::string& member, std::int64_t amount,
                             const std::string& store = "S001") {
        return post("/api/v1/pos/purchases",
                    {{"txn_id", txn_id}, {"member", member}, {"amount", amount}, {"store", store}}, pos());
    }
    // A purchase that must succeed (201); returns its body.
    json buy(const std::string& txn_id, const std::string& member, std::int64_t amount,
             const std::string& store = "S001", const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
        INFO("buy called from " << file << ":" << line);
        auto res = purchase(txn_id, member, amount, store);
        REQUIRE_MESSAGE(res, describe(res));
        REQUIRE_MESSAGE(res->status == 201, describe(res));
        return json::parse(res->body);
    }

    httplib::Result adjust_raw(std::int64_t member_id, const json& body) {
        return post("/api/v1/admin/members/" + std::to_string(member_id) + "/adjust", body, admin());
    }
    json adjust(std::int64_t member_id, std::int64_t points, const std::string& reason = "test adjustment",
                const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
        INFO("adjust called from " << file << ":" << line);
        auto res = adjust_raw(member_id, {{"points", points}, {"reason", reason}});
        REQUIRE_MESSAGE(res, describe(res));
        REQUIRE_MESSAGE(res->status == 200, describe(res));
        return json::parse(res->body);
    }

    // Every ledger entry matching `query` (e.g. "type=earn"), following next_cursor; newest first.
    std::vector<json> ledger_all(const std::string& token, const std::string& query = "", int limit = 100,
                                 const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
        INFO("ledger_all called from " << file << ":" << line);
        std::vector<json> out;
        std::optional<std::string> cursor;
        for (int page = 0; page < 1000; ++page) {
            std::string q = "?limit=" + std::to_string(limit);
            if (!query.empty()) q += "&" + query;
            if (cursor) q += "&cursor=" + httplib::detail::encode_query_param(*cursor);
            auto res = get("/api/v1/me/ledger" + q, bearer(token));
            REQUIRE_MESSAGE(res, describe(res));
            REQUIRE_MESSAGE(res->status == 200, describe(res));
            auto j = json::parse(res->body, nullptr, false);
            REQUIRE_MESSAGE((j.is_object() && j.contains("entries") && j["entries"].is_array()), res->body);
            for (auto& e : j["entries"]) out.push_back(e);
            if (!j.contains("next_cursor") || j["next_cursor"].is_null()) return out;
            REQUIRE_MESSAGE(j["next_cursor"].is_string(), res->body);
            cursor = j["next_cursor"].get<std::string>();
        }
        FAIL("ledger paging did not terminate");
        return out;
    }

    std::vector<json> coupons(const std::string& token, const std::string& state = "",
                              const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
        INFO("coupons called from " << file << ":" << line);
        auto res = get("/api/v1/me/coupons" + (state.empty() ? std::string() : "?state=" + state), bearer(token));
        REQUIRE_MESSAGE(res, describe(res));
        REQUIRE_MESSAGE(res->status == 200, describe(res));
        auto j = json::parse(res->body, nullptr, false);
        REQUIRE_MESSAGE((j.is_object() && j.contains("coupons") && j["coupons"].is_array()), res->body);
        return j["coupons"].get<std::vector<json>>();
    }

    json admin_member(std::int64_t id, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
        INFO("admin_member called from " << file << ":" << line);
        auto res = get("/api/v1/admin/members/" + std::to_string(id), admin());
        REQUIRE_MESSAGE(res, describe(res));
        REQUIRE_MESSAGE(res->status == 200, describe(res));
        return json::parse(res->body);
    }

private:
    void start() {
        app_ = std::make_unique<RunningApp>(config_, opt_.store);
        http_ = new_client();
        if (opt_.test_clock && !opt_.start.empty()) set_clock(opt_.start);
    }

    ServerOptions opt_;
    TempDir dir_;
    AppConfig config_;
    std::unique_ptr<RunningApp> app_;
    std::unique_ptr<httplib::Client> http_;
};

// Runs fn(i) on n threads released together; joins them all.
inline void run_concurrently(int n, const std::function<void(int)>& fn) {
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        threads.emplace_back([&, i] {
            ready.fetch_add(1);
            while (!go.load()) std::this_thread::yield();
            fn(i);
        });
    }
    while (ready.load() < n) std::this_thread::yield();
    go.store(true);
    for (auto& t : threads) t.join();
}

inline std::int64_t i64(const json& j, const std::string& key) {
    REQUIRE_MESSAGE((j.is_object() && j.contains(key) && j[key].is_number_integer()),
                    "missing integer '" << key << "' in " << j.dump());
    return j[key].get<std::int64_t>();
}
inline std::string str(const json& j, const std::string& key) {
    REQUIRE_MESSAGE((j.is_object() && j.contains(key) && j[key].is_string()),
                    "missing string '" << key << "' in " << j.dump());
    return j[key].get<std::string>();
}

// Sum of the `points` of ledger entries of one type.
inline std::int64_t sum_points(const std::vector<json>& entries, const std::string& type = "") {
    std::int64_t s = 0;
    for (const auto& e : entries)
        if (type.empty() || e.value("type", "") == type) s += e.value("points", std::int64_t{0});
    return s;
}
inline int count_type(const std::vector<json>& entries, const std::string& type) {
    int n = 0;
    for (const auto& e : entries)
        if (e.value("type", "") == type) ++n;
    return n;
}

}  // namespace mdtest
