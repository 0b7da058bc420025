// Sign-up with a one-time code (domain.md §7): the flow, the code's lifetime and wrong tries, the
// sending limits per phone and per client address, no phone enumeration, consents, welcome coupons.
#include "self_service_harness.hpp"

using namespace mdtest;

namespace signup_test {

namespace {
const std::string kPhone = "13900000001";

httplib::Result start(TestServer& srv, const std::string& phone, const httplib::Headers& h = {}) {
    return srv.post("/api/v1/auth/signup/start", {{"phone", phone}}, h);
}
httplib::Result verify(TestServer& srv, const std::string& phone, const std::string& code,
                       const json& consents = all_consents()) {
    return srv.post("/api/v1/auth/signup/verify",
                    {{"phone", phone}, {"code", code}, {"pin", "246810"}, {"name", "李雷"}, {"consents", consents}});
}
}  // namespace

TEST_CASE("signup: a new phone gets a 6-digit code valid 10 minutes, and the code signs the member in") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    auto j = expect_status(start(srv, kPhone), 202);
    CHECK(j["expires_at"] == plus(kStart, 600));
    const std::string code = codes->last(kPhone);
    REQUIRE(code.size() == 6);
    CHECK(code.find_first_not_of("0123456789") == std::string::npos);

    auto v = expect_status(verify(srv, kPhone, code), 201);
    REQUIRE(v["token"].is_string());
    CHECK(v["expires_at"] == plus(kStart, 30 * 60));
    CHECK(v["member_id"].get<std::int64_t>() > 0);
    auto me = srv.me(v["token"].get<std::string>());
    CHECK(me["profile"]["name"] == "李雷");
    // The new PIN works for a normal login.
    CHECK(!srv.login(kPhone, "246810").empty());
}

TEST_CASE("signup: the new member gets the same welcome coupons as a member an admin creates") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    auto v = sign_up(srv, *codes, kPhone);
    srv.create_member("13900000002");
    auto mine = expect_status(srv.get("/api/v1/me/coupons", bearer(v["token"].get<std::string>())), 200)["coupons"];
    auto theirs = expect_status(srv.get("/api/v1/me/coupons", bearer(srv.login("13900000002"))), 200)["coupons"];
    REQUIRE(mine.is_array());
    CHECK(mine.size() >= 1);
    CHECK(mine.size() == theirs.size());
    if (!mine.empty() && !theirs.empty()) CHECK(mine[0]["title"] == theirs[0]["title"]);
}

TEST_CASE("signup: terms must be accepted; marketing and personalised offers are recorded as chosen") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    expect_status(start(srv, kPhone), 202);
    const std::string code = codes->last(kPhone);
    expect_error(verify(srv, kPhone, code, {{"terms", false}, {"marketing", true}}), 400, "consent_required");
    auto v = expect_status(verify(srv, kPhone, code, {{"terms", true}, {"personalised_offers", true}}), 201);
    const auto id = v["member_id"].get<std::int64_t>();
    auto records = in_store(srv, [&](memberdesk::server::SelfTx& st, auto&) { return st.consents_of(id); });
    std::map<std::string, bool> got;
    for (const auto& r : records) {
        got[r.purpose] = r.granted;
        CHECK(r.channel == "portal");
        CHECK(!r.text_version.empty());
    }
    CHECK(got["terms"] == true);
    CHECK(got["marketing"] == false);
    CHECK(got["personalised_offers"] == true);
}

TEST_CASE("signup: a code stops working after 10 minutes") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    expect_status(start(srv, kPhone), 202);
    srv.set_clock(plus(kStart, 600));
    expect_error(verify(srv, kPhone, codes->last(kPhone)), 400, "invalid_code");
}

TEST_CASE("signup: five wrong codes void the code, even the right one is refused after them") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    expect_status(start(srv, kPhone), 202);
    const std::string code = codes->last(kPhone);
    const std::string wrong = code == "000000" ? "111111" : "000000";
    for (int i = 0; i < 5; ++i) expect_error(verify(srv, kPhone, wrong), 400, "invalid_code");
    expect_error(verify(srv, kPhone, code), 400, "invalid_code");
}

TEST_CASE("signup: four wrong codes still leave the right one usable") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    expect_status(start(srv, kPhone), 202);
    const std::string code = codes->last(kPhone);
    const std::string wrong = code == "000000" ? "111111" : "000000";
    for (int i = 0; i < 4; ++i) expect_error(verify(srv, kPhone, wrong), 400, "invalid_code");
    expect_status(verify(srv, kPhone, code), 201);
}

TEST_CASE("signup: a code works once") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    expect_status(start(srv, kPhone), 202);
    const std::string code = codes->last(kPhone);
    expect_status(verify(srv, kPhone, code), 201);
    expect_error(verify(srv, kPhone, code), 400, "invalid_code");
}

TEST_CASE("signup: one code per phone per 60 seconds, with Retry-After") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    expect_status(start(srv, kPhone), 202);
    srv.set_clock(plus(kStart, 59));
    auto res = start(srv, kPhone);
    expect_error(res, 429, "too_many_codes");
    REQUIRE(res);
    CHECK(res->get_header_value("Retry-After") == "1");
    srv.set_clock(plus(kStart, 60));
    expect_status(start(srv, kPhone), 202);
    CHECK(codes->count(kPhone) == 2);
}

TEST_CASE("signup: at most 5 codes a day per phone") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    for (int i = 0; i < 5; ++i) {
        srv.set_clock(plus(kStart, i * 61));
        expect_status(start(srv, kPhone), 202);
    }
    srv.set_clock(plus(kStart, 5 * 61));
    expect_error(start(srv, kPhone), 429, "too_many_codes");
    CHECK(codes->count(kPhone) == 5);
    srv.set_clock(plus(kStart, 86400 + 1));
    expect_status(start(srv, kPhone), 202);
}

TEST_CASE("signup: at most 20 codes an hour per client address, whatever address header a client sends") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    for (int i = 0; i < 20; ++i) {
        const httplib::Headers spoof = {{"X-Memberdesk-Client-Address", "198.51.100." + std::to_string(i)}};
        expect_status(start(srv, "1390000" + std::to_string(1000 + i), spoof), 202);
    }
    expect_error(start(srv, "13900009999", {{"X-Memberdesk-Client-Address", "203.0.113.9"}}), 429, "too_many_codes");
    srv.set_clock(plus(kStart, 3601));
    expect_status(start(srv, "13900009999"), 202);
}

TEST_CASE("signup: an existing member's phone gets the same answer and no code, and a guess cannot take it") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    const auto id = srv.create_member(kPhone);
    auto a = expect_status(start(srv, kPhone), 202);
    auto b = expect_status(start(srv, "13900000002"), 202);
    CHECK(a.size() == b.size());
    CHECK(a["expires_at"] == b["expires_at"]);
    CHECK(codes->count(kPhone) == 0);
    expect_error(verify(srv, kPhone, "123456"), 400, "invalid_code");
    // The member hears that they already have an account.
    auto inbox = in_store(srv, [&](memberdesk::server::SelfTx& st, auto&) { return st.messages_of(id, {}, 10); });
    REQUIRE(inbox.size() == 1);
    CHECK(inbox[0].template_id == "signup_existing");
}

TEST_CASE("signup: a phone that became a member after the code was sent answers phone_taken") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    expect_status(start(srv, kPhone), 202);
    srv.create_member(kPhone);
    expect_error(verify(srv, kPhone, codes->last(kPhone)), 409, "phone_taken");
}

TEST_CASE("signup: the code is stored only as a salted hash, and the inbox never shows it") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    expect_status(start(srv, kPhone), 202);
    const std::string code = codes->last(kPhone);
    auto otp = in_store(srv, [&](memberdesk::server::SelfTx& st, auto&) { return st.latest_otp(kPhone, "signup"); });
    REQUIRE(otp);
    CHECK(otp->code_hash.size() > 64);
    CHECK(otp->code_hash.find(code) == std::string::npos);
    auto v = expect_status(verify(srv, kPhone, code), 201);
    const auto id = v["member_id"].get<std::int64_t>();
    auto inbox = in_store(srv, [&](memberdesk::server::SelfTx& st, auto&) { return st.messages_of(id, {}, 10); });
    REQUIRE(inbox.size() == 2);  // welcome, then the code that was sent before the member existed
    CHECK(inbox[0].template_id == "welcome");
    CHECK(inbox[1].template_id == "signup_code");
    for (const auto& m : inbox) {
        CHECK(m.text.find(code) == std::string::npos);
        CHECK(m.inbox_text.find(code) == std::string::npos);
        CHECK(m.params.find(code) == std::string::npos);
    }
    CHECK(inbox[1].inbox_text.find("139****0001") != std::string::npos);
}

TEST_CASE("signup: bad phone, PIN and name are refused before any code is checked") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    expect_error(start(srv, "12ab"), 400, "invalid_phone");
    expect_status(start(srv, kPhone), 202);
    const std::string code = codes->last(kPhone);
    auto body = json{{"phone", kPhone}, {"code", code}, {"pin", "12"}, {"name", "x"}, {"consents", all_consents()}};
    expect_error(srv.post("/api/v1/auth/signup/verify", body), 400, "invalid_pin");
    body["pin"] = "123456";
    body["name"] = "   ";
    expect_error(srv.post("/api/v1/auth/signup/verify", body), 400, "invalid_name");
    body["name"] = "ok";
    body.erase("consents");
    expect_error(srv.post("/api/v1/auth/signup/verify", body), 400, "invalid_field");
    body["consents"] = all_consents();
    expect_status(srv.post("/api/v1/auth/signup/verify", body), 201);
}

}  // namespace signup_test
