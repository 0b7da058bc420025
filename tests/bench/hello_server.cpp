// hello_server: the baseline for scripts/bench-server.
// A bare cpp-httplib server built from the same third_party/cpp-httplib header, with the same
// compile flags (scripts/bench-server takes them from memberdesk-server's compile command) and the
// same httplib::Server settings as memberdesk-server (native_server/src/http/http_server_settings.hpp:
// thread pool size, keep-alive, timeouts; CPPHTTPLIB_TCP_NODELAY comes with the flags). Every GET
// and POST answers a small constant JSON body, so the gap between this and memberdesk-server is
// what our routing, auth, SQLite and JSON cost.
//
//   hello_server PORT [THREADS]     (THREADS 0 = memberdesk-server's default)
#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "../../native_server/src/http/http_server_settings.hpp"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: hello_server PORT [THREADS]\n");
        return 2;
    }
    int port = std::atoi(argv[1]);
    int want = argc > 2 ? std::atoi(argv[2]) : 0;
    signal(SIGPIPE, SIG_IGN);
    httplib::Server server;
    const std::size_t threads =
        memberdesk::server::apply_http_server_settings(server, static_cast<std::size_t>(std::max(0, want)), 64 * 1024);
    const std::string body = R"({"hello":"world"})";
    auto answer = [&body](const httplib::Request&, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        res.set_content(body, "application/json");
    };
    server.Get(R"(/.*)", answer);
    server.Post(R"(/.*)", [&body](const httplib::Request&, httplib::Response& res) {
        res.status = 201;
        res.set_header("Cache-Control", "no-store");
        res.set_content(body, "application/json");
    });
    if (!server.bind_to_port("127.0.0.1", port)) {
        std::fprintf(stderr, "hello_server: cannot bind 127.0.0.1:%d\n", port);
        return 1;
    }
    std::printf("hello_server listening on 127.0.0.1:%d (%zu threads)\n", port, threads);
    std::fflush(stdout);
    return server.listen_after_bind() ? 0 : 1;
}
