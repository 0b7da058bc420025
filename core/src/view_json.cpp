// dump_view: the JSON text of the busiest views written straight into a string. Byte for byte what
// nlohmann::json(view).dump() gives -- keys in the sorted order nlohmann's objects keep, the same
// escapes -- so the codecs in views.cpp stay the definition (tests/core/view_json_test.cpp checks
// the two agree).
#include <charconv>
#include <cstdint>
#include <cstring>

#include "memberdesk/utf8.hpp"
#include "memberdesk/views.hpp"

namespace memberdesk {

namespace {

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
    // Runs of bytes that need no escape are appended in one go.
    void str(std::string_view v) {
        s.push_back('"');
        std::size_t run = 0;  // start of the pending run of plain bytes
        const std::size_t n = v.size();
        for (std::size_t i = 0; i < n;) {
            // Eight plain ASCII bytes at a time: none >= 0x80, < 0x20, '"' or '\\'.
            while (i + 8 <= n) {
                std::uint64_t x;
                std::memcpy(&x, v.data() + i, 8);
                constexpr std::uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
                const std::uint64_t quote = x ^ (ones * '"'), slash = x ^ (ones * '\\');
                const std::uint64_t special = (x - ones * 0x20) | (quote - ones) | (slash - ones);
                if (((special & ~x) | x) & high) break;
                i += 8;
            }
            if (i >= n) break;
            const unsigned char c = static_cast<unsigned char>(v[i]);
            if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
                ++i;
                continue;
            }
            if (c >= 0x80) {
                // Three-byte sequences without the E0 / ED special cases (most CJK) checked here.
                if (((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) && i + 2 < n &&
                    (static_cast<unsigned char>(v[i + 1]) & 0xC0) == 0x80 &&
                    (static_cast<unsigned char>(v[i + 2]) & 0xC0) == 0x80) {
                    i += 3;
                    continue;
                }
                const std::size_t len = utf8_sequence_length(v, i);
                if (len == 0) {
                    valid = false;
                    return;
                }
                i += len;
                continue;
            }
            s.append(v, run, i - run);
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
                    s.push_back(hex[c >> 4]);
                    s.push_back(hex[c & 0xF]);
                }
            }
            run = ++i;
        }
        s.append(v, run, n - run);
        s.push_back('"');
    }
    void text(const Text& t) {
        raw("{\"en\":");
        str(t.en);
        raw(",\"zh\":");
        str(t.zh);
        raw("}");
    }
    // `head` is the punctuation and quoted key before the value: "{\"id\":" or ",\"name\":".
    void field(const char* head, std::int64_t v) { raw(head), num(v); }
    void field(const char* head, const std::string& v) { raw(head), str(v); }
    void field(const char* head, std::string_view v) { raw(head), str(v); }
    void instant(const char* head, UnixSeconds t) {
        char b[20];
        raw(head);
        if (format_rfc3339_to(t, b)) {
            s.push_back('"');
            s.append(b, sizeof b);
            s.push_back('"');
        } else {
            str(format_rfc3339(t));
        }
    }
    void field(const char* head, const Text& v) { raw(head), text(v); }
    void field(const char* head, const std::optional<std::string>& v) {
        if (v) field(head, *v);
    }
};

void write(Out& o, const ProfileView& v) {
    o.raw("{");
    if (v.birthday) {
        o.field("\"birthday\":", *v.birthday);
        o.raw(",");
    }
    o.field("\"id\":", v.id);
    o.field(",\"joined_at\":", v.joined_at);
    o.field(",\"name\":", v.name);
    o.field(",\"phone_masked\":", v.phone_masked);
    o.raw("}");
}

void write(Out& o, const PointsView& v) {
    o.field("{\"balance\":", v.balance);
    o.field(",\"debt\":", v.debt);
    o.field(",\"expiring_soon\":", v.expiring_soon);
    o.field(",\"lifetime_earned\":", v.lifetime_earned);
    o.field(",\"next_expiry\":", v.next_expiry);
    o.field(",\"pending\":", v.pending);
    o.raw("}");
}

void write(Out& o, const NextTierView& v) {
    o.field("{\"id\":", v.id);
    o.field(",\"name\":", v.name);
    o.field(",\"remaining_months\":", v.remaining_months);
    o.field(",\"remaining_spend\":", v.remaining_spend);
    o.field(",\"requirement\":", v.requirement);
    o.raw("}");
}

void write(Out& o, const TierView& v) {
    o.raw("{\"benefits\":[");
    for (std::size_t i = 0; i < v.benefits.size(); ++i) o.field(i ? "," : "", v.benefits[i]);
    o.field("],\"id\":", v.id);
    o.field(",\"keep_requirement\":", v.keep_requirement);
    o.field(",\"multiplier_percent\":", v.multiplier_percent);
    o.field(",\"name\":", v.name);
    if (v.next) {
        o.raw(",\"next\":");
        write(o, *v.next);
    }
    o.field(",\"percent\":", v.percent);
    o.field(",\"valid_until\":", v.valid_until);
    o.raw("}");
}

void write(Out& o, const CouponCountsView& v) {
    o.field("{\"available\":", v.available);
    o.field(",\"expired\":", v.expired);
    o.field(",\"used\":", v.used);
    o.field(",\"voided\":", v.voided);
    o.raw("}");
}

void write(Out& o, const OfferView& v) {
    o.field("{\"body\":", v.body);
    o.field(",\"id\":", v.id);
    o.field(",\"reward_id\":", v.reward_id);
    o.field(",\"title\":", v.title);
    o.raw("}");
}

void write(Out& o, const LedgerEntryView& v) {
    o.field("{\"balance_after\":", v.balance_after);
    o.field(",\"created_at\":", v.created_at);
    o.field(",\"expires_at\":", v.expires_at);
    o.field(",\"id\":", v.id);
    o.field(",\"points\":", v.points);
    o.field(",\"reason\":", v.reason);
    o.field(",\"store\":", v.store);
    o.field(",\"type\":", v.type);
    o.raw("}");
}

// As write(o, build_ledger_entry_view(e)), without the view's strings.
void write_entry(Out& o, const LedgerEntry& e) {
    o.field("{\"balance_after\":", e.balance_after);
    o.instant(",\"created_at\":", e.created_at);
    if (e.expires_at) o.instant(",\"expires_at\":", *e.expires_at);
    o.field(",\"id\":", e.id);
    o.field(",\"points\":", e.points);
    o.field(",\"reason\":", e.reason);
    o.field(",\"store\":", e.store);
    o.field(",\"type\":", std::string_view(to_string(e.type)));
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
    o.field(",\"next_cursor\":", v.next_cursor);
    o.raw("}");
    return finish(o);
}

std::optional<std::string> dump_ledger_page(const std::vector<LedgerEntry>& entries,
                                            const std::optional<std::string>& next_cursor) {
    Out o;
    o.s.reserve(64 + 320 * entries.size());
    o.raw("{\"entries\":[");
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i) o.raw(",");
        write_entry(o, entries[i]);
    }
    o.raw("]");
    o.field(",\"next_cursor\":", next_cursor);
    o.raw("}");
    return finish(o);
}

}  // namespace memberdesk
