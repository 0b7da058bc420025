// Property test of the per-member activity row (storage's member_activity): over random purchase
// histories (some back-dated up to two years, partial and full refunds, time steps from hours to a
// year, now and then a clock set back) on the programs and zones of the snapshot property test, the
// row folded after every write equals the row computed from all purchases, and the segment computed
// from the row equals segment_of on the full state whenever no purchase is after now.
#include <algorithm>
#include <cstdint>
#include <random>
#include <sstream>

#include "fixtures.hpp"
#include "memberdesk/presets.hpp"
#include "memberdesk/segments.hpp"
#include "test_rng.hpp"

using namespace memberdesk;

namespace segment_activity_test {

namespace {

using mdtest::Rng;

std::string activity_text(const MemberActivity& a) {
    std::ostringstream o;
    o << "last " << (a.last_spend_at ? format_rfc3339(*a.last_spend_at) : "-") << " month " << a.month << " net "
      << a.net[0] << "/" << a.net[1] << "/" << a.net[2] << " lifetime " << a.lifetime_net << " purchases "
      << a.purchases;
    return o.str();
}

struct Stats {
    std::int64_t writes = 0, refolds = 0, compared = 0;
    std::int64_t by_segment[kSegmentCount] = {};
};

void run(const ProgramConfig& p, const ZoneRules& z, std::uint32_t seeds, int steps, Stats& st) {
    for (std::uint32_t seed = 1; seed <= seeds; ++seed) {
        Rng rng(seed * 7919u + static_cast<std::uint32_t>(p.id.size()));
        MemberState full;  // segment_of reads joined_at and the purchases
        UnixSeconds now = mdtest::at("2024-01-15T10:00:00Z") + rng.range(0, 86400 * 60);
        full.joined_at = now - (rng.chance(30) ? 0 : rng.range(0, 86400 * 400));
        MemberActivity row;
        std::string trail;
        int txn = 0;
        for (int i = 0; i < steps; ++i) {
            const auto op = rng.below(100);
            if (op < 45) {
                Purchase pu;
                pu.txn_id = "T" + std::to_string(++txn);
                pu.amount = rng.chance(5) ? 0 : rng.range(1, 40000);
                pu.at = rng.chance(20) ? now - rng.range(0, 86400 * 730) : now;
                pu.store = "S1";
                trail += "buy " + std::to_string(pu.amount) + " @" + format_rfc3339(pu.at) + "\n";
                if (!fold_purchase(row, z, std::nullopt, pu)) FAIL("a new purchase always folds\n" << trail);
                full.purchases.push_back(pu);
            } else if (op < 65 && !full.purchases.empty()) {
                auto& pu = full.purchases[rng.below(static_cast<std::uint32_t>(full.purchases.size()))];
                const Purchase old = pu;
                const Cents left = pu.amount - pu.refunded;
                pu.refunded += rng.chance(40) ? left : rng.range(0, left);
                trail += "refund " + pu.txn_id + " to " + std::to_string(pu.refunded) + "\n";
                if (!fold_purchase(row, z, old, pu)) {
                    ++st.refolds;
                    row = activity_of(z, full.purchases);
                }
            } else if (op < 95) {
                now += rng.chance(70) ? rng.range(3600, 86400 * 20) : rng.range(86400 * 20, 86400 * 370);
                trail += "time " + format_rfc3339(now) + "\n";
            } else {
                now -= rng.range(3600, 86400 * 90);
                trail += "clock back " + format_rfc3339(now) + "\n";
            }
            ++st.writes;
            const MemberActivity fresh = activity_of(z, full.purchases);
            if (row != fresh)
                FAIL("the folded row differs from the purchases':\n folded " << activity_text(row) << "\n fresh  "
                                                                             << activity_text(fresh) << "\n"
                                                                             << trail);
            const bool none_later = std::none_of(full.purchases.begin(), full.purchases.end(),
                                                 [&](const Purchase& x) { return x.at > now; });
            if (!none_later) continue;
            const Segment want = segment_of(p, z, full, now);
            const Segment got = segment_of_activity(p.segments, z, full.joined_at, row, now);
            if (want != got)
                FAIL("segment from the row " << to_string(got) << ", from the state " << to_string(want) << " @"
                                             << format_rfc3339(now) << "\n"
                                             << activity_text(row) << "\n"
                                             << trail);
            ++st.compared;
            ++st.by_segment[static_cast<int>(want)];
        }
    }
}

ProgramConfig preset(const char* name) {
    auto p = load_preset(name);
    if (!p) FAIL("preset " << name << ": " << p.error().message);
    return *p;
}

}  // namespace

TEST_CASE("the activity row folded after every purchase and refund gives the segment the whole history gives") {
    Stats st;
    run(mdtest::coffee(), mdtest::shanghai(), 24, 200, st);
    run(preset("coffee"), mdtest::zone("America/New_York"), 12, 200, st);
    run(preset("retail"), mdtest::shanghai(), 12, 200, st);
    run(preset("salon"), mdtest::shanghai(), 12, 200, st);
    run(preset("salon"), mdtest::zone("Europe/London"), 12, 200, st);
    MESSAGE("writes " << st.writes << ", compared " << st.compared << ", rows computed anew " << st.refolds);
    CHECK(st.refolds > 10);
    for (int s = 0; s < kSegmentCount; ++s) {
        INFO("segment " << to_string(static_cast<Segment>(s)));
        CHECK(st.by_segment[s] > 20);  // every segment is reached, so every rule is compared
    }
}

TEST_CASE("the segment tests follow the precedence new, churned, dormant, core, active, potential") {
    SegmentRule r;  // 30 days new, 60 dormant, 180 churned, core > 300/month, active >= 100/month
    CHECK(segment_from(segment_tests(r, 29, 200, 0)) == Segment::new_member);
    CHECK(segment_from(segment_tests(r, 400, 180, 10000000)) == Segment::churned);
    CHECK(segment_from(segment_tests(r, 180, std::nullopt, 0)) == Segment::churned);
    CHECK(segment_from(segment_tests(r, 400, 60, 10000000)) == Segment::dormant);
    CHECK(segment_from(segment_tests(r, 400, 59, 3 * 30000 + 1)) == Segment::core);
    CHECK(segment_from(segment_tests(r, 400, 59, 3 * 30000)) == Segment::active);
    CHECK(segment_from(segment_tests(r, 400, 59, 3 * 10000)) == Segment::active);
    CHECK(segment_from(segment_tests(r, 400, 59, 3 * 10000 - 1)) == Segment::potential);
    CHECK(segment_from(segment_tests(r, 59, std::nullopt, 0)) == Segment::potential);
}

TEST_CASE("a row keeps the latest three local months of any purchase, refunded ones included") {
    MemberActivity a;
    add_month_net(a, 100, 500);
    add_month_net(a, 99, 200);
    add_month_net(a, 97, 900);  // older than the three kept
    CHECK(a.month == 100);
    CHECK(a.net == std::array<Cents, 3>{500, 200, 0});
    add_month_net(a, 102, 0);  // a fully refunded purchase two months on
    CHECK(a.month == 102);
    CHECK(a.net == std::array<Cents, 3>{0, 0, 500});
    CHECK(window_net(a, 102) == 500);
    CHECK(window_net(a, 103) == 0);
}

}  // namespace segment_activity_test
