// Consents (domain.md §7): current choices and their history, each change a record, in the export;
// refusing personalised offers hides the segment offers on GET /me.
#include "self_service_harness.hpp"

using namespace mdtest;

namespace consents_test {

TEST_CASE("consents: the choices made at sign-up are the current ones, with their history") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    auto v = sign_up(srv, *codes, "13900000001", "123456", "新会员", all_consents(true, false));
    const std::string token = v["token"].get<std::string>();
    auto j = expect_status(srv.get("/api/v1/me/consents", bearer(token)), 200);
    CHECK(j["current"]["terms"] == true);
    CHECK(j["current"]["reminders"] == true);
    CHECK(j["current"]["marketing"] == true);
    CHECK(j["current"]["personalised_offers"] == false);
    CHECK(j["history"].size() == 4);
    CHECK(j["text_version"].is_string());
}

TEST_CASE("consents: each change is a new record with its channel and time; repeating a choice adds none") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    auto v = sign_up(srv, *codes, "13900000001");
    const std::string token = v["token"].get<std::string>();
    srv.set_clock(plus(kStart, 600));
    auto j = expect_status(
        srv.put("/api/v1/me/consents", {{"marketing", true}, {"reminders", true}, {"channel", "kiosk"}}, bearer(token)),
        200);
    CHECK(j["current"]["marketing"] == true);
    REQUIRE(j["history"].size() == 5);  // reminders was already on
    CHECK(j["history"][4]["purpose"] == "marketing");
    CHECK(j["history"][4]["channel"] == "kiosk");
    CHECK(j["history"][4]["at"] == plus(kStart, 600));
    expect_error(srv.put("/api/v1/me/consents", {{"marketing", "yes"}}, bearer(token)), 400, "invalid_field");
    expect_error(srv.put("/api/v1/me/consents", json::object(), bearer(token)), 400, "invalid_field");
}

TEST_CASE("consents: the export holds the consent records") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    auto v = sign_up(srv, *codes, "13900000001");
    const std::string token = v["token"].get<std::string>();
    auto j = expect_status(srv.get("/api/v1/me/export", bearer(token)), 200);
    REQUIRE(j["consents"].is_object());
    CHECK(j["consents"]["history"].size() == 4);
}

TEST_CASE("consents: without personalised offers GET /me shows no segment offers, with them it does") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    auto v = sign_up(srv, *codes, "13900000001", "123456", "新会员", all_consents(false, true));
    const std::string token = v["token"].get<std::string>();
    const auto offered = srv.me(token)["offers"].size();
    CHECK(offered > 0);  // a new member is offered the "new" segment's offers
    expect_status(srv.put("/api/v1/me/consents", {{"personalised_offers", false}}, bearer(token)), 200);
    CHECK(srv.me(token)["offers"].empty());
    expect_status(srv.put("/api/v1/me/consents", {{"personalised_offers", true}}, bearer(token)), 200);
    CHECK(srv.me(token)["offers"].size() == offered);
}

TEST_CASE("consents: a kiosk session cannot read or change them") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    sign_up(srv, *codes, "13900000001");
    auto k = srv.kiosk_login({{"phone", "13900000001"}, {"pin", "123456"}});
    expect_error(srv.get("/api/v1/me/consents", bearer(k)), 403, "forbidden");
    expect_error(srv.put("/api/v1/me/consents", {{"marketing", true}}, bearer(k)), 403, "forbidden");
}

}  // namespace consents_test
