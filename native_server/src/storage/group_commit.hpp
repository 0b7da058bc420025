// Group commit: write transactions of many threads committed together. The first waiting thread
// becomes the leader, hands the queued requests (in arrival order, at most max_batch) to `execute`
// -- which runs them in one database transaction, each in a savepoint -- and wakes their threads
// when it has committed. One fsync then covers a whole batch instead of one request, and writers
// are served first come, first served.
//
// Leadership passes as a token: a leader that finds requests queued after its batch takes the next
// batch for the first of them and wakes that thread to run it. Every wake-up happens after the
// lock is released, on a word of the waiter's own, so a woken thread never queues on the lock
// again (with a condition variable signalled under the lock it did, twice per write).
#pragma once
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

#include "storage/wake_word.hpp"

namespace memberdesk::server {

class WriteTx;

class GroupCommit {
public:
    using Work = std::function<void(WriteTx&)>;
    struct Item {
        const Work* work = nullptr;
        std::exception_ptr error;  // set by `execute` when this item failed or was not committed
        bool committed = false;    // set by `execute` once its transaction has committed
        // Written once by the thread that wakes this one: kDone, or kLead with `batch` to run.
        WakeWord signal;
        std::vector<Item*> batch;
    };
    // execute(batch): runs each item's work and commits; marks each item committed or sets its error.
    // If it throws, every item it marked neither way gets that exception.
    using Execute = std::function<void(const std::vector<Item*>&)>;

    GroupCommit(Execute execute, std::size_t max_batch) : execute_(std::move(execute)), max_batch_(max_batch) {}

    // Blocks until `work` is committed (returns) or failed (rethrows its error).
    void run(const Work& work);

    // Requests waiting for a batch (not those of the batch being committed).
    std::size_t queued() {
        std::lock_guard<std::mutex> g(mu_);
        return queue_.size();
    }

private:
    static constexpr int kDone = 1;
    static constexpr int kLead = 2;
    // Under mu_: moves the queue's first requests (the first is `leader`) into leader's batch.
    void take_batch(Item& leader);

    Execute execute_;
    std::size_t max_batch_;
    std::mutex mu_;
    std::deque<Item*> queue_;
    bool leading_ = false;
};

}  // namespace memberdesk::server
