// Storage of the members' self-service (domain.md §7): one-time codes, consent records and the
// message outbox / inbox. A separate interface from ReadTx/WriteTx (reached through tx.self()), so the
// rest of the store does not change with it. Valid only inside the transaction that handed it out.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "memberdesk/time.hpp"

namespace memberdesk::server {

// A one-time code sent to a phone (sign-up, PIN reset). The code itself is never stored: code_hash
// is a keyed BLAKE2b of it (crypto.hpp hash_one_time_code); empty when nothing was sent (a PIN reset
// for an unknown phone still counts towards the limits, so the answers look alike).
struct OtpRecord {
    std::int64_t id = 0;
    std::string phone, purpose;  // purpose: "signup", "pin_reset"
    std::string code_hash;
    std::string client_address;
    UnixSeconds created_at = 0, expires_at = 0;
    int tries = 0;  // wrong codes entered
    std::optional<UnixSeconds> used_at;
};

struct ConsentRecord {
    std::int64_t id = 0;
    std::int64_t member_id = 0;
    std::string purpose;  // "terms", "reminders", "marketing", "personalised_offers"
    bool granted = false;
    std::string text_version;
    std::string channel;  // "portal", "kiosk", "api"
    UnixSeconds at = 0;
};

// One message: a row of the outbox (while next_attempt_at is set) and of the member's inbox.
struct MessageRecord {
    std::int64_t id = 0;
    std::string uid;  // the message id receivers de-duplicate by
    std::optional<std::int64_t> member_id;
    std::string recipient;  // phone
    std::string channel;    // "webhook"
    std::string template_id, locale;
    std::string text;        // what is sent (a code's text holds the code until it is delivered)
    std::string params;      // JSON object text
    std::string inbox_text;  // what the inbox shows (never a code)
    UnixSeconds created_at = 0;
    std::optional<UnixSeconds> read_at, delivered_at;
    int attempts = 0;
    // Wall-clock seconds: when the sender may (re)try; null = nothing to send (delivered or given up).
    std::optional<std::int64_t> next_attempt_at;
    std::int64_t give_up_at = 0;  // wall clock
    std::string last_error;
};

// One occasion of the scheduled reach that was handled (domain.md §7): unique per (member, kind,
// occasion), written in the transaction that issues its coupon and queues its message.
struct ReachRecord {
    std::int64_t id = 0;
    std::int64_t member_id = 0;
    std::string kind;      // points_expiry, tier_review, coupon_expiry, birthday, winback, holiday
    std::string occasion;  // the occasion key (memberdesk/reach.hpp)
    std::int64_t day = 0;  // local day it was handled on (days since 1970-01-01)
    UnixSeconds at = 0;
    std::string subject;                     // JSON {"zh","en"}
    std::string consent;                     // the consent the message needed
    std::optional<std::int64_t> message_id;  // none: no consent, nothing sent
    std::optional<std::int64_t> coupon_id;
};

// A new member who signed up with a referral code (unique per new member). first_txn is set by the
// first purchase, which settles it: rewarded_at, the local month it counts in for the referrer's
// cap, and what each side earned (referrer_points 0 when the cap was reached).
struct ReferralRecord {
    std::int64_t member_id = 0;  // the new member
    std::int64_t referrer_id = 0;
    std::string code;
    UnixSeconds created_at = 0;
    std::optional<std::string> first_txn;
    std::optional<UnixSeconds> rewarded_at;
    std::optional<std::int64_t> month;
    std::int64_t new_member_points = 0, referrer_points = 0;
    std::optional<UnixSeconds> clawed_back_at;
};

class SelfTx {
public:
    virtual ~SelfTx() = default;

    // ---- one-time codes
    virtual std::int64_t insert_otp(const OtpRecord& r) = 0;
    // The newest code of this phone and purpose (serialises sends per phone on PostgreSQL).
    virtual std::optional<OtpRecord> latest_otp(const std::string& phone, const std::string& purpose) = 0;
    virtual int otps_of_phone_since(const std::string& phone, UnixSeconds since) = 0;
    virtual int otps_of_address_since(const std::string& address, UnixSeconds since) = 0;
    virtual void add_otp_try(std::int64_t id) = 0;
    virtual void use_otp(std::int64_t id, UnixSeconds at) = 0;

    // ---- consents (append only; the current choice is the newest record per purpose)
    virtual void insert_consent(const ConsentRecord& r) = 0;
    virtual std::vector<ConsentRecord> consents_of(std::int64_t member_id) = 0;  // oldest first

    // ---- messages
    virtual std::int64_t insert_message(const MessageRecord& m) = 0;
    // Inbox page: newest first, ids below `before_id` when set.
    virtual std::vector<MessageRecord> messages_of(std::int64_t member_id, std::optional<std::int64_t> before_id,
                                                   int limit) = 0;
    virtual int unread_count(std::int64_t member_id) = 0;
    virtual void mark_read(std::int64_t member_id, std::int64_t up_to_id, UnixSeconds at) = 0;
    // Sign-up codes sent to `phone` before it had a member: into that member's inbox.
    virtual void adopt_messages(const std::string& phone, std::int64_t member_id) = 0;
    // Claims up to `limit` messages due at `wall_now` (next_attempt_at <= wall_now): each gets
    // attempts + 1 and next_attempt_at = lease_until, so no other sender takes it until the lease ends
    // (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the one writer). Oldest first.
    virtual std::vector<MessageRecord> claim_messages(std::int64_t wall_now, std::int64_t lease_until, int limit) = 0;
    // The claim `attempts` is still the sender's (nobody re-claimed it meanwhile): delivered.
    virtual bool message_delivered(std::int64_t id, int attempts, UnixSeconds at, const std::string& inbox_text) = 0;
    // The claim's attempt failed: retry at `next` (null: give up, keeping only the inbox text).
    virtual void message_failed(std::int64_t id, int attempts, std::optional<std::int64_t> next,
                                const std::string& error) = 0;
    virtual std::optional<MessageRecord> message(std::int64_t id) = 0;
    // The earliest next_attempt_at of any message (wall clock), if one is waiting to be sent.
    virtual std::optional<std::int64_t> next_due() = 0;

    // ---- scheduled reach (members.reach_due: next local day to look, 0 = recompute, null = never)
    // Up to `limit` members with reach_due <= day, locked for this transaction (PostgreSQL: FOR UPDATE
    // SKIP LOCKED, so processes share the work), by (reach_due, id).
    virtual std::vector<std::int64_t> reach_claim(std::int64_t day, int limit) = 0;
    virtual std::optional<std::int64_t> reach_min_due() = 0;
    virtual void set_reach_due(std::int64_t member_id, std::optional<std::int64_t> day) = 0;
    // The new row's id; none when the (member, kind, occasion) row exists: that occasion is done.
    virtual std::optional<std::int64_t> insert_reach(const ReachRecord& r) = 0;
    virtual void set_reach_refs(std::int64_t id, std::optional<std::int64_t> message_id,
                                std::optional<std::int64_t> coupon_id) = 0;
    virtual std::vector<ReachRecord> reach_of(std::int64_t member_id) = 0;  // oldest first
    virtual std::optional<std::int64_t> reach_last_day() = 0;               // the latest finished day
    virtual void reach_day_done(std::int64_t day, UnixSeconds at) = 0;

    // ---- referral
    virtual std::optional<std::string> referral_code_of(std::int64_t member_id) = 0;
    virtual std::optional<std::int64_t> member_of_referral_code(const std::string& code) = 0;
    virtual void insert_referral_code(std::int64_t member_id, const std::string& code, UnixSeconds at) = 0;
    virtual void insert_referral(const ReferralRecord& r) = 0;
    virtual std::optional<ReferralRecord> referral_of(std::int64_t member_id) = 0;  // as the new member
    virtual void update_referral(const ReferralRecord& r) = 0;                      // the settling and clawback columns
    // Rewards the referrer earned (referrer_points > 0) counted in `month`, clawed back ones included:
    // the cap counts rewards given.
    virtual int referral_rewards_in_month(std::int64_t referrer_id, std::int64_t month) = 0;
    virtual std::vector<ReferralRecord> referrals_by(std::int64_t referrer_id) = 0;  // oldest first
};

}  // namespace memberdesk::server
