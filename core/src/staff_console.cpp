#include "memberdesk/staff_console.hpp"

#include <algorithm>
#include <cctype>

#include "lenient_json.hpp"
#include "memberdesk/totp.hpp"
#include "memberdesk/utf8.hpp"

namespace memberdesk {

using nlohmann::json;

using lenient::number_or;
using lenient::opt_string;
using lenient::string_or_empty;

void from_json(const json& j, StaffSessionView& v) {
    v.id = j.at("id").get<std::int64_t>();
    v.username = j.at("username").get<std::string>();
    v.name = string_or_empty(j, "name");
    v.role = j.at("role").get<std::string>();
    v.store = opt_string(j, "store");
    v.region = opt_string(j, "region");
    v.expires_at = string_or_empty(j, "expires_at");
}

void from_json(const json& j, StaffMemberBrief& v) {
    v.id = j.at("id").get<std::int64_t>();
    v.name = string_or_empty(j, "name");
    v.phone = string_or_empty(j, "phone");
    v.tier = string_or_empty(j, "tier");
}

void from_json(const json& j, StaffMemberList& v) {
    v.members = j.at("members").get<std::vector<StaffMemberBrief>>();
    v.next_cursor = opt_string(j, "next_cursor");
}

void from_json(const json& j, StaffTierView& v) {
    v.id = string_or_empty(j, "id");
    if (auto it = j.find("name"); it != j.end() && it->is_object()) v.name = it->get<Text>();
    v.valid_until = opt_string(j, "valid_until");
    v.percent = number_or(j, "percent", 0);
}

void from_json(const json& j, StaffMemberView& v) {
    v.id = j.at("id").get<std::int64_t>();
    v.level = number_or(j, "level", 1);
    v.joined_at = string_or_empty(j, "joined_at");
    v.joined_store = opt_string(j, "joined_store");
    v.points = j.at("points").get<PointsView>();
    if (auto it = j.find("tier"); it != j.end() && it->is_object()) v.tier = it->get<StaffTierView>();
    if (auto it = j.find("coupons"); it != j.end() && it->is_object()) v.coupons = it->get<CouponCountsView>();
    v.purchases = number_or<std::int64_t>(j, "purchases", 0);
    v.name = opt_string(j, "name");
    v.phone = opt_string(j, "phone");
    v.segment = opt_string(j, "segment");
    v.birthday = opt_string(j, "birthday");
}

void from_json(const json& j, StaffRedeemView& v) {
    v.code = string_or_empty(j, "code");
    v.txn_id = string_or_empty(j, "txn_id");
    v.kind = string_or_empty(j, "kind");
    v.order_amount = number_or<Cents>(j, "order_amount", 0);
    v.discount = j.at("discount").get<Cents>();
    v.pay_amount = number_or<Cents>(j, "pay_amount", v.order_amount - v.discount);
    if (auto it = j.find("title"); it != j.end() && it->is_object()) v.title = it->get<Text>();
    if (auto it = j.find("item"); it != j.end() && it->is_object()) v.item = it->get<Text>();
    v.member_id = number_or<std::int64_t>(j, "member_id", 0);
}

void from_json(const json& j, StaffAdjustView& v) {
    v.member_id = number_or<std::int64_t>(j, "member_id", 0);
    v.points = j.at("points").get<PointsView>();
}

ScanKind classify_scan(std::string_view code) {
    if (code.size() < 4 || code.size() > 128) return ScanKind::none;
    const bool printable = std::all_of(code.begin(), code.end(), [](char c) { return c > ' ' && c <= '~'; });
    if (!printable) return ScanKind::none;
    // Member codes: "M" + 15 symbols (GET /me/card), or an offline card code; coupon codes are
    // letters and digits only, so a code with a '-' that is no card code is nothing.
    if (looks_like_card_code(code) && parse_card_code(code)) return ScanKind::member;
    if (code.size() == 16 && (code[0] == 'M' || code[0] == 'm')) return ScanKind::member;
    const bool alnum =
        std::all_of(code.begin(), code.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
    return alnum && code.size() <= 32 ? ScanKind::coupon : ScanKind::none;
}

std::optional<Cents> parse_yuan(std::string_view text) {
    std::string s;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' || c == ',') continue;
        // "¥" (U+00A5) or "￥" (U+FFE5) in front.
        if (s.empty() && text.substr(i, 2) == "\xC2\xA5") {
            ++i;
            continue;
        }
        if (s.empty() && text.substr(i, 3) == "\xEF\xBF\xA5") {
            i += 2;
            continue;
        }
        s += c;
    }
    if (s.empty()) return std::nullopt;
    Cents yuan = 0, fen = 0;
    std::size_t i = 0, int_digits = 0;
    for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i, ++int_digits) {
        if (int_digits >= 7) return std::nullopt;
        yuan = yuan * 10 + (s[i] - '0');
    }
    if (int_digits == 0) return std::nullopt;
    if (i < s.size()) {
        if (s[i] != '.') return std::nullopt;
        ++i;
        int decimals = 0;
        for (; i < s.size(); ++i, ++decimals) {
            if (!std::isdigit(static_cast<unsigned char>(s[i])) || decimals >= 2) return std::nullopt;
            fen = fen * 10 + (s[i] - '0');
        }
        if (decimals == 1) fen *= 10;
    }
    const Cents total = yuan * 100 + fen;
    if (total > 100000000) return std::nullopt;
    return total;
}

std::optional<Points> parse_goodwill(std::string_view text) {
    std::string_view t = text;
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    if (t.empty() || t.size() > 7) return std::nullopt;
    Points p = 0;
    for (char c : t) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        p = p * 10 + (c - '0');
    }
    if (p < 1 || p > 1000000) return std::nullopt;
    return p;
}

bool valid_staff_reason(std::string_view reason) {
    auto n = utf8_length(reason, Utf8Controls::reject);
    if (!n || *n < 1 || *n > 200) return false;
    return !std::all_of(reason.begin(), reason.end(), [](char c) { return c == ' '; });
}

std::string phone_digits(std::string_view text) {
    std::string out;
    for (char c : text)
        if (std::isdigit(static_cast<unsigned char>(c))) out += c;
    return out;
}

}  // namespace memberdesk
