// The portal's offline view (pure): what the member's device keeps of the last member view it saw,
// so the portal opens without the network (docs/design.md "Offline portal"). Only what the offline
// screen shows is kept: the balance, the tier, the coupons still usable and the program's time zone;
// not the birthday, the offers, the history or the session token.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "memberdesk/time.hpp"
#include "memberdesk/views.hpp"

namespace memberdesk {

inline constexpr int kOfflineSnapshotVersion = 1;
// Past this age the offline view says the figures may be out of date in stronger words.
inline constexpr std::int64_t kOfflineOldSeconds = 7 * 86400;

struct OfflineSnapshot {
    UnixSeconds saved_at = 0;
    MeView me;
    std::vector<CouponView> coupons;  // usable (available) when saved
    ZoneRules zone;                   // for "as of" and coupon dates offline
};

// A snapshot of what the member just saw: birthday and offers dropped, coupons reduced to the
// usable ones. `coupons`: nullptr when the list was not loaded this time; the coupons of
// `previous` (the snapshot kept so far) then stay when it is the same member's.
OfflineSnapshot make_offline_snapshot(const MeView& me, const std::vector<CouponView>* coupons, const ZoneRules& zone,
                                      UnixSeconds now, const OfflineSnapshot* previous = nullptr);

nlohmann::json offline_snapshot_to_json(const OfflineSnapshot& s);
// nullopt for another version, a malformed text or a snapshot from the future (clock moved back
// keeps nothing that cannot be dated).
std::optional<OfflineSnapshot> offline_snapshot_from_json(const nlohmann::json& j, UnixSeconds now);

struct OfflinePortalView {
    std::string as_of;  // RFC 3339 UTC of the snapshot
    std::int64_t age_seconds = 0;
    bool old = false;  // older than kOfflineOldSeconds
    std::string name, phone_masked;
    Points balance = 0, pending = 0, expiring_soon = 0;
    std::optional<std::string> next_expiry;
    bool expiry_passed = false;  // next_expiry is past now: the balance shown may have shrunk
    Text tier_name;
    int multiplier_percent = 100;
    std::vector<CouponView> coupons;  // still inside their validity at `now`
    int coupons_lapsed = 0;           // usable when saved, past valid_until now
};

OfflinePortalView build_offline_view(const OfflineSnapshot& s, UnixSeconds now);

}  // namespace memberdesk
