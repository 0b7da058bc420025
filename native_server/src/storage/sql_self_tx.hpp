// SelfTx (self_store.hpp) in SQL both backends accept: a base of sql::SqlTx, which supplies the
// connection, row locks (for_update) and advisory locks (lock_key).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/self_store.hpp"

namespace memberdesk::server::sql {

template <class Q, class Conn>
class SelfSql : public SelfTx {
public:
    std::int64_t insert_otp(const OtpRecord& r) override {
        Q q(sc_,
            "INSERT INTO otp_codes (phone, purpose, code_hash, client_address, created_at, expires_at, tries) "
            "VALUES (?, ?, ?, ?, ?, ?, 0) RETURNING id");
        q.args(r.phone, r.purpose, r.code_hash, r.client_address, r.created_at, r.expires_at);
        q.next();
        return q.i64(0);
    }
    std::optional<OtpRecord> latest_otp(const std::string& phone, const std::string& purpose) override {
        lock_key("otp", phone);  // one decision per phone at a time: the 60 s gap, the tries
        Q q(sc_,
            "SELECT id, phone, purpose, code_hash, client_address, created_at, expires_at, tries, used_at "
            "FROM otp_codes WHERE phone = ? AND purpose = ? ORDER BY id DESC LIMIT 1");
        q.args(phone, purpose);
        if (!q.next()) return std::nullopt;
        OtpRecord r;
        r.id = q.i64(0);
        r.phone = q.str(1);
        r.purpose = q.str(2);
        r.code_hash = q.str(3);
        r.client_address = q.str(4);
        r.created_at = q.i64(5);
        r.expires_at = q.i64(6);
        r.tries = q.i32(7);
        r.used_at = q.opt(8);
        return r;
    }
    int otps_of_phone_since(const std::string& phone, UnixSeconds since) override {
        lock_key("otp", phone);
        Q q(sc_, "SELECT count(*) FROM otp_codes WHERE phone = ? AND created_at > ?");
        q.args(phone, since);
        q.next();
        return q.i32(0);
    }
    int otps_of_address_since(const std::string& address, UnixSeconds since) override {
        lock_key("otp_addr", address);
        Q q(sc_, "SELECT count(*) FROM otp_codes WHERE client_address = ? AND created_at > ?");
        q.args(address, since);
        q.next();
        return q.i32(0);
    }
    void add_otp_try(std::int64_t id) override {
        Q q(sc_, "UPDATE otp_codes SET tries = tries + 1 WHERE id = ?");
        q.args(id);
        q.run();
    }
    void use_otp(std::int64_t id, UnixSeconds at) override {
        Q q(sc_, "UPDATE otp_codes SET used_at = ? WHERE id = ?");
        q.args(at, id);
        q.run();
    }

    void insert_consent(const ConsentRecord& r) override {
        Q q(sc_,
            "INSERT INTO consents (member_id, purpose, granted, text_version, channel, at) VALUES (?, ?, ?, ?, ?, ?)");
        q.args(r.member_id, r.purpose, r.granted ? 1 : 0, r.text_version, r.channel, r.at);
        q.run();
    }
    std::vector<ConsentRecord> consents_of(std::int64_t member_id) override {
        Q q(sc_,
            "SELECT id, member_id, purpose, granted, text_version, channel, at FROM consents WHERE member_id = ? "
            "ORDER BY id");
        q.args(member_id);
        std::vector<ConsentRecord> out;
        while (q.next())
            out.push_back(ConsentRecord{q.i64(0), q.i64(1), q.str(2), q.i64(3) != 0, q.str(4), q.str(5), q.i64(6)});
        return out;
    }

    std::int64_t insert_message(const MessageRecord& m) override {
        Q q(sc_,
            "INSERT INTO messages (uid, member_id, recipient, channel, template, locale, text, params, inbox_text, "
            "created_at, attempts, next_attempt_at, give_up_at, last_error) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, '') RETURNING id");
        q.args(m.uid, m.member_id, m.recipient, m.channel, m.template_id, m.locale, m.text, m.params, m.inbox_text,
               m.created_at, m.next_attempt_at, m.give_up_at);
        q.next();
        return q.i64(0);
    }
    std::vector<MessageRecord> messages_of(std::int64_t member_id, std::optional<std::int64_t> before_id,
                                           int limit) override {
        std::string sql = std::string("SELECT ") + kMessageCols + "WHERE member_id = ?";
        if (before_id) sql += " AND id < ?";
        sql += " ORDER BY id DESC LIMIT ?";
        Q q(sc_, sql);
        q.bind(member_id);
        if (before_id) q.bind(*before_id);
        q.bind(limit);
        std::vector<MessageRecord> out;
        while (q.next()) out.push_back(message_from(q));
        return out;
    }
    int unread_count(std::int64_t member_id) override {
        Q q(sc_, "SELECT count(*) FROM messages WHERE member_id = ? AND read_at IS NULL");
        q.args(member_id);
        q.next();
        return q.i32(0);
    }
    void mark_read(std::int64_t member_id, std::int64_t up_to_id, UnixSeconds at) override {
        Q q(sc_, "UPDATE messages SET read_at = ? WHERE member_id = ? AND id <= ? AND read_at IS NULL");
        q.args(at, member_id, up_to_id);
        q.run();
    }
    void adopt_messages(const std::string& phone, std::int64_t member_id) override {
        Q q(sc_, "UPDATE messages SET member_id = ? WHERE recipient = ? AND member_id IS NULL");
        q.args(member_id, phone);
        q.run();
    }
    std::vector<MessageRecord> claim_messages(std::int64_t wall_now, std::int64_t lease_until, int limit) override {
        std::vector<MessageRecord> out;
        {
            const std::string lock = for_update().empty() ? "" : for_update() + " SKIP LOCKED";
            Q q(sc_, std::string("SELECT ") + kMessageCols +
                         "WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id "
                         "LIMIT ?" +
                         lock);
            q.args(wall_now, limit);
            while (q.next()) out.push_back(message_from(q));
        }
        for (auto& m : out) {
            Q q(sc_, "UPDATE messages SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?");
            q.args(lease_until, m.id);
            q.run();
            m.attempts += 1;
            m.next_attempt_at = lease_until;
        }
        return out;
    }
    bool message_delivered(std::int64_t id, int attempts, UnixSeconds at, const std::string& inbox_text) override {
        // The text sent may hold a code: once delivered only the inbox text stays.
        Q q(sc_,
            "UPDATE messages SET delivered_at = ?, next_attempt_at = NULL, text = ?, params = '{}', last_error = '' "
            "WHERE id = ? AND attempts = ? AND delivered_at IS NULL");
        q.args(at, inbox_text, id, attempts);
        q.run();
        return q.changes() == 1;
    }
    void message_failed(std::int64_t id, int attempts, std::optional<std::int64_t> next,
                        const std::string& error) override {
        if (next) {
            Q q(sc_, "UPDATE messages SET next_attempt_at = ?, last_error = ? WHERE id = ? AND attempts = ?");
            q.args(*next, error.substr(0, 500), id, attempts);
            q.run();
        } else {
            Q q(sc_,
                "UPDATE messages SET next_attempt_at = NULL, text = inbox_text, params = '{}', last_error = ? "
                "WHERE id = ? AND attempts = ?");
            q.args(error.substr(0, 500), id, attempts);
            q.run();
        }
    }
    std::optional<std::int64_t> next_due() override {
        Q q(sc_, "SELECT min(next_attempt_at) FROM messages WHERE next_attempt_at IS NOT NULL");
        if (!q.next()) return std::nullopt;
        return q.opt(0);
    }
    std::optional<MessageRecord> message(std::int64_t id) override {
        Q q(sc_, std::string("SELECT ") + kMessageCols + "WHERE id = ?");
        q.args(id);
        if (!q.next()) return std::nullopt;
        return message_from(q);
    }

    std::vector<std::int64_t> reach_claim(std::int64_t day, int limit) override {
        const std::string lock = for_update().empty() ? "" : for_update() + " SKIP LOCKED";
        Q q(sc_, "SELECT id FROM members WHERE reach_due <= ? ORDER BY reach_due, id LIMIT ?" + lock);
        q.args(day, limit);
        std::vector<std::int64_t> out;
        while (q.next()) out.push_back(q.i64(0));
        return out;
    }
    std::optional<std::int64_t> reach_min_due() override {
        Q q(sc_, "SELECT min(reach_due) FROM members WHERE reach_due IS NOT NULL");
        if (!q.next()) return std::nullopt;
        return q.opt(0);
    }
    void set_reach_due(std::int64_t member_id, std::optional<std::int64_t> day) override {
        Q q(sc_, "UPDATE members SET reach_due = ? WHERE id = ?");
        q.args(day, member_id);
        q.run();
    }
    std::optional<std::int64_t> insert_reach(const ReachRecord& r) override {
        Q q(sc_,
            "INSERT INTO reach_sent (member_id, kind, occasion, day, at, subject, consent, message_id, coupon_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id");
        q.args(r.member_id, r.kind, r.occasion, r.day, r.at, r.subject, r.consent, r.message_id, r.coupon_id);
        if (!q.next()) return std::nullopt;
        return q.i64(0);
    }
    void set_reach_refs(std::int64_t id, std::optional<std::int64_t> message_id,
                        std::optional<std::int64_t> coupon_id) override {
        Q q(sc_, "UPDATE reach_sent SET message_id = ?, coupon_id = ? WHERE id = ?");
        q.args(message_id, coupon_id, id);
        q.run();
    }
    std::vector<ReachRecord> reach_of(std::int64_t member_id) override {
        Q q(sc_,
            "SELECT id, member_id, kind, occasion, day, at, subject, consent, message_id, coupon_id FROM reach_sent "
            "WHERE member_id = ? ORDER BY id");
        q.args(member_id);
        std::vector<ReachRecord> out;
        while (q.next()) {
            ReachRecord r;
            r.id = q.i64(0);
            r.member_id = q.i64(1);
            r.kind = q.str(2);
            r.occasion = q.str(3);
            r.day = q.i64(4);
            r.at = q.i64(5);
            r.subject = q.str(6);
            r.consent = q.str(7);
            r.message_id = q.opt(8);
            r.coupon_id = q.opt(9);
            out.push_back(std::move(r));
        }
        return out;
    }
    std::optional<std::int64_t> reach_last_day() override {
        Q q(sc_, "SELECT max(day) FROM reach_days");
        if (!q.next()) return std::nullopt;
        return q.opt(0);
    }
    void reach_day_done(std::int64_t day, UnixSeconds at) override {
        Q q(sc_, "INSERT INTO reach_days (day, done_at) VALUES (?, ?) ON CONFLICT DO NOTHING");
        q.args(day, at);
        q.run();
    }

    std::optional<std::string> referral_code_of(std::int64_t member_id) override {
        Q q(sc_, "SELECT code FROM referral_codes WHERE member_id = ?");
        q.args(member_id);
        if (!q.next()) return std::nullopt;
        return q.str(0);
    }
    std::optional<std::int64_t> member_of_referral_code(const std::string& code) override {
        Q q(sc_, "SELECT member_id FROM referral_codes WHERE code = ?");
        q.args(code);
        if (!q.next()) return std::nullopt;
        return q.i64(0);
    }
    void insert_referral_code(std::int64_t member_id, const std::string& code, UnixSeconds at) override {
        Q q(sc_, "INSERT INTO referral_codes (member_id, code, created_at) VALUES (?, ?, ?)");
        q.args(member_id, code, at);
        q.run();
    }
    void insert_referral(const ReferralRecord& r) override {
        Q q(sc_, "INSERT INTO referrals (member_id, referrer_id, code, created_at) VALUES (?, ?, ?, ?)");
        q.args(r.member_id, r.referrer_id, r.code, r.created_at);
        q.run();
    }
    std::optional<ReferralRecord> referral_of(std::int64_t member_id) override {
        Q q(sc_, std::string("SELECT ") + kReferralCols + "WHERE member_id = ?");
        q.args(member_id);
        if (!q.next()) return std::nullopt;
        return referral_from(q);
    }
    void update_referral(const ReferralRecord& r) override {
        Q q(sc_,
            "UPDATE referrals SET first_txn = ?, rewarded_at = ?, month = ?, new_member_points = ?, "
            "referrer_points = ?, clawed_back_at = ? WHERE member_id = ?");
        q.args(r.first_txn, r.rewarded_at, r.month, r.new_member_points, r.referrer_points, r.clawed_back_at,
               r.member_id);
        q.run();
    }
    int referral_rewards_in_month(std::int64_t referrer_id, std::int64_t month) override {
        Q q(sc_, "SELECT count(*) FROM referrals WHERE referrer_id = ? AND month = ? AND referrer_points > 0");
        q.args(referrer_id, month);
        q.next();
        return q.i32(0);
    }
    std::vector<ReferralRecord> referrals_by(std::int64_t referrer_id) override {
        Q q(sc_, std::string("SELECT ") + kReferralCols + "WHERE referrer_id = ? ORDER BY created_at, member_id");
        q.args(referrer_id);
        std::vector<ReferralRecord> out;
        while (q.next()) out.push_back(referral_from(q));
        return out;
    }

protected:
    explicit SelfSql(Conn& c) : sc_(c) {}
    virtual std::string for_update() const = 0;
    virtual void lock_key(const std::string& kind, const std::string& key) = 0;

private:
    static constexpr const char* kMessageCols =
        "id, uid, member_id, recipient, channel, template, locale, text, params, inbox_text, created_at, read_at, "
        "delivered_at, attempts, next_attempt_at, give_up_at, last_error FROM messages ";
    static MessageRecord message_from(Q& q) {
        MessageRecord m;
        m.id = q.i64(0);
        m.uid = q.str(1);
        m.member_id = q.opt(2);
        m.recipient = q.str(3);
        m.channel = q.str(4);
        m.template_id = q.str(5);
        m.locale = q.str(6);
        m.text = q.str(7);
        m.params = q.str(8);
        m.inbox_text = q.str(9);
        m.created_at = q.i64(10);
        m.read_at = q.opt(11);
        m.delivered_at = q.opt(12);
        m.attempts = q.i32(13);
        m.next_attempt_at = q.opt(14);
        m.give_up_at = q.i64(15);
        m.last_error = q.str(16);
        return m;
    }

    static constexpr const char* kReferralCols =
        "member_id, referrer_id, code, created_at, first_txn, rewarded_at, month, new_member_points, "
        "referrer_points, clawed_back_at FROM referrals ";
    static ReferralRecord referral_from(Q& q) {
        ReferralRecord r;
        r.member_id = q.i64(0);
        r.referrer_id = q.i64(1);
        r.code = q.str(2);
        r.created_at = q.i64(3);
        if (!q.null(4)) r.first_txn = q.str(4);
        r.rewarded_at = q.opt(5);
        r.month = q.opt(6);
        r.new_member_points = q.i64(7);
        r.referrer_points = q.i64(8);
        r.clawed_back_at = q.opt(9);
        return r;
    }

    Conn& sc_;
};

}  // namespace memberdesk::server::sql
