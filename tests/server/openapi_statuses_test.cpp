// docs/openapi.yaml and the server agree on statuses: the document lists 413 on every route that
// takes a body, 503 and (when a credential is needed) 401 on every route, and what the server
// answers in representative cases (an oversized body, no credential, a busy database, an unknown
// route or method) is a status the document lists for that route. The YAML is read line by line
// (two-space indentation, as the file is written), so no YAML library is needed.
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "staff_fixture.hpp"
#include "test_server.hpp"

using namespace mdtest;

namespace openapi_statuses_test {

namespace {

struct Operation {
    std::string path;    // as documented: /api/v1/admin/members/{id}
    std::string method;  // lower case: get, post, ...
    bool has_body = false;
    std::string security;  // memberToken, kioskKey, posKey, adminKey, or "" for none
    std::set<int> statuses;
};

std::vector<Operation> documented_operations() {
    std::istringstream in(read_source_file("docs/openapi.yaml"));
    const std::regex path_line(R"(^  (/\S*):$)");
    const std::regex method_line(R"(^    (get|post|put|patch|delete):$)");
    const std::regex security_line(R"(^      security: \[\{(\w+): \[\]\}\])");
    const std::regex status_line(R"re(^        "(\d{3})":)re");
    std::vector<Operation> ops;
    std::string path;
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (line.rfind("components:", 0) == 0) break;
        if (std::regex_search(line, m, path_line)) {
            path = m[1].str();
        } else if (std::regex_search(line, m, method_line)) {
            ops.push_back(Operation{path, m[1].str(), false, "", {}});
        } else if (ops.empty() || ops.back().path != path) {
            continue;  // path-level keys (parameters) before the first operation
        } else if (line.rfind("      requestBody:", 0) == 0) {
            ops.back().has_body = true;
        } else if (std::regex_search(line, m, security_line)) {
            ops.back().security = m[1].str();
        } else if (std::regex_search(line, m, status_line)) {
            ops.back().statuses.insert(std::stoi(m[1].str()));
        }
    }
    return ops;
}

std::string label(const Operation& op) { return op.method + " " + op.path; }

// A documented path with its parameters filled in.
std::string concrete(const std::string& path, std::int64_t member_id) {
    std::string p = std::regex_replace(path, std::regex(R"(\{id\})"), std::to_string(member_id));
    return std::regex_replace(p, std::regex(R"(\{code\})"), "NOSUCHCODE");
}

httplib::Result send(TestServer& srv, const std::string& method, const std::string& path, const std::string& body,
                     const httplib::Headers& h) {
    auto c = srv.new_client();  // a fresh connection: an oversized request may close its own
    if (method == "get") return c->Get(path, h);
    if (method == "post") return c->Post(path, h, body, "application/json");
    if (method == "put") return c->Put(path, h, body, "application/json");
    if (method == "patch") return c->Patch(path, h, body, "application/json");
    return c->Delete(path, h, body, "application/json");
}

struct Credentials {
    std::string member_token;
    std::string staff_token;  // an hq_admin: every staff route is in its scope
};

httplib::Headers credential_for(const Operation& op, const Credentials& cr) {
    if (op.security == "memberToken") return bearer(cr.member_token);
    if (op.security == "kioskKey") return kiosk_device();
    if (op.security == "posKey") return pos();
    if (op.security == "adminKey") return admin();
    if (op.security == "staffToken") return bearer(cr.staff_token);
    return {};
}

// The server's answer is a status the document lists for the operation, with the expected code.
void expect_documented(const Operation& op, const httplib::Result& res, int status, const std::string& code) {
    INFO(label(op));
    expect_error(res, status, code);
    CHECK_MESSAGE(op.statuses.count(status) == 1, label(op) << " answers " << status << " but does not list it");
}

}  // namespace

TEST_CASE(
    "openapi.yaml documents 413 on every route that takes a body, 503 on every route, 401 where a credential is "
    "needed") {
    const auto ops = documented_operations();
    REQUIRE(ops.size() > 20);
    int with_body = 0;
    for (const auto& op : ops) {
        INFO(label(op));
        CHECK(op.statuses.count(503) == 1);
        if (op.has_body) {
            ++with_body;
            CHECK(op.statuses.count(413) == 1);
        }
        if (!op.security.empty()) CHECK(op.statuses.count(401) == 1);
    }
    CHECK(with_body > 10);
}

TEST_CASE("every route that takes a body answers an oversized one with 413 payload_too_large, as documented") {
    TestServer srv;
    const auto id = srv.create_member("13800000001", "123456");
    Credentials cr;
    cr.member_token = srv.login("13800000001", "123456");
    const std::string big = "{\"pad\":\"" + std::string(65 * 1024, 'x') + "\"}";
    int checked = 0;
    for (const auto& op : documented_operations()) {
        if (!op.has_body) continue;
        expect_documented(op, send(srv, op.method, concrete(op.path, id), big, credential_for(op, cr)), 413,
                          "payload_too_large");
        ++checked;
    }
    CHECK(checked > 10);
}

TEST_CASE("every route that needs a credential answers 401 unauthorized without one, as documented") {
    TestServer srv;
    const auto id = srv.create_member("13800000001", "123456");
    int checked = 0;
    for (const auto& op : documented_operations()) {
        if (op.security.empty()) continue;
        expect_documented(op, send(srv, op.method, concrete(op.path, id), "{}", {}), 401, "unauthorized");
        ++checked;
    }
    CHECK(checked > 20);
}

TEST_CASE("routes that read the database answer 503 service_busy while it is busy, as documented") {
    auto busy = std::make_shared<std::atomic<bool>>(false);
    TestServer srv(busy_when_told(busy));
    const auto id = srv.create_member("13800000001", "123456");
    Credentials cr;
    cr.member_token = srv.login("13800000001", "123456");
    create_staff(srv, "head.office", "hq_admin");
    cr.staff_token = staff_login(srv, "head.office");
    busy->store(true);
    int checked = 0;
    for (const auto& op : documented_operations()) {
        // Reads with a credential: each one checks it (or the member) in the database first.
        if (op.method != "get" || op.security.empty()) continue;
        auto res = send(srv, op.method, concrete(op.path, id), "", credential_for(op, cr));
        expect_documented(op, res, 503, "service_busy");
        if (res) CHECK(res->get_header_value("Retry-After") == "1");
        ++checked;
    }
    CHECK(checked > 5);
}

TEST_CASE("a route or method the document does not list answers 404 or 405, never 200") {
    const auto ops = documented_operations();
    auto documented = [&](const std::string& method, const std::string& path) {
        for (const auto& op : ops)
            if (op.method == method && op.path == path) return true;
        return false;
    };
    TestServer srv;
    REQUIRE_FALSE(documented("get", "/api/v1/no-such-route"));
    expect_error(srv.get("/api/v1/no-such-route"), 404, "not_found");
    expect_error(srv.post("/api/v1/pos/no-such-route", json::object(), pos()), 404, "not_found");
    REQUIRE(documented("get", "/api/v1/program"));
    REQUIRE_FALSE(documented("delete", "/api/v1/program"));
    expect_error(srv.del("/api/v1/program"), 405, "method_not_allowed");
    REQUIRE_FALSE(documented("get", "/api/v1/pos/purchases"));
    expect_error(srv.get("/api/v1/pos/purchases", pos()), 405, "method_not_allowed");
}

}  // namespace openapi_statuses_test
