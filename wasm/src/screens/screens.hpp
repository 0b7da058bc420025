// Screens: plain functions of (data, UI state) that draw through Ui and report what the member
// asked for in Actions. They never fetch, never touch GL or the DOM; App turns Actions into API
// calls and navigation. One file per screen.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/client_state.hpp"
#include "app/qr.hpp"
#include "app/ui.hpp"
#include "memberdesk/self_service.hpp"
#include "memberdesk/survey.hpp"

namespace memberdesk::client {

enum class Screen {
    sign_in,
    sign_up,
    pin_reset,
    home,
    inbox,
    coupons,
    history,
    rewards,
    tiers,
    card,
    profile,
    consents,
    referral,
    feedback,
    settings
};
bool signed_out_screen(Screen s);  // sign-in, sign-up, PIN reset
const char* to_string(Screen s);   // "home", "coupons", ... (also the URL hash)
std::optional<Screen> screen_from_string(const std::string& s);
const char* title_key(Screen s);  // i18n key of the screen's title

// Data a screen may ask App to (re)load.
enum class Data { program, me, coupons, rewards, ledger, chart, redemptions, card, consents, inbox, referral };

// What the member asked for during one frame.
struct Actions {
    std::optional<Screen> navigate;
    bool sign_in = false;  // with SignInUi's phone and PIN
    bool sign_out = false;
    std::set<Data> reload;              // explicit retry / refresh
    std::optional<std::string> redeem;  // reward id, confirmed
    std::optional<LedgerFilter> ledger_filter;
    bool ledger_more = false;
    bool send_feedback = false;   // with FeedbackUi's survey draft
    bool reset_feedback = false;  // "send another"
    bool export_data = false;
    bool erase_account = false;       // confirmed twice
    std::optional<std::string> copy;  // text to the clipboard
    bool settings_changed = false;    // Settings were edited in place
    bool switch_language = false;     // the header's 中文/English
    bool request_code = false;        // sign-up / PIN reset: a code to the flow's phone
    bool verify_code = false;         // sign-up / PIN reset: the flow's entries with the code
    std::optional<ProfileChange> save_profile;
    std::optional<ConsentChange> save_consents;
    std::optional<std::int64_t> mark_read;  // messages up to this id were seen
    bool inbox_more = false;                // the inbox's next page
    bool check_connection = false;          // offline view: try the server now
    bool phone_start = false;               // Profile: a code to ProfileUi's new phone
    bool phone_verify = false;              // Profile: the new phone with its code
    bool any() const;
};

// Per-screen UI state (what is typed, which tab, which dialog is open).
struct SignInUi {
    std::string phone, pin;
};
struct CouponsUi {
    int tab = 0;                          // 0 available, 1 used, 2 expired (includes void)
    std::optional<std::int64_t> open_id;  // the coupon shown large
    QrCache qr;
};
struct HistoryUi {
    int tab = 0;   // 0 points, 1 redemptions
    int type = 0;  // index into history_types()
    std::string from, to;
};
struct RewardsUi {
    std::string confirm_id;   // the reward awaiting confirmation ("" = none)
    bool result_seen = true;  // the last redemption's result dialog was dismissed
};
struct ProfileUi {
    int erase_step = 0;  // 0 none, 1 first question, 2 second question
    bool editing_name = false;
    std::string name, birthday;  // what is typed
    // Change phone: core's CodeFlow for the phone and code steps and their formats (the details
    // step is not used: the code alone proves the new phone).
    bool changing_phone = false;
    CodeFlow phone{CodePurpose::signup};
};
// Sign-up and PIN reset: the step machine (core) plus the choices as the segmented controls hold them.
struct CodeFlowUi {
    explicit CodeFlowUi(CodePurpose p) : flow(p) {}
    CodeFlow flow;
    int terms = -1;     // -1 not chosen, 0 no, 1 yes (sign-up)
    int marketing = 0;  // off unless chosen
    int offers = 0;
};
struct ConsentsUi {
    bool synced = false;  // the choices below were copied from the server's answer
    bool saved = false;   // the last change was sent (says "Saved" once the answer is in)
    int reminders = 0, marketing = 0, offers = 0;
};
struct FeedbackUi {
    SurveyDraft draft;      // the scores and comment; `store` is set as the screen draws
    bool no_store = false;  // the member chose "No particular store"
};
struct CardUi {
    QrCache qr;
};
struct ReferralUi {
    QrCache qr;
};

struct UiState {
    Screen screen = Screen::sign_in;
    bool menu_open = false;  // narrow layout: the navigation list replaces the content
    SignInUi sign_in;
    CodeFlowUi sign_up{CodePurpose::signup};
    CodeFlowUi pin_reset{CodePurpose::pin_reset};
    ConsentsUi consents;
    CouponsUi coupons;
    HistoryUi history;
    RewardsUi rewards;
    ProfileUi profile;
    FeedbackUi feedback;
    CardUi card;
    ReferralUi referral;
};

// History filter choices: entry type names ("" = all) and their i18n keys.
const std::vector<std::pair<std::string, const char*>>& history_types();

// Shared helpers for screens.
// Shows loading / error+retry for a Remote; returns true when its value can be drawn.
template <class T>
bool show_remote(const Remote<T>& r, const std::string& id, Data data, Ui& ui, Actions& actions);
std::string error_words(const ApiError& e, Lang lang);
// Why a reward cannot be redeemed now ("" = it can), the same on portal and kiosk.
std::string reward_blocker(const RewardView& r, Points balance, const Ui& ui);

// The portal's chrome (screens/chrome.cpp).
void draw_portal_header(const ClientState& state, UiState& s, Ui& ui, Actions& actions, bool narrow);
void draw_portal_nav(const UiState& state, int unread, Ui& ui, Actions& actions, bool vertical);

void draw_sign_in(const ClientState& state, SignInUi& s, Ui& ui, Actions& actions);
void draw_sign_up(const ClientState& state, CodeFlowUi& s, Ui& ui, Actions& actions);
void draw_pin_reset(const ClientState& state, CodeFlowUi& s, Ui& ui, Actions& actions);
// `reminder`: GET /me/reminders; its line shows once it arrives (the home does not wait for it).
void draw_home(const Remote<MeView>& me, const Remote<NextReminderView>& reminder, Ui& ui, Actions& actions);
void draw_inbox(const Remote<InboxView>& inbox, Ui& ui, Actions& actions);
void draw_consents(const Remote<ConsentsView>& consents, ConsentsUi& s, Ui& ui, Actions& actions);
void draw_coupons(const Remote<std::vector<CouponView>>& coupons, CouponsUi& s, Ui& ui, Actions& actions);
void draw_history(const Remote<LedgerPageView>& ledger, const Remote<LedgerPageView>& chart,
                  const Remote<std::vector<RedemptionView>>& redemptions, HistoryUi& s, Ui& ui, Actions& actions);
void draw_balance_chart(const std::vector<LedgerEntryView>& entries, Ui& ui);
void draw_rewards(const Remote<std::vector<RewardView>>& rewards, const Remote<MeView>& me,
                  const Remote<RedemptionView>& redemption, RewardsUi& s, Ui& ui, Actions& actions);
void draw_tiers(const Remote<ProgramView>& program, const Remote<MeView>& me, Ui& ui, Actions& actions);
// The member card: the offline code from this device's secret when there is one (no network
// needed), else the server's short-lived code.
void draw_card(const Remote<CardView>& card, const std::optional<OfflineCard>& offline, const Remote<MeView>& me,
               double card_age_seconds, CardUi& s, Ui& ui, Actions& actions);
// The code this device computes from its card secret, as a QR code and text, with its countdown.
void draw_card_code(const OfflineCard& card, CardUi& s, Ui& ui);
// The portal without the network: the last member view kept on this device (core's
// OfflinePortalView), the member card, and the actions that need the server shown disabled.
void draw_offline(const OfflinePortalView& view, const std::optional<OfflineCard>& card, bool checking, CardUi& s,
                  Ui& ui, Actions& actions);
void draw_profile(const ClientState& state, ProfileUi& s, Ui& ui, Actions& actions);
// Invite a friend: the member's referral code, its link as a QR, invited / rewarded counts.
void draw_referral(const Remote<ReferralView>& referral, ReferralUi& s, Ui& ui, Actions& actions);
// The survey; `state.feedback` is the last answer sent, `state.chart` gives the last purchase's store.
void draw_feedback(const ClientState& state, FeedbackUi& s, Ui& ui, Actions& actions);
void draw_settings(Settings& settings, Ui& ui, Actions& actions);

// --- template implementation ---
template <class T>
bool show_remote(const Remote<T>& r, const std::string& id, Data data, Ui& ui, Actions& actions) {
    if (r.failed()) {
        ui.alert(id + ".error", error_words(r.error, ui.lang()));
        if (ui.button(id + ".retry", ui.tr("common.retry"), ButtonKind::secondary)) actions.reload.insert(data);
        ui.gap(4);
    } else if (r.loading() && !r.has()) {
        ui.loading(id + ".loading", ui.tr(r.waiting_key()));
    } else if (r.server_busy) {
        ui.status(id + ".busy", ui.tr("common.server_busy"));  // the last data stays on screen
    }
    return r.has();
}

}  // namespace memberdesk::client
