// The client side of /api/v1: starts requests through an HttpTransport and, polled once per frame,
// moves each through idle -> loading -> ok | failed, decoding answers into the core's view models
// (views.hpp). GETs (and the idempotent redemption POST) are retried on network errors and 502/503/
// 504 with back-off; after the last try the Remote is `failed` and the screen offers a Retry.
// A newer request for the same data supersedes an older one (its late answer is dropped).
// No threads, no blocking: transport callbacks only queue the answer; poll() applies it.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "app/client_state.hpp"
#include "app/platform.hpp"
#include "memberdesk/self_service.hpp"
#include "memberdesk/survey.hpp"

namespace memberdesk::client {

// Which piece of state a request fills (also the unit of supersession).
enum class Op {
    login,
    logout,
    program,
    me,
    coupons,
    rewards,
    ledger,
    ledger_more,
    chart,
    redemptions,
    card,
    redeem,
    feedback,
    export_data,
    erase,
    profile_save,
    consents,
    consents_save,
    inbox,
    inbox_more,
    inbox_read,
    reminder,
    referral,
    phone_start,
    phone_verify,
    code_request,
    code_verify,
    latin_font,
    lang_font,
    cjk_font,
    count_
};
const char* to_string(Op op);

class ApiClient {
public:
    ApiClient(HttpTransport& http, Platform& platform, ClientState& state);
    ~ApiClient();

    void set_base(std::string api_base, std::string asset_base);  // defaults "/api/v1", ""

    // Session.
    void login(const std::string& phone, const std::string& pin);
    void logout();  // tells the server, forgets the session at once (does not wait)
    // Kiosk sign-in (POST /kiosk/login with the device's X-Kiosk-Key): by a scanned member code,
    // or by phone + PIN. Fills `login` like login(); the kiosk token is never stored in the browser.
    void kiosk_login_code(const std::string& device_key, const std::string& member_code);
    void kiosk_login_pin(const std::string& device_key, const std::string& phone, const std::string& pin);

    // Reads.
    void load_program();
    void load_me();
    void load_coupons();
    void load_rewards();
    void load_ledger(const LedgerFilter& filter);  // first page, replaces
    void load_more_ledger();                       // next page, appends
    void load_chart();
    void load_redemptions();
    void load_card();

    // Writes. `idempotency_key` stays the same for every retry of one confirmed redemption.
    void redeem(const std::string& reward_id, const std::string& idempotency_key);
    void send_feedback(const SurveyDraft& survey);  // POST /me/feedback, the three-dimension form
    void export_data();
    void erase_account();
    void save_profile(const ProfileChange& change);                               // PATCH /me
    void load_consents();                                                         // GET /me/consents
    void save_consents(const ConsentChange& change, const std::string& channel);  // PUT /me/consents
    void load_inbox();                                                            // first page, replaces
    void load_more_inbox();  // the page after `next_cursor`, appends
    void load_reminder();    // GET /me/reminders: the home's reminder line
    void load_referral();    // GET /me/referral
    // Phone change: a code to `phone` (POST /me/phone/start), then the code (POST /me/phone/verify).
    void phone_start(const std::string& phone);
    void phone_verify(const std::string& phone, const std::string& code);
    void mark_read(std::int64_t up_to_id);  // POST /me/messages/read; the inbox shows them read at once

    // Self-service, signed out (domain.md §7). A code to the flow's phone (sign-up or PIN reset);
    // then the flow's entries with the code. A portal sign-up signs the member in like login(); on
    // the kiosk the member token is kept in `signup_token` for the kiosk to hand back.
    void request_code(const CodeFlow& flow);
    // A kiosk set up for a store passes its device key and store: the member joins at that store.
    void verify_code(const CodeFlow& flow, const std::string& channel, const std::string& device_key = "",
                     const std::string& store = "");
    void discard_token(const std::string& token);  // POST /auth/logout with that token

    // Assets.
    void load_latin_font(const std::string& path);
    void load_lang_font(const std::string& path);
    void load_cjk_font(const std::string& path);

    // Apply finished answers and due retries. Returns true if any state changed (redraw).
    bool poll();
    bool busy() const;              // anything in flight or waiting to retry
    void cancel_member_requests();  // sign-out: drop answers of every member request in flight
    // The offline member card kept on this device (localStorage), into the state (portal start).
    void restore_offline_card();
    // The last member view kept on this device (localStorage), into the state (portal start).
    void restore_offline_view();
    static constexpr const char* kCardStorage = "memberdesk.card";               // {member_id, device_id, secret}
    static constexpr const char* kCardDeviceStorage = "memberdesk.card.device";  // id to replace at sign-in
    static constexpr const char* kViewStorage = "memberdesk.view";               // offline_view.hpp's JSON

private:
    // Removes everything personal kept on the device: the card and the last member view.
    // `keep_device_id`: remember the card's id (no credential) so the next sign-in ends it.
    void forget_on_device(bool keep_device_id);
    void save_offline_view();  // after a member view arrived (portal)

public:
    // Observability for tests.
    int requests_started() const { return started_; }

private:
    struct Call;
    struct Finished;
    void start(Op op, HttpRequest req, bool retryable);
    void send(const std::shared_ptr<Call>& call);
    void apply(const Call& call, const HttpResponse& resp);
    // One answer's handling each (apply's table).
    void apply_login(const Call& call, const HttpResponse& resp);
    void apply_profile_save(const Call& call, const HttpResponse& resp);
    void apply_consents(const Call& call, const HttpResponse& resp);
    void apply_inbox(const Call& call, const HttpResponse& resp);
    void apply_inbox_more(const Call& call, const HttpResponse& resp);
    void apply_referral(const Call& call, const HttpResponse& resp);
    void apply_phone_start(const Call& call, const HttpResponse& resp);
    void apply_phone_verify(const Call& call, const HttpResponse& resp);
    void apply_code_request(const Call& call, const HttpResponse& resp);
    void apply_code_verify(const Call& call, const HttpResponse& resp);
    void apply_program(const Call& call, const HttpResponse& resp);
    void apply_me(const Call& call, const HttpResponse& resp);
    void apply_reminder(const Call& call, const HttpResponse& resp);
    void apply_coupons(const Call& call, const HttpResponse& resp);
    void apply_rewards(const Call& call, const HttpResponse& resp);
    void apply_ledger(const Call& call, const HttpResponse& resp);
    void apply_ledger_more(const Call& call, const HttpResponse& resp);
    void apply_chart(const Call& call, const HttpResponse& resp);
    void apply_redemptions(const Call& call, const HttpResponse& resp);
    void apply_card(const Call& call, const HttpResponse& resp);
    void apply_redeem(const Call& call, const HttpResponse& resp);
    void apply_feedback(const Call& call, const HttpResponse& resp);
    void apply_export_data(const Call& call, const HttpResponse& resp);
    void apply_erase(const Call& call, const HttpResponse& resp);
    void apply_font(const Call& call, const HttpResponse& resp);
    HttpRequest api(const std::string& method, const std::string& path) const;

    HttpTransport& http_;
    Platform& platform_;
    ClientState& state_;
    std::string api_base_ = "/api/v1";
    std::string asset_base_;
    std::uint64_t generation_[static_cast<int>(Op::count_)] = {};
    std::shared_ptr<std::deque<Finished>> finished_;
    std::vector<std::shared_ptr<Call>> waiting_retry_;
    int in_flight_ = 0;
    int started_ = 0;
};

// Decode helpers (public for tests).
ApiError parse_api_error(const HttpResponse& resp);
std::string url_encode(const std::string& s);

}  // namespace memberdesk::client
