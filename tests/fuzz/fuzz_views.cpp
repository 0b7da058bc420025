// libFuzzer: the JSON codecs of core/views (what the wasm client decodes from every API answer, and
// what the server encodes), plus zone_from_json.  Input: first byte picks the view type, the rest is
// JSON text.  Properties: no crash/UB; a decode either succeeds or throws nlohmann::json::exception
// (nothing else); a decoded value re-encodes, and encode(decode(encode(v))) == encode(v).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "memberdesk/views.hpp"

using namespace memberdesk;
using nlohmann::json;

namespace {

template <class T>
void check(const json& j, const char* name) {
    T v{};
    try {
        v = j.get<T>();
    } catch (const json::exception&) {
        return;  // rejected: fine
    }
    json once = v;
    T back{};
    try {
        back = once.get<T>();
    } catch (const json::exception& e) {
        std::fprintf(stderr, "%s: own encoding does not decode: %s\n%s\n", name, e.what(), once.dump().c_str());
        std::abort();
    }
    json twice = back;
    if (once != twice) {
        std::fprintf(stderr, "%s: codec does not round-trip\nfirst:  %s\nsecond: %s\n", name, once.dump().c_str(),
                     twice.dump().c_str());
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::uint8_t which = data[0];
    json j = json::parse(data + 1, data + size, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return 0;
    switch (which % 17) {
        case 0: check<ProfileView>(j, "ProfileView"); break;
        case 1: check<PointsView>(j, "PointsView"); break;
        case 2: check<NextTierView>(j, "NextTierView"); break;
        case 3: check<TierView>(j, "TierView"); break;
        case 4: check<CouponCountsView>(j, "CouponCountsView"); break;
        case 5: check<OfferView>(j, "OfferView"); break;
        case 6: check<MeView>(j, "MeView"); break;
        case 7: check<LedgerEntryView>(j, "LedgerEntryView"); break;
        case 8: check<LedgerPageView>(j, "LedgerPageView"); break;
        case 9: check<CouponView>(j, "CouponView"); break;
        case 10: check<RewardView>(j, "RewardView"); break;
        case 11: check<RedemptionView>(j, "RedemptionView"); break;
        case 12: check<RuleSection>(j, "RuleSection"); break;
        case 13: check<TierDefView>(j, "TierDefView"); break;
        case 14: check<ProgramView>(j, "ProgramView"); break;
        case 15: check<CardView>(j, "CardView"); break;
        case 16: {
            try {
                auto z = zone_from_json(j);
                if (z) {
                    json once = zone_to_json(*z);
                    auto again = zone_from_json(once);
                    if (!again || zone_to_json(*again) != once) {
                        std::fprintf(stderr, "zone_to_json does not round-trip: %s\n", once.dump().c_str());
                        std::abort();
                    }
                    // Conversions on the decoded zone must not crash either.
                    for (UnixSeconds t :
                         {UnixSeconds{0}, UnixSeconds{1700000000}, UnixSeconds{-2208988800}, UnixSeconds{4102444800}})
                        (void)z->offset_at(t);
                }
            } catch (const json::exception&) {}
            break;
        }
    }
    return 0;
}
