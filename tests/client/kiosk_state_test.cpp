// The kiosk's platform-neutral logic (wasm/src/kiosk/kiosk_state.*): idle timer, scanner buffer,
// keypad entry, offer rotation, masking. Time is passed in, so every boundary is exact.
#include <doctest/doctest.h>

#include "kiosk/kiosk_state.hpp"

using namespace memberdesk::client::kiosk;

namespace kiosk_state_test {

TEST_CASE("kiosk idle: 60 s active, then a 10 s countdown 10..1, then expired") {
    IdleTimer t;
    CHECK(t.state(0) == IdleTimer::State::off);
    CHECK(t.next_change(0) < 0);
    t.start(100);
    CHECK(t.state(100) == IdleTimer::State::active);
    CHECK(t.state(159.999) == IdleTimer::State::active);
    CHECK(t.countdown_left(159.999) == 0);
    CHECK(t.next_change(130) == doctest::Approx(30));
    CHECK(t.state(160) == IdleTimer::State::countdown);
    CHECK(t.countdown_left(160) == 10);
    CHECK(t.countdown_left(160.5) == 10);
    CHECK(t.countdown_left(161) == 9);
    CHECK(t.countdown_left(169.2) == 1);
    CHECK(t.next_change(160.25) == doctest::Approx(0.75));  // the next whole second of the countdown
    CHECK(t.state(169.999) == IdleTimer::State::countdown);
    CHECK(t.state(170) == IdleTimer::State::expired);
    CHECK(t.next_change(170) == 0);
}

TEST_CASE("kiosk idle: input restarts the 60 s, also during the countdown; stop turns it off") {
    IdleTimer t;
    t.start(0);
    t.touch(50);
    CHECK(t.state(100) == IdleTimer::State::active);
    CHECK(t.state(110) == IdleTimer::State::countdown);
    t.touch(115);  // "I'm still here" (or any tap)
    CHECK(t.state(115) == IdleTimer::State::active);
    CHECK(t.state(174) == IdleTimer::State::active);
    CHECK(t.state(175) == IdleTimer::State::countdown);
    t.touch(10);  // an older time never moves it back
    CHECK(t.state(175) == IdleTimer::State::countdown);
    t.stop();
    CHECK(t.state(1000) == IdleTimer::State::off);
    t.touch(1000);  // input on the attract screen does not start it
    CHECK_FALSE(t.running());
}

TEST_CASE("kiosk idle: timing is configurable") {
    Timing tm;
    tm.idle_seconds = 5;
    tm.countdown_seconds = 3;
    IdleTimer t(tm);
    t.start(0);
    CHECK(t.state(4.9) == IdleTimer::State::active);
    CHECK(t.countdown_left(5) == 3);
    CHECK(t.state(8) == IdleTimer::State::expired);
}

TEST_CASE("kiosk scanner: characters then Enter give the code; the buffer starts over") {
    ScanBuffer b;
    b.add("M1-8f3k", 10.00);
    b.add("2abc", 10.02);
    auto code = b.enter(10.03);
    REQUIRE(code);
    CHECK(*code == "M1-8f3k2abc");
    CHECK(b.empty());
    CHECK_FALSE(b.enter(10.04));  // Enter alone is nothing
}

TEST_CASE("kiosk scanner: a long pause drops what came before; too short is not a code") {
    ScanBuffer b;
    b.add("XY", 1.0);
    b.add("M1-abcdef", 7.0);  // 6 s later: a new code
    auto code = b.enter(7.05);
    REQUIRE(code);
    CHECK(*code == "M1-abcdef");
    b.add("12", 8.0);
    CHECK_FALSE(b.enter(8.01));  // 2 characters: a stray key press, not a scan
    b.add("M1-abcdef", 9.0);
    CHECK_FALSE(b.enter(15.0));  // Enter long after the characters
    b.add(
        " M1\t-a\xE4\xB8\xAD"
        "bc ",
        20.0);  // whitespace, control and non-ASCII are dropped
    auto c2 = b.enter(20.0);
    REQUIRE(c2);
    CHECK(*c2 == "M1-abc");
}

TEST_CASE("kiosk keypad: phone then 6-digit PIN, limits, backspace goes back to the phone") {
    KeypadEntry k;
    CHECK_FALSE(k.next());
    for (char c : std::string("1380000")) k.digit(c);
    CHECK(k.phone_display() == "138 0000");
    for (char c : std::string("0001")) k.digit(c);
    CHECK(k.phone == "13800000001");
    CHECK(k.phone_display() == "138 0000 0001");
    k.digit('x');
    CHECK(k.phone == "13800000001");
    CHECK(k.phone_ok());
    CHECK(k.next());
    CHECK(k.field == KeypadEntry::Field::pin);
    for (char c : std::string("12345678")) k.digit(c);
    CHECK(k.pin == "123456");  // exactly 6
    CHECK(k.pin_display() == "\xE2\x97\x8F \xE2\x97\x8F \xE2\x97\x8F \xE2\x97\x8F \xE2\x97\x8F \xE2\x97\x8F");
    CHECK(k.pin_display().find('1') == std::string::npos);
    CHECK(k.ready());
    k.clear_field();
    CHECK(k.pin.empty());
    CHECK(k.field == KeypadEntry::Field::pin);
    k.backspace();  // empty PIN: back to the phone
    CHECK(k.field == KeypadEntry::Field::phone);
    k.backspace();
    CHECK(k.phone == "1380000000");
    k.clear();
    CHECK(k.phone.empty());
    CHECK(k.pin.empty());
    std::string twenty_one(21, '9');
    for (char c : twenty_one) k.digit(c);
    CHECK(k.phone.size() == KeypadEntry::kPhoneMax);
    KeypadEntry short_phone;
    for (char c : std::string("12345")) short_phone.digit(c);
    CHECK_FALSE(short_phone.phone_ok());
    CHECK_FALSE(short_phone.next());
}

TEST_CASE("kiosk attract: offers rotate every N seconds and wrap") {
    CHECK(offer_index(0, 0, 6, 3) == 0);
    CHECK(offer_index(5.9, 0, 6, 3) == 0);
    CHECK(offer_index(6, 0, 6, 3) == 1);
    CHECK(offer_index(12, 0, 6, 3) == 2);
    CHECK(offer_index(18, 0, 6, 3) == 0);
    CHECK(offer_index(100, 200, 6, 3) == 0);
    CHECK(offer_index(100, 0, 6, 0) == 0);
}

TEST_CASE("kiosk masking: names and phones as a shared screen shows them, idempotent") {
    CHECK(kiosk_name("王小明") == "王*明");
    CHECK(kiosk_name("王*明") == "王*明");  // what the kiosk-scoped API already sends
    CHECK(kiosk_name("Emma Chen") == "E*******n");
    CHECK(kiosk_phone("13812345678") == "138****5678");
    CHECK(kiosk_phone("138****5678") == "138****5678");
}

TEST_CASE("kiosk wipe: the bytes are overwritten, the string emptied") {
    std::string pin = "123456";
    const char* data = pin.data();
    wipe(pin);
    CHECK(pin.empty());
    for (int i = 0; i < 6; ++i) CHECK(data[i] == 0);  // small-string buffer: still ours to read
}

}  // namespace kiosk_state_test
