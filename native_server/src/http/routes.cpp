// Routes: every /api/v1 route, its credential, body parsing and the answer. The route table is the
// list of add(...) in Api::Impl's constructor; dispatch matches a request against it, and each
// handler turns the request into one Service call and the Result into HTTP (the status an ErrorCode
// gets comes from memberdesk/errors.hpp, through http_util's send_error).
//
// Index of this file:
// [SECTION] Request state for the metrics logger
// [SECTION] The route table (Api::Impl)
// [SECTION] Dispatch
// [SECTION] Credentials
// [SECTION] Helpers
// [SECTION] Public routes
// [SECTION] Member routes
// [SECTION] POS routes
// [SECTION] Admin routes
// [SECTION] Operator routes
#include "http/routes.hpp"

#include <httplib.h>
#include <sodium.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <functional>
#include <limits>
#include <string_view>
#include <vector>

#include "http/compress.hpp"
#include "http/http_util.hpp"
#include "http/member_routes.hpp"
#include "http/metrics.hpp"
#include "http/route_ctx.hpp"
#include "http/static_files.hpp"
#include "memberdesk/ledger.hpp"
#include "memberdesk/time.hpp"
#include "memberdesk/totp.hpp"
#include "memberdesk/utf8.hpp"
#include "service/crypto.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

using nlohmann::json;
using namespace http;

namespace {

// [SECTION] Request state for the metrics logger
struct RequestState {
    std::chrono::steady_clock::time_point start{};
    bool started = false;
    int metric = -1;  // metrics route index
};
thread_local RequestState tl_request;

// Seconds a client waits before retrying when the database is busy.
constexpr int kBusyRetryAfterSeconds = 1;

// Request field limits (docs/api.md "String limits").
constexpr std::size_t kMaxIdLength = 128;    // txn_id, refund_id
constexpr std::size_t kMaxNameLength = 100;  // member name, in characters

bool is_api_path(std::string_view p) { return p == "/api" || p.rfind("/api/", 0) == 0; }

// Path segments of "/a/b/c" -> {"a","b","c"}; "/" -> {}; keeps an empty last segment for "/a/".
void split_path(std::string_view path, std::vector<std::string_view>& out) {
    out.clear();
    if (path.empty() || path[0] != '/') return;
    std::size_t i = 1;
    if (path.size() == 1) return;
    while (true) {
        auto j = path.find('/', i);
        if (j == std::string_view::npos) {
            out.push_back(path.substr(i));
            break;
        }
        out.push_back(path.substr(i, j - i));
        i = j + 1;
    }
}

bool request_has_body(const httplib::Request& req) {
    if (req.has_header("Transfer-Encoding")) return true;
    auto it = req.headers.find("Content-Length");
    if (it == req.headers.end()) return false;
    return it->second != "0";
}

// The code of an answer httplib makes itself (bad request line, body too large, ...); its status
// becomes the code's own, so a code always comes with the status errors.hpp gives it.
ErrorCode code_for_httplib_status(int status) {
    switch (status) {
        case 400: return ErrorCode::bad_request;
        case 404: return ErrorCode::not_found;
        case 405: return ErrorCode::method_not_allowed;
        case 413: return ErrorCode::payload_too_large;
        case 414: return ErrorCode::uri_too_long;
        case 415: return ErrorCode::unsupported_media_type;
        case 416: return ErrorCode::range_not_satisfiable;
        case 417: return ErrorCode::expectation_failed;
        case 503: return ErrorCode::service_busy;
        default: return status >= 500 ? ErrorCode::internal_error : ErrorCode::bad_request;
    }
}

}  // namespace

// [SECTION] The route table (Api::Impl)
struct Api::Impl {
    using Ctx = RouteCtx;
    using Fn = void (Impl::*)(Ctx&);
    struct Route {
        const char* method;
        std::string pattern;  // "/api/v1/admin/members/{id}"
        std::vector<std::string> segs;
        Auth auth;
        Fn fn;
        int metric;
        std::function<void(Ctx&)> ext;  // a handler of a feature's route file (fn is null then)
    };

    Service& svc;
    ApiOptions opt;
    std::vector<Route> routes;
    std::unique_ptr<Metrics> metrics;
    int metric_static = -1, metric_unmatched = -1;
    std::string program_json;
    std::array<unsigned char, crypto_hash_sha256_BYTES> admin_digest{}, pos_digest{}, kiosk_digest{};
    bool has_admin = false, has_pos = false, has_kiosk = false;

    Impl(Service& s, ApiOptions o) : svc(s), opt(std::move(o)) {
        if (sodium_init() < 0) throw std::runtime_error("libsodium init failed");
        auto digest = [](const std::string& key, std::array<unsigned char, crypto_hash_sha256_BYTES>& out) {
            crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(key.data()), key.size());
            return !key.empty();
        };
        has_admin = digest(opt.keys.admin, admin_digest);
        has_pos = digest(opt.keys.pos, pos_digest);
        has_kiosk = digest(opt.keys.kiosk, kiosk_digest);

        add("GET", "/api/v1/program", Auth::none, &Impl::get_program);
        add("POST", "/api/v1/auth/login", Auth::none, &Impl::login);
        add("POST", "/api/v1/auth/logout", Auth::member_or_kiosk, &Impl::logout);
        add("POST", "/api/v1/auth/signup/start", Auth::none, &Impl::signup_start);
        add("POST", "/api/v1/auth/signup/verify", Auth::none, &Impl::signup_verify);
        add("POST", "/api/v1/auth/pin-reset/start", Auth::none, &Impl::pin_reset_start);
        add("POST", "/api/v1/auth/pin-reset/verify", Auth::none, &Impl::pin_reset_verify);
        add("GET", "/api/v1/me", Auth::member_or_kiosk, &Impl::get_me);
        add("DELETE", "/api/v1/me", Auth::member, &Impl::delete_me);
        add("PATCH", "/api/v1/me", Auth::member, &Impl::patch_me);
        add("GET", "/api/v1/me/ledger", Auth::member_or_kiosk, &Impl::get_ledger);
        add("GET", "/api/v1/me/coupons", Auth::member_or_kiosk, &Impl::get_coupons);
        add("GET", "/api/v1/rewards", Auth::member_or_kiosk, &Impl::get_rewards);
        add("POST", "/api/v1/me/redemptions", Auth::member_or_kiosk, &Impl::post_redemption);
        add("GET", "/api/v1/me/redemptions", Auth::member_or_kiosk, &Impl::get_redemptions);
        add("GET", "/api/v1/me/card", Auth::member, &Impl::get_card);
        add("POST", "/api/v1/me/feedback", Auth::member_or_kiosk, &Impl::post_feedback);
        add("GET", "/api/v1/me/export", Auth::member, &Impl::get_export);
        add("GET", "/api/v1/me/messages", Auth::member, &Impl::get_messages);
        add("GET", "/api/v1/me/consents", Auth::member, &Impl::get_consents);
        add("GET", "/api/v1/me/referral", Auth::member, &Impl::get_referral);
        add("POST", "/api/v1/me/phone/start", Auth::member, &Impl::phone_start);
        add("POST", "/api/v1/me/phone/verify", Auth::member, &Impl::phone_verify);
        add("PUT", "/api/v1/me/consents", Auth::member, &Impl::put_consents);
        add("POST", "/api/v1/me/messages/read", Auth::member, &Impl::read_messages);
        add("GET", "/api/v1/me/reminders", Auth::member, &Impl::get_reminders);
        add("POST", "/api/v1/kiosk/login", Auth::kiosk_device, &Impl::kiosk_login);
        add("POST", "/api/v1/pos/purchases", Auth::pos, &Impl::pos_purchase);
        add("POST", "/api/v1/pos/refunds", Auth::pos, &Impl::pos_refund);
        add("POST", "/api/v1/pos/coupons/redeem", Auth::pos, &Impl::pos_coupon_redeem);
        add("POST", "/api/v1/admin/members", Auth::admin, &Impl::admin_create_member);
        add("GET", "/api/v1/admin/members", Auth::admin, &Impl::admin_list_members);
        add("GET", "/api/v1/admin/members/{id}", Auth::admin, &Impl::admin_get_member);
        add("PATCH", "/api/v1/admin/members/{id}", Auth::admin, &Impl::admin_patch_member);
        add("GET", "/api/v1/admin/members/{id}/reach", Auth::admin, &Impl::admin_member_reach);
        add("POST", "/api/v1/admin/members/{id}/adjust", Auth::admin, &Impl::admin_adjust);
        add("POST", "/api/v1/admin/members/{id}/coupons", Auth::admin, &Impl::admin_issue_coupon);
        add("POST", "/api/v1/admin/coupons/{code}/void", Auth::admin, &Impl::admin_void_coupon);
        add("GET", "/api/v1/admin/audit", Auth::admin, &Impl::admin_audit);
        if (opt.test_clock) add("PUT", "/api/v1/admin/clock", Auth::admin, &Impl::admin_clock);
        for (auto& e : staff_routes(svc)) {
            add(e.method, e.pattern, e.auth, nullptr);
            routes.back().ext = std::move(e.fn);
        }
        add("GET", "/healthz", Auth::none, &Impl::healthz);
        add("GET", "/metrics", Auth::none, &Impl::get_metrics);

        std::vector<std::string> names;
        for (auto& r : routes) {
            int found = -1;
            for (std::size_t i = 0; i < names.size(); ++i)
                if (names[i] == r.pattern) found = static_cast<int>(i);
            if (found < 0) {
                found = static_cast<int>(names.size());
                names.push_back(r.pattern);
            }
            r.metric = found;
        }
        metric_static = static_cast<int>(names.size());
        names.emplace_back("static");
        metric_unmatched = static_cast<int>(names.size());
        names.emplace_back("unmatched");
        metrics = std::make_unique<Metrics>(std::move(names));

        program_json = dump(json(svc.program_view()));
    }

    void add(const char* method, std::string pattern, Auth auth, Fn fn) {
        Route r{method, pattern, {}, auth, fn, -1, nullptr};
        std::vector<std::string_view> segs;
        split_path(r.pattern, segs);
        for (auto s : segs) r.segs.emplace_back(s);
        routes.push_back(std::move(r));
    }

    static bool match(const Route& r, const std::vector<std::string_view>& segs, std::string_view& param) {
        if (r.segs.size() != segs.size()) return false;
        for (std::size_t i = 0; i < segs.size(); ++i) {
            const auto& p = r.segs[i];
            if (!p.empty() && p.front() == '{') {
                if (segs[i].empty()) return false;
                param = segs[i];
            } else if (p != segs[i]) {
                return false;
            }
        }
        return true;
    }

    // [SECTION] Dispatch
    void dispatch(const httplib::Request& req, httplib::Response& res) {
        route_request(req, res);
        // API answers are compressed here; the web client's files come precompressed (static_files).
        if (is_api_path(req.path)) gzip_answer(req, res);
    }

    void route_request(const httplib::Request& req, httplib::Response& res) {
        const std::string& path = req.path;
        bool api = is_api_path(path);
        if (api) res.set_header("Cache-Control", "no-store");

        thread_local std::vector<std::string_view> segs;
        split_path(path, segs);
        std::string_view method = req.method == "HEAD" ? std::string_view("GET") : std::string_view(req.method);
        const Route* found = nullptr;
        bool path_known = false;
        std::string_view param;
        for (const auto& r : routes) {
            std::string_view p;
            if (!match(r, segs, p)) continue;
            path_known = true;
            if (method == r.method) {
                found = &r;
                param = p;
                break;
            }
        }

        if (!found) {
            if (path_known) {
                std::string allow;
                std::string_view p;
                for (const auto& r : routes) {
                    if (!match(r, segs, p)) continue;
                    if (!allow.empty()) allow += ", ";
                    allow += r.method;
                    if (std::string_view(r.method) == "GET") allow += ", HEAD";
                }
                res.set_header("Allow", allow);
                int metric = metric_unmatched;
                for (const auto& r : routes)
                    if (match(r, segs, p)) metric = r.metric;
                tl_request.metric = metric;
                error(res, metric, ErrorCode::method_not_allowed,
                      "method " + req.method + " is not allowed here; allowed: " + allow);
                return;
            }
            if (api || !opt.static_files || (req.method != "GET" && req.method != "HEAD")) {
                tl_request.metric = api ? metric_unmatched : metric_static;
                if (api) {
                    error(res, metric_unmatched, ErrorCode::not_found, "no route for " + req.method + " " + path);
                } else {
                    res.status = 404;
                    res.set_content("404 Not Found\n", "text/plain; charset=utf-8");
                }
                return;
            }
            tl_request.metric = metric_static;
            if (!opt.static_files->serve(req, res)) {
                res.status = 404;
                res.set_content("404 Not Found\n", "text/plain; charset=utf-8");
            }
            return;
        }

        tl_request.metric = found->metric;
        Ctx ctx{req, res, std::string(param), std::nullopt, std::nullopt, {}, {}, found->metric};
        try {
            // The credential check and the route's reads in one read transaction where the store can.
            Store::SharedReads shared(svc.store());
            authorize(*found, ctx);
            if (found->ext)
                found->ext(ctx);
            else
                (this->*(found->fn))(ctx);
        } catch (const HttpError& e) {
            error(res, found->metric, e.code, e.message);
        } catch (const StoreError& e) {
            bool busy = e.kind() == StoreError::Kind::busy;
            std::fprintf(stderr, "memberdesk: %s %s: storage error: %s\n", req.method.c_str(), path.c_str(), e.what());
            if (busy)
                error(res, found->metric, ErrorCode::service_busy, default_message(ErrorCode::service_busy));
            else
                error(res, found->metric, ErrorCode::internal_error, "internal error");
        } catch (const std::exception& e) {
            std::fprintf(stderr, "memberdesk: %s %s: %s\n", req.method.c_str(), path.c_str(), e.what());
            error(res, found->metric, ErrorCode::internal_error, "internal error");
        } catch (...) {
            std::fprintf(stderr, "memberdesk: %s %s: unknown exception\n", req.method.c_str(), path.c_str());
            error(res, found->metric, ErrorCode::internal_error, "internal error");
        }
    }

    // Metrics label for a request that never reached a handler (e.g. 413): the route its path matches.
    int metric_for_path(const std::string& path) const {
        thread_local std::vector<std::string_view> segs;
        split_path(path, segs);
        std::string_view p;
        for (const auto& r : routes)
            if (match(r, segs, p)) return r.metric;
        return is_api_path(path) ? metric_unmatched : metric_static;
    }

    // Every error answer goes through here: its status is the code's (errors.hpp); codes that ask
    // the client to come back later say when.
    void error(httplib::Response& res, int metric, ErrorCode code, std::string_view message) {
        res.headers.erase("Content-Disposition");
        if (code == ErrorCode::too_many_attempts)
            res.set_header("Retry-After", std::to_string(opt.login_window_seconds));
        if (code == ErrorCode::service_busy) res.set_header("Retry-After", std::to_string(kBusyRetryAfterSeconds));
        send_error(res, code, message);
        metrics->record_error(metric, to_string(code));
    }

    // [SECTION] Credentials
    enum class KeyKind { none, admin, pos, kiosk };
    KeyKind identify_key(const std::string& presented) const {
        if (presented.empty() || presented.size() > 1024) return KeyKind::none;
        std::array<unsigned char, crypto_hash_sha256_BYTES> d{};
        crypto_hash_sha256(d.data(), reinterpret_cast<const unsigned char*>(presented.data()), presented.size());
        // Compare against all three so the time does not depend on which one matches.
        bool a = sodium_memcmp(d.data(), admin_digest.data(), d.size()) == 0 && has_admin;
        bool p = sodium_memcmp(d.data(), pos_digest.data(), d.size()) == 0 && has_pos;
        bool k = sodium_memcmp(d.data(), kiosk_digest.data(), d.size()) == 0 && has_kiosk;
        if (a) return KeyKind::admin;
        if (p) return KeyKind::pos;
        if (k) return KeyKind::kiosk;
        return KeyKind::none;
    }

    void authorize(const Route& r, Ctx& c) {
        switch (r.auth) {
            case Auth::none: return;
            case Auth::member:
            case Auth::member_or_kiosk: {
                auto tok = bearer_token(c.req);
                if (!tok) fail(ErrorCode::unauthorized, "missing bearer token (Authorization: Bearer <token>)");
                auto p = svc.authenticate(*tok);
                if (!p) service_error(p.error());
                if (r.auth == Auth::member && p->kind == Principal::Kind::kiosk)
                    fail(ErrorCode::forbidden, "not available in a kiosk session");
                c.token = std::move(*tok);
                c.principal = std::move(p.value());
                c.actor = c.principal->actor();
                return;
            }
            case Auth::kiosk_device: {
                auto k = identify_key(c.req.get_header_value("X-Kiosk-Key"));
                if (k != KeyKind::kiosk) fail(ErrorCode::unauthorized, "missing or invalid X-Kiosk-Key");
                return;
            }
            case Auth::staff: {
                auto tok = bearer_token(c.req);
                if (!tok) fail(ErrorCode::unauthorized, "missing bearer token (Authorization: Bearer <token>)");
                authorize_staff(c, std::move(*tok));
                return;
            }
            case Auth::admin_or_hq: {
                if (c.req.get_header_value("X-Api-Key").empty()) {
                    auto tok = bearer_token(c.req);
                    if (!tok) fail(ErrorCode::unauthorized, "missing X-Api-Key or staff bearer token");
                    authorize_staff(c, std::move(*tok));
                    if (c.staff->role != "hq_admin") fail(ErrorCode::forbidden, "only hq_admin may use this route");
                    return;
                }
                [[fallthrough]];
            }
            case Auth::pos:
            case Auth::admin: {
                auto presented = c.req.get_header_value("X-Api-Key");
                if (presented.empty()) fail(ErrorCode::unauthorized, "missing X-Api-Key");
                auto k = identify_key(presented);
                if (k == KeyKind::none && r.auth == Auth::pos && presented.rfind("mdpos_", 0) == 0) {
                    auto a = svc.authenticate_pos_key(presented);  // a store's own key
                    if (!a) service_error(a.error());
                    c.actor = std::move(*a);
                    return;
                }
                KeyKind want = r.auth == Auth::pos ? KeyKind::pos : KeyKind::admin;  // admin_or_hq: admin
                if (k == KeyKind::none) fail(ErrorCode::unauthorized, "invalid X-Api-Key");
                if (k != want)
                    fail(ErrorCode::forbidden, r.auth == Auth::pos ? "this key may not use the POS API"
                                                                   : "this key may not use the admin API");
                c.actor.kind = r.auth == Auth::pos ? Actor::Kind::pos : Actor::Kind::admin;
                c.actor.id = r.auth == Auth::pos ? "chain" : "admin";  // the chain-wide key acts for any store
                return;
            }
        }
    }

    void authorize_staff(Ctx& c, std::string token) {
        auto s = svc.authenticate_staff(token);
        if (!s) service_error(s.error());
        c.token = std::move(token);
        c.staff = std::move(s.value());
        c.actor = c.staff->actor();
    }

    std::int64_t member_id(const Ctx& c) const { return c.principal->member_id; }
    bool kiosk(const Ctx& c) const { return c.principal && c.principal->kind == Principal::Kind::kiosk; }

    // [SECTION] Helpers
    [[noreturn]] static void service_error(const Error& e) { fail(e.code, e.message); }

    template <class T>
    static T& ok(Result<T>& r) {
        if (!r) service_error(r.error());
        return r.value();
    }

    static void send_reply(Ctx& c, const Reply& r) { server::send_reply(c.res, r); }

    static void send_ok(Ctx& c, const json& j) { send_json(c.res, 200, j); }
    // The same answer as send_ok(c, json(v)), written without the JSON tree (memberdesk/views.hpp).
    template <class V>
    static void send_view(Ctx& c, const V& v) {
        auto text = dump_view(v);
        if (!text) return send_ok(c, json(v));
        send_dumped(c, std::move(*text));
    }
    static void send_dumped(Ctx& c, std::string text) {
        c.res.status = 200;
        c.res.set_content(std::move(text), "application/json");
    }

    std::int64_t path_id(const Ctx& c) const {
        auto v = parse_int64(c.param);
        if (!v || *v <= 0) fail(ErrorCode::not_found, "no route for " + c.req.method + " " + c.req.path);
        return *v;
    }

    // RFC 3339 instant, or YYYY-MM-DD = start (or end) of that local day in the program zone.
    UnixSeconds parse_time_param(const char* name, const std::string& v, bool end_of_day) const {
        if (v.size() == 10) {
            auto d = parse_date(v);
            if (!d) bad_field(name, "must be an RFC 3339 time or a date YYYY-MM-DD");
            return end_of_day ? svc.zone().end_of_day(*d) : svc.zone().start_of_day(*d);
        }
        auto t = parse_rfc3339(v);
        if (!t) bad_field(name, "must be an RFC 3339 time or a date YYYY-MM-DD");
        return *t;
    }

    static std::optional<CivilDate> parse_birthday(const json& v) {
        if (v.is_null()) return std::nullopt;
        if (!v.is_string()) bad_field("birthday", "must be a date YYYY-MM-DD or null");
        auto d = parse_date(v.get_ref<const std::string&>());
        if (!d) bad_field("birthday", "must be a valid date YYYY-MM-DD");
        return *d;
    }

    // [SECTION] Public routes
    void get_program(Ctx& c) { c.res.set_content(program_json, "application/json"); }

    void login(Ctx& c) {
        auto b = parse_object(c.req.body);
        auto phone = req_string(b, "phone", 1, 32);
        auto pin = req_string(b, "pin", 1, 64);
        std::optional<std::int64_t> replace;
        if (has_field(b, "card_device")) {
            const json& v = b["card_device"];
            if (!v.is_number_integer() || v.get<std::int64_t>() < 1) bad_field("card_device", "a positive integer");
            replace = v.get<std::int64_t>();
        }
        auto r = svc.login(phone, pin, replace);
        auto& s = ok(r);
        json body = {{"token", s.token}, {"expires_at", format_rfc3339(s.expires_at)}};
        if (s.card)
            body["card"] = {{"member_id", s.card->member_id},
                            {"device_id", s.card->device_id},
                            {"secret", crypto::hex(s.card->secret)},
                            {"algorithm", "HMAC-SHA-256"},
                            {"digits", kTotpDigits},
                            {"period", kTotpStepSeconds}};
        send_ok(c, body);
    }

    // Members' self-service: http/member_routes.cpp.
    void signup_start(Ctx& c) { http::signup_start(svc, c.req, c.res); }
    void signup_verify(Ctx& c) {
        const bool kiosk =
            c.req.has_header("X-Kiosk-Key") && identify_key(c.req.get_header_value("X-Kiosk-Key")) == KeyKind::kiosk;
        http::signup_verify(svc, c.req, c.res, kiosk);
    }
    void pin_reset_start(Ctx& c) { http::pin_reset_start(svc, c.req, c.res); }
    void pin_reset_verify(Ctx& c) { http::pin_reset_verify(svc, c.req, c.res); }
    void patch_me(Ctx& c) {
        auto b = parse_object(c.req.body);
        auto name = opt_string(b, "name", 1, 400);
        std::optional<CivilDate> birthday;
        if (has_field(b, "birthday")) birthday = parse_birthday(b["birthday"]);
        if (!name && !birthday) bad_field("name", "give name or birthday");
        auto r = svc.patch_me(member_id(c), name, birthday);
        ok(r);
        get_me(c);
    }
    void get_consents(Ctx& c) { http::get_consents(svc, c.req, c.res, member_id(c)); }
    void phone_start(Ctx& c) { http::phone_change_start(svc, c.req, c.res, member_id(c)); }
    void phone_verify(Ctx& c) { http::phone_change_verify(svc, c.req, c.res, member_id(c)); }
    void get_referral(Ctx& c) { http::get_referral(svc, c.req, c.res, member_id(c), opt.https); }
    void put_consents(Ctx& c) { http::put_consents(svc, c.req, c.res, member_id(c)); }
    void get_messages(Ctx& c) { http::get_messages(svc, c.req, c.res, member_id(c)); }
    void read_messages(Ctx& c) { http::read_messages(svc, c.req, c.res, member_id(c)); }
    void get_reminders(Ctx& c) {
        auto r = svc.next_reminder(member_id(c));
        send_ok(c, ok(r));
    }

    void logout(Ctx& c) {
        svc.logout(c.token);
        c.res.status = 204;
    }

    void kiosk_login(Ctx& c) {
        auto b = parse_object(c.req.body);
        Result<Session> r = make_error(ErrorCode::invalid_field);
        if (has_field(b, "member_code")) {
            auto code = req_string(b, "member_code", 1, 128);
            r = svc.kiosk_login_with_code("kiosk", code);
        } else if (has_field(b, "phone") || has_field(b, "pin")) {
            auto phone = req_string(b, "phone", 1, 32);
            auto pin = req_string(b, "pin", 1, 64);
            r = svc.kiosk_login_with_pin("kiosk", phone, pin);
        } else {
            bad_field("member_code", "required (or phone and pin)");
        }
        auto& s = ok(r);
        send_ok(c, {{"token", s.token}, {"expires_at", format_rfc3339(s.expires_at)}});
    }

    // [SECTION] Member routes
    void get_me(Ctx& c) {
        auto r = svc.me(member_id(c), kiosk(c));
        auto& v = ok(r);
        // A member who refused personalised offers sees no segment offers (consents.cpp).
        if (!v.offers.empty() && !svc.personalised_offers_allowed(member_id(c))) v.offers.clear();
        send_view(c, v);
    }

    void get_ledger(Ctx& c) {
        LedgerQuery q;
        if (auto t = query(c.req, "type")) {
            if (!entry_type_from_string(*t))
                bad_field("type", "must be one of earn, bonus, redeem, expire, clawback, adjust, debt_settle");
            q.type = *t;
        }
        if (auto v = query(c.req, "from")) q.from = parse_time_param("from", *v, false);
        if (auto v = query(c.req, "to")) q.to = parse_time_param("to", *v, true);
        if (q.from && q.to && *q.from > *q.to) bad_field("from", "must not be after to");
        q.limit = query_limit(c.req, 20);
        if (auto v = query(c.req, "cursor")) {
            if (v->empty() || v->size() > 512) bad_field("cursor", "must be a next_cursor value");
            q.cursor = *v;
        }
        auto r = svc.ledger_entries(member_id(c), q);
        auto& page = ok(r);
        if (auto text = dump_ledger_page(page.entries, page.next_cursor)) return send_dumped(c, std::move(*text));
        // A string that is not valid UTF-8: the codec's dump decides, as send_view does.
        send_ok(c, json(std::move(page).into_view()));
    }

    void get_coupons(Ctx& c) {
        std::optional<std::string> state;
        if (auto s = query(c.req, "state")) {
            auto st = coupon_state_from_string(*s);
            if (!st && (*s == "void" || *s == "voided")) st = CouponState::voided;
            if (!st) bad_field("state", "must be one of available, used, expired, void");
            state = to_string(*st);
        }
        auto r = svc.coupons(member_id(c), state);
        send_ok(c, {{"coupons", json(ok(r))}});
    }

    void get_rewards(Ctx& c) {
        auto r = svc.rewards(member_id(c));
        send_ok(c, {{"rewards", json(ok(r))}});
    }

    void post_redemption(Ctx& c) {
        auto key = c.req.get_header_value("Idempotency-Key");
        if (key.empty() || key.size() > 128 || !is_printable_ascii(key))
            bad_field("Idempotency-Key", "header required: 1..128 printable ASCII characters");
        auto b = parse_object(c.req.body);
        auto reward = req_string(b, "reward_id", 1, 64);
        auto r = svc.redeem(c.actor, member_id(c), reward, key);
        send_reply(c, ok(r));
    }

    void get_redemptions(Ctx& c) {
        auto r = svc.redemptions(member_id(c));
        send_ok(c, {{"redemptions", json(ok(r))}});
    }

    void get_card(Ctx& c) {
        auto r = svc.card(member_id(c));
        send_ok(c, json(ok(r)));
    }

    void post_feedback(Ctx& c) {
        auto b = parse_object(c.req.body);
        SurveyAnswer a;
        // The survey form {scores:{product,service,environment}}, or the v1 form's overall rating.
        if (has_field(b, "scores")) {
            const json& sc = b["scores"];
            if (!sc.is_object()) bad_field("scores", "must be an object {product, service, environment}");
            a.product = static_cast<int>(req_int(sc, "product", 1, 5));
            a.service = static_cast<int>(req_int(sc, "service", 1, 5));
            a.environment = static_cast<int>(req_int(sc, "environment", 1, 5));
            // The overall score of a survey answer: the mean of its dimensions, rounded half up.
            a.rating = (2 * (*a.product + *a.service + *a.environment) + 3) / 6;
            if (has_field(b, "rating")) a.rating = static_cast<int>(req_int(b, "rating", 1, 5));
        } else {
            a.rating = static_cast<int>(req_int(b, "rating", 1, 5));
        }
        a.comment = opt_string(b, "comment", 0, 1000).value_or("");
        a.store = opt_string(b, "store", 1, 64).value_or("");
        auto r = svc.feedback(c.actor, member_id(c), a);
        send_reply(c, ok(r));
    }

    void get_export(Ctx& c) {
        auto id = member_id(c);
        auto r = svc.export_member(id);
        auto& j = ok(r);
        auto consents = svc.consents(id);  // the consent records belong to the member's data too
        j["consents"] = ok(consents);
        c.res.set_header("Content-Disposition",
                         "attachment; filename=\"memberdesk-export-" + std::to_string(id) + ".json\"");
        send_ok(c, j);
    }

    void delete_me(Ctx& c) {
        bool confirmed = false;
        if (auto q = query(c.req, "confirm")) confirmed = *q == "yes" || *q == "true";
        if (!confirmed) {
            auto b = parse_optional_object(c.req.body);
            auto it = b.find("confirm");
            confirmed = it != b.end() && it->is_boolean() && it->get<bool>();
        }
        if (!confirmed)
            fail(ErrorCode::confirmation_required,
                 "erasing your data cannot be undone: send {\"confirm\": true} or ?confirm=yes");
        auto r = svc.erase_member(c.actor, member_id(c));
        auto& reply = ok(r);
        svc.logout(c.token);
        send_reply(c, reply);
    }

    // [SECTION] POS routes
    void pos_purchase(Ctx& c) {
        auto b = parse_object(c.req.body);
        PurchaseRequest p;
        p.txn_id = req_string(b, "txn_id", 1, kMaxIdLength);
        auto m = b.find("member");
        if (m != b.end() && m->is_number_integer() && !m->is_number_float()) {
            auto id = req_int(b, "member", 1, std::numeric_limits<std::int64_t>::max());
            p.member = std::to_string(id);
        } else {
            p.member = req_string(b, "member", 1, 128);
        }
        p.amount = req_amount(b, "amount");
        p.store = req_string(b, "store", 1, 64);
        if (auto at = opt_string(b, "at", 1, 64)) {
            auto t = parse_rfc3339(*at);
            if (!t) bad_field("at", "must be an RFC 3339 time");
            p.at = *t;
        }
        auto r = svc.purchase(c.actor, p);
        send_reply(c, ok(r));
    }

    void pos_refund(Ctx& c) {
        auto b = parse_object(c.req.body);
        RefundRequest rr;
        rr.txn_id = req_string(b, "txn_id", 1, kMaxIdLength);
        rr.refund_id = req_string(b, "refund_id", 1, kMaxIdLength);
        rr.amount = req_amount(b, "amount");
        auto r = svc.refund(c.actor, rr);
        send_reply(c, ok(r));
    }

    void pos_coupon_redeem(Ctx& c) {
        auto b = parse_object(c.req.body);
        CouponRedeemRequest cr;
        cr.code = req_string(b, "code", 1, 32);
        cr.order_amount = req_amount(b, "order_amount");
        cr.store = req_string(b, "store", 1, 64);
        cr.txn_id = req_string(b, "txn_id", 1, kMaxIdLength);
        auto r = svc.redeem_coupon(c.actor, cr);
        send_reply(c, ok(r));
    }

    // [SECTION] Admin routes
    void admin_create_member(Ctx& c) {
        auto b = parse_object(c.req.body);
        NewMember m;
        m.phone = req_string(b, "phone", 1, 32);
        m.pin = req_string(b, "pin", 1, 64);
        m.name = req_string(b, "name", 1, kMaxNameLength);
        if (auto it = b.find("birthday"); it != b.end()) m.birthday = parse_birthday(*it);
        m.store = opt_string(b, "store", 1, 64);
        auto r = svc.create_member(c.actor, m);
        send_reply(c, ok(r));
    }

    void admin_list_members(Ctx& c) {
        std::optional<std::string> phone;
        if (auto p = query(c.req, "phone")) {
            if (p->empty() || utf8_length(*p).value_or(p->size()) > 32) bad_field("phone", "must be 1..32 characters");
            phone = *p;
        }
        int limit = query_limit(c.req, 20);
        std::optional<std::string> cursor;
        if (auto v = query(c.req, "cursor")) {
            if (v->empty() || v->size() > 512) bad_field("cursor", "must be a next_cursor value");
            cursor = *v;
        }
        auto r = svc.list_members(phone, limit, cursor);
        send_ok(c, ok(r));
    }

    void admin_get_member(Ctx& c) {
        auto r = svc.get_member(path_id(c));
        send_ok(c, ok(r));
    }

    void admin_member_reach(Ctx& c) {
        auto r = svc.member_reach(path_id(c));
        send_ok(c, ok(r));
    }

    void admin_patch_member(Ctx& c) {
        auto id = path_id(c);
        auto b = parse_object(c.req.body);
        MemberPatch p;
        p.phone = opt_string(b, "phone", 1, 32);
        p.pin = opt_string(b, "pin", 1, 64);
        p.name = opt_string(b, "name", 1, kMaxNameLength);
        if (auto it = b.find("birthday"); it != b.end()) p.birthday = parse_birthday(*it);
        auto r = svc.patch_member(c.actor, id, p);
        send_reply(c, ok(r));
    }

    void admin_adjust(Ctx& c) {
        auto id = path_id(c);
        auto b = parse_object(c.req.body);
        auto points = req_int(b, "points", -1000000, 1000000);
        if (points == 0) bad_field("points", "must be a non-zero integer, -1000000..1000000");
        auto reason = req_string(b, "reason", 1, 200);
        auto r = svc.adjust(c.actor, id, points, reason);
        send_reply(c, ok(r));
    }

    void admin_issue_coupon(Ctx& c) {
        auto id = path_id(c);
        auto b = parse_object(c.req.body);
        auto tmpl = req_string(b, "template", 1, 64);
        auto r = svc.issue_coupon(c.actor, id, tmpl);
        send_reply(c, ok(r));
    }

    void admin_void_coupon(Ctx& c) {
        if (c.param.size() > 32) fail(ErrorCode::coupon_not_found, "no coupon with this code");
        auto r = svc.void_coupon(c.actor, c.param);
        send_reply(c, ok(r));
    }

    void admin_audit(Ctx& c) {
        std::optional<std::int64_t> member;
        if (auto v = query(c.req, "member_id")) {
            auto n = parse_int64(*v);
            if (!n || *n <= 0) bad_field("member_id", "must be a positive integer");
            member = *n;
        }
        int limit = query_limit(c.req, 50);
        auto r = svc.audit_log(member, limit);
        send_ok(c, ok(r));
    }

    void admin_clock(Ctx& c) {
        auto b = parse_object(c.req.body);
        auto s = req_string(b, "now", 1, 64);
        auto t = parse_rfc3339(s);
        if (!t) bad_field("now", "must be an RFC 3339 time");
        // Whatever expired before the move stays dead, even if the clock goes back.
        svc.purge_expired();
        opt.test_clock->set(*t);
        // What became due meanwhile runs now, day by day in order, before the answer.
        const ReachRun run = svc.run_reach();
        send_ok(c, {{"now", format_rfc3339(*t)},
                    {"reach", {{"days", run.days}, {"occasions", run.occasions}, {"messages", run.messages}}}});
    }

    // [SECTION] Operator routes
    void healthz(Ctx& c) {
        c.res.set_header("Cache-Control", "no-store");
        bool h = false;
        try {
            h = svc.healthy();
        } catch (...) {
            h = false;
        }
        send_json(c.res, h ? 200 : 503, {{"status", h ? "ok" : "unavailable"}});
    }

    void get_metrics(Ctx& c) {
        c.res.set_header("Cache-Control", "no-store");
        c.res.set_content(metrics->render(), "text/plain; version=0.0.4; charset=utf-8");
    }
};

Api::Api(Service& service, ApiOptions options) : impl_(std::make_unique<Impl>(service, std::move(options))) {}
Api::~Api() = default;

std::string Api::metrics_text() const { return impl_->metrics->render(); }

void Api::install(httplib::Server& svr) {
    Impl* self = impl_.get();

    // Requests without a body are routed here, before httplib would try to read one (httplib reads
    // a POST/DELETE without Content-Length until the connection closes). Also avoids regex routing.
    svr.set_pre_routing_handler([self](const httplib::Request& req, httplib::Response& res) {
        tl_request.start = std::chrono::steady_clock::now();
        tl_request.started = true;
        tl_request.metric = -1;
        if (request_has_body(req)) return httplib::Server::HandlerResponse::Unhandled;
        self->dispatch(req, res);
        return httplib::Server::HandlerResponse::Handled;
    });
    // Requests with a body, after httplib has read it (and enforced the payload limit).
    auto h = [self](const httplib::Request& req, httplib::Response& res) { self->dispatch(req, res); };
    svr.Get(".*", h);
    svr.Post(".*", h);
    svr.Put(".*", h);
    svr.Patch(".*", h);
    svr.Delete(".*", h);
    svr.Options(".*", h);

    // Answers httplib makes itself (400 bad request line, 413, 414, unknown method ...), as JSON.
    svr.set_error_handler([self](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        int metric = tl_request.metric >= 0
                         ? tl_request.metric
                         : (req.path.empty() ? self->metric_unmatched : self->metric_for_path(req.path));
        tl_request.metric = metric;
        if (is_api_path(req.path)) {
            res.set_header("Cache-Control", "no-store");
            std::string msg = httplib::status_message(res.status);
            if (res.status == 413) msg = "request body too large";
            self->error(res, metric, code_for_httplib_status(res.status), msg);
        } else {
            res.set_content(std::to_string(res.status) + " " + httplib::status_message(res.status) + "\n",
                            "text/plain; charset=utf-8");
        }
        return httplib::Server::HandlerResponse::Handled;
    });
    svr.set_exception_handler([self](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        try {
            if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "memberdesk: %s %s: %s\n", req.method.c_str(), req.path.c_str(), e.what());
        } catch (...) {
            std::fprintf(stderr, "memberdesk: %s %s: unknown exception\n", req.method.c_str(), req.path.c_str());
        }
        res.body.clear();
        res.headers.erase("Content-Disposition");
        res.set_header("Cache-Control", "no-store");
        int metric = tl_request.metric >= 0 ? tl_request.metric : self->metric_unmatched;
        self->error(res, metric, ErrorCode::internal_error, "internal error");
    });
    svr.set_logger([self](const httplib::Request& req, const httplib::Response& res) {
        auto& s = tl_request;
        std::int64_t ns = 0;
        if (s.started)
            ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - s.start)
                     .count();
        int metric = s.metric >= 0 ? s.metric : self->metric_unmatched;
        self->metrics->record(metric, Metrics::method_index(req.method), res.status, ns);
        s = RequestState{};
    });
}

}  // namespace memberdesk::server
