// Referral codes and links (referral.hpp); the reward decisions live with the ledger's (ledger.cpp).
#include "memberdesk/referral.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

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

namespace {

constexpr const char* kBlank = " \t\r\n";

// The first `ref=` query parameter (after '?' or '&') at or after `from`: where its value starts and
// ends; nullopt if none.
std::optional<std::pair<std::size_t, std::size_t>> ref_param(const std::string& s, std::size_t from) {
    for (std::size_t at = s.find("ref=", from); at != std::string::npos; at = s.find("ref=", at + 1)) {
        if (at == 0 || (s[at - 1] != '?' && s[at - 1] != '&')) continue;
        const std::size_t end = std::min(s.find_first_of("&# \t\r\n", at + 4), s.size());
        return std::pair{at + 4, end};
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> referral_code_from_scan(const std::string& text) {
    const std::size_t first = text.find_first_not_of(kBlank);
    if (first == std::string::npos) return std::nullopt;
    const std::string t = text.substr(first, text.find_last_not_of(kBlank) - first + 1);
    if (auto c = normalize_referral_code(t)) return c;
    const auto v = ref_param(t, 0);
    if (!v) return std::nullopt;
    return normalize_referral_code(t.substr(v->first, v->second - v->first));
}

std::optional<std::string> take_referral_link(std::string& text) {
    for (auto v = ref_param(text, 0); v; v = ref_param(text, v->second)) {
        auto code = normalize_referral_code(text.substr(v->first, v->second - v->first));
        if (!code) continue;
        // The link starts at its scheme (a scanner types it straight after the name, without a
        // space) or else at the start of its word; it ends at the end of its word.
        const std::size_t word = text.find_last_of(kBlank, v->first);
        std::size_t start = word == std::string::npos ? 0 : word + 1;
        for (const char* scheme : {"https://", "http://"}) {
            const std::size_t s = text.rfind(scheme, v->first);
            if (s != std::string::npos && s > start) start = s;
        }
        const std::size_t end = std::min(text.find_first_of(kBlank, v->second), text.size());
        text.erase(start, end - start);
        if (start > 0 && start < text.size() && text[start - 1] == ' ' && text[start] == ' ') text.erase(start, 1);
        const std::size_t first = text.find_first_not_of(kBlank);
        text =
            first == std::string::npos ? std::string() : text.substr(first, text.find_last_not_of(kBlank) - first + 1);
        return code;
    }
    return std::nullopt;
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
