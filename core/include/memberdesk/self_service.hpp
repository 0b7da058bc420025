// The member's self-service flows as the clients walk them (domain.md §7): sign-up and PIN reset
// with a one-time code. Pure: the format rules the server applies (so a form says what is wrong
// before it is sent) and the step machine both the portal and the kiosk draw. The server decides
// whether a code is right; the flow only follows its answers.
#pragma once
#include <optional>
#include <string>

#include "memberdesk/errors.hpp"
#include "memberdesk/time.hpp"

namespace memberdesk {

// The server's format rules (errors.hpp: invalid_phone, invalid_pin, invalid_name).
bool phone_format_ok(const std::string& phone);  // 6 to 20 digits, optionally a leading +
bool pin_format_ok(const std::string& pin);      // exactly 6 digits
bool code_format_ok(const std::string& code);    // a one-time code: exactly 6 digits
bool name_format_ok(const std::string& name);    // 1 to 100 characters of text, not blank

enum class CodePurpose { signup, pin_reset };

// phone -> code -> details (sign-up: name, PIN, consents; PIN reset: the new PIN) -> done.
// The phone step ends when the server says a code was sent; the code step only checks the format
// (the server checks the code itself with the details); a refusal of the details sends the flow back
// to the step whose entry was refused.
class CodeFlow {
public:
    enum class Step { phone, code, details, done };
    static constexpr int kResendGapSeconds = 60;  // one code per phone per minute (codes.hpp)

    explicit CodeFlow(CodePurpose purpose = CodePurpose::signup) : purpose_(purpose) {}

    CodePurpose purpose() const { return purpose_; }
    Step step() const { return step_; }

    // What the member typed.
    std::string phone, code, name, pin;
    bool terms = false, marketing = false, personalised_offers = false;  // off unless chosen
    // Sign-up: another member's referral code (from a /?ref= link, typed or scanned); optional.
    std::string referral_code;

    // The first problem of the current step's entries (nullopt: it may go on).
    std::optional<ErrorCode> phone_problem() const;
    std::optional<ErrorCode> code_problem() const;
    std::optional<ErrorCode> details_problem() const;

    // The server sent a code (202): on to the code step. `now` and `expires_at` in unix seconds.
    void code_sent(UnixSeconds now, UnixSeconds expires_at);
    // Seconds until another code may be asked for (0: now).
    int resend_wait(UnixSeconds now) const;
    bool code_expired(UnixSeconds now) const { return sent_ && now >= expires_at_; }
    // code -> details when the code has the right form; true if it moved.
    bool enter_code();
    // The server refused the details with `error` (an errors.hpp name): back to the step to fix.
    void refused(const std::string& error);
    void verified();  // the server accepted: done (the PIN is wiped)
    void back();      // one step back (details -> code -> phone)
    void reset();     // everything typed is forgotten

private:
    CodePurpose purpose_;
    Step step_ = Step::phone;
    bool sent_ = false;
    UnixSeconds sent_at_ = 0, expires_at_ = 0;
};

}  // namespace memberdesk
