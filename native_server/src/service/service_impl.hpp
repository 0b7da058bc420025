// Private: the Service's implementation object, shared by the service's files (service/*.cpp).
// Every operation takes `now` explicitly so the demo seeder can replay history at historic times
// through exactly the code paths the API uses.
#pragma once
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "service/crypto.hpp"
#include "service/service.hpp"
#include "service/state_cache.hpp"
#include "storage/self_store.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

// A purchase's or refund's view of the member's referral (service/referral.cpp): the core's input
// and, once the referrer's row is locked, the referrer's fresh state.
struct ReferralContext {
    std::optional<ReferralRecord> record;
    std::optional<ReferralFacts> facts;  // purchase: an unsettled referral before the first purchase
    std::optional<ReferralPaid> paid;    // refund: the reward paid at the first purchase
};

struct Service::Impl {
    Impl(std::unique_ptr<Store> s, ProgramConfig p, ZoneRules z, const Clock& c, ServiceOptions o)
        : store(std::move(s)),
          program(std::move(p)),
          zone(std::move(z)),
          clock(c),
          opt(o),
          states(o.state_cache_bytes),
          card_key(o.card_key.empty() ? crypto::random_bytes(32)
                                      : crypto::derive_key(o.card_key, "memberdesk offline card secrets v1")) {}

    std::unique_ptr<Store> store;
    ProgramConfig program;
    ZoneRules zone;
    const Clock& clock;
    ServiceOptions opt;
    StateCache states;     // states loaded by reads, reused while the member's revision is unchanged
    std::string card_key;  // seals the offline cards' secrets in storage (32 bytes)

    std::mutex reach_mu;  // one scheduled-reach run at a time in this process
    void reach_member(WriteTx& tx, std::int64_t member_id, const CivilDate& day, UnixSeconds at, ReachRun& run);
    Result<nlohmann::json> reach_json(std::int64_t member_id, UnixSeconds now);

    std::once_flag dummy_once;
    std::string dummy_hash;  // verified against when the phone is unknown (same cost as a real check)
    const std::string& dummy_pin_hash();

    // Inside a write transaction: load the member's snapshot, persist due catch-up (expiries, tier
    // re-evaluation, birthday/holiday/win-back coupons) with an audit row, return the fresh snapshot.
    MemberState prepare(WriteTx& tx, std::int64_t member_id, UnixSeconds now);
    // The snapshot after `plan` was stored (tx.apply_plan returned `ap`), folded in memory from the one
    // before it (rebuilt from the full state when the fold cannot follow), and written in `tx`.
    MemberState state_after(WriteTx& tx, MemberState before, const Plan& plan, const AppliedPlan& ap, UnixSeconds now);
    // A decision on the snapshot `s` (decide(s) -> Plan or Result<Plan>): merged lots it reads one by
    // one are expanded from storage first (decide_on_snapshot), so the plan is the full state's; `s`
    // keeps them expanded for state_after. Every decision that can change existing lots goes through it.
    template <class Decide>
    auto decide(WriteTx& tx, MemberState& s, Decide&& d) -> decltype(d(s)) {
        return decide_on_snapshot(s, std::forward<Decide>(d), [&] { return tx.due_state(s.member_id).lots; });
    }
    // Before a decision that takes points back by source (a refund's claw-back): every lot one by one.
    void expand_lots_for_claw_back(WriteTx& tx, MemberState& s) {
        bool any = false;
        for (const auto& l : s.lots) any = any || l.merged > 0;
        if (any) expand_all_lots(s, tx.due_state(s.member_id).lots);
    }

    // Member snapshots (memberdesk/snapshot.hpp, docs/design.md "Member snapshots").
    // The stored snapshot when it is current, decodes and covers `now`; else none.
    std::optional<MemberState> stored_snapshot(ReadTx& tx, std::int64_t member_id, UnixSeconds now);
    // The snapshot of the member's full state (the whole history) at the horizon for `now`.
    MemberState rebuilt_snapshot(ReadTx& tx, std::int64_t member_id, UnixSeconds now);
    // Stored, else rebuilt and written.
    MemberState snapshot_for(WriteTx& tx, std::int64_t member_id, UnixSeconds now);
    void save_snapshot(WriteTx& tx, const MemberState& s);
    // Compares `s` with the snapshot of the replay at its horizon (check_snapshots); throws on a difference.
    void check_snapshot(ReadTx& tx, const MemberState& s, const char* what);
    // Compares the member's activity row with their purchases (check_snapshots); throws on a difference.
    void check_activity(ReadTx& tx, std::int64_t member_id);
    // A change of the member row (`change` calls update_member or erase_member): the snapshot takes
    // the row's birthday and is written after it.
    void change_member(WriteTx& tx, std::int64_t member_id, UnixSeconds now, const std::function<void()>& change);
    // A coupon's state changed outside a plan (use, void), after tx.update_coupon: the snapshot follows.
    void coupon_updated(WriteTx& tx, MemberState s, const Coupon& c);
    // Builds the snapshots of members who have none or a stale one (a database from before the
    // snapshot schema step); progress on stderr when there are many.
    void build_missing_snapshots(UnixSeconds now);
    void audit(WriteTx& tx, const Actor& who, const std::string& action, std::optional<std::int64_t> member_id,
               const nlohmann::json& detail, UnixSeconds now);
    // Does catch_up have anything to do for `s` at `now`? The kept probe first (time independent of
    // the history), the full catch_up only when that one cannot rule it out.
    bool catch_up_due(const KeptState& s, UnixSeconds now) const;
    // Inside a read transaction: the member's cached state if `m.rev` is still the cached one, else null.
    std::shared_ptr<const KeptState> cached_state(ReadTx& tx, const MemberRecord& m, UnixSeconds now);
    // The cached state, else the stored snapshot if it is usable (then cached); null when neither is:
    // one row instead of the history.
    std::shared_ptr<const KeptState> stored_state(ReadTx& tx, const MemberRecord& m, UnixSeconds now);
    // The same, loading (and caching) the state when it is not cached.
    std::shared_ptr<const KeptState> read_state(ReadTx& tx, const MemberRecord& m, UnixSeconds now);
    // Runs f(ReadTx&, const MemberRecord&, const MemberState&) -> Result<R> on an up-to-date state
    // (defined in service/internal.hpp).
    template <class R, class F>
    Result<R> with_member(std::int64_t member_id, UnixSeconds now, F&& f);
    // Same for reads that need no MemberState: f(ReadTx&, const MemberRecord&) -> Result<R>; decides on
    // the cached or stored snapshot, else on ReadTx::due_state instead of loading the full state
    // (service/internal.hpp).
    template <class R, class F>
    Result<R> with_member_light(std::int64_t member_id, UnixSeconds now, F&& f);
    nlohmann::json admin_member_json(const MemberRecord& m, const MemberState& s, UnixSeconds now) const;
    Result<std::int64_t> resolve_member(ReadTx& tx, const std::string& member, UnixSeconds now);

    Result<Session> open_session(Principal::Kind kind, const std::string& kiosk_key_id, const std::string& phone,
                                 const std::string& pin, UnixSeconds now,
                                 std::optional<std::int64_t> replace_card_device = std::nullopt);
    // An offline member code ("T<member>-<device>-<otp>", card_devices.cpp): the member's id when
    // it verifies within one step either side. Wrong codes count like wrong PINs (per member):
    // invalid_member_code, then too_many_attempts for the window.
    Result<std::int64_t> verify_card_code(const std::string& code, UnixSeconds now);

    // Referral (referral.cpp). Before a purchase is decided: the facts of an unsettled referral (the
    // referrer's member row is locked first, so two friends' first purchases count against the cap
    // one after the other). Before a refund: the reward paid at the first purchase.
    ReferralContext referral_for_purchase(WriteTx& tx, std::int64_t member_id, const MemberState& s, UnixSeconds at);
    ReferralContext referral_for_refund(WriteTx& tx, std::int64_t member_id, const std::string& txn_id);
    // Stores what the plan's referral outcome says, in the caller's transaction: the referral row
    // (settled at the first purchase, clawed back at its full refund) and the referrer's own plan with
    // its audit row. Returns the audit detail of the new member's side.
    nlohmann::json referral_settle(WriteTx& tx, const Actor& who, std::int64_t member_id, const ReferralOutcome& o,
                                   ReferralContext& rc, const std::string& txn_id, const std::string& ref,
                                   UnixSeconds now);

    Result<Reply> purchase(const Actor& who, const PurchaseRequest& r, UnixSeconds now);
    Result<Reply> refund(const Actor& who, const RefundRequest& r, UnixSeconds now);
    Result<Reply> redeem_coupon(const Actor& who, const CouponRedeemRequest& r, UnixSeconds now);
    Result<Reply> redeem(const Actor& who, std::int64_t member_id, const std::string& reward_id,
                         const std::string& idempotency_key, UnixSeconds now);
    Result<Reply> create_member(const Actor& who, const NewMember& m, UnixSeconds now);
    // `check` runs first inside the write transaction (a staff member's daily limit); an Error
    // from it refuses the adjustment.
    Result<Reply> adjust(const Actor& who, std::int64_t member_id, Points points, const std::string& reason,
                         UnixSeconds now, const std::function<std::optional<Error>(WriteTx&)>& check = {});
    Result<Reply> issue_coupon(const Actor& who, std::int64_t member_id, const std::string& template_id,
                               UnixSeconds now);
    Result<Reply> void_coupon(const Actor& who, const std::string& code, UnixSeconds now);
    Result<Reply> feedback(const Actor& who, std::int64_t member_id, const SurveyAnswer& a, UnixSeconds now);
};

}  // namespace memberdesk::server
