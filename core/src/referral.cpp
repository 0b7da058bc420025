// Referral codes and links (referral.hpp); the reward decisions live with the ledger's (ledger.cpp).
#include "memberdesk/referral.hpp"

#include <cstring>

namespace memberdesk {

std::optional<std::string> normalize_referral_code(const std::string& typed) {
    std::string out;
    for (char c : typed) {
        if (c == ' ' || c == '-' || c == '\t') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c == '\0' || !std::strchr(kReferralAlphabet, c)) return std::nullopt;
        out.push_back(c);
        if (out.size() > kReferralCodeLength) return std::nullopt;
    }
    if (out.size() != kReferralCodeLength) return std::nullopt;
    return out;
}

std::string referral_url(const std::string& origin, const std::string& code) { return origin + "/?ref=" + code; }

int referral_month(const ZoneRules& z, UnixSeconds at) { return month_index(z.local_date(at)); }

MessageText referral_message_text(bool awarded, Points points, const std::string& locale,
                                  const std::string& program_name) {
    const std::string n = std::to_string(points);
    if (locale == "en") {
        const std::string t = awarded ? "A friend you invited made their first purchase: " + n +
                                            " points were added to your " + program_name + " account."
                                      : "Your friend's first purchase was refunded, so the " + n +
                                            " referral points were taken back from your " + program_name + " account.";
        return {t, t};
    }
    const std::string t = awarded
                              ? "您邀请的好友已完成首次消费，" + n + " 积分已存入您的" + program_name + "账户。"
                              : "您邀请的好友首次消费已退款，" + n + " 推荐积分已从您的" + program_name + "账户扣回。";
    return {t, t};
}

std::string referral_source_new_member() { return "referral"; }

std::string referral_source_referrer(std::int64_t new_member_id) { return "referral:" + std::to_string(new_member_id); }

}  // namespace memberdesk
