#include "storage/group_commit.hpp"

#include <algorithm>

namespace memberdesk::server {

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
            if (me.signal.wait() == kDone) {
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
        if (it != &me) it->signal.set(kDone);
    if (next) next->signal.set(kLead);  // `next` is not done, so it waits for this and is alive
    if (me.error) std::rethrow_exception(me.error);
}

}  // namespace memberdesk::server
