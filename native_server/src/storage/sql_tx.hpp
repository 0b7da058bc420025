// The transaction of a SQL backend: the ReadTx/WriteTx methods whose statements are the same for
// SQLite and PostgreSQL. A backend plugs in its `Q` (a statement with "?" placeholders: args, bind,
// next, run, changes, null/i64/i32/opt/str) and its connection, and overrides what differs: row
// locks (for_update), advisory locks (lock_key), byte-order collation.
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "memberdesk/segments.hpp"
#include "memberdesk/snapshot.hpp"
#include "storage/progress.hpp"
#include "storage/report_facts.hpp"
#include "storage/sql_self_tx.hpp"
#include "storage/store.hpp"
#include "storage/store_rows.hpp"

namespace memberdesk::server::sql {

using namespace store_rows;  // enum texts, column lists, row decoders

// A ledger page's statement for the filter's parts (binds: member, then type, from, to, the cursor's
// created_at and id, limit). Its columns are all in the index ledger_member_page, so the page is read
// from that index alone (store tests check the plan for every filter).
inline std::string ledger_page_sql(const LedgerFilter& f) {
    std::string sql = std::string("SELECT ") + kEntryColsBeforeRef + " FROM ledger WHERE member_id = ?";
    if (f.type) sql += " AND type = ?";
    if (f.from) sql += " AND created_at >= ?";
    if (f.to) sql += " AND created_at <= ?";
    if (f.after) sql += " AND (created_at, id) < (?, ?)";
    sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
    return sql;
}

template <class Q, class Conn>
class SqlTx : public WriteTx, public SelfSql<Q, Conn> {
public:
    SelfTx& self() override { return *this; }

    // ---- reads
    std::optional<MemberRecord> member_by_id(std::int64_t id) override {
        Q q(c_, std::string("SELECT ") + kMemberCols + "WHERE id = ?" + for_update());
        q.args(id);
        if (!q.next()) return std::nullopt;
        return member_from(q);
    }
    std::vector<MemberRecord> list_members(const std::optional<std::string>& phone,
                                           std::optional<std::int64_t> after_id, int limit) override {
        std::string sql = std::string("SELECT ") + kMemberCols + "WHERE id > ?";
        if (phone) sql += " AND phone = ?";
        sql += " ORDER BY id LIMIT ?";
        Q q(c_, sql);
        q.bind(after_id.value_or(0));
        if (phone) q.bind(*phone);
        q.bind(limit);
        std::vector<MemberRecord> out;
        while (q.next()) out.push_back(member_from(q));
        return out;
    }
    std::int64_t member_count() override {
        Q q(c_, "SELECT count(*) FROM members");
        q.next();
        return q.i64(0);
    }
    MemberState load_state(std::int64_t member_id) override {
        MemberState s;
        load_scalars(s, member_id);
        {
            Q q(c_, std::string("SELECT ") + kLotCols + "WHERE member_id = ? ORDER BY id");
            q.args(member_id);
            while (q.next()) s.lots.push_back(lot_from(q));
        }
        {
            Q q(c_, std::string("SELECT ") + kPurchaseCols + "WHERE member_id = ? ORDER BY at, id");
            q.args(member_id);
            while (q.next()) s.purchases.push_back(purchase_from(q));
        }
        {
            Q q(c_, std::string("SELECT ") + kCouponCols + "WHERE member_id = ? ORDER BY id");
            q.args(member_id);
            while (q.next()) s.coupons.push_back(coupon_from(q).coupon);
        }
        load_issue_keys(s, member_id);
        return s;
    }
    std::optional<SnapshotRow> load_snapshot(std::int64_t member_id) override {
        // The member's revision and row lock (as load_state) in the same statement as the snapshot.
        const std::string lock = for_update().empty() ? "" : for_update() + " OF m";
        Q q(c_,
            "SELECT m.rev, s.horizon, s.rev, s.bytes FROM members m LEFT JOIN member_snapshots s ON s.member_id = m.id "
            "WHERE m.id = ?" +
                lock);
        q.binary_results();
        q.args(member_id);
        if (!q.next()) throw StoreError(StoreError::Kind::not_found, "member " + std::to_string(member_id));
        if (q.null(1)) return std::nullopt;
        SnapshotRow r;
        r.horizon = q.i64(1);
        r.current = q.i64(2) == q.i64(0);
        const std::string_view bytes = q.blob(3);  // valid until the statement moves on
        r.size = bytes.size();
        if (auto st = decode_snapshot(bytes)) r.state = std::move(*st);
        return r;
    }
    std::vector<std::int64_t> members_without_snapshot(std::int64_t after_id, int limit) override {
        Q q(c_,
            "SELECT m.id FROM members m LEFT JOIN member_snapshots s ON s.member_id = m.id "
            "WHERE m.id > ? AND (s.member_id IS NULL OR s.rev <> m.rev) ORDER BY m.id LIMIT ?");
        q.args(after_id, limit);
        std::vector<std::int64_t> out;
        while (q.next()) out.push_back(q.i64(0));
        return out;
    }
    MemberState due_state(std::int64_t member_id) override {
        MemberState s;
        load_scalars(s, member_id);
        {
            Q q(c_, std::string("SELECT ") + kLotCols + "WHERE member_id = ? AND remaining > 0 ORDER BY id");
            q.args(member_id);
            while (q.next()) s.lots.push_back(lot_from(q));
        }
        {
            Q q(c_, std::string("SELECT ") + kPurchaseCols + "WHERE member_id = ? ORDER BY at DESC, id DESC LIMIT 1");
            q.args(member_id);
            if (q.next()) s.purchases.push_back(purchase_from(q));
        }
        load_issue_keys(s, member_id);
        return s;
    }
    LedgerPage ledger(std::int64_t member_id, const LedgerFilter& f) override {
        Q q(c_, ledger_page_sql(f));
        q.bind(member_id);
        if (f.type) q.bind(std::string(to_string(*f.type)));
        if (f.from) q.bind(*f.from);
        if (f.to) q.bind(*f.to);
        if (f.after) q.args(f.after->created_at, f.after->id);
        const int limit = f.limit < 1 ? 1 : f.limit;
        q.bind(limit + 1);
        LedgerPage page;
        page.entries.reserve(static_cast<std::size_t>(limit) + 1);
        while (q.next()) page.entries.push_back(entry_from(q, false));
        if (static_cast<int>(page.entries.size()) > limit) {
            page.entries.resize(static_cast<std::size_t>(limit));
            page.next = LedgerCursor{page.entries.back().created_at, page.entries.back().id};
        }
        return page;
    }
    std::vector<LedgerEntry> ledger_all(std::int64_t member_id) override {
        Q q(c_, std::string("SELECT ") + kEntryColsBeforeRef +
                    ", ref FROM ledger WHERE member_id = ? ORDER BY created_at, id");
        q.args(member_id);
        std::vector<LedgerEntry> out;
        while (q.next()) out.push_back(entry_from(q));
        return out;
    }
    std::optional<CouponRecord> coupon_by_code(const std::string& code) override {
        Q q(c_, std::string("SELECT ") + kCouponCols + "WHERE code = ?" + for_update());
        q.args(code);
        if (!q.next()) return std::nullopt;
        return coupon_from(q);
    }
    std::vector<CouponRecord> coupons_of(std::int64_t member_id) override {
        Q q(c_, std::string("SELECT ") + kCouponCols + "WHERE member_id = ? ORDER BY id");
        q.args(member_id);
        std::vector<CouponRecord> out;
        while (q.next()) out.push_back(coupon_from(q));
        return out;
    }
    std::vector<RedemptionRecord> redemptions(std::int64_t member_id) override {
        Q q(c_,
            "SELECT id, member_id, reward_id, points, coupon_id, created_at, balance_after FROM redemptions "
            "WHERE member_id = ? ORDER BY created_at DESC, id DESC");
        q.args(member_id);
        std::vector<RedemptionRecord> out;
        while (q.next()) {
            RedemptionRecord r;
            r.id = q.i64(0);
            r.member_id = q.i64(1);
            r.reward_id = q.str(2);
            r.points = q.i64(3);
            r.coupon_id = q.opt(4).value_or(0);
            r.created_at = q.i64(5);
            r.balance_after = q.i64(6);
            out.push_back(std::move(r));
        }
        return out;
    }
    std::optional<SessionRecord> session(const std::string& token_hash) override {
        Q q(c_, std::string("SELECT ") + kSessionCols + "WHERE token_hash = ?");
        q.args(token_hash);
        if (!q.next()) return std::nullopt;
        SessionRecord s;
        s.token_hash = q.str(0);
        s.kind = q.str(1);
        s.member_id = q.i64(2);
        s.kiosk_key_id = q.str(3);
        s.created_at = q.i64(4);
        s.expires_at = q.i64(5);
        return s;
    }
    std::vector<SessionRecord> sessions_of(std::int64_t member_id) override {
        Q q(c_, std::string("SELECT ") + kSessionCols + "WHERE member_id = ? ORDER BY created_at DESC");
        q.args(member_id);
        std::vector<SessionRecord> out;
        while (q.next()) out.push_back(SessionRecord{q.str(0), q.str(1), q.i64(2), q.str(3), q.i64(4), q.i64(5)});
        return out;
    }
    std::optional<MemberCodeRecord> member_code(const std::string& code_hash) override {
        Q q(c_, "SELECT code_hash, member_id, expires_at FROM member_codes WHERE code_hash = ?");
        q.args(code_hash);
        if (!q.next()) return std::nullopt;
        return MemberCodeRecord{q.str(0), q.i64(1), q.i64(2)};
    }
    std::optional<CardDeviceRecord> card_device(std::int64_t id) override {
        Q q(c_, "SELECT id, member_id, secret_box, session_hash, created_at FROM card_devices WHERE id = ?");
        q.args(id);
        if (!q.next()) return std::nullopt;
        return CardDeviceRecord{q.i64(0), q.i64(1), q.str(2), q.str(3), q.i64(4)};
    }
    std::vector<FeedbackRecord> feedback(std::int64_t member_id) override {
        Q q(c_,
            "SELECT id, member_id, rating, comment, actor_kind, created_at, product, service, environment, store "
            "FROM feedback WHERE member_id = ? ORDER BY id");
        q.args(member_id);
        std::vector<FeedbackRecord> out;
        auto score = [&](int c) { return q.null(c) ? std::nullopt : std::optional<int>(q.i32(c)); };
        while (q.next())
            out.push_back(FeedbackRecord{q.i64(0), q.i64(1), q.i32(2), q.str(3), q.str(4), q.i64(5), score(6), score(7),
                                         score(8), q.str(9)});
        return out;
    }
    std::vector<AuditRecord> audit(std::optional<std::int64_t> member_id, int limit) override {
        std::string sql = std::string("SELECT ") + kAuditCols;
        if (member_id) sql += "WHERE member_id = ? ";
        sql += "ORDER BY id DESC LIMIT ?";
        Q q(c_, sql);
        if (member_id) q.bind(*member_id);
        q.bind(limit);
        std::vector<AuditRecord> out;
        while (q.next()) out.push_back(audit_from(q));
        return out;
    }
    bool ping() override {
        Q q(c_, "SELECT 1");
        return q.next() && q.i64(0) == 1;
    }

    std::optional<MemberRecord> member_by_phone(const std::string& phone) override {
        lock_key("phone", phone);  // serialises "is this phone taken?" + insert/update
        Q q(c_, std::string("SELECT ") + kMemberCols + "WHERE phone = ?");
        q.args(phone);
        if (!q.next()) return std::nullopt;
        return member_from(q);
    }
    std::optional<std::pair<std::int64_t, Purchase>> purchase_by_txn(const std::string& txn_id) override {
        // Only the owner is decided on here (it never changes); the purchase itself is re-read
        // with the member's state, under the member's row lock.
        Q q(c_,
            "SELECT member_id, txn_id, amount, refunded, at, store, points, tier_id FROM purchases WHERE txn_id = ?");
        q.args(txn_id);
        if (!q.next()) return std::nullopt;
        Purchase p;
        p.txn_id = q.str(1);
        p.amount = q.i64(2);
        p.refunded = q.i64(3);
        p.at = q.i64(4);
        p.store = q.str(5);
        p.points = q.i64(6);
        p.tier_id = q.str(7);
        return std::make_pair(q.i64(0), std::move(p));
    }
    int reward_redeemed_count(const std::string& reward_id) override {
        lock_key("reward", reward_id);  // stock is shared by all members: check + insert_redemption
        Q q(c_, "SELECT redeemed FROM reward_stock WHERE reward_id = ?");
        q.args(reward_id);
        return q.next() ? q.i32(0) : 0;
    }
    std::optional<IdempotencyRecord> idempotency(const std::string& scope, const std::string& key) override {
        lock_key("idem:" + scope, key);  // duplicates wait here, then replay what the first stored
        Q q(c_,
            "SELECT fingerprint, status, response, member_id, created_at FROM idempotency WHERE scope = ? AND key = ?");
        q.args(scope, key);
        if (!q.next()) return std::nullopt;
        IdempotencyRecord r;
        r.scope = scope;
        r.key = key;
        r.fingerprint = q.str(0);
        r.status = q.i32(1);
        r.response = q.str(2);
        r.member_id = q.i64(3);
        r.created_at = q.i64(4);
        return r;
    }
    int login_failures_since(const std::string& phone, UnixSeconds since) override {
        lock_key("login", phone);  // the re-check before a session is opened sees every failure
        Q q(c_, "SELECT count(*) FROM login_failures WHERE phone = ? AND at > ?");
        q.args(phone, since);
        q.next();
        return q.i32(0);
    }

    // ---- writes
    void update_member(const MemberRecord& m) override {
        Q q(c_,
            "UPDATE members SET phone = ?, name = ?, pin_hash = ?, birthday = ?, rev = rev + 1, reach_due = 0 WHERE id "
            "= ?");
        q.args(m.phone, m.name, m.pin_hash, date_text(m.birthday), m.id);
        q.run();
        if (q.changes() != 1) throw StoreError(StoreError::Kind::not_found, "member " + std::to_string(m.id));
    }
    void update_coupon(const Coupon& c, UnixSeconds now) override {
        if (facts_kept()) {
            Q q(c_, "SELECT member_id, CASE WHEN state = 'used' THEN used_at END FROM coupons WHERE id = ?");
            q.args(c.id);
            if (q.next()) {
                const std::int64_t member = q.i64(0);
                const auto was = q.opt(1);
                const auto will = c.state == CouponState::used ? c.used_at : std::nullopt;
                if (was != will) {
                    facts::Facts minus, plus;
                    minus.v[facts::coupons_used] = -1;
                    plus.v[facts::coupons_used] = 1;
                    if (was) add_member_facts(member, *was, minus);
                    if (will) add_member_facts(member, *will, plus);
                }
            }
        }
        Q q(c_,
            "UPDATE coupons SET state = ?, used_at = ?, used_txn = ?, used_store = ?, used_order_amount = ?, "
            "used_discount = ?, updated_at = ? WHERE id = ?");
        q.args(to_string(c.state), c.used_at, c.used_txn, c.used_store, c.used_order_amount, c.used_discount, now,
               c.id);
        q.run();
        if (q.changes() != 1) throw StoreError(StoreError::Kind::not_found, "coupon " + std::to_string(c.id));
        Q r(c_,
            "UPDATE members SET rev = rev + 1, reach_due = 0 WHERE id = (SELECT member_id FROM coupons WHERE id = ?)");
        r.args(c.id);
        r.run();
    }
    void add_login_failure(const std::string& phone, UnixSeconds at) override {
        lock_key("login", phone);
        Q q(c_, "INSERT INTO login_failures (phone, at) VALUES (?, ?)");
        q.args(phone, at);
        q.run();
    }
    void clear_login_failures(const std::string& phone) override {
        lock_key("login", phone);
        Q q(c_, "DELETE FROM login_failures WHERE phone = ?");
        q.args(phone);
        q.run();
    }
    std::int64_t insert_feedback(const FeedbackRecord& f) override {
        Q q(c_,
            "INSERT INTO feedback (member_id, rating, comment, actor_kind, created_at, product, service, environment, "
            "store) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        q.args(f.member_id, f.rating, f.comment, f.actor_kind, f.created_at, f.product, f.service, f.environment,
               f.store);
        q.next();
        const std::int64_t id = q.i64(0);
        if (facts_kept()) {
            const auto af = facts::answer_facts(f.rating, f.product, f.service, f.environment);
            if (!f.store.empty())
                for (const auto& u : units_of_store(f.store)) add_facts(u, day_of(f.created_at), af);
            else
                add_member_facts(f.member_id, f.created_at, af);
        }
        return id;
    }
    std::int64_t insert_audit(const AuditRecord& a) override {
        Q q(c_,
            "INSERT INTO audit (at, actor_kind, actor_id, action, member_id, detail, actor_name, store) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        q.args(a.at, a.actor_kind, a.actor_id, a.action, a.member_id, a.detail, a.actor_name, a.store);
        q.next();
        return q.i64(0);
    }
    void put_idempotency(const IdempotencyRecord& r) override {
        Q q(c_,
            "INSERT INTO idempotency (scope, key, fingerprint, status, response, member_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)");
        q.args(r.scope, r.key, r.fingerprint, r.status, r.response, r.member_id, r.created_at);
        q.run();
    }
    void insert_session(const SessionRecord& s) override {
        Q q(c_,
            "INSERT INTO sessions (token_hash, kind, member_id, kiosk_key_id, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?)");
        q.args(s.token_hash, s.kind, s.member_id, s.kiosk_key_id, s.created_at, s.expires_at);
        q.run();
    }
    void extend_session(const std::string& token_hash, UnixSeconds expires_at) override {
        Q q(c_, "UPDATE sessions SET expires_at = ? WHERE token_hash = ? AND expires_at < ?");
        q.args(expires_at, token_hash, expires_at);
        q.run();
    }
    void delete_session(const std::string& token_hash) override {
        Q q(c_, "DELETE FROM sessions WHERE token_hash = ?");
        q.args(token_hash);
        q.run();
    }
    void delete_member_sessions(std::int64_t member_id) override {
        {
            Q q(c_, "DELETE FROM sessions WHERE member_id = ?");
            q.args(member_id);
            q.run();
        }
        Q q(c_, "DELETE FROM card_devices WHERE member_id = ?");
        q.args(member_id);
        q.run();
    }
    std::int64_t insert_card_device(const CardDeviceRecord& d, int keep) override {
        std::int64_t id = 0;
        {
            Q q(c_,
                "INSERT INTO card_devices (member_id, secret_box, session_hash, created_at) VALUES (?, ?, ?, ?) "
                "RETURNING id");
            q.args(d.member_id, d.secret_box, d.session_hash, d.created_at);
            q.next();
            id = q.i64(0);
        }
        Q q(c_,
            "DELETE FROM card_devices WHERE member_id = ? AND id NOT IN "
            "(SELECT id FROM card_devices WHERE member_id = ? ORDER BY id DESC LIMIT ?)");
        q.args(d.member_id, d.member_id, static_cast<std::int64_t>(keep));
        q.run();
        return id;
    }
    void delete_card_device(std::int64_t id) override {
        Q q(c_, "DELETE FROM card_devices WHERE id = ?");
        q.args(id);
        q.run();
    }
    void delete_session_card_devices(const std::string& session_hash) override {
        Q q(c_, "DELETE FROM card_devices WHERE session_hash = ?");
        q.args(session_hash);
        q.run();
    }
    void purge_expired(UnixSeconds now) override {
        {
            Q q(c_, "DELETE FROM sessions WHERE expires_at <= ?");
            q.args(now);
            q.run();
        }
        {
            Q q(c_, "DELETE FROM member_codes WHERE expires_at <= ?");
            q.args(now);
            q.run();
        }
        {
            // Failures older than a day can no longer lock anyone out.
            Q q(c_, "DELETE FROM login_failures WHERE at <= ?");
            q.args(now - 86400);
            q.run();
        }
    }
    void insert_member_code(const MemberCodeRecord& c) override {
        Q q(c_, "INSERT INTO member_codes (code_hash, member_id, expires_at) VALUES (?, ?, ?)");
        q.args(c.code_hash, c.member_id, c.expires_at);
        q.run();
    }
    void erase_member(std::int64_t member_id, UnixSeconds now) override {
        auto m = member_by_id(member_id);
        if (!m) throw StoreError(StoreError::Kind::not_found, "member " + std::to_string(member_id));
        if (!m->erased_at && facts_kept()) {
            facts::Facts e;
            e.v[facts::erased] = 1;
            add_member_facts(member_id, now, e);
        }
        {
            // An erased member is in no segment count.
            Q q(c_, "DELETE FROM member_activity WHERE member_id = ?");
            q.args(member_id);
            q.run();
        }
        {
            Q q(c_,
                "UPDATE members SET phone = 'erased:' || id, name = '', pin_hash = '', birthday = NULL, "
                "erased_at = coalesce(erased_at, ?), updated_at = ?, rev = rev + 1, reach_due = 0 WHERE id = ?");
            q.args(now, now, member_id);
            q.run();
        }
        {
            Q q(c_, "UPDATE feedback SET comment = '' WHERE member_id = ?");
            q.args(member_id);
            q.run();
        }
        delete_member_sessions(member_id);
        {
            Q q(c_, "DELETE FROM member_codes WHERE member_id = ?");
            q.args(member_id);
            q.run();
        }
        clear_login_failures(m->phone);
        {
            // Messages keep only that they were sent (no phone, no text); codes of the phone go.
            Q q(c_,
                "UPDATE messages SET recipient = '', text = '', params = '{}', inbox_text = '', "
                "next_attempt_at = NULL WHERE member_id = ?");
            q.args(member_id);
            q.run();
        }
        {
            Q q(c_, "DELETE FROM otp_codes WHERE phone = ?");
            q.args(m->phone);
            q.run();
        }
    }

    // ---- daily report facts (report_facts.hpp)
    void set_report_zone(const ZoneRules* z) { zone_ = z; }

    bool report_facts_ready(const std::string& zone) override {
        Q q(c_, "SELECT zone FROM report_facts_meta WHERE id = 1");
        return q.next() && q.str(0) == zone;
    }
    ReportSums report_sums(const std::string& unit, std::int64_t prev_day, std::int64_t from_day,
                           std::int64_t to_day) override {
        flush_facts();  // this transaction's own deltas count
        ReportSums s;
        {
            Q q(c_,
                "SELECT coalesce(sum(joined), 0), coalesce(sum(erased), 0), coalesce(sum(pts_net), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN joined END), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN visits END), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN net_spend END), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN pts_issued END), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN pts_redeemed END), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN pts_expired END), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN pts_clawed END), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN coupons_issued END), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN coupons_used END), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN answers END), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN rating_sum END), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN dims END), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN product_sum END), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN service_sum END), 0), "
                "coalesce(sum(CASE WHEN day >= ? THEN environment_sum END), 0) "
                "FROM unit_day_facts WHERE unit = ? AND day < ?");
            for (int i = 0; i < 15; ++i) q.bind(from_day);
            q.args(unit, to_day);
            q.next();
            int c = 0;
            for (std::int64_t* v :
                 {&s.joined_before_end, &s.erased_before_end, &s.liability, &s.joined, &s.visits, &s.net_spend,
                  &s.issued, &s.redeemed, &s.expired, &s.clawed_back, &s.coupons_issued, &s.coupons_used, &s.answers,
                  &s.rating_sum, &s.dims, &s.product_sum, &s.service_sum, &s.environment_sum})
                *v = q.i64(c++);
        }
        {
            // A visit is a member's first in [from, to) when the previous one is before `from`; the
            // second when the previous is in the span and the one before that is not; and it
            // retains a member of [prev, from) when it is the first and the previous one is >= prev.
            Q q(c_,
                "SELECT coalesce(sum(CASE WHEN day >= ? AND gap1 > day - ? THEN n END), 0), "
                "coalesce(sum(CASE WHEN day >= ? AND gap1 <= day - ? AND gap2 > day - ? THEN n END), 0), "
                "coalesce(sum(CASE WHEN day < ? AND gap1 > day - ? THEN n END), 0), "
                "coalesce(sum(CASE WHEN day >= ? AND gap1 > day - ? AND gap1 <= day - ? THEN n END), 0) "
                "FROM unit_visit_gaps WHERE unit = ? AND day >= ? AND day < ?");
            q.args(from_day, from_day, from_day, from_day, from_day, from_day, prev_day, from_day, from_day, prev_day,
                   unit, prev_day, to_day);
            q.next();
            s.active = q.i64(0);
            s.repeaters = q.i64(1);
            s.prev_active = q.i64(2);
            s.retained = q.i64(3);
        }
        return s;
    }

    // The facts unit that is exactly `stores` (nullopt: every store): "*", "s:<id>", "r:<region>",
    // or empty when the stores are no unit.
    std::string unit_of_stores(const std::optional<std::vector<std::string>>& stores) {
        if (!stores) return "*";
        if (stores->size() == 1) return "s:" + stores->front();
        const std::string region = region_of_store(stores->front());
        if (region.empty()) return {};
        std::vector<std::string> of_region, chosen = *stores;
        for (const auto& st : this->stores())
            if (st.region_id == region) of_region.push_back(st.id);
        std::sort(of_region.begin(), of_region.end());
        std::sort(chosen.begin(), chosen.end());
        return chosen == of_region ? "r:" + region : std::string();
    }
    std::optional<MemberActivity> member_activity(std::int64_t member_id) override {
        Q q(c_, "SELECT last_spend_at, month, m0, m1, m2, spend, purchases FROM member_activity WHERE member_id = ?");
        q.args(member_id);
        if (!q.next()) return std::nullopt;
        MemberActivity a;
        if (!q.null(0)) a.last_spend_at = q.i64(0);
        a.month = q.i32(1);
        a.net = {q.i64(2), q.i64(3), q.i64(4)};
        a.lifetime_net = q.i64(5);
        a.purchases = q.i64(6);
        return a;
    }
    std::vector<SegmentCount> segment_counts(const std::string& unit, const SegmentRule& rule, std::int64_t today,
                                             int this_month) override {
        // segment_tests on the rows: idle days from the last day with spend, else from joining; the
        // window is window_net (the kept months m0..m2 that are in this_month - 2 .. this_month).
        static const std::string cols =
            "CASE WHEN CAST(? AS BIGINT) - joined_day < CAST(? AS BIGINT) THEN 1 ELSE 0 END, "
            "CASE WHEN CAST(? AS BIGINT) - coalesce(last_day, joined_day) >= CAST(? AS BIGINT) THEN 1 ELSE 0 END, "
            "CASE WHEN CAST(? AS BIGINT) - coalesce(last_day, joined_day) >= CAST(? AS BIGINT) THEN 1 ELSE 0 END, "
            "CASE WHEN last_day IS NOT NULL THEN 1 ELSE 0 END, "
            "CASE WHEN w > CAST(? AS BIGINT) THEN 1 ELSE 0 END, "
            "CASE WHEN w >= CAST(? AS BIGINT) THEN 1 ELSE 0 END, count(*) FROM (SELECT joined_day, last_day, "
            "CASE WHEN month > CAST(? AS BIGINT) - 3 AND month <= CAST(? AS BIGINT) THEN m0 ELSE 0 END + "
            "CASE WHEN month - 1 > CAST(? AS BIGINT) - 3 AND month - 1 <= CAST(? AS BIGINT) THEN m1 ELSE 0 END + "
            "CASE WHEN month - 2 > CAST(? AS BIGINT) - 3 AND month - 2 <= CAST(? AS BIGINT) THEN m2 ELSE 0 END AS w "
            "FROM member_activity";
        const std::string sql =
            "SELECT " + cols +
            (unit == "*" ? std::string()
                         : std::string(" a WHERE a.member_id IN (SELECT member_id FROM member_units WHERE unit = ?)")) +
            ") x GROUP BY 1, 2, 3, 4, 5, 6";
        Q q(c_, sql);
        q.args(today, rule.new_days, today, rule.churned_days, today, rule.dormant_days, 3 * rule.core_monthly,
               3 * rule.active_monthly);
        for (int i = 0; i < 3; ++i) q.args(this_month, this_month);
        if (unit != "*") q.bind(unit);
        std::vector<SegmentCount> out;
        while (q.next()) {
            SegmentCount c;
            c.tests = {q.i64(0) != 0, q.i64(1) != 0, q.i64(2) != 0, q.i64(3) != 0, q.i64(4) != 0, q.i64(5) != 0};
            c.members = q.i64(6);
            out.push_back(c);
        }
        return out;
    }

    void rebuild_report_facts(UnixSeconds now) override {
        if (!zone_) return;
        const auto t0 = std::chrono::steady_clock::now();
        pending_facts_.clear();  // deleted with the rest
        units_of_member_.clear();
        for (const char* t :
             {"report_facts_meta", "member_units", "unit_day_facts", "unit_visit_gaps", "member_activity"})
            Q(c_, std::string("DELETE FROM ") + t).run();
        // Units are interned: a member's units and the (unit, day) keys stay small at a million members.
        std::vector<std::string> names;
        std::map<std::string, int> index;
        auto intern = [&](const std::string& u) {
            auto [it, fresh] = index.emplace(u, static_cast<int>(names.size()));
            if (fresh) names.push_back(u);
            return it->second;
        };
        std::map<std::string, std::vector<int>> store_units_ix;
        std::map<std::string, std::string> region_of;
        for (const auto& st : stores()) region_of[st.id] = st.region_id;
        auto units_of = [&](const std::string& store) -> const std::vector<int>& {
            auto it = store_units_ix.find(store);
            if (it != store_units_ix.end()) return it->second;
            auto r = region_of.find(store);
            std::vector<int> v;
            for (const auto& u : facts::store_units(store, r == region_of.end() ? std::string() : r->second))
                v.push_back(intern(u));
            return store_units_ix.emplace(store, std::move(v)).first->second;
        };
        std::unordered_map<std::int64_t, facts::Facts> days;  // (unit << 32) + day
        auto at = [&](int unit, std::int64_t day) -> facts::Facts& {
            return days[(static_cast<std::int64_t>(unit) << 32) + day];
        };
        std::map<int, facts::Gaps> gaps;
        // Local days by UTC hour: every zone offset is a whole number of quarter hours.
        std::unordered_map<std::int64_t, std::int64_t> day_cache;
        auto day = [&](UnixSeconds t) {
            const std::int64_t k = t >= 0 ? t / 900 : (t - 899) / 900;
            auto it = day_cache.find(k);
            if (it != day_cache.end()) return it->second;
            return day_cache.emplace(k, day_of(k * 900)).first->second;
        };
        constexpr std::int64_t kReportRows = 2000000;
        // Members by id; their units (member_units) from joined_store and purchase stores.
        std::vector<std::int64_t> ids, joined_day;
        std::vector<std::optional<std::int64_t>> erased_day;
        std::vector<std::vector<int>> units;
        {
            Q q(c_, "SELECT id, joined_at, erased_at, joined_store FROM members ORDER BY id");
            while (q.next()) {
                ids.push_back(q.i64(0));
                joined_day.push_back(day(q.i64(1)));
                erased_day.push_back(q.null(2) ? std::optional<std::int64_t>() : day(q.i64(2)));
                units.push_back(units_of(q.str(3)));
            }
        }
        if (ids.size() >= 100000) std::fprintf(stderr, "report facts: building for %zu members\n", ids.size());
        std::vector<MemberActivity> activity(ids.size());
        auto index_of = [&](std::int64_t id) -> std::ptrdiff_t {
            auto it = std::lower_bound(ids.begin(), ids.end(), id);
            return it != ids.end() && *it == id ? it - ids.begin() : -1;
        };
        {
            // Purchases: visits and spend per store, the members' store units, the visit chains.
            Q q(c_, "SELECT member_id, store, at, amount, refunded FROM purchases ORDER BY member_id");
            std::int64_t cur = -1;
            std::map<int, std::vector<std::int64_t>> chain;  // unit -> the current member's visit days
            auto flush = [&] {
                for (auto& [u, d] : chain) facts::add_chain(gaps[u], std::move(d), 1);
                chain.clear();
            };
            std::ptrdiff_t mi = -1;
            Progress progress("report facts: purchases read", 0, kReportRows);
            while (q.next()) {
                progress.advance();
                const std::int64_t m = q.i64(0);
                if (m != cur) {
                    flush();
                    cur = m;
                    mi = index_of(m);
                }
                const auto& su = units_of(q.str(1));
                const auto pf = facts::purchase_facts(q.i64(3), q.i64(4));
                const auto d = day(q.i64(2));
                if (!pf.empty())
                    for (int u : su) {
                        at(u, d) += pf;
                        chain[u].push_back(d);
                    }
                if (mi >= 0) {
                    Purchase pu;
                    pu.amount = q.i64(3);
                    pu.refunded = q.i64(4);
                    pu.at = q.i64(2);
                    add_purchase(activity[static_cast<std::size_t>(mi)], month_index(civil_from_days(d)), pu);
                    auto& mu = units[static_cast<std::size_t>(mi)];
                    for (int u : su)
                        if (std::find(mu.begin(), mu.end(), u) == mu.end()) mu.push_back(u);
                }
            }
            flush();
        }
        for (std::size_t i = 0; i < ids.size(); ++i)
            for (int u : units[i]) {
                at(u, joined_day[i]).v[facts::joined] += 1;
                if (erased_day[i]) at(u, *erased_day[i]).v[facts::erased] += 1;
            }
        auto member_units_of = [&](std::int64_t m) -> const std::vector<int>* {
            const auto i = index_of(m);
            return i >= 0 ? &units[static_cast<std::size_t>(i)] : nullptr;
        };
        {
            Q q(c_, "SELECT member_id, type, points, created_at FROM ledger");
            std::int64_t cur = -1;
            const std::vector<int>* mu = nullptr;
            Progress progress("report facts: ledger rows read", 0, kReportRows);
            while (q.next()) {
                progress.advance();
                if (q.i64(0) != cur) {
                    cur = q.i64(0);
                    mu = member_units_of(cur);
                }
                auto t = entry_type_from_string(q.str(1));
                if (!mu || !t) continue;
                const auto f = facts::entry_facts(*t, q.i64(2));
                const auto d = day(q.i64(3));
                for (int u : *mu) at(u, d) += f;
            }
        }
        {
            Q q(c_, "SELECT member_id, issued_at, CASE WHEN state = 'used' THEN used_at END FROM coupons");
            while (q.next()) {
                const auto* mu = member_units_of(q.i64(0));
                if (!mu) continue;
                for (int u : *mu) {
                    at(u, day(q.i64(1))).v[facts::coupons_issued] += 1;
                    if (!q.null(2)) at(u, day(q.i64(2))).v[facts::coupons_used] += 1;
                }
            }
        }
        {
            Q q(c_, "SELECT member_id, store, rating, product, service, environment, created_at FROM feedback");
            auto score = [&](int c) { return q.null(c) ? std::nullopt : std::optional<int>(q.i32(c)); };
            while (q.next()) {
                const std::string store = q.str(1);
                const auto f = facts::answer_facts(q.i32(2), score(3), score(4), score(5));
                const auto d = day(q.i64(6));
                const auto* us = store.empty() ? member_units_of(q.i64(0)) : &units_of(store);
                if (us)
                    for (int u : *us) at(u, d) += f;
            }
        }
        for (std::size_t i = 0; i < ids.size(); ++i)
            for (int u : units[i]) {
                Q q(c_, "INSERT INTO member_units (member_id, unit) VALUES (?, ?)");
                q.args(ids[i], names[static_cast<std::size_t>(u)]);
                q.run();
            }
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (erased_day[i]) continue;
            insert_activity(ids[i], joined_day[i], activity[i]);
        }
        for (const auto& [k, f] : days) write_facts(names[static_cast<std::size_t>(k >> 32)], k & 0xffffffff, f);
        for (const auto& [u, g] : gaps) add_gaps(names[static_cast<std::size_t>(u)], g);
        Q q(c_, "INSERT INTO report_facts_meta (id, zone, built_at) VALUES (1, ?, ?)");
        q.args(zone_->name(), now);
        q.run();
        if (ids.size() >= 100000)
            std::fprintf(stderr, "report facts: built in %.1f s\n",
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }

    // ---- writes that return ids: INSERT ... RETURNING id (SQLite >= 3.35, PostgreSQL)
    std::int64_t insert_member(const NewMemberRecord& m) override {
        Q q(c_,
            "INSERT INTO members (phone, name, pin_hash, birthday, joined_at, tier_since, updated_at, joined_store) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        q.args(m.phone, m.name, m.pin_hash, date_text(m.birthday), m.joined_at, m.joined_at, m.joined_at,
               m.joined_store);
        q.next();
        const std::int64_t id = q.i64(0);
        if (facts_kept()) {
            facts::Facts j;
            j.v[facts::joined] = 1;
            forget_units(id);
            for (const auto& u : units_of_store(m.joined_store.value_or(""))) {
                Q mu(c_, "INSERT INTO member_units (member_id, unit) VALUES (?, ?)");
                mu.args(id, u);
                mu.run();
                add_facts(u, day_of(m.joined_at), j);
            }
            insert_activity(id, day_of(m.joined_at), MemberActivity{});
        }
        return id;
    }

    void save_snapshot(std::int64_t member_id, UnixSeconds horizon, const std::string& bytes) override {
        Q q(c_,
            "INSERT INTO member_snapshots (member_id, horizon, rev, bytes) "
            "SELECT id, CAST(? AS BIGINT), rev, CAST(? AS " +
                blob_type() +
                ") FROM members WHERE id = ? "
                "ON CONFLICT (member_id) DO UPDATE SET horizon = excluded.horizon, rev = excluded.rev, "
                "bytes = excluded.bytes");
        q.args(horizon, Blob{bytes}, member_id);
        q.run();
    }
    AppliedPlan apply_plan(std::int64_t member_id, const Plan& plan, const ProgramConfig& program,
                           UnixSeconds now) override {
        AppliedPlan out;
        for (const LotChange& lc : plan.lot_changes) {
            Q q(c_, "UPDATE lots SET remaining = ? WHERE id = ? AND member_id = ?");
            q.args(lc.remaining, lc.lot_id, member_id);
            q.run();
            if (q.changes() != 1)
                throw StoreError(StoreError::Kind::not_found,
                                 "lot " + std::to_string(lc.lot_id) + " of member " + std::to_string(member_id));
        }
        for (const Lot& l : plan.new_lots) {
            Q q(c_,
                "INSERT INTO lots (member_id, original, remaining, earned_at, available_at, expires_at, source) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
            q.args(member_id, l.original, l.remaining, l.earned_at, l.available_at, l.expires_at, l.source);
            q.next();
            out.lot_ids.push_back(q.i64(0));
        }
        for (const LedgerEntry& e : plan.entries) {
            Q q(c_,
                "INSERT INTO ledger (member_id, type, points, balance_after, reason_zh, reason_en, created_at, "
                "expires_at, store, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
            q.args(member_id, to_string(e.type), e.points, e.balance_after, e.reason.zh, e.reason.en, e.created_at,
                   e.expires_at, e.store, e.ref);
            q.next();
            LedgerEntry stored = e;
            stored.id = q.i64(0);
            if (facts_kept()) add_member_facts(member_id, e.created_at, facts::entry_facts(e.type, e.points));
            out.entries.push_back(std::move(stored));
        }
        for (const CouponIssue& ci : plan.coupons) out.coupons.push_back(insert_coupon(member_id, ci, program, now));
        if (!plan.coupons.empty() && facts_kept()) {
            facts::Facts f;
            f.v[facts::coupons_issued] = static_cast<std::int64_t>(plan.coupons.size());
            add_member_facts(member_id, now, f);
        }
        if (plan.tier_change) {
            const TierStatus& t = plan.tier_change->status;
            Q q(c_, "UPDATE members SET tier_id = ?, tier_since = ?, tier_valid_until = ? WHERE id = ?");
            q.args(t.tier_id, t.since, t.valid_until, member_id);
            q.run();
        }
        if (plan.purchase) {
            const Purchase& p = *plan.purchase;
            const bool kept = facts_kept();
            std::optional<Purchase> old;
            if (kept) {
                old = stored_purchase(member_id, p.txn_id);
                purchase_changes(member_id, p, old);
            }
            Q q(c_,
                "INSERT INTO purchases (member_id, txn_id, amount, refunded, at, store, points, tier_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (txn_id) DO UPDATE SET "
                "amount = excluded.amount, refunded = excluded.refunded, at = excluded.at, store = excluded.store, "
                "points = excluded.points, tier_id = excluded.tier_id WHERE purchases.member_id = excluded.member_id");
            q.args(member_id, p.txn_id, p.amount, p.refunded, p.at, p.store, p.points, p.tier_id);
            q.run();
            if (q.changes() != 1)
                throw StoreError(StoreError::Kind::unique_violation,
                                 "purchase " + p.txn_id + " belongs to another member");
            if (kept) activity_changes(member_id, old, p);
        }
        {
            Q q(c_,
                "UPDATE members SET debt = ?, lifetime_earned = ?, ledger_total = ?, updated_at = ?, rev = rev + 1 "
                "WHERE id = ?");
            q.args(plan.debt_after, plan.lifetime_earned_after, plan.ledger_total_after, now, member_id);
            q.run();
            if (q.changes() != 1) throw StoreError(StoreError::Kind::not_found, "member " + std::to_string(member_id));
        }
        {
            // Apart, and only when not already 0: setting an indexed column rewrites its index entry
            // (SQLite: one more page per write; PostgreSQL: no HOT update) even when the value stays.
            Q q(c_, "UPDATE members SET reach_due = 0 WHERE id = ? AND (reach_due IS NULL OR reach_due <> 0)");
            q.args(member_id);
            q.run();
        }
        for (const std::string& k : plan.new_issue_keys) {
            Q q(c_, "INSERT INTO issue_keys (member_id, key) VALUES (?, ?) ON CONFLICT DO NOTHING");
            q.args(member_id, k);
            q.run();
        }
        return out;
    }

    std::int64_t insert_redemption(const RedemptionRecord& r) override {
        std::int64_t id;
        {
            Q q(c_,
                "INSERT INTO redemptions (member_id, reward_id, points, coupon_id, created_at, balance_after) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
            q.args(r.member_id, r.reward_id, r.points,
                   r.coupon_id ? std::optional<std::int64_t>(r.coupon_id) : std::nullopt, r.created_at,
                   r.balance_after);
            q.next();
            id = q.i64(0);
        }
        Q q(c_,
            "INSERT INTO reward_stock (reward_id, redeemed) VALUES (?, 1) "
            "ON CONFLICT (reward_id) DO UPDATE SET redeemed = reward_stock.redeemed + 1");
        q.args(r.reward_id);
        q.run();
        return id;
    }

    // ---- stores, regions, POS keys, staff (domain.md §8)
    std::vector<RegionRecord> regions() override {
        Q q(c_, std::string("SELECT id, name, created_at FROM regions ORDER BY id") + bytewise());
        std::vector<RegionRecord> out;
        while (q.next()) out.push_back(RegionRecord{q.str(0), q.str(1), q.i64(2)});
        return out;
    }
    std::optional<RegionRecord> region_by_id(const std::string& id) override {
        Q q(c_, "SELECT id, name, created_at FROM regions WHERE id = ?");
        q.args(id);
        if (!q.next()) return std::nullopt;
        return RegionRecord{q.str(0), q.str(1), q.i64(2)};
    }
    std::vector<StoreRecord> stores() override {
        Q q(c_, std::string("SELECT id, name, region_id, created_at FROM stores ORDER BY id") + bytewise());
        std::vector<StoreRecord> out;
        while (q.next()) out.push_back(StoreRecord{q.str(0), q.str(1), q.str(2), q.i64(3)});
        return out;
    }
    std::optional<StoreRecord> store_by_id(const std::string& id) override {
        Q q(c_, "SELECT id, name, region_id, created_at FROM stores WHERE id = ?");
        q.args(id);
        if (!q.next()) return std::nullopt;
        return StoreRecord{q.str(0), q.str(1), q.str(2), q.i64(3)};
    }
    std::optional<PosKeyRecord> pos_key_by_hash(const std::string& key_hash) override {
        Q q(c_, std::string("SELECT ") + kPosKeyCols + "WHERE key_hash = ?");
        q.args(key_hash);
        if (!q.next()) return std::nullopt;
        return pos_key_from(q);
    }
    std::vector<PosKeyRecord> pos_keys_of(const std::string& store_id) override {
        Q q(c_, std::string("SELECT ") + kPosKeyCols + "WHERE store_id = ? ORDER BY created_at, id");
        q.args(store_id);
        std::vector<PosKeyRecord> out;
        while (q.next()) out.push_back(pos_key_from(q));
        return out;
    }
    std::optional<StaffRecord> staff_by_id(std::int64_t id) override {
        Q q(c_, std::string("SELECT ") + kStaffCols + "WHERE id = ?");
        q.args(id);
        if (!q.next()) return std::nullopt;
        return staff_from(q);
    }
    void lock_staff_limits(std::int64_t staff_id) override { lock_key("staff_limits", std::to_string(staff_id)); }
    std::optional<StaffRecord> staff_by_username(const std::string& username) override {
        lock_key("staff", username);  // serialises "is this username taken?" + insert
        Q q(c_, std::string("SELECT ") + kStaffCols + "WHERE username = ?");
        q.args(username);
        if (!q.next()) return std::nullopt;
        return staff_from(q);
    }
    std::vector<StaffRecord> staff_list() override {
        Q q(c_, std::string("SELECT ") + kStaffCols + "ORDER BY id");
        std::vector<StaffRecord> out;
        while (q.next()) out.push_back(staff_from(q));
        return out;
    }
    std::optional<StaffSessionRecord> staff_session(const std::string& token_hash) override {
        Q q(c_,
            "SELECT token_hash, staff_id, created_at, last_seen, expires_at FROM staff_sessions WHERE token_hash = ?");
        q.args(token_hash);
        if (!q.next()) return std::nullopt;
        return StaffSessionRecord{q.str(0), q.i64(1), q.i64(2), q.i64(3), q.i64(4)};
    }
    int staff_login_failures_since(const std::string& username, UnixSeconds since) override {
        lock_key("staff_login", username);
        Q q(c_, "SELECT count(*) FROM staff_login_failures WHERE username = ? AND at > ?");
        q.args(username, since);
        q.next();
        return q.i32(0);
    }
    std::vector<AuditRecord> audit_query(const AuditFilter& f) override {
        std::string sql = std::string("SELECT ") + kAuditCols + "WHERE 1 = 1";
        if (f.member_id) sql += " AND member_id = ?";
        if (f.staff_id) sql += " AND actor_kind = 'staff' AND actor_id = ?";
        if (f.store) sql += " AND store = ?";
        if (f.action) sql += " AND action = ?";
        if (f.from) sql += " AND at >= ?";
        if (f.to) sql += " AND at <= ?";
        if (f.before_id) sql += " AND id < ?";
        if (f.stores) {
            if (f.stores->empty() && !f.own_staff_id && !f.storeless) return {};
            sql += " AND (0 = 1";
            if (!f.stores->empty()) sql += " OR store IN (" + placeholders(f.stores->size()) + ")";
            if (f.own_staff_id) sql += " OR (actor_kind = 'staff' AND actor_id = ?)";
            if (f.storeless) sql += " OR store = ''";
            sql += ")";
        }
        sql += " ORDER BY id DESC LIMIT ?";
        Q q(c_, sql);
        if (f.member_id) q.bind(*f.member_id);
        if (f.staff_id) q.bind(std::to_string(*f.staff_id));
        if (f.store) q.bind(*f.store);
        if (f.action) q.bind(*f.action);
        if (f.from) q.bind(*f.from);
        if (f.to) q.bind(*f.to);
        if (f.before_id) q.bind(*f.before_id);
        if (f.stores) {
            for (const auto& st : *f.stores) q.bind(st);
            if (f.own_staff_id) q.bind(std::to_string(*f.own_staff_id));
        }
        q.bind(f.limit);
        std::vector<AuditRecord> out;
        while (q.next()) out.push_back(audit_from(q));
        return out;
    }
    std::vector<MemberRecord> members_of_stores(const std::vector<std::string>& stores,
                                                std::optional<std::int64_t> after_id, int limit) override {
        if (stores.empty()) return {};
        const std::string in = "(" + placeholders(stores.size()) + ")";
        Q q(c_, std::string("SELECT ") + kMemberCols + "WHERE id > ? AND erased_at IS NULL AND (joined_store IN " + in +
                    " OR id IN (SELECT member_id FROM purchases WHERE store IN " + in + ")) ORDER BY id LIMIT ?");
        q.bind(after_id.value_or(0));
        for (const auto& st : stores) q.bind(st);
        for (const auto& st : stores) q.bind(st);
        q.bind(limit);
        std::vector<MemberRecord> out;
        while (q.next()) out.push_back(member_from(q));
        return out;
    }
    bool member_in_stores(std::int64_t member_id, const std::vector<std::string>& stores) override {
        if (stores.empty()) return false;
        const std::string in = "(" + placeholders(stores.size()) + ")";
        Q q(c_, "SELECT (SELECT count(*) FROM members WHERE id = ? AND joined_store IN " + in +
                    ") + (SELECT count(*) FROM purchases WHERE member_id = ? AND store IN " + in + ")");
        q.bind(member_id);
        for (const auto& st : stores) q.bind(st);
        q.bind(member_id);
        for (const auto& st : stores) q.bind(st);
        q.next();
        return q.i64(0) > 0;
    }

    ReportRows report_rows(const ReportQuery& rq) override {
        ReportRows out;
        if (rq.stores && rq.stores->empty()) return out;
        // Members in scope: joined at or bought at one of the stores (as members_of_stores).
        std::string in, in_scope = "1 = 1";
        auto bind_scope = [&](Q& q) {
            if (!rq.stores) return;
            for (const auto& st : *rq.stores) q.bind(st);
            for (const auto& st : *rq.stores) q.bind(st);
        };
        if (rq.stores) {
            in = "(" + placeholders(rq.stores->size()) + ")";
            in_scope = "(member_id IN (SELECT id FROM members WHERE joined_store IN " + in +
                       ") OR member_id IN (SELECT member_id FROM purchases WHERE store IN " + in + "))";
        }
        {
            std::string sql = "SELECT id, joined_at, erased_at FROM members WHERE joined_at < ?";
            if (rq.stores)
                sql += " AND (joined_store IN " + in + " OR id IN (SELECT member_id FROM purchases WHERE store IN " +
                       in + "))";
            Q q(c_, sql);
            q.bind(rq.to);
            bind_scope(q);
            while (q.next()) out.members.push_back({q.i64(0), q.i64(1), q.opt(2)});
        }
        {
            std::string sql = "SELECT member_id, at, amount, refunded FROM purchases WHERE at >= ? AND at < ?";
            if (rq.stores) sql += " AND store IN " + in;
            Q q(c_, sql);
            q.args(rq.prev_from, rq.to);
            if (rq.stores)
                for (const auto& st : *rq.stores) q.bind(st);
            while (q.next()) out.purchases.push_back({q.i64(0), q.i64(1), q.i64(2), q.i64(3)});
        }
        {
            Q q(c_,
                "SELECT type, points, created_at FROM ledger WHERE created_at >= ? AND created_at < ? AND " + in_scope);
            q.args(rq.from, rq.to);
            bind_scope(q);
            while (q.next()) {
                auto t = entry_type_from_string(q.str(0));
                if (t) out.entries.push_back({*t, q.i64(1), q.i64(2)});
            }
        }
        {
            Q q(c_, "SELECT COALESCE(sum(points), 0) FROM ledger WHERE created_at < ? AND " + in_scope);
            q.bind(rq.to);
            bind_scope(q);
            if (q.next()) out.liability_at_end = q.i64(0);
        }
        {
            Q q(c_,
                "SELECT issued_at, CASE WHEN state = 'used' THEN used_at END FROM coupons WHERE ((issued_at >= ? AND "
                "issued_at < ?) OR (used_at >= ? AND used_at < ?)) AND " +
                    in_scope);
            q.args(rq.from, rq.to, rq.from, rq.to);
            bind_scope(q);
            while (q.next()) out.coupons.push_back({q.i64(0), q.opt(1)});
        }
        {
            std::string sql =
                "SELECT rating, product, service, environment, created_at FROM feedback WHERE created_at >= ? AND "
                "created_at < ?";
            if (rq.stores) sql += " AND (store IN " + in + " OR (store = '' AND " + in_scope + "))";
            Q q(c_, sql);
            q.args(rq.from, rq.to);
            if (rq.stores)
                for (const auto& st : *rq.stores) q.bind(st);
            bind_scope(q);
            auto score = [&](int c) { return q.null(c) ? std::nullopt : std::optional<int>(q.i32(c)); };
            while (q.next()) out.answers.push_back({q.i32(0), score(1), score(2), score(3), q.i64(4)});
        }
        return out;
    }

    std::vector<AtRiskRow> at_risk(const std::optional<std::vector<std::string>>& stores, UnixSeconds last_from,
                                   UnixSeconds last_before, int limit) override {
        if (stores && stores->empty()) return {};
        // With the report facts built, the activity rows of the scope's unit answer it.
        if (zone_ && report_facts_ready(zone_->name())) {
            const std::string unit = unit_of_stores(stores);
            if (!unit.empty()) {
                Q q(c_,
                    "SELECT member_id, last_spend_at, spend, purchases FROM member_activity WHERE last_spend_at >= ? "
                    "AND last_spend_at < ?" +
                        std::string(unit == "*" ? ""
                                                : " AND member_id IN (SELECT member_id FROM member_units WHERE "
                                                  "unit = ?)") +
                        " ORDER BY spend DESC, member_id LIMIT ?");
                q.args(last_from, last_before);
                if (unit != "*") q.bind(unit);
                q.bind(limit);
                std::vector<AtRiskRow> out;
                while (q.next()) out.push_back({q.i64(0), q.i64(1), q.i64(2), q.i64(3)});
                return out;
            }
        }
        std::string sql =
            "SELECT p.member_id, p.last_at, p.spend, p.n FROM (SELECT member_id, max(CASE WHEN refunded < amount THEN "
            "at END) AS last_at, sum(amount - refunded) AS spend, count(*) AS n FROM purchases GROUP BY member_id) p "
            "JOIN members m ON m.id = p.member_id WHERE m.erased_at IS NULL AND p.last_at >= ? AND p.last_at < ?";
        if (stores) {
            const std::string in = "(" + placeholders(stores->size()) + ")";
            sql += " AND (m.joined_store IN " + in + " OR m.id IN (SELECT member_id FROM purchases WHERE store IN " +
                   in + "))";
        }
        sql += " ORDER BY p.spend DESC, p.member_id LIMIT ?";
        Q q(c_, sql);
        q.args(last_from, last_before);
        if (stores) {
            for (const auto& st : *stores) q.bind(st);
            for (const auto& st : *stores) q.bind(st);
        }
        q.bind(limit);
        std::vector<AtRiskRow> out;
        while (q.next()) out.push_back({q.i64(0), q.i64(1), q.i64(2), q.i64(3)});
        return out;
    }

    void insert_region(const RegionRecord& r) override {
        Q q(c_, "INSERT INTO regions (id, name, created_at) VALUES (?, ?, ?)");
        q.args(r.id, r.name, r.created_at);
        q.run();
    }
    void insert_store(const StoreRecord& st) override {
        Q q(c_, "INSERT INTO stores (id, name, region_id, created_at) VALUES (?, ?, ?, ?)");
        q.args(st.id, st.name, st.region_id, st.created_at);
        q.run();
        // A store with history that joins a region brings it into the region's facts: built anew.
        if (!st.region_id.empty() && facts_kept()) {
            Q h(c_,
                "SELECT CASE WHEN EXISTS (SELECT 1 FROM purchases WHERE store = ?) OR EXISTS (SELECT 1 FROM members "
                "WHERE joined_store = ?) OR EXISTS (SELECT 1 FROM feedback WHERE store = ?) THEN 1 ELSE 0 END");
            h.args(st.id, st.id, st.id);
            if (h.next() && h.i64(0) != 0) rebuild_report_facts(st.created_at);
        }
    }
    void insert_pos_key(const PosKeyRecord& k) override {
        Q q(c_, "INSERT INTO pos_keys (id, store_id, key_hash, created_at) VALUES (?, ?, ?, ?)");
        q.args(k.id, k.store_id, k.key_hash, k.created_at);
        q.run();
    }
    bool revoke_pos_key(const std::string& id, UnixSeconds now) override {
        Q q(c_, "UPDATE pos_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
        q.args(now, id);
        q.run();
        return q.changes() == 1;
    }
    std::int64_t insert_staff(const StaffRecord& st) override {
        Q q(c_,
            "INSERT INTO staff (username, name, password_hash, role, store_id, region_id, disabled, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        q.args(st.username, st.name, st.password_hash, st.role, st.store_id, st.region_id,
               static_cast<std::int64_t>(st.disabled ? 1 : 0), st.created_at, st.created_at);
        q.next();
        return q.i64(0);
    }
    void update_staff(const StaffRecord& st, UnixSeconds now) override {
        Q q(c_,
            "UPDATE staff SET name = ?, password_hash = ?, role = ?, store_id = ?, region_id = ?, disabled = ?, "
            "updated_at = ? WHERE id = ?");
        q.args(st.name, st.password_hash, st.role, st.store_id, st.region_id,
               static_cast<std::int64_t>(st.disabled ? 1 : 0), now, st.id);
        q.run();
        if (q.changes() != 1) throw StoreError(StoreError::Kind::not_found, "staff " + std::to_string(st.id));
    }
    void insert_staff_session(const StaffSessionRecord& se) override {
        Q q(c_,
            "INSERT INTO staff_sessions (token_hash, staff_id, created_at, last_seen, expires_at) "
            "VALUES (?, ?, ?, ?, ?)");
        q.args(se.token_hash, se.staff_id, se.created_at, se.last_seen, se.expires_at);
        q.run();
    }
    void touch_staff_session(const std::string& token_hash, UnixSeconds last_seen) override {
        Q q(c_, "UPDATE staff_sessions SET last_seen = ? WHERE token_hash = ? AND last_seen < ?");
        q.args(last_seen, token_hash, last_seen);
        q.run();
    }
    void delete_staff_session(const std::string& token_hash) override {
        Q q(c_, "DELETE FROM staff_sessions WHERE token_hash = ?");
        q.args(token_hash);
        q.run();
    }
    void delete_staff_sessions(std::int64_t staff_id) override {
        Q q(c_, "DELETE FROM staff_sessions WHERE staff_id = ?");
        q.args(staff_id);
        q.run();
    }
    void add_staff_login_failure(const std::string& username, UnixSeconds at) override {
        lock_key("staff_login", username);
        Q q(c_, "INSERT INTO staff_login_failures (username, at) VALUES (?, ?)");
        q.args(username, at);
        q.run();
    }
    void clear_staff_login_failures(const std::string& username) override {
        lock_key("staff_login", username);
        Q q(c_, "DELETE FROM staff_login_failures WHERE username = ?");
        q.args(username);
        q.run();
    }

    // Report-fact deltas not written yet, summed per (unit, day). The store moves a committed
    // write's into the batch's and writes them before the commit (flush_facts); a write that fails
    // drops its own with it.
    using PendingFacts = std::map<std::pair<std::string, std::int64_t>, facts::Facts>;
    PendingFacts& pending_facts() { return pending_facts_; }
    void flush_facts() {
        for (const auto& [key, f] : pending_facts_) write_facts(key.first, key.second, f);
        pending_facts_.clear();
    }

protected:
    SqlTx(Conn& c, const std::function<std::string()>& code_gen) : SelfSql<Q, Conn>(c), c_(c), code_gen_(code_gen) {}

    static std::string placeholders(std::size_t n) {
        std::string out;
        for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
        return out;
    }

    // " FOR UPDATE" where the backend locks the rows a write transaction decides on; "" if it needs
    // none (SQLite: one writer at a time).
    std::string for_update() const override { return ""; }
    // Serialises decisions on a logical key across processes (PostgreSQL: advisory lock).
    void lock_key(const std::string& kind, const std::string& key) override {
        (void)kind;
        (void)key;
    }
    // ORDER BY suffix for byte order of text (SQLite compares bytes already).
    virtual std::string bytewise() const { return ""; }
    // The column type of bytes (a parameter in a SELECT list needs a cast to it in PostgreSQL).
    virtual std::string blob_type() const { return "BLOB"; }

    void load_issue_keys(MemberState& s, std::int64_t member_id) {
        Q q(c_, std::string("SELECT key FROM issue_keys WHERE member_id = ? ORDER BY key") + bytewise());
        q.args(member_id);
        while (q.next()) s.issue_keys.push_back(q.str(0));
    }
    void load_scalars(MemberState& s, std::int64_t member_id) {
        s.member_id = member_id;
        {
            // In a PostgreSQL write transaction this row lock (for_update) serialises every writer of
            // this member's points, lots, coupons and purchases across processes; the rest follows it.
            Q q(c_,
                "SELECT joined_at, birthday, tier_id, tier_since, tier_valid_until, debt, lifetime_earned, "
                "ledger_total FROM members WHERE id = ?" +
                    for_update());
            q.args(member_id);
            if (!q.next()) throw StoreError(StoreError::Kind::not_found, "member " + std::to_string(member_id));
            s.joined_at = q.i64(0);
            s.birthday = date_from(q, 1);
            s.tier.tier_id = q.str(2);
            s.tier.since = q.i64(3);
            s.tier.valid_until = q.opt(4);
            s.debt = q.i64(5);
            s.lifetime_earned = q.i64(6);
            s.ledger_total = q.i64(7);
        }
    }

    // A coupon of `ci` under a fresh random code.
    Coupon insert_coupon(std::int64_t member_id, const CouponIssue& ci, const ProgramConfig& program, UnixSeconds now) {
        const CouponTemplate* t = program.coupon_template(ci.template_id);
        if (!t) throw StoreError(StoreError::Kind::not_found, "coupon template " + ci.template_id);
        Coupon c;
        c.template_id = ci.template_id;
        c.terms = *t;
        c.source = ci.source;
        c.state = CouponState::available;
        c.valid_from = ci.valid_from;
        c.valid_until = ci.valid_until;
        c.issued_at = now;
        // 50-bit random codes: a collision is rare; retry with a fresh code when it happens.
        for (int attempt = 0; attempt < 32; ++attempt) {
            c.code = code_gen_();
            Q q(c_,
                "INSERT INTO coupons (member_id, code, template_id, kind, amount, threshold, percent_off, "
                "max_discount, item_zh, item_en, scope_zh, scope_en, min_spend, stores, validity_days, validity_eom, "
                "source, state, valid_from, valid_until, issued_at, reason_zh, reason_en, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (code) DO NOTHING RETURNING id");
            q.args(member_id, c.code, c.template_id, to_string(t->kind), t->amount, t->threshold, t->percent_off,
                   t->max_discount, t->item.zh, t->item.en, t->scope.zh, t->scope.en, t->min_spend,
                   join_lines(t->stores), t->validity.days, t->validity.end_of_month, to_string(c.source),
                   to_string(c.state), c.valid_from, c.valid_until, c.issued_at, ci.reason.zh, ci.reason.en, now);
            if (q.next()) {
                c.id = q.i64(0);
                return c;
            }
        }
        throw StoreError(StoreError::Kind::unique_violation, "could not generate a unique coupon code");
    }

    // ---- report facts upkeep (report_facts.hpp): every write that changes a figure adds its delta.
    const ZoneRules* zone_ = nullptr;
    PendingFacts pending_facts_;
    std::map<std::int64_t, std::vector<std::string>> units_of_member_;
    bool stale_marked_ = false;

    std::int64_t day_of(UnixSeconds t) const { return days_from_civil(zone_->local_date(t)); }
    // Without a zone no delta can be placed on a local day: the facts go stale until rebuilt.
    bool facts_kept() {
        if (zone_) return true;
        if (!stale_marked_) {
            Q(c_, "DELETE FROM report_facts_meta").run();
            stale_marked_ = true;
        }
        return false;
    }
    // A write's report-fact deltas are summed per (unit, day) and written once, when the store ends
    // the write (flush_facts): a purchase's points and its spend land on the same rows, and the
    // writes of one SQLite batch share them too.
    void add_facts(const std::string& unit, std::int64_t day, const facts::Facts& f) {
        if (f.empty()) return;
        pending_facts_[{unit, day}] += f;
    }
    void write_facts(const std::string& unit, std::int64_t day, const facts::Facts& f) {
        if (f.empty()) return;
        static const std::string sql = [] {
            std::string cols, vals, set;
            for (int i = 0; i < facts::kCols; ++i) {
                const std::string c = facts::kColNames[i];
                cols += ", " + c;
                vals += ", ?";
                set += std::string(i ? ", " : "") + c + " = unit_day_facts." + c + " + excluded." + c;
            }
            return "INSERT INTO unit_day_facts (unit, day" + cols + ") VALUES (?, ?" + vals +
                   ") ON CONFLICT (unit, day) DO UPDATE SET " + set;
        }();
        Q q(c_, sql);
        q.args(unit, day);
        for (std::int64_t v : f.v) q.bind(v);
        q.run();
    }
    void add_gaps(const std::string& unit, const facts::Gaps& g) {
        for (const auto& [k, n] : g) {
            if (n == 0) continue;
            Q q(c_,
                "INSERT INTO unit_visit_gaps (unit, day, gap1, gap2, n) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (unit, day, gap1, gap2) DO UPDATE SET n = unit_visit_gaps.n + excluded.n");
            q.args(unit, std::get<0>(k), std::get<1>(k), std::get<2>(k), n);
            q.run();
        }
    }
    std::string region_of_store(const std::string& store) {
        if (store.empty()) return {};
        Q q(c_, "SELECT region_id FROM stores WHERE id = ?");
        q.args(store);
        return q.next() ? q.str(0) : std::string();
    }
    std::vector<std::string> units_of_store(const std::string& store) {
        return facts::store_units(store, region_of_store(store));
    }
    // Cached for the transaction: every insert into member_units goes through forget_units.
    const std::vector<std::string>& member_units(std::int64_t member_id) {
        auto it = units_of_member_.find(member_id);
        if (it != units_of_member_.end()) return it->second;
        Q q(c_, "SELECT unit FROM member_units WHERE member_id = ? ORDER BY unit");
        q.args(member_id);
        std::vector<std::string> out;
        while (q.next()) out.push_back(q.str(0));
        return units_of_member_.emplace(member_id, std::move(out)).first->second;
    }
    void forget_units(std::int64_t member_id) { units_of_member_.erase(member_id); }
    void add_member_facts(std::int64_t member_id, UnixSeconds at, const facts::Facts& f) {
        if (f.empty()) return;
        const auto d = day_of(at);
        for (const auto& u : member_units(member_id)) add_facts(u, d, f);
    }
    // A member now counts in `unit` too: everything of theirs that counts by member goes there.
    void member_joins_unit(std::int64_t member_id, const std::string& unit) {
        forget_units(member_id);
        {
            Q q(c_, "INSERT INTO member_units (member_id, unit) VALUES (?, ?)");
            q.args(member_id, unit);
            q.run();
        }
        std::map<std::int64_t, facts::Facts> by_day;
        {
            Q q(c_, "SELECT joined_at, erased_at FROM members WHERE id = ?");
            q.args(member_id);
            if (q.next()) {
                by_day[day_of(q.i64(0))].v[facts::joined] += 1;
                if (!q.null(1)) by_day[day_of(q.i64(1))].v[facts::erased] += 1;
            }
        }
        {
            Q q(c_, "SELECT type, points, created_at FROM ledger WHERE member_id = ?");
            q.args(member_id);
            while (q.next())
                if (auto t = entry_type_from_string(q.str(0)))
                    by_day[day_of(q.i64(2))] += facts::entry_facts(*t, q.i64(1));
        }
        {
            Q q(c_, "SELECT issued_at, CASE WHEN state = 'used' THEN used_at END FROM coupons WHERE member_id = ?");
            q.args(member_id);
            while (q.next()) {
                by_day[day_of(q.i64(0))].v[facts::coupons_issued] += 1;
                if (!q.null(1)) by_day[day_of(q.i64(1))].v[facts::coupons_used] += 1;
            }
        }
        {
            Q q(c_,
                "SELECT rating, product, service, environment, created_at FROM feedback WHERE member_id = ? AND "
                "store = ''");
            q.args(member_id);
            auto score = [&](int c) { return q.null(c) ? std::nullopt : std::optional<int>(q.i32(c)); };
            while (q.next()) by_day[day_of(q.i64(4))] += facts::answer_facts(q.i32(0), score(1), score(2), score(3));
        }
        for (const auto& [d, f] : by_day) add_facts(unit, d, f);
    }
    // The member's visit days in `unit` (purchases not fully refunded at the unit's stores).
    std::vector<std::int64_t> visit_days(std::int64_t member_id, const std::string& unit) {
        return visit_days_where(member_id, unit, "", std::nullopt);
    }
    // Visit days of the member in `unit` (member_id, then the unit's store or region, then `at` if
    // given are bound in that order), with `more` appended to the WHERE clause.
    std::vector<std::int64_t> visit_days_where(std::int64_t member_id, const std::string& unit, const std::string& more,
                                               std::optional<UnixSeconds> at) {
        std::string sql = "SELECT at FROM purchases WHERE member_id = ? AND refunded < amount";
        if (unit.rfind("s:", 0) == 0) sql += " AND store = ?";
        if (unit.rfind("r:", 0) == 0) sql += " AND store IN (SELECT id FROM stores WHERE region_id = ?)";
        Q q(c_, sql + more);
        q.bind(member_id);
        if (unit != "*") q.bind(unit.substr(2));
        if (at) q.bind(*at);
        std::vector<std::int64_t> out;
        while (q.next()) out.push_back(day_of(q.i64(0)));
        return out;
    }
    // Up to two visit days in `unit` at or before `at` and up to two after it, each ascending.
    std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>> visit_neighbours(std::int64_t member_id,
                                                                                     const std::string& unit,
                                                                                     UnixSeconds at) {
        auto before = visit_days_where(member_id, unit, " AND at <= ? ORDER BY at DESC LIMIT 2", at);
        std::reverse(before.begin(), before.end());
        return {before, visit_days_where(member_id, unit, " AND at > ? ORDER BY at LIMIT 2", at)};
    }
    // Before a purchase is inserted or updated: its spend and visit move, its store may be new to
    // the member, and the member's visit chains of the stores' units change.
    std::optional<Purchase> stored_purchase(std::int64_t member_id, const std::string& txn_id) {
        Q q(c_, "SELECT amount, refunded, at, store FROM purchases WHERE txn_id = ? AND member_id = ?");
        q.args(txn_id, member_id);
        if (!q.next()) return std::nullopt;
        Purchase o;
        o.txn_id = txn_id;
        o.amount = q.i64(0);
        o.refunded = q.i64(1);
        o.at = q.i64(2);
        o.store = q.str(3);
        return o;
    }
    void purchase_changes(std::int64_t member_id, const Purchase& p, const std::optional<Purchase>& old) {
        const auto new_units = units_of_store(p.store);
        if (!p.store.empty()) {
            const std::vector<std::string> have = member_units(member_id);  // a copy: joining forgets it
            for (const auto& u : new_units)
                if (!std::binary_search(have.begin(), have.end(), u)) member_joins_unit(member_id, u);
        }
        std::vector<std::string> touched = new_units;
        if (old) {
            const auto old_units = units_of_store(old->store);
            const auto f = facts::purchase_facts(old->amount, old->refunded);
            facts::Facts neg;
            for (int i = 0; i < facts::kCols; ++i) neg.v[i] = -f.v[i];
            for (const auto& u : old_units) {
                add_facts(u, day_of(old->at), neg);
                if (std::find(touched.begin(), touched.end(), u) == touched.end()) touched.push_back(u);
            }
        }
        for (const auto& u : new_units) add_facts(u, day_of(p.at), facts::purchase_facts(p.amount, p.refunded));
        const bool old_visit = old && old->refunded < old->amount;
        const bool new_visit = p.refunded < p.amount;
        if (!old) {
            // A new purchase (the common write): only its neighbours' gap rows change.
            if (!new_visit) return;
            for (const auto& u : new_units) {
                auto [before, after] = visit_neighbours(member_id, u, p.at);
                facts::Gaps g;
                facts::add_visit(g, before, day_of(p.at), after);
                add_gaps(u, g);
            }
            return;
        }
        for (const auto& u : touched) {
            auto before = visit_days(member_id, u);
            auto after = before;
            if (old_visit) {
                const auto ou = units_of_store(old->store);
                if (std::find(ou.begin(), ou.end(), u) != ou.end()) {
                    auto it = std::find(after.begin(), after.end(), day_of(old->at));
                    if (it != after.end()) after.erase(it);
                }
            }
            if (new_visit && std::find(new_units.begin(), new_units.end(), u) != new_units.end())
                after.push_back(day_of(p.at));
            facts::Gaps g;
            facts::add_chain(g, before, -1);
            facts::add_chain(g, after, 1);
            add_gaps(u, g);
        }
    }

    // ---- member activity (segments.hpp MemberActivity): one row per member not erased, kept with
    // the report facts. After a purchase is inserted or changed: folded, or computed anew from the
    // member's purchases when the fold cannot follow (fold_purchase).
    void activity_changes(std::int64_t member_id, const std::optional<Purchase>& old, const Purchase& p) {
        auto a = member_activity(member_id);
        if (a && fold_purchase(*a, *zone_, old, p)) {
            save_activity(member_id, *a);
            return;
        }
        std::optional<std::int64_t> joined_day;
        {
            Q q(c_, "SELECT joined_at FROM members WHERE id = ? AND erased_at IS NULL");
            q.args(member_id);
            if (q.next()) joined_day = day_of(q.i64(0));
        }
        if (!joined_day) return;
        std::vector<Purchase> all;
        {
            Q q(c_, "SELECT amount, refunded, at FROM purchases WHERE member_id = ?");
            q.args(member_id);
            while (q.next()) {
                Purchase x;
                x.amount = q.i64(0);
                x.refunded = q.i64(1);
                x.at = q.i64(2);
                all.push_back(std::move(x));
            }
        }
        if (a)
            save_activity(member_id, activity_of(*zone_, all));
        else
            insert_activity(member_id, *joined_day, activity_of(*zone_, all));
    }
    void insert_activity(std::int64_t member_id, std::int64_t joined_day, const MemberActivity& a) {
        Q q(c_,
            "INSERT INTO member_activity (member_id, joined_day, last_spend_at, last_day, month, m0, m1, m2, spend, "
            "purchases) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        std::optional<std::int64_t> last_day;
        if (a.last_spend_at) last_day = day_of(*a.last_spend_at);
        q.args(member_id, joined_day, a.last_spend_at, last_day, a.month, a.net[0], a.net[1], a.net[2], a.lifetime_net,
               a.purchases);
        q.run();
    }
    void save_activity(std::int64_t member_id, const MemberActivity& a) {
        Q q(c_,
            "UPDATE member_activity SET last_spend_at = ?, last_day = ?, month = ?, m0 = ?, m1 = ?, m2 = ?, spend = ?, "
            "purchases = ? WHERE member_id = ?");
        std::optional<std::int64_t> last_day;
        if (a.last_spend_at) last_day = day_of(*a.last_spend_at);
        q.args(a.last_spend_at, last_day, a.month, a.net[0], a.net[1], a.net[2], a.lifetime_net, a.purchases,
               member_id);
        q.run();
    }

    Conn& c_;
    const std::function<std::string()>& code_gen_;  // coupon codes
};

// Schema step 14 of both backends: the snapshot rows of step 11 (hex text of the fixed-width form,
// in member_snapshots_hex after the step's SQL) are written to the new member_snapshots in the
// compact binary form, in batches by member id, with progress on stderr for large databases. A row
// that does not decode is left out: the service builds it when it starts.
template <class Q, class Conn>
void convert_hex_snapshots(Conn& c) {
    std::int64_t total = 0;
    {
        Q q(c, "SELECT count(*) FROM member_snapshots_hex");
        q.next();
        total = q.i64(0);
    }
    struct Row {
        std::int64_t member_id = 0, horizon = 0, rev = 0;
        std::string bytes;
    };
    constexpr int kBatch = 1000;
    std::int64_t after = 0;
    Progress progress("member snapshots converted to the binary form", total);
    std::vector<Row> rows;
    std::string packed;
    for (;;) {
        rows.clear();
        {
            Q q(c,
                "SELECT member_id, horizon, rev, bytes FROM member_snapshots_hex WHERE member_id > ? "
                "ORDER BY member_id LIMIT ?");
            q.args(after, kBatch);
            while (q.next()) rows.push_back(Row{q.i64(0), q.i64(1), q.i64(2), hex_bytes(q.str(3))});
        }
        if (rows.empty()) break;
        for (const Row& r : rows) {
            auto s = decode_snapshot(r.bytes);
            if (!s) continue;
            packed = encode_snapshot(*s);
            Q q(c, "INSERT INTO member_snapshots (member_id, horizon, rev, bytes) VALUES (?, ?, ?, ?)");
            q.args(r.member_id, r.horizon, r.rev, Blob{packed});
            q.run();
        }
        after = rows.back().member_id;
        progress.advance(static_cast<std::int64_t>(rows.size()));
    }
    progress.finish();
}

// A schema step of either backend on a database of many members: announced on stderr before and
// timed after (most such steps are one statement over a big table -- an index, a copy -- with no
// count to report as they go). `current` is the schema version before the step.
template <class Q, class Conn>
Progress migration_progress(Conn& c, int current, int version, const char* name) {
    constexpr std::int64_t kLargeDatabase = 100000;
    std::int64_t members = 0;
    if (current >= 1) {  // step 1 creates the members table
        Q q(c, "SELECT count(*) FROM members");
        q.next();
        members = q.i64(0);
    }
    return Progress("schema step " + std::to_string(version) + " (" + name + ")", members, kLargeDatabase, "members");
}

}  // namespace memberdesk::server::sql
