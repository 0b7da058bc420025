// The offline member card over HTTP: a member's sign-in gives the device a secret; the code
// computed from it on the device ("T<member>-<device>-<otp>", RFC 6238 with SHA-256) is accepted by
// the POS and the kiosk within one 30-second step either side; it is refused after sign-out, a new
// PIN or a new secret for the device; wrong codes lock the member's codes like wrong PINs.
#include "memberdesk/totp.hpp"
#include "service/crypto.hpp"
#include "test_server.hpp"

using namespace mdtest;

namespace card_code_test {
namespace crypto = memberdesk::server::crypto;

namespace {

const std::string kPhone = "13812345678";
const std::string kPin = "123456";

struct Device {
    std::string token;
    std::int64_t member_id = 0, device_id = 0;
    std::string secret;  // raw bytes
};

std::string unhex(const std::string& h) {
    std::string out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) out += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
    return out;
}

Device sign_in(TestServer& srv, const json& extra = json::object()) {
    json body = {{"phone", kPhone}, {"pin", kPin}};
    body.update(extra);
    auto j = expect_status(srv.post("/api/v1/auth/login", body), 200);
    REQUIRE(j.contains("card"));
    const json& c = j["card"];
    CHECK(c["algorithm"] == "HMAC-SHA-256");
    CHECK(c["digits"] == 8);
    CHECK(c["period"] == 30);
    REQUIRE(c["secret"].is_string());
    CHECK(c["secret"].get<std::string>().size() == 64);
    return Device{j["token"], c["member_id"], c["device_id"], unhex(c["secret"].get<std::string>())};
}

// What the member's device shows at `t`.
std::string code_at(const Device& d, const std::string& t) {
    return memberdesk::format_card_code({d.member_id, d.device_id, memberdesk::totp(d.secret, unix_of(t))});
}

}  // namespace

TEST_CASE("card code: libsodium's HMAC on the server gives the RFC 6238 SHA-256 values the core computes") {
    const std::string seed = "12345678901234567890123456789012";
    for (long long t : {59LL, 1111111109LL, 1234567890LL, 2000000000LL, 20000000000LL})
        CHECK(crypto::card_totp(seed, t) == memberdesk::totp(seed, t));
    CHECK(crypto::card_totp(seed, 59) == "46119246");
}

TEST_CASE("card code: sealed secrets open only under their key and only unaltered") {
    const std::string k1 = crypto::derive_key("admin-key-one-0123456789", "purpose");
    const std::string k2 = crypto::derive_key("admin-key-two-0123456789", "purpose");
    CHECK(k1.size() == 32);
    CHECK(k1 != k2);
    CHECK(k1 != crypto::derive_key("admin-key-one-0123456789", "another purpose"));
    const std::string box = crypto::seal(k1, "the secret");
    CHECK(box.find(crypto::hex("the secret")) == std::string::npos);
    CHECK(crypto::open(k1, box) == std::optional<std::string>("the secret"));
    CHECK_FALSE(crypto::open(k2, box));
    std::string altered = box;
    altered.back() = altered.back() == '0' ? '1' : '0';
    CHECK_FALSE(crypto::open(k1, altered));
    CHECK_FALSE(crypto::open(k1, "zz"));
}

TEST_CASE("card code: the POS credits the member for the code the device computes, a step early or late too") {
    TestServer srv;
    const auto id = srv.create_member(kPhone, kPin);
    Device d = sign_in(srv);
    CHECK(d.member_id == id);
    auto j = srv.buy("T-1", code_at(d, kStart), 12800);
    CHECK(j["member_id"] == id);
    srv.buy("T-2", code_at(d, plus(kStart, -30)), 100);
    srv.buy("T-3", code_at(d, plus(kStart, 30)), 100);
    expect_error(srv.purchase("T-4", code_at(d, plus(kStart, 60)), 100), 404, "invalid_member_code");
    expect_error(srv.purchase("T-5", code_at(d, plus(kStart, -60)), 100), 404, "invalid_member_code");
    // A retry of a recorded purchase is answered from its record even after the code has moved on.
    srv.set_clock(plus(kStart, 600));
    auto again = expect_status(srv.purchase("T-1", code_at(d, kStart), 12800), 201);
    CHECK(again["member_id"] == id);
}

TEST_CASE("card code: the kiosk signs the member in by the code; a wrong device or member is refused") {
    TestServer srv;
    const auto id = srv.create_member(kPhone, kPin, "王小明");
    const auto other = srv.create_member("13900000000", kPin);
    Device d = sign_in(srv);
    auto kt = srv.kiosk_login({{"member_code", code_at(d, kStart)}});
    CHECK(srv.me(kt)["profile"]["id"] == id);
    CHECK(srv.me(kt)["profile"]["name"] == "王*明");
    // The same digits under another member's id or another device id.
    const std::string otp = memberdesk::totp(d.secret, unix_of(kStart));
    expect_error(srv.post("/api/v1/kiosk/login",
                          {{"member_code", memberdesk::format_card_code({other, d.device_id, otp})}}, kiosk_device()),
                 404, "invalid_member_code");
    expect_error(srv.post("/api/v1/kiosk/login",
                          {{"member_code", memberdesk::format_card_code({id, d.device_id + 7, otp})}}, kiosk_device()),
                 404, "invalid_member_code");
    expect_error(srv.post("/api/v1/kiosk/login", {{"member_code", "T1-2-3"}}, kiosk_device()), 404,
                 "invalid_member_code");
}

TEST_CASE("card code: sign-out, a new PIN and a new secret for the device each end the code") {
    TestServer srv;
    const auto id = srv.create_member(kPhone, kPin);
    Device a = sign_in(srv);
    Device b = sign_in(srv);
    CHECK(a.device_id != b.device_id);
    // Sign-out ends that device's card only.
    expect_status(srv.post_empty("/api/v1/auth/logout", bearer(a.token)), 204);
    expect_error(srv.purchase("S-1", code_at(a, kStart), 100), 404, "invalid_member_code");
    srv.buy("S-2", code_at(b, kStart), 100);
    // Signing in again on device b with its old card id replaces that card.
    Device b2 = sign_in(srv, {{"card_device", b.device_id}});
    expect_error(srv.purchase("S-3", code_at(b, kStart), 100), 404, "invalid_member_code");
    srv.buy("S-4", code_at(b2, kStart), 100);
    // Another member's card id is not theirs to replace.
    srv.create_member("13900000000", kPin);
    auto other = expect_status(
        srv.post("/api/v1/auth/login", {{"phone", "13900000000"}, {"pin", kPin}, {"card_device", b2.device_id}}), 200);
    CHECK(other["card"]["device_id"] != b2.device_id);
    srv.buy("S-5", code_at(b2, kStart), 100);
    // A new PIN signs every device out, cards included.
    expect_status(srv.patch("/api/v1/admin/members/" + std::to_string(id), {{"pin", "654321"}}, admin()), 200);
    expect_error(srv.purchase("S-6", code_at(b2, kStart), 100), 404, "invalid_member_code");
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "12345x"}, {"card_device", "x"}}), 400,
                 "invalid_field");
}

TEST_CASE("card code: a member keeps cards on their five newest devices") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    Device first = sign_in(srv);
    for (int i = 0; i < 4; ++i) sign_in(srv);
    srv.buy("N-1", code_at(first, kStart), 100);
    sign_in(srv);
    expect_error(srv.purchase("N-2", code_at(first, kStart), 100), 404, "invalid_member_code");
}

TEST_CASE("card code: five wrong codes lock the member's codes for the window, like wrong PINs") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    Device d = sign_in(srv);
    const std::string good = code_at(d, kStart);
    const std::string otp = memberdesk::totp(d.secret, unix_of(kStart));
    for (int i = 0; i < 5; ++i) {
        std::string wrong = otp;
        wrong[0] = static_cast<char>('0' + (wrong[0] - '0' + 1 + i) % 10);
        const std::string code = memberdesk::format_card_code({d.member_id, d.device_id, wrong});
        expect_error(srv.purchase("W-" + std::to_string(i), code, 100), 404, "invalid_member_code");
    }
    expect_error(srv.purchase("W-good", good, 100), 429, "too_many_attempts");
    expect_error(srv.post("/api/v1/kiosk/login", {{"member_code", good}}, kiosk_device()), 429, "too_many_attempts");
    // After the window, the right code works again.
    srv.set_clock(plus(kStart, 15 * 60 + 1));
    srv.buy("W-later", code_at(d, plus(kStart, 15 * 60 + 1)), 100);
}

TEST_CASE("card code: a kiosk sign-in gets no card secret, and the stored secret is not readable") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto j = expect_status(srv.post("/api/v1/kiosk/login", {{"phone", kPhone}, {"pin", kPin}}, kiosk_device()), 200);
    CHECK_FALSE(j.contains("card"));
    Device d = sign_in(srv);
    auto row =
        srv.app().service().store().read([&](memberdesk::server::ReadTx& tx) { return tx.card_device(d.device_id); });
    REQUIRE(row);
    CHECK(row->secret_box.find(crypto::hex(d.secret)) == std::string::npos);
}

}  // namespace card_code_test
