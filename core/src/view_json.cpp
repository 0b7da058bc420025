// dump_view: the JSON text of the busiest views written straight into a string. Byte for byte what
// nlohmann::json(view).dump() gives -- keys in the sorted order nlohmann's objects keep, the same
// escapes -- so the codecs in views.cpp stay the definition (tests/core/view_json_test.cpp checks
// the two agree).
#include <charconv>

#include "memberdesk/views.hpp"

namespace memberdesk {

namespace {

// Length of the valid UTF-8 sequence at s[i] (RFC 3629: no overlongs, surrogates or > U+10FFFF),
// 0 if there is none.
std::size_t utf8_length(const std::string& s, std::size_t i) {
    auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
    auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) { return at(k) >= lo && at(k) <= hi; };
    const unsigned c = at(0);
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

class Out {
public:
    std::string s;
    bool valid = true;  // false once a string was not valid UTF-8

    void raw(const char* x) { s.append(x); }
    void num(std::int64_t v) {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        s.append(buf, r.ptr);
    }
    // As nlohmann's dump with ensure_ascii = false: UTF-8 as is; ", \ and control characters escaped.
    void str(const std::string& v) {
        s.push_back('"');
        for (std::size_t i = 0; i < v.size();) {
            const std::size_t n = utf8_length(v, i);
            if (n == 0) {
                valid = false;
                return;
            }
            const char c = v[i];
            if (n == 1 && (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\')) {
                switch (c) {
                    case '"': s.append("\\\""); break;
                    case '\\': s.append("\\\\"); break;
                    case '\b': s.append("\\b"); break;
                    case '\f': s.append("\\f"); break;
                    case '\n': s.append("\\n"); break;
                    case '\r': s.append("\\r"); break;
                    case '\t': s.append("\\t"); break;
                    default: {
                        static const char hex[] = "0123456789abcdef";
                        s.append("\\u00");
                        s.push_back(hex[(c >> 4) & 0xF]);
                        s.push_back(hex[c & 0xF]);
                    }
                }
            } else {
                s.append(v, i, n);
            }
            i += n;
        }
        s.push_back('"');
    }
    void text(const Text& t) {
        raw("{\"en\":");
        str(t.en);
        raw(",\"zh\":");
        str(t.zh);
        raw("}");
    }
};

void write(Out& o, const ProfileView& v) {
    o.raw("{");
    if (v.birthday) {
        o.raw("\"birthday\":");
        o.str(*v.birthday);
        o.raw(",");
    }
    o.raw("\"id\":");
    o.num(v.id);
    o.raw(",\"joined_at\":");
    o.str(v.joined_at);
    o.raw(",\"name\":");
    o.str(v.name);
    o.raw(",\"phone_masked\":");
    o.str(v.phone_masked);
    o.raw("}");
}

void write(Out& o, const PointsView& v) {
    o.raw("{\"balance\":");
    o.num(v.balance);
    o.raw(",\"debt\":");
    o.num(v.debt);
    o.raw(",\"expiring_soon\":");
    o.num(v.expiring_soon);
    o.raw(",\"lifetime_earned\":");
    o.num(v.lifetime_earned);
    if (v.next_expiry) {
        o.raw(",\"next_expiry\":");
        o.str(*v.next_expiry);
    }
    o.raw(",\"pending\":");
    o.num(v.pending);
    o.raw("}");
}

void write(Out& o, const NextTierView& v) {
    o.raw("{\"id\":");
    o.str(v.id);
    o.raw(",\"name\":");
    o.text(v.name);
    o.raw(",\"remaining_months\":");
    o.num(v.remaining_months);
    o.raw(",\"remaining_spend\":");
    o.num(v.remaining_spend);
    o.raw(",\"requirement\":");
    o.text(v.requirement);
    o.raw("}");
}

void write(Out& o, const TierView& v) {
    o.raw("{\"benefits\":[");
    for (std::size_t i = 0; i < v.benefits.size(); ++i) {
        if (i) o.raw(",");
        o.text(v.benefits[i]);
    }
    o.raw("],\"id\":");
    o.str(v.id);
    o.raw(",\"keep_requirement\":");
    o.text(v.keep_requirement);
    o.raw(",\"multiplier_percent\":");
    o.num(v.multiplier_percent);
    o.raw(",\"name\":");
    o.text(v.name);
    if (v.next) {
        o.raw(",\"next\":");
        write(o, *v.next);
    }
    o.raw(",\"percent\":");
    o.num(v.percent);
    if (v.valid_until) {
        o.raw(",\"valid_until\":");
        o.str(*v.valid_until);
    }
    o.raw("}");
}

void write(Out& o, const CouponCountsView& v) {
    o.raw("{\"available\":");
    o.num(v.available);
    o.raw(",\"expired\":");
    o.num(v.expired);
    o.raw(",\"used\":");
    o.num(v.used);
    o.raw(",\"voided\":");
    o.num(v.voided);
    o.raw("}");
}

void write(Out& o, const OfferView& v) {
    o.raw("{\"body\":");
    o.text(v.body);
    o.raw(",\"id\":");
    o.str(v.id);
    o.raw(",\"reward_id\":");
    o.str(v.reward_id);
    o.raw(",\"title\":");
    o.text(v.title);
    o.raw("}");
}

void write(Out& o, const LedgerEntryView& v) {
    o.raw("{\"balance_after\":");
    o.num(v.balance_after);
    o.raw(",\"created_at\":");
    o.str(v.created_at);
    if (v.expires_at) {
        o.raw(",\"expires_at\":");
        o.str(*v.expires_at);
    }
    o.raw(",\"id\":");
    o.num(v.id);
    o.raw(",\"points\":");
    o.num(v.points);
    o.raw(",\"reason\":");
    o.text(v.reason);
    o.raw(",\"store\":");
    o.str(v.store);
    o.raw(",\"type\":");
    o.str(v.type);
    o.raw("}");
}

std::optional<std::string> finish(Out& o) {
    if (!o.valid) return std::nullopt;
    return std::move(o.s);
}

}  // namespace

std::optional<std::string> dump_view(const MeView& v) {
    Out o;
    o.s.reserve(1536);
    o.raw("{\"coupons\":");
    write(o, v.coupons);
    o.raw(",\"offers\":[");
    for (std::size_t i = 0; i < v.offers.size(); ++i) {
        if (i) o.raw(",");
        write(o, v.offers[i]);
    }
    o.raw("],\"points\":");
    write(o, v.points);
    o.raw(",\"profile\":");
    write(o, v.profile);
    o.raw(",\"tier\":");
    write(o, v.tier);
    o.raw("}");
    return finish(o);
}

std::optional<std::string> dump_view(const LedgerPageView& v) {
    Out o;
    o.s.reserve(64 + 320 * v.entries.size());
    o.raw("{\"entries\":[");
    for (std::size_t i = 0; i < v.entries.size(); ++i) {
        if (i) o.raw(",");
        write(o, v.entries[i]);
    }
    o.raw("]");
    if (v.next_cursor) {
        o.raw(",\"next_cursor\":");
        o.str(*v.next_cursor);
    }
    o.raw("}");
    return finish(o);
}

}  // namespace memberdesk
