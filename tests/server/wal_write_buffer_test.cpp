// The VFS whose WAL files gather their writes until the next sync (storage/sqlite/wal_write_buffer):
// what a commit wrote is in the files for a connection that does not use it, also when a transaction
// spills pages to the WAL before its commit, rolls back after that, or the WAL restarts from the
// beginning after a checkpoint; and a commit whose frames cannot be written fails whole.
#include <doctest/doctest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "storage/sqlite/wal_write_buffer.hpp"
#include "test_server.hpp"

namespace wal_write_buffer_test {
namespace fs = std::filesystem;
using memberdesk::server::sqlite_vfs::buffered_wal_vfs;

struct TempDb {
    mdtest::TempDir dir;
    std::string path = (dir / "test.db").string();
};

struct Db {
    sqlite3* db = nullptr;
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    Db(const std::string& path, const char* vfs) {
        REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) == SQLITE_OK);
    }
    ~Db() { sqlite3_close(db); }
    void exec(const std::string& sql) {
        char* err = nullptr;
        const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
        INFO(sql << ": " << (err ? err : ""));
        sqlite3_free(err);
        REQUIRE(rc == SQLITE_OK);
    }
    std::int64_t one(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        const std::int64_t v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    }
    std::string text(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        std::string v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return v;
    }
};

// A writer on the buffered VFS, in WAL mode with every commit synced (as the store opens its
// writer), then `setup` run on it.
void start_wal(Db& w, const std::string& setup) {
    w.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; " + setup);
}

TEST_CASE("buffered WAL: each commit is in the files for a connection on the default VFS, before the next write") {
    TempDb t;
    Db w(t.path, buffered_wal_vfs());
    start_wal(w, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    Db plain(t.path, nullptr);
    for (int i = 1; i <= 50; ++i) {
        w.exec("INSERT INTO t (v) VALUES (hex(randomblob(300)))");
        CHECK(plain.one("SELECT count(*) FROM t") == i);
    }
    CHECK(plain.one("SELECT sum(length(v)) FROM t") == w.one("SELECT sum(length(v)) FROM t"));
}

TEST_CASE(
    "buffered WAL: a transaction larger than the page cache reads back its spilled pages, commits and rolls back") {
    TempDb t;
    Db w(t.path, buffered_wal_vfs());
    start_wal(w, "PRAGMA cache_size = 10; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    // ~4 MB in one transaction with a 10-page cache: pages go to the WAL before the commit.
    w.exec(
        "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)"
        " INSERT INTO t SELECT i, hex(randomblob(500)) FROM n");
    CHECK(w.one("SELECT count(*) FROM t WHERE length(v) = 1000") == 4000);  // read back from the WAL
    const std::int64_t sum = w.one("SELECT sum(unicode(v)) FROM t");
    w.exec("COMMIT");
    Db plain(t.path, nullptr);
    CHECK(plain.one("SELECT count(*) FROM t") == 4000);
    CHECK(plain.one("SELECT sum(unicode(v)) FROM t") == sum);
    // Spilled, then rolled back: nothing of it is seen, and the next commit is whole.
    w.exec("BEGIN; UPDATE t SET v = hex(randomblob(500)); DELETE FROM t WHERE id > 2000");
    CHECK(w.one("SELECT count(*) FROM t") == 2000);
    w.exec("ROLLBACK");
    CHECK(plain.one("SELECT count(*) FROM t") == 4000);
    CHECK(plain.one("SELECT sum(unicode(v)) FROM t") == sum);
    w.exec("INSERT INTO t (v) VALUES ('last')");
    CHECK(plain.one("SELECT count(*) FROM t") == 4001);
    CHECK(plain.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("buffered WAL: a WAL that restarts after checkpoints keeps every commit, for readers on either VFS") {
    TempDb t;
    Db w(t.path, buffered_wal_vfs());
    start_wal(w,
              "PRAGMA wal_autocheckpoint = 8; CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER, v TEXT); CREATE INDEX "
              "t_k ON t(k)");
    Db plain(t.path, nullptr);
    Db other(t.path, buffered_wal_vfs());
    std::int64_t expected = 0;
    for (int i = 1; i <= 400; ++i) {
        w.exec("INSERT INTO t (k, v) VALUES (" + std::to_string(i % 37) + ", hex(randomblob(200)))");
        expected += i % 37;
        if (i % 25 == 0) w.exec("PRAGMA wal_checkpoint(RESTART)");
        if (i % 20 == 0) {
            CHECK(plain.one("SELECT sum(k) FROM t") == expected);
            CHECK(other.one("SELECT sum(k) FROM t") == expected);
        }
    }
    CHECK(plain.one("SELECT count(*) FROM t") == 400);
    CHECK(plain.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("buffered WAL: a commit whose frames cannot be written fails, and nothing of it is stored") {
    TempDb t;
    {
        Db w(t.path, buffered_wal_vfs());
        start_wal(w, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('kept')");
    }
    // In a child whose files may not grow past 64 KiB more than the WAL has now, a 1 MB commit
    // reaches the disk only at its sync, where the write fails.
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        signal(SIGXFSZ, SIG_IGN);
        sqlite3* db = nullptr;
        if (sqlite3_open_v2(t.path.c_str(), &db, SQLITE_OPEN_READWRITE, buffered_wal_vfs()) != SQLITE_OK) _exit(2);
        sqlite3_exec(db, "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr);
        std::error_code ec;
        const std::uintmax_t wal_now = fs::file_size(t.path + "-wal", ec);  // none: the last close removed it
        const rlim_t limit = static_cast<rlim_t>((ec ? 0 : wal_now) + (64 << 10));
        rlimit r{limit, limit};
        if (setrlimit(RLIMIT_FSIZE, &r) != 0) _exit(3);
        const int rc =
            sqlite3_exec(db,
                         "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
                         " INSERT INTO t (v) SELECT hex(randomblob(500)) FROM n; COMMIT;",
                         nullptr, nullptr, nullptr);
        _exit(rc == SQLITE_OK ? 4 : 0);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);  // the commit was refused
    Db plain(t.path, nullptr);
    CHECK(plain.one("SELECT count(*) FROM t") == 1);
    CHECK(plain.text("SELECT v FROM t") == "kept");
    CHECK(plain.text("PRAGMA integrity_check") == "ok");
    Db w(t.path, buffered_wal_vfs());
    w.exec("INSERT INTO t (v) VALUES ('after')");
    CHECK(plain.one("SELECT count(*) FROM t") == 2);
}

}  // namespace wal_write_buffer_test
