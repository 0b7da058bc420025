#include "memberdesk/offline_view.hpp"

#include <algorithm>
#include <exception>

namespace memberdesk {

using nlohmann::json;

OfflineSnapshot make_offline_snapshot(const MeView& me, const std::vector<CouponView>* coupons, const ZoneRules& zone,
                                      UnixSeconds now, const OfflineSnapshot* previous) {
    OfflineSnapshot s;
    s.saved_at = now;
    s.me = me;
    s.me.profile.birthday.reset();
    s.me.offers.clear();
    s.zone = zone;
    if (coupons) {
        for (const auto& c : *coupons)
            if (c.state == to_string(CouponState::available)) s.coupons.push_back(c);
    } else if (previous && previous->me.profile.id == me.profile.id) {
        s.coupons = previous->coupons;
    }
    return s;
}

json offline_snapshot_to_json(const OfflineSnapshot& s) {
    return json{{"v", kOfflineSnapshotVersion},
                {"saved_at", format_rfc3339(s.saved_at)},
                {"me", s.me},
                {"coupons", s.coupons},
                {"zone", zone_to_json(s.zone)}};
}

std::optional<OfflineSnapshot> offline_snapshot_from_json(const json& j, UnixSeconds now) {
    try {
        if (!j.is_object() || j.value("v", 0) != kOfflineSnapshotVersion) return std::nullopt;
        const auto at = parse_rfc3339(j.at("saved_at").get<std::string>());
        if (!at.ok() || at.value() > now) return std::nullopt;
        auto zone = zone_from_json(j.at("zone"));
        if (!zone.ok()) return std::nullopt;
        OfflineSnapshot s;
        s.saved_at = at.value();
        s.me = j.at("me").get<MeView>();
        s.coupons = j.at("coupons").get<std::vector<CouponView>>();
        s.zone = std::move(zone.value());
        return s;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

OfflinePortalView build_offline_view(const OfflineSnapshot& s, UnixSeconds now) {
    OfflinePortalView v;
    v.as_of = format_rfc3339(s.saved_at);
    v.age_seconds = std::max<std::int64_t>(0, now - s.saved_at);
    v.old = v.age_seconds > kOfflineOldSeconds;
    v.name = s.me.profile.name;
    v.phone_masked = s.me.profile.phone_masked;
    v.balance = s.me.points.balance;
    v.pending = s.me.points.pending;
    v.expiring_soon = s.me.points.expiring_soon;
    v.next_expiry = s.me.points.next_expiry;
    if (v.next_expiry) {
        const auto e = parse_rfc3339(*v.next_expiry);
        v.expiry_passed = e.ok() && e.value() <= now;
    }
    v.tier_name = s.me.tier.name;
    v.multiplier_percent = s.me.tier.multiplier_percent;
    for (const auto& c : s.coupons) {
        const auto until = parse_rfc3339(c.valid_until);
        if (until.ok() && now > until.value()) {
            ++v.coupons_lapsed;
            continue;
        }
        v.coupons.push_back(c);
    }
    return v;
}

}  // namespace memberdesk
