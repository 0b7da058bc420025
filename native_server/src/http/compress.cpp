#include "http/compress.hpp"

#include <httplib.h>
#include <zlib.h>

#include <cstdlib>

namespace memberdesk::server::http {

namespace {

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool compressible(std::string_view content_type) {
    return content_type.rfind("application/json", 0) == 0 || content_type.rfind("text/", 0) == 0 ||
           content_type.rfind("application/problem+json", 0) == 0;
}

}  // namespace

bool accepts_gzip(std::string_view header) {
    while (!header.empty()) {
        auto comma = header.find(',');
        std::string_view item = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        auto semi = item.find(';');
        std::string_view name = trim(item.substr(0, semi));
        if (!iequals(name, "gzip") && !iequals(name, "x-gzip") && name != "*") continue;
        if (semi == std::string_view::npos) return true;
        std::string_view params = item.substr(semi + 1);
        auto q = params.find("q=");
        if (q == std::string_view::npos) q = params.find("Q=");
        if (q == std::string_view::npos) return true;
        std::string value(trim(params.substr(q + 2)));
        if (std::strtod(value.c_str(), nullptr) > 0) return true;
    }
    return false;
}

namespace {
// One deflate stream per thread, reset between answers: deflateInit2 allocates and clears ~300 KB
// of window and hash tables, which costs more than compressing a ledger page.
struct Deflater {
    z_stream z{};
    int level = -2;
    bool ok = false;
    ~Deflater() {
        if (ok) deflateEnd(&z);
    }
    bool use(int lvl) {
        if (ok && lvl == level) return deflateReset(&z) == Z_OK;
        if (ok) deflateEnd(&z);
        z = z_stream{};
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        ok = deflateInit2(&z, lvl, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
        level = lvl;
        return ok;
    }
};
}  // namespace

std::string gzip(std::string_view data, int level) {
    thread_local Deflater d;
    if (!d.use(level)) return {};
    z_stream& z = d.z;
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    if (rc != Z_STREAM_END) return {};
    out.resize(z.total_out);
    return out;
}

void gzip_answer(const httplib::Request& req, httplib::Response& res, std::size_t min_bytes) {
    if (res.has_header("Content-Encoding") || res.has_header("Content-Range") || res.status == 206) return;
    if (!compressible(res.get_header_value("Content-Type"))) return;
    if (res.body.size() < min_bytes) return;
    res.set_header("Vary", "Accept-Encoding");
    // A range is of the identity bytes: a client resuming a download gets what it asked for.
    if (req.has_header("Range")) return;
    if (!accepts_gzip(req.get_header_value("Accept-Encoding"))) return;
    // Level 1: most of the size gain for JSON at a fraction of the default level's CPU.
    std::string z = gzip(res.body, 1);
    if (z.empty() || z.size() >= res.body.size()) return;
    res.body = std::move(z);
    res.set_header("Content-Encoding", "gzip");
}

}  // namespace memberdesk::server::http
