// memberdesk-server backup --db PATH DEST: an online, consistent copy of the SQLite database.
#pragma once
#include <string>
#include <vector>

namespace memberdesk::server {

// Copies the database at `db_path` to `dest` (which must not exist) with SQLite's online backup API:
// one read transaction, so the copy is the state of one moment while the server keeps writing.
// Written to DEST.partial, checked (PRAGMA quick_check) and renamed. False + `error` on failure.
bool backup_sqlite(const std::string& db_path, const std::string& dest, std::string& error);

// The command line after "backup"; returns the process exit status (0 ok, 1 failed, 2 usage).
int run_backup_command(const std::vector<std::string>& args);

}  // namespace memberdesk::server
