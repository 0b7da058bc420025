// memberdesk-server: parse the command line, build the App, listen until SIGINT/SIGTERM.
// Signals are blocked in every thread and received by one watcher thread with sigwait, which calls
// App::stop() (httplib lets the requests in flight finish). A second signal exits at once.
#include <pthread.h>
#include <signal.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "app/app.hpp"
#include "app/backup.hpp"
#include "app/cli.hpp"

using namespace memberdesk::server;

namespace {

std::string url_host(const std::string& host) {
    if (host == "0.0.0.0" || host.empty()) return "127.0.0.1";
    if (host == "::") return "[::1]";
    if (host.find(':') != std::string::npos) return "[" + host + "]";
    return host;
}

std::string field(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return "";
    if (it->is_string()) return it->get<std::string>();
    if (it->is_object() && it->contains("en") && (*it)["en"].is_string()) return (*it)["en"].get<std::string>();
    return it->dump();
}

// The start-up line names the database; a PostgreSQL conninfo may carry a password
// (postgresql://user:secret@host/db, password=secret, ?password=secret): never print it.
std::string redact_password(const std::string& db) {
    static const std::regex url_password(R"(^([a-z]+://[^:/@]*):[^/]*@)", std::regex::icase);
    static const std::regex key_password(R"((password\s*=\s*)('[^']*'|[^\s&]*))", std::regex::icase);
    std::string out = std::regex_replace(db, url_password, "$1:***@");
    return std::regex_replace(out, key_password, "$1***");
}

}  // namespace

int main(int argc, char** argv) {
#if defined(__GLIBC__)
    // glibc allows 8 malloc arenas per core; beyond that threads share arenas and wait on their
    // locks. Dozens of HTTP workers allocate at once (SQLite pages, answers), so allow one arena per
    // worker (arenas are created only as threads need them). docs/performance.md, issue #17.
    mallopt(M_ARENA_MAX, 256);
#endif
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "backup") return run_backup_command({args.begin() + 1, args.end()});
    auto parsed = parse_cli(args, [](const char* name) { return std::getenv(name); });
    if (!parsed) {
        std::fprintf(stderr, "memberdesk-server: %s (see --help)\n", parsed.error().message.c_str());
        return 2;
    }
    CliOptions opt = std::move(parsed.value());
    if (opt.help) {
        std::fputs(usage_text().c_str(), stdout);
        return 0;
    }

    // Block the stop signals before any thread exists, so only the watcher receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGUSR1);  // internal: "listen returned, watcher may exit"
    sigaddset(&stop_signals, SIGHUP);   // reload the TLS certificate
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    auto created = App::create(opt.app);
    if (!created) {
        std::fprintf(stderr, "memberdesk-server: %s\n", created.error().message.c_str());
        return 2;
    }
    std::unique_ptr<App> app = std::move(created.value());

    int port = opt.port;
    if (port == 0) {
        port = app->bind_to_any_port(opt.host);
        if (port <= 0) {
            std::fprintf(stderr, "memberdesk-server: cannot listen on %s (any port): %s\n", opt.host.c_str(),
                         std::strerror(errno));
            return 1;
        }
    } else if (!app->bind(opt.host, port)) {
        std::fprintf(stderr, "memberdesk-server: cannot listen on %s:%d: %s\n", opt.host.c_str(), port,
                     std::strerror(errno));
        return 1;
    }

    std::string base = std::string(opt.app.tls_cert.empty() ? "http://" : "https://") + url_host(opt.host) + ":" +
                       std::to_string(port);
    std::printf("memberdesk-server listening on %s/ (program %s, database %s%s%s)\n", base.c_str(),
                opt.app.program.c_str(), redact_password(opt.app.db_path).c_str(),
                opt.app.test_clock ? ", test clock" : "", opt.app.web_dir.empty() ? ", API only" : "");
    if (opt.app.demo) {
        std::printf("\nDEMO MODE — not for production.\n");
        if (opt.demo_keys) {
            std::printf("  admin key (X-Api-Key):   %s\n", opt.app.admin_key.c_str());
            std::printf("  POS key (X-Api-Key):     %s\n", opt.app.pos_key.c_str());
            std::printf("  kiosk key (X-Kiosk-Key): %s\n", opt.app.kiosk_key.c_str());
        }
        const auto& logins = app->demo_logins();
        if (!logins.empty()) {
            std::printf("  demo members (phone / PIN):\n");
            for (const auto& l : logins) {
                std::string tier = field(l, "tier");
                std::string points = field(l, "balance");
                std::printf("    %-14s %-8s %s%s%s%s%s%s\n", field(l, "phone").c_str(), field(l, "pin").c_str(),
                            field(l, "name").c_str(), tier.empty() ? "" : " (", tier.c_str(), tier.empty() ? "" : ")",
                            points.empty() ? "" : ", points: ", points.c_str());
            }
        } else {
            // A restart on the same database: the members seeded earlier are still there.
            std::printf(
                "  (database already had members: demo data not re-seeded; members seeded by an\n"
                "   earlier --demo run sign in as 13800000001..13800000005 with PIN 123456)\n");
        }
        const auto& staff = app->demo_staff_logins();
        if (!staff.empty()) {
            std::printf("  demo staff (username / password, POST /api/v1/staff/login):\n");
            for (const auto& l : staff)
                std::printf("    %-14s %-14s %s %s\n", field(l, "username").c_str(), field(l, "password").c_str(),
                            field(l, "role").c_str(), field(l, "place").c_str());
        }
        std::printf("  portal: %s/\n  kiosk:  %s/kiosk\n  staff:  %s/staff\n\n", base.c_str(), base.c_str(),
                    base.c_str());
    }
    if (app->redirect_port() > 0)
        std::printf("redirecting http://%s:%d/ to HTTPS\n", url_host(opt.host).c_str(), app->redirect_port());
    std::fflush(stdout);

    std::atomic<bool> listen_done{false};
    std::thread watcher([&] {
        int sig = 0;
        while (sigwait(&stop_signals, &sig) == 0 && sig == SIGHUP) {
            std::string err;
            if (app->reload_tls(err))
                std::fprintf(stderr, "memberdesk-server: SIGHUP: TLS certificate reloaded\n");
            else
                std::fprintf(stderr, "memberdesk-server: SIGHUP: %s (keeping the certificate in use)\n", err.c_str());
        }
        if (sig != SIGINT && sig != SIGTERM) return;
        std::fprintf(stderr, "memberdesk-server: %s received, stopping (requests in flight finish)\n",
                     sig == SIGINT ? "SIGINT" : "SIGTERM");
        // stop() before the accept loop started would be lost: repeat until listen returns.
        while (!listen_done.load()) {
            app->stop();
            timespec ts{0, 50 * 1000 * 1000};
            int s = sigtimedwait(&stop_signals, nullptr, &ts);
            if (s == SIGINT || s == SIGTERM) {
                std::fprintf(stderr, "memberdesk-server: second signal, exiting now\n");
                std::_Exit(130);
            }
            if (s == SIGUSR1) break;  // SIGHUP while stopping: ignored
        }
    });

    bool ok = app->listen_after_bind();
    listen_done.store(true);
    pthread_kill(watcher.native_handle(), SIGUSR1);
    watcher.join();
    app.reset();  // closes the database
    std::fprintf(stderr, "memberdesk-server: stopped\n");
    return ok ? 0 : 1;
}
