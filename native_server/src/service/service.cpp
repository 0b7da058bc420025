// The Service object, its small vocabulary (actors, clocks) and the Impl steps every operation
// shares: catch-up before a write, the after-state in memory, the state cache, member lookup, audit.
#include "service/service.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>

#include "memberdesk/segments.hpp"
#include "service/internal.hpp"
#include "service/scope.hpp"
#include "storage/progress.hpp"

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
    MemberState s = snapshot_for(tx, member_id, now);
    Plan cu = decide(tx, s, [&](const MemberState& st) { return catch_up(program, zone, st, now); });
    if (cu.empty()) return s;
    AppliedPlan ap = tx.apply_plan(member_id, cu, program, now);
    Actor system;
    system.kind = Actor::Kind::system;
    system.id = "catch_up";
    audit(tx, system, "catch_up", member_id, plan_detail(cu, ap), now);
    return state_after(tx, std::move(s), cu, ap, now);
}

MemberState Service::Impl::state_after(WriteTx& tx, MemberState s, const Plan& plan, const AppliedPlan& ap,
                                       UnixSeconds now) {
    if (plan.empty()) {
        // Storage still writes the scalars of an empty plan; the core's fold ignores them.
        s.debt = plan.debt_after;
        s.lifetime_earned = plan.lifetime_earned_after;
        s.ledger_total = plan.ledger_total_after;
        // Lots expanded for a decision that changed nothing are merged again as they were.
        if (s.lots_merged_at) compact_snapshot(zone, s, s.earlier_purchases.horizon.value_or(0), s.lots_merged_at);
    } else {
        if (ap.lot_ids.size() != plan.new_lots.size() || ap.coupons.size() != plan.coupons.size())
            throw std::logic_error("stored plan does not match the plan");
        // Storage has no row for a merged lot: a decision must not change one (Impl::decide).
        if (!merged_lots_read(s, plan).empty())
            throw std::logic_error("a plan for member " + std::to_string(s.member_id) + " changed merged lots");
        if (!fold_plan(program, zone, s, plan, StoredIds{ap.lot_ids, ap.coupons}, now))
            s = rebuilt_snapshot(tx, s.member_id, now);
    }
    save_snapshot(tx, s);
    if (opt.check_after_state) check_snapshot(tx, s, "in-memory after-state");
    return s;
}

std::optional<MemberState> Service::Impl::stored_snapshot(ReadTx& tx, std::int64_t member_id, UnixSeconds now) {
    auto row = tx.load_snapshot(member_id);
    if (!row || !row->current) return std::nullopt;
    auto& s = row->state;
    if (!s || s->member_id != member_id || s->earlier_purchases.horizon.value_or(0) != row->horizon ||
        !snapshot_covers(program, zone, *s, now))
        return std::nullopt;
    return std::move(*s);
}

MemberState Service::Impl::rebuilt_snapshot(ReadTx& tx, std::int64_t member_id, UnixSeconds now) {
    return snapshot_of(zone, tx.load_state(member_id), snapshot_horizon(program, zone, now), now);
}

MemberState Service::Impl::snapshot_for(WriteTx& tx, std::int64_t member_id, UnixSeconds now) {
    if (auto s = stored_snapshot(tx, member_id, now)) {
        if (opt.check_snapshots) check_snapshot(tx, *s, "stored snapshot");
        return std::move(*s);
    }
    MemberState s = rebuilt_snapshot(tx, member_id, now);
    save_snapshot(tx, s);
    return s;
}

void Service::Impl::save_snapshot(WriteTx& tx, const MemberState& s) {
    tx.save_snapshot(s.member_id, s.earlier_purchases.horizon.value_or(0), encode_snapshot(s));
    if (opt.check_snapshots) {
        auto row = tx.load_snapshot(s.member_id);
        if (!row || !row->current || !row->state)
            throw std::logic_error("snapshot of member " + std::to_string(s.member_id) + " did not read back");
        check_snapshot(tx, *row->state, "stored snapshot");
        check_activity(tx, s.member_id);
    }
}

void Service::Impl::check_activity(ReadTx& tx, std::int64_t member_id) {
    if (!tx.report_facts_ready(zone.name())) return;  // built at start, kept from then on
    auto m = tx.member_by_id(member_id);
    auto row = tx.member_activity(member_id);
    if (!m || m->erased_at) {
        if (row) throw std::logic_error("member " + std::to_string(member_id) + " is erased but has an activity row");
        return;
    }
    if (!row) throw std::logic_error("member " + std::to_string(member_id) + " has no activity row");
    const MemberActivity want = activity_of(zone, tx.load_state(member_id).purchases);
    if (*row != want)
        throw std::logic_error("activity row of member " + std::to_string(member_id) +
                               " differs from its purchases (month " + std::to_string(row->month) + " vs " +
                               std::to_string(want.month) + ", lifetime " + std::to_string(row->lifetime_net) + " vs " +
                               std::to_string(want.lifetime_net) + ")");
}

void Service::Impl::check_snapshot(ReadTx& tx, const MemberState& s, const char* what) {
    const MemberState replay = snapshot_like(zone, tx.load_state(s.member_id), s);
    const std::string diff = state_difference(s, replay);
    if (!diff.empty())
        throw std::logic_error(std::string(what) + " of member " + std::to_string(s.member_id) +
                               " differs from the replay of its history: " + diff);
}

void Service::Impl::change_member(WriteTx& tx, std::int64_t member_id, UnixSeconds now,
                                  const std::function<void()>& change) {
    MemberState s = snapshot_for(tx, member_id, now);
    change();
    auto m = tx.member_by_id(member_id);
    if (!m) throw std::logic_error("member " + std::to_string(member_id) + " vanished");
    s.birthday = m->birthday;
    s.joined_at = m->joined_at;
    save_snapshot(tx, s);
}

void Service::Impl::coupon_updated(WriteTx& tx, MemberState s, const Coupon& c) {
    fold_coupon_update(s, c);
    save_snapshot(tx, s);
}

void Service::Impl::build_missing_snapshots(UnixSeconds now) {
    constexpr int kBatch = 500;
    std::int64_t after = 0;
    // Of all members: those with a snapshot of their current revision are skipped.
    Progress progress("member snapshots built", store->read([](ReadTx& tx) { return tx.member_count(); }));
    for (;;) {
        auto ids = store->read([&](ReadTx& tx) { return tx.members_without_snapshot(after, kBatch); });
        if (ids.empty()) break;
        store->write([&](WriteTx& tx) {
            for (std::int64_t id : ids) save_snapshot(tx, rebuilt_snapshot(tx, id, now));
        });
        after = ids.back();
        progress.advance(static_cast<std::int64_t>(ids.size()));
    }
    progress.finish();
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

bool Service::Impl::catch_up_due(const KeptState& s, UnixSeconds now) const {
    return !catch_up_nothing_due(program, zone, s.probe, now) && !catch_up(program, zone, s.state, now).empty();
}

std::shared_ptr<const KeptState> Service::Impl::cached_state(ReadTx& tx, const MemberRecord& m, UnixSeconds now) {
    auto cached = states.find(m.id, m.rev);
    if (cached && !snapshot_covers(program, zone, cached->state, now)) return nullptr;
    if (cached && opt.check_state_cache) {
        const MemberState replay = snapshot_like(zone, tx.load_state(m.id), cached->state);
        const std::string diff = state_difference(cached->state, replay);
        if (!diff.empty())
            throw std::logic_error("cached state of member " + std::to_string(m.id) + " at revision " +
                                   std::to_string(m.rev) + " differs from storage: " + diff);
    }
    return cached;
}

// A read cannot write: a member without a usable stored snapshot is served from the full state
// (reduced to a snapshot) until the next write stores one.
std::shared_ptr<const KeptState> Service::Impl::stored_state(ReadTx& tx, const MemberRecord& m, UnixSeconds now) {
    if (auto cached = cached_state(tx, m, now)) return cached;
    auto s = stored_snapshot(tx, m.id, now);
    if (!s) return nullptr;
    auto loaded = std::make_shared<const KeptState>(std::move(*s));
    states.store(m.id, m.rev, loaded);
    return loaded;
}

std::shared_ptr<const KeptState> Service::Impl::read_state(ReadTx& tx, const MemberRecord& m, UnixSeconds now) {
    if (auto s = stored_state(tx, m, now)) return s;
    auto loaded = std::make_shared<const KeptState>(rebuilt_snapshot(tx, m.id, now));
    states.store(m.id, m.rev, loaded);
    return loaded;
}

Service::Service(std::unique_ptr<Store> store, ProgramConfig program, ZoneRules zone, const Clock& clock,
                 ServiceOptions options)
    : impl_(std::make_unique<Impl>(std::move(store), std::move(program), std::move(zone), clock, options)) {
    crypto::init();
    impl_->store->set_report_zone(std::make_shared<const ZoneRules>(impl_->zone));
    impl_->build_missing_snapshots(impl_->clock.now());
    // Report facts: built from the rows after the migration that adds them, after an import, a
    // generated database or a change of the program's zone.
    // Should that fail, reports read the rows until a start that succeeds.
    const std::string zone_name = impl_->zone.name();
    try {
        if (!impl_->store->read([&](ReadTx& tx) { return tx.report_facts_ready(zone_name); })) {
            const UnixSeconds t = impl_->clock.now();
            impl_->store->write([&](WriteTx& tx) { tx.rebuild_report_facts(t); });
        }
    } catch (const StoreError& e) {
        std::fprintf(stderr, "report facts: not built (%s); reports read the rows\n", e.what());
    }
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
