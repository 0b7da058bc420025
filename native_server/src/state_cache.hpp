// Member states loaded for reads, kept for the next read of the same member. An entry is used only
// when the member's revision (members.rev, read in the same transaction) is still the one it was
// loaded at: every write that changes a member's state bumps it in that write's transaction, also
// from other server processes, so an equal revision means an equal state. A read then costs the
// member row instead of the member's whole history. Bounded: when full, an arbitrary entry goes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "memberdesk/ledger.hpp"

namespace memberdesk::server {

class StateCache {
public:
    explicit StateCache(std::size_t capacity) : capacity_(capacity) {}

    // The state stored for `member_id` at revision `rev`, or null.
    std::shared_ptr<const MemberState> find(std::int64_t member_id, std::int64_t rev) {
        if (capacity_ == 0) return nullptr;
        std::lock_guard<std::mutex> g(mu_);
        auto it = map_.find(member_id);
        if (it == map_.end() || it->second.rev != rev) return nullptr;
        return it->second.state;
    }
    void store(std::int64_t member_id, std::int64_t rev, std::shared_ptr<const MemberState> state) {
        if (capacity_ == 0) return;
        std::lock_guard<std::mutex> g(mu_);
        auto it = map_.find(member_id);
        if (it != map_.end()) {
            if (rev >= it->second.rev) it->second = Entry{rev, std::move(state)};
            return;
        }
        if (map_.size() >= capacity_) map_.erase(map_.begin());
        map_.emplace(member_id, Entry{rev, std::move(state)});
    }

private:
    struct Entry {
        std::int64_t rev;
        std::shared_ptr<const MemberState> state;
    };
    std::size_t capacity_;
    std::mutex mu_;
    std::unordered_map<std::int64_t, Entry> map_;
};

}  // namespace memberdesk::server
