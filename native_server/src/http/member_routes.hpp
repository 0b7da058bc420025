// Routes of the members' self-service (domain.md §7): sign-up and PIN reset with one-time codes.
// routes.cpp registers them and runs them inside its dispatcher (errors thrown as HttpError).
#pragma once
#include <cstdint>
#include <string>

#include "service/service.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace memberdesk::server::http {

// The header the connection front adds with the client's address (a client's own is dropped).
inline constexpr const char* kClientAddressHeader = "X-Memberdesk-Client-Address";
std::string client_address(const httplib::Request& req);

void signup_start(Service& svc, const httplib::Request& req, httplib::Response& res);
// `from_kiosk`: the request carries the kiosk device key, so its `store` is believed.
void signup_verify(Service& svc, const httplib::Request& req, httplib::Response& res, bool from_kiosk);
void pin_reset_start(Service& svc, const httplib::Request& req, httplib::Response& res);
void pin_reset_verify(Service& svc, const httplib::Request& req, httplib::Response& res);
void get_messages(Service& svc, const httplib::Request& req, httplib::Response& res, std::int64_t member_id);
void get_consents(Service& svc, const httplib::Request& req, httplib::Response& res, std::int64_t member_id);
void put_consents(Service& svc, const httplib::Request& req, httplib::Response& res, std::int64_t member_id);
void read_messages(Service& svc, const httplib::Request& req, httplib::Response& res, std::int64_t member_id);
// POST /me/phone/start (202 {expires_at}) and /me/phone/verify (200 {}).
void phone_change_start(Service& svc, const httplib::Request& req, httplib::Response& res, std::int64_t member_id);
void phone_change_verify(Service& svc, const httplib::Request& req, httplib::Response& res, std::int64_t member_id);
// The link is on the origin the member reached the server by (Host header; https when the server
// serves TLS).
void get_referral(Service& svc, const httplib::Request& req, httplib::Response& res, std::int64_t member_id,
                  bool https);

}  // namespace memberdesk::server::http
