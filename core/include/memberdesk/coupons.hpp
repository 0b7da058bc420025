// Coupons: issuing from templates, the state machine, the discount for an order, display texts.
#pragma once
#include <string>

#include "memberdesk/ledger.hpp"

namespace memberdesk {

// Validity window of a coupon issued at `now` from template `t` (local days in zone z).
CouponIssue make_issue(const CouponTemplate& t, CouponSource source, const ZoneRules& z, UnixSeconds now, Text reason);

// State as of `now`: an available coupon past valid_until reads as expired.
CouponState effective_state(const Coupon& c, UnixSeconds now);

// Discount for an order at `store`. Errors: coupon_used, coupon_expired, coupon_void,
// coupon_not_yet_valid, min_spend_not_met, store_not_allowed, invalid_amount.
// Never more than the order amount. free_item yields 0 money and a note to hand the item over.
Result<Cents> coupon_discount(const Coupon& c, Cents order_amount, const std::string& store, UnixSeconds now);

// State machine transitions; errors name the illegal transition (coupon_used, coupon_void, coupon_expired).
Result<Coupon> use_coupon(const Coupon& c, Cents order_amount, const std::string& store, const std::string& txn_id,
                          UnixSeconds now);
Result<Coupon> void_coupon(const Coupon& c, UnixSeconds now);

// "满100减10" / "¥10 off orders over ¥100", "8折" / "20% off", "免费: 拿铁" / "Free: Latte", ...
Text coupon_title(const CouponTemplate& t);
Text coupon_conditions(const CouponTemplate& t);             // min spend, scope, stores
std::string format_money(Cents c, const std::string& lang);  // "¥10", "¥12.50"

}  // namespace memberdesk
