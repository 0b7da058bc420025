#include "app/backup.hpp"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

namespace memberdesk::server {

namespace {

struct Db {
    sqlite3* db = nullptr;
    ~Db() {
        if (db) sqlite3_close_v2(db);
    }
    std::string message() const { return db ? sqlite3_errmsg(db) : "out of memory"; }
};

}  // namespace

bool backup_sqlite(const std::string& db_path, const std::string& dest, std::string& error) {
    struct stat st {};
    if (::stat(dest.c_str(), &st) == 0) {
        error = dest + " already exists (a backup never overwrites)";
        return false;
    }
    if (::stat(db_path.c_str(), &st) != 0) {
        error = "no database at " + db_path;
        return false;
    }
    const std::string partial = dest + ".partial";
    ::unlink(partial.c_str());
    Db src, out;
    if (sqlite3_open_v2(db_path.c_str(), &src.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        error = db_path + ": " + src.message();
        return false;
    }
    sqlite3_busy_timeout(src.db, 10000);
    if (sqlite3_open_v2(partial.c_str(), &out.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        error = partial + ": " + out.message();
        return false;
    }
    sqlite3_backup* b = sqlite3_backup_init(out.db, "main", src.db, "main");
    if (!b) {
        error = "backup: " + out.message();
        return false;
    }
    int rc = sqlite3_backup_step(b, -1);  // all pages in one read transaction: one consistent moment
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        error = std::string("backup: ") + sqlite3_errstr(rc);
        ::unlink(partial.c_str());
        return false;
    }
    sqlite3_stmt* check = nullptr;
    std::string verdict;
    if (sqlite3_prepare_v2(out.db, "PRAGMA quick_check", -1, &check, nullptr) == SQLITE_OK &&
        sqlite3_step(check) == SQLITE_ROW) {
        const unsigned char* t = sqlite3_column_text(check, 0);
        verdict = t ? reinterpret_cast<const char*>(t) : "";
    }
    sqlite3_finalize(check);
    sqlite3_close_v2(out.db);
    out.db = nullptr;
    if (verdict != "ok") {
        error = "the copy failed its integrity check: " + verdict;
        ::unlink(partial.c_str());
        return false;
    }
    if (::rename(partial.c_str(), dest.c_str()) != 0) {
        error = "cannot rename " + partial + " to " + dest;
        return false;
    }
    return true;
}

int run_backup_command(const std::vector<std::string>& args) {
    std::string db, dest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--db" && i + 1 < args.size()) {
            db = args[++i];
        } else if (a.rfind("--db=", 0) == 0) {
            db = a.substr(5);
        } else if (!a.empty() && a[0] != '-' && dest.empty()) {
            dest = a;
        } else {
            std::fprintf(stderr, "memberdesk-server backup: unexpected '%s'\n", a.c_str());
            return 2;
        }
    }
    if (db.empty() || dest.empty()) {
        std::fprintf(stderr, "usage: memberdesk-server backup --db PATH DEST\n");
        return 2;
    }
    if (db.rfind("postgres", 0) == 0 || db.find('=') != std::string::npos) {
        std::fprintf(stderr,
                     "memberdesk-server backup: %s is PostgreSQL: back it up with pg_dump -Fc (restore with "
                     "pg_restore); docs/postgresql.md\n",
                     db.c_str());
        return 2;
    }
    std::string error;
    if (!backup_sqlite(db, dest, error)) {
        std::fprintf(stderr, "memberdesk-server backup: %s\n", error.c_str());
        return 1;
    }
    std::printf("backed up %s to %s\n", db.c_str(), dest.c_str());
    return 0;
}

}  // namespace memberdesk::server
