#include "service/crypto.hpp"

#include <sodium.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "memberdesk/totp.hpp"

namespace memberdesk::server::crypto {

void init() {
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] { ok = sodium_init() >= 0; });
    if (!ok) throw std::runtime_error("libsodium: sodium_init failed");
}

std::string hash_pin(std::string_view pin, unsigned long long opslimit, std::size_t memlimit) {
    init();
    opslimit = std::max<unsigned long long>(opslimit, crypto_pwhash_OPSLIMIT_MIN);
    memlimit = std::max<std::size_t>(memlimit, crypto_pwhash_MEMLIMIT_MIN);
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, pin.data(), pin.size(), opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("argon2id: out of memory");
    return std::string(out);
}

bool verify_pin(std::string_view stored_hash, std::string_view pin) {
    init();
    if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES) return false;
    char buf[crypto_pwhash_STRBYTES] = {};
    std::copy(stored_hash.begin(), stored_hash.end(), buf);
    return crypto_pwhash_str_verify(buf, pin.data(), pin.size()) == 0;
}

std::string random_bytes(std::size_t n) {
    init();
    std::string out(n, '\0');
    if (n) randombytes_buf(out.data(), n);
    return out;
}

std::string base64url(std::string_view bytes) {
    init();
    const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      variant);
    out.resize(out.size() - 1);  // drop the terminating NUL
    return out;
}

std::string hex(std::string_view bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    out.resize(out.size() - 1);
    return out;
}

std::string random_token() { return base64url(random_bytes(32)); }

static void sha256(std::string_view data, unsigned char (&out)[crypto_hash_sha256_BYTES]) {
    crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
}

std::string sha256_hex(std::string_view data) {
    init();
    unsigned char d[crypto_hash_sha256_BYTES];
    sha256(data, d);
    return hex(std::string_view(reinterpret_cast<const char*>(d), sizeof d));
}

std::string hash_token(std::string_view token) { return sha256_hex(token); }

bool constant_time_equal(std::string_view a, std::string_view b) {
    init();
    unsigned char da[crypto_hash_sha256_BYTES], db[crypto_hash_sha256_BYTES];
    sha256(a, da);
    sha256(b, db);
    return sodium_memcmp(da, db, sizeof da) == 0 && a.size() == b.size();
}

std::string random_code(std::size_t length) {
    static_assert(kCodeAlphabet.size() == 32, "alphabet must have 32 symbols");
    std::string bytes = random_bytes(length);
    std::string out(length, '\0');
    for (std::size_t i = 0; i < length; ++i) out[i] = kCodeAlphabet[static_cast<unsigned char>(bytes[i]) & 31u];
    sodium_memzero(bytes.data(), bytes.size());
    return out;
}

std::string random_coupon_code() { return random_code(10); }
std::string random_member_code() { return "M" + random_code(15); }

std::string derive_key(std::string_view key, std::string_view purpose) {
    init();
    // BLAKE2b keys are 16..64 bytes: a longer or shorter configured key is hashed first.
    unsigned char k[crypto_generichash_KEYBYTES];
    crypto_generichash(k, sizeof k, reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr, 0);
    unsigned char out[32];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size(), k,
                       sizeof k);
    sodium_memzero(k, sizeof k);
    return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string seal(std::string_view key, std::string_view plaintext) {
    init();
    if (key.size() != crypto_secretbox_KEYBYTES) throw std::invalid_argument("seal: key must be 32 bytes");
    std::string out = random_bytes(crypto_secretbox_NONCEBYTES);
    out.resize(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
    auto* buf = reinterpret_cast<unsigned char*>(out.data());
    crypto_secretbox_easy(buf + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                          plaintext.size(), buf, reinterpret_cast<const unsigned char*>(key.data()));
    return hex(out);
}

std::optional<std::string> open(std::string_view key, std::string_view sealed_hex) {
    init();
    if (key.size() != crypto_secretbox_KEYBYTES) return std::nullopt;
    std::string bin(sealed_hex.size() / 2, '\0');
    std::size_t len = 0;
    if (sodium_hex2bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), sealed_hex.data(), sealed_hex.size(),
                       nullptr, &len, nullptr) != 0)
        return std::nullopt;
    if (len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
    const auto* b = reinterpret_cast<const unsigned char*>(bin.data());
    std::string out(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()), b + crypto_secretbox_NONCEBYTES,
                                   len - crypto_secretbox_NONCEBYTES, b,
                                   reinterpret_cast<const unsigned char*>(key.data())) != 0)
        return std::nullopt;
    return out;
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
    init();
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&st, mac);
    return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

std::string card_totp(std::string_view secret, long long unix_time) {
    const std::string mac = hmac_sha256(secret, totp_message(totp_counter(unix_time)));
    return totp_truncate(reinterpret_cast<const std::uint8_t*>(mac.data()), mac.size());
}

}  // namespace memberdesk::server::crypto
