#include "app/i18n.hpp"

#include <string>
#include <unordered_map>

namespace memberdesk::client {

// Every UI text, in English and Chinese. The CJK font subset is built from this table (plus the
// program presets and demo data), so a new Chinese string here gets its glyphs automatically.
static const std::vector<StringEntry> kStrings = {
    // App chrome.
    {"app.title", "Member Centre", "会员中心"},
    {"app.nav", "Main menu", "主菜单"},
    {"app.menu", "Menu", "菜单"},
    {"app.close_menu", "Close menu", "关闭菜单"},
    {"app.sign_out", "Sign out", "退出登录"},
    {"app.loading", "Loading…", "正在加载…"},
    {"nav.home", "Home", "首页"},
    {"nav.coupons", "Coupons", "优惠券"},
    {"nav.history", "History", "积分明细"},
    {"nav.rewards", "Rewards", "积分兑换"},
    {"nav.tiers", "Tiers & rules", "等级与规则"},
    {"nav.card", "Member card", "会员码"},
    {"nav.profile", "Profile & privacy", "个人资料与隐私"},
    {"nav.feedback", "Feedback", "意见反馈"},
    {"nav.settings", "Settings", "设置"},
    // Common.
    {"common.loading", "Loading…", "正在加载…"},
    {"common.refreshing", "Updating…", "正在更新…"},
    {"common.retrying", "Connection problem, trying again…", "网络不稳定，正在重试…"},
    {"app.main", "Main content", "主要内容"},
    {"common.server_busy", "The server is busy, retrying…", "服务器繁忙，正在重试…"},
    {"common.retry", "Try again", "重试"},
    {"common.cancel", "Cancel", "取消"},
    {"common.dismiss", "Close", "关闭"},
    {"common.points", "points", "积分"},
    {"common.points_short", "pts", "分"},
    // Sign in.
    {"signin.title", "Sign in", "登录"},
    {"signin.intro", "Sign in with the phone number and PIN of your membership.", "请使用会员手机号和密码登录。"},
    {"signin.phone", "Phone number", "手机号"},
    {"signin.phone_hint", "e.g. 13800000001", "例如 13800000001"},
    {"signin.pin", "PIN", "密码"},
    {"signin.submit", "Sign in", "登录"},
    {"signin.signing_in", "Signing in…", "正在登录…"},
    {"signin.session_ended", "Your session has ended. Please sign in again.", "登录已过期，请重新登录。"},
    {"signin.erased", "Your personal data has been erased. Thank you for having been a member.",
     "您的个人数据已删除。感谢您一直以来的支持。"},
    // Home.
    {"home.greeting", "Hello, {0}", "{0}，您好"},
    {"home.points", "Your points", "我的积分"},
    {"home.balance", "Points balance", "可用积分"},
    {"home.pending", "{0} more points become usable after the returns window.", "另有 {0} 积分将在退货期后可用。"},
    {"home.expiring", "{0} points expire on {1}. Use them before then.", "{0} 积分将于 {1} 过期，请尽快使用。"},
    {"home.nothing_expiring", "No points expire in the next 30 days.", "未来 30 天内没有积分过期。"},
    {"home.debt", "{0} points are owed from a refund and will be taken from your next earnings.",
     "因退款尚欠 {0} 积分，将从下次获得的积分中扣除。"},
    {"home.lifetime", "Earned in total: {0} points", "累计获得：{0} 积分"},
    {"home.go_rewards", "Redeem points", "兑换积分"},
    {"home.go_card", "Show member card", "出示会员码"},
    {"home.tier", "Your tier", "会员等级"},
    {"home.multiplier", "{0} points", "积分{0}"},
    {"home.tier_valid", "Tier held until {0}", "等级有效期至 {0}"},
    {"home.tier_progress", "Progress to {0}: {1}%", "升级至{0}进度：{1}%"},
    {"home.tier_next_spend", "Spend {0} more to reach {1}.", "再消费 {0} 即可升级为{1}。"},
    {"home.tier_top", "You are in our highest tier. Thank you!", "您已是最高等级会员，感谢支持！"},
    {"home.benefits", "Your benefits", "会员权益"},
    {"home.go_tiers", "All tiers and rules", "查看全部等级与规则"},
    {"home.coupons_available", "Coupons ready to use: {0}", "可用优惠券：{0} 张"},
    {"home.go_coupons", "Open coupons", "查看优惠券"},
    {"home.offers", "Offers for you", "为您推荐"},
    {"home.offer_open", "See reward", "查看奖励"},
    // Coupons.
    {"coupons.show", "Show", "显示"},
    {"coupons.tab.available", "Available ({0})", "可使用（{0}）"},
    {"coupons.tab.used", "Used ({0})", "已使用（{0}）"},
    {"coupons.tab.expired", "Expired ({0})", "已过期（{0}）"},
    {"coupons.state", "Status", "状态"},
    {"coupons.state.available", "Available", "可使用"},
    {"coupons.state.used", "Used", "已使用"},
    {"coupons.state.expired", "Expired", "已过期"},
    {"coupons.state.void", "Cancelled", "已作废"},
    {"coupons.valid_until", "Valid until {0}", "有效期至 {0}"},
    {"coupons.used_on", "Used on {0}, saved {1}", "{0} 已使用，节省 {1}"},
    {"coupons.code_is", "Code: {0}", "券码：{0}"},
    {"coupons.open", "Show code", "出示券码"},
    {"coupons.back", "← All coupons", "← 全部优惠券"},
    {"coupons.qr_alt", "QR code of coupon code {0}", "优惠券二维码，券码 {0}"},
    {"coupons.code", "Coupon code", "券码"},
    {"coupons.valid", "Valid", "有效期"},
    {"coupons.used_at", "Used at", "使用时间"},
    {"coupons.how", "Show this code at the till, or read the code out.", "结账时请出示此码，或告知店员券码。"},
    {"coupons.copy", "Copy code", "复制券码"},
    {"coupons.empty", "No coupons here.", "暂无优惠券。"},
    // History.
    {"history.show", "Show", "显示"},
    {"history.points", "Points", "积分记录"},
    {"history.redemptions", "Redemptions", "兑换记录"},
    {"history.chart", "Balance over time", "积分余额变化"},
    {"history.chart_alt", "Chart of your balance: {0} points on {1}, {2} points on {3} ({4} changes).",
     "积分余额图：{1} 为 {0} 积分，{3} 为 {2} 积分（共 {4} 次变动）。"},
    {"history.chart_empty", "No points history yet.", "暂无积分记录。"},
    {"history.filter", "Filter", "筛选"},
    {"history.type", "Type", "类型"},
    {"history.type.all", "All", "全部"},
    {"history.type.earn", "Earned", "消费获得"},
    {"history.type.bonus", "Bonus", "奖励积分"},
    {"history.type.redeem", "Redeemed", "兑换使用"},
    {"history.type.expire", "Expired", "过期"},
    {"history.type.clawback", "Refunds", "退款扣回"},
    {"history.type.adjust", "Adjustments", "人工调整"},
    {"history.type.debt_settle", "Refund settled", "抵扣欠分"},
    {"history.type.other", "Other", "其他"},
    {"history.from", "From (YYYY-MM-DD)", "开始日期（年-月-日）"},
    {"history.to", "To (YYYY-MM-DD)", "结束日期（年-月-日）"},
    {"history.date_error", "Please enter dates as YYYY-MM-DD, e.g. 2026-03-31.",
     "请按 年-月-日 格式输入日期，例如 2026-03-31。"},
    {"history.apply", "Apply", "应用"},
    {"history.clear", "Clear filter", "清除筛选"},
    {"history.balance_after", "Balance after: {0}", "变动后余额：{0}"},
    {"history.expires", "expires {0}", "{0} 过期"},
    {"history.empty", "Nothing matches this filter.", "没有符合条件的记录。"},
    {"history.more", "Show more", "加载更多"},
    {"history.redeemed_for", "Redeemed for {0} points", "使用 {0} 积分兑换"},
    {"history.redemption_coupon", "Coupon: {0} ({1})", "优惠券：{0}（{1}）"},
    {"history.no_redemptions", "You have not redeemed any rewards yet.", "您还没有兑换过奖励。"},
    // Rewards.
    {"rewards.balance", "You have {0} points", "您有 {0} 积分"},
    {"rewards.cost", "{0} points", "{0} 积分"},
    {"rewards.gives", "You get: {0}", "兑换得：{0}"},
    {"rewards.stock", "{0} left", "剩余 {0} 份"},
    {"rewards.out_of_stock", "Out of stock", "已兑完"},
    {"rewards.tier_needed", "For tier {0} and above", "{0}及以上等级可兑换"},
    {"rewards.need_more", "{0} more points needed", "还差 {0} 积分"},
    {"rewards.redeem", "Redeem", "兑换"},
    {"rewards.confirm_title", "Redeem this reward?", "确认兑换？"},
    {"rewards.confirm", "Redeem “{0}” for {1} points?", "使用 {1} 积分兑换“{0}”？"},
    {"rewards.confirm_after", "Your balance goes from {0} to {1} points.", "积分余额将从 {0} 变为 {1}。"},
    {"rewards.confirm_yes", "Yes, redeem", "确认兑换"},
    {"rewards.redeeming", "Redeeming…", "正在兑换…"},
    {"rewards.done_title", "Redeemed!", "兑换成功！"},
    {"rewards.done", "You redeemed “{0}” for {1} points. Your balance is now {2} points.",
     "您已使用 {1} 积分兑换“{0}”，当前余额 {2} 积分。"},
    {"rewards.done_coupon", "Your coupon “{0}” (code {1}) is in Coupons.", "优惠券“{0}”（券码 {1}）已放入优惠券。"},
    {"rewards.view_coupon", "View coupon", "查看优惠券"},
    {"rewards.empty", "No rewards are available right now.", "暂无可兑换的奖励。"},
    // Tiers.
    {"tiers.tiers", "Tiers", "会员等级"},
    {"tiers.yours", "Your tier", "当前等级"},
    {"tiers.multiplier", "Points {0}", "积分{0}"},
    {"tiers.cannot_redeem", "Points cannot be redeemed in this tier.", "此等级暂不可兑换积分。"},
    {"tiers.rules", "How the programme works", "积分规则"},
    // Card.
    {"card.qr_alt", "Your member QR code", "您的会员二维码"},
    {"card.how", "Show this code at the till or scan it at the kiosk.", "结账时出示此码，或在自助机扫码。"},
    {"card.code", "Member code", "会员码"},
    {"card.refresh_in", "The code refreshes in {0} s.", "会员码将在 {0} 秒后刷新。"},
    {"card.refreshing", "Getting a new code…", "正在获取新的会员码…"},
    {"card.expired", "This code has expired.", "此会员码已过期。"},
    {"card.refresh", "New code now", "立即刷新"},
    {"card.offline_ok", "This code is made on your phone: it works without a network connection.",
     "此码在您的手机上生成，无网络也可使用。"},
    // Profile & privacy.
    {"profile.details", "Your details", "个人资料"},
    {"profile.name", "Name", "姓名"},
    {"profile.phone", "Phone", "手机号"},
    {"profile.birthday", "Birthday", "生日"},
    {"profile.joined", "Member since", "入会时间"},
    {"profile.change", "To change your details, ask at any store.", "如需修改资料，请到任意门店办理。"},
    {"profile.privacy", "Privacy", "隐私"},
    {"profile.privacy_text",
     "We keep your points history to run the programme. You can take a copy of your data or have it erased.",
     "我们保存您的积分记录以提供会员服务。您可以下载个人数据副本，或要求删除。"},
    {"profile.export_title", "Download my data", "下载我的数据"},
    {"profile.export_text", "A JSON file with your profile, points, coupons and feedback.",
     "包含个人资料、积分、优惠券和反馈的 JSON 文件。"},
    {"profile.export", "Download my data", "下载我的数据"},
    {"profile.exporting", "Preparing…", "正在准备…"},
    {"profile.exported", "Your data was downloaded.", "数据已下载。"},
    {"profile.erase_title", "Delete my account", "注销账户"},
    {"profile.erase_text",
     "Erases your name, phone, PIN and birthday. Your points and coupons are lost. This cannot be undone.",
     "将删除您的姓名、手机号、密码和生日，积分和优惠券将作废，且无法恢复。"},
    {"profile.erase", "Delete my account…", "注销账户…"},
    {"profile.erasing", "Deleting…", "正在删除…"},
    {"profile.erase_q1_title", "Delete your account?", "确定注销账户？"},
    {"profile.erase_q1", "Your points and coupons will be lost.", "您的积分和优惠券将全部作废。"},
    {"profile.erase_continue", "Continue", "继续"},
    {"profile.erase_q2_title", "Are you sure?", "请再次确认"},
    {"profile.erase_q2", "This is final: your personal data is erased now and cannot be restored.",
     "此操作不可撤销：您的个人数据将立即删除且无法恢复。"},
    {"profile.erase_final", "Delete permanently", "永久删除"},
    {"profile.erase_keep", "Keep my account", "保留账户"},
    // Feedback.
    {"feedback.intro", "How was your last visit? Your answer helps us improve.",
     "您对最近一次消费满意吗？您的意见将帮助我们改进。"},
    {"feedback.rating", "Your rating", "您的评分"},
    {"feedback.star1", "{0} star", "{0} 星"},
    {"feedback.stars", "{0} stars", "{0} 星"},
    {"feedback.scale", "1 = very unhappy, 5 = very happy", "1 = 非常不满意，5 = 非常满意"},
    {"feedback.comment", "Comments (optional)", "意见建议（选填）"},
    {"feedback.send", "Send feedback", "提交反馈"},
    {"feedback.sending", "Sending…", "正在提交…"},
    {"feedback.thanks", "Thank you for your feedback!", "感谢您的反馈！"},
    {"feedback.points", "You earned {0} points for it.", "您获得了 {0} 积分。"},
    {"feedback.again", "Send more feedback", "继续反馈"},
    // Settings.
    {"settings.language", "Language", "语言"},
    {"settings.text_size", "Text size", "文字大小"},
    {"settings.size.small", "Small", "小"},
    {"settings.size.normal", "Normal", "标准"},
    {"settings.size.large", "Large", "大"},
    {"settings.size.xlarge", "Extra large", "特大"},
    {"settings.theme", "Appearance", "外观"},
    {"settings.theme.light", "Light", "浅色"},
    {"settings.theme.dark", "Dark", "深色"},
    {"settings.remembered", "Your choices are remembered on this device.", "设置将保存在此设备上。"},
    // Errors (API codes in words).
    {"error.network_error", "We couldn't reach the server. Check your connection and try again.",
     "无法连接服务器，请检查网络后重试。"},
    {"error.bad_response", "The server sent an answer we could not read. Please try again.",
     "服务器返回了无法识别的数据，请重试。"},
    {"error.invalid_credentials", "The phone number or PIN is not right.", "手机号或密码不正确。"},
    {"error.too_many_attempts", "Too many tries. Please wait 15 minutes and try again.",
     "尝试次数过多，请 15 分钟后再试。"},
    {"error.unauthorized", "Please sign in again.", "请重新登录。"},
    {"error.forbidden", "This can't be done from here.", "此处无法进行该操作。"},
    {"error.insufficient_points", "You don't have enough points for this reward.", "积分不足，无法兑换此奖励。"},
    {"error.out_of_stock", "Sorry, this reward has just run out.", "抱歉，该奖励已兑完。"},
    {"error.tier_not_allowed", "This reward is for a higher tier.", "该奖励仅限更高等级会员兑换。"},
    {"error.unknown_reward", "This reward is no longer offered.", "该奖励已下架。"},
    {"error.idempotency_conflict", "That request was already used for something else. Please try again.",
     "该请求已被使用，请重试。"},
    {"error.invalid_field", "Something in the form is not right. Please check and try again.",
     "填写内容有误，请检查后重试。"},
    {"error.invalid_json", "Something in the form is not right. Please check and try again.",
     "填写内容有误，请检查后重试。"},
    {"error.confirmation_required", "Please confirm first.", "请先确认。"},
    {"error.not_found", "We couldn't find that.", "未找到相关内容。"},
    {"error.member_not_found", "We couldn't find your membership.", "未找到您的会员信息。"},
    {"error.payload_too_large", "That is too long. Please shorten it.", "内容过长，请删减后重试。"},
    {"error.internal_error", "Something went wrong on our side. Please try again in a moment.",
     "系统出了点问题，请稍后重试。"},
    {"error.unavailable", "The service is busy. Please try again in a moment.", "服务繁忙，请稍后重试。"},
    {"error.server", "Something went wrong on our side. Please try again in a moment.", "系统出了点问题，请稍后重试。"},
    {"error.generic", "That didn't work. Please try again.", "操作未成功，请重试。"},
};

const std::vector<StringEntry>& string_table() { return kStrings; }

Lang lang_from_code(std::string_view c) { return c.size() >= 2 && c[0] == 'z' && c[1] == 'h' ? Lang::zh : Lang::en; }

const char* tr(Lang lang, std::string_view key) {
    static const std::unordered_map<std::string_view, const StringEntry*> index = [] {
        std::unordered_map<std::string_view, const StringEntry*> m;
        for (const auto& e : kStrings) m.emplace(e.key, &e);
        return m;
    }();
    auto it = index.find(key);
    if (it == index.end()) {
        static thread_local std::string missing;
        missing.assign(key);
        return missing.c_str();
    }
    return lang == Lang::zh ? it->second->zh : it->second->en;
}

std::string fmt(std::string_view pattern, const std::vector<std::string>& args) {
    std::string out;
    out.reserve(pattern.size() + 16);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' && pattern[i + 1] >= '0' &&
            pattern[i + 1] <= '9') {
            const std::size_t n = static_cast<std::size_t>(pattern[i + 1] - '0');
            if (n < args.size()) out += args[n];
            i += 2;
        } else {
            out += pattern[i];
        }
    }
    return out;
}

std::string error_text(Lang lang, int status, const std::string& code, const std::string& message) {
    const std::string key = "error." + code;
    const char* t = tr(lang, key);
    if (key != t) return t;
    if (status >= 500) return tr(lang, "error.server");
    // Unknown code: the server's own sentence (English) is better than nothing in English.
    if (lang == Lang::en && !message.empty()) return message;
    return tr(lang, "error.generic");
}

}  // namespace memberdesk::client
