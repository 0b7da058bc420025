#include "storage/sqlite/wal_write_buffer.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <new>
#include <string>

namespace memberdesk::server::sqlite_vfs {
namespace {

// Past this many bytes the buffer is written out and started again (a batch of 64 purchases is
// about 7 MB of frames).
constexpr std::size_t kMaxBuffered = 8u << 20;

// A WAL file: our methods in front, the default VFS's file behind (in the same allocation).
struct WalFile {
    sqlite3_file base;
    sqlite3_file* real;
    std::string* pending;  // bytes not yet written, from pending_at on
    sqlite3_int64 pending_at;
};
constexpr std::size_t kWalFileBytes = (sizeof(WalFile) + 7) & ~std::size_t{7};

sqlite3_vfs* g_default = nullptr;
sqlite3_vfs g_vfs;

WalFile* wal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }
const sqlite3_io_methods* real_methods(sqlite3_file* f) { return wal(f)->real->pMethods; }

// The default VFS on Unix writes at most 2^17 - 1 bytes per call (it masks a write's length to 17
// bits and reports a longer one as a full disk), so the buffer goes out in pieces of that size.
constexpr std::size_t kMaxWrite = 0x1ffff;

int write_out(WalFile* w) {
    const std::string& p = *w->pending;
    int rc = SQLITE_OK;
    for (std::size_t done = 0; done < p.size() && rc == SQLITE_OK; done += kMaxWrite) {
        const std::size_t n = std::min(kMaxWrite, p.size() - done);
        rc = w->real->pMethods->xWrite(w->real, p.data() + done, static_cast<int>(n),
                                       w->pending_at + static_cast<sqlite3_int64>(done));
    }
    w->pending->clear();
    return rc;
}

int wal_close(sqlite3_file* f) {
    WalFile* w = wal(f);
    const int written = write_out(w);
    const int rc = w->real->pMethods ? w->real->pMethods->xClose(w->real) : SQLITE_OK;
    delete w->pending;
    w->pending = nullptr;
    return written != SQLITE_OK ? written : rc;
}
int wal_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
    if (int rc = write_out(wal(f)); rc != SQLITE_OK) return rc;
    return real_methods(f)->xRead(wal(f)->real, out, amount, offset);
}
int wal_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    WalFile* w = wal(f);
    std::string& p = *w->pending;
    const bool follows = !p.empty() && offset == w->pending_at + static_cast<sqlite3_int64>(p.size());
    if (!follows || p.size() + static_cast<std::size_t>(amount) > kMaxBuffered) {
        if (int rc = write_out(w); rc != SQLITE_OK) return rc;
        w->pending_at = offset;
    }
    try {
        p.append(static_cast<const char*>(data), static_cast<std::size_t>(amount));
    } catch (const std::bad_alloc&) {
        if (int rc = write_out(w); rc != SQLITE_OK) return rc;
        return w->real->pMethods->xWrite(w->real, data, amount, offset);
    }
    return SQLITE_OK;
}
int wal_truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (int rc = write_out(wal(f)); rc != SQLITE_OK) return rc;
    return real_methods(f)->xTruncate(wal(f)->real, size);
}
int wal_sync(sqlite3_file* f, int flags) {
    if (int rc = write_out(wal(f)); rc != SQLITE_OK) return rc;
    return real_methods(f)->xSync(wal(f)->real, flags);
}
int wal_file_size(sqlite3_file* f, sqlite3_int64* size) {
    if (int rc = write_out(wal(f)); rc != SQLITE_OK) return rc;
    return real_methods(f)->xFileSize(wal(f)->real, size);
}
int wal_lock(sqlite3_file* f, int level) { return real_methods(f)->xLock(wal(f)->real, level); }
int wal_unlock(sqlite3_file* f, int level) { return real_methods(f)->xUnlock(wal(f)->real, level); }
int wal_check_reserved(sqlite3_file* f, int* out) { return real_methods(f)->xCheckReservedLock(wal(f)->real, out); }
int wal_file_control(sqlite3_file* f, int op, void* arg) {
    if (int rc = write_out(wal(f)); rc != SQLITE_OK) return rc;
    return real_methods(f)->xFileControl(wal(f)->real, op, arg);
}
int wal_sector_size(sqlite3_file* f) { return real_methods(f)->xSectorSize(wal(f)->real); }
int wal_device(sqlite3_file* f) { return real_methods(f)->xDeviceCharacteristics(wal(f)->real); }
int wal_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
    return real_methods(f)->xShmMap(wal(f)->real, region, size, extend, out);
}
int wal_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return real_methods(f)->xShmLock(wal(f)->real, offset, n, flags);
}
void wal_shm_barrier(sqlite3_file* f) { real_methods(f)->xShmBarrier(wal(f)->real); }
int wal_shm_unmap(sqlite3_file* f, int del) { return real_methods(f)->xShmUnmap(wal(f)->real, del); }
int wal_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    if (int rc = write_out(wal(f)); rc != SQLITE_OK) return rc;
    return real_methods(f)->xFetch(wal(f)->real, offset, amount, out);
}
int wal_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
    return real_methods(f)->xUnfetch(wal(f)->real, offset, p);
}

const sqlite3_io_methods kWalMethods = {3,
                                        wal_close,
                                        wal_read,
                                        wal_write,
                                        wal_truncate,
                                        wal_sync,
                                        wal_file_size,
                                        wal_lock,
                                        wal_unlock,
                                        wal_check_reserved,
                                        wal_file_control,
                                        wal_sector_size,
                                        wal_device,
                                        wal_shm_map,
                                        wal_shm_lock,
                                        wal_shm_barrier,
                                        wal_shm_unmap,
                                        wal_fetch,
                                        wal_unfetch};

// Every file but a WAL is the default VFS's file as is, in the same memory; a WAL gets our methods.
int open_file(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    if (!(flags & SQLITE_OPEN_WAL)) return g_default->xOpen(g_default, name, f, flags, out_flags);
    WalFile* w = wal(f);
    w->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kWalFileBytes);
    w->pending = new (std::nothrow) std::string;
    if (!w->pending) return SQLITE_NOMEM;
    w->pending_at = 0;
    const int rc = g_default->xOpen(g_default, name, w->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (w->real->pMethods) w->real->pMethods->xClose(w->real);
        delete w->pending;
        w->pending = nullptr;
        w->base.pMethods = nullptr;
        return rc;
    }
    w->base.pMethods = &kWalMethods;
    return SQLITE_OK;
}

}  // namespace

const char* buffered_wal_vfs() {
    static std::once_flag once;
    std::call_once(once, [] {
        g_default = sqlite3_vfs_find(nullptr);
        g_vfs = *g_default;  // the same functions and data for everything but opening files
        g_vfs.pNext = nullptr;
        g_vfs.zName = "memberdesk-buffered-wal";
        g_vfs.szOsFile = static_cast<int>(kWalFileBytes) + g_default->szOsFile;
        g_vfs.xOpen = open_file;
        sqlite3_vfs_register(&g_vfs, 0);
    });
    return g_vfs.zName;
}

}  // namespace memberdesk::server::sqlite_vfs
