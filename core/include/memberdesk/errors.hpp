// Every error code of memberdesk, each listed once: its name (error.code on the wire), the HTTP
// status the server answers with, and a default message. The server (native_server/src/http/ maps
// a code to its status with http_status()), the client (reads error.code back with
// error_code_from_string) and docs/api.md (checked by tests/server/error_codes_test.cpp) all
// follow this table. Core stays free of HTTP: the status is just a number here.
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

namespace memberdesk {

// X(code, http status, default message)
#define MEMBERDESK_ERROR_CODES(X)                                                                       \
    /* The request itself is malformed. */                                                              \
    X(bad_request, 400, "the request could not be read")                                                \
    X(invalid_json, 400, "request body: expected a JSON object")                                        \
    X(invalid_field, 400, "a field or query parameter is missing, of the wrong type or out of range")   \
    X(confirmation_required, 400, "this cannot be undone: confirm it")                                  \
    X(invalid_phone, 400, "phone: 6 to 20 digits, optionally with a leading +")                         \
    X(invalid_pin, 400, "pin: exactly 6 digits")                                                        \
    X(invalid_name, 400, "name: 1 to 100 characters, not blank")                                        \
    X(invalid_birthday, 400, "birthday: a real date, not in the future")                                \
    X(invalid_at, 400, "at: not more than 5 minutes in the future")                                     \
    X(invalid_comment, 400, "comment: at most 1000 characters")                                         \
    X(invalid_reason, 400, "reason: 1 to 200 characters")                                               \
    X(invalid_rating, 400, "rating: 1 to 5")                                                            \
    X(invalid_amount, 400, "amount: a positive number of fen")                                          \
    X(invalid_points, 400, "points: a non-zero integer")                                                \
    X(invalid_txn_id, 400, "txn_id: 1 to 128 printable characters")                                     \
    X(invalid_refund_id, 400, "refund_id: 1 to 128 printable characters")                               \
    X(invalid_transaction, 400, "txn_id must not be empty")                                             \
    X(invalid_reward_id, 400, "reward_id: 1 to 64 characters")                                          \
    X(invalid_store, 400, "store: 1 to 64 characters")                                                  \
    X(invalid_code, 400, "code: a coupon code, or a one-time code that is wrong or expired")            \
    X(invalid_referral_code, 400, "referral_code: no member has this referral code")                    \
    X(invalid_member, 400, "member: a member id, phone or member code")                                 \
    X(invalid_idempotency_key, 400, "Idempotency-Key: 1 to 128 printable ASCII characters")             \
    X(invalid_date, 400, "expected a date as YYYY-MM-DD")                                               \
    X(invalid_time, 400, "expected an RFC 3339 time")                                                   \
    X(invalid_id, 400, "id: 1 to 16 letters, digits, - or _")                                           \
    X(invalid_username, 400, "username: 3 to 32 lowercase letters, digits, . - _")                      \
    X(weak_password, 400, "password: 10 to 128 characters")                                             \
    X(invalid_role, 400, "role: clerk, store_manager, region_manager, hq_admin or auditor")             \
    X(consent_required, 400, "consents.terms: the terms must be accepted")                              \
    /* Who is asking. */                                                                                \
    X(unauthorized, 401, "missing, invalid or expired token or key")                                    \
    X(invalid_credentials, 401, "wrong phone or PIN")                                                   \
    X(forbidden, 403, "this credential may not use this route")                                         \
    X(store_mismatch, 403, "this store's key or account may not act for another store")                 \
    X(limit_exceeded, 403, "over this role's daily limit")                                              \
    /* What the request names does not exist. A member code names a member like an id does, so an     \
       unknown or expired one is 404 everywhere (kiosk sign-in and POS purchase): 401 would say the     \
       caller's own token or key is bad, and the portal signs out on 401. */ \
    X(not_found, 404, "no such route")                                                                  \
    X(member_not_found, 404, "no such member")                                                          \
    X(coupon_not_found, 404, "no coupon with this code")                                                \
    X(invalid_member_code, 404, "unknown or expired member code")                                       \
    X(unknown_reward, 404, "no such reward in the catalog")                                             \
    X(unknown_template, 404, "no such coupon template")                                                 \
    X(unknown_transaction, 404, "no such purchase")                                                     \
    X(unknown_store, 404, "no such store")                                                              \
    X(unknown_region, 404, "no such region")                                                            \
    X(pos_key_not_found, 404, "no such POS key")                                                        \
    X(staff_not_found, 404, "no such staff account")                                                    \
    X(method_not_allowed, 405, "this method is not allowed here")                                       \
    /* The rules refuse a well-formed request. */                                                       \
    X(idempotency_conflict, 409, "this key was already used with a different request")                  \
    X(duplicate_transaction, 409, "this transaction was already posted")                                \
    X(phone_taken, 409, "this phone number belongs to another member")                                  \
    X(insufficient_points, 409, "not enough points")                                                    \
    X(out_of_stock, 409, "this reward is out of stock")                                                 \
    X(tier_not_allowed, 409, "this reward is not available at the member's tier")                       \
    X(coupon_used, 409, "this coupon has already been used")                                            \
    X(coupon_void, 409, "this coupon has been cancelled")                                               \
    X(coupon_expired, 409, "this coupon has expired")                                                   \
    X(coupon_not_yet_valid, 409, "this coupon is not valid yet")                                        \
    X(min_spend_not_met, 409, "the order does not reach the coupon's minimum spend")                    \
    X(store_not_allowed, 409, "this coupon cannot be used at this store")                               \
    X(refund_exceeds_purchase, 409, "the refunds would exceed the purchase")                            \
    X(already_exists, 409, "a store, region or staff account with this id or username exists")          \
    X(birthday_already_set, 409, "the birthday is already set; staff can correct it")                   \
    /* Limits. */                                                                                       \
    X(request_timeout, 408, "the request did not arrive in time")                                       \
    X(length_required, 411, "send the body with Content-Length (no chunked uploads)")                   \
    X(payload_too_large, 413, "request body too large (at most 64 KiB)")                                \
    X(uri_too_long, 414, "request URI too long")                                                        \
    X(unsupported_media_type, 415, "unsupported media type")                                            \
    X(range_not_satisfiable, 416, "range not satisfiable")                                              \
    X(expectation_failed, 417, "expectation failed")                                                    \
    X(header_too_large, 431, "request head too large (at most 16 KiB)")                                 \
    X(too_many_attempts, 429, "too many failed attempts; try again later (Retry-After)")                \
    X(too_many_codes, 429, "codes were sent too often; try again later (Retry-After)")                  \
    /* The server. */                                                                                   \
    X(internal_error, 500, "internal error")                                                            \
    X(invalid_program, 500, "the loyalty program configuration is invalid")                             \
    X(worker_unavailable, 502, "the request could not be processed; try again")                         \
    X(invalid_snapshot, 500, "a stored member snapshot cannot be read")                                 \
    X(service_busy, 503, "the database is busy; try again (Retry-After)")                               \
    /* Start-up only (command line, configuration): never an HTTP answer, so 500 if one ever were. */   \
    X(usage, 500, "invalid command line")                                                               \
    X(unknown_preset, 500, "no such program preset")                                                    \
    X(invalid_zone, 500, "invalid time zone data")                                                      \
    X(unknown_zone, 500, "unknown time zone")                                                           \
    X(invalid_web_dir, 500, "--web: not a readable directory of static files")                          \
    X(database_error, 500, "cannot open the database")                                                  \
    X(demo_error, 500, "seeding demo data failed")                                                      \
    X(tls_error, 500, "cannot load the TLS certificate or key")                                         \
    X(startup_error, 500, "cannot start the server")

enum class ErrorCode {
#define MEMBERDESK_ERROR_ENUM(code, status, message) code,
    MEMBERDESK_ERROR_CODES(MEMBERDESK_ERROR_ENUM)
#undef MEMBERDESK_ERROR_ENUM
};

struct ErrorCodeInfo {
    ErrorCode code;
    const char* name;
    int http_status;
    const char* message;
};

inline constexpr ErrorCodeInfo kErrorCodes[] = {
#define MEMBERDESK_ERROR_INFO(code, status, message) {ErrorCode::code, #code, status, message},
    MEMBERDESK_ERROR_CODES(MEMBERDESK_ERROR_INFO)
#undef MEMBERDESK_ERROR_INFO
};
inline constexpr std::size_t kErrorCodeCount = sizeof(kErrorCodes) / sizeof(kErrorCodes[0]);

inline const ErrorCodeInfo& error_code_info(ErrorCode c) { return kErrorCodes[static_cast<std::size_t>(c)]; }
inline const char* to_string(ErrorCode c) { return error_code_info(c).name; }
inline int http_status(ErrorCode c) { return error_code_info(c).http_status; }
inline const char* default_message(ErrorCode c) { return error_code_info(c).message; }

// "phone_taken" -> ErrorCode::phone_taken; nullopt for a code this table does not list.
inline std::optional<ErrorCode> error_code_from_string(std::string_view name) {
    for (const auto& e : kErrorCodes)
        if (name == e.name) return e.code;
    return std::nullopt;
}

}  // namespace memberdesk
