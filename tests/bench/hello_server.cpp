// hello_server: the baseline for scripts/bench-server.
// A bare cpp-httplib server built from the same third_party/cpp-httplib header, with the same
// compile flags (scripts/bench-server takes them from memberdesk-server's compile command) and the
// same httplib::Server settings as native_server/src/app.cpp (thread pool size, keep-alive, timeouts,
// CPPHTTPLIB_TCP_NODELAY).  Every GET and POST answers a small constant JSON body, so the gap between
// this and memberdesk-server is what our routing, auth, SQLite and JSON cost.
//
//   hello_server PORT [THREADS]     (THREADS 0 = memberdesk-server's default)
#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: hello_server PORT [THREADS]\n");
        return 2;
    }
    int port = std::atoi(argv[1]);
    int want = argc > 2 ? std::atoi(argv[2]) : 0;
    signal(SIGPIPE, SIG_IGN);
    // Same default as App::create: max(16, 4 * cores).
    std::size_t threads = want > 0 ? static_cast<std::size_t>(want)
                                   : std::max<std::size_t>(16, 4 * std::thread::hardware_concurrency());
    httplib::Server server;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server.set_payload_max_length(64 * 1024);
    server.set_keep_alive_max_count(10000);
    server.set_keep_alive_timeout(5);
    server.set_read_timeout(10, 0);
    server.set_write_timeout(10, 0);
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
