// What the server compresses: API answers of 1 KB and more in gzip when the request accepts it,
// everything else as it is; the web client's files as their precompressed .gz sibling.
#include "test_server.hpp"

#include <zlib.h>

#include "http/compress.hpp"

using namespace mdtest;

namespace compression_test {

namespace {
const std::string kPhone = "13800000001";
const std::string kPin = "123456";
const httplib::Headers kGzip = {{"Accept-Encoding", "gzip, deflate, br"}};

std::string gunzip(const std::string& z) {
    z_stream s{};
    REQUIRE(inflateInit2(&s, 15 + 16) == Z_OK);
    std::string out;
    char buf[16384];
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data()));
    s.avail_in = static_cast<uInt>(z.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        s.next_out = reinterpret_cast<Bytef*>(buf);
        s.avail_out = sizeof buf;
        rc = inflate(&s, Z_NO_FLUSH);
        out.append(buf, sizeof buf - s.avail_out);
    }
    inflateEnd(&s);
    REQUIRE(rc == Z_STREAM_END);
    return out;
}

// A member with a ledger page well over 1 KB of JSON.
std::string member_with_history(TestServer& srv) {
    srv.create_member(kPhone, kPin);
    for (int i = 0; i < 12; ++i) srv.buy("gz-" + std::to_string(i), kPhone, 1000 + i);
    return srv.login(kPhone, kPin);
}

ServerOptions with_web() {
    ServerOptions o;
    o.web_files = {{"index.html", "<!doctype html><title>memberdesk</title>"},
                   {"bridge.js", "console.log('bridge');\n"},
                   {"bridge.js.gz", std::string("\x1f\x8b\x08\x00", 4) + "pretend-gzip-of-bridge.js"}};
    return o;
}
}  // namespace

TEST_CASE("compression: a large API answer is gzip when the request accepts gzip, the same JSON once inflated") {
    TestServer srv;
    auto token = member_with_history(srv);
    auto plain = srv.get("/api/v1/me/ledger?limit=50", bearer(token));
    REQUIRE(plain);
    REQUIRE(plain->status == 200);
    REQUIRE(plain->body.size() >= memberdesk::server::http::kGzipMinBytes);
    CHECK(!plain->has_header("Content-Encoding"));
    CHECK(plain->get_header_value("Vary") == "Accept-Encoding");

    auto gz = srv.get("/api/v1/me/ledger?limit=50", bearer(token) + kGzip);
    REQUIRE(gz);
    CHECK(gz->status == 200);
    CHECK(gz->get_header_value("Content-Encoding") == "gzip");
    CHECK(gz->get_header_value("Vary") == "Accept-Encoding");
    CHECK(gz->get_header_value("Content-Type").find("application/json") == 0);
    CHECK(gz->get_header_value("Cache-Control") == "no-store");
    CHECK(gz->body.size() < plain->body.size() / 2);
    CHECK(gunzip(gz->body) == plain->body);
}

TEST_CASE("compression: an answer is sent as it is when the request does not accept gzip") {
    TestServer srv;
    auto token = member_with_history(srv);
    for (const char* ae : {"identity", "gzip;q=0", "br", "deflate"}) {
        INFO(ae);
        auto res = srv.get("/api/v1/me/ledger?limit=50", bearer(token) + httplib::Headers{{"Accept-Encoding", ae}});
        REQUIRE(res);
        CHECK(res->status == 200);
        CHECK(!res->has_header("Content-Encoding"));
        CHECK(json::parse(res->body)["entries"].size() >= 12);
    }
}

TEST_CASE("compression: answers under 1 KB are never compressed") {
    TestServer srv;
    auto res = srv.get("/api/v1/me", kGzip);  // 401: a small JSON error
    REQUIRE(res);
    CHECK(res->status == 401);
    CHECK(res->body.size() < memberdesk::server::http::kGzipMinBytes);
    CHECK(!res->has_header("Content-Encoding"));
    CHECK(json::parse(res->body)["error"]["code"] == "unauthorized");
}

TEST_CASE("compression: HEAD of a large API answer gives the gzip answer's headers and no body") {
    TestServer srv;
    auto token = member_with_history(srv);
    auto gz = srv.get("/api/v1/me/ledger?limit=50", bearer(token) + kGzip);
    REQUIRE(gz);
    auto client = srv.new_client();
    auto head = client->Head("/api/v1/me/ledger?limit=50", bearer(token) + kGzip);
    REQUIRE(head);
    CHECK(head->status == 200);
    CHECK(head->get_header_value("Content-Encoding") == "gzip");
    CHECK(head->get_header_value("Content-Length") == std::to_string(gz->body.size()));
    CHECK(head->body.empty());
}

TEST_CASE("compression: a range request gets identity bytes, from the API and from the web files") {
    TestServer srv(with_web());
    auto token = member_with_history(srv);
    auto plain = srv.get("/api/v1/me/ledger?limit=50", bearer(token));
    REQUIRE(plain);
    auto part = srv.get("/api/v1/me/ledger?limit=50", bearer(token) + kGzip + httplib::Headers{{"Range", "bytes=0-9"}});
    REQUIRE(part);
    CHECK(!part->has_header("Content-Encoding"));
    CHECK(plain->body.compare(0, part->body.size(), part->body) == 0);

    auto js = srv.get("/bridge.js", kGzip + httplib::Headers{{"Range", "bytes=0-6"}});
    REQUIRE(js);
    CHECK(!js->has_header("Content-Encoding"));
    CHECK(std::string("console.log('bridge');\n").compare(0, js->body.size(), js->body) == 0);
}

TEST_CASE("compression: a web file's .gz sibling and the file itself carry different ETags, each revalidating") {
    TestServer srv(with_web());
    auto gz = srv.get("/bridge.js", kGzip);
    auto plain = srv.get("/bridge.js");
    REQUIRE(gz);
    REQUIRE(plain);
    CHECK(gz->get_header_value("Content-Encoding") == "gzip");
    CHECK(plain->body == "console.log('bridge');\n");
    CHECK(gz->get_header_value("ETag") != plain->get_header_value("ETag"));
    auto again = srv.get("/bridge.js", kGzip + httplib::Headers{{"If-None-Match", gz->get_header_value("ETag")}});
    REQUIRE(again);
    CHECK(again->status == 304);
    // The identity ETag does not validate the gzip representation.
    auto other = srv.get("/bridge.js", kGzip + httplib::Headers{{"If-None-Match", plain->get_header_value("ETag")}});
    REQUIRE(other);
    CHECK(other->status == 200);
    CHECK(other->get_header_value("Content-Encoding") == "gzip");
}

TEST_CASE("compression: Accept-Encoding is read as RFC 9110 says: names in any case, q=0 refuses") {
    using memberdesk::server::http::accepts_gzip;
    CHECK(accepts_gzip("gzip"));
    CHECK(accepts_gzip("GZip"));
    CHECK(accepts_gzip("deflate, gzip;q=0.5"));
    CHECK(accepts_gzip("x-gzip"));
    CHECK(accepts_gzip("*"));
    CHECK(accepts_gzip("br , gzip ; q=1"));
    CHECK(!accepts_gzip(""));
    CHECK(!accepts_gzip("identity"));
    CHECK(!accepts_gzip("gzip;q=0"));
    CHECK(!accepts_gzip("gzip;q=0.000"));
    CHECK(!accepts_gzip("br, deflate"));
}

}  // namespace compression_test
