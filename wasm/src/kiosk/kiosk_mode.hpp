// The store kiosk (/kiosk): a Mode of the Shell (shell/shell.hpp). Its screens are in
// screens/kiosk_*.cpp; this file is the session around them:
//
//   attract (brand, rotating offers, "scan your member code", tap to sign in, 中文/English)
//     -> identify: a scanned member code (typed + Enter anywhere on the page) or phone + PIN on a
//        big on-screen keypad  (POST /api/v1/kiosk/login with the device's X-Kiosk-Key)
//     -> member: balance, tier and progress, coupons (each opens large with its QR), rewards with
//        redeem -> "Done"
//   join / PIN reset (attract): phone, code, PIN on the keypad (join: then name, consents and an
//     optional invitation code; a friend's invitation QR scanned at any join step fills it);
//     a kiosk join hands the new member token back and signs in with the kiosk's key
//   60 s without input -> a visible 10 s "Still there?" countdown -> sign-out. Sign-out (Done,
//   countdown, a new scan, a 401) calls logout on the server and clears every personal value from
//   the client state, the kiosk's UI state and the mirror.
//
// Platform-neutral: no emscripten, no GL. Time comes from Platform::monotonic_seconds().
#pragma once
#include <string>
#include <vector>

#include "kiosk/kiosk_state.hpp"
#include "screens/kiosk_screens.hpp"
#include "shell/shell.hpp"

namespace memberdesk::client::kiosk {

class KioskMode : public Mode {
public:
    explicit KioskMode(Shell& shell, Timing timing = {});

    void start() override;
    bool update() override;
    const std::vector<StringEntry>& strings() const override;
    float text_scale(float css_w, float css_h) const override;
    void tune_style(ImGuiStyle& style, float dpr, float scale) const override;
    void input(const std::vector<MirrorEvent>& events) override;
    void draw(Ui& ui) override;
    void after_frame() override;
    double next_wake() const override;

    // A scanned member code (the web glue's scanner listener; also what Enter after typed
    // characters produces). Signs the code's member in, ending any session on screen first.
    void scan(const std::string& code);
    void sign_out();  // what Done does
    // A friend's invitation (a link or a bare code) scanned while joining fills the join's
    // invitation code; an invitation link scanned at the attract screen starts a join with it.
    // False (nothing done) for anything else, or outside a join.
    bool referral_scan(const std::string& text);

    const KioskUi& ui_state() const { return ui_; }
    const IdleTimer& idle() const { return idle_; }
    const ScanBuffer& scan_buffer() const { return scan_; }
    bool device_key_set() const { return !device_key_.empty(); }
    const std::vector<HitTarget>& hit_targets() const { return targets_; }
    // Seconds from the last scan to the first frame showing the member's balance (-1: none yet).
    double last_scan_to_member_seconds() const { return scan_to_member_; }

    static constexpr float kTextScale = 1.5f;  // large text before the screen size is known (x devicePixelRatio)
    static constexpr const char* kKeyStorage = "memberdesk.kiosk.key";
    static constexpr const char* kStoreStorage = "memberdesk.kiosk.store";  // where members who join here join
    static constexpr const char* kLangStorage = "memberdesk.kiosk.lang";
    static constexpr const char* kIdleStorage = "memberdesk.kiosk.idle";  // sessionStorage, tests only

private:
    void read_device_key();
    void begin_member_session();
    void end_session(bool server_logout, const char* farewell_key);
    void apply(const KioskActions& a);
    void handle_typed_input();
    void set_document();
    void start_code_flow(CodePurpose purpose);
    bool follow_code_flow();  // moves join / PIN reset on the server's answers
    const char* tr(const char* key) const;

    Shell& shell_;
    Platform& platform_;
    ClientState& state_;
    ApiClient& api_;
    Timing timing_;
    KioskUi ui_;
    KioskActions pending_;
    IdleTimer idle_;
    ScanBuffer scan_;
    std::string device_key_;
    std::string store_;
    Lang default_lang_ = Lang::en;
    bool had_session_ = false;
    double attract_since_ = 0;
    double last_server_ = 0;     // last member request (keep-alive of the 2-min sliding token)
    double farewell_until_ = 0;  // the "signed out" note on the attract screen
    const char* farewell_key_ = nullptr;
    double scan_at_ = -1, scan_to_member_ = -1;
    double login_error_at_ = -1;  // when the last sign-in failed
    int shown_countdown_ = 0, shown_offer_ = -1;
    float attract_h_ = 0;                        // height the attract screen's content took (to centre it)
    static constexpr double kErrorSeconds = 15;  // a failed scan's message stays this long
    std::vector<HitTarget> targets_;
    std::vector<Offer> offers_;
    bool offers_built_ = false;
    bool awaiting_code_ = false, awaiting_verify_ = false;
};

}  // namespace memberdesk::client::kiosk
