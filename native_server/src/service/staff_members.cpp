// What staff do with members (domain.md §8), decided here and not in any client: which members a
// staff member may find (scope), at which data level they read them, what they may change and
// how much per day. Out-of-scope members are answered as unknown (404), so scope leaks nothing.
#include <algorithm>

#include "memberdesk/coupons.hpp"
#include "memberdesk/totp.hpp"
#include "service/scope.hpp"
#include "service/service.hpp"
#include "service/service_impl.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

using access::err;
using access::guarded;
using access::policy;
using access::Role;
using access::RolePolicy;
using nlohmann::json;

namespace {

Error not_in_scope() { return err(ErrorCode::member_not_found, "no such member"); }
Error not_allowed(const std::string& what) { return err(ErrorCode::forbidden, what); }

std::string mask_phone(const std::string& p) { return access::staff_mask_phone(p); }
std::string mask_name(const std::string& n) { return access::staff_mask_name(n); }

// A member's data at a level: 1 = points, tier, coupons, purchases; 2 = + masked name and phone,
// segment; 3 = + full name, phone, birthday.
json at_level(const json& full, int level) {
    json j = {{"id", full["id"]},
              {"level", level},
              {"joined_at", full["joined_at"]},
              {"joined_store", full["joined_store"]},
              {"points", full["points"]},
              {"tier", full["tier"]},
              {"coupons", full["coupons"]},
              {"purchases", full["purchases"]}};
    if (level >= 2) {
        j["name"] = mask_name(full["name"].get<std::string>());
        j["phone"] = mask_phone(full["phone"].get<std::string>());
        j["segment"] = full["segment"];
    }
    if (level >= 3) {
        j["name"] = full["name"];
        j["phone"] = full["phone"];
        j["birthday"] = full["birthday"];
    }
    return j;
}

json brief(const MemberRecord& m, const ProgramConfig& p) {
    // Members never re-evaluated carry no tier id: they are in the entry tier.
    const TierDef* td = p.tier(m.tier_id);
    if (!td && !p.tiers.empty()) td = &p.tiers.front();
    return {
        {"id", m.id}, {"name", mask_name(m.name)}, {"phone", mask_phone(m.phone)}, {"tier", td ? td->id : m.tier_id}};
}

struct Who {
    Role role;
    const RolePolicy* pol;
};
Result<Who> who_is(const StaffPrincipal& p) {
    auto r = access::role_from(p.role);
    if (!r) return not_allowed("unknown role");
    return Who{*r, &policy(*r)};
}

bool valid_reason(const std::string& r) {
    return !r.empty() && r.size() <= 600 &&
           std::none_of(r.begin(), r.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }) &&
           !std::all_of(r.begin(), r.end(), [](char c) { return c == ' '; });
}

}  // namespace

// Is the member within the staff member's scope? hq_admin: every member; others: members who
// bought at one of their stores.
static bool in_scope(ReadTx& tx, const StaffPrincipal& who, std::int64_t member_id) {
    auto stores = access::scope_stores(tx, who);
    if (!stores) return true;
    return tx.member_in_stores(member_id, *stores);
}

Result<json> Service::staff_members(const StaffPrincipal& who, const StaffMemberQuery& q) {
    return guarded<json>([&]() -> Result<json> {
        auto w = who_is(who);
        if (!w) return w.error();
        if (w->pol->max_level < 2) return not_allowed("this role reads no personal data");
        const UnixSeconds t = now();
        // A scanned offline card code is verified (and a wrong one counted) before the read.
        std::optional<std::int64_t> card_member;
        if (q.code && looks_like_card_code(*q.code)) {
            auto id = impl_->verify_card_code(*q.code, t);
            if (!id) return id.error();
            card_member = *id;
        }
        return impl_->store->read([&](ReadTx& tx) -> Result<json> {
            json out = {{"members", json::array()}, {"next_cursor", nullptr}};
            std::optional<MemberRecord> one;
            if (q.code || q.phone) {
                if (card_member) {
                    one = tx.member_by_id(*card_member);
                } else if (q.code) {
                    if (q.code->empty() || ((*q.code)[0] != 'M' && (*q.code)[0] != 'm'))
                        return err(ErrorCode::invalid_member_code, "member code is unknown or has expired");
                    auto id = impl_->resolve_member(tx, *q.code, t);
                    if (!id) return id.error();
                    one = tx.member_by_id(*id);
                } else {
                    one = tx.member_by_phone(*q.phone);
                }
                // A clerk finds the member at the counter by scan or full phone, whoever they are;
                // managers find only members of their stores.
                const bool found = one && !one->erased_at && (w->role == Role::clerk || in_scope(tx, who, one->id));
                if (found) out["members"].push_back(brief(*one, impl_->program));
                return out;
            }
            if (!w->pol->browse) return not_allowed("a clerk finds members by scan or full phone only");
            std::optional<std::int64_t> after;
            if (q.cursor) {
                auto n = std::strtoll(q.cursor->c_str(), nullptr, 10);
                if (n <= 0) return err(ErrorCode::invalid_field, "cursor: not a next_cursor value of this list");
                after = n;
            }
            auto stores = access::scope_stores(tx, who);
            auto rows = stores ? tx.members_of_stores(*stores, after, q.limit + 1)
                               : tx.list_members(std::nullopt, after, q.limit + 1);
            rows.erase(std::remove_if(rows.begin(), rows.end(), [](const MemberRecord& m) { return m.erased_at; }),
                       rows.end());
            const bool more = static_cast<int>(rows.size()) > q.limit;
            if (more) rows.resize(static_cast<std::size_t>(q.limit));
            for (const auto& m : rows) out["members"].push_back(brief(m, impl_->program));
            if (more && !rows.empty()) out["next_cursor"] = std::to_string(rows.back().id);
            return out;
        });
    });
}

Result<json> Service::staff_member(const StaffPrincipal& who, std::int64_t member_id, int level,
                                   const std::string& reason) {
    return guarded<json>([&]() -> Result<json> {
        auto w = who_is(who);
        if (!w) return w.error();
        if (w->pol->max_level < 1) return not_allowed("this role reads no member data");
        if (level == 0) level = std::min(2, w->pol->max_level);
        if (level < 1 || level > 3) return err(ErrorCode::invalid_field, "level: 1, 2 or 3");
        if (level > w->pol->max_level)
            return not_allowed("this role reads members at level " + std::to_string(w->pol->max_level) + " at most");
        if (level == 3 && !valid_reason(reason))
            return err(ErrorCode::invalid_reason, "reason: required for level 3 (full phone and birthday)");
        const bool ok = impl_->store->read([&](ReadTx& tx) { return in_scope(tx, who, member_id); });
        if (!ok) return not_in_scope();
        auto full = get_member(member_id);
        if (!full) return full.error();
        if ((*full)["erased"] == true) return not_in_scope();
        if (level == 3) {
            const UnixSeconds t = now();
            Actor a = who.actor();
            impl_->store->write([&](WriteTx& tx) {
                AuditRecord r;
                r.at = t;
                r.actor_kind = to_string(a.kind);
                r.actor_id = a.id;
                r.actor_name = a.username;
                r.store = a.store;
                r.action = "read_member_level3";
                r.member_id = member_id;
                r.detail = json{{"reason", reason}}.dump();
                tx.insert_audit(r);
            });
        }
        return at_level(*full, level);
    });
}

Result<json> Service::staff_member_reach(const StaffPrincipal& who, std::int64_t member_id) {
    return guarded<json>([&]() -> Result<json> {
        auto w = who_is(who);
        if (!w) return w.error();
        if (w->pol->max_level < 1) return not_allowed("this role reads no member data");
        const bool ok = impl_->store->read([&](ReadTx& tx) {
            auto m = tx.member_by_id(member_id);
            return m && !m->erased_at && in_scope(tx, who, member_id);
        });
        if (!ok) return not_in_scope();
        return member_reach(member_id);
    });
}

// Member care is for roles that browse their scope (managers, head office): a member they may read
// at `min_level`, in scope and not erased (else unknown). Clerks and auditors are refused.
static std::optional<Error> check_member(Store& store, const StaffPrincipal& who, std::int64_t member_id,
                                         int min_level) {
    auto w = who_is(who);
    if (!w) return w.error();
    if (!w->pol->browse) return not_allowed("member care is for managers");
    if (w->pol->max_level < min_level) return not_allowed("this role reads no member data at this level");
    const bool ok = store.read([&](ReadTx& tx) {
        auto m = tx.member_by_id(member_id);
        return m && !m->erased_at && in_scope(tx, who, member_id);
    });
    if (!ok) return not_in_scope();
    return std::nullopt;
}

Result<LedgerPageView> Service::staff_member_ledger(const StaffPrincipal& who, std::int64_t member_id,
                                                    const LedgerQuery& q) {
    return guarded<LedgerPageView>([&]() -> Result<LedgerPageView> {
        if (auto e = check_member(*impl_->store, who, member_id, 1)) return *e;
        return ledger(member_id, q);
    });
}

Result<json> Service::staff_member_messages(const StaffPrincipal& who, std::int64_t member_id,
                                            const std::optional<std::string>& cursor, int limit) {
    return guarded<json>([&]() -> Result<json> {
        if (auto e = check_member(*impl_->store, who, member_id, 2)) return *e;
        if (limit < 1 || limit > 100) return err(ErrorCode::invalid_field, "limit: must be from 1 to 100");
        std::optional<std::int64_t> before;
        if (cursor) {
            const bool digits = !cursor->empty() && cursor->size() <= 18 &&
                                cursor->find_first_not_of("0123456789") == std::string::npos;
            if (!digits) return err(ErrorCode::invalid_field, "cursor: not a next_cursor value of this list");
            before = std::strtoll(cursor->c_str(), nullptr, 10);
        }
        return impl_->store->read([&](ReadTx& tx) -> Result<json> {
            auto rows = tx.self().messages_of(member_id, before, limit + 1);
            const bool more = static_cast<int>(rows.size()) > limit;
            if (more) rows.resize(static_cast<std::size_t>(limit));
            json out = {{"messages", json::array()},
                        {"next_cursor", more && !rows.empty() ? json(std::to_string(rows.back().id)) : json(nullptr)}};
            // What was sent and whether it arrived; the text (which may hold a code) stays out.
            for (const auto& r : rows) {
                const char* status = r.delivered_at ? "delivered" : r.next_attempt_at ? "sending" : "failed";
                out["messages"].push_back(
                    {{"id", r.id},
                     {"template", r.template_id},
                     {"channel", r.channel},
                     {"created_at", format_rfc3339(r.created_at)},
                     {"status", status},
                     {"delivered_at", r.delivered_at ? json(format_rfc3339(*r.delivered_at)) : json(nullptr)},
                     {"read", r.read_at.has_value()}});
            }
            return out;
        });
    });
}

Result<json> Service::staff_member_coupons(const StaffPrincipal& who, std::int64_t member_id) {
    return guarded<json>([&]() -> Result<json> {
        if (auto e = check_member(*impl_->store, who, member_id, 1)) return *e;
        auto list = coupons(member_id, std::nullopt);
        if (!list) return list.error();
        // A code redeems the coupon: only roles that may void it see it.
        const bool codes = policy(*access::role_from(who.role)).void_coupons;
        json out = {{"coupons", json::array()}};
        for (const auto& c : *list) {
            json j = c;
            if (!codes) j.erase("code");
            out["coupons"].push_back(std::move(j));
        }
        return out;
    });
}

Result<json> Service::staff_coupon_templates(const StaffPrincipal& who) {
    return guarded<json>([&]() -> Result<json> {
        auto w = who_is(who);
        if (!w) return w.error();
        if (!w->pol->issue_coupons) return not_allowed("this role may not issue coupons");
        json out = {{"templates", json::array()}};
        for (const auto& t : impl_->program.coupon_templates)
            out["templates"].push_back({{"id", t.id}, {"kind", to_string(t.kind)}, {"title", coupon_title(t)}});
        return out;
    });
}

Result<Reply> Service::staff_adjust(const StaffPrincipal& who, std::int64_t member_id, Points points,
                                    const std::string& reason) {
    return guarded<Reply>([&]() -> Result<Reply> {
        auto w = who_is(who);
        if (!w) return w.error();
        const Points limit = points > 0 ? w->pol->goodwill_daily : w->pol->adjust_daily;
        if (limit == 0)
            return not_allowed(points > 0 ? "this role may not give points" : "this role may not take points");
        if (!valid_reason(reason)) return err(ErrorCode::invalid_reason, "reason: 1 to 200 characters");
        const UnixSeconds t = now();
        const ZoneRules& z = impl_->zone;
        const bool scope = impl_->store->read([&](ReadTx& tx) { return in_scope(tx, who, member_id); });
        if (!scope) return not_in_scope();
        // Today's use is summed in the adjustment's own transaction, under the staff member's lock, so
        // concurrent grants are counted against each other.
        auto within_limit = [&](WriteTx& tx) -> std::optional<Error> {
            if (limit < 0) return std::nullopt;
            tx.lock_staff_limits(who.staff_id);
            AuditFilter f;
            f.staff_id = who.staff_id;
            f.action = "adjust";
            f.from = z.start_of_day(z.local_date(t));
            f.limit = 100000;
            Points used = 0;
            for (const auto& a : tx.audit_query(f)) {
                json d = json::parse(a.detail, nullptr, false);
                if (d.is_discarded() || !d.contains("points") || !d["points"].is_number_integer()) continue;
                const Points p = d["points"].get<Points>();
                if ((p > 0) == (points > 0)) used += p > 0 ? p : -p;
            }
            const Points amount = points > 0 ? points : -points;
            if (used + amount > limit)
                return err(ErrorCode::limit_exceeded, "over this role's daily limit of " + std::to_string(limit) +
                                                          " points (" + std::to_string(used) + " used today)");
            return std::nullopt;
        };
        Actor a = who.actor();
        a.reason = reason;
        return impl_->adjust(a, member_id, points, reason, t, within_limit);
    });
}

Result<Reply> Service::staff_issue_coupon(const StaffPrincipal& who, std::int64_t member_id,
                                          const std::string& template_id, const std::string& reason) {
    return guarded<Reply>([&]() -> Result<Reply> {
        auto w = who_is(who);
        if (!w) return w.error();
        if (!w->pol->issue_coupons) return not_allowed("this role may not issue coupons");
        if (!valid_reason(reason)) return err(ErrorCode::invalid_reason, "reason: 1 to 200 characters");
        if (!impl_->store->read([&](ReadTx& tx) { return in_scope(tx, who, member_id); })) return not_in_scope();
        Actor a = who.actor();
        a.reason = reason;
        return issue_coupon(a, member_id, template_id);
    });
}

Result<Reply> Service::staff_void_coupon(const StaffPrincipal& who, const std::string& code,
                                         const std::string& reason) {
    return guarded<Reply>([&]() -> Result<Reply> {
        auto w = who_is(who);
        if (!w) return w.error();
        if (!w->pol->void_coupons) return not_allowed("this role may not void coupons");
        if (!valid_reason(reason)) return err(ErrorCode::invalid_reason, "reason: 1 to 200 characters");
        std::string up = code;
        std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return std::toupper(c); });
        const bool ok = impl_->store->read([&](ReadTx& tx) {
            auto c = tx.coupon_by_code(up);
            return c && in_scope(tx, who, c->member_id);
        });
        if (!ok) return err(ErrorCode::coupon_not_found, "no coupon with this code");
        Actor a = who.actor();
        a.reason = reason;
        return void_coupon(a, up);
    });
}

Result<Reply> Service::staff_redeem_coupon(const StaffPrincipal& who, const CouponRedeemRequest& r) {
    return guarded<Reply>([&]() -> Result<Reply> {
        auto w = who_is(who);
        if (!w) return w.error();
        if (!w->pol->redeem_coupons) return not_allowed("this role may not redeem coupons");
        CouponRedeemRequest req = r;
        if (req.store.empty()) req.store = who.store;
        if (req.store.empty()) return err(ErrorCode::invalid_store, "store: required for staff without a store");
        const bool ok = impl_->store->read([&](ReadTx& tx) {
            auto stores = access::scope_stores(tx, who);
            if (!stores) return tx.store_by_id(req.store).has_value();
            return std::find(stores->begin(), stores->end(), req.store) != stores->end();
        });
        if (!ok) return err(ErrorCode::store_mismatch, "this account acts for its own stores only");
        Actor a = who.actor();
        if (a.store.empty()) a.store = req.store;
        return redeem_coupon(a, req);
    });
}

Result<json> Service::staff_audit(const StaffPrincipal& who, const StaffAuditQuery& q) {
    return guarded<json>([&]() -> Result<json> {
        auto w = who_is(who);
        if (!w) return w.error();
        if (!w->pol->read_audit) return not_allowed("this role may not read the audit log");
        AuditFilter f;
        f.member_id = q.member_id;
        f.staff_id = q.staff_id;
        f.store = q.store;
        f.action = q.action;
        f.from = q.from;
        f.to = q.to;
        f.limit = q.limit + 1;
        if (q.cursor) {
            auto n = std::strtoll(q.cursor->c_str(), nullptr, 10);
            if (n <= 0) return err(ErrorCode::invalid_field, "cursor: not a next_cursor value of this list");
            f.before_id = n;
        }
        auto rows = impl_->store->read([&](ReadTx& tx) {
            f.stores = access::scope_stores(tx, who);
            if (f.stores) {
                f.own_staff_id = who.staff_id;
                f.storeless = q.member_id && tx.member_in_stores(*q.member_id, *f.stores);
            }
            return tx.audit_query(f);
        });
        const bool more = static_cast<int>(rows.size()) > q.limit;
        if (more) rows.resize(static_cast<std::size_t>(q.limit));
        json out = {{"entries", json::array()}, {"next_cursor", nullptr}};
        for (const auto& a : rows) out["entries"].push_back(access::audit_entry_json(a));
        if (more && !rows.empty()) out["next_cursor"] = std::to_string(rows.back().id);
        return out;
    });
}

}  // namespace memberdesk::server
