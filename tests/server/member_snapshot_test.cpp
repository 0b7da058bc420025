// The stored member snapshot (docs/design.md "Member snapshots"): every write keeps it in the same
// transaction, and it always equals the snapshot of the replay of the member's whole history. The
// harness runs with check_snapshots (and check_after_state), so any write whose snapshot differs
// fails; these cases also read the stored row directly.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "memberdesk/snapshot.hpp"
#include "service_harness.hpp"

using namespace memberdesk;
using namespace memberdesk::server;

namespace member_snapshot_test {

namespace {

using mdtest::kAdmin;
using mdtest::kPos;

struct Snapshots : mdtest::ServiceHarness {
    explicit Snapshots(const char* start) : ServiceHarness(start, true) {}

    void refund(const std::string& txn, const std::string& refund_id, Cents amount) {
        auto r = svc->refund(kPos, RefundRequest{txn, refund_id, amount});
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    }
    void sql(const std::string& statement) {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open((dir / "test.db").string().c_str(), &db) == SQLITE_OK);
        char* msg = nullptr;
        const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &msg);
        const std::string error = msg ? msg : "";
        sqlite3_free(msg);
        sqlite3_close(db);
        REQUIRE_MESSAGE(rc == SQLITE_OK, error);
    }
};

// What the database holds for the member: the decoded snapshot, whether it is current, and its
// difference from the snapshot of the replay at its horizon.
struct Stored {
    bool present = false, current = false, decodes = false;
    MemberState snapshot;
    MemberState unmerged;  // the same without merged lots: what rows from before them hold
    std::string difference;
    std::size_t purchases_in_history = 0;
};

Stored stored(Snapshots& f, std::int64_t id) {
    return f.store->read([&](ReadTx& tx) {
        Stored out;
        auto row = tx.load_snapshot(id);
        if (!row) return out;
        out.present = true;
        out.current = row->current;
        auto& s = row->state;
        if (!s) return out;
        out.decodes = true;
        out.snapshot = *s;
        const MemberState full = tx.load_state(id);
        out.purchases_in_history = full.purchases.size();
        out.unmerged = snapshot_of(f.svc->zone(), full, row->horizon);
        out.difference = state_difference(*s, snapshot_like(f.svc->zone(), full, *s));
        CHECK(s->earlier_purchases.horizon.value_or(0) == row->horizon);
        return out;
    });
}

void require_matches_replay(Snapshots& f, std::int64_t id) {
    const Stored s = stored(f, id);
    REQUIRE(s.present);
    CHECK(s.current);
    REQUIRE(s.decodes);
    CHECK_MESSAGE(s.difference.empty(), s.difference);
}

}  // namespace

TEST_CASE("a member with two years of daily purchases keeps a snapshot equal to the replay of the history") {
    Snapshots f("2024-01-01T02:00:00Z");
    const auto id = f.member("13800000001");
    const UnixSeconds start = f.clock.now();
    constexpr int kDays = 730;
    for (int d = 0; d < kDays; ++d) {
        f.clock.set(start + d * 86400);
        f.buy("13800000001", 2800 + (d % 7) * 100, "D" + std::to_string(d));
    }
    require_matches_replay(f, id);
    const Stored s = stored(f, id);
    CHECK(s.purchases_in_history == kDays);
    // The older purchases are summarised, not listed: the snapshot stays small.
    REQUIRE(s.snapshot.earlier_purchases.horizon);
    CHECK(*s.snapshot.earlier_purchases.horizon == snapshot_horizon(f.svc->program(), f.svc->zone(), f.clock.now()));
    CHECK(s.snapshot.earlier_purchases.count > 300);
    CHECK(s.snapshot.purchases.size() < 450);
    CHECK(s.snapshot.purchases.size() + static_cast<std::size_t>(s.snapshot.earlier_purchases.count) == kDays);
    // The open lots of each expiry month are merged: about 13 lots listed, not about 400.
    std::int64_t lots = 0;
    for (const auto& l : s.snapshot.lots) lots += l.merged > 0 ? l.merged : 1;
    CHECK(s.snapshot.lots.size() <= 14);
    CHECK(lots > 300);
    // Decisions that need the merged lots one by one get them from storage (each write is checked
    // against the replay): a refund of a purchase whose lot is merged, a spend through several months.
    f.refund("D" + std::to_string(kDays - 40), "R-merged", 1000);
    auto spent = f.svc->adjust(kAdmin, id, -static_cast<Points>(lots / 2), "spend through merged lots");
    REQUIRE(spent.ok());
    require_matches_replay(f, id);
    // Reads are served from it and agree with the full state.
    auto me = f.svc->me(id, false);
    REQUIRE(me.ok());
    auto member = f.svc->get_member(id);
    REQUIRE(member.ok());
    CHECK((*member)["purchases"] == kDays);
}

TEST_CASE("a database from before the snapshot step gets every member's snapshot when the server starts") {
    Snapshots f("2025-01-10T02:00:00Z");
    const auto a = f.member("13800000001");
    const auto b = f.member("13800000002");
    const auto c = f.member("13800000003");
    std::vector<Reply> first;
    for (int d = 0; d < 40; ++d) {
        f.clock.set(f.clock.now() + 20 * 86400);
        first.push_back(f.buy("13800000001", 5000, "A" + std::to_string(d)));
        if (d % 3 == 0) f.buy("13800000002", 1200, "B" + std::to_string(d));
    }
    f.svc.reset();
    // Back to the schema before the snapshot step (the steps after it undone too: idempotency keyed
    // WITHOUT ROWID as before step 17).
    f.sql(
        "ALTER TABLE idempotency RENAME TO idempotency_rowid;"
        "CREATE TABLE idempotency (scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,"
        " status INTEGER NOT NULL, response TEXT NOT NULL, member_id INTEGER NOT NULL, created_at INTEGER NOT NULL,"
        " PRIMARY KEY (scope, key)) WITHOUT ROWID;"
        "INSERT INTO idempotency SELECT * FROM idempotency_rowid; DROP TABLE idempotency_rowid;"
        "DROP INDEX coupons_issued; DROP INDEX coupons_used;"
        "DROP INDEX feedback_time; ALTER TABLE feedback DROP COLUMN product; ALTER TABLE feedback DROP COLUMN service;"
        "ALTER TABLE feedback DROP COLUMN environment; ALTER TABLE feedback DROP COLUMN store;"
        "DROP TABLE report_facts_meta; DROP TABLE member_units; DROP TABLE unit_day_facts; DROP TABLE unit_visit_gaps;"
        "DROP TABLE member_activity;"
        "DROP TABLE member_snapshots; DELETE FROM schema_migrations WHERE version >= 11;");
    f.restart();
    CHECK(f.store->schema_version() == SqliteStore::latest_schema_version());
    CHECK(f.store->read([](ReadTx& tx) { return tx.members_without_snapshot(0, 10).size(); }) == 0);
    for (auto id : {a, b, c}) require_matches_replay(f, id);
    // The purchases' idempotency rows came through step 17: a retry gets the first answer.
    for (int d : {0, 17, 39}) {
        const Reply again = f.buy("13800000001", 5000, "A" + std::to_string(d));
        CHECK(again.body == first[static_cast<std::size_t>(d)].body);
    }
    require_matches_replay(f, a);
    // And writes carry on from them.
    f.buy("13800000001", 5000, "after-upgrade");
    require_matches_replay(f, a);
}

TEST_CASE("snapshot rows in hex text from before the binary step are converted when the server starts") {
    Snapshots f("2025-01-10T02:00:00Z");
    const auto a = f.member("13800000001");
    const auto b = f.member("13800000002");
    const auto c = f.member("13800000003");
    for (int d = 0; d < 30; ++d) {
        f.clock.set(f.clock.now() + 15 * 86400);
        f.buy("13800000001", 3000 + d, "A" + std::to_string(d));
        if (d % 4 == 0) f.buy("13800000003", 900, "C" + std::to_string(d));
    }
    const Stored before_a = stored(f, a), before_b = stored(f, b);
    REQUIRE(before_a.decodes);
    REQUIRE(before_b.decodes);
    f.svc.reset();
    // Back to step 13: the hex text rows of the fixed-width form, and one row that is not hex.
    auto hex = [](const std::string& bytes) {
        static const char* digits = "0123456789abcdef";
        std::string out;
        for (unsigned char ch : bytes) {
            out += digits[ch >> 4];
            out += digits[ch & 15];
        }
        return out;
    };
    auto old_row = [&](std::int64_t id, const MemberState& s) {
        return "INSERT INTO member_snapshots SELECT id, " + std::to_string(s.earlier_purchases.horizon.value_or(0)) +
               ", rev, '" + hex(encode_snapshot_v1(s)) + "' FROM members WHERE id = " + std::to_string(id) + ";";
    };
    f.sql(
        "DROP TABLE report_facts_meta; DROP TABLE member_units; DROP TABLE unit_day_facts; DROP TABLE unit_visit_gaps;"
        "DROP TABLE member_activity;"
        "DROP TABLE member_snapshots; DELETE FROM schema_migrations WHERE version >= 14;"
        "CREATE TABLE member_snapshots (member_id INTEGER PRIMARY KEY REFERENCES members(id), "
        "horizon INTEGER NOT NULL, rev INTEGER NOT NULL, bytes TEXT NOT NULL);" +
        old_row(a, before_a.unmerged) + old_row(b, before_b.unmerged) +
        "INSERT INTO member_snapshots SELECT id, 0, rev, 'zz' FROM members WHERE id = " + std::to_string(c) + ";");
    {
        // The schema step alone (no service): the hex rows are converted, the bad one left out.
        SqliteStore direct((f.dir / "test.db").string());
        CHECK(direct.schema_version() == SqliteStore::latest_schema_version());
        direct.read([&](ReadTx& tx) {
            for (auto [id, want] : {std::pair{a, &before_a}, std::pair{b, &before_b}}) {
                auto row = tx.load_snapshot(id);
                REQUIRE(row);
                CHECK(row->current);
                REQUIRE(row->state);
                const std::string diff = state_difference(*row->state, want->unmerged);
                CHECK_MESSAGE(diff.empty(), diff);
                CHECK(row->size == encode_snapshot(want->unmerged).size());
                // Under a quarter of the hex text it replaces.
                CHECK(row->size * 4 < 2 * encode_snapshot_v1(want->unmerged).size());
            }
            CHECK_FALSE(tx.load_snapshot(c));
            CHECK(tx.members_without_snapshot(0, 10) == std::vector<std::int64_t>{c});
        });
    }
    // The server's start builds the missing one; every row equals the replay and writes carry on.
    f.restart();
    CHECK(f.store->read([](ReadTx& tx) { return tx.members_without_snapshot(0, 10).size(); }) == 0);
    for (auto id : {a, b, c}) require_matches_replay(f, id);
    f.buy("13800000003", 5000, "after-upgrade");
    require_matches_replay(f, c);
}

TEST_CASE("a corrupt or stale snapshot row is rebuilt from the history at the next write") {
    Snapshots f("2025-01-10T02:00:00Z");
    const auto id = f.member("13800000001");
    for (int d = 0; d < 20; ++d) {
        f.clock.set(f.clock.now() + 30 * 86400);
        f.buy("13800000001", 3000, "T" + std::to_string(d));
    }
    const std::string where = " WHERE member_id = " + std::to_string(id);
    for (const std::string& bad :
         {"UPDATE member_snapshots SET bytes = 'not hex'" + where,
          "UPDATE member_snapshots SET bytes = '00ff00ff'" + where,
          "UPDATE member_snapshots SET bytes = substr(bytes, 1, length(bytes) - 1)" + where,
          "UPDATE member_snapshots SET bytes = X'02'" + where, "UPDATE member_snapshots SET rev = rev - 1" + where,
          "DELETE FROM member_snapshots" + where}) {
        CAPTURE(bad);
        f.sql(bad);
        // A read cannot write: it is served from the history, and agrees.
        auto me = f.svc->me(id, false);
        REQUIRE(me.ok());
        f.buy("13800000001", 3000, "after " + bad);
        require_matches_replay(f, id);
    }
}

TEST_CASE("a clock set back before the snapshot's horizon rebuilds it from the history") {
    Snapshots f("2024-01-10T02:00:00Z");
    const auto id = f.member("13800000001");
    for (int d = 0; d < 36; ++d) {
        f.clock.set(f.clock.now() + 30 * 86400);
        f.buy("13800000001", 4000, "T" + std::to_string(d));
    }
    const UnixSeconds late = *stored(f, id).snapshot.earlier_purchases.horizon;
    f.clock.set(mdtest::at("2024-06-01T02:00:00Z"));
    f.buy("13800000001", 4000, "back in time");
    const Stored s = stored(f, id);
    REQUIRE(s.snapshot.earlier_purchases.horizon);
    CHECK(*s.snapshot.earlier_purchases.horizon < late);
    CHECK(*s.snapshot.earlier_purchases.horizon ==
          snapshot_horizon(f.svc->program(), f.svc->zone(), mdtest::at("2024-06-01T02:00:00Z")));
    require_matches_replay(f, id);
}

TEST_CASE("refunds of purchases older than the snapshot's horizon are taken from storage") {
    Snapshots f("2024-01-10T02:00:00Z");
    const auto busy = f.member("13800000001");
    const auto quiet = f.member("13800000002");
    f.buy("13800000001", 20000, "OLD-A");
    f.buy("13800000002", 20000, "OLD-B");
    for (int d = 0; d < 24; ++d) {
        f.clock.set(f.clock.now() + 30 * 86400);
        f.buy("13800000001", 3000, "T" + std::to_string(d));
    }
    REQUIRE(stored(f, busy).snapshot.earlier_purchases.count >= 1);
    // Part, then the rest, of a summarised purchase of a member who bought since.
    f.refund("OLD-A", "R1", 5000);
    require_matches_replay(f, busy);
    f.refund("OLD-A", "R2", 15000);
    require_matches_replay(f, busy);
    // The whole of the only purchase of a member who bought nothing since: the fold cannot follow
    // (the latest purchase with spend goes), so the snapshot is rebuilt from the history.
    auto poke = f.svc->adjust(kAdmin, quiet, 10, "a write compacts the snapshot at today's horizon");
    REQUIRE(poke.ok());
    REQUIRE(stored(f, quiet).snapshot.purchases.empty());
    f.refund("OLD-B", "R3", 20000);
    require_matches_replay(f, quiet);
    CHECK(stored(f, quiet).snapshot.earlier_purchases.count >= 1);
}

}  // namespace member_snapshot_test
