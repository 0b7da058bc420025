// Staff accounts (domain.md §8): username + password (argon2id), sessions of 8 h that also end
// after 30 min unused, a lock after repeated failures, and hq_admin's management of accounts.
#include <algorithm>

#include "service/crypto.hpp"
#include "service/scope.hpp"
#include "service/service.hpp"
#include "service/service_impl.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

using access::err;
using access::guarded;
using access::Role;
using access::valid_label;
using nlohmann::json;

namespace {

bool valid_username(const std::string& u) {
    return u.size() >= 3 && u.size() <= 32 && std::all_of(u.begin(), u.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
           });
}
bool valid_password(const std::string& p) { return p.size() >= 10 && p.size() <= 128; }

json staff_json(const StaffRecord& s) {
    return {{"id", s.id},
            {"username", s.username},
            {"name", s.name},
            {"role", s.role},
            {"store", s.store_id.empty() ? json(nullptr) : json(s.store_id)},
            {"region", s.region_id.empty() ? json(nullptr) : json(s.region_id)},
            {"disabled", s.disabled},
            {"created_at", format_rfc3339(s.created_at)}};
}

// A role's place: clerks and store managers belong to a store, region managers to a region.
std::optional<Error> check_placement(ReadTx& tx, StaffRecord& s) {
    auto role = access::role_from(s.role);
    if (!role) return err(ErrorCode::invalid_role, "role: clerk, store_manager, region_manager, hq_admin or auditor");
    if (*role == Role::clerk || *role == Role::store_manager) {
        if (s.store_id.empty()) return err(ErrorCode::invalid_field, "store: required for " + s.role);
        if (!tx.store_by_id(s.store_id)) return err(ErrorCode::unknown_store, "no store with this id");
        s.region_id.clear();
    } else if (*role == Role::region_manager) {
        if (s.region_id.empty()) return err(ErrorCode::invalid_field, "region: required for region_manager");
        if (!tx.region_by_id(s.region_id)) return err(ErrorCode::unknown_region, "no region with this id");
        s.store_id.clear();
    } else {
        s.store_id.clear();
        s.region_id.clear();
    }
    return std::nullopt;
}

void audit_row(WriteTx& tx, const Actor& who, const std::string& action, const json& detail, UnixSeconds now) {
    AuditRecord a;
    a.at = now;
    a.actor_kind = to_string(who.kind);
    a.actor_id = who.id;
    a.actor_name = who.username;
    a.store = who.store;
    a.action = action;
    a.detail = detail.dump();
    tx.insert_audit(a);
}

}  // namespace

Actor StaffPrincipal::actor() const {
    Actor a;
    a.kind = Actor::Kind::staff;
    a.id = std::to_string(staff_id);
    a.username = username;
    a.store = store;
    return a;
}

Result<StaffSession> Service::staff_login(const std::string& username, const std::string& password) {
    return guarded<StaffSession>([&]() -> Result<StaffSession> {
        Impl& im = *impl_;
        const UnixSeconds t = now();
        const UnixSeconds since = t - im.opt.login_window_seconds;
        const Error locked = err(ErrorCode::too_many_attempts, "too many failed sign-ins; try again later");
        struct Seen {
            int failures = 0;
            std::optional<StaffRecord> staff;
        };
        const bool name_ok = valid_username(username);
        Seen seen;
        if (name_ok)
            seen = im.store->read([&](ReadTx& tx) {
                return Seen{tx.staff_login_failures_since(username, since), tx.staff_by_username(username)};
            });
        if (seen.failures >= im.opt.login_max_failures) return locked;
        // The slow hash runs outside any transaction, against a dummy hash for an unknown username.
        const bool known = seen.staff && !seen.staff->disabled && !seen.staff->password_hash.empty();
        const bool ok = crypto::verify_pin(known ? seen.staff->password_hash : im.dummy_pin_hash(), password) && known;
        if (!ok) {
            if (name_ok) im.store->write([&](WriteTx& tx) { tx.add_staff_login_failure(username, t); });
            return err(ErrorCode::invalid_credentials, "username or password is wrong");
        }
        StaffSession s;
        s.token = crypto::random_token();
        s.expires_at = t + im.opt.staff_session_seconds;
        s.role = seen.staff->role;
        const bool was_locked = im.store->write([&](WriteTx& tx) {
            if (tx.staff_login_failures_since(username, since) >= im.opt.login_max_failures) return true;
            tx.clear_staff_login_failures(username);
            tx.insert_staff_session(
                StaffSessionRecord{crypto::hash_token(s.token), seen.staff->id, t, t, s.expires_at});
            Actor who = StaffPrincipal{seen.staff->id,       username,
                                       seen.staff->name,     seen.staff->role,
                                       seen.staff->store_id, seen.staff->region_id,
                                       s.expires_at}
                            .actor();
            audit_row(tx, who, "staff_login", json::object(), t);
            return false;
        });
        if (was_locked) return locked;
        return s;
    });
}

Result<StaffPrincipal> Service::authenticate_staff(const std::string& token) {
    return guarded<StaffPrincipal>([&]() -> Result<StaffPrincipal> {
        Impl& im = *impl_;
        const UnixSeconds t = now();
        const Error no = err(ErrorCode::unauthorized, "staff session is unknown or has ended; sign in again");
        if (token.empty() || token.size() > 256) return no;
        const std::string hash = crypto::hash_token(token);
        struct Found {
            std::optional<StaffSessionRecord> session;
            std::optional<StaffRecord> staff;
        };
        Found f = im.store->read([&](ReadTx& tx) {
            Found out;
            out.session = tx.staff_session(hash);
            if (out.session) out.staff = tx.staff_by_id(out.session->staff_id);
            return out;
        });
        if (!f.session) return no;
        const bool alive = t < f.session->expires_at && t < f.session->last_seen + im.opt.staff_idle_seconds &&
                           f.staff && !f.staff->disabled;
        if (!alive) {
            im.store->write([&](WriteTx& tx) { tx.delete_staff_session(hash); });
            return no;
        }
        if (t > f.session->last_seen) im.store->write([&](WriteTx& tx) { tx.touch_staff_session(hash, t); });
        return StaffPrincipal{f.staff->id,       f.staff->username,  f.staff->name,        f.staff->role,
                              f.staff->store_id, f.staff->region_id, f.session->expires_at};
    });
}

void Service::staff_logout(const std::string& token) {
    try {
        impl_->store->write([&](WriteTx& tx) { tx.delete_staff_session(crypto::hash_token(token)); });
    } catch (const std::exception&) {
        // The session ends at its limits anyway.
    }
}

Result<Reply> Service::change_password(const StaffPrincipal& who, const std::string& old_password,
                                       const std::string& new_password) {
    return guarded<Reply>([&]() -> Result<Reply> {
        Impl& im = *impl_;
        const UnixSeconds t = now();
        if (!valid_password(new_password)) return err(ErrorCode::weak_password, "password: 10 to 128 characters");
        auto s = im.store->read([&](ReadTx& tx) { return tx.staff_by_id(who.staff_id); });
        if (!s || s->disabled) return err(ErrorCode::unauthorized, "staff session has ended; sign in again");
        if (!crypto::verify_pin(s->password_hash, old_password))
            return err(ErrorCode::invalid_credentials, "the current password is wrong");
        const std::string hash = crypto::hash_pin(new_password, im.opt.kdf_opslimit, im.opt.kdf_memlimit);
        return im.store->write([&](WriteTx& tx) -> Result<Reply> {
            auto cur = tx.staff_by_id(who.staff_id);
            if (!cur) return err(ErrorCode::staff_not_found, "no such staff account");
            cur->password_hash = hash;
            tx.update_staff(*cur, t);
            tx.delete_staff_sessions(cur->id);  // a new password signs every session out
            audit_row(tx, who.actor(), "change_password", json::object(), t);
            return Reply{Reply::Kind::empty, json(nullptr)};
        });
    });
}

Result<Reply> Service::create_staff(const Actor& who, const NewStaff& n) {
    return guarded<Reply>([&]() -> Result<Reply> {
        Impl& im = *impl_;
        const UnixSeconds t = now();
        if (!valid_username(n.username))
            return err(ErrorCode::invalid_username, "username: 3 to 32 lowercase letters, digits, . - _");
        if (!valid_password(n.password)) return err(ErrorCode::weak_password, "password: 10 to 128 characters");
        if (!valid_label(n.name)) return err(ErrorCode::invalid_name, "name: 1 to 200 characters of text");
        if (!access::role_from(n.role))
            return err(ErrorCode::invalid_role, "role: clerk, store_manager, region_manager, hq_admin or auditor");
        StaffRecord rec;
        rec.username = n.username;
        rec.name = n.name;
        rec.role = n.role;
        rec.store_id = n.store;
        rec.region_id = n.region;
        rec.created_at = t;
        rec.password_hash = crypto::hash_pin(n.password, im.opt.kdf_opslimit, im.opt.kdf_memlimit);
        try {
            return im.store->write([&](WriteTx& tx) -> Result<Reply> {
                if (auto e = check_placement(tx, rec)) return *e;
                if (tx.staff_by_username(rec.username))
                    return err(ErrorCode::already_exists, "a staff account with this username exists");
                rec.id = tx.insert_staff(rec);
                audit_row(tx, who, "create_staff",
                          {{"staff_id", rec.id}, {"username", rec.username}, {"role", rec.role}}, t);
                return Reply{Reply::Kind::created, staff_json(rec)};
            });
        } catch (const StoreError& e) {
            if (e.kind() == StoreError::Kind::unique_violation)
                return err(ErrorCode::already_exists, "a staff account with this username exists");
            throw;
        }
    });
}

Result<Reply> Service::update_staff(const Actor& who, std::int64_t staff_id, const StaffPatch& p) {
    return guarded<Reply>([&]() -> Result<Reply> {
        Impl& im = *impl_;
        const UnixSeconds t = now();
        if (p.password && !valid_password(*p.password))
            return err(ErrorCode::weak_password, "password: 10 to 128 characters");
        if (p.name && !valid_label(*p.name)) return err(ErrorCode::invalid_name, "name: 1 to 200 characters of text");
        std::string hash;
        if (p.password) hash = crypto::hash_pin(*p.password, im.opt.kdf_opslimit, im.opt.kdf_memlimit);
        return im.store->write([&](WriteTx& tx) -> Result<Reply> {
            auto s = tx.staff_by_id(staff_id);
            if (!s) return err(ErrorCode::staff_not_found, "no such staff account");
            json fields = json::array();
            if (p.name) s->name = *p.name, fields.push_back("name");
            if (p.role) s->role = *p.role, fields.push_back("role");
            if (p.store) s->store_id = *p.store, fields.push_back("store");
            if (p.region) s->region_id = *p.region, fields.push_back("region");
            if (p.disabled) s->disabled = *p.disabled, fields.push_back("disabled");
            if (p.password) s->password_hash = hash, fields.push_back("password");
            if (auto e = check_placement(tx, *s)) return *e;
            tx.update_staff(*s, t);
            // A reset password, a disabled account or a new place ends the account's sessions.
            if (p.password || p.disabled.value_or(false) || p.role || p.store || p.region) {
                tx.delete_staff_sessions(staff_id);
                if (p.password) tx.clear_staff_login_failures(s->username);
            }
            audit_row(tx, who, "update_staff", {{"staff_id", staff_id}, {"fields", fields}}, t);
            return Reply{Reply::Kind::ok, staff_json(*s)};
        });
    });
}

Result<json> Service::list_staff() {
    return guarded<json>([&]() -> Result<json> {
        auto rows = impl_->store->read([&](ReadTx& tx) { return tx.staff_list(); });
        json out = json::array();
        for (const auto& s : rows) out.push_back(staff_json(s));
        return json{{"staff", out}};
    });
}

}  // namespace memberdesk::server
