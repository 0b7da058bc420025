// The offline member code (pure): a time-based one-time password after RFC 6238 over a per-device
// secret, with HMAC-SHA-256 (RFC 6238 allows SHA-256; its test vectors are in the core tests),
// 30-second steps and 8 digits, and the code the card shows: "T<member id>-<device id>-<otp>".
// The device computes it without the network; the server checks it within one step either side.
// SHA-256 is here because the WebAssembly client has no crypto library; the server verifies with
// libsodium's HMAC-SHA-256 (native_server/src/service/card_devices.cpp), and a server test holds
// both to the same RFC vectors.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "memberdesk/common.hpp"

namespace memberdesk {

inline constexpr int kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 8;
inline constexpr int kTotpWindowSteps = 1;           // accepted: the current step and one either side
inline constexpr std::size_t kCardSecretBytes = 32;  // HMAC-SHA-256 key

using Sha256Digest = std::array<std::uint8_t, 32>;
Sha256Digest sha256(std::string_view data);
Sha256Digest hmac_sha256(std::string_view key, std::string_view message);

// The step counter T = floor(t / step) (t >= 0), as the 8-byte big-endian message of RFC 4226.
std::uint64_t totp_counter(UnixSeconds t, int step_seconds = kTotpStepSeconds);
std::string totp_message(std::uint64_t counter);
// RFC 4226 dynamic truncation of an HMAC value to `digits` decimal digits (zero-padded).
std::string totp_truncate(const std::uint8_t* mac, std::size_t mac_len, int digits = kTotpDigits);
// The password at `t` for `secret` (raw bytes).
std::string totp(std::string_view secret, UnixSeconds t, int step_seconds = kTotpStepSeconds, int digits = kTotpDigits);
// Seconds until the password at `t` changes (1..step).
int totp_seconds_left(UnixSeconds t, int step_seconds = kTotpStepSeconds);

// What the card shows and a scanner types: "T<member id>-<device id>-<8 digits>". Never all digits
// and never starting with "M", so it is neither a phone, a member id nor a server-issued code.
struct CardCode {
    std::int64_t member_id = 0;
    std::int64_t device_id = 0;
    std::string otp;
};
std::string format_card_code(const CardCode& c);
std::optional<CardCode> parse_card_code(std::string_view s);  // "t" accepted; nullopt if malformed
bool looks_like_card_code(std::string_view s);                // starts with T or t

}  // namespace memberdesk
