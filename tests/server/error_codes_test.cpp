// One error vocabulary: memberdesk/errors.hpp lists each code once with its HTTP status, the
// server answers that status, and docs/api.md lists the same codes with the same statuses.
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "memberdesk/errors.hpp"
#include "test_server.hpp"

using namespace mdtest;

namespace error_codes_test {
using memberdesk::ErrorCode;
using memberdesk::kErrorCodes;

namespace {

// "| 404 | `member_not_found` | ... |" rows of the error table in docs/api.md.
std::multimap<std::string, int> documented_codes() {
    const std::string doc = read_source_file("docs/api.md");
    const auto start = doc.find("### Errors");
    REQUIRE(start != std::string::npos);
    const auto end = doc.find("\n### ", start + 1);
    std::istringstream in(doc.substr(start, end - start));
    const std::regex row(R"(^\| (\d{3}) \| `([a-z_]+)` \|)");
    std::multimap<std::string, int> out;
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_search(line, m, row)) out.emplace(m[2].str(), std::stoi(m[1].str()));
    }
    return out;
}

}  // namespace

TEST_CASE("every error code has one name, a 4xx or 5xx status and a default message") {
    std::set<std::string> names;
    for (std::size_t i = 0; i < memberdesk::kErrorCodeCount; ++i) {
        const auto& e = kErrorCodes[i];
        INFO(e.name);
        CHECK(static_cast<std::size_t>(e.code) == i);  // the table is indexed by the enum
        CHECK(names.insert(e.name).second);
        CHECK(e.http_status >= 400);
        CHECK(e.http_status <= 599);
        CHECK(std::string(e.message).size() > 0);
        CHECK(memberdesk::error_code_from_string(e.name) == e.code);
        CHECK(std::string(to_string(e.code)) == e.name);
    }
    CHECK_FALSE(memberdesk::error_code_from_string("no_such_code").has_value());
}

TEST_CASE("docs/api.md lists every error code once, with the status errors.hpp gives it") {
    const auto doc = documented_codes();
    for (const auto& e : kErrorCodes) {
        INFO(e.name);
        CHECK(doc.count(e.name) == 1);
        auto it = doc.find(e.name);
        if (it != doc.end()) CHECK(it->second == e.http_status);
    }
    for (const auto& entry : doc) {
        const std::string& name = entry.first;  // INFO captures it (clang 14 cannot capture a binding)
        INFO(name);
        CHECK(memberdesk::error_code_from_string(name).has_value());
    }
}

TEST_CASE("the server answers each code with the status errors.hpp gives it") {
    TestServer srv;
    const auto id = srv.create_member("13800000001", "123456");
    // One request per status class the routes and the service produce, each checked against the table.
    auto status_of = [](ErrorCode c) { return memberdesk::http_status(c); };
    expect_error(srv.post_raw("/api/v1/auth/login", "{", {}), status_of(ErrorCode::invalid_json), "invalid_json");
    expect_error(srv.post("/api/v1/auth/login", {{"phone", "13800000001"}, {"pin", "000000"}}),
                 status_of(ErrorCode::invalid_credentials), "invalid_credentials");
    expect_error(srv.get("/api/v1/me"), status_of(ErrorCode::unauthorized), "unauthorized");
    expect_error(srv.get("/api/v1/admin/members/1", pos()), status_of(ErrorCode::forbidden), "forbidden");
    expect_error(srv.get("/api/v1/admin/members/999999", admin()), status_of(ErrorCode::member_not_found),
                 "member_not_found");
    expect_error(srv.post("/api/v1/kiosk/login", {{"member_code", "M1-not-a-real-code"}}, kiosk_device()),
                 status_of(ErrorCode::invalid_member_code), "invalid_member_code");
    expect_error(
        srv.post("/api/v1/pos/purchases",
                 {{"txn_id", "T1"}, {"member", "M1-not-a-real-code"}, {"amount", 100}, {"store", "S1"}}, pos()),
        status_of(ErrorCode::invalid_member_code), "invalid_member_code");
    expect_error(
        srv.post("/api/v1/admin/members", {{"phone", "13800000001"}, {"pin", "123456"}, {"name", "A"}}, admin()),
        status_of(ErrorCode::phone_taken), "phone_taken");
    expect_error(srv.post("/api/v1/admin/members/" + std::to_string(id) + "/adjust",
                          {{"points", -100000}, {"reason", "too much"}}, admin()),
                 status_of(ErrorCode::insufficient_points), "insufficient_points");
    expect_error(srv.del("/api/v1/program"), status_of(ErrorCode::method_not_allowed), "method_not_allowed");
    expect_error(srv.get("/api/v1/nothing-here"), status_of(ErrorCode::not_found), "not_found");
}

}  // namespace error_codes_test
