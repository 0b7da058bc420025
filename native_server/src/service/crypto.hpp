// Cryptography for the server, all from libsodium: PIN hashing (argon2id), random tokens and codes,
// token hashing for storage, constant-time comparison, sealing of stored secrets (secretbox),
// HMAC-SHA-256 for the offline member code.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace memberdesk::server::crypto {

// sodium_init, once per process (thread-safe). Throws std::runtime_error if libsodium cannot start.
void init();

// argon2id (crypto_pwhash_str_alg). Limits are clamped to libsodium's minimums.
// Throws std::runtime_error when the memory cannot be allocated.
std::string hash_pin(std::string_view pin, unsigned long long opslimit, std::size_t memlimit);
// False for a wrong PIN and for an empty/malformed stored hash.
bool verify_pin(std::string_view stored_hash, std::string_view pin);

std::string random_bytes(std::size_t n);
std::string base64url(std::string_view bytes);  // no padding
std::string hex(std::string_view bytes);

// Bearer token: 32 random bytes, base64url (43 characters).
std::string random_token();
// What storage keeps for a token or a member code: SHA-256, lowercase hex (64 characters).
std::string hash_token(std::string_view token);
std::string sha256_hex(std::string_view data);

// Equal strings, in time independent of where they differ (sodium_memcmp over SHA-256 digests,
// so inputs of different lengths are handled too).
bool constant_time_equal(std::string_view a, std::string_view b);

// A 32-byte key for `purpose` derived from a configured key (BLAKE2b keyed with `key`).
std::string derive_key(std::string_view key, std::string_view purpose);
// XSalsa20-Poly1305 (crypto_secretbox) under a 32-byte key: hex of nonce + ciphertext. `open`
// returns nullopt for a wrong key or anything altered.
std::string seal(std::string_view key, std::string_view plaintext);
std::optional<std::string> open(std::string_view key, std::string_view sealed_hex);
// HMAC-SHA-256 (crypto_auth_hmacsha256, any key length): the raw 32 bytes.
std::string hmac_sha256(std::string_view key, std::string_view message);
// The offline card's one-time password (RFC 6238 with SHA-256; core/include/memberdesk/totp.hpp)
// computed with libsodium's HMAC.
std::string card_totp(std::string_view secret, long long unix_time);

// Unambiguous alphabet for codes people read or type: no 0/O, 1/I. 32 symbols, so one random byte
// & 31 picks a symbol without bias.
inline constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
std::string random_code(std::size_t length);
std::string random_coupon_code();  // 10 symbols (50 bits)
std::string random_member_code();  // "M" + 15 symbols (75 bits); never all digits, so never a phone or id

}  // namespace memberdesk::server::crypto
