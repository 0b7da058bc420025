#include "http/member_routes.hpp"

#include <httplib.h>

#include <cstdlib>

#include "http/http_util.hpp"
#include "memberdesk/time.hpp"

namespace memberdesk::server::http {

using nlohmann::json;

namespace {

template <class T>
T& ok(Result<T>& r, httplib::Response& res) {
    if (!r) {
        if (r.error().code == ErrorCode::too_many_codes) {
            // The service says how long to wait at the end of its message ("... in N s").
            const std::string& m = r.error().message;
            const auto in = m.rfind(" in ");
            long secs = in == std::string::npos ? 60 : std::strtol(m.c_str() + in + 4, nullptr, 10);
            res.set_header("Retry-After", std::to_string(secs > 0 ? secs : 60));
        }
        fail(r.error().code, r.error().message);
    }
    return r.value();
}

std::string locale_field(const json& b) {
    auto l = opt_string(b, "locale", 1, 8);
    if (l && *l != "zh" && *l != "en") bad_field("locale", "must be zh or en");
    return l.value_or("zh");
}

CodeRequest code_request(const httplib::Request& req) {
    auto b = parse_object(req.body);
    CodeRequest r;
    r.phone = req_string(b, "phone", 1, 32);
    r.locale = locale_field(b);
    r.client_address = client_address(req);
    return r;
}

bool consent_flag(const json& consents, const char* name) {
    if (!consents.contains(name) || consents[name].is_null()) return false;
    if (!consents[name].is_boolean()) bad_field(std::string("consents.") + name, "must be true or false");
    return consents[name].get<bool>();
}

}  // namespace

std::string client_address(const httplib::Request& req) {
    std::string a = req.get_header_value(kClientAddressHeader);
    if (a.empty()) a = req.remote_addr;
    return a.empty() ? "unknown" : a;
}

void signup_start(Service& svc, const httplib::Request& req, httplib::Response& res) {
    auto r = svc.signup_start(code_request(req));
    send_json(res, 202, {{"expires_at", format_rfc3339(ok(r, res))}});
}

void pin_reset_start(Service& svc, const httplib::Request& req, httplib::Response& res) {
    auto r = svc.pin_reset_start(code_request(req));
    send_json(res, 202, {{"expires_at", format_rfc3339(ok(r, res))}});
}

void signup_verify(Service& svc, const httplib::Request& req, httplib::Response& res, bool from_kiosk) {
    auto b = parse_object(req.body);
    SignupRequest r;
    r.phone = req_string(b, "phone", 1, 32);
    r.code = req_string(b, "code", 1, 16);
    r.pin = req_string(b, "pin", 1, 64);
    r.name = req_string(b, "name", 1, 400);
    if (!has_field(b, "consents") || !b["consents"].is_object()) bad_field("consents", "required: an object");
    const json& c = b["consents"];
    r.terms = consent_flag(c, "terms");
    r.marketing = consent_flag(c, "marketing");
    r.personalised_offers = consent_flag(c, "personalised_offers");
    r.referral_code = opt_string(b, "referral_code", 1, 32);
    if (auto ch = opt_string(b, "channel", 1, 16)) {
        if (*ch != "portal" && *ch != "kiosk") bad_field("channel", "must be portal or kiosk");
        r.channel = *ch;
    }
    if (auto st = opt_string(b, "store", 1, 64)) {
        // Joining at a store puts the member in its managers' scope: only a kiosk may say so.
        if (!from_kiosk) fail(ErrorCode::unauthorized, "store: only a kiosk (X-Kiosk-Key) signs members up at a store");
        r.store = *st;
    }
    r.locale = locale_field(b);
    auto out = svc.signup_verify(r);
    auto& s = ok(out, res);
    send_json(
        res, 201,
        {{"token", s.session.token}, {"expires_at", format_rfc3339(s.session.expires_at)}, {"member_id", s.member_id}});
}

void pin_reset_verify(Service& svc, const httplib::Request& req, httplib::Response& res) {
    auto b = parse_object(req.body);
    PinResetRequest r;
    r.phone = req_string(b, "phone", 1, 32);
    r.code = req_string(b, "code", 1, 16);
    r.pin = req_string(b, "pin", 1, 64);
    r.locale = locale_field(b);
    auto out = svc.pin_reset_verify(r);
    ok(out, res);
    send_json(res, 200, json::object());
}

void get_messages(Service& svc, const httplib::Request& req, httplib::Response& res, std::int64_t member_id) {
    auto cursor = query(req, "cursor");
    if (cursor && (cursor->empty() || cursor->size() > 32)) bad_field("cursor", "must be a next_cursor value");
    auto r = svc.messages(member_id, cursor, query_limit(req, 20));
    send_json(res, 200, ok(r, res));
}

void read_messages(Service& svc, const httplib::Request& req, httplib::Response& res, std::int64_t member_id) {
    auto b = parse_object(req.body);
    const std::int64_t up_to = req_int(b, "up_to_id", 1, std::int64_t(1) << 53);
    auto r = svc.mark_messages_read(member_id, up_to);
    send_json(res, 200, ok(r, res));
}

void get_consents(Service& svc, const httplib::Request&, httplib::Response& res, std::int64_t member_id) {
    auto r = svc.consents(member_id);
    send_json(res, 200, ok(r, res));
}

void put_consents(Service& svc, const httplib::Request& req, httplib::Response& res, std::int64_t member_id) {
    auto b = parse_object(req.body);
    ConsentChoices c;
    auto flag = [&](const char* name) -> std::optional<bool> {
        if (!has_field(b, name)) return std::nullopt;
        if (!b[name].is_boolean()) bad_field(name, "must be true or false");
        return b[name].get<bool>();
    };
    c.reminders = flag("reminders");
    c.marketing = flag("marketing");
    c.personalised_offers = flag("personalised_offers");
    if (!c.reminders && !c.marketing && !c.personalised_offers)
        bad_field("reminders", "give at least one of reminders, marketing, personalised_offers");
    std::string channel = "portal";
    if (auto ch = opt_string(b, "channel", 1, 16)) {
        if (*ch != "portal" && *ch != "kiosk") bad_field("channel", "must be portal or kiosk");
        channel = *ch;
    }
    auto r = svc.set_consents(member_id, c, channel);
    send_json(res, 200, ok(r, res));
}

void phone_change_start(Service& svc, const httplib::Request& req, httplib::Response& res, std::int64_t member_id) {
    auto b = parse_object(req.body);
    PhoneChangeRequest r;
    r.member_id = member_id;
    r.phone = req_string(b, "phone", 1, 32);
    r.locale = locale_field(b);
    r.client_address = client_address(req);
    auto out = svc.phone_change_start(r);
    send_json(res, 202, {{"expires_at", format_rfc3339(ok(out, res))}});
}

void phone_change_verify(Service& svc, const httplib::Request& req, httplib::Response& res, std::int64_t member_id) {
    auto b = parse_object(req.body);
    PhoneChangeRequest r;
    r.member_id = member_id;
    r.phone = req_string(b, "phone", 1, 32);
    r.code = req_string(b, "code", 1, 16);
    r.locale = locale_field(b);
    auto out = svc.phone_change_verify(r);
    ok(out, res);
    send_json(res, 200, json::object());
}

void get_referral(Service& svc, const httplib::Request& req, httplib::Response& res, std::int64_t member_id,
                  bool https) {
    std::string host = req.get_header_value("Host");
    const bool plain = !host.empty() && host.size() <= 255 &&
                       host.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                           "0123456789.-:[]") == std::string::npos;
    if (!plain) host = "localhost";
    auto r = svc.referral(member_id, std::string(https ? "https" : "http") + "://" + host);
    send_json(res, 200, ok(r, res));
}

}  // namespace memberdesk::server::http
