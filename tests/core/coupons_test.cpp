// Coupons: the discount of each kind in integer fen, the state machine, validity windows in the
// program's time zone, and the display texts.
#include <doctest/doctest.h>

#include <string>

#include "memberdesk/coupons.hpp"
#include "test_tz.hpp"

using namespace memberdesk;

namespace coupons_test {

namespace {

UnixSeconds t_(const char* rfc3339) {
    auto r = parse_rfc3339(rfc3339);
    REQUIRE_MESSAGE(r.ok(), rfc3339);
    return *r;
}

ZoneRules real_zone(const char* name) {
    auto z = ZoneRules::from_tzif(name, test_tzif(name));
    REQUIRE_MESSAGE(z.ok(), name);
    return *z;
}

const UnixSeconds kNow = 1'780'000'000;  // 2026-05-28, inside the coupons' windows below

CouponTemplate tpl(CouponKind kind) {
    CouponTemplate t;
    t.id = "t";
    t.kind = kind;
    return t;
}

Coupon coupon(const CouponTemplate& t) {
    Coupon c;
    c.id = 1;
    c.code = "ABC123";
    c.template_id = t.id;
    c.terms = t;
    c.valid_from = kNow - 86400;
    c.valid_until = kNow + 86400;
    c.issued_at = c.valid_from;
    return c;
}

Cents discount(const CouponTemplate& t, Cents order, const std::string& store = "S1") {
    auto d = coupon_discount(coupon(t), order, store, kNow);
    REQUIRE_MESSAGE(d.ok(), (d.ok() ? std::string() : std::string(to_string(d.error().code))));
    return *d;
}

std::string error_of(const Coupon& c, Cents order, const std::string& store = "S1", UnixSeconds now = kNow) {
    auto d = coupon_discount(c, order, store, now);
    return d.ok() ? std::string("ok") : std::string(to_string(d.error().code));
}

}  // namespace

TEST_CASE("coupons: amount_off takes its amount off and never more than the order") {
    auto t = tpl(CouponKind::amount_off);
    t.amount = 1000;
    CHECK(discount(t, 3500) == 1000);
    CHECK(discount(t, 1000) == 1000);
    CHECK(discount(t, 999) == 999);
    CHECK(discount(t, 1) == 1);
}

TEST_CASE("coupons: threshold 满X减Y applies exactly at X and not one fen below") {
    auto t = tpl(CouponKind::threshold);
    t.threshold = 10000;
    t.amount = 1000;
    CHECK(discount(t, 10000) == 1000);
    CHECK(discount(t, 25000) == 1000);
    CHECK(error_of(coupon(t), 9999) == "min_spend_not_met");
}

TEST_CASE("coupons: percent_off rounds down to the fen") {
    auto t = tpl(CouponKind::percent_off);
    t.percent_off = 20;
    CHECK(discount(t, 10000) == 2000);
    CHECK(discount(t, 3333) == 666);  // 666.6
    CHECK(discount(t, 4) == 0);       // 0.8
    CHECK(discount(t, 5) == 1);
    t.percent_off = 15;
    CHECK(discount(t, 999) == 149);  // 149.85
    t.percent_off = 100;
    CHECK(discount(t, 12345) == 12345);
    // Large orders do not overflow.
    t.percent_off = 33;
    CHECK(discount(t, 9'000'000'000'000'000'000LL) == 2'970'000'000'000'000'000LL);
}

TEST_CASE("coupons: percent_off is capped by max_discount") {
    auto t = tpl(CouponKind::percent_off);
    t.percent_off = 20;
    t.max_discount = 5000;
    CHECK(discount(t, 24999) == 4999);
    CHECK(discount(t, 25000) == 5000);
    CHECK(discount(t, 30000) == 5000);
    t.max_discount = 0;  // 0 = no cap
    CHECK(discount(t, 30000) == 6000);
}

TEST_CASE("coupons: min_spend is met at the amount and not one fen below") {
    auto t = tpl(CouponKind::amount_off);
    t.amount = 2000;
    t.min_spend = 5000;
    CHECK(discount(t, 5000) == 2000);
    CHECK(error_of(coupon(t), 4999) == "min_spend_not_met");
    auto p = tpl(CouponKind::percent_off);
    p.percent_off = 10;
    p.min_spend = 10000;
    CHECK(error_of(coupon(p), 9999) == "min_spend_not_met");
    CHECK(discount(p, 10000) == 1000);
}

TEST_CASE("coupons: a store list limits where the coupon works; empty means every store") {
    auto t = tpl(CouponKind::amount_off);
    t.amount = 500;
    CHECK(discount(t, 1000, "ANY") == 500);
    t.stores = {"S1", "S2"};
    CHECK(discount(t, 1000, "S2") == 500);
    CHECK(error_of(coupon(t), 1000, "S3") == "store_not_allowed");
    CHECK(error_of(coupon(t), 1000, "") == "store_not_allowed");
}

TEST_CASE("coupons: free_item gives no money off and works on an order of 0") {
    auto t = tpl(CouponKind::free_item);
    t.item = {"拿铁", "Latte"};
    CHECK(discount(t, 0) == 0);
    CHECK(discount(t, 3500) == 0);
}

TEST_CASE("coupons: invalid order amounts are refused") {
    auto t = tpl(CouponKind::amount_off);
    t.amount = 500;
    CHECK(error_of(coupon(t), -1) == "invalid_amount");
    CHECK(error_of(coupon(t), 0) == "invalid_amount");
    CHECK(error_of(coupon(tpl(CouponKind::free_item)), -1) == "invalid_amount");
}

TEST_CASE("coupons: only an available coupon inside its window gives a discount") {
    auto t = tpl(CouponKind::amount_off);
    t.amount = 500;
    Coupon c = coupon(t);
    CHECK(error_of(c, 1000, "S1", c.valid_from) == "ok");
    CHECK(error_of(c, 1000, "S1", c.valid_until) == "ok");
    CHECK(error_of(c, 1000, "S1", c.valid_from - 1) == "coupon_not_yet_valid");
    CHECK(error_of(c, 1000, "S1", c.valid_until + 1) == "coupon_expired");
    c.state = CouponState::used;
    CHECK(error_of(c, 1000) == "coupon_used");
    c.state = CouponState::voided;
    CHECK(error_of(c, 1000) == "coupon_void");
    c.state = CouponState::expired;
    CHECK(error_of(c, 1000) == "coupon_expired");
}

TEST_CASE("coupons: effective state reads an available coupon past valid_until as expired") {
    Coupon c = coupon(tpl(CouponKind::amount_off));
    CHECK(effective_state(c, c.valid_until) == CouponState::available);
    CHECK(effective_state(c, c.valid_until + 1) == CouponState::expired);
    c.state = CouponState::used;
    CHECK(effective_state(c, c.valid_until + 1) == CouponState::used);
    c.state = CouponState::voided;
    CHECK(effective_state(c, c.valid_until + 1) == CouponState::voided);
}

TEST_CASE("coupons: use moves available to used and records the redemption") {
    auto t = tpl(CouponKind::threshold);
    t.threshold = 10000;
    t.amount = 1000;
    Coupon c = coupon(t);
    auto u = use_coupon(c, 12000, "S1", "T-1", kNow);
    REQUIRE(u.ok());
    CHECK(u->state == CouponState::used);
    CHECK(u->used_at == kNow);
    CHECK(u->used_txn == "T-1");
    CHECK(u->used_store == "S1");
    CHECK(u->used_order_amount == 12000);
    CHECK(u->used_discount == 1000);
    CHECK(c.state == CouponState::available);  // input untouched

    SUBCASE("a replay of the same transaction gives the same answer") {
        auto again = use_coupon(*u, 12000, "S1", "T-1", kNow + 5);
        REQUIRE(again.ok());
        CHECK(again->used_at == kNow);
        CHECK(again->used_discount == 1000);
    }
    SUBCASE("the same transaction with a different order is refused") {
        auto again = use_coupon(*u, 15000, "S1", "T-1", kNow + 5);
        REQUIRE_FALSE(again.ok());
        CHECK(again.error().code == ErrorCode::coupon_used);
    }
    SUBCASE("another transaction cannot use it again") {
        auto again = use_coupon(*u, 12000, "S1", "T-2", kNow + 5);
        REQUIRE_FALSE(again.ok());
        CHECK(again.error().code == ErrorCode::coupon_used);
    }
    SUBCASE("a used coupon cannot be voided") {
        auto v = void_coupon(*u, kNow + 5);
        REQUIRE_FALSE(v.ok());
        CHECK(v.error().code == ErrorCode::coupon_used);
    }
}

TEST_CASE("coupons: use fails without a transition when the discount cannot be given") {
    auto t = tpl(CouponKind::threshold);
    t.threshold = 10000;
    t.amount = 1000;
    auto u = use_coupon(coupon(t), 9999, "S1", "T-1", kNow);
    REQUIRE_FALSE(u.ok());
    CHECK(u.error().code == ErrorCode::min_spend_not_met);
}

TEST_CASE("coupons: void moves available to void, and nothing else") {
    Coupon c = coupon(tpl(CouponKind::amount_off));
    auto v = void_coupon(c, kNow);
    REQUIRE(v.ok());
    CHECK(v->state == CouponState::voided);

    auto twice = void_coupon(*v, kNow);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().code == ErrorCode::coupon_void);

    auto use_void = use_coupon(*v, 1000, "S1", "T-1", kNow);
    REQUIRE_FALSE(use_void.ok());
    CHECK(use_void.error().code == ErrorCode::coupon_void);

    auto late = void_coupon(c, c.valid_until + 1);
    REQUIRE_FALSE(late.ok());
    CHECK(late.error().code == ErrorCode::coupon_expired);

    Coupon expired = c;
    expired.state = CouponState::expired;
    auto use_expired = use_coupon(expired, 1000, "S1", "T-1", kNow);
    REQUIRE_FALSE(use_expired.ok());
    CHECK(use_expired.error().code == ErrorCode::coupon_expired);
    auto void_expired = void_coupon(expired, kNow);
    REQUIRE_FALSE(void_expired.ok());
    CHECK(void_expired.error().code == ErrorCode::coupon_expired);
}

TEST_CASE("coupons: validity runs to the end of the local day, across a month end in Asia/Shanghai") {
    const ZoneRules sh = real_zone("Asia/Shanghai");
    auto t = tpl(CouponKind::amount_off);
    t.amount = 1000;

    SUBCASE("7 days from 28 March end on 3 April at 23:59:59 local") {
        t.validity.days = 7;
        UnixSeconds now = t_("2026-03-28T10:00:00+08:00");
        CouponIssue is = make_issue(t, CouponSource::spend_back, sh, now, {"返券", "Spend-back"});
        CHECK(is.template_id == "t");
        CHECK(is.source == CouponSource::spend_back);
        CHECK(is.valid_from == now);
        CHECK(is.valid_until == t_("2026-04-03T23:59:59+08:00"));
        CHECK(format_rfc3339(is.valid_until) == "2026-04-03T15:59:59Z");
        CHECK(is.reason.en == "Spend-back");
    }
    SUBCASE("1 day issued late in the local evening ends that same local day") {
        t.validity.days = 1;
        // 23:30 on 31 March in Shanghai is still 31 March there, though 15:30Z.
        CouponIssue is = make_issue(t, CouponSource::staff, sh, t_("2026-03-31T23:30:00+08:00"), {});
        CHECK(is.valid_until == t_("2026-03-31T23:59:59+08:00"));
    }
    SUBCASE("the local date decides, not the UTC date") {
        t.validity.days = 1;
        // 2026-04-01T00:30 local = 2026-03-31T16:30Z: the coupon is for 1 April local.
        CouponIssue is = make_issue(t, CouponSource::staff, sh, t_("2026-03-31T16:30:00Z"), {});
        CHECK(is.valid_until == t_("2026-04-01T23:59:59+08:00"));
    }
    SUBCASE("30 days from 31 January end on 1 March (non-leap year)") {
        t.validity.days = 30;
        CouponIssue is = make_issue(t, CouponSource::staff, sh, t_("2026-01-31T12:00:00+08:00"), {});
        CHECK(is.valid_until == t_("2026-03-01T23:59:59+08:00"));
    }
    SUBCASE("end_of_month runs to the last day of the local month, leap February included") {
        t.validity.end_of_month = true;
        CHECK(make_issue(t, CouponSource::birthday, sh, t_("2026-02-10T09:00:00+08:00"), {}).valid_until ==
              t_("2026-02-28T23:59:59+08:00"));
        CHECK(make_issue(t, CouponSource::birthday, sh, t_("2028-02-10T09:00:00+08:00"), {}).valid_until ==
              t_("2028-02-29T23:59:59+08:00"));
        // Issued at 00:30 on 1 February local (still January in UTC): February's end.
        CHECK(make_issue(t, CouponSource::birthday, sh, t_("2026-01-31T16:30:00Z"), {}).valid_until ==
              t_("2026-02-28T23:59:59+08:00"));
        CHECK(make_issue(t, CouponSource::birthday, sh, t_("2026-12-31T23:59:59+08:00"), {}).valid_until ==
              t_("2026-12-31T23:59:59+08:00"));
    }
    SUBCASE("a coupon issued by the window reads available until the last second, then expired") {
        t.validity.days = 2;
        UnixSeconds now = t_("2026-03-31T20:00:00+08:00");
        CouponIssue is = make_issue(t, CouponSource::staff, sh, now, {});
        Coupon c = coupon(t);
        c.valid_from = is.valid_from;
        c.valid_until = is.valid_until;
        CHECK(effective_state(c, t_("2026-04-01T23:59:59+08:00")) == CouponState::available);
        CHECK(effective_state(c, t_("2026-04-02T00:00:00+08:00")) == CouponState::expired);
    }
}

TEST_CASE("coupons: validity follows daylight saving time in America/New_York") {
    const ZoneRules ny = real_zone("America/New_York");
    auto t = tpl(CouponKind::amount_off);
    t.validity.days = 2;
    // 7 March 2026 is EST (-5); 8 March switches to EDT (-4) at 02:00.
    CouponIssue is = make_issue(t, CouponSource::staff, ny, t_("2026-03-07T12:00:00-05:00"), {});
    CHECK(is.valid_until == t_("2026-03-08T23:59:59-04:00"));
}

TEST_CASE("coupons: format_money writes yuan with the sign, grouping and no trailing .00") {
    CHECK(format_money(1000, "zh") == "¥10");
    CHECK(format_money(1000, "en") == "¥10");
    CHECK(format_money(1250, "en") == "¥12.50");
    CHECK(format_money(1205, "en") == "¥12.05");
    CHECK(format_money(5, "en") == "¥0.05");
    CHECK(format_money(0, "en") == "¥0");
    CHECK(format_money(120000, "zh") == "¥1,200");
    CHECK(format_money(123456789, "en") == "¥1,234,567.89");
    CHECK(format_money(-500, "en") == "-¥5");
}

TEST_CASE("coupons: titles in Chinese and English for each kind") {
    auto th = tpl(CouponKind::threshold);
    th.threshold = 10000;
    th.amount = 1000;
    CHECK(coupon_title(th).zh == "满100减10");
    CHECK(coupon_title(th).en == "¥10 off orders of ¥100 or more");
    th.threshold = 9950;
    th.amount = 1050;
    CHECK(coupon_title(th).zh == "满99.50减10.50");

    auto pc = tpl(CouponKind::percent_off);
    pc.percent_off = 20;
    CHECK(coupon_title(pc) == Text{"8折", "20% off"});
    pc.percent_off = 15;
    CHECK(coupon_title(pc) == Text{"8.5折", "15% off"});
    pc.percent_off = 5;
    CHECK(coupon_title(pc) == Text{"9.5折", "5% off"});
    pc.percent_off = 100;
    CHECK(coupon_title(pc) == Text{"免单", "100% off"});

    auto am = tpl(CouponKind::amount_off);
    am.amount = 1000;
    CHECK(coupon_title(am) == Text{"¥10无门槛券", "¥10 off"});
    am.min_spend = 5000;
    CHECK(coupon_title(am) == Text{"¥10代金券", "¥10 off"});

    auto fi = tpl(CouponKind::free_item);
    fi.item = {"拿铁", "Latte"};
    CHECK(coupon_title(fi) == Text{"免费：拿铁", "Free: Latte"});
}

TEST_CASE("coupons: conditions name min spend, cap, scope and stores") {
    auto am = tpl(CouponKind::amount_off);
    am.amount = 1000;
    CHECK(coupon_conditions(am) == Text{"无门槛，全部门店可用", "No minimum spend; valid at all stores"});

    auto pc = tpl(CouponKind::percent_off);
    pc.percent_off = 20;
    pc.max_discount = 5000;
    pc.min_spend = 3000;
    pc.scope = {"指定饮品", "selected drinks"};
    pc.stores = {"S001", "S002"};
    Text c = coupon_conditions(pc);
    CHECK(c.zh == "满¥30可用，最高优惠¥50，仅限指定饮品，仅限门店：S001、S002");
    CHECK(c.en == "Minimum spend ¥30; up to ¥50 off; valid on selected drinks; only at stores S001, S002");

    auto fi = tpl(CouponKind::free_item);
    fi.item = {"拿铁", "Latte"};
    fi.stores = {"S9"};
    CHECK(coupon_conditions(fi) == Text{"仅限门店：S9", "Only at store S9"});
}

}  // namespace coupons_test
