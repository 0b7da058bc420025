// A Service over a real SQLite file in a temporary directory with a TestClock, for the tests that
// call the service directly (service_test.cpp, after_state_test.cpp). PINs use libsodium's minimum
// argon2id cost so that the suites stay fast.
#pragma once
#include <doctest/doctest.h>
#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include "service/crypto.hpp"
#include "service/service.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/store.hpp"

namespace mdtest {

using namespace memberdesk;
using namespace memberdesk::server;

inline UnixSeconds at(const char* rfc3339) {
    auto r = parse_rfc3339(rfc3339);
    REQUIRE(r.ok());
    return *r;
}

// The real zone from Debian's tzdata; a fixed +08:00 only if the file is missing.
inline ZoneRules shanghai() {
    std::ifstream f("/usr/share/zoneinfo/Asia/Shanghai", std::ios::binary);
    if (f) {
        std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        auto z = ZoneRules::from_tzif("Asia/Shanghai", bytes);
        if (z.ok()) return *z;
    }
    return ZoneRules::fixed("Asia/Shanghai", 8 * 3600);
}

inline const Actor kAdmin{Actor::Kind::admin, "admin", 0};
inline const Actor kPos{Actor::Kind::pos, "pos", 0};

struct ServiceHarness {
    std::filesystem::path dir;
    TestClock clock{0};
    std::unique_ptr<Service> svc;
    Store* store = nullptr;

    explicit ServiceHarness(const char* start = "2026-03-15T02:00:00Z", bool check_after_state = false)
        : check_after_state_(check_after_state) {
        clock.set(at(start));
        dir = std::filesystem::temp_directory_path() / ("md_service_" + crypto::random_code(10));
        std::filesystem::create_directories(dir);
        open();
    }
    // A new Service over the same database file, as a restarted server.
    void restart() {
        svc.reset();
        open();
    }
    std::int64_t member(const std::string& phone, std::optional<CivilDate> birthday = std::nullopt) {
        auto r = svc->create_member(kAdmin, NewMember{phone, "123456", "Test", birthday, std::nullopt});
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        return r->body.at("id").get<std::int64_t>();
    }
    Reply buy(const std::string& who, Cents amount, const std::string& txn) {
        PurchaseRequest p;
        p.txn_id = txn;
        p.member = who;
        p.amount = amount;
        p.store = "s1";
        auto r = svc->purchase(kPos, p);
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        return *r;
    }
    ~ServiceHarness() {
        svc.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    ServiceHarness(const ServiceHarness&) = delete;
    ServiceHarness& operator=(const ServiceHarness&) = delete;

private:
    void open() {
        auto st = std::make_unique<SqliteStore>((dir / "test.db").string());
        store = st.get();
        auto program = load_preset("coffee");
        REQUIRE(program.ok());
        ServiceOptions o;
        o.kdf_opslimit = crypto_pwhash_OPSLIMIT_MIN;
        o.kdf_memlimit = crypto_pwhash_MEMLIMIT_MIN;
        o.check_after_state = check_after_state_;
        o.check_state_cache = true;
        o.check_snapshots = true;
        svc = std::make_unique<Service>(std::move(st), *program, shanghai(), clock, o);
    }
    bool check_after_state_;
};

}  // namespace mdtest
