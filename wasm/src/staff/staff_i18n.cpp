#include "staff/staff_i18n.hpp"

#include <unordered_map>

namespace memberdesk::client::staff {

// Written for staff at a counter PC: short labels, the words the store uses. The CJK font subset
// takes its glyphs from this file too (cmake/client_assets.cmake).
static const std::vector<StringEntry> kStaffStrings = {
    {"staff.title", "Staff console", "员工工作台"},
    {"staff.main", "Main content", "主要内容"},
    {"staff.sign_out", "Sign out", "退出登录"},
    {"staff.signin.title", "Staff sign-in", "员工登录"},
    {"staff.signin.intro", "Sign in with your staff account.", "请使用员工账号登录。"},
    {"staff.signin.username", "Username", "用户名"},
    {"staff.signin.password", "Password", "密码"},
    {"staff.signin.submit", "Sign in", "登录"},
    {"staff.signin.signing_in", "Signing in…", "正在登录…"},
    {"staff.signin.ended", "Your session has ended. Please sign in again.", "登录已失效，请重新登录。"},
    {"staff.signin.signed_out", "You have signed out.", "您已退出登录。"},
    {"staff.user", "Signed in as {0} · {1}", "当前用户：{0} · {1}"},
    {"staff.store", "Store {0}", "门店 {0}"},
    {"staff.region", "Region {0}", "区域 {0}"},
    {"staff.loading", "Loading…", "正在加载…"},
    {"staff.role.clerk", "Clerk", "店员"},
    {"staff.role.store_manager", "Store manager", "店长"},
    {"staff.role.region_manager", "Region manager", "区域经理"},
    {"staff.role.hq_admin", "Head office", "总部管理员"},
    {"staff.role.auditor", "Auditor", "审计员"},
    // Counter: find a member.
    {"staff.counter.title", "Counter", "柜台"},
    {"staff.find.title", "Find a member", "查找会员"},
    {"staff.find.scan", "Scan the member's card now, or type their full phone number.",
     "请扫描会员码，或输入完整手机号。"},
    {"staff.find.phone", "Phone number", "手机号"},
    {"staff.find.submit", "Find", "查找"},
    {"staff.find.searching", "Looking the member up…", "正在查找会员…"},
    {"staff.find.none", "No member with this phone number.", "没有使用此手机号的会员。"},
    {"staff.find.none_code", "No member with this code.", "找不到此会员码对应的会员。"},
    {"staff.find.scanned", "Member card scanned.", "已扫描会员码。"},
    {"staff.find.clear", "Next customer", "下一位顾客"},
    // Counter: the member.
    {"staff.member.title", "Member", "会员"},
    {"staff.member.id", "Member no. {0}", "会员编号 {0}"},
    {"staff.member.phone", "Phone", "手机号"},
    {"staff.member.tier", "Tier", "等级"},
    {"staff.member.balance", "Points", "积分"},
    {"staff.member.points_unit", "points", "积分"},
    {"staff.member.pending", "Pending points", "待生效积分"},
    {"staff.member.expiring", "Expiring soon", "即将过期"},
    {"staff.member.coupons", "Coupons available / used", "可用 / 已用优惠券"},
    {"staff.member.purchases", "Purchases", "消费次数"},
    {"staff.member.segment", "Segment", "会员分群"},
    {"staff.member.joined", "Joined", "入会日期"},
    {"staff.member.level", "Data level {0}: name and phone are masked.", "数据级别 {0}：姓名和手机号已隐藏部分内容。"},
    {"staff.member.level1", "Data level 1: points, tier, coupons and purchases only.",
     "数据级别 1：仅显示积分、等级、优惠券和消费次数。"},
    {"staff.member.detail_error", "The member's details can't be shown:", "无法显示该会员的详细信息："},
    {"staff.retry", "Try again", "重试"},
    {"staff.segment.new", "New member", "新会员"},
    {"staff.segment.core", "Core", "核心会员"},
    {"staff.segment.active", "Active", "活跃会员"},
    {"staff.segment.potential", "Potential", "潜力会员"},
    {"staff.segment.dormant", "Dormant", "沉睡会员"},
    {"staff.segment.churned", "Churned", "流失会员"},
    // Counter: coupon.
    {"staff.coupon.title", "Redeem a coupon", "核销优惠券"},
    {"staff.coupon.how", "Scan the coupon's code or type it, then enter the order amount.",
     "扫描或输入优惠券码，再输入订单金额。"},
    {"staff.coupon.code", "Coupon code", "优惠券码"},
    {"staff.coupon.amount", "Order amount (¥)", "订单金额（元）"},
    {"staff.coupon.amount_hint", "e.g. 128.00", "例如 128.00"},
    {"staff.coupon.amount_bad", "Enter the order amount in yuan, e.g. 128.50.", "请输入订单金额（元），例如 128.50。"},
    {"staff.coupon.submit", "Redeem", "核销"},
    {"staff.coupon.redeeming", "Redeeming…", "正在核销…"},
    {"staff.coupon.done", "Coupon redeemed: {0}", "优惠券已核销：{0}"},
    {"staff.coupon.discount", "Discount", "优惠金额"},
    {"staff.coupon.pay", "To pay", "应付金额"},
    {"staff.coupon.order", "Order amount", "订单金额"},
    {"staff.coupon.item", "Hand over: {0}", "请交付：{0}"},
    // Counter: goodwill points.
    {"staff.goodwill.title", "Goodwill points", "赠送积分"},
    {"staff.goodwill.how", "Points given to this member, with the reason. Your role's daily limit applies.",
     "为该会员赠送积分并填写原因，受您角色的每日额度限制。"},
    {"staff.goodwill.need_member", "Find a member first.", "请先查找会员。"},
    {"staff.goodwill.points", "Points", "积分"},
    {"staff.goodwill.reason", "Reason", "原因"},
    {"staff.goodwill.reason_hint", "e.g. drink remade late", "例如：饮品制作延误"},
    {"staff.goodwill.submit", "Give points", "赠送积分"},
    {"staff.goodwill.giving", "Giving points…", "正在赠送…"},
    {"staff.goodwill.done", "{0} points given. Balance now {1} points.", "已赠送 {0} 积分，当前余额 {1} 积分。"},
    {"staff.goodwill.bad", "Enter whole points (1 or more) and a reason.", "请输入积分（正整数）并填写原因。"},
    // API errors as staff meet them.
    {"staff.error.invalid_credentials", "The username or password is not right.", "用户名或密码不正确。"},
    {"staff.error.too_many_attempts", "Too many failed sign-ins. Wait 15 minutes and try again.",
     "登录失败次数过多，请 15 分钟后再试。"},
    {"staff.error.member_not_found", "This member is not one of your store's members (or does not exist).",
     "该会员不属于您的门店（或不存在）。"},
    {"staff.error.invalid_member_code",
     "The member code is unknown or has expired. Ask the member to refresh their card and scan again.",
     "会员码无法识别或已过期，请会员刷新会员码后重新扫描。"},
    {"staff.error.limit_exceeded", "That is over your role's daily goodwill limit.",
     "已超过您角色的每日赠送积分额度。"},
    {"staff.error.forbidden", "Your role can't do this.", "您的角色无权进行此操作。"},
    {"staff.error.invalid_reason", "Please give a reason (up to 200 characters).", "请填写原因（最多 200 字）。"},
    {"staff.error.coupon_not_found", "No coupon with this code.", "没有此优惠券码。"},
    {"staff.error.coupon_used", "This coupon has already been used.", "该优惠券已使用。"},
    {"staff.error.coupon_expired", "This coupon has expired.", "该优惠券已过期。"},
    {"staff.error.coupon_void", "This coupon has been voided.", "该优惠券已作废。"},
    {"staff.error.coupon_not_yet_valid", "This coupon can't be used yet.", "该优惠券尚未生效。"},
    {"staff.error.min_spend_not_met", "The order doesn't reach this coupon's minimum spend.",
     "订单金额未达到该优惠券的最低消费。"},
    {"staff.error.store_not_allowed", "This coupon can't be used at this store.", "该优惠券不能在本店使用。"},
    {"staff.error.store_mismatch", "This account acts for its own store only.", "此账号只能为本门店操作。"},
    {"staff.error.invalid_store", "This account has no store: it can't redeem at the counter.",
     "此账号未关联门店，无法在柜台核销。"},
    {"staff.error.insufficient_points", "The member doesn't have enough points.", "会员积分不足。"},
    {"staff.error.unauthorized", "Please sign in again.", "请重新登录。"},
};

const std::vector<StringEntry>& staff_string_table() { return kStaffStrings; }

const char* str(Lang lang, std::string_view key) {
    static const std::unordered_map<std::string_view, const StringEntry*> index = [] {
        std::unordered_map<std::string_view, const StringEntry*> m;
        for (const auto& e : kStaffStrings) m.emplace(e.key, &e);
        return m;
    }();
    auto it = index.find(key);
    if (it == index.end()) return client::tr(lang, key);  // shared portal texts (generic API errors)
    return lang == Lang::zh ? it->second->zh : it->second->en;
}

std::string staff_error(Lang lang, const ApiError& e) {
    const std::string key = "staff.error." + e.code;
    const char* t = str(lang, key);
    if (key == t) return error_text(lang, e.status, e.code, e.message);
    std::string out = t;
    if (e.code == "limit_exceeded" && lang == Lang::en && !e.message.empty()) out += " (" + e.message + ")";
    return out;
}

std::string role_name(Lang lang, const std::string& role) {
    const std::string key = "staff.role." + role;
    const char* t = str(lang, key);
    return key == t ? role : std::string(t);
}

}  // namespace memberdesk::client::staff
