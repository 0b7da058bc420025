#include "memberdesk/utf8.hpp"

namespace memberdesk {

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
    auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) { return at(k) >= lo && at(k) <= hi; };
    if (i >= s.size()) return 0;
    const unsigned c = at(0);
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

std::optional<std::size_t> utf8_length(std::string_view s, Utf8Controls controls) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++n) {
        const std::size_t len = utf8_sequence_length(s, i);
        if (len == 0) return std::nullopt;
        if (controls == Utf8Controls::reject) {
            const auto c0 = static_cast<unsigned char>(s[i]);
            // C0 and DEL are single bytes; C1 (U+0080..U+009F) is 0xC2 0x80..0x9F.
            const bool control = c0 < 0x20 || c0 == 0x7F || (c0 == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0);
            if (control) return std::nullopt;
        }
        i += len;
    }
    return n;
}

}  // namespace memberdesk
