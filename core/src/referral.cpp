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

std::string referral_source_new_member() { return "referral"; }

std::string referral_source_referrer(std::int64_t new_member_id) { return "referral:" + std::to_string(new_member_id); }

}  // namespace memberdesk
