// SQLite backend of Store (libsqlite3, no ORM). One write connection (BEGIN IMMEDIATE: one writer
// at a time, also across processes) on which concurrent writes are committed in batches (group
// commit: each write in a savepoint, one COMMIT for the batch), a small pool of read connections
// (WAL lets readers run beside the writer), prepared statements cached per connection.
// Durability: journal_mode=WAL + synchronous=FULL, so a write has been fsynced before it returns.
// The schema is versioned (schema_migrations) and migrated at open, each step in its own transaction.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "storage/store.hpp"

namespace memberdesk::server {

struct SqliteOptions {
    // Read connections (opened as needed). Fewer than the HTTP workers reading at once means
    // handing connections from thread to thread: 4 held GET /me at 64 connections to ~21k r/s with
    // a p99 of 14-18 ms, 16 gave ~31-40k r/s and 7.5-9 ms (docs/performance.md); each costs at most
    // SQLite's page cache (2 MB).
    int read_connections = 16;  // 0 = reads share the write connection (always so for ":memory:")
    int busy_timeout_ms = 5000;
    int max_write_batch = 64;  // writes committed together (group commit); 1 = a commit per write
};

class SqliteStore final : public Store {
public:
    // Opens (creating if needed) and migrates the database. Throws StoreError naming the problem.
    explicit SqliteStore(const std::string& path, SqliteOptions options = {});
    ~SqliteStore() override;

    std::string backend() const override { return "sqlite"; }
    int schema_version() override;
    static int latest_schema_version();

    const std::string& path() const;
    // Tests: replace the coupon code generator (to force collisions).
    void set_coupon_code_generator(std::function<std::string()> gen);

protected:
    void run_write(const std::function<void(WriteTx&)>& fn) override;
    void run_read(const std::function<void(ReadTx&)>& fn) override;
    void begin_shared_reads() override;
    void end_shared_reads() override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace memberdesk::server
