// cpp-httplib writes an answer's head and its body with two writes (two syscalls, and for the
// front behind it two reads and two events). This makes the worker server write a buffered body
// with its head: the body moves out of the Response just before the head is written (the post-routing
// handler runs after Content-Length is set) and the header writer appends it to the head's buffer.
// Only for memberdesk-server's workers behind the front; the benchmark baseline stays stock.
#pragma once
#include <httplib.h>

#include <string>

namespace memberdesk::server {

// Same thread, back to back: httplib calls the post-routing handler, then the header writer.
// (A function, not a thread_local the lambdas name directly: GCC skips its initialisation there.)
inline std::string& body_to_send() {
    static thread_local std::string body;
    return body;
}

inline void write_answers_in_one_write(httplib::Server& server) {
    server.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
        std::string& pending = body_to_send();
        pending.clear();
        if (req.method != "HEAD" && !res.body.empty()) pending.swap(res.body);
    });
    server.set_header_writer([](httplib::Stream& strm, httplib::Headers& headers) -> ssize_t {
        std::string& pending = body_to_send();
        ssize_t n = httplib::detail::write_headers(strm, headers);
        if (n < 0 || pending.empty()) return n;
        ssize_t b = strm.write(pending.data(), pending.size());
        std::string().swap(pending);
        return b < 0 ? 0 : n + b;  // 0: httplib gives up on this connection
    });
}

}  // namespace memberdesk::server
