// Property tests of member snapshots: over random histories (purchases, some back-dated, partial and
// full refunds, redemptions, adjustments, survey points, coupon uses and voids, expiries and tier
// changes across years, now and then a clock set back), a snapshot folded after every write equals
// the snapshot of the full state (the replay of the whole ledger), and every decision and view made
// on the snapshot equals the one made on the full state. Raw mt19937 output only (same sequences
// under g++ and em++).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <random>
#include <sstream>

#include "fixtures.hpp"
#include "memberdesk/presets.hpp"
#include "memberdesk/rewards.hpp"
#include "memberdesk/segments.hpp"
#include "memberdesk/snapshot.hpp"
#include "memberdesk/views.hpp"
#include "test_rng.hpp"

using namespace memberdesk;

namespace snapshot_property_test {

namespace {

using mdtest::Rng;
using mdtest::runs;

// Everything a plan decides, as text (two plans are the same decision when their texts are equal).
std::string plan_text(const Plan& p) {
    std::ostringstream o;
    for (const auto& c : p.lot_changes) o << "change " << c.lot_id << "=" << c.remaining << ";";
    for (const auto& l : p.new_lots)
        o << "lot " << l.original << "/" << l.remaining << "@" << l.earned_at << ">" << l.available_at << "x"
          << l.expires_at.value_or(-1) << " " << l.source << ";";
    for (const auto& e : p.entries)
        o << "entry " << to_string(e.type) << " " << e.points << " " << e.balance_after << " " << e.reason.en << " "
          << e.created_at << " " << e.ref << ";";
    for (const auto& c : p.coupons)
        o << "coupon " << c.template_id << " " << c.valid_from << "-" << c.valid_until << ";";
    if (p.tier_change)
        o << "tier " << p.tier_change->from << ">" << p.tier_change->to << " " << p.tier_change->status.since << " "
          << p.tier_change->status.valid_until.value_or(-1) << ";";
    if (p.purchase) o << "purchase " << p.purchase->txn_id << " " << p.purchase->refunded << ";";
    o << p.debt_after << "," << p.lifetime_earned_after << "," << p.ledger_total_after;
    for (const auto& k : p.new_issue_keys) o << " key " << k;
    return o.str();
}

template <class T>
std::string result_text(const Result<T>& r) {
    return r ? plan_text(*r) : std::string("error ") + memberdesk::to_string(r.error().code);
}

struct Stats {
    std::int64_t writes = 0, checks = 0, summarised_refunds = 0, rebuilds_for_refund = 0, rebuilds_for_clock = 0,
                 tier_changes = 0, summarised_purchases_max = 0, merged_lot_max = 0, expansions = 0,
                 merged_lot_refunds = 0, lots_max = 0;
};

struct Runner {
    ProgramConfig p;
    ZoneRules z;
    Rng rng;
    MemberState full;  // the replay of the whole ledger: what storage's load_state returns
    MemberState snap;  // folded after every write
    std::int64_t next_lot = 1;
    UnixSeconds now;
    int txn = 0;
    std::string trail;
    Stats& stats;
    bool daily;  // a regular customer: steps of hours, mostly purchases (many lots of one expiry)

    Runner(ProgramConfig program, ZoneRules zone, std::uint32_t seed, Stats& st, bool daily_buyer = false)
        : p(std::move(program)),
          z(std::move(zone)),
          rng(seed),
          now(mdtest::at("2024-01-15T10:00:00Z")),
          stats(st),
          daily(daily_buyer) {
        full.member_id = 7;
        full.joined_at = now;
        if (rng.chance(50)) full.birthday = CivilDate{1990, static_cast<int>(rng.range(1, 12)), 10};
        snap = snapshot_of(z, full, snapshot_horizon(p, z, now), now);
    }

    // The member's open lots as storage holds them (ReadTx::due_state).
    std::vector<Lot> open_lots() const {
        std::vector<Lot> out;
        for (const auto& l : full.lots)
            if (l.remaining > 0) out.push_back(l);
        return out;
    }
    static std::int64_t merged_count(const MemberState& s) {
        std::int64_t n = 0;
        for (const auto& l : s.lots) n += l.merged;
        return n;
    }
    // A decision on the snapshot as the service takes it (Service::Impl::decide).
    template <class F>
    auto on_snapshot(F&& decision) -> decltype(decision(snap)) {
        const std::int64_t before = merged_count(snap);
        auto r = decide_on_snapshot(snap, decision, [&] { return open_lots(); });
        if (merged_count(snap) != before) ++stats.expansions;
        return r;
    }

    void fail(const std::string& what) { FAIL(what << "\nops:\n" << trail); }

    // Storage's load order for the full state.
    void canonical(MemberState& s) {
        std::stable_sort(s.purchases.begin(), s.purchases.end(),
                         [](const Purchase& a, const Purchase& b) { return a.at < b.at; });
        std::sort(s.issue_keys.begin(), s.issue_keys.end());
    }

    void write(const Plan& plan) {
        const std::size_t lots_before = full.lots.size(), coupons_before = full.coupons.size();
        apply_plan(full, plan, next_lot);
        canonical(full);
        if (plan.empty()) return;
        StoredIds ids;
        for (std::size_t i = lots_before; i < full.lots.size(); ++i) ids.lot_ids.push_back(full.lots[i].id);
        ids.coupons.assign(full.coupons.begin() + static_cast<std::ptrdiff_t>(coupons_before), full.coupons.end());
        if (plan.tier_change) ++stats.tier_changes;
        const bool summarised_refund =
            plan.purchase && plan.purchase->refunded > 0 &&
            std::none_of(snap.purchases.begin(), snap.purchases.end(),
                         [&](const Purchase& x) { return x.txn_id == plan.purchase->txn_id; });
        if (summarised_refund) ++stats.summarised_refunds;
        ++stats.writes;
        if (!fold_plan(p, z, snap, plan, ids, now)) {
            ++stats.rebuilds_for_refund;
            snap = snapshot_of(z, full, snapshot_horizon(p, z, now), now);
        }
        check("after write");
    }

    void check(const char* when) {
        ++stats.checks;
        const std::string diff = state_difference(snap, snapshot_like(z, full, snap));
        if (!diff.empty()) fail(std::string(when) + ": snapshot differs from the replay: " + diff);
        auto round = decode_snapshot(encode_snapshot(snap));
        if (!round) fail("decode: " + round.error().message);
        if (!state_difference(*round, snap).empty()) fail("encode/decode changed the snapshot");
        // Rows written before merged lots: the same snapshot without them, in both older forms.
        const MemberState unmerged = snapshot_of(z, full, *snap.earlier_purchases.horizon);
        auto v2_row = decode_snapshot(encode_snapshot_v2(unmerged));
        if (!v2_row) fail("decode of format 2: " + v2_row.error().message);
        if (!state_difference(*v2_row, unmerged).empty()) fail("format 2 changed the snapshot");
        auto old_row = decode_snapshot(encode_snapshot_v1(unmerged));  // a row written before the compact form
        if (!old_row) fail("decode of the fixed-width form: " + old_row.error().message);
        if (!state_difference(*old_row, unmerged).empty()) fail("the fixed-width form changed the snapshot");
        stats.summarised_purchases_max =
            std::max<std::int64_t>(stats.summarised_purchases_max, snap.earlier_purchases.count);
        for (const auto& l : snap.lots) stats.merged_lot_max = std::max(stats.merged_lot_max, l.merged);
        stats.lots_max = std::max<std::int64_t>(stats.lots_max, static_cast<std::int64_t>(full.lots.size()));
    }

    // Before a decision at `now`: the snapshot must cover it, else it is rebuilt (as storage does).
    void prepare() {
        if (!snapshot_covers(p, z, snap, now)) {
            ++stats.rebuilds_for_clock;
            snap = snapshot_of(z, full, snapshot_horizon(p, z, now), now);
        }
        if (catch_up_nothing_due(p, z, full, now) != catch_up_nothing_due(p, z, snap, now))
            fail("catch_up_nothing_due differs");
        const Plan a = memberdesk::catch_up(p, z, full, now);
        const Plan b = on_snapshot([&](const MemberState& s) { return memberdesk::catch_up(p, z, s, now); });
        if (plan_text(a) != plan_text(b)) fail("catch_up differs:\n full " + plan_text(a) + "\n snap " + plan_text(b));
        write(a);
        compare_views();
    }

    void compare_views() {
        const std::string a =
            nlohmann::json(build_me_view(p, z, full, "N", "13800000000", full.birthday, false, now)).dump();
        const std::string b =
            nlohmann::json(build_me_view(p, z, snap, "N", "13800000000", snap.birthday, false, now)).dump();
        if (a != b) fail("me view differs:\n full " + a + "\n snap " + b);
        if (segment_of(p, z, full, now) != segment_of(p, z, snap, now)) fail("segment differs");
        const std::string ra = nlohmann::json(build_reward_views(p, full, {}, now)).dump();
        const std::string rb = nlohmann::json(build_reward_views(p, snap, {}, now)).dump();
        if (ra != rb) fail("reward views differ");
    }

    // `claw_back`: the decision may take points back by source (a refund): every lot expanded first.
    template <class F>
    void decide(const char* op, F&& decision, bool claw_back = false) {
        trail += std::string(op) + " @" + format_rfc3339(now) + "\n";
        prepare();
        const MemberState before = snap;
        auto a = decision(full);
        if (claw_back && merged_count(snap) > 0) {
            expand_all_lots(snap, open_lots());
            ++stats.expansions;
        }
        auto b = on_snapshot(decision);
        if (result_text(a) != result_text(b))
            fail(std::string(op) + " differs:\n full " + result_text(a) + "\n snap " + result_text(b));
        if (a && !a->empty())
            write(*a);
        else
            snap = before;  // nothing written: the transaction's expanded lots are dropped
    }

    void advance() {
        const auto r = rng.below(100);
        if (daily && r < 97)
            now += rng.range(0, 40) * 3600;
        else if (r < 60)
            now += rng.range(0, 3 * 86400);
        else if (r < 90)
            now += rng.range(5, 90) * 86400;
        else if (r < 98)
            now += rng.range(200, 700) * 86400;
        else
            now -= rng.range(1, 400) * 86400;  // a clock set back
        trail += "time " + format_rfc3339(now) + "\n";
    }

    Purchase* random_purchase() {
        if (full.purchases.empty()) return nullptr;
        return &full.purchases[rng.below(static_cast<std::uint32_t>(full.purchases.size()))];
    }

    void step() {
        advance();
        auto op = rng.below(100);
        if (daily && rng.chance(35)) op = 0;  // more purchases, the same mix of the rest
        if (op < 40) {
            PurchaseInput in;
            in.txn_id = "T" + std::to_string(++txn);
            in.amount = rng.chance(20) ? rng.range(50000, 400000) : rng.range(100, 40000);
            in.store = "S" + std::to_string(rng.below(3));
            in.at = rng.chance(8) ? now - rng.range(1, 800) * 86400 : now - rng.range(0, 3600);
            decide("purchase", [&](const MemberState& s) { return earn_purchase(p, z, s, in, now); });
        } else if (op < 55) {
            Purchase* pu = random_purchase();
            if (!pu || pu->refunded == pu->amount) return;
            const Purchase target = *pu;
            const Cents left = target.amount - target.refunded;
            RefundInput in{target.txn_id, "R" + std::to_string(++txn), rng.chance(50) ? left : rng.range(1, left)};
            for (const auto& l : snap.lots)
                if (l.merged > 0 && std::any_of(full.lots.begin(), full.lots.end(), [&](const Lot& x) {
                        return x.remaining > 0 && x.source == "purchase:" + target.txn_id &&
                               x.expires_at == l.expires_at && x.available_at <= snap.lots_merged_at.value_or(0);
                    }))
                    ++stats.merged_lot_refunds;
            decide(
                "refund", [&](const MemberState& s) { return refund_purchase(p, z, s, in, now, target); }, true);
        } else if (op < 67) {
            if (!p.rewards.empty()) {
                const std::string id = p.rewards[rng.below(static_cast<std::uint32_t>(p.rewards.size()))].id;
                decide("redeem", [&](const MemberState& s) { return redeem_reward(p, z, s, id, std::nullopt, now); });
            } else {
                const Points pts = rng.range(1, 300);
                decide("spend", [&](const MemberState& s) {
                    return spend_points(p, s, pts, EntryType::redeem, Text{"兑换", "Redeemed"}, "reward:x", now);
                });
            }
        } else if (op < 75) {
            const Points delta = rng.chance(60) ? rng.range(1, 500) : -rng.range(1, 300);
            decide("adjust", [&](const MemberState& s) { return adjust_points(p, z, s, delta, "staff", now); });
        } else if (op < 80) {
            decide("survey", [&](const MemberState& s) -> Result<Plan> {
                Plan plan = participation_points(p, z, s, 20, Text{"调查", "Survey"}, "feedback:1", now);
                plan.new_issue_keys.push_back("survey:" + format_date(z.local_date(now)).substr(0, 7));
                return plan;
            });
        } else if (op < 92) {
            trail += "coupon @" + format_rfc3339(now) + "\n";
            prepare();
            if (full.coupons.empty()) return;
            Coupon& c = full.coupons[rng.below(static_cast<std::uint32_t>(full.coupons.size()))];
            auto changed = rng.chance(70) ? use_coupon(c, rng.range(0, 100000), "S1", "P" + std::to_string(++txn), now)
                                          : void_coupon(c, now);
            if (!changed) return;
            c = *changed;
            fold_coupon_update(snap, *changed);
            check("after coupon update");
            compare_views();
        } else {
            trail += "look @" + format_rfc3339(now) + "\n";
            prepare();
        }
    }
};

void run(const ProgramConfig& p, const ZoneRules& z, std::uint32_t seeds, int steps, Stats& st, bool daily = false) {
    for (std::uint32_t seed = 1; seed <= runs(seeds); ++seed) {
        Runner r(p, z, seed * 7919u + static_cast<std::uint32_t>(p.id.size()), st, daily);
        for (int i = 0; i < steps; ++i) r.step();
    }
}

ProgramConfig preset(const char* name) {
    auto p = load_preset(name);
    if (!p) FAIL("preset " << name << ": " << p.error().message);
    return *p;
}

}  // namespace

TEST_CASE("a snapshot folded after every write equals the replay of the full ledger (rolling-spend tiers)") {
    Stats st;
    run(mdtest::coffee(), mdtest::shanghai(), 16, 160, st);
    run(preset("coffee"), mdtest::zone("America/New_York"), 10, 160, st);
    run(preset("retail"), mdtest::shanghai(), 10, 160, st);
    MESSAGE("writes " << st.writes << ", checks " << st.checks << ", refunds of summarised purchases "
                      << st.summarised_refunds << ", rebuilds (refund " << st.rebuilds_for_refund << ", clock "
                      << st.rebuilds_for_clock << "), tier changes " << st.tier_changes
                      << ", most summarised purchases " << st.summarised_purchases_max);
    CHECK(st.summarised_refunds > runs(20));
    CHECK(st.tier_changes > runs(20));
    CHECK(st.summarised_purchases_max > 20);
}

TEST_CASE("a snapshot folded after every write equals the replay of the full ledger (monthly-streak tiers)") {
    Stats st;
    run(preset("salon"), mdtest::shanghai(), 16, 160, st);
    run(preset("salon"), mdtest::zone("Europe/London"), 8, 160, st);
    MESSAGE("writes " << st.writes << ", refunds of summarised purchases " << st.summarised_refunds << ", tier changes "
                      << st.tier_changes);
    CHECK(st.summarised_refunds > runs(10));
    CHECK(st.tier_changes > runs(10));
}

TEST_CASE("a daily buyer's snapshot merges the lots of each expiry and still equals the replay") {
    // Many purchases a month, so many lots share an expiry; refunds of purchases whose lots are merged,
    // redemptions and expiries that need merged lots one by one (expanded from the open lots).
    Stats st;
    run(mdtest::coffee(), mdtest::shanghai(), 6, 400, st, true);
    run(preset("retail"), mdtest::zone("America/New_York"), 6, 400, st, true);  // pending days: lots merge later
    run(preset("salon"), mdtest::zone("Europe/London"), 4, 400, st, true);
    MESSAGE("writes " << st.writes << ", most lots " << st.lots_max << ", largest merged lot " << st.merged_lot_max
                      << ", expansions " << st.expansions << ", refunds of merged-lot purchases "
                      << st.merged_lot_refunds);
    CHECK(st.merged_lot_max > 20);
    CHECK(st.expansions > runs(50));
    CHECK(st.merged_lot_refunds > runs(20));
}

TEST_CASE("snapshot bytes that are truncated or of another format are refused") {
    mdtest::Sim m;
    m.earn("T1", 50000, mdtest::at("2026-03-01T04:00:00Z"));
    const std::string bytes =
        encode_snapshot(snapshot_of(m.z, m.s, snapshot_horizon(m.p, m.z, mdtest::at("2026-03-01T04:00:00Z"))));
    CHECK(decode_snapshot(bytes));
    CHECK_FALSE(decode_snapshot(bytes.substr(0, bytes.size() - 1)));
    CHECK_FALSE(decode_snapshot(bytes + "x"));
    std::string other = bytes;
    other[0] = 9;
    CHECK_FALSE(decode_snapshot(other));
}

}  // namespace snapshot_property_test
