#include "storage/group_commit.hpp"

#include <algorithm>

namespace memberdesk::server {

void GroupCommit::run(const Work& work) {
    Item me;
    me.work = &work;
    std::unique_lock<std::mutex> lk(mu_);
    queue_.push_back(&me);
    while (!me.done) {
        if (leading_) {
            me.cv.wait(lk);
            continue;
        }
        leading_ = true;
        const std::size_t n = std::min(queue_.size(), max_batch_);
        std::vector<Item*> batch(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
        lk.unlock();
        try {
            execute_(batch);
        } catch (...) {
            for (Item* it : batch)
                if (!it->error && !it->committed) it->error = std::current_exception();
        }
        lk.lock();
        leading_ = false;
        for (Item* it : batch) {
            it->done = true;
            if (it != &me) it->cv.notify_one();
        }
        // Whoever is first in line leads the next batch (possibly this thread, if it was not in this one).
        if (!queue_.empty() && queue_.front() != &me) queue_.front()->cv.notify_one();
    }
    lk.unlock();
    if (me.error) std::rethrow_exception(me.error);
}

}  // namespace memberdesk::server
