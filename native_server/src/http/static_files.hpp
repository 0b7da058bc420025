// The web client's files (--web DIR), loaded into memory at start-up and served with the right
// MIME type, ETag/Cache-Control, and a precompressed `X.gz` sibling when the client accepts gzip.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "memberdesk/common.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace memberdesk::server {

class StaticFiles {
public:
    // Loads every regular, non-hidden file under `dir` (symlinks must stay inside it).
    // Errors: the directory does not exist or is unreadable; total size over `max_total_bytes`.
    static Result<std::unique_ptr<StaticFiles>> load(const std::string& dir,
                                                     std::size_t max_total_bytes = 512u * 1024u * 1024u);
    ~StaticFiles();

    // Serves GET/HEAD `req.path`. Returns false (response untouched) if no file matches.
    // `/` -> index.html; `/kiosk`, `/kiosk/` -> kiosk.html and `/staff`, `/staff/` -> staff.html
    // (each else index.html).
    bool serve(const httplib::Request& req, httplib::Response& res) const;

    std::size_t file_count() const;
    bool has(std::string_view url_path) const;

    static const char* mime_type(std::string_view path);  // by extension; default application/octet-stream

private:
    StaticFiles();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace memberdesk::server
