// The member's inbox (domain.md §7): newest first, a cursor, unread state, never a code.
#include "self_service_harness.hpp"

using namespace mdtest;

namespace inbox_test {

TEST_CASE("inbox: a new member sees the welcome and that a sign-up code was sent, newest first, both unread") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    auto v = sign_up(srv, *codes, "13900000001");
    const std::string token = v["token"].get<std::string>();
    auto j = expect_status(srv.get("/api/v1/me/messages", bearer(token)), 200);
    REQUIRE(j["messages"].size() == 2);
    CHECK(j["unread"] == 2);
    CHECK(j["messages"][0]["template"] == "welcome");
    CHECK(j["messages"][1]["template"] == "signup_code");
    CHECK(j["messages"][0]["read"] == false);
    const std::string text = j["messages"][1]["text"].get<std::string>();
    CHECK(text.find("139****0001") != std::string::npos);
    CHECK(text.find(codes->last("13900000001")) == std::string::npos);
    CHECK(j["next_cursor"].is_null());
}

TEST_CASE("inbox: marking read up to an id leaves newer messages unread") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    auto v = sign_up(srv, *codes, "13900000001");
    const std::string token = v["token"].get<std::string>();
    auto j = expect_status(srv.get("/api/v1/me/messages", bearer(token)), 200);
    const auto older = j["messages"][1]["id"].get<std::int64_t>();
    auto r = expect_status(srv.post("/api/v1/me/messages/read", {{"up_to_id", older}}, bearer(token)), 200);
    CHECK(r["unread"] == 1);
    j = expect_status(srv.get("/api/v1/me/messages", bearer(token)), 200);
    CHECK(j["messages"][0]["read"] == false);
    CHECK(j["messages"][1]["read"] == true);
}

TEST_CASE("inbox: pages follow next_cursor, and another member's messages never show") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    auto v = sign_up(srv, *codes, "13900000001");
    sign_up(srv, *codes, "13900000002");
    const std::string token = v["token"].get<std::string>();
    auto a = expect_status(srv.get("/api/v1/me/messages?limit=1", bearer(token)), 200);
    REQUIRE(a["messages"].size() == 1);
    REQUIRE(a["next_cursor"].is_string());
    auto b = expect_status(
        srv.get("/api/v1/me/messages?limit=1&cursor=" + a["next_cursor"].get<std::string>(), bearer(token)), 200);
    REQUIRE(b["messages"].size() == 1);
    CHECK(b["messages"][0]["id"].get<std::int64_t>() < a["messages"][0]["id"].get<std::int64_t>());
    CHECK(b["next_cursor"].is_null());
    expect_error(srv.get("/api/v1/me/messages?cursor=x", bearer(token)), 400, "invalid_field");
    expect_error(srv.get("/api/v1/me/messages"), 401, "unauthorized");
}

TEST_CASE("inbox: erasing the member keeps no phone and no text of their messages, and drops their codes") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    auto v = sign_up(srv, *codes, "13900000001");
    const auto id = v["member_id"].get<std::int64_t>();
    expect_status(srv.del("/api/v1/me?confirm=yes", bearer(v["token"].get<std::string>())), 204);
    auto inbox = in_store(srv, [&](memberdesk::server::SelfTx& st, auto&) { return st.messages_of(id, {}, 10); });
    REQUIRE(inbox.size() == 2);
    for (const auto& m : inbox) {
        CHECK(m.recipient.empty());
        CHECK(m.text.empty());
        CHECK(m.inbox_text.empty());
    }
    auto otp =
        in_store(srv, [&](memberdesk::server::SelfTx& st, auto&) { return st.latest_otp("13900000001", "signup"); });
    CHECK(!otp.has_value());
}

}  // namespace inbox_test
