// The server's domain service: every API operation as one function. It owns the storage and the
// program, runs each write as one transaction (catch_up -> core decision -> apply plan -> audit),
// and knows nothing of HTTP: it answers a Result whose Error carries an ErrorCode
// (memberdesk/errors.hpp); http/routes.cpp turns requests into these calls and answers into HTTP.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "memberdesk/errors.hpp"
#include "memberdesk/program.hpp"
#include "memberdesk/time.hpp"
#include "memberdesk/views.hpp"

namespace memberdesk::server {

class Store;  // store.hpp

// Who is acting, for scopes and the audit log.
struct Actor {
    enum class Kind { member, kiosk, pos, admin, system, staff };
    Actor() = default;
    Actor(Kind k, std::string actor_id, std::int64_t kiosk_member = 0)
        : kind(k), id(std::move(actor_id)), kiosk_member_id(kiosk_member) {}
    Kind kind = Kind::system;
    // member id for member/kiosk sessions, staff id for staff, the POS key's id ("chain" for the
    // chain-wide --pos-key), "admin" / "kiosk" for those keys
    std::string id;
    std::int64_t kiosk_member_id = 0;  // kiosk session: the member signed in on the kiosk
    std::string username;              // staff: who, by name, for the audit
    std::string store;                 // a store's POS key or a store's staff: acts only for this store
    std::string reason;                // staff: why, for the audit of the change
};
const char* to_string(Actor::Kind k);

// Wall clock, or a settable one under --test-clock.
class Clock {
public:
    virtual ~Clock() = default;
    virtual UnixSeconds now() const = 0;
};
class SystemClock : public Clock {
public:
    UnixSeconds now() const override;
};
class TestClock : public Clock {
public:
    explicit TestClock(UnixSeconds start);
    UnixSeconds now() const override;
    void set(UnixSeconds t);

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

struct ServiceOptions {
    // argon2id cost (libsodium crypto_pwhash). Defaults are libsodium's INTERACTIVE limits;
    // tests may lower them (never below libsodium's minimums).
    unsigned long long kdf_opslimit = 2;
    std::size_t kdf_memlimit = 64u * 1024u * 1024u;
    int member_session_seconds = 30 * 60;  // sliding
    int kiosk_session_seconds = 2 * 60;    // sliding
    int login_max_failures = 5;            // per phone ...
    int login_window_seconds = 15 * 60;    // ... within this window -> 429 for the window
    int member_code_seconds = 120;         // member card QR code lifetime
    // Tests: after every write, compare the member state computed in memory with a fresh load from
    // storage, and fail the request (500) if they differ. Off in production (it is the load it saves).
    bool check_after_state = false;
    // Tests: every snapshot written or read in a write transaction is compared with the snapshot of
    // the full replay (snapshot_of(load_state)) and the request fails (500) if they differ.
    bool check_snapshots = false;
    // Tests: every report computed from the daily report facts is computed from the rows too, and
    // the request fails (500) if the figures differ.
    bool check_report_facts = false;
    // Memory for member states kept for reads (StateCache, state_cache.hpp; an estimate); 0 = none.
    std::size_t state_cache_bytes = 64u << 20;
    // Tests: every read served from the cache also loads the state and fails (500) if they differ.
    bool check_state_cache = false;
    int staff_session_seconds = 8 * 3600;  // absolute
    int staff_idle_seconds = 30 * 60;      // a session unused this long ends
    // Members' self-service (domain.md §7; signup.cpp, outbox.cpp).
    // Messages are queued for the webhook sender (outbox.cpp) only when one is configured.
    bool deliver_messages = false;
    // Called with every one-time code sent (--demo prints them; tests read them). Null: nobody sees it.
    std::function<void(const std::string& phone, const std::string& code)> on_code;
    // Scheduled reach (reach.cpp): members per write transaction; how many missed days a run catches up.
    int reach_batch = 100;
    int reach_max_catch_up_days = 400;
    // Tests: asked before each batch with the members done so far; true ends the run there, as if the
    // process had stopped.
    std::function<bool(int members_done)> reach_stop;
    // Offline member cards (card_devices.cpp): the key their secrets are sealed under is derived
    // from this (the app passes the admin key); empty = a random key for this Service only.
    std::string card_key;
    int card_devices_per_member = 5;  // a member's newest devices keep their card
};

// What a member's device gets at sign-in for the offline member card (shown once).
struct CardSecret {
    std::int64_t member_id = 0;
    std::int64_t device_id = 0;
    std::string secret;  // raw bytes (kCardSecretBytes)
};

// What one run of the scheduled reach did.
struct ReachRun {
    int days = 0;          // local days run
    int members = 0;       // members looked at
    int occasions = 0;     // occasions recorded (each once)
    int messages = 0;      // messages queued (occasions with the consent they need)
    int coupons = 0;       // coupons issued
    bool complete = true;  // false: stopped at max_members
};

struct Session {
    std::string token;  // shown once; stored hashed
    UnixSeconds expires_at = 0;
    std::optional<CardSecret> card;  // member sign-ins only
};

// An authenticated bearer token.
struct Principal {
    enum class Kind { member, kiosk };
    Kind kind = Kind::member;
    std::int64_t member_id = 0;
    std::string kiosk_key_id;  // kiosk sessions: the device key id that opened it
    UnixSeconds expires_at = 0;
    Actor actor() const;
};

// A signed-in staff member (domain.md §8), from a staff bearer token.
struct StaffPrincipal {
    std::int64_t staff_id = 0;
    std::string username, name, role;  // role: clerk, store_manager, region_manager, hq_admin, auditor
    std::string store, region;         // a clerk's / store manager's store; a region manager's region
    UnixSeconds expires_at = 0;
    Actor actor() const;
};
struct StaffSession {
    std::string token;  // shown once; stored hashed
    UnixSeconds expires_at = 0;
    std::string role;
};
struct NewStaff {
    std::string username, password, name, role, store, region;
};
// What hq_admin may change on an account; absent = unchanged.
struct StaffPatch {
    std::optional<std::string> name, password, role, store, region;
    std::optional<bool> disabled;
};
struct StaffMemberQuery {
    std::optional<std::string> phone, code;  // exact full phone; a scanned member code
    std::optional<std::string> cursor;
    int limit = 20;
};
// A survey answer (domain.md §8): three dimensions 1..5, or the v1 form's one overall rating.
struct SurveyAnswer {
    int rating = 0;  // overall; with scores, their rounded mean
    std::optional<int> product, service, environment;
    std::string comment;
    std::string store;  // empty: none given
};
// A staff report (docs/reports.md): local dates, both included; store / region narrow the scope.
struct StaffReportQuery {
    CivilDate from, to;
    std::optional<std::string> store, region;
    std::string group;  // "", "week" or "month"
};
// The at-risk list (docs/reports.md "At-risk list"): level 2 (masked) unless level 3 with a reason.
struct StaffAtRiskQuery {
    int limit = 50;
    int level = 2;
    std::string reason;
};
struct StaffAuditQuery {
    std::optional<std::int64_t> member_id, staff_id;
    std::optional<std::string> store, action;
    std::optional<UnixSeconds> from, to;
    std::optional<std::string> cursor;
    int limit = 50;
};

struct LedgerQuery {
    std::optional<std::string> type;      // EntryType name
    std::optional<UnixSeconds> from, to;  // created_at range, inclusive
    int limit = 20;                       // 1..100
    std::optional<std::string> cursor;    // opaque, from next_cursor
};

struct PurchaseRequest {
    std::string txn_id;
    std::string member;  // member id, phone, or a scanned member code
    Cents amount = 0;
    std::string store;
    std::optional<UnixSeconds> at;
};
struct RefundRequest {
    std::string txn_id, refund_id;
    Cents amount = 0;
};
struct CouponRedeemRequest {
    std::string code;
    Cents order_amount = 0;
    std::string store, txn_id;
};
struct NewMember {
    std::string phone, pin, name;
    std::optional<CivilDate> birthday;
    std::optional<std::string> store;  // where they join (a store id); none = not at a store
};
struct MemberPatch {
    std::optional<std::string> phone, pin, name;
    std::optional<std::optional<CivilDate>> birthday;  // set, or clear with nullopt inside
};

// Members' self-service (domain.md §7). `client_address`: the address the request came from (the
// per-address code limit); `locale`: "zh" or "en", the language of the messages.
struct CodeRequest {
    std::string phone, client_address, locale = "zh";
};
struct SignupRequest {
    std::string phone, code, pin, name;
    bool terms = false, marketing = false, personalised_offers = false;
    std::optional<std::string> referral_code;
    std::string channel = "portal";    // where the consents were given: portal, kiosk
    std::optional<std::string> store;  // the kiosk's store (the route accepts it only from a kiosk)
    std::string locale = "zh";
};
struct SignedUp {
    Session session;
    std::int64_t member_id = 0;
};
// Consent changes by the member: only the fields given change.
struct ConsentChoices {
    std::optional<bool> reminders, marketing, personalised_offers;
};
struct PinResetRequest {
    std::string phone, code, pin, locale = "zh";
};
// A member's new phone (POST /me/phone/start, /me/phone/verify); `code` only for verify.
struct PhoneChangeRequest {
    std::int64_t member_id = 0;
    std::string phone, code, client_address, locale = "zh";
};

// An accepted write's answer, identical on replay: whether it created something (HTTP 201),
// answers nothing (204) or just answers (200), and its body.
struct Reply {
    enum class Kind { ok, created, empty };
    Reply() = default;
    Reply(Kind k, nlohmann::json b) : kind(k), body(std::move(b)) {}

    Kind kind = Kind::ok;
    nlohmann::json body;
    // `body` as sent, when it was serialised already (for its idempotency record); empty: serialise
    // `body`.
    std::string text;
};

class Service {
public:
    Service(std::unique_ptr<Store> store, ProgramConfig program, ZoneRules zone, const Clock& clock,
            ServiceOptions options = {});
    ~Service();

    const ProgramConfig& program() const;
    const ZoneRules& zone() const;
    UnixSeconds now() const;
    ProgramView program_view() const;

    // Auth. Errors: invalid_credentials, too_many_attempts, invalid_member_code.
    // `replace_card_device`: the card this device had before (it is ended; another member's id is
    // ignored). Errors also: too_many_attempts.
    Result<Session> login(const std::string& phone, const std::string& pin,
                          std::optional<std::int64_t> replace_card_device = std::nullopt);
    Result<Session> kiosk_login_with_code(const std::string& kiosk_key_id, const std::string& member_code);
    Result<Session> kiosk_login_with_pin(const std::string& kiosk_key_id, const std::string& phone,
                                         const std::string& pin);
    // Valid token -> principal, and slides its expiry. Expired/unknown -> unauthorized; a database
    // that cannot answer -> service_busy / internal_error (never unauthorized).
    Result<Principal> authenticate(const std::string& token);
    void logout(const std::string& token);
    // Deletes every session and member code expired at the current time (Store::purge_expired).
    // Called before the test clock moves, so a credential past its expiry stays dead when the clock
    // is set back.
    void purge_expired();

    // Member (and kiosk, with kiosk_scope = true) reads.
    Result<MeView> me(std::int64_t member_id, bool kiosk_scope);
    Result<LedgerPageView> ledger(std::int64_t member_id, const LedgerQuery& q);
    // The same page before it is made into views: the route writes its JSON straight from the
    // entries (dump_ledger_page).
    struct LedgerEntries {
        std::vector<LedgerEntry> entries;
        std::optional<std::string> next_cursor;
        LedgerPageView into_view() &&;  // the page as GET ledger's view (takes the entries' strings)
    };
    Result<LedgerEntries> ledger_entries(std::int64_t member_id, const LedgerQuery& q);
    Result<std::vector<CouponView>> coupons(std::int64_t member_id, const std::optional<std::string>& state);
    Result<std::vector<RewardView>> rewards(std::int64_t member_id);
    Result<std::vector<RedemptionView>> redemptions(std::int64_t member_id);
    Result<CardView> card(std::int64_t member_id);
    Result<nlohmann::json> export_member(std::int64_t member_id);

    // Member writes. Redemption is idempotent by (member, idempotency_key): created first, the same
    // reply after; the same key with a different reward -> idempotency_conflict.
    Result<Reply> redeem(const Actor& who, std::int64_t member_id, const std::string& reward_id,
                         const std::string& idempotency_key);
    Result<Reply> feedback(const Actor& who, std::int64_t member_id, int rating, const std::string& comment);
    // Errors: invalid_rating (a score outside 1..5), invalid_comment, unknown_store.
    Result<Reply> feedback(const Actor& who, std::int64_t member_id, const SurveyAnswer& a);
    Result<Reply> erase_member(const Actor& who, std::int64_t member_id);

    // POS. Idempotent by txn_id / refund_id: same body -> same reply; different body -> idempotency_conflict.
    Result<Reply> purchase(const Actor& who, const PurchaseRequest& r);
    Result<Reply> refund(const Actor& who, const RefundRequest& r);
    Result<Reply> redeem_coupon(const Actor& who, const CouponRedeemRequest& r);

    // Admin.
    Result<Reply> create_member(const Actor& who, const NewMember& m);
    Result<nlohmann::json> get_member(std::int64_t member_id);  // full admin view
    Result<nlohmann::json> list_members(const std::optional<std::string>& phone, int limit,
                                        const std::optional<std::string>& cursor);
    Result<Reply> patch_member(const Actor& who, std::int64_t member_id, const MemberPatch& p);
    Result<Reply> adjust(const Actor& who, std::int64_t member_id, Points points, const std::string& reason);
    Result<Reply> issue_coupon(const Actor& who, std::int64_t member_id, const std::string& template_id);
    Result<Reply> void_coupon(const Actor& who, const std::string& code);
    Result<nlohmann::json> audit_log(std::optional<std::int64_t> member_id, int limit);

    // Stores, regions and POS keys (service/stores.cpp). Ids are short strings (`E`, `S001`).
    Result<Reply> create_region(const Actor& who, const std::string& id, const std::string& name);
    Result<Reply> create_store(const Actor& who, const std::string& id, const std::string& name,
                               const std::string& region);
    Result<nlohmann::json> list_stores();  // {regions, stores}
    // 201 {key_id, key, store}: the key is shown here once and stored hashed.
    Result<Reply> issue_pos_key(const Actor& who, const std::string& store);
    Result<Reply> revoke_pos_key(const Actor& who, const std::string& key_id);
    // A store's POS key -> its actor (kind pos, id = key id, store). unauthorized if unknown or revoked.
    Result<Actor> authenticate_pos_key(const std::string& key);

    // Staff accounts (service/staff.cpp). Errors: invalid_credentials, too_many_attempts.
    Result<StaffSession> staff_login(const std::string& username, const std::string& password);
    // Valid token -> the staff member; slides the idle limit. Disabled accounts and sessions past
    // their absolute or idle limit -> unauthorized.
    Result<StaffPrincipal> authenticate_staff(const std::string& token);
    void staff_logout(const std::string& token);
    Result<Reply> change_password(const StaffPrincipal& who, const std::string& old_password,
                                  const std::string& new_password);
    Result<Reply> create_staff(const Actor& who, const NewStaff& s);
    Result<Reply> update_staff(const Actor& who, std::int64_t staff_id, const StaffPatch& p);
    Result<nlohmann::json> list_staff();

    // What staff do with members, within their scope and data level (service/scope.cpp).
    Result<nlohmann::json> staff_members(const StaffPrincipal& who, const StaffMemberQuery& q);
    Result<nlohmann::json> staff_member(const StaffPrincipal& who, std::int64_t member_id, int level,
                                        const std::string& reason);
    Result<Reply> staff_adjust(const StaffPrincipal& who, std::int64_t member_id, Points points,
                               const std::string& reason);
    Result<Reply> staff_issue_coupon(const StaffPrincipal& who, std::int64_t member_id, const std::string& template_id,
                                     const std::string& reason);
    Result<Reply> staff_void_coupon(const StaffPrincipal& who, const std::string& code, const std::string& reason);
    Result<Reply> staff_redeem_coupon(const StaffPrincipal& who, const CouponRedeemRequest& r);
    Result<nlohmann::json> staff_audit(const StaffPrincipal& who, const StaffAuditQuery& q);
    // Report of the scope and period (docs/reports.md), audited. Errors: forbidden (clerk),
    // invalid_date (to before from, longer than 366 days), store_mismatch (a store or region outside
    // the staff member's scope), unknown_store, unknown_region.
    Result<nlohmann::json> staff_report(const StaffPrincipal& who, const StaffReportQuery& q);
    // Dormant and about-to-be-dormant members of the scope by value, audited. Errors: forbidden
    // (clerk, auditor, level above the role's), invalid_reason (level 3 without one).
    Result<nlohmann::json> staff_at_risk(const StaffPrincipal& who, const StaffAtRiskQuery& q);
    // Self-service sign-up and PIN reset with one-time codes (signup.cpp). Start answers when the code
    // expires (the same for every phone: no enumeration). Errors: invalid_phone, too_many_codes,
    // invalid_code, phone_taken, consent_required, invalid_pin, invalid_name.
    Result<UnixSeconds> signup_start(const CodeRequest& r);
    Result<SignedUp> signup_verify(const SignupRequest& r);
    Result<UnixSeconds> pin_reset_start(const CodeRequest& r);
    Result<Reply> pin_reset_verify(const PinResetRequest& r);
    // Phone change (signup.cpp): a code to the new phone under the limits of sign-up codes (409
    // phone_taken when another member has it); verify makes it the member's phone and tells the old
    // phone. Errors as sign-up: invalid_phone, too_many_codes, invalid_code, phone_taken.
    Result<UnixSeconds> phone_change_start(const PhoneChangeRequest& r);
    Result<Reply> phone_change_verify(const PhoneChangeRequest& r);
    // The member's inbox, newest first (messages.cpp): {messages:[{id,template,text,created_at,read}],
    // unread, next_cursor}. Marking read: every message up to and including `up_to_id`.
    Result<nlohmann::json> messages(std::int64_t member_id, const std::optional<std::string>& cursor, int limit);
    Result<nlohmann::json> mark_messages_read(std::int64_t member_id, std::int64_t up_to_id);
    // Consents (consents.cpp): {current:{reminders,marketing,personalised_offers,terms}, text_version,
    // history:[{purpose,granted,text_version,channel,at}]}; a change is a new record.
    Result<nlohmann::json> consents(std::int64_t member_id);
    Result<nlohmann::json> set_consents(std::int64_t member_id, const ConsentChoices& c, const std::string& channel);
    // Referral (referral.cpp, domain.md §7): the member's code (made at the first ask), the portal link
    // to join with it on `origin`, and how many joined with it / earned the referrer a reward:
    // {code,url,invited,rewarded}.
    Result<nlohmann::json> referral(std::int64_t member_id, const std::string& origin);
    // The member's own name and (once) birthday (profile.cpp). Errors: invalid_name, invalid_birthday,
    // birthday_already_set.
    Result<Reply> patch_me(std::int64_t member_id, const std::optional<std::string>& name,
                           const std::optional<CivilDate>& birthday);
    // False once the member refused personalised offers: GET /me then shows no segment offers.
    bool personalised_offers_allowed(std::int64_t member_id);

    // Scheduled reach (reach.cpp, domain.md §7): runs every local day whose send_at has passed and
    // that has not run yet (the first run: only its own day), in order, unless it is quiet hours now.
    // `max_members` >= 0 stops after that many members (tests: a run cut short).
    ReachRun run_reach(int max_members = -1);
    // {sent:[{kind,occasion,day,at,subject,consent,message_id,coupon_id}], scheduled:[{kind,occasion,
    // day,subject,consent}]}: what the member was sent and what comes next.
    Result<nlohmann::json> member_reach(std::int64_t member_id);
    // {next: {kind,occasion,day,subject,consent} | null}: the member's next reminder (portal home).
    Result<nlohmann::json> next_reminder(std::int64_t member_id);
    // The same as member_reach for a staff member, within their scope (level 1 and up).
    Result<nlohmann::json> staff_member_reach(const StaffPrincipal& who, std::int64_t member_id);
    // Member care (service/staff_members.cpp), for a member in scope: the points ledger (level 1,
    // as GET /me/ledger), the messages sent (level 2: template, channel, times, delivery state;
    // never a text or code), the coupons (level 1; codes only for roles that void coupons) and the
    // program's coupon templates (roles that issue coupons).
    Result<LedgerPageView> staff_member_ledger(const StaffPrincipal& who, std::int64_t member_id, const LedgerQuery& q);
    Result<nlohmann::json> staff_member_messages(const StaffPrincipal& who, std::int64_t member_id,
                                                 const std::optional<std::string>& cursor, int limit);
    Result<nlohmann::json> staff_member_coupons(const StaffPrincipal& who, std::int64_t member_id);
    Result<nlohmann::json> staff_coupon_templates(const StaffPrincipal& who);

    // Operator.
    bool healthy();

    // Demo data (--demo): members in every tier with a year of history, coupons in every state.
    // Returns the demo logins (phone, pin, name, tier) to print.
    std::vector<nlohmann::json> seed_demo();
    // Demo regions, stores and one staff account per role (service/demo_staff.cpp), if there are
    // none yet. Returns their logins (username, password, role, place) to print.
    std::vector<nlohmann::json> seed_demo_staff();

    Store& store();

private:
    // A store's POS key or staff member acting for another store -> store_mismatch (service/stores.cpp).
    std::optional<Error> store_mismatch(const Actor& who, const std::string& store);
    std::optional<Error> refund_store_mismatch(const Actor& who, const std::string& txn_id);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace memberdesk::server
