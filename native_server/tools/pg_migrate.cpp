// memberdesk-pg-migrate SQLITE_FILE CONNINFO
// Copies an existing SQLite database (of a stopped server) into an empty PostgreSQL database: the
// schema is created by the same migrations the server runs, every table is copied in one
// transaction, row counts and point totals are checked. scripts/pg-migrate-from-sqlite wraps it.
#include <cstring>
#include <iostream>

#include "storage/pg/pg_store.hpp"

int main(int argc, char** argv) {
    if (argc == 2 && (std::strcmp(argv[1], "-h") == 0 || std::strcmp(argv[1], "--help") == 0)) {
        std::cout << "usage: memberdesk-pg-migrate SQLITE_FILE CONNINFO\n"
                     "  Copies a memberdesk SQLite database into an empty PostgreSQL database\n"
                     "  (CONNINFO: postgresql://user@host:port/db or 'host=... dbname=...').\n"
                     "  Stop the servers using SQLITE_FILE first. Exit 0 on success, 1 on failure.\n";
        return 0;
    }
    if (argc != 3) {
        std::cerr << "usage: memberdesk-pg-migrate SQLITE_FILE CONNINFO (--help for more)\n";
        return 2;
    }
    try {
        memberdesk::server::pg_import_sqlite(argv[1], argv[2], std::cout);
    } catch (const std::exception& e) {
        std::cerr << "memberdesk-pg-migrate: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
