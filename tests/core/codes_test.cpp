// One-time code limits and message texts (memberdesk/codes.hpp): each limit and its boundary.
#include <doctest/doctest.h>

#include <string>

#include "memberdesk/codes.hpp"

using namespace memberdesk;

namespace codes_test {

TEST_CASE("codes: nothing sent before means no wait") {
    CHECK(code_wait_seconds(CodeLimits{}, CodeHistory{}, 1000) == 0);
}

TEST_CASE("codes: a second code within 60 seconds waits for the rest of the minute") {
    CodeHistory h;
    h.last_sent_at = 1000;
    CHECK(code_wait_seconds(CodeLimits{}, h, 1001) == 59);
    CHECK(code_wait_seconds(CodeLimits{}, h, 1059) == 1);
    CHECK(code_wait_seconds(CodeLimits{}, h, 1060) == 0);
}

TEST_CASE("codes: the sixth code of a day and the 21st of an hour from one address wait") {
    CodeHistory h;
    h.phone_last_day = 4;
    CHECK(code_wait_seconds(CodeLimits{}, h, 1000) == 0);
    h.phone_last_day = 5;
    CHECK(code_wait_seconds(CodeLimits{}, h, 1000) > 0);
    CodeHistory a;
    a.address_last_hour = 19;
    CHECK(code_wait_seconds(CodeLimits{}, a, 1000) == 0);
    a.address_last_hour = 20;
    CHECK(code_wait_seconds(CodeLimits{}, a, 1000) > 0);
}

TEST_CASE("codes: a code is usable until it expires, is used, or was tried wrong 5 times") {
    const CodeLimits l;
    CHECK(code_usable(l, 1600, false, 0, 1599));
    CHECK(!code_usable(l, 1600, false, 0, 1600));
    CHECK(!code_usable(l, 1600, true, 0, 1000));
    CHECK(code_usable(l, 1600, false, 4, 1000));
    CHECK(!code_usable(l, 1600, false, 5, 1000));
}

TEST_CASE("codes: the sent text holds the code, the inbox text never does, in both languages") {
    for (const std::string locale : {"zh", "en"}) {
        for (const std::string t : {"signup_code", "pin_reset_code"}) {
            const MessageText m = message_text(t, locale, "482913", "139****0001", "Coffee");
            CHECK(m.text.find("482913") != std::string::npos);
            CHECK(m.inbox.find("482913") == std::string::npos);
            CHECK(m.inbox.find("139****0001") != std::string::npos);
        }
    }
    CHECK(message_text("welcome", "en", "", "", "Coffee").text.find("Welcome") == 0);
}

}  // namespace codes_test
