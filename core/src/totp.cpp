#include "memberdesk/totp.hpp"

#include <cstring>

namespace memberdesk {

namespace {

constexpr std::uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void compress(std::uint32_t h[8], const std::uint8_t* block) {
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i)
        w[i] = static_cast<std::uint32_t>(block[4 * i]) << 24 | static_cast<std::uint32_t>(block[4 * i + 1]) << 16 |
               static_cast<std::uint32_t>(block[4 * i + 2]) << 8 | static_cast<std::uint32_t>(block[4 * i + 3]);
    for (int i = 16; i < 64; ++i) {
        const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; ++i) {
        const std::uint32_t t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + kK[i] + w[i];
        const std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
}

}  // namespace

Sha256Digest sha256(std::string_view data) {
    std::uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const auto* p = reinterpret_cast<const std::uint8_t*>(data.data());
    const std::size_t n = data.size();
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) compress(h, p + i);
    std::uint8_t tail[128] = {};
    const std::size_t rest = n - i;
    if (rest) std::memcpy(tail, p + i, rest);
    tail[rest] = 0x80;
    const std::size_t blocks = rest + 9 <= 64 ? 1 : 2;
    const std::uint64_t bits = static_cast<std::uint64_t>(n) * 8;
    for (int b = 0; b < 8; ++b)
        tail[blocks * 64 - 1 - static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(bits >> (8 * b));
    for (std::size_t b = 0; b < blocks; ++b) compress(h, tail + 64 * b);
    Sha256Digest out{};
    for (int j = 0; j < 8; ++j)
        for (int b = 0; b < 4; ++b)
            out[static_cast<std::size_t>(4 * j + b)] = static_cast<std::uint8_t>(h[j] >> (24 - 8 * b));
    return out;
}

Sha256Digest hmac_sha256(std::string_view key, std::string_view message) {
    std::string k(key);
    if (k.size() > 64) {
        const Sha256Digest d = sha256(k);
        k.assign(reinterpret_cast<const char*>(d.data()), d.size());
    }
    k.resize(64, '\0');
    std::string inner(64, '\0'), outer(64, '\0');
    for (std::size_t i = 0; i < 64; ++i) {
        inner[i] = static_cast<char>(k[i] ^ 0x36);
        outer[i] = static_cast<char>(k[i] ^ 0x5c);
    }
    inner.append(message);
    const Sha256Digest ih = sha256(inner);
    outer.append(reinterpret_cast<const char*>(ih.data()), ih.size());
    return sha256(outer);
}

std::uint64_t totp_counter(UnixSeconds t, int step_seconds) {
    if (t < 0 || step_seconds <= 0) return 0;
    return static_cast<std::uint64_t>(t / step_seconds);
}

std::string totp_message(std::uint64_t counter) {
    std::string m(8, '\0');
    for (int i = 0; i < 8; ++i) m[static_cast<std::size_t>(7 - i)] = static_cast<char>((counter >> (8 * i)) & 0xff);
    return m;
}

std::string totp_truncate(const std::uint8_t* mac, std::size_t mac_len, int digits) {
    if (mac_len < 20 || digits < 6 || digits > 9) return {};
    const std::size_t offset = static_cast<std::size_t>(mac[mac_len - 1] & 0x0f);
    const std::uint32_t bin =
        (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) | (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
        (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | static_cast<std::uint32_t>(mac[offset + 3]);
    std::uint32_t mod = 1;
    for (int i = 0; i < digits; ++i) mod *= 10;
    std::string s = std::to_string(bin % mod);
    if (s.size() < static_cast<std::size_t>(digits)) s.insert(0, static_cast<std::size_t>(digits) - s.size(), '0');
    return s;
}

std::string totp(std::string_view secret, UnixSeconds t, int step_seconds, int digits) {
    const Sha256Digest mac = hmac_sha256(secret, totp_message(totp_counter(t, step_seconds)));
    return totp_truncate(mac.data(), mac.size(), digits);
}

int totp_seconds_left(UnixSeconds t, int step_seconds) {
    if (step_seconds <= 0) return 1;
    if (t < 0) t = 0;
    return static_cast<int>(step_seconds - t % step_seconds);
}

std::string format_card_code(const CardCode& c) {
    return "T" + std::to_string(c.member_id) + "-" + std::to_string(c.device_id) + "-" + c.otp;
}

bool looks_like_card_code(std::string_view s) { return !s.empty() && (s[0] == 'T' || s[0] == 't'); }

std::optional<CardCode> parse_card_code(std::string_view s) {
    if (!looks_like_card_code(s) || s.size() > 64) return std::nullopt;
    s.remove_prefix(1);
    auto number = [](std::string_view d, std::int64_t& out) {
        if (d.empty() || d.size() > 15 || d[0] == '0') return false;
        std::int64_t v = 0;
        for (char c : d) {
            if (c < '0' || c > '9') return false;
            v = v * 10 + (c - '0');
        }
        out = v;
        return true;
    };
    const auto a = s.find('-');
    if (a == std::string_view::npos) return std::nullopt;
    const auto b = s.find('-', a + 1);
    if (b == std::string_view::npos) return std::nullopt;
    CardCode c;
    if (!number(s.substr(0, a), c.member_id) || !number(s.substr(a + 1, b - a - 1), c.device_id)) return std::nullopt;
    const std::string_view otp = s.substr(b + 1);
    if (otp.size() != static_cast<std::size_t>(kTotpDigits)) return std::nullopt;
    for (char ch : otp)
        if (ch < '0' || ch > '9') return std::nullopt;
    c.otp = std::string(otp);
    return c;
}

}  // namespace memberdesk
