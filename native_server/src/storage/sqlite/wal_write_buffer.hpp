// A VFS over SQLite's default one in which a WAL file gathers consecutive writes in memory and
// writes them with one call at its next sync. SQLite writes every WAL frame as two calls (the frame's
// 24-byte header, then the page) and a commit's frames one after the other, so a group commit of
// a few purchases is hundreds of `pwrite` calls, each a system call; this makes it one.
//
// Safe because the store commits with synchronous=FULL (sqlite_store.cpp): a commit syncs the WAL
// before it publishes its frames in the WAL index, so no reader, in this process or another, can
// look for a frame still in the buffer. Frames written without a sync (a transaction larger than
// the page cache spills pages early) are written out before anything reads the file back, asks its
// size, truncates or closes it. Nothing else changes: the database file and the shared-memory index
// are the default VFS's own.
#pragma once

namespace memberdesk::server::sqlite_vfs {

// Registers the VFS (once; not as the default) and returns its name for sqlite3_open_v2.
const char* buffered_wal_vfs();

}  // namespace memberdesk::server::sqlite_vfs
