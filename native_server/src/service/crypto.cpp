#include "service/crypto.hpp"

#include <sodium.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

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

}  // namespace memberdesk::server::crypto
