#include "memberdesk/self_service.hpp"

#include <algorithm>

#include "memberdesk/referral.hpp"
#include "memberdesk/utf8.hpp"

namespace memberdesk {

namespace {

bool digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void wipe(std::string& s) {
    volatile char* p = s.data();
    for (std::size_t i = 0; i < s.size(); ++i) p[i] = 0;
    s.clear();
}

}  // namespace

bool phone_format_ok(const std::string& phone) {
    const std::string d = !phone.empty() && phone[0] == '+' ? phone.substr(1) : phone;
    return digits(d) && d.size() >= 6 && d.size() <= 20;
}

bool pin_format_ok(const std::string& pin) { return pin.size() == 6 && digits(pin); }

bool code_format_ok(const std::string& code) { return code.size() == 6 && digits(code); }

bool name_format_ok(const std::string& name) {
    const auto n = utf8_length(name, Utf8Controls::reject);
    const bool blank = std::all_of(name.begin(), name.end(), [](char c) { return c == ' ' || c == '\t'; });
    return n && *n >= 1 && *n <= 100 && !blank;
}

std::optional<ErrorCode> CodeFlow::phone_problem() const {
    if (!phone_format_ok(phone)) return ErrorCode::invalid_phone;
    return std::nullopt;
}

std::optional<ErrorCode> CodeFlow::code_problem() const {
    if (!code_format_ok(code)) return ErrorCode::invalid_code;
    return std::nullopt;
}

std::optional<ErrorCode> CodeFlow::details_problem() const {
    if (purpose_ == CodePurpose::signup && !name_format_ok(name)) return ErrorCode::invalid_name;
    if (!pin_format_ok(pin)) return ErrorCode::invalid_pin;
    if (purpose_ == CodePurpose::signup && !terms) return ErrorCode::consent_required;
    if (purpose_ == CodePurpose::signup && !referral_code.empty() && !normalize_referral_code(referral_code))
        return ErrorCode::invalid_referral_code;
    return std::nullopt;
}

void CodeFlow::code_sent(UnixSeconds now, UnixSeconds expires_at) {
    sent_ = true;
    sent_at_ = now;
    expires_at_ = expires_at > now ? expires_at : now + 600;
    wipe(code);
    if (step_ == Step::phone) step_ = Step::code;
}

int CodeFlow::resend_wait(UnixSeconds now) const {
    if (!sent_ || now - sent_at_ >= kResendGapSeconds) return 0;
    return static_cast<int>(kResendGapSeconds - (now - sent_at_));
}

bool CodeFlow::enter_code() {
    if (step_ != Step::code || code_problem()) return false;
    step_ = Step::details;
    return true;
}

void CodeFlow::refused(const std::string& error) {
    if (step_ == Step::done) return;
    if (error == "invalid_code") {
        wipe(code);
        step_ = Step::code;
    } else if (error == "invalid_phone" || error == "phone_taken") {
        wipe(code);
        step_ = Step::phone;
    } else if (error == "invalid_pin") {
        wipe(pin);
    }
    // invalid_referral_code: the details step stays, with the code to correct or clear.
}

void CodeFlow::verified() {
    wipe(pin);
    wipe(code);
    step_ = Step::done;
}

void CodeFlow::back() {
    if (step_ == Step::details) {
        step_ = Step::code;
    } else if (step_ == Step::code) {
        wipe(code);
        step_ = Step::phone;
    }
}

void CodeFlow::reset() {
    wipe(phone);
    wipe(code);
    wipe(name);
    wipe(pin);
    wipe(referral_code);
    terms = marketing = personalised_offers = false;
    step_ = Step::phone;
    sent_ = false;
    sent_at_ = expires_at_ = 0;
}

}  // namespace memberdesk
