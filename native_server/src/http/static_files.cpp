#include "http/static_files.hpp"

#include "http/compress.hpp"

#include <httplib.h>
#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace memberdesk::server {

namespace fs = std::filesystem;

namespace {

struct File {
    std::string data;
    std::string gz;  // precompressed sibling (X.gz), if any
    bool has_gz = false;
    const char* mime = "application/octet-stream";
    std::string etag, etag_gz;
    std::string last_modified;
    const char* cache_control = "no-cache";
};

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string lower(std::string_view s) {
    std::string r(s);
    for (auto& c : r)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return r;
}

std::string etag_of(const std::string& data, const char* suffix) {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a 64
    for (char c : data) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    char buf[48];
    std::snprintf(buf, sizeof buf, "\"%016llx-%zx%s\"", static_cast<unsigned long long>(h), data.size(), suffix);
    return buf;
}

std::string http_date(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
                  months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

const char* cache_control_for(std::string_view path) {
    // The service worker names the build: the browser must see a new one on its next visit.
    if (path == "/sw.js") return "no-cache";
    static const char* kLong[] = {".wasm", ".js",  ".mjs",  ".css", ".woff2", ".woff", ".ttf", ".otf",
                                  ".png",  ".jpg", ".jpeg", ".gif", ".webp",  ".svg",  ".ico", ".data"};
    auto l = lower(path);
    for (auto* e : kLong)
        if (ends_with(l, e)) return "public, max-age=3600";
    return "no-cache";
}

bool read_file(const fs::path& p, std::string& out) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = std::move(ss).str();
    return static_cast<bool>(in) || in.eof();
}

bool etag_matches(const std::string& if_none_match, const std::string& etag) {
    if (if_none_match.empty()) return false;
    if (if_none_match == "*") return true;
    std::size_t i = 0;
    while (i < if_none_match.size()) {
        auto j = if_none_match.find(',', i);
        if (j == std::string::npos) j = if_none_match.size();
        std::string t = if_none_match.substr(i, j - i);
        i = j + 1;
        auto b = t.find_first_not_of(" \t");
        auto e = t.find_last_not_of(" \t");
        if (b == std::string::npos) continue;
        t = t.substr(b, e - b + 1);
        if (t.rfind("W/", 0) == 0) t = t.substr(2);
        if (t == etag) return true;
    }
    return false;
}

}  // namespace

struct StaticFiles::Impl {
    std::unordered_map<std::string, File> files;  // key: URL path "/app.js"
};

StaticFiles::StaticFiles() : impl_(std::make_unique<Impl>()) {}
StaticFiles::~StaticFiles() = default;

const char* StaticFiles::mime_type(std::string_view path) {
    struct M {
        const char* ext;
        const char* mime;
    };
    static const M kTypes[] = {
        {".html", "text/html; charset=utf-8"},
        {".htm", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".wasm", "application/wasm"},
        {".json", "application/json"},
        {".webmanifest", "application/manifest+json"},
        {".map", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".ttf", "font/ttf"},
        {".otf", "font/otf"},
        {".txt", "text/plain; charset=utf-8"},
        {".xml", "application/xml"},
        {".gz", "application/gzip"},
        {".data", "application/octet-stream"},
    };
    auto l = lower(path);
    if (ends_with(l, "manifest.json")) return "application/manifest+json";
    for (const auto& m : kTypes)
        if (ends_with(l, m.ext)) return m.mime;
    return "application/octet-stream";
}

Result<std::unique_ptr<StaticFiles>> StaticFiles::load(const std::string& dir, std::size_t max_total_bytes) {
    std::error_code ec;
    fs::path root = fs::canonical(dir, ec);
    if (ec || !fs::is_directory(root, ec))
        return make_error(ErrorCode::invalid_web_dir, "--web " + dir + ": not a readable directory");
    std::unique_ptr<StaticFiles> sf(new StaticFiles());
    auto& files = sf->impl_->files;
    std::string root_prefix = root.string();
    if (root_prefix.back() != '/') root_prefix += '/';
    std::size_t total = 0;

    std::vector<std::pair<std::string, fs::path>> gz_files;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) return make_error(ErrorCode::invalid_web_dir, "--web " + dir + ": " + ec.message());
    for (; it != end; it.increment(ec)) {
        if (ec) return make_error(ErrorCode::invalid_web_dir, "--web " + dir + ": " + ec.message());
        const fs::path& p = it->path();
        std::string name = p.filename().string();
        if (!name.empty() && name[0] == '.') {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec)) continue;
        fs::path real = fs::canonical(p, ec);
        if (ec || real.string().rfind(root_prefix, 0) != 0) continue;  // symlink leading outside
        std::string rel = p.lexically_relative(root).generic_string();
        if (rel.empty() || rel.find("..") != std::string::npos) continue;
        std::string url = "/" + rel;
        if (ends_with(url, ".gz")) {
            gz_files.emplace_back(url, p);
            continue;
        }
        File f;
        if (!read_file(p, f.data)) return make_error(ErrorCode::invalid_web_dir, "cannot read " + p.string());
        total += f.data.size();
        if (total > max_total_bytes) return make_error(ErrorCode::invalid_web_dir, "--web " + dir + ": too large");
        f.mime = mime_type(url);
        f.cache_control = cache_control_for(url);
        f.etag = etag_of(f.data, "");
        struct stat st {};
        if (::stat(p.c_str(), &st) == 0) f.last_modified = http_date(st.st_mtime);
        files.emplace(std::move(url), std::move(f));
    }
    for (auto& [url, p] : gz_files) {
        std::string data;
        if (!read_file(p, data)) return make_error(ErrorCode::invalid_web_dir, "cannot read " + p.string());
        total += data.size();
        if (total > max_total_bytes) return make_error(ErrorCode::invalid_web_dir, "--web " + dir + ": too large");
        auto base = files.find(url.substr(0, url.size() - 3));
        if (base != files.end()) {
            base->second.gz = std::move(data);
            base->second.has_gz = true;
            base->second.etag_gz = etag_of(base->second.gz, "-gz");
        } else {
            File f;
            f.data = std::move(data);
            f.mime = "application/gzip";
            f.etag = etag_of(f.data, "");
            struct stat st {};
            if (::stat(p.c_str(), &st) == 0) f.last_modified = http_date(st.st_mtime);
            files.emplace(url, std::move(f));
        }
    }
    return sf;
}

std::size_t StaticFiles::file_count() const { return impl_->files.size(); }

bool StaticFiles::has(std::string_view url_path) const { return impl_->files.count(std::string(url_path)) != 0; }

bool StaticFiles::serve(const httplib::Request& req, httplib::Response& res) const {
    const std::string& path = req.path;
    if (path.empty() || path[0] != '/') return false;
    if (path.find("..") != std::string::npos || path.find('\\') != std::string::npos ||
        path.find('\0') != std::string::npos || path.find("/.") != std::string::npos)
        return false;
    std::string key = path;
    if (key == "/") {
        key = "/index.html";
    } else if (key == "/kiosk" || key == "/kiosk/") {
        key = impl_->files.count("/kiosk.html") ? "/kiosk.html" : "/index.html";
    } else if (key == "/staff" || key == "/staff/") {
        key = impl_->files.count("/staff.html") ? "/staff.html" : "/index.html";
    }
    auto it = impl_->files.find(key);
    if (it == impl_->files.end()) return false;
    const File& f = it->second;

    // A range is of the identity bytes (a media player or a resumed download asks for those).
    bool gz = f.has_gz && !req.has_header("Range") && http::accepts_gzip(req.get_header_value("Accept-Encoding"));
    const std::string& etag = gz ? f.etag_gz : f.etag;
    res.set_header("Cache-Control", f.cache_control);
    res.set_header("ETag", etag);
    if (!f.last_modified.empty()) res.set_header("Last-Modified", f.last_modified);
    if (f.has_gz) res.set_header("Vary", "Accept-Encoding");
    res.set_header("X-Content-Type-Options", "nosniff");
    if (etag_matches(req.get_header_value("If-None-Match"), etag)) {
        res.status = 304;
        return true;
    }
    res.status = 200;
    if (gz) {
        res.set_header("Content-Encoding", "gzip");
        res.set_content(f.gz, f.mime);
    } else {
        res.set_content(f.data, f.mime);
    }
    return true;
}

}  // namespace memberdesk::server
