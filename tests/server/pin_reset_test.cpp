// PIN reset with a one-time code (domain.md §7): no enumeration, every session ends, the login lock
// is lifted, the limits are those of sign-up codes.
#include "self_service_harness.hpp"

using namespace mdtest;

namespace pin_reset_test {

namespace {
const std::string kPhone = "13800000001";

httplib::Result start(TestServer& srv, const std::string& phone) {
    return srv.post("/api/v1/auth/pin-reset/start", {{"phone", phone}});
}
httplib::Result verify(TestServer& srv, const std::string& phone, const std::string& code,
                       const std::string& pin = "654321") {
    return srv.post("/api/v1/auth/pin-reset/verify", {{"phone", phone}, {"code", code}, {"pin", pin}});
}
}  // namespace

TEST_CASE("pin reset: a member's phone gets a code that sets a new PIN") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kPhone, "123456");
    auto j = expect_status(start(srv, kPhone), 202);
    CHECK(j["expires_at"] == plus(kStart, 600));
    expect_status(verify(srv, kPhone, codes->last(kPhone)), 200);
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "123456"}}), 401, "invalid_credentials");
    CHECK(!srv.login(kPhone, "654321").empty());
}

TEST_CASE("pin reset: an unknown phone gets the same answer and nothing is sent") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kPhone);
    auto a = expect_status(start(srv, kPhone), 202);
    auto b = expect_status(start(srv, "13800000999"), 202);
    CHECK(a == b);
    CHECK(codes->count("13800000999") == 0);
    expect_error(verify(srv, "13800000999", "123456"), 400, "invalid_code");
    // The limits count an unknown phone too, so a 429 does not tell members apart either.
    expect_error(start(srv, "13800000999"), 429, "too_many_codes");
    expect_error(start(srv, kPhone), 429, "too_many_codes");
}

TEST_CASE("pin reset: every session of the member ends") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kPhone);
    const auto a = srv.login(kPhone);
    const auto b = srv.login(kPhone);
    expect_status(start(srv, kPhone), 202);
    expect_status(verify(srv, kPhone, codes->last(kPhone)), 200);
    expect_error(srv.get("/api/v1/me", bearer(a)), 401, "unauthorized");
    expect_error(srv.get("/api/v1/me", bearer(b)), 401, "unauthorized");
}

TEST_CASE("pin reset: the login lock after 5 wrong PINs is lifted") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kPhone);
    for (int i = 0; i < 5; ++i)
        expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "000000"}}), 401,
                     "invalid_credentials");
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "123456"}}), 429, "too_many_attempts");
    expect_status(start(srv, kPhone), 202);
    expect_status(verify(srv, kPhone, codes->last(kPhone)), 200);
    CHECK(!srv.login(kPhone, "654321").empty());
}

TEST_CASE("pin reset: five wrong codes void the code") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kPhone);
    expect_status(start(srv, kPhone), 202);
    const std::string code = codes->last(kPhone);
    const std::string wrong = code == "000000" ? "111111" : "000000";
    for (int i = 0; i < 5; ++i) expect_error(verify(srv, kPhone, wrong), 400, "invalid_code");
    expect_error(verify(srv, kPhone, code), 400, "invalid_code");
    CHECK(!srv.login(kPhone, "123456").empty());
}

TEST_CASE("pin reset: a sign-up code does not reset a PIN") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    expect_status(srv.post("/api/v1/auth/signup/start", {{"phone", kPhone}}), 202);
    const std::string signup_code = codes->last(kPhone);
    srv.create_member(kPhone);
    expect_error(verify(srv, kPhone, signup_code), 400, "invalid_code");
}

TEST_CASE("pin reset: the member's inbox says a code was sent and that the PIN changed, never the code") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    const auto id = srv.create_member(kPhone);
    expect_status(start(srv, kPhone), 202);
    const std::string code = codes->last(kPhone);
    expect_status(verify(srv, kPhone, code), 200);
    auto inbox = in_store(srv, [&](memberdesk::server::SelfTx& st, auto&) { return st.messages_of(id, {}, 10); });
    REQUIRE(inbox.size() == 2);
    CHECK(inbox[0].template_id == "pin_changed");
    CHECK(inbox[1].template_id == "pin_reset_code");
    for (const auto& m : inbox) CHECK(m.text.find(code) == std::string::npos);
}

}  // namespace pin_reset_test
