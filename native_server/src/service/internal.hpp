// Private to service/: what the service's feature files share (errors, validation, the JSON pieces
// of replies, idempotency records, the with_member templates). Not part of the Service API.
#pragma once
#include <algorithm>
#include <cstdlib>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "memberdesk/coupons.hpp"
#include "memberdesk/rewards.hpp"
#include "memberdesk/segments.hpp"
#include "memberdesk/snapshot.hpp"  // state_difference: the check-after-state and state-cache checks
#include "memberdesk/tiers.hpp"
#include "memberdesk/totp.hpp"
#include "memberdesk/utf8.hpp"
#include "service/crypto.hpp"
#include "service/guarded.hpp"
#include "service/service_impl.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

using nlohmann::json;

namespace detail {

// txn_id, refund_id: POS transaction ids (UUIDs, store-prefixed ids, ...).
constexpr std::size_t kMaxIdLength = 128;

Error unknown_member();
// The idempotency table keeps a reply's kind as the number databases already hold (200, 201, 204).
int stored_reply_kind(Reply::Kind k);
Reply::Kind reply_kind_from_stored(int v);
std::string fingerprint(const json& canonical);
Result<Reply> replay(const IdempotencyRecord& rec, const std::string& fp);
// Also keeps the serialised body in reply.text, so that it is sent as stored.
void remember(WriteTx& tx, const std::string& scope, const std::string& key, const std::string& fp, Reply& reply,
              std::int64_t member_id, UnixSeconds now);
bool all_digits(const std::string& s);
bool valid_phone(const std::string& p);
bool valid_pin(const std::string& p);
bool blank(const std::string& s);
std::optional<Error> check_name(const std::string& name);
std::optional<Error> check_birthday(const std::optional<CivilDate>& b, const ZoneRules& z, UnixSeconds now);
// The earliest expiry among the member's spendable points, however far away (the core's
// Balances::next_expiry only looks inside the "expiring soon" window). Members see "your next
// points expire on ...".
std::optional<UnixSeconds> next_expiry_of(const MemberState& s, UnixSeconds now);
json points_json(Balances b, const MemberState& s, UnixSeconds now);
json entries_json(const std::vector<LedgerEntry>& entries);
json coupons_json(const std::vector<Coupon>& coupons, UnixSeconds now);
// What an audit row says about a plan: no personal data, no coupon codes (those are bearer values).
json plan_detail(const Plan& p, const AppliedPlan& ap);
json tier_brief(const ProgramConfig& p, const TierStatus& t);
// Listed coupons by their state at `now`, plus those a snapshot only counts.
CouponCountsView coupon_counts(const MemberState& s, UnixSeconds now);
// Plan that only issues coupons: carries the member's scalars unchanged.
Plan scalars_plan(const MemberState& s);
std::string encode_cursor(const LedgerCursor& c);
std::optional<LedgerCursor> decode_cursor(const std::string& s);

}  // namespace detail

using namespace detail;

// Runs `f(tx, member, state)` on an up-to-date state: in a read transaction when nothing is due,
// else in a write transaction that persists the catch-up first (so expiries are written the first
// time anyone looks).
template <class R, class F>
Result<R> Service::Impl::with_member(std::int64_t member_id, UnixSeconds now, F&& f) {
    Impl& im = *this;
    auto first = im.store->read([&](ReadTx& tx) -> std::optional<Result<R>> {
        auto m = tx.member_by_id(member_id);
        if (!m || m->erased_at) return Result<R>(unknown_member());
        std::shared_ptr<const KeptState> s = im.read_state(tx, *m, now);
        if (im.catch_up_due(*s, now)) return std::nullopt;
        return f(static_cast<ReadTx&>(tx), *m, s->state);
    });
    if (first) return std::move(*first);
    return im.store->write([&](WriteTx& tx) -> Result<R> {
        auto m = tx.member_by_id(member_id);
        if (!m || m->erased_at) return unknown_member();
        MemberState s = im.prepare(tx, member_id, now);
        return f(static_cast<ReadTx&>(tx), *m, s);
    });
}

// Like with_member for reads that need no MemberState: `f(tx, member)`. Whether a catch-up is due is
// decided on the cached state or the stored snapshot (one row, then cached for the member's next
// read) if there is one, else on ReadTx::due_state (the open lots, the latest purchase, the keys)
// instead of the whole history; only when that cannot rule it out is the full state loaded, and a
// due catch-up is persisted exactly as with_member does.
template <class R, class F>
Result<R> Service::Impl::with_member_light(std::int64_t member_id, UnixSeconds now, F&& f) {
    Impl& im = *this;
    auto first = im.store->read([&](ReadTx& tx) -> std::optional<Result<R>> {
        auto m = tx.member_by_id(member_id);
        if (!m || m->erased_at) return Result<R>(unknown_member());
        auto stored = im.stored_state(tx, *m, now);  // a state at hand decides without due_state
        const bool due = stored ? im.catch_up_due(*stored, now)
                                : !catch_up_nothing_due(im.program, im.zone, tx.due_state(member_id), now) &&
                                      im.catch_up_due(*im.read_state(tx, *m, now), now);
        if (due) return std::nullopt;
        return f(static_cast<ReadTx&>(tx), *m);
    });
    if (first) return std::move(*first);
    return im.store->write([&](WriteTx& tx) -> Result<R> {
        auto m = tx.member_by_id(member_id);
        if (!m || m->erased_at) return unknown_member();
        im.prepare(tx, member_id, now);
        return f(static_cast<ReadTx&>(tx), *m);
    });
}

}  // namespace memberdesk::server
