// SqliteStore: the Store on one SQLite file (WAL, one writer, a pool of readers). The SQL both backends
// share is sql::SqlTx (storage/sql_tx.hpp); here are the schema, connections and group commit.
//
// Index of this file:
// [SECTION] Schema
// [SECTION] Connection and statement cache
// [SECTION] Transactions (SqliteTx)
// [SECTION] Read connection pool
// [SECTION] SqliteStore
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/store_rows.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <type_traits>
#include <unordered_map>

#include "service/crypto.hpp"
#include "storage/group_commit.hpp"
#include "storage/sql_tx.hpp"
#include "storage/sqlite/wal_write_buffer.hpp"

namespace memberdesk::server {
namespace {

// [SECTION] Schema
// Schema. Append new steps at the end; never edit a step that has shipped.
// A step's `sql` runs in one transaction with its schema_migrations row. Drops of tables and indexes
// that can be large do not: SQLite (3.40) fails a DROP of a few MB or more inside a transaction
// with SQLITE_FULL when statement journals may stay in memory beyond 64 KiB, as this server sets
// them (kStatementJournalSpillBytes); without a transaction a DROP needs no statement journal.
// `before` runs just before the step, `after` after it commits and again at every start, so both
// must be idempotent (IF EXISTS).
struct Migration {
    int version;
    const char* name;
    const char* sql;
    const char* before = nullptr;
    const char* after = nullptr;
};

const Migration kMigrations[] = {
    {1, "members_and_points", R"SQL(
CREATE TABLE members (
    id               INTEGER PRIMARY KEY,
    phone            TEXT    NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    pin_hash         TEXT    NOT NULL,
    birthday         TEXT,
    joined_at        INTEGER NOT NULL,
    tier_id          TEXT    NOT NULL DEFAULT '',
    tier_since       INTEGER NOT NULL DEFAULT 0,
    tier_valid_until INTEGER,
    debt             INTEGER NOT NULL DEFAULT 0,
    lifetime_earned  INTEGER NOT NULL DEFAULT 0,
    ledger_total     INTEGER NOT NULL DEFAULT 0,
    erased_at        INTEGER,
    updated_at       INTEGER NOT NULL
);
CREATE TABLE lots (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    original     INTEGER NOT NULL,
    remaining    INTEGER NOT NULL,
    earned_at    INTEGER NOT NULL,
    available_at INTEGER NOT NULL,
    expires_at   INTEGER,
    source       TEXT    NOT NULL,
    CHECK (remaining >= 0 AND remaining <= original)
);
CREATE INDEX lots_member ON lots(member_id, id);
CREATE TABLE ledger (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id),
    type          TEXT    NOT NULL,
    points        INTEGER NOT NULL,
    balance_after INTEGER NOT NULL,
    reason_zh     TEXT    NOT NULL,
    reason_en     TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER,
    store         TEXT    NOT NULL,
    ref           TEXT    NOT NULL
);
CREATE INDEX ledger_member_time ON ledger(member_id, created_at, id);
CREATE TABLE purchases (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    txn_id    TEXT    NOT NULL UNIQUE,
    amount    INTEGER NOT NULL,
    refunded  INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    store     TEXT    NOT NULL,
    points    INTEGER NOT NULL,
    tier_id   TEXT    NOT NULL
);
CREATE INDEX purchases_member ON purchases(member_id, at);
CREATE TABLE coupons (
    id                INTEGER PRIMARY KEY,
    member_id         INTEGER NOT NULL REFERENCES members(id),
    code              TEXT    NOT NULL UNIQUE,
    template_id       TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    amount            INTEGER NOT NULL,
    threshold         INTEGER NOT NULL,
    percent_off       INTEGER NOT NULL,
    max_discount      INTEGER NOT NULL,
    item_zh           TEXT    NOT NULL,
    item_en           TEXT    NOT NULL,
    scope_zh          TEXT    NOT NULL,
    scope_en          TEXT    NOT NULL,
    min_spend         INTEGER NOT NULL,
    stores            TEXT    NOT NULL,
    validity_days     INTEGER NOT NULL,
    validity_eom      INTEGER NOT NULL,
    source            TEXT    NOT NULL,
    state             TEXT    NOT NULL,
    valid_from        INTEGER NOT NULL,
    valid_until       INTEGER NOT NULL,
    issued_at         INTEGER NOT NULL,
    reason_zh         TEXT    NOT NULL,
    reason_en         TEXT    NOT NULL,
    used_at           INTEGER,
    used_txn          TEXT    NOT NULL DEFAULT '',
    used_store        TEXT    NOT NULL DEFAULT '',
    used_order_amount INTEGER NOT NULL DEFAULT 0,
    used_discount     INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX coupons_member ON coupons(member_id, id);
CREATE TABLE issue_keys (
    member_id INTEGER NOT NULL REFERENCES members(id),
    key       TEXT    NOT NULL,
    PRIMARY KEY (member_id, key)
) WITHOUT ROWID;
CREATE TABLE redemptions (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id),
    reward_id     TEXT    NOT NULL,
    points        INTEGER NOT NULL,
    coupon_id     INTEGER REFERENCES coupons(id),
    created_at    INTEGER NOT NULL,
    balance_after INTEGER NOT NULL
);
CREATE INDEX redemptions_member ON redemptions(member_id, created_at);
CREATE TABLE reward_stock (
    reward_id TEXT PRIMARY KEY,
    redeemed  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE idempotency (
    scope       TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    response    TEXT    NOT NULL,
    member_id   INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
)SQL"},
    {2, "auth", R"SQL(
CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    kind         TEXT    NOT NULL,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    kiosk_key_id TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_member ON sessions(member_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE TABLE login_failures (
    id    INTEGER PRIMARY KEY,
    phone TEXT    NOT NULL,
    at    INTEGER NOT NULL
);
CREATE INDEX login_failures_phone ON login_failures(phone, at);
CREATE INDEX login_failures_at ON login_failures(at);
CREATE TABLE member_codes (
    code_hash  TEXT    PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX member_codes_expiry ON member_codes(expires_at);
CREATE INDEX member_codes_member ON member_codes(member_id);
)SQL"},
    {3, "feedback_and_audit", R"SQL(
CREATE TABLE feedback (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment    TEXT    NOT NULL,
    actor_kind TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX feedback_member ON feedback(member_id, id);
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_kind TEXT    NOT NULL,
    actor_id   TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    member_id  INTEGER,
    detail     TEXT    NOT NULL
);
CREATE INDEX audit_member ON audit(member_id, id);
)SQL"},
    // rev: bumped by every write that changes what load_state returns for the member (lots,
    // purchases, coupons, issue keys, the member's scalars), in the same transaction -- the check
    // that lets a server reuse a member's state it loaded before, also across processes.
    {4, "member_revision", R"SQL(
ALTER TABLE members ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
)SQL"},
    // Stores, regions, per-store POS keys, staff accounts and their sessions (domain.md §8); the
    // audit names the person (actor_name) and the store an action was taken for.
    {5, "stores_and_staff", R"SQL(
CREATE TABLE regions (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE stores (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    region_id  TEXT    NOT NULL REFERENCES regions(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX stores_region ON stores(region_id, id);
CREATE TABLE pos_keys (
    id         TEXT    PRIMARY KEY,
    store_id   TEXT    NOT NULL REFERENCES stores(id),
    key_hash   TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX pos_keys_store ON pos_keys(store_id, id);
CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    store_id      TEXT    NOT NULL DEFAULT '',
    region_id     TEXT    NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE TABLE staff_sessions (
    token_hash TEXT    PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions(staff_id);
CREATE TABLE staff_login_failures (
    id       INTEGER PRIMARY KEY,
    username TEXT    NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX staff_login_failures_username ON staff_login_failures(username, at);
ALTER TABLE audit ADD COLUMN actor_name TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN store TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_actor ON audit(actor_kind, actor_id, id);
CREATE INDEX audit_store ON audit(store, id);
CREATE INDEX purchases_store_member ON purchases(store, member_id);
)SQL"},
    // One-time codes (sign-up, PIN reset), consent records and the message outbox / inbox (domain.md §7).
    {6, "members_self_service", R"SQL(
CREATE TABLE otp_codes (
    id             INTEGER PRIMARY KEY,
    phone          TEXT    NOT NULL,
    purpose        TEXT    NOT NULL,
    code_hash      TEXT    NOT NULL,
    client_address TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    tries          INTEGER NOT NULL,
    used_at        INTEGER
);
CREATE INDEX otp_codes_phone ON otp_codes(phone, purpose, id);
CREATE INDEX otp_codes_phone_time ON otp_codes(phone, created_at);
CREATE INDEX otp_codes_address ON otp_codes(client_address, created_at);
CREATE TABLE consents (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    purpose      TEXT    NOT NULL,
    granted      INTEGER NOT NULL,
    text_version TEXT    NOT NULL,
    channel      TEXT    NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX consents_member ON consents(member_id, id);
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    uid             TEXT    NOT NULL UNIQUE,
    member_id       INTEGER REFERENCES members(id),
    recipient       TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    template        TEXT    NOT NULL,
    locale          TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    params          TEXT    NOT NULL,
    inbox_text      TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    read_at         INTEGER,
    delivered_at    INTEGER,
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER,
    give_up_at      INTEGER NOT NULL,
    last_error      TEXT    NOT NULL
);
CREATE INDEX messages_member ON messages(member_id, id);
CREATE INDEX messages_recipient ON messages(recipient);
CREATE INDEX messages_due ON messages(next_attempt_at);
)SQL"},
    // Scheduled reach (domain.md §7): per member the next local day (days since 1970-01-01) on which
    // an occasion may be due -- 0 = recompute (set by every write that changes the member), NULL =
    // nothing ever due; one row per (member, kind, occasion) sent, written with its coupon and
    // message; and the local days whose run has finished.
    {7, "scheduled_reach", R"SQL(
ALTER TABLE members ADD COLUMN reach_due INTEGER DEFAULT 0;
CREATE INDEX members_reach_due ON members(reach_due);
CREATE TABLE reach_sent (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    kind        TEXT    NOT NULL,
    occasion    TEXT    NOT NULL,
    day         INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    subject     TEXT    NOT NULL,
    consent     TEXT    NOT NULL,
    message_id  INTEGER,
    coupon_id   INTEGER,
    UNIQUE (member_id, kind, occasion)
);
CREATE TABLE reach_days (
    day     INTEGER PRIMARY KEY,
    done_at INTEGER NOT NULL
);
)SQL"},
    // Offline member cards: one secret per signed-in device, sealed under the server's card key.
    {8, "card_devices", R"SQL(
CREATE TABLE card_devices (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    secret_box   TEXT    NOT NULL,
    session_hash TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX card_devices_member ON card_devices(member_id, id);
CREATE INDEX card_devices_session ON card_devices(session_hash);
)SQL"},
    // The store a member joined at (domain.md §8: a member belongs to the stores where they joined
    // or bought); members from before this step count as joined where they first bought.
    {9, "joined_store", R"SQL(
ALTER TABLE members ADD COLUMN joined_store TEXT;
UPDATE members SET joined_store = (SELECT p.store FROM purchases p WHERE p.member_id = members.id AND p.store <> ''
                                   ORDER BY p.at, p.id LIMIT 1);
CREATE INDEX members_joined_store ON members(joined_store, id);
)SQL"},
    // Referral (domain.md §7): each member's code (made when first asked for), and one row per new
    // member who signed up with a code, settled by their first purchase in its write transaction.
    {10, "referrals", R"SQL(
CREATE TABLE referral_codes (
    member_id  INTEGER PRIMARY KEY REFERENCES members(id),
    code       TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE TABLE referrals (
    member_id         INTEGER PRIMARY KEY REFERENCES members(id),
    referrer_id       INTEGER NOT NULL REFERENCES members(id),
    code              TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    first_txn         TEXT,
    rewarded_at       INTEGER,
    month             INTEGER,
    new_member_points INTEGER NOT NULL DEFAULT 0,
    referrer_points   INTEGER NOT NULL DEFAULT 0,
    clawed_back_at    INTEGER
);
CREATE INDEX referrals_referrer ON referrals(referrer_id, month);
)SQL"},
    // The member's snapshot (memberdesk/snapshot.hpp), hex of encode_snapshot, written at revision
    // `rev` of the member. The service builds the rows of existing members when it starts.
    {11, "member_snapshots", R"SQL(
CREATE TABLE member_snapshots (
    member_id INTEGER PRIMARY KEY REFERENCES members(id),
    horizon   INTEGER NOT NULL,
    rev       INTEGER NOT NULL,
    bytes     TEXT    NOT NULL
);
)SQL"},
    // Survey dimensions (domain.md §8): product, service and environment 1..5 (none in the v1 form,
    // which gives only the overall rating) and the store the answer is for ('' = none given).
    {12, "survey_dimensions", R"SQL(
ALTER TABLE feedback ADD COLUMN product INTEGER;
ALTER TABLE feedback ADD COLUMN service INTEGER;
ALTER TABLE feedback ADD COLUMN environment INTEGER;
ALTER TABLE feedback ADD COLUMN store TEXT NOT NULL DEFAULT '';
CREATE INDEX feedback_time ON feedback(created_at);
)SQL"},
    // Staff reports (docs/reports.md) read purchases, ledger entries and coupons by time.
    {13, "report_indexes", R"SQL(
CREATE INDEX purchases_at ON purchases(at);
CREATE INDEX ledger_time ON ledger(created_at);
CREATE INDEX coupons_issued ON coupons(issued_at);
CREATE INDEX coupons_used ON coupons(used_at);
)SQL"},
    // Snapshots in the compact binary form (BLOB) instead of hex text: the rows of step 11 are
    // converted by sql::convert_hex_snapshots, then member_snapshots_hex is dropped.
    {14, "binary_snapshots", R"SQL(
ALTER TABLE member_snapshots RENAME TO member_snapshots_hex;
CREATE TABLE member_snapshots (
    member_id INTEGER PRIMARY KEY REFERENCES members(id),
    horizon   INTEGER NOT NULL,
    rev       INTEGER NOT NULL,
    bytes     BLOB    NOT NULL
);
)SQL",
     nullptr, "DROP TABLE IF EXISTS member_snapshots_hex;"},
    // Daily report facts (docs/reports.md "Speed at scale", docs/design.md): filled by the server at
    // start (report_facts_meta says for which zone they were built) and kept by every write.
    {15, "report_facts", R"SQL(
CREATE TABLE report_facts_meta (
  id BIGINT PRIMARY KEY,
  zone TEXT NOT NULL,
  built_at BIGINT NOT NULL
);
CREATE TABLE member_units (
  member_id BIGINT NOT NULL,
  unit TEXT NOT NULL,
  PRIMARY KEY (member_id, unit)
) WITHOUT ROWID;
CREATE TABLE unit_day_facts (
  unit TEXT NOT NULL,
  day BIGINT NOT NULL,
  joined BIGINT NOT NULL DEFAULT 0,
  erased BIGINT NOT NULL DEFAULT 0,
  pts_issued BIGINT NOT NULL DEFAULT 0,
  pts_redeemed BIGINT NOT NULL DEFAULT 0,
  pts_expired BIGINT NOT NULL DEFAULT 0,
  pts_clawed BIGINT NOT NULL DEFAULT 0,
  pts_net BIGINT NOT NULL DEFAULT 0,
  coupons_issued BIGINT NOT NULL DEFAULT 0,
  coupons_used BIGINT NOT NULL DEFAULT 0,
  visits BIGINT NOT NULL DEFAULT 0,
  net_spend BIGINT NOT NULL DEFAULT 0,
  answers BIGINT NOT NULL DEFAULT 0,
  rating_sum BIGINT NOT NULL DEFAULT 0,
  dims BIGINT NOT NULL DEFAULT 0,
  product_sum BIGINT NOT NULL DEFAULT 0,
  service_sum BIGINT NOT NULL DEFAULT 0,
  environment_sum BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (unit, day)
) WITHOUT ROWID;
CREATE TABLE unit_visit_gaps (
  unit TEXT NOT NULL,
  day BIGINT NOT NULL,
  gap1 BIGINT NOT NULL,
  gap2 BIGINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (unit, day, gap1, gap2)
) WITHOUT ROWID;
)SQL"},  // Per-member activity for segment sizes and the at-risk list (docs/design.md "Member
    // activity"): local days and months of the program's zone, so like the report facts it is
    // filled by the server at start (the facts are marked stale here) and kept by every write.
    {16, "member_activity", R"SQL(
CREATE TABLE member_activity (
  member_id INTEGER PRIMARY KEY,
  joined_day BIGINT NOT NULL,
  last_spend_at BIGINT,
  last_day BIGINT,
  month BIGINT NOT NULL DEFAULT 0,
  m0 BIGINT NOT NULL DEFAULT 0,
  m1 BIGINT NOT NULL DEFAULT 0,
  m2 BIGINT NOT NULL DEFAULT 0,
  spend BIGINT NOT NULL DEFAULT 0,
  purchases BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX member_units_unit ON member_units(unit, member_id);
CREATE INDEX member_activity_last ON member_activity(last_spend_at);
DELETE FROM report_facts_meta;
)SQL"},
    // Fewer index leaves written per purchase and ledger entry (docs/design.md "Indexes a write pays
    // for"): the global time indexes of step 13 go. The reports that read a period's rows come from
    // the report facts; a store scope's rows are read through its members and stores
    // (ledger_member_time, purchases_store_member). SQLite: idempotency becomes a rowid table with
    // its key in a separate index; as a WITHOUT ROWID table, a record (a reply of up to a few KB) in
    // the key's b-tree spilled to overflow pages and split leaves of a few rows each: ~3.7 pages a
    // purchase instead of 2.
    {17, "write_indexes", R"SQL(
ALTER TABLE idempotency RENAME TO idempotency_keyed;
CREATE TABLE idempotency (
    scope       TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    response    TEXT    NOT NULL,
    member_id   INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (scope, key)
);
INSERT INTO idempotency SELECT scope, key, fingerprint, status, response, member_id, created_at
    FROM idempotency_keyed ORDER BY created_at;
)SQL",
     "DROP INDEX IF EXISTS purchases_at; DROP INDEX IF EXISTS ledger_time;", "DROP TABLE IF EXISTS idempotency_keyed;"},
    // A ledger page is read from its index alone (docs/design.md "The ledger page's index"): the
    // index holds every column the page shows, so a member's newest entries are a few neighbouring
    // index leaves, not one table lookup per entry wherever the entry's row was appended. It
    // replaces ledger_member_time (the same leading columns), dropped after the commit.
    {18, "ledger_page_index", R"SQL(
CREATE INDEX IF NOT EXISTS ledger_member_page ON ledger(member_id, created_at, id, type, points, balance_after,
                                                       expires_at, store, reason_zh, reason_en);
)SQL",
     nullptr, "DROP INDEX IF EXISTS ledger_member_time;"},
};

constexpr int kBinarySnapshotsStep = 14;

bool is_memory_path(const std::string& path) {
    return path.empty() || path == ":memory:" || path.rfind("file::memory:", 0) == 0 ||
           path.find("mode=memory") != std::string::npos;
}

[[noreturn]] void fail(sqlite3* db, int rc, const std::string& what) {
    StoreError::Kind kind = StoreError::Kind::other;
    const int ext = db ? sqlite3_extended_errcode(db) : rc;
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        kind = StoreError::Kind::unique_violation;
    else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        kind = StoreError::Kind::busy;
    std::string msg = "sqlite: " + what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    throw StoreError(kind, msg);
}

// [SECTION] Connection and statement cache
// Thin RAII over one connection, with a per-connection prepared statement cache.
class Conn {
public:
    Conn(const std::string& path, bool writer, int busy_timeout_ms) {
        int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
        if (writer) flags |= SQLITE_OPEN_CREATE;
        const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, sqlite_vfs::buffered_wal_vfs());
        if (rc != SQLITE_OK) {
            std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            sqlite3_close_v2(db_);
            db_ = nullptr;
            throw StoreError(StoreError::Kind::other, "sqlite: cannot open " + path + ": " + msg);
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, busy_timeout_ms);
    }
    ~Conn() {
        for (auto& kv : cache_) sqlite3_finalize(kv.second);
        sqlite3_close_v2(db_);
    }
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;

    sqlite3* db() const { return db_; }

    void exec(const char* sql) {
        char* err = nullptr;
        const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
        if (rc != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errstr(rc);
            sqlite3_free(err);
            StoreError::Kind kind = (rc & 0xff) == SQLITE_BUSY ? StoreError::Kind::busy : StoreError::Kind::other;
            throw StoreError(kind, std::string("sqlite: ") + msg + " (in: " + std::string(sql).substr(0, 60) + ")");
        }
    }

    sqlite3_stmt* statement(const std::string& sql) {
        auto it = cache_.find(sql);
        if (it != cache_.end()) return it->second;
        sqlite3_stmt* st = nullptr;
        const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size() + 1), SQLITE_PREPARE_PERSISTENT,
                                          &st, nullptr);
        if (rc != SQLITE_OK) fail(db_, rc, "prepare " + sql.substr(0, 80));
        cache_.emplace(sql, st);
        return st;
    }

private:
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// A cached statement in use: positional binds, stepping, column getters; reset on destruction.
class Q {
public:
    Q(Conn& c, const std::string& sql) : db_(c.db()), st_(c.statement(sql)) {}
    ~Q() {
        sqlite3_reset(st_);
        sqlite3_clear_bindings(st_);
    }
    Q(const Q&) = delete;
    Q& operator=(const Q&) = delete;

    template <class... A>
    Q& args(const A&... a) {
        (bind(a), ...);
        return *this;
    }

    template <class T>
    Q& bind(const T& v) {
        const int i = ++n_;
        int rc;
        if constexpr (std::is_same_v<T, std::nullopt_t>) {
            rc = sqlite3_bind_null(st_, i);
        } else if constexpr (std::is_same_v<T, bool>) {
            rc = sqlite3_bind_int64(st_, i, v ? 1 : 0);
        } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
            rc = sqlite3_bind_int64(st_, i, static_cast<sqlite3_int64>(v));
        } else if constexpr (std::is_same_v<T, store_rows::Blob>) {
            // Static: the caller keeps the bytes until the statement has run (no copy).
            rc = sqlite3_bind_blob(st_, i, v.bytes.empty() ? "" : v.bytes.data(), static_cast<int>(v.bytes.size()),
                                   SQLITE_STATIC);
        } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
            rc = sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        } else if constexpr (std::is_convertible_v<T, const char*>) {
            rc = sqlite3_bind_text(st_, i, v, -1, SQLITE_TRANSIENT);
        } else {
            // std::optional<X>
            --n_;
            if (v) return bind(*v);
            return bind(std::nullopt);
        }
        if (rc != SQLITE_OK) fail(db_, rc, "bind");
        return *this;
    }

    // True while rows come.
    bool next() {
        const int rc = sqlite3_step(st_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(db_, rc, std::string("step ") + std::string(sqlite3_sql(st_)).substr(0, 80));
    }
    void run() {
        while (next()) {}
    }
    int changes() const { return sqlite3_changes(db_); }

    bool null(int c) const { return sqlite3_column_type(st_, c) == SQLITE_NULL; }
    std::int64_t i64(int c) const { return sqlite3_column_int64(st_, c); }
    int i32(int c) const { return sqlite3_column_int(st_, c); }
    std::optional<std::int64_t> opt(int c) const {
        if (null(c)) return std::nullopt;
        return i64(c);
    }
    std::string str(int c) const {
        const unsigned char* p = sqlite3_column_text(st_, c);
        if (!p) return {};
        return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(st_, c)));
    }
    // The column's bytes in SQLite's own buffer: valid until the statement steps or resets.
    std::string_view blob(int c) const {
        const void* p = sqlite3_column_blob(st_, c);
        if (!p) return {};
        return std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(st_, c)));
    }
    void binary_results() {}  // columns come as they are stored

private:
    sqlite3* db_;
    sqlite3_stmt* st_;
    int n_ = 0;
};

// [SECTION] Transactions (SqliteTx)
// Shared with the PostgreSQL backend.
using namespace store_rows;  // enum texts, column lists, row decoders (store_rows.hpp)

// One transaction on one connection. Read transactions get it as ReadTx& only.
class SqliteTx final : public sql::SqlTx<Q, Conn> {
public:
    SqliteTx(Conn& c, const std::function<std::string()>& code_gen) : SqlTx(c, code_gen) {}

    // Reads and writes: sql::SqlTx (sql_tx.hpp). SQLite needs no row or key locks (one writer at a time).
};

// [SECTION] Read connection pool
// Pool of read connections, opened lazily up to `max`. When all are busy, waiting threads get a
// connection first come, first served (handed over directly on release): with dozens of HTTP
// workers and a handful of connections, a plain condition variable lets some requests wait far
// longer than others, which is what the 99th percentile sees.
class ReadPool {
public:
    ReadPool(std::string path, int max, int busy_ms) : path_(std::move(path)), max_(max), busy_ms_(busy_ms) {}

    std::unique_ptr<Conn> acquire() {
        std::unique_lock<std::mutex> lk(mu_);
        if (!idle_.empty() && waiting_.empty()) {
            auto c = std::move(idle_.back());
            idle_.pop_back();
            return c;
        }
        if (open_ < max_) {
            ++open_;
            lk.unlock();
            return open();
        }
        Waiter w;
        waiting_.push_back(&w);
        w.cv.wait(lk, [&] { return w.conn != nullptr || w.open_one; });
        if (w.conn) return std::move(w.conn);
        lk.unlock();
        return open();
    }
    void release(std::unique_ptr<Conn> c) {
        std::lock_guard<std::mutex> g(mu_);
        if (waiting_.empty()) {
            idle_.push_back(std::move(c));
            return;
        }
        Waiter* w = waiting_.front();
        waiting_.pop_front();
        w->conn = std::move(c);
        w->cv.notify_one();
    }

private:
    struct Waiter {
        std::condition_variable cv;
        std::unique_ptr<Conn> conn;
        bool open_one = false;  // a connection failed to open: this waiter may try to open one
    };

    std::unique_ptr<Conn> open() {
        try {
            auto c = std::make_unique<Conn>(path_, false, busy_ms_);
            c->exec("PRAGMA query_only = ON");
            return c;
        } catch (...) {
            std::lock_guard<std::mutex> g(mu_);
            if (waiting_.empty()) {
                --open_;
            } else {  // the slot passes to the first waiter
                Waiter* w = waiting_.front();
                waiting_.pop_front();
                w->open_one = true;
                w->cv.notify_one();
            }
            throw;
        }
    }

    std::string path_;
    int max_, busy_ms_;
    std::mutex mu_;
    std::vector<std::unique_ptr<Conn>> idle_;
    std::deque<Waiter*> waiting_;
    int open_ = 0;
};

// Every shared read transaction ends here, so the connection's cached statement is used rather than
// sqlite3_exec, which parses the text each time; sqlite3_exec only if that did not end it.
void rollback_quietly(Conn& c) noexcept {
    if (sqlite3_get_autocommit(c.db())) return;
    try {
        Q(c, "ROLLBACK").run();
    } catch (...) {}
    if (!sqlite3_get_autocommit(c.db())) sqlite3_exec(c.db(), "ROLLBACK", nullptr, nullptr, nullptr);
}

// The read transaction a thread's reads share while a Store::SharedReads is alive on it.
struct SharedRead {
    const void* owner = nullptr;  // the SqliteStore::Impl of the outermost scope on this thread
    int scopes = 0;
    int depth = 0;               // run_read calls running on it
    std::unique_ptr<Conn> conn;  // a read connection with its transaction open, or null
};
thread_local SharedRead tl_shared;

}  // namespace

// [SECTION] SqliteStore
struct SqliteStore::Impl {
    const std::shared_ptr<const ZoneRules>* zone = nullptr;  // the store's report zone
    std::string path;
    SqliteOptions options;
    std::mutex write_mu;
    std::unique_ptr<Conn> writer;
    std::unique_ptr<ReadPool> readers;  // null: reads use the writer
    std::function<std::string()> code_gen = [] { return crypto::random_coupon_code(); };
    std::unique_ptr<GroupCommit> commits;

    void execute_batch(const std::vector<GroupCommit::Item*>& batch);
    // Ends the thread's shared read transaction, if it has one, and gives its connection back.
    void end_shared(SharedRead& t) noexcept {
        if (!t.conn) return;
        rollback_quietly(*t.conn);  // read only: nothing to commit
        readers->release(std::move(t.conn));
    }
    void run_batch_from(Conn& c, const std::vector<GroupCommit::Item*>& batch, std::size_t& next);

    void migrate() {
        Conn& c = *writer;
        c.exec(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        const int latest = kMigrations[std::size(kMigrations) - 1].version;
        auto version_now = [&c] {
            Q q(c, "SELECT coalesce(max(version), 0) FROM schema_migrations");
            q.next();
            return q.i32(0);
        };
        for (const Migration& m : kMigrations) {
            if (m.before && version_now() < m.version) c.exec(m.before);
            c.exec("BEGIN IMMEDIATE");
            try {
                const int current = version_now();
                if (current > latest)
                    throw StoreError(StoreError::Kind::schema, "database schema version " + std::to_string(current) +
                                                                   " is newer than this server (" +
                                                                   std::to_string(latest) + ")");
                if (current < m.version) {
                    Progress step = sql::migration_progress<Q>(c, current, m.version, m.name);
                    step.start();
                    c.exec(m.sql);
                    if (m.version == kBinarySnapshotsStep) sql::convert_hex_snapshots<Q>(c);
                    step.finish();
                    Q q(c,
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, "
                        "strftime('%s','now'))");
                    q.args(m.version, m.name);
                    q.run();
                }
                c.exec("COMMIT");
            } catch (...) {
                rollback_quietly(c);
                throw;
            }
            if (m.after) c.exec(m.after);
        }
    }
};

namespace {
// A write after the first of a group commit runs in a savepoint, whose statement journal (a copy of
// each page the write changes) SQLite spills to a temporary file beyond 64 KiB: two more syscalls per
// page. Kept in memory up to this size instead (a purchase changes a few dozen pages). Only settable
// before SQLite initialises; if something initialised it first, the default stays.
// SQLite allocates an in-memory journal in chunks of this size. AddressSanitizer maps and clears every
// allocation above 128 KiB afresh, which made the sanitizer tests' writes several times slower, so
// sanitizer builds keep SQLite's default (the journal's contents are the same either way).
#if defined(__SANITIZE_ADDRESS__)
#define MEMBERDESK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MEMBERDESK_ASAN 1
#endif
#endif
#ifdef MEMBERDESK_ASAN
constexpr int kStatementJournalSpillBytes = 64 << 10;
#else
constexpr int kStatementJournalSpillBytes = 4 << 20;
#endif
std::once_flag sqlite_configured;
}  // namespace

SqliteStore::SqliteStore(const std::string& path, SqliteOptions options) : impl_(std::make_unique<Impl>()) {
    // Both settings are possible only before SQLite initialises (else SQLITE_MISUSE: left as is).
    // SQLite's memory statistics put every sqlite3_malloc/free of every connection behind one global
    // mutex: with many read connections busy at once, the threads queue on it. Nothing here reads them.
    std::call_once(sqlite_configured, [] {
        sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, kStatementJournalSpillBytes);
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    });
    impl_->zone = &report_zone_;
    crypto::init();
    impl_->path = path.empty() ? ":memory:" : path;
    impl_->options = options;
    impl_->writer = std::make_unique<Conn>(impl_->path, true, options.busy_timeout_ms);
    Conn& w = *impl_->writer;
    const bool memory = is_memory_path(impl_->path);
    if (!memory) w.exec("PRAGMA journal_mode = WAL");
    w.exec("PRAGMA synchronous = FULL");
    w.exec("PRAGMA foreign_keys = ON");
    impl_->migrate();
    impl_->commits = std::make_unique<GroupCommit>(
        [impl = impl_.get()](const std::vector<GroupCommit::Item*>& batch) { impl->execute_batch(batch); },
        static_cast<std::size_t>(std::max(1, options.max_write_batch)));
    if (!memory && options.read_connections > 0)
        impl_->readers = std::make_unique<ReadPool>(impl_->path, options.read_connections, options.busy_timeout_ms);
}

SqliteStore::~SqliteStore() = default;

int SqliteStore::latest_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

int SqliteStore::schema_version() {
    std::lock_guard<std::mutex> g(impl_->write_mu);
    Q q(*impl_->writer, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    q.next();
    return q.i32(0);
}

const std::string& SqliteStore::path() const { return impl_->path; }

void SqliteStore::set_coupon_code_generator(std::function<std::string()> gen) {
    std::lock_guard<std::mutex> g(impl_->write_mu);
    impl_->code_gen = std::move(gen);
}

void SqliteStore::run_write(const std::function<void(WriteTx&)>& fn) {
    SharedRead& t = tl_shared;
    if (t.conn && t.depth == 0 && t.owner == impl_.get()) impl_->end_shared(t);  // reads after it see it
    impl_->commits->run(fn);
}

void SqliteStore::begin_shared_reads() {
    SharedRead& t = tl_shared;
    if (t.scopes++ == 0) t.owner = impl_.get();
}

void SqliteStore::end_shared_reads() {
    SharedRead& t = tl_shared;
    if (--t.scopes > 0) return;
    if (t.owner == impl_.get()) impl_->end_shared(t);
    t.owner = nullptr;
}

// One transaction for a batch of writes, each in a savepoint: a write that throws is rolled back to
// its savepoint and gets its error; the others commit together. Should SQLite abandon the whole
// transaction (I/O error, disk full), the writes already run in it get that error too and the rest
// go on in a new transaction.
void SqliteStore::Impl::execute_batch(const std::vector<GroupCommit::Item*>& batch) {
    std::lock_guard<std::mutex> g(write_mu);
    Conn& c = *writer;
    std::size_t next = 0;
    try {
        run_batch_from(c, batch, next);
    } catch (...) {  // BEGIN, SAVEPOINT or ROLLBACK TO failed: nothing of this transaction commits
        rollback_quietly(c);
        throw;
    }
}

// The first write of a transaction runs without a savepoint: should it fail, the whole transaction
// (only its own changes) is rolled back instead. A savepoint makes SQLite copy every page the write
// changes into a statement journal first, which for a lone write (the common case) is pure cost.
void SqliteStore::Impl::run_batch_from(Conn& c, const std::vector<GroupCommit::Item*>& batch, std::size_t& next) {
    while (next < batch.size()) {
        Q(c, "BEGIN IMMEDIATE").run();  // throws: GroupCommit fails the whole batch
        std::vector<GroupCommit::Item*> in_tx;
        SqliteTx::PendingFacts facts;  // of the writes in_tx, written just before the commit
        bool abandoned = false;
        for (; next < batch.size() && !abandoned; ++next) {
            GroupCommit::Item* it = batch[next];
            const bool first = in_tx.empty();
            if (!first) Q(c, "SAVEPOINT w").run();
            try {
                SqliteTx tx(c, code_gen);
                tx.set_report_zone(zone->get());
                (*it->work)(tx);
                if (!first) Q(c, "RELEASE w").run();
                in_tx.push_back(it);
                for (const auto& [key, f] : tx.pending_facts()) facts[key] += f;
            } catch (...) {
                it->error = std::current_exception();
                if (sqlite3_get_autocommit(c.db())) {
                    abandoned = true;
                    for (GroupCommit::Item* done : in_tx) done->error = it->error;
                } else if (first) {
                    rollback_quietly(c);  // nothing else in this transaction: start a new one
                    abandoned = true;
                } else {
                    Q(c, "ROLLBACK TO w").run();
                    Q(c, "RELEASE w").run();
                }
            }
        }
        if (abandoned) continue;
        try {
            if (!facts.empty()) {
                SqliteTx tx(c, code_gen);
                tx.pending_facts().swap(facts);
                tx.flush_facts();
            }
            Q(c, "COMMIT").run();
            for (GroupCommit::Item* it : in_tx) it->committed = true;
        } catch (...) {
            rollback_quietly(c);
            for (GroupCommit::Item* it : in_tx) it->error = std::current_exception();
        }
    }
}

void SqliteStore::run_read(const std::function<void(ReadTx&)>& fn) {
    auto read_on = [&](Conn& c) {
        SqliteTx tx(c, impl_->code_gen);
        tx.set_report_zone(report_zone_.get());
        fn(tx);
    };
    auto body = [&](Conn& c) {
        Q(c, "BEGIN").run();
        try {
            read_on(c);
            Q(c, "COMMIT").run();
        } catch (...) {
            rollback_quietly(c);
            throw;
        }
    };
    if (!impl_->readers) {
        std::lock_guard<std::mutex> g(impl_->write_mu);
        body(*impl_->writer);
        return;
    }
    SharedRead& t = tl_shared;
    if (t.scopes > 0 && t.owner == impl_.get()) {  // inside Store::SharedReads: one transaction
        if (!t.conn) {
            std::unique_ptr<Conn> c = impl_->readers->acquire();
            try {
                Q(*c, "BEGIN").run();
            } catch (...) {
                impl_->readers->release(std::move(c));
                throw;
            }
            t.conn = std::move(c);
        }
        ++t.depth;
        try {
            read_on(*t.conn);
        } catch (...) {
            if (--t.depth == 0) impl_->end_shared(t);  // the next read starts afresh
            throw;
        }
        --t.depth;
        return;
    }
    std::unique_ptr<Conn> c = impl_->readers->acquire();
    try {
        body(*c);
    } catch (...) {
        impl_->readers->release(std::move(c));
        throw;
    }
    impl_->readers->release(std::move(c));
}

}  // namespace memberdesk::server
