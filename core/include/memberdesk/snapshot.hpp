// Member snapshots: the part of a member's state the rules read, kept per member so a request costs
// the same whether the member has ten purchases or ten years of them.
//
// A snapshot is a MemberState in reduced form:
//   - lots: only the open ones (remaining > 0); a lot at 0 is never changed again. The open lots of one
//     expiry instant that are available at lots_merged_at are merged into one Lot (Lot::merged = how
//     many) when there are two or more; a decision that needs them one by one gets them from storage
//     (decide_on_snapshot, expand_all_lots);
//   - purchases: only those made after earlier_purchases.horizon, in (at, id) order; the older ones
//     are summarised (net spend per local month, count, the latest one, the latest one with spend);
//   - coupons: only the open ones (available, valid at the horizon or later); the rest are counted;
//   - scalars, tier, birthday and issue keys (sorted) as in the full state.
// Invariant: snapshot_like(full state, s) == s (snapshot_of at s's horizon and lots_merged_at), where the full state is the
// replay of the member's whole ledger (what storage's load_state returns). The rules give the same
// decisions on a snapshot as on the full state at every `now` the snapshot covers.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "memberdesk/ledger.hpp"

namespace memberdesk {

// The horizon a snapshot kept at `now` uses: the start of the local month far enough back that
// every window the rules look at from now on starts after it (the tier window plus a month of slack,
// so the horizon moves once a month, not on every write).
UnixSeconds snapshot_horizon(const ProgramConfig& p, const ZoneRules& z, UnixSeconds now);

// True when the rules at `now` need nothing the snapshot summarised: every instant they judge (now,
// the tier's valid_until) is after the horizon and every rolling tier window starts after it. When
// false the caller rebuilds the snapshot from the full state (a clock set far back).
// Also false when a merged lot holds a lot not yet available at `now`.
bool snapshot_covers(const ProgramConfig& p, const ZoneRules& z, const MemberState& s, UnixSeconds now);

// Puts `s` in canonical order (lots and coupons by id, purchases by at keeping their order otherwise,
// issue keys sorted) and moves what lies at or before `horizon` into the summaries: lots at 0 are
// dropped, purchases made at or before it are summarised, closed coupons are counted. A horizon
// earlier than the snapshot's own is ignored (summaries never give anything back). With
// `merge_lots_at`, lots_merged_at becomes it and the open lots available then are merged by expiry;
// returns false when a lot merged earlier is not available at it (the caller rebuilds).
bool compact_snapshot(const ZoneRules& z, MemberState& s, UnixSeconds horizon,
                      std::optional<UnixSeconds> merge_lots_at = std::nullopt);

// The snapshot of a full state at `horizon`, its lots merged at `merge_lots_at` (none: not merged).
MemberState snapshot_of(const ZoneRules& z, const MemberState& full, UnixSeconds horizon,
                        std::optional<UnixSeconds> merge_lots_at = std::nullopt);
// The snapshot of a full state that `like` must equal: same horizon, lots merged at the same instant.
MemberState snapshot_like(const ZoneRules& z, const MemberState& full, const MemberState& like);

// The expiries of the merged lots a plan decided on `s` read one by one: those whose merged lot it
// changed, and those with a merged lot whose other lots it changed (spending runs through an expiry
// lot by lot). Empty: the plan is the one the full state gives. (A refund's claw-back picks lots by
// source, which a merged lot does not keep: callers expand every lot first, expand_all_lots.)
std::vector<std::optional<UnixSeconds>> merged_lots_read(const MemberState& s, const Plan& plan);

// Replaces the merged lots of `expiries` by the lots storage holds: `open` are the member's open lots
// (remaining > 0) as storage has them. Returns false, with every lot replaced by `open`, when they do
// not add up to the merged ones.
bool expand_lots(MemberState& s, const std::vector<Lot>& open, const std::vector<std::optional<UnixSeconds>>& expiries);
// Every lot one by one: s.lots = open (the fold merges them again).
void expand_all_lots(MemberState& s, std::vector<Lot> open);

inline const Plan* decided_plan(const Plan& p) { return &p; }
inline const Plan* decided_plan(const Result<Plan>& r) { return r ? &*r : nullptr; }

// Runs `decide(s)` (returning Plan or Result<Plan>) on a snapshot; when the plan read merged lots one
// by one, expands them from `open_lots()` (the member's open lots from storage) and decides again,
// so the plan is the one the full state gives. `s` keeps the expanded lots for the fold.
template <class Decide, class OpenLots>
auto decide_on_snapshot(MemberState& s, Decide&& decide, OpenLots&& open_lots) -> decltype(decide(s)) {
    for (;;) {
        auto r = decide(static_cast<const MemberState&>(s));
        const Plan* plan = decided_plan(r);
        if (!plan) return r;
        const auto need = merged_lots_read(s, *plan);
        if (need.empty()) return r;
        expand_lots(s, open_lots(), need);  // on false every lot is storage's: the next round is exact
    }
}

// What storage gave the things a plan created: one id per plan.new_lots, one stored coupon (id, code,
// terms, issued_at) per plan.coupons.
struct StoredIds {
    std::vector<std::int64_t> lot_ids;
    std::vector<Coupon> coupons;
};

// Folds a plan into a snapshot exactly as apply_plan changes the full state, then compacts at
// max(horizon, snapshot_horizon(now)). Returns false when the snapshot cannot follow without the
// history: a refund took all that was left of the member's latest summarised purchase with spend.
// The caller then rebuilds it with snapshot_of from the full state.
bool fold_plan(const ProgramConfig& p, const ZoneRules& z, MemberState& s, const Plan& plan, const StoredIds& ids,
               UnixSeconds now);

// A coupon's state changed outside a plan (used, voided): the snapshot follows.
void fold_coupon_update(MemberState& s, const Coupon& updated);

// Field-by-field difference of two states (empty = equal), summaries included. For the invariant
// checks (property test, test servers).
std::string state_difference(const MemberState& a, const MemberState& b);

// Binary form for storage (snapshot_codec.cpp; docs/design.md "Member snapshots"): a version byte,
// then varints with ids and times as differences and strings sharing the previous item's prefix.
// Format 3 (written) adds the merged lots; 2 and 1 are still decoded.
std::string encode_snapshot(const MemberState& s);
// Format 2 (rows written before merged lots; for tests of the upgrade): a snapshot without merged lots.
std::string encode_snapshot_v2(const MemberState& s);
// The fixed-width form 1 that rows written before the compact form hold (for tests of the upgrade).
std::string encode_snapshot_v1(const MemberState& s);
// Either form, straight from the column's bytes; rejects anything the encoders did not write.
Result<MemberState> decode_snapshot(std::string_view bytes);

}  // namespace memberdesk
