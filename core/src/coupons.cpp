// Coupons: validity windows, the state machine, the discount for an order, display texts.
// All money is integer fen; every division says how it rounds.
#include "memberdesk/coupons.hpp"

#include <algorithm>
#include <string>

namespace memberdesk {

namespace {

// "1,234" for a non-negative integer.
std::string group_thousands(std::int64_t v) {
    std::string digits = std::to_string(v);
    std::string out;
    int n = static_cast<int>(digits.size());
    for (int i = 0; i < n; ++i) {
        out += digits[static_cast<std::size_t>(i)];
        int left = n - 1 - i;
        if (left > 0 && left % 3 == 0) out += ',';
    }
    return out;
}

// Yuan without symbol or grouping, as Chinese 满减 texts write them: "100", "99.50".
std::string plain_yuan(Cents c) {
    std::string sign = c < 0 ? "-" : "";
    std::uint64_t a = c < 0 ? 0 - static_cast<std::uint64_t>(c) : static_cast<std::uint64_t>(c);
    std::string s = sign + std::to_string(a / 100);
    if (a % 100 != 0) {
        unsigned f = static_cast<unsigned>(a % 100);
        s += '.';
        s += static_cast<char>('0' + f / 10);
        s += static_cast<char>('0' + f % 10);
    }
    return s;
}

// floor(amount * percent / 100) for amount >= 0 and 0 <= percent <= 100, without overflow.
Cents percent_of_floor(Cents amount, int percent) { return (amount / 100) * percent + (amount % 100) * percent / 100; }

// 20 % off -> "8折", 15 % off -> "8.5折", 5 % off -> "9.5折".
std::string zhe(int percent_off) {
    int pay = 100 - percent_off;  // percent of the price still paid
    std::string s = std::to_string(pay / 10);
    if (pay % 10 != 0) s += "." + std::to_string(pay % 10);
    return s + "折";
}

bool in_stores(const std::vector<std::string>& stores, const std::string& store) {
    return stores.empty() || std::find(stores.begin(), stores.end(), store) != stores.end();
}

}  // namespace

std::string format_money(Cents c, const std::string& /*lang*/) {
    // Both languages write the yuan sign first and group thousands with commas: "¥1,200", "¥12.50".
    std::string sign = c < 0 ? "-" : "";
    std::uint64_t a = c < 0 ? 0 - static_cast<std::uint64_t>(c) : static_cast<std::uint64_t>(c);
    std::string s = sign + "¥" + group_thousands(static_cast<std::int64_t>(a / 100));
    if (a % 100 != 0) {
        unsigned f = static_cast<unsigned>(a % 100);
        s += '.';
        s += static_cast<char>('0' + f / 10);
        s += static_cast<char>('0' + f % 10);
    }
    return s;
}

CouponIssue make_issue(const CouponTemplate& t, CouponSource source, const ZoneRules& z, UnixSeconds now, Text reason) {
    CouponIssue is;
    is.template_id = t.id;
    is.source = source;
    is.valid_from = now;
    CivilDate today = z.local_date(now);
    if (t.validity.end_of_month) {
        is.valid_until = z.end_of_day(end_of_month(today));
    } else {
        int days = std::max(1, t.validity.days);  // the issue day counts as day 1
        is.valid_until = z.end_of_day(add_days(today, days - 1));
    }
    is.reason = std::move(reason);
    return is;
}

CouponState effective_state(const Coupon& c, UnixSeconds now) {
    if (c.state == CouponState::available && now > c.valid_until) return CouponState::expired;
    return c.state;
}

Result<Cents> coupon_discount(const Coupon& c, Cents order_amount, const std::string& store, UnixSeconds now) {
    switch (effective_state(c, now)) {
        case CouponState::used: return make_error(ErrorCode::coupon_used, "this coupon has already been used");
        case CouponState::voided: return make_error(ErrorCode::coupon_void, "this coupon has been cancelled");
        case CouponState::expired: return make_error(ErrorCode::coupon_expired, "this coupon has expired");
        case CouponState::available: break;
    }
    if (now < c.valid_from) return make_error(ErrorCode::coupon_not_yet_valid, "this coupon is not valid yet");
    const CouponTemplate& t = c.terms;
    // A money coupon needs a real order; a free item may be handed over on an order of 0.
    if (order_amount < 0 || (order_amount == 0 && t.kind != CouponKind::free_item))
        return make_error(ErrorCode::invalid_amount, "order amount must be greater than 0");
    if (!in_stores(t.stores, store))
        return make_error(ErrorCode::store_not_allowed, "this coupon cannot be used at store \"" + store + "\"");
    if (order_amount < t.min_spend)
        return make_error(ErrorCode::min_spend_not_met, "order amount " + format_money(order_amount, "en") +
                                                            " is below the minimum spend of " +
                                                            format_money(t.min_spend, "en"));
    Cents discount = 0;
    switch (t.kind) {
        case CouponKind::amount_off: discount = t.amount; break;
        case CouponKind::threshold:
            // 满X减Y: the order must reach X (exactly X qualifies).
            if (order_amount < t.threshold)
                return make_error(ErrorCode::min_spend_not_met, "order amount " + format_money(order_amount, "en") +
                                                                    " is below the threshold of " +
                                                                    format_money(t.threshold, "en"));
            discount = t.amount;
            break;
        case CouponKind::percent_off:
            // Rounded down to the fen, in the member's disfavour by less than one fen.
            discount = percent_of_floor(order_amount, std::clamp(t.percent_off, 0, 100));
            if (t.max_discount > 0) discount = std::min(discount, t.max_discount);
            break;
        case CouponKind::free_item: discount = 0; break;  // the item is handed over; no money off
    }
    return std::clamp<Cents>(discount, 0, order_amount);
}

Result<Coupon> use_coupon(const Coupon& c, Cents order_amount, const std::string& store, const std::string& txn_id,
                          UnixSeconds now) {
    // Replay of the same POS transaction: same answer, no second transition.
    if (c.state == CouponState::used && !txn_id.empty() && c.used_txn == txn_id) {
        if (c.used_order_amount == order_amount && c.used_store == store) return c;
        return make_error(ErrorCode::coupon_used,
                          "this coupon was already used by transaction \"" + txn_id + "\" with a different order");
    }
    auto d = coupon_discount(c, order_amount, store, now);
    if (!d) return d.error();
    Coupon u = c;
    u.state = CouponState::used;
    u.used_at = now;
    u.used_txn = txn_id;
    u.used_store = store;
    u.used_order_amount = order_amount;
    u.used_discount = *d;
    return u;
}

Result<Coupon> void_coupon(const Coupon& c, UnixSeconds now) {
    switch (effective_state(c, now)) {
        case CouponState::used: return make_error(ErrorCode::coupon_used, "a used coupon cannot be cancelled");
        case CouponState::voided: return make_error(ErrorCode::coupon_void, "this coupon is already cancelled");
        case CouponState::expired:
            return make_error(ErrorCode::coupon_expired, "an expired coupon cannot be cancelled");
        case CouponState::available: break;
    }
    Coupon v = c;
    v.state = CouponState::voided;
    return v;
}

Text coupon_title(const CouponTemplate& t) {
    switch (t.kind) {
        case CouponKind::amount_off:
            if (t.min_spend > 0)
                return {format_money(t.amount, "zh") + "代金券", format_money(t.amount, "en") + " off"};
            return {format_money(t.amount, "zh") + "无门槛券", format_money(t.amount, "en") + " off"};
        case CouponKind::threshold:
            return {"满" + plain_yuan(t.threshold) + "减" + plain_yuan(t.amount),
                    format_money(t.amount, "en") + " off orders of " + format_money(t.threshold, "en") + " or more"};
        case CouponKind::percent_off:
            if (t.percent_off >= 100) return {"免单", "100% off"};
            return {zhe(t.percent_off), std::to_string(t.percent_off) + "% off"};
        case CouponKind::free_item: return {"免费：" + t.item.zh, "Free: " + t.item.en};
    }
    return {};
}

Text coupon_conditions(const CouponTemplate& t) {
    std::vector<std::string> zh, en;
    if (t.min_spend > 0) {
        zh.push_back("满" + format_money(t.min_spend, "zh") + "可用");
        en.push_back("minimum spend " + format_money(t.min_spend, "en"));
    } else if (t.kind == CouponKind::amount_off || t.kind == CouponKind::percent_off) {
        zh.push_back("无门槛");
        en.push_back("no minimum spend");
    }
    if (t.kind == CouponKind::percent_off && t.max_discount > 0) {
        zh.push_back("最高优惠" + format_money(t.max_discount, "zh"));
        en.push_back("up to " + format_money(t.max_discount, "en") + " off");
    }
    if (!t.scope.zh.empty() || !t.scope.en.empty()) {
        zh.push_back("仅限" + t.scope.zh);
        en.push_back("valid on " + t.scope.en);
    }
    if (t.stores.empty()) {
        zh.push_back("全部门店可用");
        en.push_back("valid at all stores");
    } else {
        std::string zs, es;
        for (std::size_t i = 0; i < t.stores.size(); ++i) {
            zs += (i ? "、" : "") + t.stores[i];
            es += (i ? ", " : "") + t.stores[i];
        }
        zh.push_back("仅限门店：" + zs);
        en.push_back("only at store" + std::string(t.stores.size() > 1 ? "s " : " ") + es);
    }
    Text out;
    for (std::size_t i = 0; i < zh.size(); ++i) out.zh += (i ? "，" : "") + zh[i];
    for (std::size_t i = 0; i < en.size(); ++i) out.en += (i ? "; " : "") + en[i];
    if (!out.en.empty() && out.en[0] >= 'a' && out.en[0] <= 'z') out.en[0] = static_cast<char>(out.en[0] - 'a' + 'A');
    return out;
}

}  // namespace memberdesk
