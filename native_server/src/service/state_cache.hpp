// Member states loaded for reads, kept for the next read of the same member. An entry is used only
// when the member's revision (members.rev, read in the same transaction) is still the one it was
// loaded at: every write that changes a member's state bumps it in that write's transaction, also
// from other server processes, so an equal revision means an equal state. A read then costs the
// member row instead of the member's whole history. Bounded by an estimate of the memory the states
// take: when a new one does not fit, arbitrary entries go.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "memberdesk/ledger.hpp"

namespace memberdesk::server {

// A state kept for reads, with what decides whether a catch-up may be due taken once: every read of
// the member checks that, and a kept state is read many times.
struct KeptState {
    explicit KeptState(MemberState s) : state(std::move(s)), probe(due_probe(state)) {}
    MemberState state;
    DueProbe probe;
};

class StateCache {
public:
    explicit StateCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

    // Roughly what a state occupies: the structs and a typical length of their strings.
    static std::size_t approx_bytes(const MemberState& s) {
        return sizeof(KeptState) + s.lots.size() * (sizeof(Lot) + 16) + s.purchases.size() * (sizeof(Purchase) + 48) +
               s.coupons.size() * (sizeof(Coupon) + 256) + 2 * s.issue_keys.size() * 48;
    }

    // The state stored for `member_id` at revision `rev`, or null.
    std::shared_ptr<const KeptState> find(std::int64_t member_id, std::int64_t rev) {
        if (max_bytes_ == 0) return nullptr;
        std::lock_guard<std::mutex> g(mu_);
        auto it = map_.find(member_id);
        if (it == map_.end() || it->second.rev != rev) return nullptr;
        return it->second.state;
    }
    void store(std::int64_t member_id, std::int64_t rev, std::shared_ptr<const KeptState> state) {
        const std::size_t bytes = approx_bytes(state->state);
        if (bytes > max_bytes_) return;
        std::lock_guard<std::mutex> g(mu_);
        auto it = map_.find(member_id);
        if (it != map_.end()) {
            if (rev < it->second.rev) return;  // a slower reader's older state
            used_ -= it->second.bytes;
            map_.erase(it);
        }
        while (!map_.empty() && used_ + bytes > max_bytes_) {
            used_ -= map_.begin()->second.bytes;
            map_.erase(map_.begin());
        }
        map_.emplace(member_id, Entry{rev, std::move(state), bytes});
        used_ += bytes;
    }

private:
    struct Entry {
        std::int64_t rev;
        std::shared_ptr<const KeptState> state;
        std::size_t bytes;
    };
    std::size_t max_bytes_;
    std::size_t used_ = 0;
    std::mutex mu_;
    std::unordered_map<std::int64_t, Entry> map_;
};

}  // namespace memberdesk::server
