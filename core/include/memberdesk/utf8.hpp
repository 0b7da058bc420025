// UTF-8 lengths, for every length rule on text (names, reasons, comments, query fields) and for the
// JSON writer's validity check. Well-formed means RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF.
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

namespace memberdesk {

// Bytes of the well-formed UTF-8 sequence starting at s[i] (1 to 4), or 0 if there is none there.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

enum class Utf8Controls { allow, reject };

// Number of code points of `s`, or nullopt if `s` is not well-formed UTF-8. With
// Utf8Controls::reject a control character (U+0000..U+001F, U+007F, U+0080..U+009F) makes it
// nullopt too: what the service requires of names, reasons and comments.
std::optional<std::size_t> utf8_length(std::string_view s, Utf8Controls controls = Utf8Controls::allow);

}  // namespace memberdesk
