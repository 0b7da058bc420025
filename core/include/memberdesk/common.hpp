// Basic vocabulary of the core: money, points, time, bilingual text, errors.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "memberdesk/errors.hpp"

namespace memberdesk {

using Cents = std::int64_t;        // money in minor units (fen); never floating point
using Points = std::int64_t;       // loyalty points
using UnixSeconds = std::int64_t;  // UTC instant, seconds since 1970-01-01T00:00:00Z

// A text a member reads, in both product languages.
struct Text {
    std::string zh;
    std::string en;
    const std::string& in(const std::string& lang) const { return lang == "zh" ? zh : en; }
    bool operator==(const Text& o) const { return zh == o.zh && en == o.en; }
};

// A failed decision: one of the codes of errors.hpp (its name is the HTTP API's error.code) and a
// message for people.
struct Error {
    ErrorCode code = ErrorCode::internal_error;
    std::string message;
};

template <class T>
class Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}
    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

// An empty message means the code's default message.
inline Error make_error(ErrorCode code, std::string message = {}) {
    if (message.empty()) message = default_message(code);
    return Error{code, std::move(message)};
}

}  // namespace memberdesk
