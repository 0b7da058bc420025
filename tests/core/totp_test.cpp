// The offline member code (memberdesk/totp.hpp): SHA-256 (FIPS 180-2 examples), HMAC-SHA-256
// (RFC 4231), TOTP with SHA-256 against the RFC 6238 Appendix B vectors, and the card code format.
#include <doctest/doctest.h>

#include <string>

#include "memberdesk/totp.hpp"

using namespace memberdesk;

namespace totp_test {

namespace {

std::string hex(const Sha256Digest& d) {
    static const char* x = "0123456789abcdef";
    std::string s;
    for (auto b : d) {
        s += x[b >> 4];
        s += x[b & 15];
    }
    return s;
}

const std::string kRfcSecret = "12345678901234567890123456789012";  // RFC 6238's SHA-256 seed (32 bytes)

}  // namespace

TEST_CASE("totp: SHA-256 gives the FIPS 180-2 digests, across the one- and two-block padding edge") {
    CHECK(hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(hex(sha256(std::string(1000000, 'a'))) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("totp: HMAC-SHA-256 gives the RFC 4231 results, a key longer than a block included") {
    CHECK(hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(hex(hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("totp: SHA-256, 30-second steps, 8 digits give the RFC 6238 Appendix B values") {
    CHECK(totp(kRfcSecret, 59) == "46119246");
    CHECK(totp(kRfcSecret, 1111111109) == "68084774");
    CHECK(totp(kRfcSecret, 1111111111) == "67062674");
    CHECK(totp(kRfcSecret, 1234567890) == "91819424");
    CHECK(totp(kRfcSecret, 2000000000) == "90698825");
    CHECK(totp(kRfcSecret, 20000000000LL) == "77737706");
}

TEST_CASE("totp: a password holds for its 30-second step and changes at the next one") {
    CHECK(totp(kRfcSecret, 60) == totp(kRfcSecret, 89));
    CHECK(totp(kRfcSecret, 89) != totp(kRfcSecret, 90));
    CHECK(totp_counter(89) == 2);
    CHECK(totp_counter(90) == 3);
    CHECK(totp_seconds_left(60) == 30);
    CHECK(totp_seconds_left(89) == 1);
    CHECK(totp_message(1) == std::string("\0\0\0\0\0\0\0\x01", 8));
}

TEST_CASE("totp: the card code is T<member>-<device>-<8 digits> and reads back; anything else is refused") {
    const std::string s = format_card_code(CardCode{12, 3, "04839212"});
    CHECK(s == "T12-3-04839212");
    auto c = parse_card_code(s);
    REQUIRE(c);
    CHECK(c->member_id == 12);
    CHECK(c->device_id == 3);
    CHECK(c->otp == "04839212");
    CHECK(parse_card_code("t12-3-04839212"));
    for (const char* bad :
         {"", "T", "T12-3", "T12-3-0483921", "T12-3-048392123", "T-3-04839212", "T12--04839212", "T012-3-04839212",
          "T12-3-0483921x", "Tx-3-04839212", "M12-3-04839212", "12-3-04839212", "T1234567890123456-3-04839212"})
        CHECK_MESSAGE(!parse_card_code(bad), bad);
    CHECK(looks_like_card_code("T1"));
    CHECK_FALSE(looks_like_card_code("M1"));
    CHECK_FALSE(looks_like_card_code("13800000001"));
}

}  // namespace totp_test
