#include "kiosk/kiosk_i18n.hpp"

#include <unordered_map>

namespace memberdesk::client::kiosk {

// The kiosk's own texts, in English and Chinese (written for people standing at a counter: short
// sentences, plain words). The CJK font subset takes its glyphs from this file too.
static const std::vector<StringEntry> kKioskStrings = {
    {"kiosk.title", "Member self-service", "会员自助服务"},
    {"kiosk.welcome", "Welcome, members!", "欢迎光临！"},
    {"kiosk.scan", "Scan your member code here", "请在此扫描会员码"},
    {"kiosk.scan_how", "Open Member card in the member centre on your phone and hold the QR code to the scanner.",
     "在手机会员中心打开“会员码”，将二维码对准扫描器。"},
    {"kiosk.or", "or", "或"},
    {"kiosk.tap_sign_in", "Tap to sign in with phone and PIN", "点击使用手机号和密码登录"},
    {"kiosk.offers", "Current offers", "当前优惠"},
    {"kiosk.offer_n", "Offer {0} of {1}", "第 {0} 条，共 {1} 条"},
    {"kiosk.lang_title", "Language", "语言"},
    {"kiosk.not_set_up", "This kiosk is not set up yet. Staff: open /kiosk#key=<device key> once on this screen.",
     "本自助机尚未设置。店员：请在本机打开一次 /kiosk#key=<设备密钥>。"},
    // Keypad.
    {"kiosk.keypad_title", "Sign in", "登录"},
    {"kiosk.enter_phone", "Enter your phone number", "请输入手机号"},
    {"kiosk.enter_pin", "Enter your 6-digit PIN", "请输入 6 位密码"},
    {"kiosk.phone", "Phone number", "手机号"},
    {"kiosk.pin", "PIN", "密码"},
    {"kiosk.pin_typed", "{0} of 6 digits entered", "已输入 {0} / 6 位"},
    {"kiosk.key_back", "Delete", "删除"},
    {"kiosk.key_clear", "Clear", "清空"},
    {"kiosk.next", "Next", "下一步"},
    {"kiosk.sign_in", "Sign in", "登录"},
    {"kiosk.signing_in", "Signing in…", "正在登录…"},
    {"kiosk.cancel", "Cancel", "取消"},
    {"kiosk.change_phone", "Change phone number", "修改手机号"},
    {"kiosk.bad_code",
     "That code was not recognised or has expired. Refresh the member code on your phone and scan again.",
     "会员码无法识别或已过期。请在手机上刷新会员码后重新扫描。"},
    {"kiosk.device_key", "This kiosk is not allowed to sign members in. Please ask a member of staff.",
     "本自助机无权登录会员，请联系店员。"},
    // Join and PIN reset.
    {"kiosk.join", "New member? Join here", "新会员？在此注册"},
    {"kiosk.forgot", "Forgot your PIN?", "忘记密码？"},
    {"kiosk.join_title", "Join", "注册会员"},
    {"kiosk.reset_title", "Reset your PIN", "重置密码"},
    {"kiosk.send_code", "Send code", "发送验证码"},
    {"kiosk.sending", "Sending…", "正在发送…"},
    {"kiosk.code", "Code", "验证码"},
    {"kiosk.code_prompt", "Enter the 6-digit code we sent to {0}", "请输入发送至 {0} 的 6 位验证码"},
    {"kiosk.reset_code_prompt", "If {0} belongs to a membership, a 6-digit code is on its way. Enter it here.",
     "如果 {0} 是会员手机号，6 位验证码已发出，请在此输入。"},
    {"kiosk.resend", "Send a new code", "重新发送验证码"},
    {"kiosk.resend_in", "New code in {0} s", "{0} 秒后可重新发送"},
    {"kiosk.choose_pin", "Choose a 6-digit PIN", "设置 6 位数字密码"},
    {"kiosk.new_pin", "Enter a new 6-digit PIN", "请输入新的 6 位密码"},
    {"kiosk.about_you", "Your name and your choices", "姓名与授权选择"},
    {"kiosk.name", "Your name", "姓名"},
    {"kiosk.referral", "Invitation code from a friend (optional)", "好友邀请码（选填）"},
    {"kiosk.referral_hint", "Scan your friend's invitation QR code, or type the code",
     "扫描好友的邀请二维码，或输入邀请码"},
    {"kiosk.referral_noted", "Invitation code {0}: it is used when you join.", "邀请码 {0}：注册时将一并使用。"},
    {"kiosk.join_now", "Join", "注册"},
    {"kiosk.joining", "Please wait…", "请稍候…"},
    {"kiosk.set_pin", "Set new PIN", "设置新密码"},
    {"kiosk.reset_done", "Your PIN is changed. Sign in with it now.", "密码已修改，请使用新密码登录。"},
    {"kiosk.sign_in_now", "Sign in now", "立即登录"},
    {"kiosk.back", "Back", "返回"},
    // Member view.
    {"kiosk.hello", "Hello, {0}", "{0}，您好"},
    {"kiosk.phone_is", "Phone {0}", "手机 {0}"},
    {"kiosk.done", "Done", "完成"},
    {"kiosk.tab.overview", "My points", "我的积分"},
    {"kiosk.account", "Your account", "我的账户"},
    {"kiosk.sections", "Sections", "栏目"},
    {"kiosk.keys", "Number keys", "数字键"},
    {"kiosk.tab.coupons", "Coupons ({0})", "优惠券（{0}）"},
    {"kiosk.tab.rewards", "Rewards", "积分兑换"},
    {"kiosk.tab.history", "History", "积分明细"},
    {"kiosk.history.show", "Show", "显示"},
    {"kiosk.history.all", "All", "全部"},
    {"kiosk.history.earned", "Earned", "获得"},
    {"kiosk.history.spent", "Spent", "使用"},
    {"kiosk.history.expired", "Expired", "过期"},
    {"kiosk.history.redemptions", "Rewards redeemed", "兑换记录"},
    {"kiosk.history.redeemed", "Reward redeemed", "兑换礼品"},
    {"kiosk.history.store", "store {0}", "门店 {0}"},
    {"kiosk.history.pages", "Pages", "翻页"},
    {"kiosk.history.prev", "Previous", "上一页"},
    {"kiosk.history.next", "Next", "下一页"},
    {"kiosk.history.page", "Page {0}", "第 {0} 页"},
    {"kiosk.history.page_of", "Page {0} of {1}", "第 {0} 页，共 {1} 页"},
    {"kiosk.history.empty", "Nothing here yet.", "暂无记录。"},
    {"kiosk.history.no_redemptions", "No rewards redeemed yet.", "还没有兑换过礼品。"},
    {"kiosk.balance", "Points you can use", "可用积分"},
    {"kiosk.points_unit", "points", "积分"},
    {"kiosk.tier", "Tier: {0}", "等级：{0}"},
    {"kiosk.progress", "Progress to {0}", "升级至{0}"},
    {"kiosk.top_tier", "Highest tier reached. Thank you!", "您已是最高等级，感谢支持！"},
    {"kiosk.coupon_show", "Show large", "放大出示"},
    {"kiosk.coupon_hint", "Show this code to the cashier.", "请向收银员出示此码。"},
    {"kiosk.close", "Close", "关闭"},
    {"kiosk.no_coupons", "You have no coupons to use right now.", "您暂时没有可用的优惠券。"},
    {"kiosk.redeem_ok", "Redeemed! Your coupon is ready.", "兑换成功！优惠券已发放。"},
    {"kiosk.show_coupon", "Show the coupon", "出示优惠券"},
    {"kiosk.balance_now", "Your balance is now {0} points.", "当前积分余额 {0}。"},
    // Survey (the dimension names and the answers' texts are the portal's "feedback.*").
    {"kiosk.survey.open", "Rate your visit", "评价本次体验"},
    {"kiosk.survey.title", "How was your visit?", "您对本次到店满意吗？"},
    {"kiosk.survey.hint", "Tap 1 (very unhappy) to 5 (very happy) for each.",
     "每项请点 1（非常不满意）至 5（非常满意）。"},
    {"kiosk.survey.score", "{0} of 5", "{0} 分（满分 5 分）"},
    {"kiosk.survey.send", "Send", "提交"},
    {"kiosk.survey.cancel", "Back", "返回"},
    {"kiosk.survey.back", "Back to my account", "返回我的账户"},
    // Idle.
    {"kiosk.still_there", "Still there?", "您还在吗？"},
    {"kiosk.signing_out_in", "For your privacy you will be signed out in {0} seconds.",
     "为保护您的隐私，将在 {0} 秒后自动退出。"},
    {"kiosk.keep", "I'm still here", "我还在"},
    {"kiosk.sign_out_now", "Sign out now", "立即退出"},
    {"kiosk.signed_out", "You have been signed out. Thank you!", "您已退出，谢谢光临！"},
    {"kiosk.session_ended", "Your session has ended. Please sign in again.", "登录已结束，请重新登录。"},
};

const std::vector<StringEntry>& kiosk_string_table() { return kKioskStrings; }

const char* ktr(Lang lang, std::string_view key) {
    static const std::unordered_map<std::string_view, const StringEntry*> index = [] {
        std::unordered_map<std::string_view, const StringEntry*> m;
        for (const auto& e : kKioskStrings) m.emplace(e.key, &e);
        return m;
    }();
    auto it = index.find(key);
    if (it == index.end()) return client::tr(lang, key);  // shared portal texts ("rewards.cost", errors)
    return lang == Lang::zh ? it->second->zh : it->second->en;
}

}  // namespace memberdesk::client::kiosk
