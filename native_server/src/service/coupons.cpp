// Coupons: the member's list, redemption at POS, issue and void by staff.
#include "service/internal.hpp"
#include "service/scope.hpp"

namespace memberdesk::server {

Result<Reply> Service::Impl::redeem_coupon(const Actor& who, const CouponRedeemRequest& r, UnixSeconds now) {
    if (r.code.empty() || r.code.size() > 32) return err(ErrorCode::invalid_code, "code must be 1 to 32 characters");
    if (r.txn_id.empty() || r.txn_id.size() > kMaxIdLength)
        return err(ErrorCode::invalid_txn_id, "txn_id must be 1 to 128 characters");
    if (r.order_amount < 0) return err(ErrorCode::invalid_amount, "order_amount must be a non-negative integer (fen)");
    std::string code = r.code;
    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::toupper(c); });
    const std::string key = r.txn_id + "\n" + code;
    const std::string fp =
        fingerprint({{"code", code}, {"order_amount", r.order_amount}, {"store", r.store}, {"txn_id", r.txn_id}});
    return store->write([&](WriteTx& tx) -> Result<Reply> {
        if (auto rec = tx.idempotency("coupon_redeem", key)) return replay(*rec, fp);
        auto found = tx.coupon_by_code(code);
        if (!found) return err(ErrorCode::coupon_not_found, "no coupon with this code");
        const std::int64_t member_id = found->member_id;
        MemberState s = prepare(tx, member_id, now);
        const Coupon* current = nullptr;
        for (const auto& c : s.coupons)
            if (c.id == found->coupon.id) current = &c;
        // A snapshot lists only open coupons; a closed one is judged as storage has it.
        auto used = use_coupon(current ? *current : found->coupon, r.order_amount, r.store, r.txn_id, now);
        if (!used) return used.error();
        tx.update_coupon(*used, now);
        coupon_updated(tx, std::move(s), *used);
        const CouponView view = build_coupon_view(*used, now);
        json body = {{"code", code},
                     {"txn_id", r.txn_id},
                     {"order_amount", r.order_amount},
                     {"discount", used->used_discount},
                     {"pay_amount", std::max<Cents>(0, r.order_amount - used->used_discount)},
                     {"kind", to_string(used->terms.kind)},
                     {"title", view.title},
                     {"member_id", member_id},
                     {"coupon", json(view)}};
        if (used->terms.kind == CouponKind::free_item) body["item"] = used->terms.item;
        audit(tx, who, "coupon_redeem", member_id,
              {{"coupon_id", used->id},
               {"txn_id", r.txn_id},
               {"order_amount", r.order_amount},
               {"discount", used->used_discount},
               {"store", r.store}},
              now);
        Reply reply{Reply::Kind::ok, std::move(body)};
        remember(tx, "coupon_redeem", key, fp, reply, member_id, now);
        return reply;
    });
}

Result<Reply> Service::Impl::issue_coupon(const Actor& who, std::int64_t member_id, const std::string& template_id,
                                          UnixSeconds now) {
    const CouponTemplate* t = program.coupon_template(template_id);
    if (!t) return err(ErrorCode::unknown_template, "no coupon template with this id");
    return store->write([&](WriteTx& tx) -> Result<Reply> {
        auto m = tx.member_by_id(member_id);
        if (!m || m->erased_at) return unknown_member();
        MemberState s = prepare(tx, member_id, now);
        Plan plan = scalars_plan(s);
        plan.coupons.push_back(make_issue(*t, CouponSource::staff, zone, now, Text{"门店赠送", "Issued by staff"}));
        AppliedPlan ap = tx.apply_plan(member_id, plan, program, now);
        state_after(tx, std::move(s), plan, ap, now);
        audit(tx, who, "issue_coupon", member_id, plan_detail(plan, ap), now);
        return Reply{Reply::Kind::created, json(build_coupon_view(ap.coupons.front(), now))};
    });
}

Result<Reply> Service::Impl::void_coupon(const Actor& who, const std::string& code_in, UnixSeconds now) {
    std::string code = code_in;
    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::toupper(c); });
    if (code.empty() || code.size() > 32) return err(ErrorCode::invalid_code, "code must be 1 to 32 characters");
    return store->write([&](WriteTx& tx) -> Result<Reply> {
        auto found = tx.coupon_by_code(code);
        if (!found) return err(ErrorCode::coupon_not_found, "no coupon with this code");
        auto voided = memberdesk::void_coupon(found->coupon, now);
        if (!voided) return voided.error();
        MemberState s = snapshot_for(tx, found->member_id, now);
        tx.update_coupon(*voided, now);
        coupon_updated(tx, std::move(s), *voided);
        audit(tx, who, "void_coupon", found->member_id, {{"coupon_id", voided->id}}, now);
        return Reply{Reply::Kind::ok, json(build_coupon_view(*voided, now))};
    });
}

Result<std::vector<CouponView>> Service::coupons(std::int64_t member_id, const std::optional<std::string>& state) {
    using Out = std::vector<CouponView>;
    return guarded<Out>([&]() -> Result<Out> {
        std::optional<CouponState> want;
        if (state && !state->empty()) {
            want = coupon_state_from_string(*state);
            if (!want) return err(ErrorCode::invalid_field, "state: unknown coupon state " + *state);
        }
        const UnixSeconds t = now();
        // The snapshot lists only open coupons: the list reads the coupon rows.
        return impl_->with_member_light<Out>(member_id, t, [&](ReadTx& tx, const MemberRecord&) -> Result<Out> {
            const auto all = tx.coupons_of(member_id);
            Out out;
            for (auto it = all.rbegin(); it != all.rend(); ++it)
                if (!want || effective_state(it->coupon, t) == *want) out.push_back(build_coupon_view(it->coupon, t));
            return out;
        });
    });
}

Result<Reply> Service::redeem_coupon(const Actor& who, const CouponRedeemRequest& r) {
    if (auto e = store_mismatch(who, r.store)) return *e;
    return guarded<Reply>([&] { return impl_->redeem_coupon(who, r, now()); });
}

Result<Reply> Service::issue_coupon(const Actor& who, std::int64_t member_id, const std::string& template_id) {
    return guarded<Reply>([&] { return impl_->issue_coupon(who, member_id, template_id, now()); });
}

Result<Reply> Service::void_coupon(const Actor& who, const std::string& code) {
    return guarded<Reply>([&] { return impl_->void_coupon(who, code, now()); });
}

}  // namespace memberdesk::server
