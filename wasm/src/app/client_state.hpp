// Everything the client knows: the session, the data loaded from the API (each as a Remote<T>
// with its request status), and the member's settings. Screens read it; only ApiClient and App
// write it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/i18n.hpp"
#include "memberdesk/offline_view.hpp"
#include "memberdesk/time.hpp"
#include "memberdesk/views.hpp"

namespace memberdesk::client {

// A failed request, as the API reported it (status 0 = no HTTP answer).
struct ApiError {
    int status = 0;
    std::string code;     // the API's snake_case code, or "network_error" / "bad_response"
    std::string message;  // the server's human text, if any
};

enum class Status { idle, loading, ok, failed };

// One piece of remote data and the state of the request that fetches it. The last good value is
// kept while a reload runs or after a reload fails, so screens can show stale data with a banner.
template <class T>
struct Remote {
    Status status = Status::idle;
    std::optional<T> value;
    ApiError error;
    int attempt = 0;           // retries made for the current request
    bool server_busy = false;  // the server answered 503: waiting to ask again (the session stays)
    bool loading() const { return status == Status::loading; }
    bool failed() const { return status == Status::failed; }
    // What a screen shows while it waits: "Loading…", "Connection problem…" or "Server busy…".
    const char* waiting_key() const {
        return server_busy ? "common.server_busy" : attempt > 0 ? "common.retrying" : "common.loading";
    }
    bool has() const { return value.has_value(); }
    void reset() { *this = Remote<T>{}; }
};

struct Done {};  // value type of requests whose answer carries nothing the UI needs

struct LoginResult {
    std::string token;
    std::string expires_at;
};

// POST /auth/signup/start, /auth/pin-reset/start: 202 {"expires_at"}.
struct CodeSent {
    std::string expires_at;
};

// GET /me/consents (docs/api.md): the current choices (nullopt: never chosen) and every change.
struct ConsentRecord {
    std::string purpose;  // "reminders", "marketing", "personalised_offers", "terms"
    bool granted = false;
    std::string text_version, channel, at;
};
struct ConsentsView {
    std::optional<bool> reminders, marketing, personalised_offers, terms;
    std::string text_version;
    std::vector<ConsentRecord> history;
};

// GET /me/messages: the member's inbox, newest first (a code is never in it).
struct InboxMessage {
    std::int64_t id = 0;
    std::string template_id, text, created_at;
    bool read = false;
};
struct InboxView {
    std::vector<InboxMessage> messages;
    int unread = 0;
    std::optional<std::string> next_cursor;
};

// GET /me/referral: the member's code, the link that pre-fills it at sign-up, and how it went.
struct ReferralView {
    std::string code, url;
    int invited = 0, rewarded = 0;
};

// A change to PUT /me/consents (only the purposes set are sent).
struct ConsentChange {
    std::optional<bool> reminders, marketing, personalised_offers;
};

// A change to PATCH /me.
struct ProfileChange {
    std::optional<std::string> name, birthday;
};

struct Settings {
    Lang lang = Lang::en;
    int text_size = 1;  // 0 small, 1 normal, 2 large, 3 extra large
    bool dark = false;
    float text_scale() const;  // 0.875 / 1 / 1.2 / 1.45
};

// History filter as the member entered it; dates are local "YYYY-MM-DD" (empty = open).
struct LedgerFilter {
    std::string type;  // "" = all, else an EntryType name ("earn", "redeem", ...)
    std::string from, to;
    bool operator==(const LedgerFilter& o) const { return type == o.type && from == o.from && to == o.to; }
};

enum class AppMode { portal, kiosk, staff };

// The offline member card this device received at sign-in (docs/design.md "Offline member card"):
// the card shows "T<member>-<device>-<otp>", the one-time password computed here from `secret`.
struct OfflineCard {
    std::int64_t member_id = 0, device_id = 0;
    std::string secret;  // raw bytes
};

struct ClientState {
    AppMode mode = AppMode::portal;
    Settings settings;

    // Session.
    std::string token;
    bool session_ended = false;   // a 401 ended it: the sign-in screen says so
    bool account_erased = false;  // after DELETE /me: the sign-in screen says so
    Remote<LoginResult> login;

    // Member data.
    Remote<ProgramView> program;
    Remote<MeView> me;
    Remote<std::vector<CouponView>> coupons;
    Remote<std::vector<RewardView>> rewards;
    Remote<LedgerPageView> ledger;  // entries of every page loaded so far for `ledger_filter`
    LedgerFilter ledger_filter;
    Remote<LedgerPageView> chart;  // the latest entries, unfiltered, for the balance chart
    Remote<std::vector<RedemptionView>> redemptions;
    Remote<CardView> card;
    double card_loaded_at = 0;                // monotonic seconds when `card` arrived
    std::optional<OfflineCard> offline_card;  // kept in localStorage until sign-out (api_client.cpp)
    // The last member view seen on this device (portal), kept in localStorage until sign-out: the
    // portal opens to it when the network is down.
    std::optional<OfflineSnapshot> offline_view;
    bool network_down = false;  // the last API request got no HTTP answer at all

    // Writes.
    Remote<RedemptionView> redemption;  // the last POST /me/redemptions
    Remote<Points> feedback;            // value: points awarded for the survey
    Remote<Done> export_data;
    Remote<Done> erase;
    Remote<Done> profile_save;      // the last PATCH /me
    Remote<ConsentsView> consents;  // GET /me/consents, and the answer of a PUT
    Remote<InboxView> inbox;
    Remote<NextReminderView> reminder;  // GET /me/reminders, for the home
    Remote<ReferralView> referral;      // GET /me/referral
    // Phone change: the code to the new phone (POST /me/phone/start), then its check (/verify).
    Remote<CodeSent> phone_code;
    Remote<Done> phone_change;
    // Sign-up and PIN reset (signed out): the last code asked for, and the last verification.
    Remote<CodeSent> code_request;
    Remote<Done> code_verify;
    // A kiosk sign-up's member token, handed back at once: the kiosk signs in with its own key.
    std::string signup_token;

    // Program time zone for dates (from GET /program; Asia/Shanghai fixed +8 until it arrives).
    ZoneRules zone = ZoneRules::fixed("Asia/Shanghai", 8 * 3600);

    // Fonts fetched at run time (bytes of TTF files).
    Remote<std::string> latin_font;
    Remote<std::string> lang_font;  // the glyphs of "中文" for the language switch
    Remote<std::string> cjk_font;

    bool signed_in() const { return !token.empty(); }
    // Forget everything personal (sign-out, session end, erase). Settings and program stay.
    void clear_member_data();
};

}  // namespace memberdesk::client
