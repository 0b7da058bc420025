// Just enough HTTP/1.1 parsing for the connection front: where a head ends, what a request head
// says about its body and connection, what an answer head says about its body -- and the head
// rewritten for the next hop (hop-by-hop headers dropped).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace memberdesk::server::front {

// Index just past the blank line ending a head ("\r\n\r\n" or bare "\n\n") at or after `from`, or npos.
std::size_t find_head_end(std::string_view buf, std::size_t from);

struct RequestHead {
    bool head_method = false;  // HEAD: the answer has no body whatever its Content-Length says
    bool reads_only = false;   // GET or HEAD: answered by the read lane when there is one
    bool api = false;          // target starts with /api/
    bool keep_alive = true;    // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "keep-alive"
    bool http10 = false;
    bool expect_continue = false;
    bool chunked = false;  // Transfer-Encoding present (refused: 411)
    std::uint64_t content_length = 0;
    std::string host;  // Host header (for redirects)
    std::string target;
};

// Parses `head` (ending with its blank line). On success fills `out` and appends the head to send
// on (request line and headers without Connection, Keep-Alive, Expect, Proxy-Connection) to
// `forward`, blank line included; an X-Memberdesk-Client-Address header is dropped too (the front
// adds its own). False: malformed (400).
bool parse_request_head(std::string_view head, RequestHead& out, std::string& forward);

struct AnswerHead {
    int status = 0;
    bool has_length = false;
    std::uint64_t content_length = 0;
    bool chunked = false;
    bool has_cache_control = false;
};

// Parses the head of a worker's answer; appends it to `forward` without its blank line and without
// Connection / Keep-Alive, so the caller can add headers and end it. False: malformed.
bool parse_answer_head(std::string_view head, AnswerHead& out, std::string& forward);

}  // namespace memberdesk::server::front
