// The real memberdesk-server binary as a process: --help, exit status 2 on bad flags, missing keys
// or a broken program file, --demo's printout, graceful SIGINT/SIGTERM (a request in flight still
// gets its answer), and durability: every acknowledged write survives kill -9.
//
// The binary is found at $MEMBERDESK_SERVER_BIN, else beside this test in the build tree
// (<build>/native_server/memberdesk-server).
#include "test_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <sstream>

using namespace mdtest;

namespace process_test {

namespace {

std::string server_binary() {
    if (const char* e = std::getenv("MEMBERDESK_SERVER_BIN"); e && *e) return e;
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    return (self.parent_path().parent_path() / "native_server" / "memberdesk-server").string();
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// One child process with stdout/stderr captured in files.
class Proc {
public:
    Proc(const std::vector<std::string>& args, const fs::path& dir, const std::vector<std::string>& env = {})
        : out_(dir / ("out-" + std::to_string(counter()) + ".txt")), err_(out_.string() + ".err") {
        const std::string bin = server_binary();
        REQUIRE_MESSAGE(fs::exists(bin), "memberdesk-server not found at " << bin << " (set MEMBERDESK_SERVER_BIN)");
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            int o = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            int e = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(o, 1);
            ::dup2(e, 2);
            ::unsetenv("MEMBERDESK_ADMIN_KEY");
            ::unsetenv("MEMBERDESK_POS_KEY");
            ::unsetenv("MEMBERDESK_KIOSK_KEY");
            for (const auto& kv : env) ::putenv(const_cast<char*>(kv.c_str()));
            std::vector<char*> argv;
            argv.push_back(const_cast<char*>(bin.c_str()));
            for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            ::execv(bin.c_str(), argv.data());
            ::_exit(127);
        }
    }
    ~Proc() {
        if (pid_ > 0 && !exited_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    Proc(const Proc&) = delete;
    Proc& operator=(const Proc&) = delete;

    // Exit status (or 128 + signal); -1 if still running after `seconds`.
    int wait(double seconds = 30) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int>(seconds * 1000));
        while (true) {
            int st = 0;
            pid_t r = ::waitpid(pid_, &st, WNOHANG);
            if (r == pid_) {
                exited_ = true;
                return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            }
            if (std::chrono::steady_clock::now() > deadline) return -1;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    // The port from "listening on http://HOST:PORT/", once the server prints it (0 if it exits first).
    int wait_listening(double seconds = 60) {
        static const std::regex re(R"(listening on http://[^ ]+:(\d+)/)");
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int>(seconds * 1000));
        while (std::chrono::steady_clock::now() < deadline) {
            std::smatch m;
            std::string out = stdout_text();
            if (std::regex_search(out, m, re)) return std::stoi(m[1]);
            int st = 0;
            if (::waitpid(pid_, &st, WNOHANG) == pid_) {
                exited_ = true;
                return 0;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return 0;
    }
    void signal(int sig) { ::kill(pid_, sig); }
    std::string stdout_text() const { return read_file(out_); }
    std::string stderr_text() const { return read_file(err_); }

private:
    static int counter() {
        static std::atomic<int> n{0};
        return n++;
    }
    fs::path out_, err_;
    pid_t pid_ = -1;
    bool exited_ = false;
};

std::vector<std::string> keys_args() {
    return {"--admin-key", kAdminKey, "--pos-key", kPosKey, "--kiosk-key", kKioskKey};
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::unique_ptr<httplib::Client> client(int port) {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
    c->set_connection_timeout(5, 0);
    c->set_read_timeout(30, 0);
    return c;
}

// Exit status 2 and one clear line on stderr that contains `needle`.
void expect_usage_error(const std::vector<std::string>& args, const std::string& needle,
                        const std::vector<std::string>& env = {}) {
    TempDir dir;
    INFO("args: " << [&] {
        std::string s;
        for (const auto& a : args) s += a + " ";
        return s;
    }());
    Proc p(args, dir.path(), env);
    CHECK(p.wait() == 2);
    auto err = p.stderr_text();
    INFO("stderr: " << err);
    CHECK(err.find(needle) != std::string::npos);
    CHECK(err.find("memberdesk-server: ") == 0);
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    CHECK(p.stdout_text().empty());
}

}  // namespace

TEST_CASE("process: --help explains every flag, the key variables and the exit codes; exit 0") {
    TempDir dir;
    Proc p({"--help"}, dir.path());
    CHECK(p.wait() == 0);
    auto out = p.stdout_text();
    for (const char* s : {"Usage:",
                          "--db PATH",
                          "--port N",
                          "--program",
                          "coffee",
                          "salon",
                          "retail",
                          "--web DIR",
                          "--demo",
                          "--test-clock",
                          "--check-writes",
                          "--admin-key",
                          "--pos-key",
                          "--kiosk-key",
                          "MEMBERDESK_ADMIN_KEY",
                          "MEMBERDESK_POS_KEY",
                          "MEMBERDESK_KIOSK_KEY",
                          "SIGTERM",
                          "Exit status",
                          "/kiosk"}) {
        INFO(s);
        CHECK(out.find(s) != std::string::npos);
    }
    Proc q({"-h"}, dir.path());
    CHECK(q.wait() == 0);
    CHECK(q.stdout_text() == out);
}

TEST_CASE("process: bad flags, missing keys and broken programs exit with status 2 and one clear line") {
    TempDir dir;
    const std::string db = (dir / "x.db").string();
    expect_usage_error({"--db", db, "--port", "0", "--bogus"}, "unknown option '--bogus'");
    expect_usage_error(concat({"--db", db, "--port", "http"}, keys_args()), "--port");
    expect_usage_error(concat({"--db", db, "--port", "70000"}, keys_args()), "--port");
    expect_usage_error(concat({"--port", "0"}, keys_args()), "--db");
    expect_usage_error(concat({"--db", db}, keys_args()), "--port");
    expect_usage_error(concat({"--db", db, "--port", "0", "--threads", "0"}, keys_args()), "--threads");
    expect_usage_error(concat({"--db", db, "--port", "0", "--read-threads", "-1"}, keys_args()), "--read-threads");
    expect_usage_error(concat({"--db", db, "--port", "0", "--read-threads", "few"}, keys_args()), "--read-threads");
    expect_usage_error(concat({"--db", db, "--port", "0", "--demo=yes"}, keys_args()), "--demo");
    expect_usage_error({"--db", db, "--port", "0"}, "MEMBERDESK_ADMIN_KEY");  // no keys, no --demo
    expect_usage_error(
        {"--db", db, "--port", "0", "--admin-key", "short", "--pos-key", kPosKey, "--kiosk-key", kKioskKey},
        "too short");
    // Keys from the environment are accepted (the program error shows the keys passed).
    expect_usage_error(
        {"--db", db, "--port", "0", "--program", "espresso"}, "espresso",
        {"MEMBERDESK_ADMIN_KEY=" + kAdminKey, "MEMBERDESK_POS_KEY=" + kPosKey, "MEMBERDESK_KIOSK_KEY=" + kKioskKey});

    // A program file that is not JSON, and one with a bad field: the message names the field.
    write_file(dir / "broken.json", "{\"id\": \"x\", ");
    expect_usage_error(concat({"--db", db, "--port", "0", "--program", (dir / "broken.json").string()}, keys_args()),
                       "broken.json");
    auto coffee = json::parse(read_source_file("core/programs/coffee.json"));
    coffee["earning"]["unit"] = -5;
    write_file(dir / "bad_unit.json", coffee.dump());
    TempDir d2;
    Proc p(concat({"--db", db, "--port", "0", "--program", (dir / "bad_unit.json").string()}, keys_args()), d2.path());
    CHECK(p.wait() == 2);
    auto err = p.stderr_text();
    INFO(err);
    CHECK(err.find("unit") != std::string::npos);
    CHECK(!fs::exists(db + "-wal"));  // refused before anything else
}

TEST_CASE("process: --demo prints the URL, the demo keys and logins; the portal, /kiosk and /staff are served") {
    TempDir dir;
    write_file(dir / "web" / "index.html", "<!doctype html><title>portal</title>");
    write_file(dir / "web" / "kiosk.html", "<!doctype html><title>kiosk</title>");
    write_file(dir / "web" / "staff.html", "<!doctype html><title>staff console</title>");
    Proc p({"--db", (dir / "demo.db").string(), "--port", "0", "--demo", "--web", (dir / "web").string()}, dir.path());
    int port = p.wait_listening();
    REQUIRE_MESSAGE(port > 0, "stdout: " << p.stdout_text() << "\nstderr: " << p.stderr_text());
    auto out = p.stdout_text();
    INFO(out);
    CHECK(out.find("http://127.0.0.1:" + std::to_string(port) + "/") != std::string::npos);
    CHECK(out.find("/kiosk") != std::string::npos);
    CHECK(out.find("/staff") != std::string::npos);
    CHECK(out.find("admin key") != std::string::npos);
    // The printed logins work.
    std::smatch m;
    static const std::regex login_re(R"(\n\s+(\d{11})\s+(\d{6})\s)");
    REQUIRE(std::regex_search(out, m, login_re));
    auto c = client(port);
    auto res =
        c->Post("/api/v1/auth/login", json{{"phone", m[1].str()}, {"pin", m[2].str()}}.dump(), "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
    auto token = json::parse(res->body)["token"].get<std::string>();
    auto me = c->Get("/api/v1/me", {{"Authorization", "Bearer " + token}});
    REQUIRE(me);
    CHECK(me->status == 200);
    CHECK(json::parse(me->body)["points"]["lifetime_earned"].get<std::int64_t>() > 0);  // a year of history
    auto portal = c->Get("/");
    REQUIRE(portal);
    CHECK(portal->status == 200);
    CHECK(portal->body.find("portal") != std::string::npos);
    auto kiosk = c->Get("/kiosk");
    REQUIRE(kiosk);
    CHECK(kiosk->status == 200);
    CHECK(kiosk->body.find("kiosk") != std::string::npos);
    for (const char* path : {"/staff", "/staff/"}) {
        auto staff = c->Get(path);
        REQUIRE(staff);
        CHECK(staff->status == 200);
        CHECK(staff->body.find("staff console") != std::string::npos);
    }
    p.signal(SIGTERM);
    CHECK(p.wait() == 0);
}

TEST_CASE("process: SIGTERM and SIGINT stop gracefully; a request in flight still gets its answer") {
    for (int sig : {SIGTERM, SIGINT}) {
        INFO("signal " << sig);
        TempDir dir;
        // The real (slow) PIN hash: a login takes long enough to be in flight when the signal lands.
        Proc p(concat({"--db", (dir / "g.db").string(), "--port", "0", "--test-clock"}, keys_args()), dir.path());
        int port = p.wait_listening();
        REQUIRE_MESSAGE(port > 0, p.stderr_text());
        auto c = client(port);
        auto created =
            c->Post("/api/v1/admin/members", {{"X-Api-Key", kAdminKey}},
                    json{{"phone", "13800000001"}, {"pin", "123456"}, {"name", "A"}}.dump(), "application/json");
        REQUIRE(created);
        REQUIRE(created->status == 201);
        httplib::Result in_flight;
        std::thread t([&] {
            in_flight = c->Post("/api/v1/auth/login", json{{"phone", "13800000001"}, {"pin", "123456"}}.dump(),
                                "application/json");
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        p.signal(sig);
        t.join();
        int status = p.wait(20);
        CHECK(status == 0);
        REQUIRE_MESSAGE(in_flight, "the request in flight got no answer");
        CHECK(in_flight->status == 200);
        auto err = p.stderr_text();
        INFO(err);
        CHECK(err.find(sig == SIGTERM ? "SIGTERM" : "SIGINT") != std::string::npos);
        CHECK(err.find("stopped") != std::string::npos);
        // And the port is free again / the process is gone: no answer any more.
        auto after = client(port)->Get("/healthz");
        CHECK(!after);
    }
}

TEST_CASE("process: every acknowledged write survives kill -9 of the server") {
    TempDir dir;
    const std::string db = (dir / "k.db").string();
    auto args = concat({"--db", db, "--port", "0", "--test-clock"}, keys_args());
    Proc p(args, dir.path());
    int port = p.wait_listening();
    REQUIRE_MESSAGE(port > 0, p.stderr_text());
    httplib::Headers adm{{"X-Api-Key", kAdminKey}}, pos_h{{"X-Api-Key", kPosKey}};
    auto c = client(port);
    auto clock = c->Put("/api/v1/admin/clock", adm, json{{"now", kStart}}.dump(), "application/json");
    REQUIRE(clock);
    REQUIRE(clock->status == 200);
    auto created =
        c->Post("/api/v1/admin/members", adm,
                json{{"phone", "13800000001"}, {"pin", "123456"}, {"name", "Kill Nine"}}.dump(), "application/json");
    REQUIRE(created);
    REQUIRE(created->status == 201);
    const auto id = json::parse(created->body)["id"].get<std::int64_t>();

    // Writers on 4 threads; every acknowledged purchase is remembered; kill -9 while they run.
    std::mutex mu;
    std::vector<std::pair<std::string, std::string>> acked;  // txn_id, body
    std::atomic<bool> stop{false};
    std::atomic<int> count{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
        writers.emplace_back([&, w] {
            auto cw = client(port);
            cw->set_read_timeout(5, 0);
            for (int i = 0; !stop.load(); ++i) {
                std::string txn = "K" + std::to_string(w) + "-" + std::to_string(i);
                auto r = cw->Post(
                    "/api/v1/pos/purchases", pos_h,
                    json{{"txn_id", txn}, {"member", std::to_string(id)}, {"amount", 1000 + i}, {"store", "S1"}}.dump(),
                    "application/json");
                if (!r) break;  // the server is gone
                if (r->status == 201) {
                    std::lock_guard<std::mutex> lk(mu);
                    acked.emplace_back(txn, r->body);
                    ++count;
                }
            }
        });
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (count.load() < 60 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    p.signal(SIGKILL);
    CHECK(p.wait() == 128 + SIGKILL);
    stop = true;
    for (auto& t : writers) t.join();
    REQUIRE(acked.size() >= 20);

    // Restart on the same database: every acknowledged purchase is there, once.
    TempDir d2;
    Proc q(args, d2.path());
    int port2 = q.wait_listening();
    REQUIRE_MESSAGE(port2 > 0, q.stderr_text());
    auto c2 = client(port2);
    clock = c2->Put("/api/v1/admin/clock", adm, json{{"now", kStart}}.dump(), "application/json");
    REQUIRE(clock);
    auto login =
        c2->Post("/api/v1/auth/login", json{{"phone", "13800000001"}, {"pin", "123456"}}.dump(), "application/json");
    REQUIRE(login);
    REQUIRE(login->status == 200);
    httplib::Headers me_h{{"Authorization", "Bearer " + json::parse(login->body)["token"].get<std::string>()}};
    std::int64_t sum = 0;
    std::string cursor;
    for (int page = 0; page < 1000; ++page) {
        auto r =
            c2->Get("/api/v1/me/ledger?type=earn&limit=100" +
                        (cursor.empty() ? std::string() : "&cursor=" + httplib::detail::encode_query_param(cursor)),
                    me_h);
        REQUIRE(r);
        REQUIRE(r->status == 200);
        auto j = json::parse(r->body);
        for (const auto& e : j["entries"]) sum += e["points"].get<std::int64_t>();
        if (!j.contains("next_cursor") || j["next_cursor"].is_null()) break;
        cursor = j["next_cursor"].get<std::string>();
    }
    std::int64_t acked_points = 0;
    for (const auto& entry : acked) {
        const auto& txn = entry.first;  // INFO captures it (clang 14 cannot capture a binding)
        const auto& body = entry.second;
        INFO("txn " << txn);
        auto j = json::parse(body);
        acked_points += j["points_earned"].get<std::int64_t>();
        // A replay after the crash answers exactly what was acknowledged before it.
        auto again = c2->Post(
            "/api/v1/pos/purchases", pos_h,
            json{{"txn_id", txn}, {"member", std::to_string(id)}, {"amount", j["amount"]}, {"store", "S1"}}.dump(),
            "application/json");
        REQUIRE(again);
        CHECK(again->status == 201);
        CHECK(json::parse(again->body) == j);
    }
    // Earned points in the ledger >= the acknowledged ones (a write may commit just before the
    // kill without its answer arriving), and the balance is the sum of the ledger.
    CHECK(sum >= acked_points);
    auto me = c2->Get("/api/v1/me", me_h);
    REQUIRE(me);
    CHECK(json::parse(me->body)["points"]["balance"].get<std::int64_t>() == sum);
    q.signal(SIGTERM);
    CHECK(q.wait() == 0);
}

}  // namespace process_test
