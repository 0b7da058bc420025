// gzip for what the server sends: the check of a request's Accept-Encoding (shared with the static
// files, which are precompressed at build time) and gzip of API answers large enough to gain from it.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace memberdesk::server::http {

// Accept-Encoding lists gzip, x-gzip or * with a non-zero q.
bool accepts_gzip(std::string_view accept_encoding);

// gzip (RFC 1952) of `data` at zlib `level` (1 fastest .. 9 smallest).
std::string gzip(std::string_view data, int level);

// Below this an answer is sent as it is: a small JSON answer gains a few hundred bytes at most,
// less than gzip's own header and the CPU it costs.
constexpr std::size_t kGzipMinBytes = 1024;

// Compresses `res` in place when the request accepts gzip and the answer is JSON or text of at least
// `min_bytes`, not already encoded and not a range. Adds `Vary: Accept-Encoding` to every answer
// that could have been compressed, so a cache keeps the two apart.
void gzip_answer(const httplib::Request& req, httplib::Response& res, std::size_t min_bytes = kGzipMinBytes);

}  // namespace memberdesk::server::http
