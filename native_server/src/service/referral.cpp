// Referral (domain.md §7): a member's code and link, and storing the rewards the core decides with
// the new member's first purchase (earn_purchase) and takes back at its full refund (refund_purchase).
// Exactly once: the referrals row of the new member (one per member) is settled in the purchase's
// write transaction, so a second purchase, a retried purchase or a concurrent one finds it settled.
#include <sodium.h>

#include "memberdesk/referral.hpp"
#include "service/internal.hpp"
#include "service/outbox.hpp"
#include "storage/self_store.hpp"

namespace memberdesk::server {

namespace {

std::string random_referral_code() {
    const std::size_t n = std::char_traits<char>::length(kReferralAlphabet);
    std::string code;
    for (std::size_t i = 0; i < kReferralCodeLength; ++i)
        code.push_back(kReferralAlphabet[randombytes_uniform(static_cast<std::uint32_t>(n))]);
    return code;
}

}  // namespace

Result<json> Service::referral(std::int64_t member_id, const std::string& origin) {
    return guarded<json>([&]() -> Result<json> {
        const UnixSeconds t = now();
        return impl_->store->write([&](WriteTx& tx) -> Result<json> {
            auto m = tx.member_by_id(member_id);
            if (!m || m->erased_at) return unknown_member();
            SelfTx& st = tx.self();
            auto code = st.referral_code_of(member_id);
            if (!code) {
                // 30^8 codes: a collision is rare, and the unique column is the last word.
                std::string c = random_referral_code();
                while (st.member_of_referral_code(c)) c = random_referral_code();
                st.insert_referral_code(member_id, c, t);
                code = c;
            }
            int invited = 0, rewarded = 0;
            for (const auto& r : st.referrals_by(member_id)) {
                ++invited;
                if (r.referrer_points > 0 && !r.clawed_back_at) ++rewarded;
            }
            return json{
                {"code", *code}, {"url", referral_url(origin, *code)}, {"invited", invited}, {"rewarded", rewarded}};
        });
    });
}

ReferralContext Service::Impl::referral_for_purchase(WriteTx& tx, std::int64_t member_id, const MemberState& s,
                                                     UnixSeconds at) {
    ReferralContext rc;
    if (!program.referral.enabled() || !s.purchases.empty() || s.earlier_purchases.count > 0) return rc;
    rc.record = tx.self().referral_of(member_id);
    if (!rc.record || rc.record->first_txn) return rc;
    tx.member_by_id(rc.record->referrer_id);  // locks the referrer's row (PostgreSQL) before the count
    ReferralFacts f;
    f.referrer_id = rc.record->referrer_id;
    f.settled = false;
    f.referrer_rewards_this_month =
        tx.self().referral_rewards_in_month(rc.record->referrer_id, referral_month(zone, at));
    rc.facts = f;
    return rc;
}

ReferralContext Service::Impl::referral_for_refund(WriteTx& tx, std::int64_t member_id, const std::string& txn_id) {
    ReferralContext rc;
    rc.record = tx.self().referral_of(member_id);
    if (!rc.record || !rc.record->first_txn || *rc.record->first_txn != txn_id) return rc;
    ReferralPaid p;
    p.referrer_id = rc.record->referrer_id;
    p.first_txn = *rc.record->first_txn;
    p.new_member_points = rc.record->new_member_points;
    p.referrer_points = rc.record->referrer_points;
    p.clawed_back = rc.record->clawed_back_at.has_value();
    rc.paid = p;
    return rc;
}

json Service::Impl::referral_settle(WriteTx& tx, const Actor& who, std::int64_t member_id, const ReferralOutcome& o,
                                    ReferralContext& rc, const std::string& txn_id, const std::string& ref,
                                    UnixSeconds now) {
    if (!rc.record) throw std::logic_error("a referral outcome without a referral");
    ReferralRecord& rec = *rc.record;
    const bool award = o.kind == ReferralOutcome::Kind::award;
    auto referrer = tx.member_by_id(o.referrer_id);
    const bool referrer_active = referrer && !referrer->erased_at;
    Points referrer_points = referrer_active ? o.referrer_points : 0;
    if (award) {
        rec.first_txn = txn_id;
        rec.rewarded_at = now;
        rec.month = o.month;
        rec.new_member_points = o.new_member_points;
        rec.referrer_points = referrer_points;
    } else {
        rec.clawed_back_at = now;
    }
    tx.self().update_referral(rec);
    if (referrer_points > 0) {
        MemberState rs = prepare(tx, o.referrer_id, now);
        if (!award) expand_lots_for_claw_back(tx, rs);
        Plan plan = award ? referral_reward(program, zone, rs, referrer_points, member_id, now)
                          : referral_clawback(program, rs, referrer_points, referral_source_referrer(member_id),
                                              "referral:" + std::to_string(member_id), now);
        AppliedPlan ap = tx.apply_plan(o.referrer_id, plan, program, now);
        state_after(tx, std::move(rs), plan, ap, now);
        json detail = plan_detail(plan, ap);
        detail["new_member_id"] = member_id;
        detail["txn_id"] = txn_id;
        if (!award) detail["refund_id"] = ref;
        detail["points"] = award ? referrer_points : -referrer_points;
        audit(tx, who, award ? "referral_reward" : "referral_clawback", o.referrer_id, detail, now);
        // The referrer hears of it (a service message, as reminders are: refusable, on by default).
        SelfTx& st = tx.self();
        if (member_consents(st, o.referrer_id)["reminders"]) {
            QueuedMessage q;
            q.member_id = o.referrer_id;
            q.phone = referrer->phone;
            q.template_id = award ? "referral_rewarded" : "referral_taken_back";
            q.locale = member_message_locale(st, o.referrer_id);
            q.created_at = now;
            const MessageText t = referral_message_text(award, referrer_points, q.locale, program.name.in(q.locale));
            q.text = t.text;
            q.inbox = t.inbox;
            q.params = json{{"points", referrer_points}}.dump();
            queue_message(st, q, program.name.in(q.locale), opt.deliver_messages, 0);
        }
    }
    return json{{"kind", award ? "award" : "clawback"},
                {"referrer_id", o.referrer_id},
                {"new_member_points", award ? o.new_member_points : -o.new_member_points},
                {"referrer_points", award ? referrer_points : -referrer_points},
                {"capped", o.capped}};
}

}  // namespace memberdesk::server
