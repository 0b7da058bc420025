// Reading API answers leniently: a missing or mistyped field gives an empty value or a fallback, so
// a screen still shows what did arrive (the server's own answers are checked by its tests).
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace memberdesk::lenient {

inline std::optional<std::string> opt_string(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

inline std::string string_or_empty(const nlohmann::json& j, const char* key) { return opt_string(j, key).value_or(""); }

template <class T>
T number_or(const nlohmann::json& j, const char* key, T fallback = T{}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return fallback;
    return it->get<T>();
}

template <class T>
std::optional<T> opt_number(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return std::nullopt;
    return it->get<T>();
}

// The object at `key`, or an empty object.
inline const nlohmann::json& sub_object(const nlohmann::json& j, const char* key) {
    static const nlohmann::json empty = nlohmann::json::object();
    auto it = j.find(key);
    return it != j.end() && it->is_object() ? *it : empty;
}

}  // namespace memberdesk::lenient
