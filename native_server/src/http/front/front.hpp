// The connection front of memberdesk-server: one thread with epoll owns every client socket (and
// its TLS session), reads each request whole -- head and body, under a total deadline -- and only
// then hands it to one of its worker threads, which answers it in memory (in_process_server.hpp).
// A slow or idle client therefore costs a file descriptor and a few hundred bytes, never a worker.
// Answers go back with the security headers added (security_headers.hpp).
// docs/design.md "Connection front" explains the choice.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "http/tls.hpp"

namespace memberdesk::server::front {

struct FrontOptions {
    // Answers one request (the head as the front rewrote it, and the body), on a worker thread: the
    // whole answer, head and body, appended to `answer`. Nothing appended: the client gets a 502.
    std::function<void(std::string_view request, std::string& answer)> handler;
    std::size_t workers = 64;                // worker threads: requests answered at once
    std::size_t read_workers = 0;            // of those, threads that answer only GET/HEAD; 0: one pool
    std::size_t max_head_bytes = 16 * 1024;  // request line + headers; more is 431
    std::size_t max_body_bytes = 64 * 1024;  // more is 413
    int request_deadline_ms = 10000;         // a whole request (head + body) from its first byte; else 408
    int first_byte_ms = 10000;               // a new connection's first request (and TLS handshake) starts within this
    int keep_alive_idle_ms = 30000;          // an idle keep-alive connection is closed after this
    int write_stall_ms = 10000;              // a client that reads none of its answer for this long is dropped
    std::size_t max_connections = 0;         // 0 = from RLIMIT_NOFILE
    std::size_t max_connections_per_address = 256;
};

class Front {
public:
    explicit Front(FrontOptions options, std::shared_ptr<TlsContext> tls /* null = plain HTTP */);
    ~Front();
    Front(const Front&) = delete;
    Front& operator=(const Front&) = delete;

    // Main listener (HTTPS when a TlsContext was given). port 0 = any free port; returns the port, -1 on error.
    int bind(const std::string& host, int port);
    // Plain-HTTP listener that only redirects to https://host[:https_port]/same/path. Returns the port or -1.
    int bind_redirect(const std::string& host, int port);

    // Runs the event loop until stop(); false if the loop could not start.
    bool run();
    // From any thread: stop accepting; answers in flight are finished (at most ~10 s), then run() returns.
    void stop();
    bool is_running() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace memberdesk::server::front
