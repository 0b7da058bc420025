// Rewards: the catalogue as a member sees it, redemption for points, past redemptions.
#include "service/internal.hpp"

namespace memberdesk::server {

Result<Reply> Service::Impl::redeem(const Actor& who, std::int64_t member_id, const std::string& reward_id,
                                    const std::string& idempotency_key, UnixSeconds now) {
    if (idempotency_key.empty() || idempotency_key.size() > 128)
        return err(ErrorCode::invalid_idempotency_key, "Idempotency-Key must be 1 to 128 characters");
    if (reward_id.empty() || reward_id.size() > 64) return err(ErrorCode::invalid_reward_id, "reward_id is required");
    const std::string key = std::to_string(member_id) + ":" + idempotency_key;
    const std::string fp = fingerprint({{"reward_id", reward_id}});
    return store->write([&](WriteTx& tx) -> Result<Reply> {
        if (auto rec = tx.idempotency("redemption", key)) return replay(*rec, fp);
        auto m = tx.member_by_id(member_id);
        if (!m || m->erased_at) return unknown_member();
        const Reward* reward = program.reward(reward_id);
        if (!reward) return err(ErrorCode::unknown_reward, "no such reward");
        std::optional<int> stock_left;
        if (reward->stock) stock_left = std::max(0, *reward->stock - tx.reward_redeemed_count(reward_id));
        MemberState s = prepare(tx, member_id, now);
        auto plan = decide(
            tx, s, [&](const MemberState& st) { return redeem_reward(program, zone, st, reward_id, stock_left, now); });
        if (!plan) return plan.error();
        AppliedPlan ap = tx.apply_plan(member_id, *plan, program, now);
        const MemberState after = state_after(tx, std::move(s), *plan, ap, now);
        const Balances b = balances(program, after, now);
        Points spent = 0;
        for (const auto& e : ap.entries)
            if (e.type == EntryType::redeem) spent -= e.points;
        RedemptionRecord rec;
        rec.member_id = member_id;
        rec.reward_id = reward_id;
        rec.points = spent;
        rec.coupon_id = ap.coupons.empty() ? 0 : ap.coupons.front().id;
        rec.created_at = now;
        rec.balance_after = b.balance;
        rec.id = tx.insert_redemption(rec);
        RedemptionView v;
        v.id = rec.id;
        v.reward_id = reward_id;
        v.reward_name = reward->name;
        v.points = spent;
        v.created_at = format_rfc3339(now);
        if (!ap.coupons.empty()) v.coupon = build_coupon_view(ap.coupons.front(), now);
        v.balance_after = b.balance;
        json body = json(v);
        body["points_detail"] = points_json(b, after, now);
        json detail = plan_detail(*plan, ap);
        detail["reward_id"] = reward_id;
        detail["redemption_id"] = rec.id;
        audit(tx, who, "redeem", member_id, detail, now);
        Reply reply{Reply::Kind::created, std::move(body)};
        remember(tx, "redemption", key, fp, reply, member_id, now);
        return reply;
    });
}

Result<std::vector<RewardView>> Service::rewards(std::int64_t member_id) {
    using Out = std::vector<RewardView>;
    return guarded<Out>([&] {
        const UnixSeconds t = now();
        return impl_->with_member<Out>(
            member_id, t, [&](ReadTx& tx, const MemberRecord&, const MemberState& s) -> Result<Out> {
                std::vector<std::optional<int>> stock;
                for (const auto& r : impl_->program.rewards) {
                    if (r.stock)
                        stock.push_back(std::max(0, *r.stock - tx.reward_redeemed_count(r.id)));
                    else
                        stock.push_back(std::nullopt);
                }
                return build_reward_views(impl_->program, s, stock, t);
            });
    });
}

Result<std::vector<RedemptionView>> Service::redemptions(std::int64_t member_id) {
    using Out = std::vector<RedemptionView>;
    return guarded<Out>([&] {
        const UnixSeconds t = now();
        return impl_->with_member<Out>(member_id, t,
                                       [&](ReadTx& tx, const MemberRecord&, const MemberState&) -> Result<Out> {
                                           Out out;
                                           // Redeemed coupons may be closed: the coupon rows, not the snapshot.
                                           const auto coupons = tx.coupons_of(member_id);
                                           for (const auto& r : tx.redemptions(member_id)) {
                                               RedemptionView v;
                                               v.id = r.id;
                                               v.reward_id = r.reward_id;
                                               const Reward* rw = impl_->program.reward(r.reward_id);
                                               v.reward_name = rw ? rw->name : Text{r.reward_id, r.reward_id};
                                               v.points = r.points;
                                               v.created_at = format_rfc3339(r.created_at);
                                               for (const auto& c : coupons)
                                                   if (c.coupon.id == r.coupon_id)
                                                       v.coupon = build_coupon_view(c.coupon, t);
                                               v.balance_after = r.balance_after;
                                               out.push_back(std::move(v));
                                           }
                                           return out;
                                       });
    });
}

Result<Reply> Service::redeem(const Actor& who, std::int64_t member_id, const std::string& reward_id,
                              const std::string& idempotency_key) {
    return guarded<Reply>([&] { return impl_->redeem(who, member_id, reward_id, idempotency_key, now()); });
}

}  // namespace memberdesk::server
