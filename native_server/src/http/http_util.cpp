#include "http/http_util.hpp"

#include <httplib.h>

#include <limits>

#include "http/route_ctx.hpp"
#include "memberdesk/utf8.hpp"

namespace memberdesk::server::http {

using nlohmann::json;

void fail(ErrorCode code, std::string message) { throw HttpError(code, std::move(message)); }

void bad_field(std::string_view field, std::string_view what) {
    std::string m(field);
    m += ": ";
    m += what;
    throw HttpError(ErrorCode::invalid_field, std::move(m));
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json error_body(ErrorCode code, std::string_view message) {
    return json{{"error", {{"code", to_string(code)}, {"message", std::string(message)}}}};
}

void send_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(dump(body), "application/json");
}

void send_error(httplib::Response& res, ErrorCode code, std::string_view message) {
    send_json(res, http_status(code), error_body(code, message));
}

json parse_object(const std::string& body) {
    if (body.empty()) fail(ErrorCode::invalid_json, "request body: expected a JSON object, got nothing");
    json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) fail(ErrorCode::invalid_json, "request body: not valid JSON");
    if (!j.is_object()) fail(ErrorCode::invalid_json, "request body: must be a JSON object");
    return j;
}

json parse_optional_object(const std::string& body) {
    bool blank = true;
    for (char c : body) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            blank = false;
            break;
        }
    }
    if (blank) return json::object();
    return parse_object(body);
}

bool has_field(const json& o, const char* field) {
    auto it = o.find(field);
    return it != o.end() && !it->is_null();
}

static std::string length_rule(std::size_t min_len, std::size_t max_len) {
    if (min_len == 0) return "a string of at most " + std::to_string(max_len) + " characters";
    return "a string of " + std::to_string(min_len) + ".." + std::to_string(max_len) + " characters";
}

std::optional<std::string> opt_string(const json& o, const char* field, std::size_t min_len, std::size_t max_len) {
    auto it = o.find(field);
    if (it == o.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) bad_field(field, "must be " + length_rule(min_len, max_len));
    const auto& s = it->get_ref<const std::string&>();
    const auto n = utf8_length(s);  // JSON strings are well-formed UTF-8 (the parser checks)
    if (!n || *n < min_len || *n > max_len) bad_field(field, "must be " + length_rule(min_len, max_len));
    return s;
}

std::string req_string(const json& o, const char* field, std::size_t min_len, std::size_t max_len) {
    auto v = opt_string(o, field, min_len, max_len);
    if (!v) bad_field(field, "required (" + length_rule(min_len, max_len) + ")");
    return *v;
}

std::int64_t req_int(const json& o, const char* field, std::int64_t min, std::int64_t max) {
    auto it = o.find(field);
    std::string rule = "must be an integer, " + std::to_string(min) + ".." + std::to_string(max);
    if (it == o.end() || it->is_null()) bad_field(field, "required (" + rule.substr(8) + ")");
    if (it->is_number_unsigned()) {
        auto u = it->get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) bad_field(field, rule);
        auto v = static_cast<std::int64_t>(u);
        if (v < min || v > max) bad_field(field, rule);
        return v;
    }
    if (it->is_number_integer()) {
        auto v = it->get<std::int64_t>();
        if (v < min || v > max) bad_field(field, rule);
        return v;
    }
    bad_field(field, rule);
}

std::int64_t req_amount(const json& o, const char* field) {
    auto it = o.find(field);
    const char* rule = "must be an integer amount in fen, 0 < amount <= 100000000";
    if (it == o.end() || it->is_null()) bad_field(field, std::string("required (") + (rule + 8) + ")");
    if (!it->is_number_integer()) bad_field(field, rule);
    if (it->is_number_unsigned()) {
        auto u = it->get<std::uint64_t>();
        if (u == 0 || u > static_cast<std::uint64_t>(kMaxAmount)) bad_field(field, rule);
        return static_cast<std::int64_t>(u);
    }
    auto v = it->get<std::int64_t>();
    if (v <= 0 || v > kMaxAmount) bad_field(field, rule);
    return v;
}

std::optional<std::string> query(const httplib::Request& req, const char* name) {
    auto it = req.params.find(name);
    if (it == req.params.end()) return std::nullopt;
    return it->second;
}

std::optional<std::int64_t> parse_int64(std::string_view s) {
    if (s.empty() || s.size() > 19) return std::nullopt;
    bool neg = false;
    std::size_t i = 0;
    if (s[0] == '-') {
        neg = true;
        i = 1;
        if (s.size() == 1) return std::nullopt;
    }
    std::int64_t v = 0;
    for (; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
        v = v * 10 + (s[i] - '0');  // at most 19 chars incl. sign: 18 digits never overflow
    }
    return neg ? -v : v;
}

int query_limit(const httplib::Request& req, int default_limit) {
    auto v = query(req, "limit");
    if (!v) return default_limit;
    auto n = parse_int64(*v);
    if (!n || *n < 1 || *n > 100) bad_field("limit", "must be an integer 1..100");
    return static_cast<int>(*n);
}

std::string header(const httplib::Request& req, const char* name) { return req.get_header_value(name); }

std::optional<std::string> bearer_token(const httplib::Request& req) {
    auto it = req.headers.find("Authorization");
    if (it == req.headers.end()) return std::nullopt;
    const std::string& v = it->second;
    if (v.size() < 8) return std::nullopt;
    static const char kPrefix[] = "bearer ";
    for (int i = 0; i < 7; ++i) {
        char c = v[static_cast<std::size_t>(i)];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != kPrefix[i]) return std::nullopt;
    }
    std::size_t b = 7;
    while (b < v.size() && v[b] == ' ') ++b;
    std::size_t e = v.size();
    while (e > b && v[e - 1] == ' ') --e;
    if (e <= b || e - b > 512) return std::nullopt;
    return v.substr(b, e - b);
}

bool is_printable_ascii(std::string_view s) {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x21 || c > 0x7E) return false;
    }
    return true;
}

}  // namespace memberdesk::server::http

namespace memberdesk::server {

void send_reply(httplib::Response& res, const Reply& r) {
    if (r.kind == Reply::Kind::empty) {
        res.status = 204;
        return;
    }
    const int status = r.kind == Reply::Kind::created ? 201 : 200;
    if (r.text.empty()) return http::send_json(res, status, r.body.is_null() ? nlohmann::json::object() : r.body);
    res.status = status;
    res.set_content(r.text, "application/json");
}

}  // namespace memberdesk::server
