#include "service/service.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <unordered_map>

#include "memberdesk/coupons.hpp"
#include "memberdesk/rewards.hpp"
#include "memberdesk/segments.hpp"
#include "memberdesk/tiers.hpp"
#include "service/crypto.hpp"
#include "service/scope.hpp"
#include "service/service_impl.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Small vocabulary.

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

namespace {

// txn_id, refund_id: POS transaction ids (UUIDs, store-prefixed ids, ...).
constexpr std::size_t kMaxIdLength = 128;

Error err(ErrorCode code, std::string message) { return make_error(code, std::move(message)); }
Error unknown_member() { return err(ErrorCode::member_not_found, "no such member"); }

// Turns exceptions escaping an operation into an Error (service_busy or internal_error), so the
// HTTP layer always gets a Result.
template <class T, class F>
Result<T> guarded(F&& f) {
    try {
        return f();
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::busy) return err(ErrorCode::service_busy, "the database is busy; try again");
        return err(ErrorCode::internal_error, e.what());
    } catch (const std::exception& e) {
        return err(ErrorCode::internal_error, e.what());
    }
}

// The idempotency table keeps a reply's kind as the number databases already hold (200, 201, 204).
int stored_reply_kind(Reply::Kind k) {
    switch (k) {
        case Reply::Kind::ok: return 200;
        case Reply::Kind::created: return 201;
        case Reply::Kind::empty: return 204;
    }
    return 200;
}
Reply::Kind reply_kind_from_stored(int v) {
    return v == 201 ? Reply::Kind::created : v == 204 ? Reply::Kind::empty : Reply::Kind::ok;
}

std::string fingerprint(const json& canonical) { return crypto::sha256_hex(canonical.dump()); }

Result<Reply> replay(const IdempotencyRecord& rec, const std::string& fp) {
    if (!crypto::constant_time_equal(rec.fingerprint, fp))
        return err(ErrorCode::idempotency_conflict,
                   "this " + rec.scope + " key was already used with a different request");
    Reply r;
    r.kind = reply_kind_from_stored(rec.status);
    r.body = rec.response.empty() ? json(nullptr) : json::parse(rec.response);
    return r;
}

void remember(WriteTx& tx, const std::string& scope, const std::string& key, const std::string& fp, const Reply& reply,
              std::int64_t member_id, UnixSeconds now) {
    IdempotencyRecord rec;
    rec.scope = scope;
    rec.key = key;
    rec.fingerprint = fp;
    rec.status = stored_reply_kind(reply.kind);
    rec.response = reply.body.dump();
    rec.member_id = member_id;
    rec.created_at = now;
    tx.put_idempotency(rec);
}

bool all_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool valid_phone(const std::string& p) {
    std::string digits = (!p.empty() && p[0] == '+') ? p.substr(1) : p;
    return all_digits(digits) && digits.size() >= 6 && digits.size() <= 20;
}
bool valid_pin(const std::string& p) { return p.size() == 6 && all_digits(p); }

// Well-formed UTF-8 without control characters; returns the number of code points or -1.
int utf8_length(const std::string& s) {
    int n = 0;
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t len;
        std::uint32_t cp;
        if (c < 0x80) {
            len = 1;
            cp = c;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return -1;
        }
        if (i + len > s.size()) return -1;
        for (std::size_t k = 1; k < len; ++k) {
            const unsigned char cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return -1;
            cp = (cp << 6) | (cc & 0x3F);
        }
        static const std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return -1;
        i += len;
        ++n;
    }
    return n;
}

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

std::optional<Error> check_name(const std::string& name) {
    const int n = utf8_length(name);
    if (n < 1 || n > 100 || blank(name))
        return err(ErrorCode::invalid_name, "name must be 1 to 100 characters of text");
    return std::nullopt;
}
std::optional<Error> check_birthday(const std::optional<CivilDate>& b, const ZoneRules& z, UnixSeconds now) {
    if (!b) return std::nullopt;
    if (b->year < 1900 || z.local_date(now) < *b)
        return err(ErrorCode::invalid_birthday, "birthday must be a real date (YYYY-MM-DD) not in the future");
    return std::nullopt;
}

// The earliest expiry among the member's spendable points, however far away (the core's
// Balances::next_expiry only looks inside the "expiring soon" window). Members see "your next
// points expire on ...".
std::optional<UnixSeconds> next_expiry_of(const MemberState& s, UnixSeconds now) {
    std::optional<UnixSeconds> next;
    for (const auto& l : s.lots) {
        if (l.remaining <= 0 || l.available_at > now || !l.expires_at || *l.expires_at < now) continue;
        if (!next || *l.expires_at < *next) next = l.expires_at;
    }
    return next;
}

json points_json(Balances b, const MemberState& s, UnixSeconds now) {
    b.next_expiry = next_expiry_of(s, now);
    PointsView v;
    v.balance = b.balance;
    v.pending = b.pending;
    v.lifetime_earned = b.lifetime_earned;
    v.expiring_soon = b.expiring_soon;
    v.debt = b.debt;
    if (b.next_expiry) v.next_expiry = format_rfc3339(*b.next_expiry);
    return json(v);
}

json entries_json(const std::vector<LedgerEntry>& entries) {
    json a = json::array();
    for (const auto& e : entries) a.push_back(json(build_ledger_entry_view(e)));
    return a;
}
json coupons_json(const std::vector<Coupon>& coupons, UnixSeconds now) {
    json a = json::array();
    for (const auto& c : coupons) a.push_back(json(build_coupon_view(c, now)));
    return a;
}

// What an audit row says about a plan: no personal data, no coupon codes (those are bearer values).
json plan_detail(const Plan& p, const AppliedPlan& ap) {
    json d = json::object();
    json entries = json::array();
    for (const auto& e : ap.entries)
        entries.push_back({{"id", e.id}, {"type", to_string(e.type)}, {"points", e.points}, {"ref", e.ref}});
    d["entries"] = entries;
    json coupons = json::array();
    for (const auto& c : ap.coupons)
        coupons.push_back({{"id", c.id}, {"template_id", c.template_id}, {"source", to_string(c.source)}});
    if (!coupons.empty()) d["coupons"] = coupons;
    if (p.tier_change) d["tier"] = {{"from", p.tier_change->from}, {"to", p.tier_change->to}};
    if (!p.lot_changes.empty()) d["lots_changed"] = p.lot_changes.size();
    d["ledger_total_after"] = p.ledger_total_after;
    d["debt_after"] = p.debt_after;
    return d;
}

json tier_brief(const ProgramConfig& p, const TierStatus& t) {
    const int idx = current_tier_index(p, t);
    json j = json::object();
    if (idx >= 0 && idx < static_cast<int>(p.tiers.size())) {
        j["id"] = p.tiers[static_cast<std::size_t>(idx)].id;
        j["name"] = p.tiers[static_cast<std::size_t>(idx)].name;
    } else {
        j["id"] = t.tier_id;
    }
    j["valid_until"] = t.valid_until ? json(format_rfc3339(*t.valid_until)) : json(nullptr);
    return j;
}

CouponCountsView coupon_counts(const std::vector<Coupon>& coupons, UnixSeconds now) {
    CouponCountsView v;
    for (const auto& c : coupons) {
        switch (effective_state(c, now)) {
            case CouponState::available: ++v.available; break;
            case CouponState::used: ++v.used; break;
            case CouponState::expired: ++v.expired; break;
            case CouponState::voided: ++v.voided; break;
        }
    }
    return v;
}

// Plan that only issues coupons: carries the member's scalars unchanged.
Plan scalars_plan(const MemberState& s) {
    Plan p;
    p.debt_after = s.debt;
    p.lifetime_earned_after = s.lifetime_earned;
    p.ledger_total_after = s.ledger_total;
    return p;
}

// What differs between two member states (empty = identical, field by field). Used to check that an
// after-state computed in memory is exactly what storage would load (ServiceOptions::check_after_state).
std::string state_difference(const MemberState& a, const MemberState& b) {
    auto num = [](const char* what, std::size_t i, long long x, long long y) {
        return std::string(what) + "[" + std::to_string(i) + "]: " + std::to_string(x) + " vs " + std::to_string(y);
    };
    if (a.member_id != b.member_id) return num("member_id", 0, a.member_id, b.member_id);
    if (a.joined_at != b.joined_at) return num("joined_at", 0, a.joined_at, b.joined_at);
    if (a.birthday.has_value() != b.birthday.has_value() || (a.birthday && !(*a.birthday == *b.birthday)))
        return "birthday";
    if (a.debt != b.debt) return num("debt", 0, a.debt, b.debt);
    if (a.lifetime_earned != b.lifetime_earned) return num("lifetime_earned", 0, a.lifetime_earned, b.lifetime_earned);
    if (a.ledger_total != b.ledger_total) return num("ledger_total", 0, a.ledger_total, b.ledger_total);
    if (a.tier.tier_id != b.tier.tier_id || a.tier.since != b.tier.since || a.tier.valid_until != b.tier.valid_until)
        return "tier: " + a.tier.tier_id + " vs " + b.tier.tier_id;
    if (a.lots.size() != b.lots.size()) return num("lots.size", 0, (long long)a.lots.size(), (long long)b.lots.size());
    for (std::size_t i = 0; i < a.lots.size(); ++i) {
        const Lot &x = a.lots[i], &y = b.lots[i];
        if (x.id != y.id) return num("lots.id", i, x.id, y.id);
        if (x.original != y.original || x.remaining != y.remaining || x.earned_at != y.earned_at ||
            x.available_at != y.available_at || x.expires_at != y.expires_at || x.source != y.source)
            return num("lots", i, x.remaining, y.remaining);
    }
    if (a.purchases.size() != b.purchases.size())
        return num("purchases.size", 0, (long long)a.purchases.size(), (long long)b.purchases.size());
    for (std::size_t i = 0; i < a.purchases.size(); ++i) {
        const Purchase &x = a.purchases[i], &y = b.purchases[i];
        if (x.txn_id != y.txn_id || x.amount != y.amount || x.refunded != y.refunded || x.at != y.at ||
            x.store != y.store || x.points != y.points || x.tier_id != y.tier_id)
            return "purchases[" + std::to_string(i) + "]: " + x.txn_id + " vs " + y.txn_id;
    }
    if (a.coupons.size() != b.coupons.size())
        return num("coupons.size", 0, (long long)a.coupons.size(), (long long)b.coupons.size());
    for (std::size_t i = 0; i < a.coupons.size(); ++i) {
        const Coupon &x = a.coupons[i], &y = b.coupons[i];
        const CouponTemplate &s = x.terms, &t = y.terms;
        if (x.id != y.id) return num("coupons.id", i, x.id, y.id);
        if (x.code != y.code || x.template_id != y.template_id || x.source != y.source || x.state != y.state ||
            x.valid_from != y.valid_from || x.valid_until != y.valid_until || x.issued_at != y.issued_at ||
            x.used_at != y.used_at || x.used_txn != y.used_txn || x.used_store != y.used_store ||
            x.used_order_amount != y.used_order_amount || x.used_discount != y.used_discount)
            return num("coupons", i, x.id, y.id);
        if (s.id != t.id || s.kind != t.kind || s.amount != t.amount || s.threshold != t.threshold ||
            s.percent_off != t.percent_off || s.max_discount != t.max_discount || !(s.item == t.item) ||
            !(s.scope == t.scope) || s.min_spend != t.min_spend || s.stores != t.stores ||
            s.validity.days != t.validity.days || s.validity.end_of_month != t.validity.end_of_month)
            return num("coupons.terms", i, x.id, y.id);
    }
    if (a.issue_keys != b.issue_keys) return "issue_keys";
    return {};
}

std::string encode_cursor(const LedgerCursor& c) { return std::to_string(c.created_at) + "." + std::to_string(c.id); }
std::optional<LedgerCursor> decode_cursor(const std::string& s) {
    const auto dot = s.find('.');
    if (dot == std::string::npos) return std::nullopt;
    const std::string a = s.substr(0, dot), b = s.substr(dot + 1);
    const bool neg = !a.empty() && a[0] == '-';
    if (!all_digits(neg ? a.substr(1) : a) || !all_digits(b) || a.size() > 19 || b.size() > 18) return std::nullopt;
    return LedgerCursor{std::strtoll(a.c_str(), nullptr, 10), std::strtoll(b.c_str(), nullptr, 10)};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Impl helpers.

const std::string& Service::Impl::dummy_pin_hash() {
    std::call_once(dummy_once,
                   [&] { dummy_hash = crypto::hash_pin(crypto::random_code(12), opt.kdf_opslimit, opt.kdf_memlimit); });
    return dummy_hash;
}

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

// `member` at POS: a scanned member code ("M..."), a phone, or a member id (digits).
// A phone is tried before an id, so a phone number never credits another member by id.
// Errors: invalid_member_code (a code that is unknown or has expired: the member refreshes the card),
// member_not_found (no member with this phone or id).
Result<std::int64_t> Service::Impl::resolve_member(ReadTx& tx, const std::string& member, UnixSeconds now) {
    if (member.empty() || member.size() > 128) return unknown_member();
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

// Runs `f(tx, member, state)` on an up-to-date state: in a read transaction when nothing is due,
// else in a write transaction that persists the catch-up first (so expiries are written the first
// time anyone looks).
template <class R, class F>
Result<R> Service::Impl::with_member(std::int64_t member_id, UnixSeconds now, F&& f) {
    Impl& im = *this;
    auto first = im.store->read([&](ReadTx& tx) -> std::optional<Result<R>> {
        auto m = tx.member_by_id(member_id);
        if (!m || m->erased_at) return Result<R>(unknown_member());
        std::shared_ptr<const MemberState> s = im.read_state(tx, *m);
        if (im.catch_up_due(*s, now)) return std::nullopt;
        return f(static_cast<ReadTx&>(tx), *m, *s);
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
// decided on the cached state if there is one, else on ReadTx::due_state (the open lots, the latest
// purchase, the keys) instead of the whole history; only when that cannot rule it out is the full
// state loaded, and a due catch-up is persisted exactly as with_member does.
template <class R, class F>
Result<R> Service::Impl::with_member_light(std::int64_t member_id, UnixSeconds now, F&& f) {
    Impl& im = *this;
    auto first = im.store->read([&](ReadTx& tx) -> std::optional<Result<R>> {
        auto m = tx.member_by_id(member_id);
        if (!m || m->erased_at) return Result<R>(unknown_member());
        auto cached = im.cached_state(tx, *m);  // a state at hand decides without due_state
        const bool due = cached ? im.catch_up_due(*cached, now)
                                : !catch_up_nothing_due(im.program, im.zone, tx.due_state(member_id), now) &&
                                      im.catch_up_due(tx.load_state(member_id), now);
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

// ---------------------------------------------------------------------------------------------
// Auth.

Result<Session> Service::Impl::open_session(Principal::Kind kind, const std::string& kiosk_key_id,
                                            const std::string& phone, const std::string& pin, UnixSeconds now) {
    const UnixSeconds since = now - opt.login_window_seconds;
    struct Seen {
        int failures = 0;
        std::optional<MemberRecord> member;
    };
    const bool phone_ok = valid_phone(phone);
    Seen seen;
    if (phone_ok) {
        seen = store->read([&](ReadTx& tx) {
            Seen s;
            s.failures = tx.login_failures_since(phone, since);
            s.member = tx.member_by_phone(phone);
            return s;
        });
    }
    if (seen.failures >= opt.login_max_failures)
        return err(ErrorCode::too_many_attempts, "too many failed sign-ins; try again later");

    // The slow KDF runs outside any transaction. Unknown phone: verify against a dummy hash, so the
    // answer takes as long as for a member.
    const bool known = seen.member && !seen.member->erased_at && !seen.member->pin_hash.empty();
    const bool pin_ok =
        crypto::verify_pin(known ? seen.member->pin_hash : dummy_pin_hash(), pin) && known && valid_pin(pin);
    if (!pin_ok) {
        if (phone_ok) store->write([&](WriteTx& tx) { tx.add_login_failure(phone, now); });
        return err(ErrorCode::invalid_credentials, "phone or PIN is wrong");
    }

    const int ttl = kind == Principal::Kind::member ? opt.member_session_seconds : opt.kiosk_session_seconds;
    Session session;
    session.token = crypto::random_token();
    session.expires_at = now + ttl;
    const bool locked = store->write([&](WriteTx& tx) {
        // Re-checked inside the write: concurrent failures may have locked the phone meanwhile.
        if (tx.login_failures_since(phone, since) >= opt.login_max_failures) return true;
        tx.clear_login_failures(phone);
        tx.purge_expired(now);
        SessionRecord rec;
        rec.token_hash = crypto::hash_token(session.token);
        rec.kind = kind == Principal::Kind::member ? "member" : "kiosk";
        rec.member_id = seen.member->id;
        rec.kiosk_key_id = kiosk_key_id;
        rec.created_at = now;
        rec.expires_at = session.expires_at;
        tx.insert_session(rec);
        return false;
    });
    if (locked) return err(ErrorCode::too_many_attempts, "too many failed sign-ins; try again later");
    return session;
}

// ---------------------------------------------------------------------------------------------
// POS.

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
    return store->write([&](WriteTx& tx) -> Result<Reply> {
        if (auto rec = tx.idempotency("purchase", r.txn_id)) return replay(*rec, fp);
        auto member_id = resolve_member(tx, r.member, now);
        if (!member_id) return member_id.error();
        MemberState s = prepare(tx, *member_id, now);
        PurchaseInput in{r.txn_id, r.amount, r.store, at};
        auto plan = earn_purchase(program, zone, s, in, now);
        if (!plan) return plan.error();
        AppliedPlan ap = tx.apply_plan(*member_id, *plan, program, now);
        const MemberState after = state_after(tx, std::move(s), *plan, ap);
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
        auto plan = refund_purchase(program, zone, s, RefundInput{r.txn_id, r.refund_id, r.amount}, now);
        if (!plan) return plan.error();
        AppliedPlan ap = tx.apply_plan(member_id, *plan, program, now);
        const MemberState after = state_after(tx, std::move(s), *plan, ap);
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
        audit(tx, who, "refund", member_id, detail, now);
        Reply reply{Reply::Kind::created, std::move(body)};
        remember(tx, "refund", r.refund_id, fp, reply, member_id, now);
        return reply;
    });
}

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
        if (!current) return err(ErrorCode::coupon_not_found, "no coupon with this code");
        auto used = use_coupon(*current, r.order_amount, r.store, r.txn_id, now);
        if (!used) return used.error();
        tx.update_coupon(*used, now);
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

// ---------------------------------------------------------------------------------------------
// Member writes.

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
        auto plan = redeem_reward(program, zone, s, reward_id, stock_left, now);
        if (!plan) return plan.error();
        AppliedPlan ap = tx.apply_plan(member_id, *plan, program, now);
        const MemberState after = state_after(tx, std::move(s), *plan, ap);
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

Result<Reply> Service::Impl::feedback(const Actor& who, std::int64_t member_id, int rating, const std::string& comment,
                                      UnixSeconds now) {
    if (rating < 1 || rating > 5) return err(ErrorCode::invalid_rating, "rating must be an integer from 1 to 5");
    std::string cleaned = comment;  // utf8_length rejects control characters; comments may have line breaks
    for (char& c : cleaned)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (comment.size() > 4000 || utf8_length(cleaned) < 0 || utf8_length(cleaned) > 1000)
        return err(ErrorCode::invalid_comment, "comment must be text of at most 1000 characters");
    return store->write([&](WriteTx& tx) -> Result<Reply> {
        auto m = tx.member_by_id(member_id);
        if (!m || m->erased_at) return unknown_member();
        MemberState s = prepare(tx, member_id, now);
        FeedbackRecord f;
        f.member_id = member_id;
        f.rating = rating;
        f.comment = comment;
        f.actor_kind = to_string(who.kind);
        f.created_at = now;
        f.id = tx.insert_feedback(f);
        // Participation points: once per local month, so the survey cannot be farmed.
        Points awarded = 0;
        json detail = {{"feedback_id", f.id}, {"rating", rating}};
        const CivilDate d = zone.local_date(now);
        const std::string issue_key = "survey:" + format_date(d).substr(0, 7);
        if (program.survey_points > 0 &&
            std::find(s.issue_keys.begin(), s.issue_keys.end(), issue_key) == s.issue_keys.end()) {
            Plan plan = participation_points(program, zone, s, program.survey_points,
                                             Text{"参与满意度调查", "Completed a satisfaction survey"},
                                             "feedback:" + std::to_string(f.id), now);
            plan.new_issue_keys.push_back(issue_key);
            AppliedPlan ap = tx.apply_plan(member_id, plan, program, now);
            for (const auto& e : ap.entries) awarded += e.points;
            detail["plan"] = plan_detail(plan, ap);
            s = state_after(tx, std::move(s), plan, ap);
        }
        detail["points_awarded"] = awarded;
        audit(tx, who, "feedback", member_id, detail, now);
        const MemberState& after = s;
        return Reply{Reply::Kind::created,
                     {{"id", f.id},
                      {"points_awarded", awarded},
                      {"points", points_json(balances(program, after, now), after, now)}}};
    });
}

// ---------------------------------------------------------------------------------------------
// Admin writes.

Result<Reply> Service::Impl::create_member(const Actor& who, const NewMember& nm, UnixSeconds now) {
    if (!valid_phone(nm.phone))
        return err(ErrorCode::invalid_phone, "phone must be 6 to 20 digits, optionally after a +");
    if (!valid_pin(nm.pin)) return err(ErrorCode::invalid_pin, "PIN must be exactly 6 digits");
    if (auto e = check_name(nm.name)) return *e;
    if (auto e = check_birthday(nm.birthday, zone, now)) return *e;
    const bool taken = store->read([&](ReadTx& tx) { return tx.member_by_phone(nm.phone).has_value(); });
    if (taken) return err(ErrorCode::phone_taken, "a member with this phone already exists");
    const std::string pin_hash = crypto::hash_pin(nm.pin, opt.kdf_opslimit, opt.kdf_memlimit);
    try {
        return store->write([&](WriteTx& tx) -> Result<Reply> {
            if (tx.member_by_phone(nm.phone))
                return err(ErrorCode::phone_taken, "a member with this phone already exists");
            NewMemberRecord rec{nm.phone, nm.name, pin_hash, nm.birthday, now};
            const std::int64_t id = tx.insert_member(rec);
            MemberState s = tx.load_state(id);
            Plan plan = join(program, zone, s, now);
            json detail = json::object();
            if (!plan.empty()) {
                AppliedPlan ap = tx.apply_plan(id, plan, program, now);
                detail = plan_detail(plan, ap);
            }
            audit(tx, who, "create_member", id, detail, now);
            return Reply{Reply::Kind::created, {{"id", id}}};
        });
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::unique_violation)
            return err(ErrorCode::phone_taken, "a member with this phone already exists");
        throw;
    }
}

Result<Reply> Service::Impl::adjust(const Actor& who, std::int64_t member_id, Points points, const std::string& reason,
                                    UnixSeconds now) {
    if (points == 0 || points > 1000000 || points < -1000000)
        return err(ErrorCode::invalid_points, "points must be a non-zero integer, at most 1,000,000 either way");
    const int rl = utf8_length(reason);
    if (rl < 1 || rl > 200 || blank(reason))
        return err(ErrorCode::invalid_reason, "reason must be 1 to 200 characters");
    return store->write([&](WriteTx& tx) -> Result<Reply> {
        auto m = tx.member_by_id(member_id);
        if (!m || m->erased_at) return unknown_member();
        MemberState s = prepare(tx, member_id, now);
        auto plan = adjust_points(program, zone, s, points, reason, now);
        if (!plan) return plan.error();
        AppliedPlan ap = tx.apply_plan(member_id, *plan, program, now);
        const MemberState after = state_after(tx, std::move(s), *plan, ap);
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
        tx.update_coupon(*voided, now);
        audit(tx, who, "void_coupon", found->member_id, {{"coupon_id", voided->id}}, now);
        return Reply{Reply::Kind::ok, json(build_coupon_view(*voided, now))};
    });
}

// ---------------------------------------------------------------------------------------------
// Service.

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

Result<Session> Service::login(const std::string& phone, const std::string& pin) {
    return guarded<Session>([&] { return impl_->open_session(Principal::Kind::member, "", phone, pin, now()); });
}

Result<Session> Service::kiosk_login_with_pin(const std::string& kiosk_key_id, const std::string& phone,
                                              const std::string& pin) {
    return guarded<Session>(
        [&] { return impl_->open_session(Principal::Kind::kiosk, kiosk_key_id, phone, pin, now()); });
}

Result<Session> Service::kiosk_login_with_code(const std::string& kiosk_key_id, const std::string& member_code) {
    return guarded<Session>([&]() -> Result<Session> {
        const UnixSeconds t = now();
        std::string code = member_code;
        std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::toupper(c); });
        if (code.size() < 2 || code.size() > 64 || code[0] != 'M')
            return err(ErrorCode::invalid_member_code, "member code is not valid or has expired");
        Session session;
        session.token = crypto::random_token();
        session.expires_at = t + impl_->opt.kiosk_session_seconds;
        const bool ok = impl_->store->write([&](WriteTx& tx) {
            auto mc = tx.member_code(crypto::hash_token(code));
            if (!mc || mc->expires_at <= t) return false;
            auto m = tx.member_by_id(mc->member_id);
            if (!m || m->erased_at) return false;
            SessionRecord rec;
            rec.token_hash = crypto::hash_token(session.token);
            rec.kind = "kiosk";
            rec.member_id = m->id;
            rec.kiosk_key_id = kiosk_key_id;
            rec.created_at = t;
            rec.expires_at = session.expires_at;
            tx.insert_session(rec);
            return true;
        });
        if (!ok) return err(ErrorCode::invalid_member_code, "member code is not valid or has expired");
        return session;
    });
}

Result<Principal> Service::authenticate(const std::string& token) {
    const Error invalid = err(ErrorCode::unauthorized, "invalid or expired token");
    if (token.empty() || token.size() > 256) return invalid;
    // A database that cannot answer is service_busy or internal_error (guarded), never
    // unauthorized: a client signs out on unauthorized.
    return guarded<Principal>([&]() -> Result<Principal> {
        const UnixSeconds t = now();
        const std::string h = crypto::hash_token(token);
        auto s = impl_->store->read([&](ReadTx& tx) { return tx.session(h); });
        if (!s) return invalid;
        if (s->expires_at <= t) {
            // Dead for good: deleted now, so a clock set back later cannot revive it.
            impl_->store->write([&](WriteTx& tx) { tx.delete_session(h); });
            return invalid;
        }
        Principal p;
        p.kind = s->kind == "kiosk" ? Principal::Kind::kiosk : Principal::Kind::member;
        p.member_id = s->member_id;
        p.kiosk_key_id = s->kiosk_key_id;
        p.expires_at = s->expires_at;
        // Sliding expiry, written at most every ~30 s (a quarter of the TTL for short sessions).
        const int ttl =
            p.kind == Principal::Kind::member ? impl_->opt.member_session_seconds : impl_->opt.kiosk_session_seconds;
        const int step = std::max(1, std::min(30, ttl / 4));
        const UnixSeconds slid = t + ttl;
        if (slid - s->expires_at >= step) {
            impl_->store->write([&](WriteTx& tx) { tx.extend_session(h, slid); });
            p.expires_at = slid;
        }
        return p;
    });
}

void Service::logout(const std::string& token) {
    if (token.empty() || token.size() > 256) return;
    const std::string h = crypto::hash_token(token);
    impl_->store->write([&](WriteTx& tx) { tx.delete_session(h); });
}

void Service::purge_expired() {
    const UnixSeconds t = now();
    impl_->store->write([&](WriteTx& tx) { tx.purge_expired(t); });
}

Result<MeView> Service::me(std::int64_t member_id, bool kiosk_scope) {
    return guarded<MeView>([&] {
        const UnixSeconds t = now();
        return impl_->with_member<MeView>(
            member_id, t, [&](ReadTx&, const MemberRecord& m, const MemberState& s) -> Result<MeView> {
                MeView v = build_me_view(impl_->program, impl_->zone, s, m.name, m.phone, m.birthday, kiosk_scope, t);
                auto next = next_expiry_of(s, t);
                v.points.next_expiry = next ? std::optional<std::string>(format_rfc3339(*next)) : std::nullopt;
                return v;
            });
    });
}

Result<LedgerPageView> Service::ledger(std::int64_t member_id, const LedgerQuery& q) {
    return guarded<LedgerPageView>([&]() -> Result<LedgerPageView> {
        LedgerFilter f;
        if (q.limit < 1 || q.limit > 100) return err(ErrorCode::invalid_field, "limit: must be from 1 to 100");
        f.limit = q.limit;
        if (q.type) {
            auto t = entry_type_from_string(*q.type);
            if (!t) return err(ErrorCode::invalid_field, "type: unknown ledger entry type " + *q.type);
            f.type = *t;
        }
        f.from = q.from;
        f.to = q.to;
        if (q.from && q.to && *q.from > *q.to) return err(ErrorCode::invalid_field, "from: must not be after to");
        if (q.cursor && !q.cursor->empty()) {
            auto c = decode_cursor(*q.cursor);
            if (!c) return err(ErrorCode::invalid_field, "cursor: not a next_cursor value of this list");
            f.after = *c;
        }
        const UnixSeconds t = now();
        return impl_->with_member_light<LedgerPageView>(member_id, t,
                                                        [&](ReadTx& tx, const MemberRecord&) -> Result<LedgerPageView> {
                                                            LedgerPage page = tx.ledger(member_id, f);
                                                            LedgerPageView v;
                                                            for (const auto& e : page.entries)
                                                                v.entries.push_back(build_ledger_entry_view(e));
                                                            if (page.next) v.next_cursor = encode_cursor(*page.next);
                                                            return v;
                                                        });
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
        return impl_->with_member<Out>(member_id, t,
                                       [&](ReadTx&, const MemberRecord&, const MemberState& s) -> Result<Out> {
                                           Out out;
                                           for (auto it = s.coupons.rbegin(); it != s.coupons.rend(); ++it)
                                               if (!want || effective_state(*it, t) == *want)
                                                   out.push_back(build_coupon_view(*it, t));
                                           return out;
                                       });
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
                                       [&](ReadTx& tx, const MemberRecord&, const MemberState& s) -> Result<Out> {
                                           Out out;
                                           for (const auto& r : tx.redemptions(member_id)) {
                                               RedemptionView v;
                                               v.id = r.id;
                                               v.reward_id = r.reward_id;
                                               const Reward* rw = impl_->program.reward(r.reward_id);
                                               v.reward_name = rw ? rw->name : Text{r.reward_id, r.reward_id};
                                               v.points = r.points;
                                               v.created_at = format_rfc3339(r.created_at);
                                               for (const auto& c : s.coupons)
                                                   if (c.id == r.coupon_id) v.coupon = build_coupon_view(c, t);
                                               v.balance_after = r.balance_after;
                                               out.push_back(std::move(v));
                                           }
                                           return out;
                                       });
    });
}

Result<CardView> Service::card(std::int64_t member_id) {
    return guarded<CardView>([&]() -> Result<CardView> {
        const UnixSeconds t = now();
        const std::string code = crypto::random_member_code();
        const int secs = std::max(10, impl_->opt.member_code_seconds);
        const bool ok = impl_->store->write([&](WriteTx& tx) {
            auto m = tx.member_by_id(member_id);
            if (!m || m->erased_at) return false;
            tx.purge_expired(t);
            tx.insert_member_code(MemberCodeRecord{crypto::hash_token(code), member_id, t + secs});
            return true;
        });
        if (!ok) return unknown_member();
        CardView v;
        v.member_code = code;
        v.expires_at = format_rfc3339(t + secs);
        v.refresh_after_seconds = std::max(5, secs - 30);
        return v;
    });
}

Result<json> Service::export_member(std::int64_t member_id) {
    return guarded<json>([&] {
        const UnixSeconds t = now();
        return impl_->with_member<json>(
            member_id, t, [&](ReadTx& tx, const MemberRecord& m, const MemberState& s) -> Result<json> {
                const ProgramConfig& p = impl_->program;
                json profile = {{"id", m.id},
                                {"name", m.name},
                                {"phone", m.phone},
                                {"birthday", m.birthday ? json(format_date(*m.birthday)) : json(nullptr)},
                                {"joined_at", format_rfc3339(m.joined_at)}};
                json purchases = json::array();
                for (const auto& pu : s.purchases)
                    purchases.push_back({{"txn_id", pu.txn_id},
                                         {"amount", pu.amount},
                                         {"refunded", pu.refunded},
                                         {"at", format_rfc3339(pu.at)},
                                         {"store", pu.store},
                                         {"points", pu.points}});
                json coupons = json::array();
                for (const auto& c : tx.coupons_of(member_id)) {
                    json cj = json(build_coupon_view(c.coupon, t));
                    cj["reason"] = c.reason;
                    coupons.push_back(std::move(cj));
                }
                json redemptions = json::array();
                for (const auto& r : tx.redemptions(member_id))
                    redemptions.push_back({{"id", r.id},
                                           {"reward_id", r.reward_id},
                                           {"points", r.points},
                                           {"created_at", format_rfc3339(r.created_at)}});
                json feedback = json::array();
                for (const auto& f : tx.feedback(member_id))
                    feedback.push_back({{"id", f.id},
                                        {"rating", f.rating},
                                        {"comment", f.comment},
                                        {"created_at", format_rfc3339(f.created_at)}});
                json lots = json::array();
                for (const auto& l : s.lots)
                    lots.push_back({{"id", l.id},
                                    {"original", l.original},
                                    {"remaining", l.remaining},
                                    {"earned_at", format_rfc3339(l.earned_at)},
                                    {"available_at", format_rfc3339(l.available_at)},
                                    {"expires_at", l.expires_at ? json(format_rfc3339(*l.expires_at)) : json(nullptr)},
                                    {"source", l.source}});
                json sessions = json::array();  // metadata only: never the token or its hash
                for (const auto& se : tx.sessions_of(member_id))
                    sessions.push_back({{"kind", se.kind},
                                        {"created_at", format_rfc3339(se.created_at)},
                                        {"expires_at", format_rfc3339(se.expires_at)}});
                return json{{"exported_at", format_rfc3339(t)},
                            {"program", p.id},
                            {"profile", profile},
                            {"points", points_json(balances(p, s, t), s, t)},
                            {"tier", tier_brief(p, s.tier)},
                            {"ledger", entries_json(tx.ledger_all(member_id))},
                            {"lots", lots},
                            {"sessions", sessions},
                            {"purchases", purchases},
                            {"coupons", coupons},
                            {"redemptions", redemptions},
                            {"feedback", feedback}};
            });
    });
}

Result<Reply> Service::redeem(const Actor& who, std::int64_t member_id, const std::string& reward_id,
                              const std::string& idempotency_key) {
    return guarded<Reply>([&] { return impl_->redeem(who, member_id, reward_id, idempotency_key, now()); });
}

Result<Reply> Service::feedback(const Actor& who, std::int64_t member_id, int rating, const std::string& comment) {
    return guarded<Reply>([&] { return impl_->feedback(who, member_id, rating, comment, now()); });
}

Result<Reply> Service::erase_member(const Actor& who, std::int64_t member_id) {
    return guarded<Reply>([&]() -> Result<Reply> {
        const UnixSeconds t = now();
        return impl_->store->write([&](WriteTx& tx) -> Result<Reply> {
            auto m = tx.member_by_id(member_id);
            if (!m || m->erased_at) return unknown_member();
            tx.erase_member(member_id, t);
            impl_->audit(tx, who, "erase_member", member_id, json::object(), t);
            return Reply{Reply::Kind::empty, json(nullptr)};
        });
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
Result<Reply> Service::redeem_coupon(const Actor& who, const CouponRedeemRequest& r) {
    if (auto e = store_mismatch(who, r.store)) return *e;
    return guarded<Reply>([&] { return impl_->redeem_coupon(who, r, now()); });
}
Result<Reply> Service::create_member(const Actor& who, const NewMember& m) {
    return guarded<Reply>([&] { return impl_->create_member(who, m, now()); });
}

json Service::Impl::admin_member_json(const MemberRecord& m, const MemberState& s, UnixSeconds t) const {
    const Impl& im = *this;
    const ProgramConfig& p = im.program;
    const TierProgress tp = tier_progress(p, im.zone, s, t);
    json tier = tier_brief(p, s.tier);
    tier["since"] = format_rfc3339(s.tier.since);
    tier["percent"] = tp.percent;
    tier["next_tier_id"] = tp.next_tier_id;
    tier["window_spend"] = tp.window_spend;
    return json{{"id", m.id},
                {"name", m.name},
                {"phone", m.phone},
                {"birthday", m.birthday ? json(format_date(*m.birthday)) : json(nullptr)},
                {"joined_at", format_rfc3339(m.joined_at)},
                {"erased", m.erased_at.has_value()},
                {"points", points_json(balances(p, s, t), s, t)},
                {"tier", tier},
                {"segment", to_string(segment_of(p, im.zone, s, t))},
                {"coupons", json(coupon_counts(s.coupons, t))},
                {"purchases", s.purchases.size()}};
}

Result<json> Service::get_member(std::int64_t member_id) {
    return guarded<json>([&]() -> Result<json> {
        const UnixSeconds t = now();
        // Erased members stay visible to admins (anonymised), so read without the erased filter.
        auto exists = impl_->store->read([&](ReadTx& tx) { return tx.member_by_id(member_id); });
        if (!exists) return unknown_member();
        if (exists->erased_at) {
            MemberState s = impl_->store->read([&](ReadTx& tx) { return tx.load_state(member_id); });
            return impl_->admin_member_json(*exists, s, t);
        }
        return impl_->with_member<json>(member_id, t,
                                        [&](ReadTx&, const MemberRecord& m, const MemberState& s) -> Result<json> {
                                            return impl_->admin_member_json(m, s, t);
                                        });
    });
}

Result<json> Service::list_members(const std::optional<std::string>& phone, int limit,
                                   const std::optional<std::string>& cursor) {
    return guarded<json>([&]() -> Result<json> {
        if (limit < 1 || limit > 100) return err(ErrorCode::invalid_field, "limit: must be from 1 to 100");
        std::optional<std::int64_t> after;
        if (cursor && !cursor->empty()) {
            if (!all_digits(*cursor) || cursor->size() > 18)
                return err(ErrorCode::invalid_field, "cursor: not a next_cursor value of this list");
            after = std::strtoll(cursor->c_str(), nullptr, 10);
        }
        std::optional<std::string> ph;
        if (phone && !phone->empty()) ph = *phone;
        auto rows = impl_->store->read([&](ReadTx& tx) { return tx.list_members(ph, after, limit + 1); });
        json out = {{"members", json::array()}, {"next_cursor", nullptr}};
        const bool more = static_cast<int>(rows.size()) > limit;
        if (more) rows.resize(static_cast<std::size_t>(limit));
        for (const auto& m : rows) {
            const TierDef* td = impl_->program.tier(m.tier_id);
            if (!td && !impl_->program.tiers.empty()) td = &impl_->program.tiers.front();
            out["members"].push_back({{"id", m.id},
                                      {"name", m.name},
                                      {"phone", m.phone},
                                      {"tier", td ? td->id : m.tier_id},
                                      {"joined_at", format_rfc3339(m.joined_at)},
                                      {"erased", m.erased_at.has_value()}});
        }
        if (more && !rows.empty()) out["next_cursor"] = std::to_string(rows.back().id);
        return out;
    });
}

Result<Reply> Service::patch_member(const Actor& who, std::int64_t member_id, const MemberPatch& p) {
    return guarded<Reply>([&]() -> Result<Reply> {
        const UnixSeconds t = now();
        if (p.phone && !valid_phone(*p.phone))
            return err(ErrorCode::invalid_phone, "phone must be 6 to 20 digits, optionally after a +");
        if (p.pin && !valid_pin(*p.pin)) return err(ErrorCode::invalid_pin, "PIN must be exactly 6 digits");
        if (p.name)
            if (auto e = check_name(*p.name)) return *e;
        if (p.birthday)
            if (auto e = check_birthday(*p.birthday, impl_->zone, t)) return *e;
        std::string pin_hash;
        if (p.pin) pin_hash = crypto::hash_pin(*p.pin, impl_->opt.kdf_opslimit, impl_->opt.kdf_memlimit);
        try {
            auto r = impl_->store->write([&](WriteTx& tx) -> Result<Reply> {
                auto m = tx.member_by_id(member_id);
                if (!m || m->erased_at) return unknown_member();
                json fields = json::array();
                if (p.phone && *p.phone != m->phone) {
                    if (tx.member_by_phone(*p.phone))
                        return err(ErrorCode::phone_taken, "a member with this phone already exists");
                    m->phone = *p.phone;
                    fields.push_back("phone");
                }
                if (p.name) {
                    m->name = *p.name;
                    fields.push_back("name");
                }
                if (p.birthday) {
                    m->birthday = *p.birthday;
                    fields.push_back("birthday");
                }
                if (p.pin) {
                    m->pin_hash = pin_hash;
                    fields.push_back("pin");
                    tx.delete_member_sessions(member_id);  // a new PIN signs every device out
                }
                tx.update_member(*m);
                impl_->audit(tx, who, "patch_member", member_id, {{"fields", fields}}, t);
                return Reply{Reply::Kind::ok, json::object()};
            });
            if (!r) return r;
        } catch (const StoreError& e) {
            if (e.kind() == StoreError::Kind::unique_violation)
                return err(ErrorCode::phone_taken, "a member with this phone already exists");
            throw;
        }
        auto view = get_member(member_id);
        if (!view) return view.error();
        return Reply{Reply::Kind::ok, std::move(*view)};
    });
}

Result<Reply> Service::adjust(const Actor& who, std::int64_t member_id, Points points, const std::string& reason) {
    return guarded<Reply>([&] { return impl_->adjust(who, member_id, points, reason, now()); });
}
Result<Reply> Service::issue_coupon(const Actor& who, std::int64_t member_id, const std::string& template_id) {
    return guarded<Reply>([&] { return impl_->issue_coupon(who, member_id, template_id, now()); });
}
Result<Reply> Service::void_coupon(const Actor& who, const std::string& code) {
    return guarded<Reply>([&] { return impl_->void_coupon(who, code, now()); });
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

bool Service::healthy() {
    try {
        return impl_->store->read([](ReadTx& tx) { return tx.ping(); });
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace memberdesk::server
