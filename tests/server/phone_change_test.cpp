// Phone change (domain.md §7, issue #14): a code to the new phone under the sign-up code limits,
// a phone of another member refused, the old phone told, the audit row, and the code bound to the
// member who asked for it.
#include "self_service_harness.hpp"

using namespace mdtest;

namespace phone_change_test {

namespace {
const std::string kOld = "13800000001";
const std::string kNew = "13900000009";

httplib::Result start(TestServer& srv, const std::string& token, const std::string& phone) {
    return srv.post("/api/v1/me/phone/start", {{"phone", phone}}, bearer(token));
}
httplib::Result verify(TestServer& srv, const std::string& token, const std::string& phone, const std::string& code) {
    return srv.post("/api/v1/me/phone/verify", {{"phone", phone}, {"code", code}}, bearer(token));
}
}  // namespace

TEST_CASE("phone change: a code to the new phone makes it the member's phone, and the old phone is told") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    const auto id = srv.create_member(kOld);
    const std::string token = srv.login(kOld);
    auto s = expect_status(start(srv, token, kNew), 202);
    CHECK(s["expires_at"] == plus(kStart, 600));
    const std::string code = codes->last(kNew);
    REQUIRE(code.size() == 6);
    expect_status(verify(srv, token, kNew, code), 200);

    CHECK(srv.me(token)["profile"]["phone_masked"] == "139****0009");
    CHECK(!srv.login(kNew).empty());
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kOld}, {"pin", "123456"}}), 401, "invalid_credentials");

    auto messages = in_store(srv, [&](memberdesk::server::SelfTx& st, auto&) { return st.messages_of(id, {}, 10); });
    REQUIRE(messages.size() == 2);
    CHECK(messages[0].template_id == "phone_changed");
    CHECK(messages[0].recipient == kOld);
    CHECK(messages[0].inbox_text.find("139****0009") != std::string::npos);
    CHECK(messages[1].template_id == "phone_change_code");
    CHECK(messages[1].recipient == kNew);
    CHECK(messages[1].inbox_text.find(code) == std::string::npos);  // never the code in the inbox

    auto audit = in_store(srv, [&](auto&, memberdesk::server::ReadTx& tx) { return tx.audit(id, 20); });
    bool found = false;
    for (const auto& a : audit)
        if (a.action == "phone_change") {
            found = true;
            CHECK(a.detail.find(kNew) == std::string::npos);  // masked in the audit
        }
    CHECK(found);
}

TEST_CASE("phone change: a phone of another member is refused with phone_taken and no code is sent") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kOld);
    srv.create_member(kNew);
    expect_error(start(srv, srv.login(kOld), kNew), 409, "phone_taken");
    CHECK(codes->count(kNew) == 0);
}

TEST_CASE("phone change: the phone taken between the code and its use is refused at verify") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kOld);
    const std::string token = srv.login(kOld);
    expect_status(start(srv, token, kNew), 202);
    srv.create_member(kNew);
    expect_error(verify(srv, token, kNew, codes->last(kNew)), 409, "phone_taken");
}

TEST_CASE("phone change: a code works only for the member who asked, and wrong or late codes are refused") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kOld);
    srv.create_member("13800000002");
    const std::string token = srv.login(kOld);
    expect_status(start(srv, token, kNew), 202);
    const std::string code = codes->last(kNew);
    expect_error(verify(srv, srv.login("13800000002"), kNew, code), 400, "invalid_code");
    expect_error(verify(srv, token, kNew, code == "000000" ? "111111" : "000000"), 400, "invalid_code");
    srv.set_clock(plus(kStart, 600));
    expect_error(verify(srv, token, kNew, code), 400, "invalid_code");
}

TEST_CASE("phone change: codes to a phone follow the sign-up limits, one a minute") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kOld);
    const std::string token = srv.login(kOld);
    expect_status(start(srv, token, kNew), 202);
    auto res = start(srv, token, kNew);
    expect_error(res, 429, "too_many_codes");
    CHECK(res->has_header("Retry-After"));
    expect_error(start(srv, token, "12"), 400, "invalid_phone");
}

TEST_CASE("phone change: the kiosk cannot change a phone") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kOld);
    const std::string kiosk = srv.kiosk_login({{"phone", kOld}, {"pin", "123456"}});
    expect_error(start(srv, kiosk, kNew), 403, "forbidden");
}

}  // namespace phone_change_test
