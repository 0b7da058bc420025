// Roles, scopes and data levels (domain.md §8), and what staff do with members within them.
#include "service/scope.hpp"

#include <algorithm>

#include "memberdesk/time.hpp"

namespace memberdesk::server::access {

using nlohmann::json;

bool valid_label(const std::string& s) {
    if (s.empty() || s.size() > 200) return false;
    if (std::all_of(s.begin(), s.end(), [](char c) { return c == ' '; })) return false;
    return std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::optional<Role> role_from(const std::string& s) {
    for (Role r : {Role::clerk, Role::store_manager, Role::region_manager, Role::hq_admin, Role::auditor})
        if (s == to_string(r)) return r;
    return std::nullopt;
}

const char* to_string(Role r) {
    switch (r) {
        case Role::clerk: return "clerk";
        case Role::store_manager: return "store_manager";
        case Role::region_manager: return "region_manager";
        case Role::hq_admin: return "hq_admin";
        case Role::auditor: return "auditor";
    }
    return "clerk";
}

const RolePolicy& policy(Role r) {
    // level, browse, goodwill/day, negative adjustments/day, issue, void, redeem, audit, manage, reports
    static const RolePolicy clerk{2, false, 200, 0, false, false, true, false, false, false};
    static const RolePolicy store_manager{2, true, 2000, 2000, true, true, true, true, false, true};
    static const RolePolicy region_manager{3, true, 10000, 10000, true, true, true, true, false, true};
    static const RolePolicy hq_admin{3, true, -1, -1, true, true, true, true, true, true};
    static const RolePolicy auditor{0, false, 0, 0, false, false, false, true, false, true};
    switch (r) {
        case Role::clerk: return clerk;
        case Role::store_manager: return store_manager;
        case Role::region_manager: return region_manager;
        case Role::hq_admin: return hq_admin;
        case Role::auditor: return auditor;
    }
    return clerk;
}

std::optional<std::vector<std::string>> scope_stores(ReadTx& tx, const StaffPrincipal& who) {
    auto role = role_from(who.role);
    if (!role || *role == Role::hq_admin || *role == Role::auditor) return std::nullopt;
    if (*role == Role::region_manager) {
        std::vector<std::string> out;
        for (const auto& s : tx.stores())
            if (s.region_id == who.region) out.push_back(s.id);
        return out;
    }
    return std::vector<std::string>{who.store};
}

json audit_actor_json(const AuditRecord& a) {
    json j = {{"kind", a.actor_kind}, {"id", a.actor_id}};
    if (!a.actor_name.empty()) j["username"] = a.actor_name;
    if (!a.store.empty()) j["store"] = a.store;
    return j;
}

json audit_entry_json(const AuditRecord& a) {
    json detail = json::parse(a.detail, nullptr, false);
    if (detail.is_discarded()) detail = a.detail;
    return {{"id", a.id},
            {"at", format_rfc3339(a.at)},
            {"actor", audit_actor_json(a)},
            {"action", a.action},
            {"member_id", a.member_id ? json(*a.member_id) : json(nullptr)},
            {"store", a.store.empty() ? json(nullptr) : json(a.store)},
            {"detail", detail}};
}

// "138****0001": the first three and last four digits.
std::string staff_mask_phone(const std::string& p) {
    if (p.size() <= 7) return std::string(p.size(), '*');
    return p.substr(0, 3) + std::string(p.size() - 7, '*') + p.substr(p.size() - 4);
}
// The first character (a UTF-8 code point), then "*".
std::string staff_mask_name(const std::string& n) {
    if (n.empty()) return n;
    std::size_t len = 1;
    while (len < n.size() && (static_cast<unsigned char>(n[len]) & 0xC0) == 0x80) ++len;
    return n.substr(0, len) + "*";
}

bool valid_short_id(const std::string& s) {
    return !s.empty() && s.size() <= 16 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

}  // namespace memberdesk::server::access
