// Private to the service: who may do what to which members (domain.md §8) -- roles, their scope
// (a store, a region, the chain), the data level they read at and their daily limits -- plus the
// small helpers the staff and store files share.
#pragma once
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "memberdesk/errors.hpp"
#include "service/guarded.hpp"
#include "service/service.hpp"
#include "storage/store.hpp"

namespace memberdesk::server::access {

using detail::err;
using detail::guarded;

// A store's, region's or staff member's name: 1 to 200 characters, not only spaces, no controls.
bool valid_label(const std::string& s);

enum class Role { clerk, store_manager, region_manager, hq_admin, auditor };
std::optional<Role> role_from(const std::string& s);
const char* to_string(Role r);

// What a role may do. Points limits are per staff member and local day, summed over absolute
// values of their adjustments; 0 = not allowed, -1 = no limit.
struct RolePolicy {
    int max_level;          // data level for member details (0 = no member data at all)
    bool browse;            // list members in scope (else only find by full phone or member code)
    Points goodwill_daily;  // positive adjustments ("goodwill points")
    Points adjust_daily;    // negative adjustments
    bool issue_coupons, void_coupons, redeem_coupons;
    bool read_audit;
    bool manage;   // staff, stores, POS keys
    bool reports;  // staff reports of the scope (docs/reports.md)
};
const RolePolicy& policy(Role r);

// The stores a staff member acts for: nullopt = every store (hq_admin, auditor).
std::optional<std::vector<std::string>> scope_stores(ReadTx& tx, const StaffPrincipal& who);

// {kind, id, username?, store?} of an audit row.
nlohmann::json audit_actor_json(const AuditRecord& a);
nlohmann::json audit_entry_json(const AuditRecord& a);

// Level-2 data: "138****0001" (first three and last four digits); the name's first character + "*".
std::string staff_mask_phone(const std::string& p);
std::string staff_mask_name(const std::string& n);

// Short ids of stores and regions: 1..16 of [A-Za-z0-9_-].
bool valid_short_id(const std::string& s);

}  // namespace memberdesk::server::access
