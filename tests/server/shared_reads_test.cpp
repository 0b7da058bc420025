// Store::SharedReads on SQLite: a thread's reads inside the scope share one read transaction (one
// snapshot) until the scope ends, the thread writes, or a read throws.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

#include "service/crypto.hpp"
#include "storage/sqlite/sqlite_store.hpp"

using namespace memberdesk;
using namespace memberdesk::server;

namespace shared_reads_test {
namespace fs = std::filesystem;

namespace {

struct TempDb {
    fs::path dir = fs::temp_directory_path() / ("md_sr_" + crypto::random_code(10));
    TempDb() { fs::create_directories(dir); }
    ~TempDb() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::string path() const { return (dir / "sr.db").string(); }
};

void add_member(Store& s, int n) {
    s.write([&](WriteTx& tx) {
        tx.insert_member(NewMemberRecord{"1380000" + std::to_string(1000 + n), "M" + std::to_string(n), "h",
                                         std::nullopt, 1, std::nullopt});
    });
}

std::int64_t count(Store& s) {
    return s.read([](ReadTx& tx) { return tx.member_count(); });
}

// A write by another thread (its own transaction, committed before this returns).
void add_member_elsewhere(Store& s, int n) {
    std::thread t([&] { add_member(s, n); });
    t.join();
}

}  // namespace

TEST_CASE("shared reads: the reads of one scope see one snapshot, later reads see what others committed") {
    TempDb db;
    SqliteStore s(db.path());
    add_member(s, 1);
    {
        Store::SharedReads shared(s);
        CHECK(count(s) == 1);
        add_member_elsewhere(s, 2);
        CHECK(count(s) == 1);  // the scope's snapshot
    }
    CHECK(count(s) == 2);
}

TEST_CASE("shared reads: a write on the thread ends the shared transaction, so the reads after it see it") {
    TempDb db;
    SqliteStore s(db.path());
    Store::SharedReads shared(s);
    CHECK(count(s) == 0);
    add_member(s, 1);
    CHECK(count(s) == 1);  // the read after the write opened a new transaction
}

TEST_CASE("shared reads: a read that throws ends the shared transaction; the next read starts afresh") {
    TempDb db;
    SqliteStore s(db.path());
    Store::SharedReads shared(s);
    CHECK(count(s) == 0);
    CHECK_THROWS_AS(s.read([](ReadTx&) -> int { throw std::runtime_error("in a read"); }), std::runtime_error);
    add_member_elsewhere(s, 1);
    CHECK(count(s) == 1);
}

TEST_CASE("shared reads: nested scopes and nested reads share the outer transaction") {
    TempDb db;
    SqliteStore s(db.path());
    add_member(s, 1);
    Store::SharedReads outer(s);
    CHECK(count(s) == 1);
    {
        Store::SharedReads inner(s);
        add_member_elsewhere(s, 2);
        const std::int64_t nested = s.read([&](ReadTx&) { return count(s); });
        CHECK(nested == 1);
    }
    CHECK(count(s) == 1);  // the inner scope's end left the outer one's transaction open
}

TEST_CASE("shared reads: other threads' reads are not part of the scope") {
    TempDb db;
    SqliteStore s(db.path());
    Store::SharedReads shared(s);
    CHECK(count(s) == 0);
    add_member_elsewhere(s, 1);
    std::optional<std::int64_t> seen;
    std::thread t([&] { seen = count(s); });
    t.join();
    CHECK(seen == 1);
    CHECK(count(s) == 0);
}

}  // namespace shared_reads_test
