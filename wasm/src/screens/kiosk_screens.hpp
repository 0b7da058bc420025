// The store kiosk's screens (`/kiosk`), drawn by kiosk/kiosk_mode.cpp like the portal's screens:
// plain functions of (what is shown, the kiosk's UI state) that draw through Ui and report what the
// person at the screen asked for in KioskActions. They never call the API.
//
//   kiosk_frame.cpp    the full-screen window, top bar (brand, language, Done), main area, dialogs
//   kiosk_attract.cpp  attract: brand, scan panel, "tap to sign in", rotating offers
//   kiosk_keypad.cpp   identify: phone then PIN on big on-screen keys
//   kiosk_signup.cpp   join and PIN reset: phone, code, PIN (and name, consents) on the same keys
//   kiosk_member.cpp   member: greeting, tabs (points and tier / coupons / rewards / history)
//   kiosk_history.cpp  history: ledger and redemptions, filtered, in pages with big Previous/Next
//   kiosk_survey.cpp   the satisfaction survey: three rows of five big score keys, comment, Send
//   kiosk_dialogs.cpp  "Still there?" countdown, a coupon large with its QR, redeem confirm/result
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/client_state.hpp"
#include "app/qr.hpp"
#include "app/ui.hpp"
#include "kiosk/kiosk_i18n.hpp"
#include "kiosk/kiosk_state.hpp"
#include "memberdesk/history.hpp"
#include "screens/screens.hpp"

namespace memberdesk::client::kiosk {

enum class Phase { attract, keypad, member, survey, signup, pin_reset };
// A member is signed in: the member screen, or the survey opened from it.
inline bool signed_in_phase(Phase p) { return p == Phase::member || p == Phase::survey; }
enum class MemberTab { overview, coupons, rewards, history };

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
    std::string signing_in_by;  // "code" | "pin" while the login request runs ("" = none)
    // Join / PIN reset: the steps (core) and the consent choices (-1 none, 0 no, 1 yes).
    CodeFlow flow{CodePurpose::signup};
    int terms = -1, marketing = 0, offers = 0;
    bool pin_entered = false;  // join: the PIN is typed, now the name and consents
    HistoryFilter history_filter = HistoryFilter::all;
    int history_page = 0;     // 0-based
    int history_rows = 5;     // rows per page: as many as fit the screen (set by the History tab)
    float history_row_h = 0;  // a row's height as last drawn (physical px; 0 = not yet)
    SurveyDraft survey;       // the survey's scores and comment (the kiosk adds its own store)
};

// One pressable control as laid out in the last frame (for the hit-target size tests).
struct HitTarget {
    std::string id;
    float w = 0, h = 0;  // physical pixels
};

// What the kiosk shows this frame, besides the client state.
struct KioskView {
    const ClientState& state;
    KioskUi& ui;
    const std::vector<Offer>& offers;
    int offer = 0;      // index of the offer on the attract screen
    int countdown = 0;  // seconds left of "Still there?" (0: not shown)
    bool device_key_set = true;
    const char* farewell_key = nullptr;  // "signed out" note on the attract screen
    float* attract_height = nullptr;     // height the attract content took (to centre it)
    std::vector<HitTarget>* targets = nullptr;
};

// What the person at the kiosk asked for during one frame.
struct KioskActions {
    bool switch_language = false;
    bool start_keypad = false;                    // "Tap to sign in"
    bool clear_login_error = false;               // a key was pressed after a failed sign-in
    bool pin_sign_in = false;                     // with KioskUi's keypad
    bool cancel = false;                          // back to attract, nobody signed in
    bool sign_out = false;                        // Done, "Sign out now"
    bool still_here = false;                      // "I'm still here"
    std::set<Data> reload;                        // retry, or a tab opened
    bool clear_redemption = false;                // a new reward picked
    std::optional<std::string> redeem;            // reward id, confirmed
    std::optional<CouponView> add_coupon;         // the redeemed coupon, shown before the list reloads
    bool start_signup = false;                    // "New member? Join"
    bool start_pin_reset = false;                 // "Forgot your PIN?"
    bool request_code = false;                    // a code to the flow's phone
    bool verify_code = false;                     // the flow's entries with the code
    bool reset_to_sign_in = false;                // PIN changed: sign in with the phone typed
    std::optional<HistoryFilter> history_filter;  // History tab opened or a filter picked: first page, (re)load
    bool start_survey = false;                    // "Rate your visit" on the member screen
    bool send_survey = false;                     // with KioskUi's survey
    bool end_survey = false;                      // back to the member screen
    bool any() const;
};

inline const char* kt(const Ui& ui, const char* key) { return ktr(ui.lang(), key); }

// A kiosk button exactly w x h physical pixels (recorded as a hit target).
bool kiosk_button(KioskView& v, Ui& ui, const std::string& id, const std::string& label, ButtonKind kind, bool enabled,
                  float w, float h);
// The second column of a two-column screen: beside the first at `at` (landscape), or below it
// after a gap of `portrait_gap` CSS px.
void kiosk_next_column(Ui& ui, bool landscape, ImVec2 at, float portrait_gap);
// A mirror node built by hand (for what the kiosk draws itself).
MirrorNode kiosk_node(std::string id, Role role, std::string label, std::string value = "", int level = 0);

void draw_kiosk(KioskView& v, Ui& ui, KioskActions& a);  // the whole screen
void draw_kiosk_top_bar(KioskView& v, Ui& ui, KioskActions& a, float w);
void draw_kiosk_attract(KioskView& v, Ui& ui, KioskActions& a, float w, float h);
void draw_kiosk_keypad(KioskView& v, Ui& ui, KioskActions& a, float w, float h);
// The 3x4 number keys ("kiosk.key.0".."9", "clear", "back"), w x h; on_key gets the key's name.
void draw_kiosk_keys(KioskView& v, Ui& ui, KioskActions& a, float w, float h,
                     const std::function<void(const std::string&)>& on_key);
void draw_kiosk_self_service(KioskView& v, Ui& ui, KioskActions& a, float w, float h);
void draw_kiosk_member(KioskView& v, Ui& ui, KioskActions& a, float w, float h);
void draw_kiosk_history(KioskView& v, Ui& ui, KioskActions& a, float w, float h);
void draw_kiosk_survey(KioskView& v, Ui& ui, KioskActions& a, float w, float h);
void draw_kiosk_dialogs(KioskView& v, Ui& ui, KioskActions& a);

// A high-contrast light theme for a counter screen (text >= 7:1 on its background).
Theme kiosk_theme();

constexpr float kTopBar = 84;  // CSS px (x kiosk text scale): the top bar's height
constexpr float kPad = 28;     // page padding

}  // namespace memberdesk::client::kiosk
