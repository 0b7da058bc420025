// Admin points adjustments and the audit log.
#include "service/internal.hpp"
#include "service/scope.hpp"

namespace memberdesk::server {

Result<Reply> Service::Impl::adjust(const Actor& who, std::int64_t member_id, Points points, const std::string& reason,
                                    UnixSeconds now, const std::function<std::optional<Error>(WriteTx&)>& check) {
    if (points == 0 || points > 1000000 || points < -1000000)
        return err(ErrorCode::invalid_points, "points must be a non-zero integer, at most 1,000,000 either way");
    const auto rl = utf8_length(reason, Utf8Controls::reject);
    if (!rl || *rl < 1 || *rl > 200 || blank(reason))
        return err(ErrorCode::invalid_reason, "reason must be 1 to 200 characters");
    return store->write([&](WriteTx& tx) -> Result<Reply> {
        if (check)
            if (auto refused = check(tx)) return *refused;
        auto m = tx.member_by_id(member_id);
        if (!m || m->erased_at) return unknown_member();
        MemberState s = prepare(tx, member_id, now);
        auto plan =
            decide(tx, s, [&](const MemberState& st) { return adjust_points(program, zone, st, points, reason, now); });
        if (!plan) return plan.error();
        AppliedPlan ap = tx.apply_plan(member_id, *plan, program, now);
        const MemberState after = state_after(tx, std::move(s), *plan, ap, now);
        json detail = plan_detail(*plan, ap);
        detail["reason"] = reason;
        detail["points"] = points;
        audit(tx, who, "adjust", member_id, detail, now);
        return Reply{Reply::Kind::ok,
                     {{"member_id", member_id},
                      {"entries", entries_json(ap.entries)},
                      {"points", points_json(balances(program, after, now), after, now)}}};
    });
}

Result<Reply> Service::adjust(const Actor& who, std::int64_t member_id, Points points, const std::string& reason) {
    return guarded<Reply>([&] { return impl_->adjust(who, member_id, points, reason, now()); });
}

Result<json> Service::audit_log(std::optional<std::int64_t> member_id, int limit) {
    return guarded<json>([&]() -> Result<json> {
        if (limit < 1 || limit > 1000) return err(ErrorCode::invalid_field, "limit: must be from 1 to 1000");
        auto rows = impl_->store->read([&](ReadTx& tx) { return tx.audit(member_id, limit); });
        json out = {{"entries", json::array()}};
        for (const auto& a : rows) {
            json detail = json::parse(a.detail, nullptr, false);
            if (detail.is_discarded()) detail = a.detail;
            out["entries"].push_back({{"id", a.id},
                                      {"at", format_rfc3339(a.at)},
                                      {"actor", access::audit_actor_json(a)},
                                      {"action", a.action},
                                      {"member_id", a.member_id ? json(*a.member_id) : json(nullptr)},
                                      {"detail", detail}});
        }
        return out;
    });
}

}  // namespace memberdesk::server
