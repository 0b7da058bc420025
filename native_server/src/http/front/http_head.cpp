#include "http/front/http_head.hpp"

#include <strings.h>

namespace memberdesk::server::front {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool is_token_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_token_char(c)) return false;
    return true;
}

// Comma-separated tokens of a header value contain `word` (case-insensitive)?
bool has_token(std::string_view value, std::string_view word) {
    while (!value.empty()) {
        auto comma = value.find(',');
        if (iequals(trim(value.substr(0, comma)), word)) return true;
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

bool parse_decimal(std::string_view s, std::uint64_t& out) {
    if (s.empty() || s.size() > 15) return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    out = v;
    return true;
}

// Calls f(line) for each line of the head (without its line end), stopping at the blank line.
template <class F>
bool for_each_line(std::string_view head, F&& f) {
    std::size_t pos = 0;
    while (pos < head.size()) {
        auto nl = head.find('\n', pos);
        if (nl == std::string_view::npos) return false;
        std::string_view line = head.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        pos = nl + 1;
        if (line.empty()) return true;
        if (!f(line)) return false;
    }
    return false;
}

bool is_hop_by_hop(std::string_view name) {
    return iequals(name, "Connection") || iequals(name, "Keep-Alive") || iequals(name, "Proxy-Connection");
}

}  // namespace

std::size_t find_head_end(std::string_view buf, std::size_t from) {
    for (std::size_t i = buf.find('\n', from); i != std::string_view::npos; i = buf.find('\n', i + 1)) {
        if (i + 1 < buf.size() && buf[i + 1] == '\n') return i + 2;
        if (i + 2 < buf.size() && buf[i + 1] == '\r' && buf[i + 2] == '\n') return i + 3;
    }
    return std::string_view::npos;
}

bool parse_request_head(std::string_view head, RequestHead& out, std::string& forward) {
    bool first = true, have_length = false, connection_keep_alive = false, connection_close = false;
    bool ok = for_each_line(head, [&](std::string_view line) {
        if (first) {
            first = false;
            auto sp1 = line.find(' ');
            auto sp2 = line.rfind(' ');
            if (sp1 == std::string_view::npos || sp2 == sp1) return false;
            std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1),
                             version = line.substr(sp2 + 1);
            if (!is_token(method) || target.empty() || target.find(' ') != std::string_view::npos) return false;
            for (char c : target)
                if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
            if (version == "HTTP/1.0")
                out.http10 = true;
            else if (version != "HTTP/1.1")
                return false;
            out.head_method = method == "HEAD";
            out.reads_only = out.head_method || method == "GET";
            out.target.assign(target);
            out.api = target.rfind("/api/", 0) == 0;
            forward.append(line).append("\r\n");
            return true;
        }
        if (line.front() == ' ' || line.front() == '\t') return false;  // obsolete line folding
        auto colon = line.find(':');
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) return false;
        std::string_view name = line.substr(0, colon), value = trim(line.substr(colon + 1));
        for (char c : value)
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return false;
        if (iequals(name, "Content-Length")) {
            std::uint64_t n = 0;
            if (!parse_decimal(value, n) || (have_length && n != out.content_length)) return false;
            out.content_length = n;
            have_length = true;
        } else if (iequals(name, "Transfer-Encoding")) {
            out.chunked = true;
        } else if (iequals(name, "Host")) {
            out.host.assign(value);
        } else if (iequals(name, "Expect")) {
            if (has_token(value, "100-continue")) out.expect_continue = true;
            return true;
        } else if (iequals(name, "Connection")) {
            if (has_token(value, "close")) connection_close = true;
            if (has_token(value, "keep-alive")) connection_keep_alive = true;
        }
        if (is_hop_by_hop(name)) return true;
        // The front adds the client's address itself; a client's own would let it pose as another.
        if (iequals(name, "X-Memberdesk-Client-Address")) return true;
        forward.append(line).append("\r\n");
        return true;
    });
    if (!ok || first) return false;
    out.keep_alive = !connection_close && (!out.http10 || connection_keep_alive);
    forward.append("\r\n");
    return true;
}

bool parse_answer_head(std::string_view head, AnswerHead& out, std::string& forward) {
    bool first = true;
    bool ok = for_each_line(head, [&](std::string_view line) {
        if (first) {
            first = false;
            if (line.size() < 12 || line.substr(0, 5) != "HTTP/") return false;
            std::uint64_t status = 0;
            if (!parse_decimal(line.substr(9, 3), status)) return false;
            out.status = static_cast<int>(status);
            forward.append(line).append("\r\n");
            return true;
        }
        auto colon = line.find(':');
        if (colon == std::string_view::npos) return false;
        std::string_view name = line.substr(0, colon), value = trim(line.substr(colon + 1));
        if (iequals(name, "Content-Length")) {
            if (!parse_decimal(value, out.content_length)) return false;
            out.has_length = true;
        } else if (iequals(name, "Transfer-Encoding")) {
            out.chunked = has_token(value, "chunked");
        } else if (iequals(name, "Cache-Control")) {
            out.has_cache_control = true;
        }
        if (is_hop_by_hop(name)) return true;
        forward.append(line).append("\r\n");
        return true;
    });
    return ok && !first;
}

}  // namespace memberdesk::server::front
