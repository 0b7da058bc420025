// The one UTF-8 length used by the core, the HTTP layer and the service.
#include <doctest/doctest.h>

#include <string>

#include "memberdesk/utf8.hpp"

using namespace memberdesk;

namespace utf8_test {

TEST_CASE("utf8: ASCII counts one per byte, the empty string is zero") {
    CHECK(utf8_length("") == std::size_t{0});
    CHECK(utf8_length("Emma Chen") == std::size_t{9});
    CHECK(utf8_sequence_length("a", 0) == 1);
}

TEST_CASE("utf8: CJK characters count one each though they take three bytes") {
    CHECK(utf8_length("王小明") == std::size_t{3});
    CHECK(utf8_length("尊享 Elite") == std::size_t{8});
    CHECK(utf8_sequence_length("王", 0) == 3);
    CHECK(utf8_length("×1.25") == std::size_t{5});  // a two-byte character
}

TEST_CASE("utf8: a four-byte character (emoji, U+10FFFF) counts as one") {
    CHECK(utf8_length("\xF0\x9F\x98\x80") == std::size_t{1});  // U+1F600
    CHECK(utf8_length("ok\xF0\x9F\x91\x8D") == std::size_t{3});
    CHECK(utf8_length("\xF4\x8F\xBF\xBF") == std::size_t{1});  // U+10FFFF, the last code point
    CHECK(utf8_sequence_length("\xF0\x9F\x98\x80", 0) == 4);
}

TEST_CASE("utf8: invalid sequences make the length absent") {
    CHECK_FALSE(utf8_length("\x80").has_value());                  // a lone continuation byte
    CHECK_FALSE(utf8_length("\xE7\x8E").has_value());              // truncated three-byte sequence
    CHECK_FALSE(utf8_length("ab\xF0\x9F\x98").has_value());        // truncated at the end
    CHECK_FALSE(utf8_length("\xC0\xAF").has_value());              // overlong '/'
    CHECK_FALSE(utf8_length("\xE0\x80\xAF").has_value());          // overlong, three bytes
    CHECK_FALSE(utf8_length("\xED\xA0\x80").has_value());          // a UTF-16 surrogate (U+D800)
    CHECK_FALSE(utf8_length("\xF4\x90\x80\x80").has_value());      // above U+10FFFF
    CHECK_FALSE(utf8_length("\xF8\x88\x80\x80\x80").has_value());  // five-byte form
    CHECK_FALSE(utf8_length("\xFF").has_value());
    CHECK(utf8_sequence_length("\xC3", 0) == 0);
    CHECK(utf8_sequence_length("a", 1) == 0);  // past the end
}

TEST_CASE("utf8: control characters are text unless the caller rejects them") {
    const std::string nul("a\0b", 3);
    CHECK(utf8_length(nul) == std::size_t{3});
    CHECK(utf8_length("line\nbreak") == std::size_t{10});
    CHECK_FALSE(utf8_length(nul, Utf8Controls::reject).has_value());
    CHECK_FALSE(utf8_length("line\nbreak", Utf8Controls::reject).has_value());
    CHECK_FALSE(utf8_length("tab\there", Utf8Controls::reject).has_value());
    CHECK_FALSE(utf8_length("del\x7F", Utf8Controls::reject).has_value());
    CHECK_FALSE(utf8_length("c1\xC2\x85", Utf8Controls::reject).has_value());    // U+0085 NEL
    CHECK(utf8_length("nbsp\xC2\xA0", Utf8Controls::reject) == std::size_t{5});  // U+00A0 is text
    CHECK(utf8_length("王小明", Utf8Controls::reject) == std::size_t{3});
    CHECK_FALSE(utf8_length("\xC0\x80", Utf8Controls::reject).has_value());  // overlong NUL is invalid either way
}

}  // namespace utf8_test
