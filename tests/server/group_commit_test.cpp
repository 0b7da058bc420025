// Group commit: batching order and error isolation (GroupCommit alone), and the SQLite store's
// batches (a failing write rolls back only itself; the rest commit).
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage/group_commit.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "test_server.hpp"

using namespace memberdesk;
using namespace memberdesk::server;

namespace group_commit_test {

namespace {

bool wait_until(const std::function<bool()>& cond) {
    for (int i = 0; i < 5000; ++i) {
        if (cond()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

// GroupCommit over a fake database: `decide(index, item)` settles each item of a batch (index =
// position of its Work in `works`); the first batch is held until `release_first`, so that works
// arriving meanwhile queue up. Records the batches as lists of indices.
struct Harness {
    std::vector<GroupCommit::Work> works{8, GroupCommit::Work([](WriteTx&) {})};
    std::mutex mu;
    std::vector<std::vector<int>> batches;
    std::atomic<bool> release_first{false};
    std::function<void(int, GroupCommit::Item&)> decide = [](int, GroupCommit::Item& it) { it.committed = true; };
    std::function<void(const std::vector<GroupCommit::Item*>&)> after_batch = [](const auto&) {};
    GroupCommit gc{[this](const std::vector<GroupCommit::Item*>& batch) { execute(batch); }, 64};

    int index_of(const GroupCommit::Item& it) const { return static_cast<int>(it.work - works.data()); }
    void execute(const std::vector<GroupCommit::Item*>& batch) {
        std::vector<int> ids;
        for (GroupCommit::Item* it : batch) ids.push_back(index_of(*it));
        std::size_t n;
        {
            std::lock_guard<std::mutex> g(mu);
            batches.push_back(ids);
            n = batches.size();
        }
        if (n == 1) wait_until([&] { return release_first.load(); });
        for (GroupCommit::Item* it : batch) decide(index_of(*it), *it);
        after_batch(batch);
    }
    std::size_t batch_count() {
        std::lock_guard<std::mutex> g(mu);
        return batches.size();
    }
    // Runs work 0 (its batch held), then works 1..n-1 one after another while it is held, then
    // releases it. outcome[i] = "" when run() returned, else the error's what().
    std::vector<std::string> run_queued(int n) {
        std::vector<std::string> outcome(static_cast<std::size_t>(n));
        auto run = [&](int i) {
            try {
                gc.run(works[static_cast<std::size_t>(i)]);
            } catch (const std::exception& e) {
                outcome[static_cast<std::size_t>(i)] = e.what();
            }
        };
        std::vector<std::thread> ts;
        ts.emplace_back(run, 0);
        REQUIRE(wait_until([&] { return batch_count() == 1; }));
        for (int i = 1; i < n; ++i) {
            ts.emplace_back(run, i);
            // Queued before the next one starts, however slowly the thread is scheduled.
            REQUIRE(wait_until([&] { return gc.queued() == static_cast<std::size_t>(i); }));
        }
        release_first = true;
        for (auto& t : ts) t.join();
        return outcome;
    }
};

// A SQLite store in a directory of its own; the store closes before the directory is removed.
struct TempStore {
    mdtest::TempDir dir;
    SqliteStore store{(dir / "gc.db").string()};
};

// Write 0 holds its batch; writes 1 (throws after its insert: the first of the next batch), 2, 3
// (throws: in a savepoint after 2) and 4 queue behind it in this order and form the next batch.
// Write i inserts member `phone_prefix` + i. Returns each write's outcome: "committed" or the error.
std::vector<std::string> run_held_batch(SqliteStore& s, const std::string& phone_prefix,
                                        const std::optional<std::string>& joined_store) {
    auto insert = [&](WriteTx& tx, int i) {
        tx.insert_member(NewMemberRecord{phone_prefix + std::to_string(i), "T", "h", std::nullopt, 1, joined_store});
    };
    std::atomic<bool> release{false}, holding{false};
    std::vector<std::string> outcome(5);
    std::vector<std::thread> ts;
    ts.emplace_back([&] {
        s.write([&](WriteTx& tx) {
            insert(tx, 0);
            holding = true;
            wait_until([&] { return release.load(); });
        });
        outcome[0] = "committed";
    });
    REQUIRE(wait_until([&] { return holding.load(); }));
    for (int i = 1; i < 5; ++i) {
        ts.emplace_back([&, i] {
            try {
                s.write([&](WriteTx& tx) {
                    insert(tx, i);
                    if (i == 1 || i == 3) throw std::runtime_error("after insert");
                });
                outcome[static_cast<std::size_t>(i)] = "committed";
            } catch (const std::runtime_error& e) {
                outcome[static_cast<std::size_t>(i)] = e.what();
            }
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
    release = true;
    for (auto& t : ts) t.join();
    return outcome;
}

}  // namespace

TEST_CASE("group commit: writes queued behind a running batch run as the next batch, in arrival order") {
    Harness h;
    auto outcome = h.run_queued(6);
    CHECK(outcome == std::vector<std::string>(6));
    REQUIRE(h.batches.size() == 2);
    CHECK(h.batches[0] == std::vector<int>{0});
    CHECK(h.batches[1] == std::vector<int>{1, 2, 3, 4, 5});
}

TEST_CASE("group commit: each thread gets its own error; committed ones return normally") {
    Harness h;
    h.decide = [](int i, GroupCommit::Item& it) {
        if (i % 2 == 1)
            it.error = std::make_exception_ptr(std::runtime_error("work " + std::to_string(i)));
        else
            it.committed = true;
    };
    auto outcome = h.run_queued(5);
    CHECK(outcome == std::vector<std::string>{"", "work 1", "", "work 3", ""});
}

TEST_CASE("group commit: a batch that throws fails the works it did not commit, not the committed ones") {
    Harness h;
    h.decide = [](int i, GroupCommit::Item& it) {
        if (i <= 1) it.committed = true;
    };
    h.after_batch = [](const std::vector<GroupCommit::Item*>& batch) {
        if (batch.size() > 1) throw std::runtime_error("disk full");
    };
    auto outcome = h.run_queued(4);
    CHECK(outcome == std::vector<std::string>{"", "", "disk full", "disk full"});
}

TEST_CASE("group commit: under contention every write runs once, in one batch, and its thread learns its own outcome") {
    // Batches of at most 3, so that leadership passes from thread to thread all the time; every
    // third write fails. Each thread checks that it returned exactly when its write committed.
    constexpr int kThreads = 12;
    constexpr int kWritesEach = 400;
    std::atomic<int> runs{0}, batches{0}, leaders_inside{0}, overlap{0}, bad_size{0};
    std::mutex seen_mu;
    std::vector<int> times_run(kThreads * kWritesEach, 0);
    std::vector<int> batch_of(kThreads * kWritesEach, -1);
    // Each write's Work is identified by the int it points into; the work itself is not called.
    std::vector<int> ids(kThreads * kWritesEach);
    for (int i = 0; i < kThreads * kWritesEach; ++i) ids[static_cast<std::size_t>(i)] = i;
    std::vector<GroupCommit::Work> works(ids.size());
    GroupCommit gc{[&](const std::vector<GroupCommit::Item*>& batch) {
                       if (leaders_inside.fetch_add(1) != 0) overlap.fetch_add(1);
                       const int b = batches.fetch_add(1);
                       if (batch.empty() || batch.size() > 3) bad_size.fetch_add(1);  // doctest: main thread only
                       for (GroupCommit::Item* it : batch) {
                           const auto i = static_cast<std::size_t>(it->work - works.data());
                           {
                               std::lock_guard<std::mutex> g(seen_mu);
                               ++times_run[i];
                               batch_of[i] = b;
                           }
                           runs.fetch_add(1);
                           if (i % 3 == 0)
                               it->error = std::make_exception_ptr(std::runtime_error(std::to_string(i)));
                           else
                               it->committed = true;
                       }
                       leaders_inside.fetch_sub(1);
                   },
                   3};
    std::atomic<int> wrong_outcome{0};
    std::vector<std::thread> ts;
    for (int t = 0; t < kThreads; ++t)
        ts.emplace_back([&, t] {
            for (int k = 0; k < kWritesEach; ++k) {
                const std::size_t i = static_cast<std::size_t>(t * kWritesEach + k);
                bool threw = false;
                try {
                    gc.run(works[i]);
                } catch (const std::runtime_error& e) {
                    threw = true;
                    if (e.what() != std::to_string(i)) wrong_outcome.fetch_add(1);
                }
                if (threw != (i % 3 == 0)) wrong_outcome.fetch_add(1);
            }
        });
    for (auto& t : ts) t.join();
    CHECK(runs.load() == kThreads * kWritesEach);
    CHECK(std::count(times_run.begin(), times_run.end(), 1) == kThreads * kWritesEach);
    CHECK(overlap.load() == 0);  // one batch at a time
    CHECK(bad_size.load() == 0);
    CHECK(wrong_outcome.load() == 0);
    CHECK(gc.queued() == 0);
    // Writes of one thread run in its order: each batch after the one before.
    for (int t = 0; t < kThreads; ++t)
        for (int k = 1; k < kWritesEach; ++k)
            CHECK(batch_of[static_cast<std::size_t>(t * kWritesEach + k)] >
                  batch_of[static_cast<std::size_t>(t * kWritesEach + k - 1)]);
}

TEST_CASE("store: concurrent writes commit together, a failing one rolls back only itself") {
    TempStore temp;
    SqliteStore& s = temp.store;
    // Threads 0..15 in pairs on the same phone: one of each pair wins, the other gets the unique
    // violation. Threads 16..23 each have a phone of their own and throw after the insert, which must
    // leave no trace.
    std::atomic<int> ok{0}, dup{0}, thrown{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < 24; ++i) {
        ts.emplace_back([&, i] {
            const bool throws = i >= 16;
            const std::string phone = "1380000" + std::to_string(1000 + (throws ? i : i / 2));
            try {
                s.write([&](WriteTx& tx) {
                    tx.insert_member(
                        NewMemberRecord{phone, "T" + std::to_string(i), "h", std::nullopt, 1, std::nullopt});
                    if (throws) throw std::runtime_error("after insert");
                });
                ++ok;
            } catch (const StoreError& e) {
                CHECK(e.kind() == StoreError::Kind::unique_violation);
                ++dup;
            } catch (const std::runtime_error&) {
                ++thrown;
            }
        });
    }
    for (auto& t : ts) t.join();
    CHECK(ok == 8);
    CHECK(dup == 8);
    CHECK(thrown == 8);
    const std::int64_t members = s.read([](ReadTx& tx) { return tx.member_count(); });
    CHECK(members == 8);
    // Still usable for a plain write afterwards.
    s.write([&](WriteTx& tx) {
        tx.insert_member(NewMemberRecord{"13900000000", "Z", "h", std::nullopt, 1, std::nullopt});
    });
    CHECK(s.read([](ReadTx& tx) { return tx.member_count(); }) == members + 1);
}

// A batch's first write runs without a savepoint (a failure rolls back the whole transaction, which
// holds only that write); the writes after it in the same batch must still commit, and one of them
// failing must still roll back only itself.
TEST_CASE("store: when the first write of a batch fails, the writes queued behind it still commit") {
    TempStore temp;
    SqliteStore& s = temp.store;
    const auto outcome = run_held_batch(s, "1380000010", std::nullopt);
    CHECK(outcome == std::vector<std::string>{"committed", "after insert", "committed", "after insert", "committed"});
    s.read([](ReadTx& tx) {
        CHECK(tx.member_count() == 3);
        CHECK(tx.member_by_phone("13800000100").has_value());
        CHECK_FALSE(tx.member_by_phone("13800000101").has_value());
        CHECK(tx.member_by_phone("13800000102").has_value());
        CHECK_FALSE(tx.member_by_phone("13800000103").has_value());
        CHECK(tx.member_by_phone("13800000104").has_value());
    });
}

// Report facts are summed over a batch and written just before its commit: the writes that commit
// count, each once; a write that fails (first of its batch, or in a savepoint after others) counts
// not at all.
TEST_CASE("store: a batch's report facts count the writes that commit and none of those that fail") {
    TempStore temp;
    SqliteStore& s = temp.store;
    s.set_report_zone(std::make_shared<const ZoneRules>());  // UTC: every member joins on day 0
    const auto outcome = run_held_batch(s, "1380000020", std::string("S001"));
    CHECK(outcome == std::vector<std::string>{"committed", "after insert", "committed", "after insert", "committed"});
    s.read([](ReadTx& tx) {
        CHECK(tx.member_count() == 3);
        for (const char* unit : {"*", "s:S001"}) {
            CAPTURE(unit);
            CHECK(tx.report_sums(unit, -1, 0, 1).joined == 3);
        }
    });
}

}  // namespace group_commit_test
