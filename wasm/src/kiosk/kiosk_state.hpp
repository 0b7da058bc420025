// The store kiosk's platform-neutral logic: the idle timer (60 s without input -> a visible 10 s
// "Still there?" countdown -> sign-out), the scanner input buffer (a scanner types the member code
// and Enter anywhere on the page), the on-screen keypad entry (phone, then PIN) and the attract
// screen's offer rotation. No ImGui, no clock: every function takes `now` (monotonic seconds), so
// the native tests drive time by hand.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace memberdesk::client::kiosk {

struct Timing {
    double idle_seconds = 60;       // without input before the countdown starts
    double countdown_seconds = 10;  // the visible "Still there?" countdown
    double offer_seconds = 6;       // attract screen: time per offer
    double scan_gap_seconds = 5;    // a pause longer than this between typed characters starts a new code
    double keepalive_seconds = 45;  // active member, no request for this long: refresh (server TTL is 2 min sliding)
};

// Overwrites a string's bytes before clearing it (best effort: nothing of a PIN or member code is
// left readable in the buffer the string keeps).
void wipe(std::string& s);

class IdleTimer {
public:
    enum class State { off, active, countdown, expired };
    explicit IdleTimer(Timing t = {}) : t_(t) {}

    void start(double now);  // a session (or keypad entry) begins
    void stop();             // back to the attract screen: no timer
    void touch(double now);  // any input: the member is there (ends a countdown too)
    State state(double now) const;
    bool running() const { return running_; }
    double last_input() const { return last_input_; }
    // Whole seconds left in the countdown, as shown (10, 9, ... 1); 0 outside the countdown.
    int countdown_left(double now) const;
    // Seconds until what the timer shows next changes (countdown starts, next second, expiry);
    // < 0 when off.
    double next_change(double now) const;
    const Timing& timing() const { return t_; }

private:
    Timing t_;
    bool running_ = false;
    double last_input_ = 0;
};

// Characters typed outside any text field, collected until Enter. A scanner types fast; a long
// pause means the characters before it were not part of the same code.
class ScanBuffer {
public:
    explicit ScanBuffer(Timing t = {}) : t_(t) {}
    void add(std::string_view utf8, double now);  // printable ASCII is kept, the rest dropped
    // Enter: the code typed so far if it looks like one (4..128 printable characters), and the
    // buffer starts over either way.
    std::optional<std::string> enter(double now);
    void clear();
    bool empty() const { return buf_.empty(); }
    std::size_t size() const { return buf_.size(); }

private:
    Timing t_;
    std::string buf_;
    double last_ = -1e9;
};

// Phone, then PIN, typed on the big on-screen keypad (no system keyboard).
struct KeypadEntry {
    static constexpr std::size_t kPhoneMin = 6, kPhoneMax = 20, kPinLen = 6;
    enum class Field { phone, pin };
    Field field = Field::phone;
    std::string phone, pin;

    void digit(char d);  // '0'..'9' into the current field (up to its maximum)
    void backspace();    // in the PIN field with nothing typed: back to the phone field
    void clear_field();
    bool phone_ok() const { return phone.size() >= kPhoneMin && phone.size() <= kPhoneMax; }
    bool pin_ok() const { return pin.size() == kPinLen; }
    bool next();  // phone -> PIN when the phone is complete; true if moved
    bool ready() const { return phone_ok() && pin_ok(); }
    void clear();  // wipes both
    // What the phone field shows while typing: digits grouped 3-4-4 ("138 0000 0001").
    std::string phone_display() const;
    std::string pin_display() const;  // one dot per digit typed, never the digits
};

// Codes read by the web glue's scanner listener (web/kiosk.html -> md_kiosk_scan), waiting for the
// kiosk's next update().
void post_scan(std::string code);
std::vector<std::string> take_posted_scans();

// The attract screen's rotating offers: index of the offer shown at `now`.
int offer_index(double now, double started, double seconds_per_offer, int count);

// Name and phone as a shared screen may show them (core masking; idempotent on already-masked
// values, which is what the kiosk-scoped API sends).
std::string kiosk_name(const std::string& name);
std::string kiosk_phone(const std::string& phone_or_masked);

}  // namespace memberdesk::client::kiosk
