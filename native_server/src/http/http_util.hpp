// Small HTTP helpers for the routes: the error type handlers throw, JSON answers, and strict
// validation of request bodies and query parameters (every message starts with the field name).
// An error's status is the one errors.hpp lists for its code: nothing here picks a status.
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "memberdesk/errors.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace memberdesk::server::http {

// Thrown inside a handler; the dispatcher turns it into {"error":{code,message}} with the code's status.
struct HttpError : std::exception {
    ErrorCode code;
    std::string message;
    HttpError(ErrorCode c, std::string m) : code(c), message(std::move(m)) {}
    const char* what() const noexcept override { return message.c_str(); }
};

[[noreturn]] void fail(ErrorCode code, std::string message);
// 400 invalid_field, message "<field>: <what>".
[[noreturn]] void bad_field(std::string_view field, std::string_view what);

constexpr std::int64_t kMaxAmount = 100000000;  // fen: ¥1,000,000

// Responses. JSON is dumped with invalid UTF-8 replaced (never throws).
std::string dump(const nlohmann::json& j);
void send_json(httplib::Response& res, int status, const nlohmann::json& body);
nlohmann::json error_body(ErrorCode code, std::string_view message);
// {"error":{code,message}} with http_status(code).
void send_error(httplib::Response& res, ErrorCode code, std::string_view message);

// Request body: must be a JSON object (400 invalid_json otherwise).
nlohmann::json parse_object(const std::string& body);
// Optional body: empty -> empty object; else as parse_object.
nlohmann::json parse_optional_object(const std::string& body);

// Body fields. Absent or JSON null counts as missing for optional getters.
std::string req_string(const nlohmann::json& o, const char* field, std::size_t min_len, std::size_t max_len);
std::optional<std::string> opt_string(const nlohmann::json& o, const char* field, std::size_t min_len,
                                      std::size_t max_len);
std::int64_t req_int(const nlohmann::json& o, const char* field, std::int64_t min, std::int64_t max);
std::int64_t req_amount(const nlohmann::json& o, const char* field);  // 0 < x <= kMaxAmount
bool has_field(const nlohmann::json& o, const char* field);           // present and not null

// Query parameters.
std::optional<std::string> query(const httplib::Request& req, const char* name);
int query_limit(const httplib::Request& req, int default_limit);  // 1..100
std::optional<std::int64_t> parse_int64(std::string_view s);      // strict decimal

// Headers.
std::string header(const httplib::Request& req, const char* name);
std::optional<std::string> bearer_token(const httplib::Request& req);
bool is_printable_ascii(std::string_view s);

}  // namespace memberdesk::server::http
