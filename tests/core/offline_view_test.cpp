// The portal's offline view (memberdesk/offline_view.hpp): what the device keeps of the last member
// view, how it reads back, and what it shows later without the network.
#include <doctest/doctest.h>

#include <string>

#include "memberdesk/offline_view.hpp"
#include "test_tz.hpp"

using namespace memberdesk;

namespace offline_view_test {
using nlohmann::json;

namespace {

const UnixSeconds kSaved = 1780000000;  // 2026-05-28T20:26:40Z

MeView sample_me() {
    MeView me;
    me.profile.id = 42;
    me.profile.name = "王小明";
    me.profile.phone_masked = "138****5678";
    me.profile.birthday = "1990-04-01";
    me.profile.joined_at = "2025-01-02T03:04:05Z";
    me.points.balance = 1234;
    me.points.pending = 50;
    me.points.expiring_soon = 200;
    me.points.next_expiry = format_rfc3339(kSaved + 3 * 86400);
    me.tier.id = "gold";
    me.tier.name = Text{"金卡", "Gold"};
    me.tier.multiplier_percent = 150;
    me.coupons.available = 2;
    me.offers.push_back(OfferView{"o1", Text{"双倍积分", "Double points"}, Text{}, "r1"});
    return me;
}

CouponView coupon(std::int64_t id, const char* state, UnixSeconds until) {
    CouponView c;
    c.id = id;
    c.code = "C" + std::to_string(id);
    c.kind = "amount_off";
    c.state = state;
    c.title = Text{"立减10元", "¥10 off"};
    c.valid_from = format_rfc3339(kSaved - 86400);
    c.valid_until = format_rfc3339(until);
    return c;
}

ZoneRules shanghai() { return ZoneRules::from_tzif("Asia/Shanghai", test_tzif("Asia/Shanghai")).value(); }

}  // namespace

TEST_CASE("offline view: a snapshot keeps balance, tier and usable coupons but not the birthday or offers") {
    const std::vector<CouponView> coupons{coupon(1, "available", kSaved + 86400), coupon(2, "used", kSaved + 86400),
                                          coupon(3, "expired", kSaved - 10), coupon(4, "available", kSaved + 600)};
    const auto s = make_offline_snapshot(sample_me(), &coupons, shanghai(), kSaved);
    CHECK(s.saved_at == kSaved);
    CHECK(s.me.points.balance == 1234);
    CHECK(s.me.tier.name.en == "Gold");
    CHECK_FALSE(s.me.profile.birthday.has_value());
    CHECK(s.me.offers.empty());
    REQUIRE(s.coupons.size() == 2);
    CHECK(s.coupons[0].id == 1);
    CHECK(s.coupons[1].id == 4);
}

TEST_CASE("offline view: without a new coupon list a snapshot keeps the same member's last one, not another's") {
    const auto none = make_offline_snapshot(sample_me(), nullptr, shanghai(), kSaved);
    CHECK(none.coupons.empty());
    CHECK(none.me.coupons.available == 2);

    const std::vector<CouponView> coupons{coupon(1, "available", kSaved + 86400)};
    const auto with = make_offline_snapshot(sample_me(), &coupons, shanghai(), kSaved);
    MeView richer = sample_me();
    richer.points.balance = 2000;
    const auto next = make_offline_snapshot(richer, nullptr, shanghai(), kSaved + 60, &with);
    CHECK(next.me.points.balance == 2000);
    CHECK(next.saved_at == kSaved + 60);
    REQUIRE(next.coupons.size() == 1);
    CHECK(next.coupons[0].id == 1);

    MeView other = sample_me();
    other.profile.id = 43;
    CHECK(make_offline_snapshot(other, nullptr, shanghai(), kSaved + 60, &with).coupons.empty());
}

TEST_CASE("offline view: a snapshot reads back from its JSON text as it was written, zone included") {
    const std::vector<CouponView> coupons{coupon(1, "available", kSaved + 86400)};
    const auto s = make_offline_snapshot(sample_me(), &coupons, shanghai(), kSaved);
    const std::string text = offline_snapshot_to_json(s).dump();
    const auto back = offline_snapshot_from_json(json::parse(text), kSaved + 60);
    REQUIRE(back.has_value());
    CHECK(back->saved_at == kSaved);
    CHECK(back->me.profile.name == "王小明");
    CHECK(back->me.points.balance == 1234);
    CHECK(back->me.tier.multiplier_percent == 150);
    REQUIRE(back->coupons.size() == 1);
    CHECK(back->coupons[0].code == "C1");
    CHECK(back->zone.name() == "Asia/Shanghai");
    CHECK(back->zone.offset_at(kSaved) == 8 * 3600);
}

TEST_CASE("offline view: another version, a malformed text or a snapshot dated in the future is not used") {
    const auto s = make_offline_snapshot(sample_me(), nullptr, shanghai(), kSaved);
    json j = offline_snapshot_to_json(s);
    CHECK_FALSE(offline_snapshot_from_json(j, kSaved - 1).has_value());
    json other = j;
    other["v"] = kOfflineSnapshotVersion + 1;
    CHECK_FALSE(offline_snapshot_from_json(other, kSaved).has_value());
    json no_me = j;
    no_me.erase("me");
    CHECK_FALSE(offline_snapshot_from_json(no_me, kSaved).has_value());
    CHECK_FALSE(offline_snapshot_from_json(json("text"), kSaved).has_value());
    json bad_time = j;
    bad_time["saved_at"] = "yesterday";
    CHECK_FALSE(offline_snapshot_from_json(bad_time, kSaved).has_value());
    CHECK(offline_snapshot_from_json(j, kSaved).has_value());
}

TEST_CASE("offline view: later, coupons past their end move out and a passed expiry is flagged") {
    const std::vector<CouponView> coupons{coupon(1, "available", kSaved + 86400), coupon(4, "available", kSaved + 600)};
    const auto s = make_offline_snapshot(sample_me(), &coupons, shanghai(), kSaved);

    const auto soon = build_offline_view(s, kSaved + 60);
    CHECK(soon.as_of == format_rfc3339(kSaved));
    CHECK(soon.age_seconds == 60);
    CHECK_FALSE(soon.old);
    CHECK(soon.balance == 1234);
    CHECK(soon.tier_name.zh == "金卡");
    CHECK(soon.coupons.size() == 2);
    CHECK(soon.coupons_lapsed == 0);
    CHECK_FALSE(soon.expiry_passed);

    const auto at_end = build_offline_view(s, kSaved + 600);
    CHECK(at_end.coupons.size() == 2);  // valid through its last second, as the server counts

    const auto later = build_offline_view(s, kSaved + 4 * 86400);
    REQUIRE(later.coupons.empty());
    CHECK(later.coupons_lapsed == 2);
    CHECK(later.expiry_passed);
    CHECK_FALSE(later.old);

    CHECK(build_offline_view(s, kSaved + kOfflineOldSeconds + 1).old);
}

}  // namespace offline_view_test
