// POS purchases (points earned) and refunds (points clawed back), both idempotent by their ids.
#include "service/internal.hpp"
#include "service/scope.hpp"

namespace memberdesk::server {

Result<Reply> Service::Impl::purchase(const Actor& who, const PurchaseRequest& r, UnixSeconds now) {
    if (r.txn_id.empty() || r.txn_id.size() > kMaxIdLength)
        return err(ErrorCode::invalid_txn_id, "txn_id must be 1 to 128 characters");
    if (r.amount <= 0) return err(ErrorCode::invalid_amount, "amount must be a positive integer (fen)");
    if (r.member.empty()) return err(ErrorCode::invalid_member, "member is required");
    if (r.store.size() > 64) return err(ErrorCode::invalid_store, "store must be at most 64 characters");
    const UnixSeconds at = r.at.value_or(now);
    if (at > now + 300) return err(ErrorCode::invalid_at, "purchase time is in the future");
    const std::string fp = fingerprint({{"txn_id", r.txn_id},
                                        {"member", r.member},
                                        {"amount", r.amount},
                                        {"store", r.store},
                                        {"at", r.at ? json(*r.at) : json(nullptr)}});
    // An offline card code is checked before the write (a wrong one is counted even though the
    // purchase fails); a retry of a recorded purchase is answered from its record instead.
    std::optional<std::int64_t> card_member;
    if (looks_like_card_code(r.member) &&
        !store->read([&](ReadTx& tx) { return tx.idempotency("purchase", r.txn_id).has_value(); })) {
        auto id = verify_card_code(r.member, now);
        if (!id) return id.error();
        card_member = *id;
    }
    return store->write([&](WriteTx& tx) -> Result<Reply> {
        if (auto rec = tx.idempotency("purchase", r.txn_id)) return replay(*rec, fp);
        auto member_id = card_member ? Result<std::int64_t>(*card_member) : resolve_member(tx, r.member, now);
        if (!member_id) return member_id.error();
        MemberState s = prepare(tx, *member_id, now);
        ReferralContext rc = referral_for_purchase(tx, *member_id, s, at);
        PurchaseInput in{r.txn_id, r.amount, r.store, at};
        auto plan = earn_purchase(program, zone, s, in, now, rc.facts);
        if (!plan) return plan.error();
        AppliedPlan ap = tx.apply_plan(*member_id, *plan, program, now);
        const MemberState after = state_after(tx, std::move(s), *plan, ap, now);
        Points earned = 0;
        for (const auto& e : ap.entries)
            if (e.type == EntryType::earn || e.type == EntryType::bonus) earned += e.points;
        json body = {{"txn_id", r.txn_id},
                     {"member_id", *member_id},
                     {"amount", r.amount},
                     {"at", format_rfc3339(at)},
                     {"points_earned", plan->purchase ? plan->purchase->points : earned},
                     {"entries", entries_json(ap.entries)},
                     {"coupons_issued", coupons_json(ap.coupons, now)},
                     {"tier", tier_brief(program, after.tier)},
                     {"tier_changed", plan->tier_change.has_value()},
                     {"points", points_json(balances(program, after, now), after, now)}};
        json detail = plan_detail(*plan, ap);
        detail["txn_id"] = r.txn_id;
        detail["amount"] = r.amount;
        detail["store"] = r.store;
        if (plan->referral)
            detail["referral"] = referral_settle(tx, who, *member_id, *plan->referral, rc, r.txn_id, {}, now);
        audit(tx, who, "purchase", *member_id, detail, now);
        Reply reply{Reply::Kind::created, std::move(body)};
        remember(tx, "purchase", r.txn_id, fp, reply, *member_id, now);
        return reply;
    });
}

Result<Reply> Service::Impl::refund(const Actor& who, const RefundRequest& r, UnixSeconds now) {
    if (r.txn_id.empty() || r.txn_id.size() > kMaxIdLength)
        return err(ErrorCode::invalid_txn_id, "txn_id must be 1 to 128 characters");
    if (r.refund_id.empty() || r.refund_id.size() > kMaxIdLength)
        return err(ErrorCode::invalid_refund_id, "refund_id must be 1 to 128 characters");
    if (r.amount <= 0) return err(ErrorCode::invalid_amount, "amount must be a positive integer (fen)");
    const std::string fp = fingerprint({{"txn_id", r.txn_id}, {"refund_id", r.refund_id}, {"amount", r.amount}});
    return store->write([&](WriteTx& tx) -> Result<Reply> {
        if (auto rec = tx.idempotency("refund", r.refund_id)) return replay(*rec, fp);
        auto found = tx.purchase_by_txn(r.txn_id);
        if (!found) return err(ErrorCode::unknown_transaction, "no purchase with this txn_id");
        const std::int64_t member_id = found->first;
        MemberState s = prepare(tx, member_id, now);
        ReferralContext rc = referral_for_refund(tx, member_id, r.txn_id);
        expand_lots_for_claw_back(tx, s);
        auto plan = refund_purchase(program, zone, s, RefundInput{r.txn_id, r.refund_id, r.amount}, now, found->second,
                                    rc.paid);
        if (!plan) return plan.error();
        AppliedPlan ap = tx.apply_plan(member_id, *plan, program, now);
        const MemberState after = state_after(tx, std::move(s), *plan, ap, now);
        Points clawed = 0;
        for (const auto& e : ap.entries)
            if (e.type == EntryType::clawback) clawed -= e.points;
        json body = {{"refund_id", r.refund_id},
                     {"txn_id", r.txn_id},
                     {"member_id", member_id},
                     {"amount", r.amount},
                     {"points_clawed_back", clawed},
                     {"entries", entries_json(ap.entries)},
                     {"tier", tier_brief(program, after.tier)},
                     {"points", points_json(balances(program, after, now), after, now)}};
        json detail = plan_detail(*plan, ap);
        detail["txn_id"] = r.txn_id;
        detail["refund_id"] = r.refund_id;
        detail["amount"] = r.amount;
        if (plan->referral)
            detail["referral"] = referral_settle(tx, who, member_id, *plan->referral, rc, r.txn_id, r.refund_id, now);
        audit(tx, who, "refund", member_id, detail, now);
        Reply reply{Reply::Kind::created, std::move(body)};
        remember(tx, "refund", r.refund_id, fp, reply, member_id, now);
        return reply;
    });
}

Result<Reply> Service::purchase(const Actor& who, const PurchaseRequest& r) {
    if (auto e = store_mismatch(who, r.store)) return *e;
    return guarded<Reply>([&] { return impl_->purchase(who, r, now()); });
}

Result<Reply> Service::refund(const Actor& who, const RefundRequest& r) {
    if (auto e = refund_store_mismatch(who, r.txn_id)) return *e;
    return guarded<Reply>([&] { return impl_->refund(who, r, now()); });
}

}  // namespace memberdesk::server
