#include "kiosk/kiosk_state.hpp"

#include <algorithm>
#include <cmath>

#include "memberdesk/views.hpp"

namespace memberdesk::client::kiosk {

void wipe(std::string& s) {
    volatile char* p = s.data();
    for (std::size_t i = 0; i < s.size(); ++i) p[i] = 0;
    s.clear();
}

// --- idle ---------------------------------------------------------------------------------------

void IdleTimer::start(double now) {
    running_ = true;
    last_input_ = now;
}

void IdleTimer::stop() { running_ = false; }

void IdleTimer::touch(double now) {
    if (running_ && now > last_input_) last_input_ = now;
}

IdleTimer::State IdleTimer::state(double now) const {
    if (!running_) return State::off;
    const double idle = now - last_input_;
    if (idle < t_.idle_seconds) return State::active;
    if (idle < t_.idle_seconds + t_.countdown_seconds) return State::countdown;
    return State::expired;
}

int IdleTimer::countdown_left(double now) const {
    if (state(now) != State::countdown) return 0;
    const double left = t_.idle_seconds + t_.countdown_seconds - (now - last_input_);
    return std::max(1, static_cast<int>(std::ceil(left - 1e-9)));
}

double IdleTimer::next_change(double now) const {
    switch (state(now)) {
        case State::off: return -1;
        case State::active: return t_.idle_seconds - (now - last_input_);
        case State::countdown: {
            const double left = t_.idle_seconds + t_.countdown_seconds - (now - last_input_);
            const double frac = left - std::floor(left);
            return frac > 1e-6 ? frac : 1.0;  // the next whole second of the countdown
        }
        case State::expired: return 0;
    }
    return -1;
}

// --- scanner ------------------------------------------------------------------------------------

void ScanBuffer::add(std::string_view utf8, double now) {
    if (now - last_ > t_.scan_gap_seconds) clear();
    for (char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x21 && u <= 0x7E && buf_.size() < 256) buf_ += c;  // member codes are printable ASCII
    }
    last_ = now;
}

std::optional<std::string> ScanBuffer::enter(double now) {
    std::optional<std::string> out;
    if (now - last_ <= t_.scan_gap_seconds && buf_.size() >= 4 && buf_.size() <= 128) out = buf_;
    clear();
    return out;
}

void ScanBuffer::clear() {
    wipe(buf_);
    last_ = -1e9;
}

// --- keypad -------------------------------------------------------------------------------------

void KeypadEntry::digit(char d) {
    if (d < '0' || d > '9') return;
    if (field == Field::phone) {
        if (phone.size() < kPhoneMax) phone += d;
    } else if (pin.size() < kPinLen) {
        pin += d;
    }
}

void KeypadEntry::backspace() {
    if (field == Field::pin) {
        if (pin.empty())
            field = Field::phone;
        else
            pin.pop_back();
    } else if (!phone.empty()) {
        phone.pop_back();
    }
}

void KeypadEntry::clear_field() {
    if (field == Field::pin)
        wipe(pin);
    else
        phone.clear();
}

bool KeypadEntry::next() {
    if (field == Field::phone && phone_ok()) {
        field = Field::pin;
        return true;
    }
    return false;
}

void KeypadEntry::clear() {
    wipe(phone);
    wipe(pin);
    field = Field::phone;
}

std::string KeypadEntry::phone_display() const {
    std::string out;
    for (std::size_t i = 0; i < phone.size(); ++i) {
        if (i == 3 || (i > 3 && (i - 3) % 4 == 0)) out += ' ';
        out += phone[i];
    }
    return out;
}

std::string KeypadEntry::pin_display() const {
    std::string out;
    for (std::size_t i = 0; i < pin.size(); ++i) {
        if (i) out += ' ';
        out += "\xE2\x97\x8F";  // ●
    }
    return out;
}

// --- scanner inbox ------------------------------------------------------------------------------

namespace {
std::vector<std::string>& inbox() {
    static std::vector<std::string> v;
    return v;
}
}  // namespace

void post_scan(std::string code) {
    if (inbox().size() < 16) inbox().push_back(std::move(code));
}

std::vector<std::string> take_posted_scans() {
    std::vector<std::string> out;
    out.swap(inbox());
    return out;
}

// --- attract ------------------------------------------------------------------------------------

int offer_index(double now, double started, double seconds_per_offer, int count) {
    if (count <= 0) return 0;
    if (seconds_per_offer <= 0 || now <= started) return 0;
    const auto step = static_cast<long long>((now - started) / seconds_per_offer);
    return static_cast<int>(step % count);
}

std::string kiosk_name(const std::string& name) { return mask_name(name); }
std::string kiosk_phone(const std::string& phone) { return mask_phone(phone); }

}  // namespace memberdesk::client::kiosk
