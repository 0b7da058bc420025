// The satisfaction survey (domain.md §8): three dimensions 1..5 with a comment and a store, next to
// the v1 form's one overall rating; participation points once per local month either way.
#include "staff_fixture.hpp"
#include "test_server.hpp"

using namespace mdtest;

namespace survey_test {

namespace {
const std::string kPhone = "13800000001";
const std::string kPin = "123456";

json scores(int product, int service, int environment) {
    return {{"product", product}, {"service", service}, {"environment", environment}};
}
}  // namespace

TEST_CASE("a survey answer with three dimensions and a store is kept and shows in the member's export") {
    TestServer srv;
    make_chain(srv);
    srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    auto j = expect_status(
        srv.post("/api/v1/me/feedback", {{"scores", scores(5, 3, 4)}, {"comment", "拿铁很好"}, {"store", "S001"}},
                 bearer(token)),
        201);
    CHECK(j["points_awarded"] == 10);
    auto ex = expect_status(srv.get("/api/v1/me/export", bearer(token)), 200);
    REQUIRE(ex["feedback"].size() == 1);
    const json& f = ex["feedback"][0];
    CHECK(f["scores"] == scores(5, 3, 4));
    CHECK(f["store"] == "S001");
    CHECK(f["rating"] == 4);  // (5 + 3 + 4) / 3 = 4
    CHECK(f["comment"] == "拿铁很好");
}

TEST_CASE("the overall rating of a survey answer is the mean of its dimensions rounded half up") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    expect_status(srv.post("/api/v1/me/feedback", {{"scores", scores(5, 5, 4)}}, bearer(token)), 201);  // 4.67 -> 5
    expect_status(srv.post("/api/v1/me/feedback", {{"scores", scores(1, 2, 1)}}, bearer(token)), 201);  // 1.33 -> 1
    expect_status(srv.post("/api/v1/me/feedback", {{"scores", scores(1, 1, 1)}, {"rating", 3}}, bearer(token)),
                  201);  // a rating given with the scores is kept
    auto ex = expect_status(srv.get("/api/v1/me/export", bearer(token)), 200);
    REQUIRE(ex["feedback"].size() == 3);
    CHECK(ex["feedback"][0]["rating"] == 5);
    CHECK(ex["feedback"][1]["rating"] == 1);
    CHECK(ex["feedback"][2]["rating"] == 3);
}

TEST_CASE("the v1 form with one rating is still accepted and has no dimensions") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    expect_status(srv.post("/api/v1/me/feedback", {{"rating", 2}, {"comment", "slow"}}, bearer(token)), 201);
    auto ex = expect_status(srv.get("/api/v1/me/export", bearer(token)), 200);
    REQUIRE(ex["feedback"].size() == 1);
    CHECK(ex["feedback"][0]["rating"] == 2);
    CHECK_FALSE(ex["feedback"][0].contains("scores"));
    CHECK_FALSE(ex["feedback"][0].contains("store"));
}

TEST_CASE("survey points are given once per local month whichever form the answer takes") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    auto a = expect_status(srv.post("/api/v1/me/feedback", {{"scores", scores(4, 4, 4)}}, bearer(token)), 201);
    CHECK(a["points_awarded"] == 10);
    auto b = expect_status(srv.post("/api/v1/me/feedback", {{"rating", 5}}, bearer(token)), 201);
    CHECK(b["points_awarded"] == 0);
    srv.set_clock("2026-04-02T02:00:00Z");
    token = srv.login(kPhone, kPin);
    auto c = expect_status(srv.post("/api/v1/me/feedback", {{"scores", scores(3, 4, 5)}}, bearer(token)), 201);
    CHECK(c["points_awarded"] == 10);
    CHECK(srv.balance(token) == 20);
}

TEST_CASE("a score outside 1..5, a missing dimension or an unknown store is refused and nothing is kept") {
    TestServer srv;
    make_chain(srv);
    srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    for (const auto& bad : {scores(0, 3, 3), scores(3, 6, 3), json{{"product", 3}, {"service", 3}},
                            json{{"product", 3}, {"service", "4"}, {"environment", 3}}}) {
        INFO(bad.dump());
        expect_error(srv.post("/api/v1/me/feedback", {{"scores", bad}}, bearer(token)), 400, "invalid_field");
    }
    expect_error(srv.post("/api/v1/me/feedback", {{"scores", json::array({3, 3, 3})}}, bearer(token)), 400,
                 "invalid_field");
    expect_error(srv.post("/api/v1/me/feedback", {{"scores", scores(3, 3, 3)}, {"store", 7}}, bearer(token)), 400,
                 "invalid_field");
    expect_error(srv.post("/api/v1/me/feedback", {{"scores", scores(3, 3, 3)}, {"store", "NOPE"}}, bearer(token)), 404,
                 "unknown_store");
    auto ex = expect_status(srv.get("/api/v1/me/export", bearer(token)), 200);
    CHECK(ex["feedback"].empty());
    CHECK(srv.balance(token) == 0);
}

}  // namespace survey_test
