#include "storage/group_commit.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <climits>

namespace memberdesk::server {

static_assert(sizeof(std::atomic<int>) == sizeof(int), "a futex word is a plain int");

void GroupCommit::wait_for_signal(Item& me) {
    while (me.signal.load(std::memory_order_acquire) == 0)
        syscall(SYS_futex, reinterpret_cast<int*>(&me.signal), FUTEX_WAIT_PRIVATE, 0, nullptr, nullptr, 0);
}

// The waiter may return and end its Item as soon as the value is stored; the wake that follows
// then names a word no one waits on, or one a later Item of that thread's stack waits on, which
// wakes, finds no signal and waits again.
void GroupCommit::send_signal(Item& to, int value) {
    to.signal.store(value, std::memory_order_release);
    syscall(SYS_futex, reinterpret_cast<int*>(&to.signal), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}

void GroupCommit::take_batch(Item& leader) {
    const std::size_t n = std::min(queue_.size(), max_batch_);
    leader.batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
}

void GroupCommit::run(const Work& work) {
    Item me;
    me.work = &work;
    {
        std::unique_lock<std::mutex> lk(mu_);
        queue_.push_back(&me);
        if (leading_) {
            lk.unlock();
            wait_for_signal(me);
            if (me.signal.load(std::memory_order_relaxed) == kDone) {
                if (me.error) std::rethrow_exception(me.error);
                return;
            }
        } else {
            // No leader means nothing was queued: this request is the whole queue.
            leading_ = true;
            take_batch(me);
        }
    }
    // This thread leads `me.batch`, whose first request is its own.
    try {
        execute_(me.batch);
    } catch (...) {
        for (Item* it : me.batch)
            if (!it->error && !it->committed) it->error = std::current_exception();
    }
    Item* next = nullptr;
    {
        std::lock_guard<std::mutex> g(mu_);
        if (queue_.empty()) {
            leading_ = false;
        } else {
            next = queue_.front();
            take_batch(*next);
        }
    }
    for (Item* it : me.batch)
        if (it != &me) send_signal(*it, kDone);
    if (next) send_signal(*next, kLead);  // `next` is not done, so it waits for this and is alive
    if (me.error) std::rethrow_exception(me.error);
}

}  // namespace memberdesk::server
