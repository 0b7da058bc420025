// One-time codes and member messages (domain.md §7), the pure part: the limits on sending and
// entering codes, and the texts of the messages. The server supplies the counts and the clock.
#pragma once
#include <optional>
#include <string>

#include "memberdesk/time.hpp"

namespace memberdesk {

struct CodeLimits {
    int lifetime_seconds = 10 * 60;
    int min_gap_seconds = 60;       // one code per phone per minute
    int per_phone_per_day = 5;      // within the last 24 h
    int per_address_per_hour = 20;  // within the last hour
    int max_wrong_tries = 5;        // then the code is void
};

// What the store counted when a code is asked for.
struct CodeHistory {
    std::optional<UnixSeconds> last_sent_at;  // the phone's newest code of this purpose
    int phone_last_day = 0;                   // codes of the phone (any purpose) in the last 24 h
    int address_last_hour = 0;                // codes asked for from this client address in the last hour
};

// Seconds the caller must wait before another code may be sent (0 = send now).
inline int code_wait_seconds(const CodeLimits& l, const CodeHistory& h, UnixSeconds now) {
    int wait = 0;
    if (h.last_sent_at && now - *h.last_sent_at < l.min_gap_seconds)
        wait = static_cast<int>(l.min_gap_seconds - (now - *h.last_sent_at));
    if (h.phone_last_day >= l.per_phone_per_day) wait = wait > 3600 ? wait : 3600;
    if (h.address_last_hour >= l.per_address_per_hour) wait = wait > 600 ? wait : 600;
    return wait;
}

// A code entered against the newest one of the phone: expired, used or tried too often is void.
inline bool code_usable(const CodeLimits& l, UnixSeconds expires_at, bool used, int tries, UnixSeconds now) {
    return !used && now < expires_at && tries < l.max_wrong_tries;
}

// The version of the terms and consent texts a member agrees to (recorded with each consent).
inline constexpr const char* kConsentTextVersion = "2026-01";

// Message templates. `locale` is "zh" or "en" (anything else: "zh", the program's language).
struct MessageText {
    std::string text;   // what goes to the phone
    std::string inbox;  // what the member's inbox shows: never a code
};
inline MessageText message_text(const std::string& template_id, const std::string& locale, const std::string& code,
                                const std::string& masked_phone, const std::string& program_name) {
    const bool en = locale == "en";
    if (template_id == "signup_code")
        return en ? MessageText{"Your " + program_name + " sign-up code is " + code + ". It is valid for 10 minutes.",
                                "A sign-up code was sent to " + masked_phone + "."}
                  : MessageText{"您的" + program_name + "注册验证码是 " + code + "，10 分钟内有效。",
                                "注册验证码已发送至 " + masked_phone + "。"};
    if (template_id == "signup_existing")
        return en ? MessageText{"You already have a " + program_name +
                                    " account with this phone. Forgot your PIN? Reset it on the sign-in page.",
                                "A note that this phone already has an account was sent to " + masked_phone + "."}
                  : MessageText{"此手机号已是" + program_name + "会员。忘记 PIN？请在登录页重置。",
                                "已向 " + masked_phone + " 发送“已有账户”提示。"};
    if (template_id == "pin_reset_code")
        return en ? MessageText{"Your " + program_name + " PIN reset code is " + code + ". It is valid for 10 minutes.",
                                "A PIN reset code was sent to " + masked_phone + "."}
                  : MessageText{"您的" + program_name + " PIN 重置验证码是 " + code + "，10 分钟内有效。",
                                "PIN 重置验证码已发送至 " + masked_phone + "。"};
    if (template_id == "pin_changed")
        return en ? MessageText{"Your " + program_name + " PIN was changed and every device was signed out.",
                                "Your PIN was changed and every device was signed out."}
                  : MessageText{"您的" + program_name + " PIN 已更改，所有设备均已退出登录。",
                                "您的 PIN 已更改，所有设备均已退出登录。"};
    if (template_id == "phone_change_code")
        return en ? MessageText{"Your " + program_name + " code to make this your phone number is " + code +
                                    ". It is valid for 10 minutes.",
                                "A code to change your phone number was sent to " + masked_phone + "."}
                  : MessageText{"您的" + program_name + "更换手机号验证码是 " + code + "，10 分钟内有效。",
                                "更换手机号验证码已发送至 " + masked_phone + "。"};
    if (template_id == "phone_changed")
        return en ? MessageText{"The phone number of your " + program_name + " account was changed to " + masked_phone +
                                    ". Not you? Contact a store.",
                                "Your phone number was changed to " + masked_phone + "."}
                  : MessageText{
                        "您的" + program_name + "账户手机号已更换为 " + masked_phone + "。如非本人操作，请联系门店。",
                        "您的手机号已更换为 " + masked_phone + "。"};
    if (template_id == "welcome")
        return en ? MessageText{"Welcome to " + program_name + "! Your welcome coupons are in the app.",
                                "Welcome to " + program_name + "! Your welcome coupons are in Coupons."}
                  : MessageText{"欢迎加入" + program_name + "！欢迎券已放入您的账户。",
                                "欢迎加入" + program_name + "！欢迎券已放入“优惠券”。"};
    return {template_id, template_id};
}

}  // namespace memberdesk
