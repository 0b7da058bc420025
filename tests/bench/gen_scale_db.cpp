// gen_scale_db: fills a memberdesk SQLite database (schema already created by memberdesk-server)
// with N generated members for scripts/bench-scale.  Every member looks like a real one a year in:
// 10 purchases (one every 30 days, the last 10 days ago), each with its earn entry and points lot,
// and 10 redemptions of half of those points (redeem entries that consume the lot): 20 ledger rows
// per member, so the default 1,000,000 members make 20,000,000 ledger rows.  The books are
// consistent (ledger_total == sum of ledger points == sum of lot remainders, balance_after is the
// running total) and nothing is due for catch-up (no lot expires within a year, no birthday), so
// reads take the read-only path.  Their next scheduled reach day is a month away, so a server
// started on the database runs no reach (scripts/bench-scale --reach makes them due).  PIN of every member: 123456 (the pin_hash of member 1, which the
// caller creates through the API first, or any existing member).  Phones: 139 followed by the
// 8-digit member id.
//
//   gen_scale_db DB MEMBERS      (progress bar and timing on stderr)
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

namespace {

sqlite3* db = nullptr;

void check(int rc, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "\ngen_scale_db: %s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}
void exec(const char* sql) { check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql); }
sqlite3_stmt* prep(const char* sql) {
    sqlite3_stmt* s = nullptr;
    check(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), sql);
    return s;
}
void step(sqlite3_stmt* s, const char* what) {
    check(sqlite3_step(s), what);
    sqlite3_reset(s);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: gen_scale_db DB MEMBERS\n");
        return 2;
    }
    const long members = std::atol(argv[2]);
    check(sqlite3_open(argv[1], &db), "open");
    // Bulk load: no journal, no fsync (the file is thrown away on failure); WAL again at the end.
    exec("PRAGMA journal_mode = DELETE");
    exec("PRAGMA journal_mode = OFF");
    exec("PRAGMA synchronous = OFF");
    exec("PRAGMA cache_size = -1048576");  // 1 GiB
    exec("PRAGMA temp_store = MEMORY");

    std::string pin_hash;
    long first_id = 0;
    {
        sqlite3_stmt* s =
            prep("SELECT pin_hash, (SELECT coalesce(max(id), 0) FROM members) FROM members ORDER BY id LIMIT 1");
        if (sqlite3_step(s) != SQLITE_ROW) {
            std::fprintf(stderr, "gen_scale_db: create member 1 through the API first (its pin_hash is reused)\n");
            return 1;
        }
        pin_hash = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
        first_id = sqlite3_column_int64(s, 1) + 1;
        sqlite3_finalize(s);
    }

    sqlite3_stmt* ins_member = prep(
        "INSERT INTO members (id, phone, name, pin_hash, birthday, joined_at, tier_id, tier_since, debt, "
        "lifetime_earned, ledger_total, updated_at, reach_due) VALUES (?, ?, ?, ?, NULL, ?, '', ?, 0, ?, ?, ?, ?)");
    sqlite3_stmt* ins_lot = prep(
        "INSERT INTO lots (member_id, original, remaining, earned_at, available_at, expires_at, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt* ins_ledger = prep(
        "INSERT INTO ledger (member_id, type, points, balance_after, reason_zh, reason_en, created_at, expires_at, "
        "store, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'S001', ?)");
    sqlite3_stmt* ins_purchase = prep(
        "INSERT INTO purchases (member_id, txn_id, amount, refunded, at, store, points, tier_id) "
        "VALUES (?, ?, ?, 0, ?, 'S001', ?, '')");

    const long now = static_cast<long>(std::time(nullptr));
    const long day = 86400;
    const auto t0 = std::chrono::steady_clock::now();
    long ledger_rows = 0;
    const long batch = 5000;
    char buf[64], buf2[64];
    exec("BEGIN");
    for (long n = 0; n < members; ++n) {
        const long id = first_id + n;
        const long joined = now - 310 * day - (id % 7) * 3600;
        long total = 0, earned = 0;
        for (int k = 0; k < 10; ++k) {
            const long at = joined + (k + 1) * 30 * day;                       // last one: 10 days ago
            const long amount = 2000 + ((id * 7919 + k * 104729) % 48) * 500;  // ¥20..¥255
            const long points = amount / 1000;                                 // coffee: 1 point per ¥10
            const long spent = points / 2;
            const long expires = at + 400 * day;
            std::snprintf(buf, sizeof buf, "G%ld-%d", id, k);
            std::snprintf(buf2, sizeof buf2, "purchase:%s", buf);
            // purchase
            sqlite3_bind_int64(ins_purchase, 1, id);
            sqlite3_bind_text(ins_purchase, 2, buf, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(ins_purchase, 3, amount);
            sqlite3_bind_int64(ins_purchase, 4, at);
            sqlite3_bind_int64(ins_purchase, 5, points);
            step(ins_purchase, "insert purchase");
            // lot (already half spent by the redemption below)
            sqlite3_bind_int64(ins_lot, 1, id);
            sqlite3_bind_int64(ins_lot, 2, points);
            sqlite3_bind_int64(ins_lot, 3, points - spent);
            sqlite3_bind_int64(ins_lot, 4, at);
            sqlite3_bind_int64(ins_lot, 5, at);
            sqlite3_bind_int64(ins_lot, 6, expires);
            sqlite3_bind_text(ins_lot, 7, buf2, -1, SQLITE_TRANSIENT);
            step(ins_lot, "insert lot");
            // earn entry
            total += points;
            earned += points;
            sqlite3_bind_int64(ins_ledger, 1, id);
            sqlite3_bind_text(ins_ledger, 2, "earn", -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins_ledger, 3, points);
            sqlite3_bind_int64(ins_ledger, 4, total);
            sqlite3_bind_text(ins_ledger, 5, "消费获得积分", -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_ledger, 6, "Points for a purchase", -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins_ledger, 7, at);
            sqlite3_bind_int64(ins_ledger, 8, expires);
            sqlite3_bind_text(ins_ledger, 9, buf, -1, SQLITE_TRANSIENT);
            step(ins_ledger, "insert earn entry");
            // redeem entry, an hour later
            total -= spent;
            sqlite3_bind_int64(ins_ledger, 1, id);
            sqlite3_bind_text(ins_ledger, 2, "redeem", -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins_ledger, 3, -spent);
            sqlite3_bind_int64(ins_ledger, 4, total);
            sqlite3_bind_text(ins_ledger, 5, "兑换奖励", -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_ledger, 6, "Reward redeemed", -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins_ledger, 7, at + 3600);
            sqlite3_bind_null(ins_ledger, 8);
            sqlite3_bind_text(ins_ledger, 9, "reward:pastry", -1, SQLITE_STATIC);
            step(ins_ledger, "insert redeem entry");
            ledger_rows += 2;
        }
        std::snprintf(buf, sizeof buf, "139%08ld", id);
        std::snprintf(buf2, sizeof buf2, "Member %ld", id);
        sqlite3_bind_int64(ins_member, 1, id);
        sqlite3_bind_text(ins_member, 2, buf, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins_member, 3, buf2, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins_member, 4, pin_hash.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_member, 5, joined);
        sqlite3_bind_int64(ins_member, 6, joined);
        sqlite3_bind_int64(ins_member, 7, earned);
        sqlite3_bind_int64(ins_member, 8, total);
        sqlite3_bind_int64(ins_member, 9, joined);
        sqlite3_bind_int64(ins_member, 10, now / day + 30);
        step(ins_member, "insert member");

        if ((n + 1) % batch == 0 || n + 1 == members) {
            exec("COMMIT");
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            const double frac = static_cast<double>(n + 1) / static_cast<double>(members);
            const int width = 40, filled = static_cast<int>(frac * width);
            std::fprintf(stderr, "\r[%.*s%*s] %5.1f%%  %ld members, %ld ledger rows, %.1f s, ETA %.0f s ", filled,
                         "########################################", width - filled, "", frac * 100, n + 1, ledger_rows,
                         secs, frac > 0 ? secs / frac - secs : 0.0);
            if (n + 1 < members) exec("BEGIN");
        }
    }
    std::fprintf(stderr, "\n");
    sqlite3_finalize(ins_member);
    sqlite3_finalize(ins_lot);
    sqlite3_finalize(ins_ledger);
    sqlite3_finalize(ins_purchase);
    // The rows were written behind the server's back: its report facts are stale (rebuilt at start).
    {
        sqlite3_stmt* s = prep("SELECT count(*) FROM sqlite_master WHERE name = 'report_facts_meta'");
        const bool has = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
        sqlite3_finalize(s);
        if (has) exec("DELETE FROM report_facts_meta");
    }
    exec("ANALYZE");
    // Statistics only for the tables filled here: the others (member_snapshots with its one row,
    // ...) fill up at the server's start, and a plan made for one row would scan them per member.
    exec("DELETE FROM sqlite_stat1 WHERE tbl NOT IN ('members', 'lots', 'ledger', 'purchases')");
    exec("PRAGMA journal_mode = WAL");
    sqlite3_close(db);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("generated %ld members (ids %ld..%ld), %ld ledger rows, %ld lots, %ld purchases in %.1f s\n", members,
                first_id, first_id + members - 1, ledger_rows, members * 10, members * 10, secs);
    return 0;
}
