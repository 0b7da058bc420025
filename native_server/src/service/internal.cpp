// Definitions of the helpers declared in service/internal.hpp.
#include "service/internal.hpp"

namespace memberdesk::server::detail {

Error unknown_member() { return err(ErrorCode::member_not_found, "no such member"); }

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
    if (r.body.is_object()) r.text = rec.response;
    return r;
}

void remember(WriteTx& tx, const std::string& scope, const std::string& key, const std::string& fp, Reply& reply,
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
    if (reply.body.is_object()) reply.text = std::move(rec.response);
}

bool all_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool valid_phone(const std::string& p) {
    std::string digits = (!p.empty() && p[0] == '+') ? p.substr(1) : p;
    return all_digits(digits) && digits.size() >= 6 && digits.size() <= 20;
}
bool valid_pin(const std::string& p) { return p.size() == 6 && all_digits(p); }

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

std::optional<Error> check_name(const std::string& name) {
    const auto n = utf8_length(name, Utf8Controls::reject);
    if (!n || *n < 1 || *n > 100 || blank(name))
        return err(ErrorCode::invalid_name, "name must be 1 to 100 characters of text");
    return std::nullopt;
}
std::optional<Error> check_birthday(const std::optional<CivilDate>& b, const ZoneRules& z, UnixSeconds now) {
    if (!b) return std::nullopt;
    if (b->year < 1900 || z.local_date(now) < *b)
        return err(ErrorCode::invalid_birthday, "birthday must be a real date (YYYY-MM-DD) not in the future");
    return std::nullopt;
}

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

CouponCountsView coupon_counts(const MemberState& s, UnixSeconds now) {
    CouponCountsView v;
    v.used = static_cast<int>(s.earlier_coupons.used);
    v.expired = static_cast<int>(s.earlier_coupons.expired);
    v.voided = static_cast<int>(s.earlier_coupons.voided);
    for (const auto& c : s.coupons) {
        switch (effective_state(c, now)) {
            case CouponState::available: ++v.available; break;
            case CouponState::used: ++v.used; break;
            case CouponState::expired: ++v.expired; break;
            case CouponState::voided: ++v.voided; break;
        }
    }
    return v;
}

Plan scalars_plan(const MemberState& s) {
    Plan p;
    p.debt_after = s.debt;
    p.lifetime_earned_after = s.lifetime_earned;
    p.ledger_total_after = s.ledger_total;
    return p;
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

}  // namespace memberdesk::server::detail
