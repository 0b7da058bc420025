// The Service object, its small vocabulary (actors, clocks) and the Impl steps every operation
// shares: catch-up before a write, the after-state in memory, the state cache, member lookup, audit.
#include "service/service.hpp"

#include <atomic>
#include <chrono>

#include "service/internal.hpp"
#include "service/scope.hpp"

namespace memberdesk::server {

const char* to_string(Actor::Kind k) {
    switch (k) {
        case Actor::Kind::member: return "member";
        case Actor::Kind::kiosk: return "kiosk";
        case Actor::Kind::pos: return "pos";
        case Actor::Kind::admin: return "admin";
        case Actor::Kind::system: return "system";
        case Actor::Kind::staff: return "staff";
    }
    return "system";
}

Actor Principal::actor() const {
    Actor a;
    if (kind == Kind::member) {
        a.kind = Actor::Kind::member;
        a.id = std::to_string(member_id);
    } else {
        a.kind = Actor::Kind::kiosk;
        a.id = kiosk_key_id;
        a.kiosk_member_id = member_id;
    }
    return a;
}

UnixSeconds SystemClock::now() const {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

struct TestClock::Impl {
    std::atomic<UnixSeconds> t{0};
};
TestClock::TestClock(UnixSeconds start) : impl_(std::make_shared<Impl>()) { impl_->t.store(start); }
UnixSeconds TestClock::now() const { return impl_->t.load(); }
void TestClock::set(UnixSeconds t) { impl_->t.store(t); }

void Service::Impl::audit(WriteTx& tx, const Actor& who, const std::string& action,
                          std::optional<std::int64_t> member_id, const json& detail, UnixSeconds now) {
    AuditRecord a;
    a.at = now;
    a.actor_kind = to_string(who.kind);
    a.actor_id = who.id;
    a.action = action;
    a.member_id = member_id;
    json d = detail;
    if (who.kind == Actor::Kind::kiosk && who.kiosk_member_id) d["kiosk_member_id"] = who.kiosk_member_id;
    if (!who.reason.empty() && !d.contains("reason")) d["reason"] = who.reason;
    a.detail = d.dump();
    a.actor_name = who.username;
    a.store = who.store;
    if (a.store.empty() && d.contains("store") && d["store"].is_string()) a.store = d["store"].get<std::string>();
    tx.insert_audit(a);
}

MemberState Service::Impl::prepare(WriteTx& tx, std::int64_t member_id, UnixSeconds now) {
    MemberState s = tx.load_state(member_id);
    Plan cu = catch_up(program, zone, s, now);
    if (cu.empty()) return s;
    AppliedPlan ap = tx.apply_plan(member_id, cu, program, now);
    Actor system;
    system.kind = Actor::Kind::system;
    system.id = "catch_up";
    audit(tx, system, "catch_up", member_id, plan_detail(cu, ap), now);
    return state_after(tx, std::move(s), cu, ap);
}

// The state storage holds after `plan` was stored as `ap` (what tx.load_state would return now),
// computed in memory: the core's apply_plan with the stored ids and coupons of `ap`, in load order.
MemberState Service::Impl::state_after(WriteTx& tx, MemberState s, const Plan& plan, const AppliedPlan& ap) {
    if (plan.empty()) {
        // Storage still writes the scalars of an empty plan; the core's apply_plan ignores them.
        s.debt = plan.debt_after;
        s.lifetime_earned = plan.lifetime_earned_after;
        s.ledger_total = plan.ledger_total_after;
    } else {
        const std::size_t lots_before = s.lots.size(), coupons_before = s.coupons.size();
        std::int64_t next_lot_id = 0;
        memberdesk::apply_plan(s, plan, next_lot_id);
        if (ap.lot_ids.size() != s.lots.size() - lots_before || ap.coupons.size() != s.coupons.size() - coupons_before)
            throw std::logic_error("stored plan does not match the plan");
        for (std::size_t i = 0; i < ap.lot_ids.size(); ++i) s.lots[lots_before + i].id = ap.lot_ids[i];
        s.coupons.resize(coupons_before);  // the stored coupons: real ids, codes, terms, issued_at
        s.coupons.insert(s.coupons.end(), ap.coupons.begin(), ap.coupons.end());
        // Load order: lots and coupons by id (new ids are the largest), purchases by (at, id), keys by key.
        std::stable_sort(s.purchases.begin(), s.purchases.end(),
                         [](const Purchase& a, const Purchase& b) { return a.at < b.at; });
        std::sort(s.issue_keys.begin(), s.issue_keys.end());
    }
    if (opt.check_after_state) {
        const std::string diff = state_difference(s, tx.load_state(s.member_id));
        if (!diff.empty()) throw std::logic_error("in-memory after-state differs from storage: " + diff);
    }
    return s;
}

// `member` at POS: a scanned member code ("M..."), a phone, or a member id (digits). An offline
// card code ("T...") is verified before the transaction (verify_card_code); here it is refused.
// A phone is tried before an id, so a phone number never credits another member by id.
// Errors: invalid_member_code (a code that is unknown or has expired: the member refreshes the card),
// member_not_found (no member with this phone or id).
Result<std::int64_t> Service::Impl::resolve_member(ReadTx& tx, const std::string& member, UnixSeconds now) {
    if (member.empty() || member.size() > 128) return unknown_member();
    if (looks_like_card_code(member))
        return err(ErrorCode::invalid_member_code, "member code is unknown or has expired; refresh the card");
    if (member[0] == 'M' || member[0] == 'm') {
        const Error bad_code =
            err(ErrorCode::invalid_member_code, "member code is unknown or has expired; refresh the card");
        std::string code = member;
        std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::toupper(c); });
        auto mc = tx.member_code(crypto::hash_token(code));
        if (!mc || mc->expires_at <= now) return bad_code;
        auto m = tx.member_by_id(mc->member_id);
        if (!m || m->erased_at) return bad_code;
        return m->id;
    }
    if (auto m = tx.member_by_phone(member)) {
        if (!m->erased_at) return m->id;
        return unknown_member();
    }
    if (all_digits(member) && member.size() <= 18) {
        auto m = tx.member_by_id(std::strtoll(member.c_str(), nullptr, 10));
        if (m && !m->erased_at) return m->id;
    }
    return unknown_member();
}

bool Service::Impl::catch_up_due(const MemberState& s, UnixSeconds now) const {
    return !catch_up_nothing_due(program, zone, s, now) && !catch_up(program, zone, s, now).empty();
}

std::shared_ptr<const MemberState> Service::Impl::cached_state(ReadTx& tx, const MemberRecord& m) {
    auto cached = states.find(m.id, m.rev);
    if (cached && opt.check_state_cache) {
        const std::string diff = state_difference(*cached, tx.load_state(m.id));
        if (!diff.empty())
            throw std::logic_error("cached state of member " + std::to_string(m.id) + " at revision " +
                                   std::to_string(m.rev) + " differs from storage: " + diff);
    }
    return cached;
}

std::shared_ptr<const MemberState> Service::Impl::read_state(ReadTx& tx, const MemberRecord& m) {
    if (auto cached = cached_state(tx, m)) return cached;
    auto loaded = std::make_shared<const MemberState>(tx.load_state(m.id));
    states.store(m.id, m.rev, loaded);
    return loaded;
}

Service::Service(std::unique_ptr<Store> store, ProgramConfig program, ZoneRules zone, const Clock& clock,
                 ServiceOptions options)
    : impl_(std::make_unique<Impl>(std::move(store), std::move(program), std::move(zone), clock, options)) {
    crypto::init();
}

Service::~Service() = default;

const ProgramConfig& Service::program() const { return impl_->program; }

const ZoneRules& Service::zone() const { return impl_->zone; }

UnixSeconds Service::now() const { return impl_->clock.now(); }

ProgramView Service::program_view() const { return build_program_view(impl_->program, impl_->zone); }

Store& Service::store() { return *impl_->store; }

bool Service::healthy() {
    try {
        return impl_->store->read([](ReadTx& tx) { return tx.ping(); });
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace memberdesk::server
