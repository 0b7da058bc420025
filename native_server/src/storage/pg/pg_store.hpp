// PostgreSQL backend of Store (libpq, no ORM), for a chain running several server processes on
// one database. Selected by `--db postgresql://...` / `postgres://...` or any libpq conninfo
// ("host=... dbname=..."); see docs/postgresql.md.
//
// - Same schema versions as SqliteStore (schema_migrations 1..N, the same step names), applied at
//   start under an advisory lock, so several processes starting together migrate once.
// - A pool of connections (PgOptions::pool_size, `--db-pool N`), opened lazily; prepared
//   statements cached per connection.
// - Writes: one READ COMMITTED transaction per operation, serialised per *key* across processes:
//   in a write transaction every lookup the service decides on takes a lock first — the member row
//   (`SELECT ... FOR UPDATE` in member_by_id / load_state), the coupon row (coupon_by_code), and
//   transaction-scoped advisory locks on idempotency keys, phones, login-failure counters and
//   reward stock. A statement after the lock sees everything committed before it was granted, so
//   each decision is made on fresh data. Deadlocks / serialisation failures are retried.
// - Reads: REPEATABLE READ READ ONLY (one consistent snapshot), like SQLite's read transactions.
// - A broken connection (database restarted) is dropped, with every idle one; the operation is
//   retried once on a fresh connection if it never reached COMMIT, else StoreError(busy) (HTTP 503).
#pragma once
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "storage/store.hpp"

namespace memberdesk::server {

struct PgOptions {
    int pool_size = 10;              // connections per process (--db-pool N)
    int acquire_timeout_ms = 10000;  // waiting for a free connection -> StoreError(busy)
    int connect_timeout_s = 5;       // unless the conninfo sets connect_timeout
    int lock_timeout_ms = 15000;     // a lock wait longer than this -> StoreError(busy)
    int max_retries = 12;            // deadlock / serialization failure retries per operation
};

// True for "postgresql://", "postgres://" URLs and keyword conninfo strings ("host=... dbname=...").
bool is_postgres_conninfo(const std::string& db);

class PgStore final : public Store {
public:
    // Connects, migrates (creating the schema if the conninfo's search_path names a schema that
    // does not exist yet). Throws StoreError naming the problem.
    explicit PgStore(const std::string& conninfo, PgOptions options = {});
    ~PgStore() override;

    std::string backend() const override { return "postgresql"; }
    int schema_version() override;
    static int latest_schema_version();

    // Tests: replace the coupon code generator (to force collisions).
    void set_coupon_code_generator(std::function<std::string()> gen);
    // Connections currently open (idle + in use), and how many broken ones were replaced.
    int open_connections() const;
    long long reconnects() const;

protected:
    void run_write(const std::function<void(WriteTx&)>& fn) override;
    void run_read(const std::function<void(ReadTx&)>& fn) override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Copies a SQLite database of the same schema version into an empty PostgreSQL database (migrated
// first), in one transaction, then checks the row counts. Throws StoreError on any problem; logs
// progress to `log`. Used by memberdesk-pg-migrate (scripts/pg-migrate-from-sqlite).
void pg_import_sqlite(const std::string& sqlite_path, const std::string& conninfo, std::ostream& log);

}  // namespace memberdesk::server
