// SQLite storage layer: migrations, plan application, ids, coupon codes, transactions, paging.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "memberdesk/program.hpp"
#include "service/crypto.hpp"
#include "storage/sql_tx.hpp"
#include "storage/sqlite/sqlite_store.hpp"

using namespace memberdesk;
using namespace memberdesk::server;

namespace store_test {
namespace fs = std::filesystem;

namespace {

struct TempDb {
    fs::path dir;
    std::string path;
    TempDb() {
        dir = fs::temp_directory_path() / ("md_store_" + crypto::random_code(10));
        fs::create_directories(dir);
        path = (dir / "test.db").string();
    }
    ~TempDb() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

const ProgramConfig& coffee() {
    static const ProgramConfig p = [] {
        auto r = load_preset("coffee");
        REQUIRE(r.ok());
        return *r;
    }();
    return p;
}

std::int64_t add_member(Store& s, const std::string& phone, UnixSeconds at = 1000) {
    return s.write([&](WriteTx& tx) {
        return tx.insert_member(NewMemberRecord{phone, "Test", "hash", std::nullopt, at, std::nullopt});
    });
}

int count_rows(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

LedgerEntry entry(EntryType t, Points pts, Points after, UnixSeconds at, std::string ref = "") {
    LedgerEntry e;
    e.type = t;
    e.points = pts;
    e.balance_after = after;
    e.reason = Text{"原因", "reason"};
    e.created_at = at;
    e.store = "s1";
    e.ref = std::move(ref);
    return e;
}

}  // namespace

TEST_CASE("store: migrations run once and are idempotent on reopen") {
    TempDb t;
    {
        SqliteStore s(t.path);
        CHECK(s.schema_version() == SqliteStore::latest_schema_version());
        add_member(s, "13800000001");
    }
    {
        SqliteStore s(t.path);
        CHECK(s.schema_version() == SqliteStore::latest_schema_version());
        CHECK(s.read([](ReadTx& tx) { return tx.member_count(); }) == 1);
    }
    CHECK(count_rows(t.path, "SELECT count(*) FROM schema_migrations") == SqliteStore::latest_schema_version());
    // Durability settings: WAL is a property of the file.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(t.path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) == "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

TEST_CASE("store: the joined-store step counts existing members as joined where they first bought") {
    TempDb t;
    std::int64_t bought = 0, never = 0;
    {
        SqliteStore s(t.path);
        bought = add_member(s, "13800000001");
        never = add_member(s, "13800000002");
    }
    // Back to the schema before the step, with purchases at two stores (S002 first).
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(t.path.c_str(), &db) == SQLITE_OK);
    const std::string id = std::to_string(bought);
    const std::string sql =
        "DROP INDEX coupons_issued; DROP INDEX coupons_used;"
        "DROP INDEX feedback_time; ALTER TABLE feedback DROP COLUMN product; ALTER TABLE feedback DROP COLUMN service;"
        "ALTER TABLE feedback DROP COLUMN environment; ALTER TABLE feedback DROP COLUMN store;"
        "DROP TABLE report_facts_meta; DROP TABLE member_units; DROP TABLE unit_day_facts; DROP TABLE unit_visit_gaps;"
        "DROP TABLE member_activity;"
        "DROP TABLE member_snapshots; DROP TABLE referrals; DROP TABLE referral_codes;"
        "DROP INDEX members_joined_store; ALTER TABLE members DROP COLUMN joined_store;"
        "DELETE FROM schema_migrations WHERE version >= 9;"
        "INSERT INTO purchases (member_id, txn_id, amount, refunded, at, store, points, tier_id) VALUES "
        "(" +
        id + ", 'T2', 100, 0, 3000, 'S001', 1, 'standard'), (" + id + ", 'T1', 100, 0, 2000, 'S002', 1, 'standard');";
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    SqliteStore s(t.path);
    CHECK(s.schema_version() == SqliteStore::latest_schema_version());
    auto m = s.read([&](ReadTx& tx) { return tx.member_by_id(bought); });
    REQUIRE(m);
    CHECK(m->joined_store == "S002");
    CHECK(s.read([&](ReadTx& tx) { return tx.member_by_id(never); })->joined_store.empty());
    CHECK(s.read([&](ReadTx& tx) { return tx.member_in_stores(never, {"S001", "S002"}); }) == false);
    CHECK(s.read([&](ReadTx& tx) { return tx.members_of_stores({"S002"}, std::nullopt, 10).size(); }) == 1);
}

// Back to the schema before step 17: the time indexes of step 13, idempotency keyed WITHOUT ROWID
// (empty), and the step not applied.
const char* const kBeforeStep17 =
    "CREATE INDEX purchases_at ON purchases(at); CREATE INDEX ledger_time ON ledger(created_at);"
    "DROP TABLE idempotency; CREATE TABLE idempotency (scope TEXT NOT NULL, key TEXT NOT NULL,"
    " fingerprint TEXT NOT NULL, status INTEGER NOT NULL, response TEXT NOT NULL,"
    " member_id INTEGER NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (scope, key)) WITHOUT ROWID;"
    "DELETE FROM schema_migrations WHERE version >= 17;";

TEST_CASE("store: an upgraded database drops the global time indexes and keeps idempotency records in a rowid table") {
    TempDb t;
    const char* time_indexes =
        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
        "('purchases_at', 'ledger_time')";
    { SqliteStore s(t.path); }
    CHECK(count_rows(t.path, time_indexes) == 0);
    // Back to the schema before the step: the indexes of step 13 present.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(t.path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         (std::string(kBeforeStep17) +
                          "INSERT INTO idempotency VALUES ('purchase', 'T1', 'fp', 201, '{\"a\":1}', 1, 1000);")
                             .c_str(),
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    REQUIRE(count_rows(t.path, time_indexes) == 2);
    SqliteStore s(t.path);
    CHECK(s.schema_version() == SqliteStore::latest_schema_version());
    CHECK(count_rows(t.path, time_indexes) == 0);
    CHECK(count_rows(t.path, "SELECT count(*) FROM sqlite_master WHERE name = 'purchases_store_member'") == 1);
    CHECK(count_rows(t.path,
                     "SELECT count(*) FROM sqlite_master WHERE name = 'idempotency' AND sql LIKE '%WITHOUT%'") == 0);
    auto rec = s.read([](ReadTx& tx) { return tx.idempotency("purchase", "T1"); });
    REQUIRE(rec);
    CHECK(rec->response == "{\"a\":1}");
    CHECK(rec->status == 201);
    // The key is still unique.
    IdempotencyRecord again = *rec;
    again.scope = "purchase";
    again.key = "T1";
    CHECK_THROWS_AS(s.write([&](WriteTx& tx) { tx.put_idempotency(again); }), StoreError);
}

TEST_CASE(
    "store: step 17 upgrades a database whose old idempotency table is larger than a statement journal "
    "kept in memory") {
    // The step drops the old table after copying it. Inside the step's transaction, SQLite (3.40)
    // fails a DROP of that size with SQLITE_FULL when statement journals may stay in memory beyond
    // 64 KiB, as the server configures them; the step drops it after its commit instead.
    TempDb t;
    { SqliteStore s(t.path); }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(t.path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         (std::string(kBeforeStep17) +
                          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000)"
                          " INSERT INTO idempotency SELECT 'purchase', 'T' || i, 'fp', 201,"
                          " '{\"r\":\"' || hex(randomblob(500)) || '\"}', 1, i FROM n;")
                             .c_str(),
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    SqliteStore s(t.path);
    CHECK(s.schema_version() == SqliteStore::latest_schema_version());
    CHECK(count_rows(t.path, "SELECT count(*) FROM idempotency") == 12000);
    CHECK(count_rows(t.path, "SELECT count(*) FROM sqlite_master WHERE name = 'idempotency_keyed'") == 0);
    auto rec = s.read([](ReadTx& tx) { return tx.idempotency("purchase", "T11999"); });
    REQUIRE(rec);
    CHECK(rec->status == 201);
}

TEST_CASE("store: a database from a newer server is refused") {
    TempDb t;
    { SqliteStore s(t.path); }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(t.path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (999, 'future', 0)", nullptr, nullptr, nullptr) ==
            SQLITE_OK);
    sqlite3_close(db);
    CHECK_THROWS_AS(SqliteStore(t.path), StoreError);
}

TEST_CASE("store: apply_plan persists a plan in order and assigns ids") {
    TempDb t;
    SqliteStore s(t.path);
    const std::int64_t id = add_member(s, "13800000001");

    Plan p;
    Lot a;
    a.original = a.remaining = 30;
    a.earned_at = a.available_at = 2000;
    a.expires_at = 5000;
    a.source = "purchase:T1";
    Lot b = a;
    b.original = b.remaining = 12;
    b.expires_at.reset();
    b.source = "adjust";
    p.new_lots = {a, b};
    p.entries = {entry(EntryType::earn, 30, 30, 2000, "T1"), entry(EntryType::adjust, 12, 42, 2001, "adj")};
    CouponIssue ci;
    ci.template_id = "spend_back_10";
    ci.source = CouponSource::spend_back;
    ci.valid_from = 2000;
    ci.valid_until = 9000;
    ci.reason = Text{"满100送10", "spend back"};
    p.coupons = {ci};
    TierChange tc;
    tc.from = "standard";
    tc.to = "premium";
    tc.status = TierStatus{"premium", 2000, 99999};
    p.tier_change = tc;
    Purchase pu;
    pu.txn_id = "T1";
    pu.amount = 30000;
    pu.at = 2000;
    pu.store = "s1";
    pu.points = 30;
    pu.tier_id = "standard";
    p.purchase = pu;
    p.debt_after = 0;
    p.lifetime_earned_after = 42;
    p.ledger_total_after = 42;
    p.new_issue_keys = {"welcome"};

    AppliedPlan ap = s.write([&](WriteTx& tx) { return tx.apply_plan(id, p, coffee(), 2000); });
    REQUIRE(ap.lot_ids.size() == 2);
    REQUIRE(ap.entries.size() == 2);
    REQUIRE(ap.coupons.size() == 1);
    CHECK(ap.lot_ids[0] > 0);
    CHECK(ap.lot_ids[1] > ap.lot_ids[0]);
    CHECK(ap.entries[1].id > ap.entries[0].id);
    const Coupon& c = ap.coupons[0];
    CHECK(c.id > 0);
    CHECK(c.code.size() == 10);
    for (char ch : c.code) CHECK(crypto::kCodeAlphabet.find(ch) != std::string_view::npos);
    CHECK(c.terms.kind == CouponKind::amount_off);
    CHECK(c.terms.amount == 1000);

    MemberState st = s.read([&](ReadTx& tx) { return tx.load_state(id); });
    REQUIRE(st.lots.size() == 2);
    CHECK(st.lots[0].id == ap.lot_ids[0]);
    CHECK(st.lots[0].remaining == 30);
    CHECK(st.lots[0].expires_at == std::optional<UnixSeconds>(5000));
    CHECK_FALSE(st.lots[1].expires_at.has_value());
    CHECK(st.tier.tier_id == "premium");
    CHECK(st.tier.valid_until == std::optional<UnixSeconds>(99999));
    REQUIRE(st.purchases.size() == 1);
    CHECK(st.purchases[0].txn_id == "T1");
    CHECK(st.lifetime_earned == 42);
    CHECK(st.ledger_total == 42);
    CHECK(st.issue_keys == std::vector<std::string>{"welcome"});
    REQUIRE(st.coupons.size() == 1);
    CHECK(st.coupons[0].code == c.code);
    CHECK(st.coupons[0].state == CouponState::available);

    // Spending: only lot remainders change; ledger rows are appended, never updated.
    Plan spend;
    spend.lot_changes = {LotChange{ap.lot_ids[0], 10}};
    spend.entries = {entry(EntryType::redeem, -20, 22, 3000, "r1")};
    Purchase refunded = pu;
    refunded.refunded = 10000;
    spend.purchase = refunded;
    spend.lifetime_earned_after = 42;
    spend.ledger_total_after = 22;
    s.write([&](WriteTx& tx) { tx.apply_plan(id, spend, coffee(), 3000); });
    st = s.read([&](ReadTx& tx) { return tx.load_state(id); });
    CHECK(st.lots[0].remaining == 10);
    CHECK(st.lots[0].original == 30);
    CHECK(st.ledger_total == 22);
    REQUIRE(st.purchases.size() == 1);
    CHECK(st.purchases[0].refunded == 10000);
    auto all = s.read([&](ReadTx& tx) { return tx.ledger_all(id); });
    REQUIRE(all.size() == 3);
    CHECK(all[0].points == 30);
    CHECK(all[0].reason.en == "reason");
    CHECK(all[2].type == EntryType::redeem);

    // A lot of another member cannot be touched.
    const std::int64_t other = add_member(s, "13800000002");
    Plan bad;
    bad.lot_changes = {LotChange{ap.lot_ids[0], 0}};
    CHECK_THROWS_AS(s.write([&](WriteTx& tx) { tx.apply_plan(other, bad, coffee(), 4000); }), StoreError);
    st = s.read([&](ReadTx& tx) { return tx.load_state(id); });
    CHECK(st.lots[0].remaining == 10);
}

TEST_CASE("store: coupon codes are unique, with retry on collision") {
    TempDb t;
    SqliteStore s(t.path);
    const std::int64_t id = add_member(s, "13800000001");
    Plan p;
    CouponIssue ci;
    ci.template_id = "pastry";
    ci.source = CouponSource::reward;
    ci.valid_from = 0;
    ci.valid_until = 100;
    p.coupons = {ci, ci, ci};

    // Forced collisions: the generator repeats itself; the store retries with the next code.
    std::vector<std::string> codes = {"AAAAAAAAAA", "AAAAAAAAAA", "BBBBBBBBBB",
                                      "AAAAAAAAAA", "BBBBBBBBBB", "CCCCCCCCCC"};
    std::size_t next = 0;
    s.set_coupon_code_generator([&] { return codes[next++ % codes.size()]; });
    AppliedPlan ap = s.write([&](WriteTx& tx) { return tx.apply_plan(id, p, coffee(), 0); });
    REQUIRE(ap.coupons.size() == 3);
    CHECK(ap.coupons[0].code == "AAAAAAAAAA");
    CHECK(ap.coupons[1].code == "BBBBBBBBBB");
    CHECK(ap.coupons[2].code == "CCCCCCCCCC");

    // A generator that never finds a free code fails the whole transaction.
    s.set_coupon_code_generator([] { return std::string("AAAAAAAAAA"); });
    Plan one;
    one.coupons = {ci};
    CHECK_THROWS_AS(s.write([&](WriteTx& tx) { tx.apply_plan(id, one, coffee(), 0); }), StoreError);
    CHECK(s.read([&](ReadTx& tx) { return tx.load_state(id).coupons.size(); }) == 3);

    // Real random codes: many, all distinct, from the unambiguous alphabet.
    s.set_coupon_code_generator([] { return crypto::random_coupon_code(); });
    Plan many;
    for (int i = 0; i < 200; ++i) many.coupons.push_back(ci);
    ap = s.write([&](WriteTx& tx) { return tx.apply_plan(id, many, coffee(), 0); });
    std::set<std::string> seen;
    for (const auto& c : ap.coupons) {
        CHECK(c.code.find_first_of("01IO") == std::string::npos);
        seen.insert(c.code);
    }
    CHECK(seen.size() == 200);
    auto found = s.read([&](ReadTx& tx) { return tx.coupon_by_code(ap.coupons[7].code); });
    REQUIRE(found);
    CHECK(found->member_id == id);
    CHECK(found->coupon.id == ap.coupons[7].id);
}

TEST_CASE("store: an exception rolls the whole transaction back") {
    TempDb t;
    SqliteStore s(t.path);
    CHECK_THROWS_AS(s.write([&](WriteTx& tx) {
        const std::int64_t id =
            tx.insert_member(NewMemberRecord{"13800000001", "A", "h", std::nullopt, 1, std::nullopt});
        Plan p;
        p.entries = {entry(EntryType::adjust, 5, 5, 1)};
        p.ledger_total_after = 5;
        tx.apply_plan(id, p, coffee(), 1);
        throw std::runtime_error("boom");
    }),
                    std::runtime_error);
    CHECK(s.read([](ReadTx& tx) { return tx.member_count(); }) == 0);
    CHECK(count_rows(t.path, "SELECT count(*) FROM ledger") == 0);
    // The connection is usable afterwards.
    add_member(s, "13800000001");
    CHECK(s.read([](ReadTx& tx) { return tx.member_count(); }) == 1);
}

TEST_CASE("store: unique phone and idempotency keys") {
    TempDb t;
    SqliteStore s(t.path);
    add_member(s, "13800000001");
    try {
        add_member(s, "13800000001");
        FAIL("expected a unique violation");
    } catch (const StoreError& e) {
        CHECK(e.kind() == StoreError::Kind::unique_violation);
    }
    IdempotencyRecord r{"purchase", "T1", "fp", 201, "{\"a\":1}", 1, 5};
    s.write([&](WriteTx& tx) { tx.put_idempotency(r); });
    auto got = s.read([](ReadTx& tx) { return tx.idempotency("purchase", "T1"); });
    REQUIRE(got);
    CHECK(got->fingerprint == "fp");
    CHECK(got->status == 201);
    CHECK(got->response == "{\"a\":1}");
    CHECK_FALSE(s.read([](ReadTx& tx) { return tx.idempotency("refund", "T1"); }));
    CHECK_THROWS_AS(s.write([&](WriteTx& tx) { tx.put_idempotency(r); }), StoreError);
}

TEST_CASE("store: reopen keeps every kind of data") {
    TempDb t;
    std::int64_t id = 0;
    {
        SqliteStore s(t.path);
        id = add_member(s, "13800000001");
        s.write([&](WriteTx& tx) {
            Plan p;
            Lot l;
            l.original = l.remaining = 7;
            p.new_lots = {l};
            p.entries = {entry(EntryType::bonus, 7, 7, 10)};
            p.ledger_total_after = 7;
            p.lifetime_earned_after = 7;
            tx.apply_plan(id, p, coffee(), 10);
            tx.insert_session(SessionRecord{"h1", "member", id, "", 10, 100});
            tx.insert_member_code(MemberCodeRecord{"c1", id, 50});
            tx.add_login_failure("13800000001", 10);
            tx.insert_feedback(FeedbackRecord{0, id, 5, "好", "member", 10, 5, 4, 3, ""});
            tx.insert_audit(AuditRecord{0, 10, "admin", "a", "adjust", id, "{}", "", ""});
        });
    }
    SqliteStore s(t.path);
    s.read([&](ReadTx& tx) {
        MemberState st = tx.load_state(id);
        CHECK(st.ledger_total == 7);
        CHECK(st.lots.size() == 1);
        CHECK(tx.session("h1")->expires_at == 100);
        CHECK(tx.member_code("c1")->member_id == id);
        CHECK(tx.login_failures_since("13800000001", 0) == 1);
        CHECK(tx.feedback(id).at(0).comment == "好");
        CHECK(tx.feedback(id).at(0).product == 5);
        CHECK(tx.feedback(id).at(0).environment == 3);
        CHECK(tx.audit(id, 10).size() == 1);
    });
}

TEST_CASE("store: ledger keyset paging, newest first, with filters") {
    TempDb t;
    SqliteStore s(t.path);
    const std::int64_t id = add_member(s, "13800000001");
    const std::int64_t other = add_member(s, "13800000002");
    s.write([&](WriteTx& tx) {
        Plan p;
        // 25 entries, several sharing a timestamp (ties broken by id).
        for (int i = 0; i < 25; ++i)
            p.entries.push_back(entry(i % 5 == 0 ? EntryType::expire : EntryType::earn, i, i, 1000 + (i / 3) * 10));
        tx.apply_plan(id, p, coffee(), 1000);
        Plan q;
        q.entries = {entry(EntryType::earn, 1, 1, 1005)};
        tx.apply_plan(other, q, coffee(), 1000);
    });
    std::vector<LedgerEntry> seen;
    LedgerFilter f;
    f.limit = 10;
    int pages = 0;
    for (;;) {
        LedgerPage page = s.read([&](ReadTx& tx) { return tx.ledger(id, f); });
        ++pages;
        seen.insert(seen.end(), page.entries.begin(), page.entries.end());
        if (!page.next) break;
        f.after = page.next;
    }
    CHECK(pages == 3);
    REQUIRE(seen.size() == 25);
    for (std::size_t i = 1; i < seen.size(); ++i) {
        const bool desc = seen[i - 1].created_at > seen[i].created_at ||
                          (seen[i - 1].created_at == seen[i].created_at && seen[i - 1].id > seen[i].id);
        CHECK(desc);
    }
    LedgerFilter only;
    only.type = EntryType::expire;
    only.limit = 100;
    CHECK(s.read([&](ReadTx& tx) { return tx.ledger(id, only); }).entries.size() == 5);
    LedgerFilter range;
    range.from = 1010;
    range.to = 1020;
    range.limit = 100;
    auto r = s.read([&](ReadTx& tx) { return tx.ledger(id, range); });
    CHECK(r.entries.size() == 6);
    CHECK_FALSE(r.next);
}

std::string query_plan(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &st, nullptr) == SQLITE_OK);
    std::string plan;
    while (sqlite3_step(st) == SQLITE_ROW)
        plan += std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 3))) + "\n";
    sqlite3_finalize(st);
    sqlite3_close(db);
    return plan;
}

TEST_CASE("store: every ledger page, whatever its filter, is read from the page index alone and in its order") {
    TempDb t;
    { SqliteStore s(t.path); }
    for (int parts = 0; parts < 16; ++parts) {
        LedgerFilter f;
        if (parts & 1) f.type = EntryType::earn;
        if (parts & 2) f.from = 1000;
        if (parts & 4) f.to = 2000;
        if (parts & 8) f.after = LedgerCursor{1500, 7};
        const std::string plan = query_plan(t.path, sql::ledger_page_sql(f));
        CAPTURE(parts);
        CAPTURE(plan);
        CHECK(plan.find("USING COVERING INDEX ledger_member_page") != std::string::npos);
        CHECK(plan.find("TEMP B-TREE") == std::string::npos);
    }
}

TEST_CASE("store: an upgraded database reads the same ledger pages through the page index, the old index gone") {
    TempDb t;
    std::int64_t id = 0;
    LedgerFilter f;
    f.limit = 7;
    LedgerPage before;
    {
        SqliteStore s(t.path);
        id = add_member(s, "13800000001");
        s.write([&](WriteTx& tx) {
            Plan p;
            for (int i = 0; i < 20; ++i) p.entries.push_back(entry(EntryType::earn, i + 1, i + 1, 1000 + (i / 2) * 10));
            tx.apply_plan(id, p, coffee(), 1000);
        });
        before = s.read([&](ReadTx& tx) { return tx.ledger(id, f); });
    }
    // Back to the schema before the step: the old index, not the page index.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(t.path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "CREATE INDEX ledger_member_time ON ledger(member_id, created_at, id);"
                         "DROP INDEX ledger_member_page; DELETE FROM schema_migrations WHERE version >= 18;",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    const char* indexes = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ";
    REQUIRE(count_rows(t.path, std::string(indexes) + "'ledger_member_page'") == 0);
    SqliteStore s(t.path);
    CHECK(s.schema_version() == SqliteStore::latest_schema_version());
    CHECK(count_rows(t.path, std::string(indexes) + "'ledger_member_page'") == 1);
    CHECK(count_rows(t.path, std::string(indexes) + "'ledger_member_time'") == 0);
    const LedgerPage after = s.read([&](ReadTx& tx) { return tx.ledger(id, f); });
    REQUIRE(after.entries.size() == before.entries.size());
    for (std::size_t i = 0; i < after.entries.size(); ++i) {
        CHECK(after.entries[i].id == before.entries[i].id);
        CHECK(after.entries[i].points == before.entries[i].points);
        CHECK(after.entries[i].reason.en == before.entries[i].reason.en);
    }
    REQUIRE(after.next);
    CHECK(after.next->id == before.next->id);
}

TEST_CASE("store: erase anonymises personal data and keeps the ledger") {
    TempDb t;
    SqliteStore s(t.path);
    const std::int64_t id = s.write([&](WriteTx& tx) {
        return tx.insert_member(
            NewMemberRecord{"13800000001", "王小明", "hash", CivilDate{1990, 5, 1}, 1, std::nullopt});
    });
    s.write([&](WriteTx& tx) {
        Plan p;
        p.entries = {entry(EntryType::adjust, 3, 3, 2)};
        p.ledger_total_after = 3;
        tx.apply_plan(id, p, coffee(), 2);
        tx.insert_session(SessionRecord{"h", "member", id, "", 1, 999});
        tx.insert_feedback(
            FeedbackRecord{0, id, 4, "my phone is 138...", "member", 2, std::nullopt, std::nullopt, std::nullopt, ""});
        tx.erase_member(id, 3);
    });
    s.read([&](ReadTx& tx) {
        auto m = tx.member_by_id(id);
        REQUIRE(m);
        CHECK(m->name.empty());
        CHECK(m->pin_hash.empty());
        CHECK_FALSE(m->birthday);
        CHECK(m->phone == "erased:" + std::to_string(id));
        CHECK(m->erased_at == std::optional<UnixSeconds>(3));
        CHECK_FALSE(tx.member_by_phone("13800000001"));
        CHECK_FALSE(tx.session("h"));
        CHECK(tx.feedback(id).at(0).comment.empty());
        CHECK(tx.ledger_all(id).size() == 1);
    });
    // The old phone is free for a new member.
    CHECK(add_member(s, "13800000001") != id);
}

TEST_CASE("store: readers see committed snapshots while a writer works") {
    TempDb t;
    SqliteStore s(t.path);
    const std::int64_t id = add_member(s, "13800000001");
    std::atomic<bool> stop{false};
    std::atomic<int> bad{0}, reads{0};
    std::thread reader([&] {
        while (!stop) {
            s.read([&](ReadTx& tx) {
                MemberState st = tx.load_state(id);
                Points sum = 0;
                for (const auto& l : st.lots) sum += l.remaining;
                if (sum != st.ledger_total) ++bad;  // a torn read would break the invariant
            });
            ++reads;
        }
    });
    // Every 10 writes the writer lets the reader finish a read, so reads fall between the writes
    // however the two threads are scheduled on a busy machine.
    const auto reader_progresses = [&] {
        const int seen = reads;
        while (reads == seen) std::this_thread::yield();
    };
    reader_progresses();
    for (int i = 1; i <= 50; ++i) {
        s.write([&](WriteTx& tx) {
            Plan p;
            Lot l;
            l.original = l.remaining = 1;
            p.new_lots = {l};
            p.entries = {entry(EntryType::bonus, 1, i, i)};
            p.ledger_total_after = i;
            p.lifetime_earned_after = i;
            tx.apply_plan(id, p, coffee(), i);
        });
        if (i % 10 == 0) reader_progresses();
    }
    stop = true;
    reader.join();
    CHECK(bad == 0);
    CHECK(reads > 5);
}

TEST_CASE("store: in-memory database works with reads on the writer") {
    SqliteStore s(":memory:");
    const std::int64_t id = add_member(s, "13800000001");
    CHECK(s.read([&](ReadTx& tx) { return tx.member_by_id(id).has_value(); }));
    CHECK(s.backend() == "sqlite");
}

TEST_CASE("store: every acknowledged write survives kill -9 of the writer") {
    TempDb t;
    { SqliteStore init(t.path); }
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // The writer: commits members one by one and acknowledges each commit on the pipe.
        close(fds[0]);
        try {
            SqliteStore s(t.path);
            for (int i = 1;; ++i) {
                s.write([&](WriteTx& tx) {
                    tx.insert_member(
                        NewMemberRecord{"1380000" + std::to_string(1000 + i), "K", "h", std::nullopt, i, std::nullopt});
                });
                if (write(fds[1], &i, sizeof i) != static_cast<ssize_t>(sizeof i)) _exit(3);
            }
        } catch (...) {
            _exit(2);
        }
    }
    close(fds[1]);
    int last = 0, got = 0;
    while (got < 40 && read(fds[0], &last, sizeof last) == static_cast<ssize_t>(sizeof last)) ++got;
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    // Acks that were in flight when the writer died still count.
    int more = 0;
    while (read(fds[0], &more, sizeof more) == static_cast<ssize_t>(sizeof more)) last = more;
    close(fds[0]);
    CHECK(WIFSIGNALED(status));
    REQUIRE(last >= 40);
    SqliteStore s(t.path);
    const auto n = s.read([](ReadTx& tx) { return tx.member_count(); });
    CHECK(n >= last);
    CHECK(n <= last + 1);  // at most the one commit whose ack never got out
    CHECK(count_rows(t.path, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'") == 1);
}

}  // namespace store_test
