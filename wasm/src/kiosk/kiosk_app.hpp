// The store kiosk (/kiosk): the same client in kiosk mode. One object, like the portal's App, that
// the web glue (platform/main_web.cpp) and the native tests drive frame by frame:
//
//   attract (brand, rotating offers, "scan your member code", tap to sign in, 中文/English)
//     -> identify: a scanned member code (typed + Enter anywhere on the page) or phone + PIN on a
//        big on-screen keypad  (POST /api/v1/kiosk/login with the device's X-Kiosk-Key)
//     -> member: balance, tier and progress, coupons (each opens large with its QR), rewards with
//        redeem -> "Done"
//   60 s without input -> a visible 10 s "Still there?" countdown -> sign-out. Sign-out (Done,
//   countdown, a new scan, a 401) calls logout on the server and clears every personal value from
//   the client state, the kiosk's UI state and the mirror.
//
// Platform-neutral: no emscripten, no GL. Time comes from Platform::monotonic_seconds().
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/api_client.hpp"
#include "app/client_state.hpp"
#include "app/fonts.hpp"
#include "app/mirror.hpp"
#include "app/platform.hpp"
#include "app/qr.hpp"
#include "app/theme.hpp"
#include "app/ui.hpp"
#include "kiosk/kiosk_state.hpp"

namespace memberdesk::client::kiosk {

enum class Phase { attract, keypad, member };
enum class MemberTab { overview, coupons, rewards };

struct KioskPaths {
    std::string api_base = "/api/v1";
    std::string latin_font = "/fonts/ui-latin.ttf";
    std::string lang_font = "/fonts/ui-lang.ttf";
    std::string cjk_font = "/fonts/ui-cjk.ttf";
};

// A rotating attract-screen offer (from the program's member-readable rules).
struct Offer {
    Text title, body;
};
std::vector<Offer> offers_from_program(const ProgramView& p);

// Everything the kiosk's screens remember between frames. Personal parts are reset on sign-out.
struct KioskUi {
    Phase phase = Phase::attract;
    MemberTab tab = MemberTab::overview;
    KeypadEntry keypad;
    std::optional<std::int64_t> open_coupon;  // shown large with its QR
    std::string confirm_reward;               // awaiting "Yes, redeem"
    bool show_redeem_result = false;          // the "Redeemed!" dialog
    QrCache qr;
    std::string signing_in_by;                // "code" | "pin" while the login request runs ("" = none)
};

// One pressable control as laid out in the last frame (for the hit-target size tests).
struct HitTarget {
    std::string id;
    float w = 0, h = 0;  // physical pixels
};

class KioskApp {
public:
    KioskApp(Platform& platform, HttpTransport& http, KioskPaths paths = {}, Timing timing = {});

    void start();
    bool update();
    bool prepare(float device_pixel_ratio);
    bool ready() const;
    void draw(Ui& ui, std::vector<MirrorEvent> events);
    double next_wake() const;

    // A scanned member code (the web glue's scanner listener; also what Enter after typed
    // characters produces). Signs the code's member in, ending any session on screen first.
    void scan(const std::string& code);
    void sign_out();  // what Done does

    ClientState& state() { return state_; }
    const ClientState& state() const { return state_; }
    const KioskUi& ui_state() const { return ui_; }
    const IdleTimer& idle() const { return idle_; }
    const ScanBuffer& scan_buffer() const { return scan_; }
    FontManager& fonts() { return fonts_; }
    ApiClient& api() { return api_; }
    const Theme& theme() const { return theme_; }
    float scale() const { return scale_; }
    bool device_key_set() const { return !device_key_.empty(); }
    const std::vector<HitTarget>& hit_targets() const { return targets_; }
    // Seconds from the last scan to the first frame showing the member's balance (-1: none yet).
    double last_scan_to_member_seconds() const { return scan_to_member_; }

    static constexpr float kTextScale = 1.5f;  // large text before the screen size is known (x devicePixelRatio)
    static constexpr const char* kKeyStorage = "memberdesk.kiosk.key";
    static constexpr const char* kLangStorage = "memberdesk.kiosk.lang";
    static constexpr const char* kIdleStorage = "memberdesk.kiosk.idle";  // sessionStorage, tests only

private:
    struct Frame;
    void read_device_key();
    void begin_member_session();
    void end_session(bool server_logout, const char* farewell_key);
    void note_activity(const std::vector<MirrorEvent>& events);
    void handle_typed_input();
    bool button(Ui& ui, const std::string& id, const std::string& label, ButtonKind kind, bool enabled,
                float w, float h);
    void draw_top_bar(Ui& ui, float w);
    void draw_attract(Ui& ui, float w, float h);
    void draw_keypad(Ui& ui, float w, float h);
    void draw_keys(Ui& ui, float w, float h);
    void draw_member(Ui& ui, float w, float h);
    void draw_overview(Ui& ui, const MeView& me, float w);
    void draw_coupons(Ui& ui, float w);
    void draw_rewards(Ui& ui, float w);
    void draw_dialogs(Ui& ui);
    const char* tr(const char* key) const;

    Platform& platform_;
    ClientState state_;
    ApiClient api_;
    FontManager fonts_;
    KioskPaths paths_;
    Timing timing_;
    KioskUi ui_;
    IdleTimer idle_;
    ScanBuffer scan_;
    Theme theme_;
    std::string device_key_;
    Lang default_lang_ = Lang::en;
    float scale_ = 1.0f, dpr_ = 1.0f;
    bool style_dirty_ = true;
    bool had_session_ = false;
    bool cjk_requested_ = false, zh_noted_ = false;
    bool latin_set_ = false, lang_set_ = false, cjk_set_ = false;
    double attract_since_ = 0;
    double last_server_ = 0;     // last member request (keep-alive of the 2-min sliding token)
    double farewell_until_ = 0;  // the "signed out" note on the attract screen
    const char* farewell_key_ = nullptr;
    double scan_at_ = -1, scan_to_member_ = -1;
    double login_error_at_ = -1;  // when the last sign-in failed
    int shown_countdown_ = 0, shown_offer_ = -1;
    float attract_h_ = 0;  // height the attract screen's content took (to centre it)
    static constexpr double kErrorSeconds = 15;  // a failed scan's message stays this long
    std::vector<HitTarget> targets_;
    std::vector<Offer> offers_;
    bool offers_built_ = false;
};

// A high-contrast light theme for a counter screen (text >= 7:1 on its background).
Theme kiosk_theme();

}  // namespace memberdesk::client::kiosk
