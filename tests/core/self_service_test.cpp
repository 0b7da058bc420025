// Sign-up and PIN reset as the clients walk them (memberdesk/self_service.hpp): the format rules
// match the server's error codes, and the steps follow the server's answers.
#include <doctest/doctest.h>

#include <string>

#include "memberdesk/self_service.hpp"

using namespace memberdesk;

namespace self_service_test {

TEST_CASE("self-service: phone, PIN, code and name formats follow the server's rules") {
    CHECK(phone_format_ok("13900000001"));
    CHECK(phone_format_ok("+8613900000001"));
    CHECK_FALSE(phone_format_ok("12345"));
    CHECK_FALSE(phone_format_ok("139-0000-0001"));
    CHECK_FALSE(phone_format_ok(std::string(21, '1')));
    CHECK(pin_format_ok("123456"));
    CHECK_FALSE(pin_format_ok("12345"));
    CHECK_FALSE(pin_format_ok("12345a"));
    CHECK(code_format_ok("000123"));
    CHECK_FALSE(code_format_ok("1234567"));
    CHECK(name_format_ok("王小明"));
    CHECK(name_format_ok("Ann"));
    CHECK_FALSE(name_format_ok(""));
    CHECK_FALSE(name_format_ok("   "));
    CHECK_FALSE(name_format_ok("a\nb"));
    CHECK_FALSE(name_format_ok(std::string(101, 'a')));
}

TEST_CASE("self-service: sign-up goes phone, code, details, done as the server answers") {
    CodeFlow f(CodePurpose::signup);
    CHECK(f.step() == CodeFlow::Step::phone);
    f.phone = "139";
    CHECK(f.phone_problem() == ErrorCode::invalid_phone);
    f.phone = "13900000001";
    CHECK_FALSE(f.phone_problem());
    f.code_sent(1000, 1600);
    CHECK(f.step() == CodeFlow::Step::code);
    f.code = "12";
    CHECK_FALSE(f.enter_code());
    CHECK(f.step() == CodeFlow::Step::code);
    f.code = "123456";
    CHECK(f.enter_code());
    CHECK(f.step() == CodeFlow::Step::details);
    f.verified();
    CHECK(f.step() == CodeFlow::Step::done);
}

TEST_CASE("self-service: sign-up details need a name, a 6-digit PIN and the terms; the other consents stay off") {
    CodeFlow f(CodePurpose::signup);
    CHECK_FALSE(f.marketing);
    CHECK_FALSE(f.personalised_offers);
    CHECK(f.details_problem() == ErrorCode::invalid_name);
    f.name = "Ann";
    CHECK(f.details_problem() == ErrorCode::invalid_pin);
    f.pin = "123456";
    CHECK(f.details_problem() == ErrorCode::consent_required);
    f.terms = true;
    CHECK_FALSE(f.details_problem());
}

TEST_CASE("self-service: a referral code is optional at sign-up, and one that cannot be a code is refused first") {
    CodeFlow f(CodePurpose::signup);
    f.name = "Ann";
    f.pin = "123456";
    f.terms = true;
    CHECK_FALSE(f.details_problem());
    f.referral_code = "abcd-efgh";
    CHECK_FALSE(f.details_problem());
    f.referral_code = "ABC";
    CHECK(f.details_problem() == ErrorCode::invalid_referral_code);
    // The server's refusal keeps the details step, so the code can be corrected or cleared.
    f.phone = "13900000001";
    f.code_sent(1000, 1600);
    f.code = "123456";
    REQUIRE(f.enter_code());
    f.refused("invalid_referral_code");
    CHECK(f.step() == CodeFlow::Step::details);
    CHECK(f.code == "123456");
}

TEST_CASE("self-service: a PIN reset needs only the new PIN") {
    CodeFlow f(CodePurpose::pin_reset);
    CHECK(f.details_problem() == ErrorCode::invalid_pin);
    f.pin = "654321";
    CHECK_FALSE(f.details_problem());
}

TEST_CASE("self-service: a refused code goes back to the code step with the code cleared") {
    CodeFlow f(CodePurpose::signup);
    f.phone = "13900000001";
    f.code_sent(1000, 1600);
    f.code = "111111";
    REQUIRE(f.enter_code());
    f.pin = "123456";
    f.refused("invalid_code");
    CHECK(f.step() == CodeFlow::Step::code);
    CHECK(f.code.empty());
    CHECK(f.pin == "123456");  // what was typed in the details stays for the next try
}

TEST_CASE("self-service: a phone that is taken goes back to the phone step") {
    CodeFlow f(CodePurpose::signup);
    f.phone = "13900000001";
    f.code_sent(1000, 1600);
    f.code = "111111";
    REQUIRE(f.enter_code());
    f.refused("phone_taken");
    CHECK(f.step() == CodeFlow::Step::phone);
}

TEST_CASE("self-service: a refused PIN clears the PIN and stays on the details") {
    CodeFlow f(CodePurpose::pin_reset);
    f.phone = "13900000001";
    f.code_sent(1000, 1600);
    f.code = "111111";
    REQUIRE(f.enter_code());
    f.pin = "123456";
    f.refused("invalid_pin");
    CHECK(f.step() == CodeFlow::Step::details);
    CHECK(f.pin.empty());
}

TEST_CASE("self-service: another code may be asked for 60 seconds after the last; the code expires") {
    CodeFlow f(CodePurpose::pin_reset);
    CHECK(f.resend_wait(1000) == 0);
    f.phone = "13900000001";
    f.code_sent(1000, 1600);
    CHECK(f.resend_wait(1000) == 60);
    CHECK(f.resend_wait(1059) == 1);
    CHECK(f.resend_wait(1060) == 0);
    CHECK_FALSE(f.code_expired(1599));
    CHECK(f.code_expired(1600));
    f.code_sent(1060, 1660);  // a resend keeps the step
    CHECK(f.step() == CodeFlow::Step::code);
}

TEST_CASE("self-service: done wipes the PIN and code; back and reset walk away") {
    CodeFlow f(CodePurpose::signup);
    f.phone = "13900000001";
    f.code_sent(1000, 1600);
    f.code = "123456";
    REQUIRE(f.enter_code());
    f.back();
    CHECK(f.step() == CodeFlow::Step::code);
    CHECK(f.code == "123456");
    f.back();
    CHECK(f.step() == CodeFlow::Step::phone);
    CHECK(f.code.empty());
    f.code_sent(1100, 1700);
    f.code = "123456";
    REQUIRE(f.enter_code());
    f.pin = "123456";
    f.verified();
    CHECK(f.pin.empty());
    CHECK(f.code.empty());
    f.name = "Ann";
    f.terms = true;
    f.reset();
    CHECK(f.step() == CodeFlow::Step::phone);
    CHECK(f.phone.empty());
    CHECK(f.name.empty());
    CHECK_FALSE(f.terms);
    CHECK(f.resend_wait(1101) == 0);
}

}  // namespace self_service_test
