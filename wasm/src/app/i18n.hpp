// UI strings in both product languages. Keys are dotted ("home.balance"); every key has an English
// and a Chinese text (a test checks the table). Texts that come from the API are `Text` objects and
// are chosen with Text::in(code(lang)).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace memberdesk::client {

enum class Lang { en, zh };
inline const char* code(Lang l) { return l == Lang::zh ? "zh" : "en"; }
Lang lang_from_code(std::string_view code);  // "zh", "zh-CN", "zh-Hans" -> zh; anything else -> en

struct StringEntry {
    const char* key;
    const char* en;
    const char* zh;
};
const std::vector<StringEntry>& string_table();

// Looks a key up; an unknown key returns the key itself (visible in tests, never crashes).
const char* tr(Lang lang, std::string_view key);

// "{0} points" style substitution: {0}, {1}, ... replaced by args in order.
std::string fmt(std::string_view pattern, const std::vector<std::string>& args);

// The API's error codes in words. Unknown codes fall back to the server's message, then to a
// generic sentence: a member never sees a snake_case code.
std::string error_text(Lang lang, int http_status, const std::string& code, const std::string& message);

}  // namespace memberdesk::client
