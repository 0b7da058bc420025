// Test helpers for the members' self-service: a server whose one-time codes the test can read (the
// service's on_code hook, as --demo prints them), and the sign-up flow in one call.
#pragma once
#include <mutex>

#include "storage/self_store.hpp"
#include "test_server.hpp"

namespace mdtest {

// The codes the server sent, by phone (newest last).
struct SentCodes {
    std::mutex mu;
    std::map<std::string, std::vector<std::string>> by_phone;
    std::string last(const std::string& phone) {
        std::lock_guard<std::mutex> l(mu);
        auto it = by_phone.find(phone);
        return it == by_phone.end() || it->second.empty() ? std::string() : it->second.back();
    }
    std::size_t count(const std::string& phone) {
        std::lock_guard<std::mutex> l(mu);
        auto it = by_phone.find(phone);
        return it == by_phone.end() ? 0 : it->second.size();
    }
};

inline ServerOptions capturing(std::shared_ptr<SentCodes> codes, ServerOptions o = {}) {
    auto inner = o.configure;
    o.configure = [codes, inner](AppConfig& c) {
        c.service.on_code = [codes](const std::string& phone, const std::string& code) {
            std::lock_guard<std::mutex> l(codes->mu);
            codes->by_phone[phone].push_back(code);
        };
        if (inner) inner(c);
    };
    return o;
}

inline json all_consents(bool marketing = false, bool offers = false) {
    return {{"terms", true}, {"marketing", marketing}, {"personalised_offers", offers}};
}

// start + verify; returns the verify answer's body (token, expires_at, member_id).
inline json sign_up(TestServer& srv, SentCodes& codes, const std::string& phone, const std::string& pin = "123456",
                    const std::string& name = "新会员", const json& consents = all_consents(),
                    const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    INFO("sign_up called from " << file << ":" << line);
    expect_status(srv.post("/api/v1/auth/signup/start", {{"phone", phone}}), 202, file, line);
    const std::string code = codes.last(phone);
    REQUIRE_MESSAGE(code.size() == 6, "no code was sent to " << phone);
    return expect_status(
        srv.post("/api/v1/auth/signup/verify",
                 {{"phone", phone}, {"code", code}, {"pin", pin}, {"name", name}, {"consents", consents}}),
        201, file, line);
}

// What storage holds, read in one transaction.
template <class F>
auto in_store(TestServer& srv, F&& f) {
    return srv.app().service().store().read([&](memberdesk::server::ReadTx& tx) { return f(tx.self(), tx); });
}

}  // namespace mdtest
