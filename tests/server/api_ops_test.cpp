// Operator-facing behaviour: /healthz, /metrics, static files (MIME, gzip, ETag, traversal), and
// the HTTP edges: unknown API routes, wrong methods, oversized bodies.
#include "test_server.hpp"

#include <sstream>

using namespace mdtest;

namespace api_ops_test {

namespace {
const std::string kPhone = "13800000001";
const std::string kPin = "123456";

const std::string kIndex = "<!doctype html><title>memberdesk portal</title>";
const std::string kWasm = std::string("\0asm\1\0\0\0", 8) + "wasm-bytes";
const std::string kJs = "console.log('memberdesk client');\n";
const std::string kJsGz = std::string("\x1f\x8b\x08\x00", 4) + "pretend-gzip-of-app.js";
const std::string kSecret = "TOP-SECRET-OUTSIDE-WEB-DIR";

ServerOptions with_web() {
    ServerOptions o;
    o.web_files = {{"index.html", kIndex},
                   {"app.wasm", kWasm},
                   {"app.js", kJs},
                   {"app.js.gz", kJsGz},
                   {"style.css", "body{}"},
                   {".hidden", kSecret},
                   {"sub/page.txt", "nested"},
                   {"sw.js", "self.addEventListener('fetch', function () {});\n"},
                   {"manifest.webmanifest", "{\"name\":\"Member Centre\"}"}};
    return o;
}

// Value of one Prometheus sample line (exact label set), or -1 if absent.
double sample(const std::string& text, const std::string& series) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, series.size(), series) == 0 && line.size() > series.size() && line[series.size()] == ' ')
            return std::stod(line.substr(series.size() + 1));
    }
    return -1;
}
}  // namespace

TEST_CASE("ops: /healthz answers 200 {status: ok} without auth") {
    TestServer srv;
    auto res = srv.get("/healthz");
    auto j = expect_status(res, 200);
    CHECK(j == json{{"status", "ok"}});
    REQUIRE(res);
    CHECK(res->get_header_value("Content-Type").find("application/json") == 0);
}

TEST_CASE("ops: /metrics counts requests by route pattern, method and status") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    for (int i = 0; i < 3; ++i) expect_status(srv.get("/api/v1/me", bearer(token)), 200);
    expect_error(srv.get("/api/v1/me"), 401, "unauthorized");
    expect_status(srv.get("/api/v1/admin/members/" + std::to_string(id), admin()), 200);
    expect_error(srv.get("/api/v1/admin/members/999999", admin()), 404, "member_not_found");
    expect_error(srv.get("/api/v1/no/such/route"), 404, "not_found");
    expect_error(
        srv.post("/api/v1/pos/purchases", {{"txn_id", "T"}, {"member", kPhone}, {"amount", 0}, {"store", "S"}}, pos()),
        400, "invalid_field");

    auto res = srv.get("/metrics");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type").find("text/plain") == 0);
    const std::string& m = res->body;
    INFO(m.substr(0, 4000));
    CHECK(m.find("# TYPE memberdesk_http_requests_total counter") != std::string::npos);
    CHECK(m.find("# TYPE memberdesk_http_request_duration_seconds histogram") != std::string::npos);
    CHECK(sample(m, R"(memberdesk_http_requests_total{route="/api/v1/me",method="GET",status="200"})") == 3);
    CHECK(sample(m, R"(memberdesk_http_requests_total{route="/api/v1/me",method="GET",status="401"})") == 1);
    CHECK(
        sample(m, R"(memberdesk_http_requests_total{route="/api/v1/admin/members/{id}",method="GET",status="200"})") ==
        1);
    CHECK(
        sample(m, R"(memberdesk_http_requests_total{route="/api/v1/admin/members/{id}",method="GET",status="404"})") ==
        1);
    CHECK(sample(m, R"(memberdesk_http_requests_total{route="/api/v1/auth/login",method="POST",status="200"})") == 1);
    CHECK(sample(m, R"(memberdesk_http_requests_total{route="unmatched",method="GET",status="404"})") == 1);
    CHECK(sample(m, R"(memberdesk_http_errors_total{route="/api/v1/pos/purchases",code="invalid_field"})") == 1);
    CHECK(sample(m, R"(memberdesk_http_errors_total{route="/api/v1/admin/members/{id}",code="member_not_found"})") ==
          1);
    CHECK(sample(m, R"(memberdesk_http_request_duration_seconds_count{route="/api/v1/me"})") == 4);
    CHECK(sample(m, R"(memberdesk_http_request_duration_seconds_bucket{route="/api/v1/me",le="+Inf"})") == 4);
    // Never the raw path, never a token.
    CHECK(m.find("/api/v1/admin/members/" + std::to_string(id) + "\"") == std::string::npos);
    CHECK(m.find("/api/v1/no/such/route") == std::string::npos);
    CHECK(m.find(token) == std::string::npos);
}

TEST_CASE("ops: / serves index.html; /kiosk and /staff fall back to it; HTML is no-cache with an ETag") {
    TestServer srv(with_web());
    auto res = srv.get("/");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == kIndex);
    CHECK(res->get_header_value("Content-Type").find("text/html") == 0);
    CHECK(res->get_header_value("Cache-Control") == "no-cache");
    auto etag = res->get_header_value("ETag");
    CHECK(!etag.empty());

    auto again = srv.get("/", {{"If-None-Match", etag}});
    REQUIRE(again);
    CHECK(again->status == 304);
    CHECK(again->body.empty());

    for (const char* p : {"/kiosk", "/kiosk/", "/staff", "/staff/", "/index.html"}) {
        INFO(p);
        auto k = srv.get(p);
        REQUIRE(k);
        CHECK(k->status == 200);
        CHECK(k->body == kIndex);
    }
    auto nested = srv.get("/sub/page.txt");
    REQUIRE(nested);
    CHECK(nested->status == 200);
    CHECK(nested->body == "nested");
}

TEST_CASE("ops: .wasm is served as application/wasm with a long cache lifetime") {
    TestServer srv(with_web());
    auto res = srv.get("/app.wasm");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == kWasm);
    CHECK(res->get_header_value("Content-Type") == "application/wasm");
    CHECK(res->get_header_value("Cache-Control").find("max-age=3600") != std::string::npos);
    auto css = srv.get("/style.css");
    REQUIRE(css);
    CHECK(css->get_header_value("Content-Type").find("text/css") == 0);
}

TEST_CASE("ops: the service worker is revalidated on every visit and the manifest has its own type") {
    TestServer srv(with_web());
    auto sw = srv.get("/sw.js");
    REQUIRE(sw);
    CHECK(sw->status == 200);
    CHECK(sw->get_header_value("Content-Type").find("text/javascript") == 0);
    CHECK(sw->get_header_value("Cache-Control") == "no-cache");
    auto manifest = srv.get("/manifest.webmanifest");
    REQUIRE(manifest);
    CHECK(manifest->status == 200);
    CHECK(manifest->get_header_value("Content-Type") == "application/manifest+json");
    CHECK(manifest->get_header_value("Cache-Control") == "no-cache");
    // Other scripts keep their long lifetime.
    auto js = srv.get("/app.js");
    REQUIRE(js);
    CHECK(js->get_header_value("Cache-Control").find("max-age=3600") != std::string::npos);
}

TEST_CASE("ops: the .gz sibling is sent with Content-Encoding: gzip when the client accepts gzip") {
    TestServer srv(with_web());
    auto gz = srv.get("/app.js", {{"Accept-Encoding", "gzip, deflate, br"}});
    REQUIRE(gz);
    CHECK(gz->status == 200);
    CHECK(gz->get_header_value("Content-Encoding") == "gzip");
    CHECK(gz->body == kJsGz);
    CHECK(gz->get_header_value("Content-Type").find("javascript") != std::string::npos);
    CHECK(gz->get_header_value("Vary").find("Accept-Encoding") != std::string::npos);

    auto plain = srv.get("/app.js");
    REQUIRE(plain);
    CHECK(plain->status == 200);
    CHECK(!plain->has_header("Content-Encoding"));
    CHECK(plain->body == kJs);
    CHECK(plain->get_header_value("Vary").find("Accept-Encoding") != std::string::npos);
    // Different representations, different ETags.
    CHECK(plain->get_header_value("ETag") != gz->get_header_value("ETag"));

    auto identity = srv.get("/app.js", {{"Accept-Encoding", "identity"}});
    REQUIRE(identity);
    CHECK(identity->body == kJs);
}

TEST_CASE("ops: path traversal and hidden files are never served") {
    TestServer srv(with_web());
    write_file(srv.dir() / "secret.txt", kSecret);  // beside web/, outside it
    for (const char* p : {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/sub/../../secret.txt",
                          "/sub/%2e%2e/%2e%2e/secret.txt", "/.hidden", "/sub/../.hidden", "//etc/passwd",
                          "/%2fetc%2fpasswd", "/..\\secret.txt"}) {
        INFO(p);
        auto res = srv.get(p);
        REQUIRE(res);
        CHECK((res->status == 400 || res->status == 404));
        CHECK(res->body.find(kSecret) == std::string::npos);
        CHECK(res->body.find("root:") == std::string::npos);
    }
    auto nf = srv.get("/missing.js");
    REQUIRE(nf);
    CHECK(nf->status == 404);
    CHECK(nf->get_header_value("Content-Type").find("text/plain") == 0);
}

TEST_CASE("ops: unknown /api routes are 404 JSON with no-store") {
    TestServer srv;
    for (const char* p : {"/api/v1/nope", "/api", "/api/", "/api/v2/me", "/api/v1/me/", "/api/v1/admin/members/1/x"}) {
        INFO(p);
        auto res = srv.get(p);
        expect_error(res, 404, "not_found");
        REQUIRE(res);
        CHECK(res->get_header_value("Cache-Control") == "no-store");
    }
    expect_error(srv.post("/api/v1/nope", json::object()), 404, "not_found");
    // Without --web, other paths are plain 404s.
    auto res = srv.get("/index.html");
    REQUIRE(res);
    CHECK(res->status == 404);
}

TEST_CASE("ops: a known path with the wrong method is 405 with an Allow header") {
    TestServer srv;
    struct Case {
        std::string method, path, allow_has;
    };
    for (const auto& c : std::vector<Case>{{"GET", "/api/v1/auth/login", "POST"},
                                           {"DELETE", "/api/v1/auth/login", "POST"},
                                           {"GET", "/api/v1/pos/purchases", "POST"},
                                           {"PUT", "/api/v1/me", "GET"},
                                           {"POST", "/api/v1/me", "DELETE"},
                                           {"POST", "/healthz", "GET"},
                                           {"GET", "/api/v1/admin/clock", "PUT"}}) {
        INFO(c.method << " " << c.path);
        httplib::Result res = c.method == "GET"      ? srv.get(c.path)
                              : c.method == "DELETE" ? srv.del(c.path)
                              : c.method == "PUT"    ? srv.put(c.path, json::object())
                                                     : srv.post(c.path, json::object());
        expect_error(res, 405, "method_not_allowed");
        REQUIRE(res);
        CHECK(res->get_header_value("Allow").find(c.allow_has) != std::string::npos);
    }
}

TEST_CASE("ops: a body over 64 KiB is 413 payload_too_large; just under the limit is processed") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    std::string big =
        "{\"phone\":\"" + kPhone + "\",\"pin\":\"" + kPin + "\",\"pad\":\"" + std::string(70 * 1024, 'x') + "\"}";
    auto res = srv.post_raw("/api/v1/auth/login", big);
    expect_error(res, 413, "payload_too_large");

    auto fresh = srv.new_client();  // the big request may have closed the connection
    std::string ok =
        "{\"phone\":\"" + kPhone + "\",\"pin\":\"" + kPin + "\",\"pad\":\"" + std::string(60 * 1024, 'x') + "\"}";
    auto r2 = fresh->Post("/api/v1/auth/login", ok, "application/json");
    REQUIRE(r2);
    CHECK(r2->status == 200);
}

TEST_CASE("ops: every /api answer, errors included, has Cache-Control: no-store") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    std::vector<httplib::Result> rs;
    rs.push_back(srv.get("/api/v1/program"));
    rs.push_back(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}}));
    rs.push_back(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "000000"}}));
    rs.push_back(srv.get("/api/v1/me"));
    rs.push_back(srv.post_raw("/api/v1/auth/login", "{"));
    for (auto& r : rs) {
        REQUIRE(r);
        INFO(describe(r));
        CHECK(r->get_header_value("Cache-Control") == "no-store");
    }
}

}  // namespace api_ops_test
