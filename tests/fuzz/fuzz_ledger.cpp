// libFuzzer: random sequences of the core's ledger operations on one member, checked against the
// ledger invariants after every applied plan.  The input bytes choose the program preset and then
// the operations (FuzzedDataProvider): earn, refund, spend, adjust (+/-), participation points, and
// time jumps (each operation runs catch_up first, as the service does).
// Invariants (abort with the trail of operations when one breaks):
//   - every lot: 0 <= remaining <= original, and an existing lot never grows
//   - ledger_total == sum of lot remainders == sum of every entry ever applied
//   - each entry's balance_after is the running total after it
//   - debt >= 0, lifetime_earned >= 0; balances(): balance >= 0, pending >= 0, balance+pending <= total
//   - a successful spend of N adds entries summing to exactly -N; failed operations fail only with
//     their documented error codes and change nothing
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "memberdesk/ledger.hpp"
#include "memberdesk/program.hpp"

using namespace memberdesk;

namespace {

const ZoneRules& shanghai() {
    static const ZoneRules z = [] {
        std::ifstream in("/usr/share/zoneinfo/Asia/Shanghai", std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        auto r = ZoneRules::from_tzif("Asia/Shanghai", ss.str());
        return r ? *r : ZoneRules::fixed("Asia/Shanghai", 8 * 3600);
    }();
    return z;
}

const ProgramConfig& preset(int i) {
    static const ProgramConfig ps[3] = {*load_preset("coffee"), *load_preset("salon"), *load_preset("retail")};
    return ps[i];
}

struct Runner {
    const ProgramConfig& p;
    const ZoneRules& z;
    MemberState s;
    std::int64_t next_lot = 1;
    Points entries_sum = 0;
    UnixSeconds now = 1767225600;  // 2026-01-01T00:00:00Z
    std::string trail;
    int txns = 0;

    Runner(const ProgramConfig& prog, const ZoneRules& zone) : p(prog), z(zone) {
        s.member_id = 1;
        s.joined_at = now;
    }

    [[noreturn]] void fail(const std::string& what) {
        std::fprintf(stderr, "ledger invariant broken: %s\nprogram %s, operations:\n%s", what.c_str(), p.id.c_str(),
                     trail.c_str());
        std::abort();
    }

    void apply(const Plan& plan, const char* op) {
        std::map<std::int64_t, Points> before;
        for (const auto& l : s.lots) before[l.id] = l.remaining;
        Points running = s.ledger_total;
        for (const auto& e : plan.entries) {
            running += e.points;
            if (e.balance_after != running) fail(std::string(op) + ": balance_after is not the running total");
            entries_sum += e.points;
        }
        for (const auto& c : plan.lot_changes) {
            auto it = before.find(c.lot_id);
            if (it == before.end()) fail(std::string(op) + ": change to an unknown lot");
            if (c.remaining > it->second) fail(std::string(op) + ": a lot grew");
        }
        apply_plan(s, plan, next_lot);
        check(op);
    }

    void check(const char* op) {
        Points lots = 0;
        for (const auto& l : s.lots) {
            if (l.remaining < 0) fail(std::string(op) + ": lot below zero");
            if (l.remaining > l.original) fail(std::string(op) + ": lot remaining > original");
            lots += l.remaining;
        }
        if (lots != s.ledger_total)
            fail(std::string(op) + ": ledger_total " + std::to_string(s.ledger_total) + " != lots " +
                 std::to_string(lots));
        if (entries_sum != s.ledger_total)
            fail(std::string(op) + ": sum of entries " + std::to_string(entries_sum) + " != ledger_total " +
                 std::to_string(s.ledger_total));
        if (s.debt < 0) fail(std::string(op) + ": negative debt");
        if (s.lifetime_earned < 0) fail(std::string(op) + ": negative lifetime_earned");
        Balances b = balances(p, s, now);
        if (b.balance < 0 || b.pending < 0) fail(std::string(op) + ": negative balance or pending");
        if (b.balance + b.pending > s.ledger_total) fail(std::string(op) + ": balance + pending > ledger total");
        if (b.expiring_soon < 0 || b.expiring_soon > b.balance) fail(std::string(op) + ": expiring_soon out of range");
    }

    void catch_up() { apply(memberdesk::catch_up(p, z, s, now), "catch_up"); }

    template <class R>
    void expect_refusal(const R& r, std::initializer_list<ErrorCode> codes, const char* op) {
        for (ErrorCode c : codes)
            if (r.error().code == c) return;
        fail(std::string(op) + ": unexpected error " + to_string(r.error().code) + ": " + r.error().message);
    }

    void step(FuzzedDataProvider& in) {
        std::ostringstream t;
        switch (in.ConsumeIntegralInRange<int>(0, 6)) {
            case 0: {  // earn
                Cents amount = in.ConsumeIntegralInRange<Cents>(1, 100000000);
                std::string txn = "T" + std::to_string(++txns);
                t << "earn " << txn << " " << amount << " at " << now << "\n";
                trail += t.str();
                catch_up();
                auto r = earn_purchase(p, z, s, PurchaseInput{txn, amount, "S1", now}, now);
                if (!r) fail(std::string("earn refused: ") + to_string(r.error().code) + ": " + r.error().message);
                apply(*r, "earn");
                break;
            }
            case 1: {  // refund (sometimes of an unknown txn, sometimes more than is left)
                int n = in.ConsumeIntegralInRange<int>(0, txns + 1);
                Cents amount = in.ConsumeIntegralInRange<Cents>(1, 100000000);
                std::string txn = "T" + std::to_string(n);
                t << "refund " << txn << " " << amount << " at " << now << "\n";
                trail += t.str();
                catch_up();
                auto r = refund_purchase(p, z, s, RefundInput{txn, "R" + std::to_string(now), amount}, now);
                if (!r) {
                    expect_refusal(
                        r,
                        {ErrorCode::unknown_transaction, ErrorCode::refund_exceeds_purchase, ErrorCode::invalid_amount},
                        "refund");
                    check("refund refused");
                } else {
                    apply(*r, "refund");
                }
                break;
            }
            case 2: {  // spend
                Points pts = in.ConsumeIntegralInRange<Points>(-5, 5000);
                t << "spend " << pts << " at " << now << "\n";
                trail += t.str();
                catch_up();
                auto r = spend_points(p, s, pts, EntryType::redeem, Text{"兑换", "Redeemed"}, "reward:x", now);
                if (!r) {
                    expect_refusal(r, {ErrorCode::insufficient_points, ErrorCode::invalid_points}, "spend");
                    check("spend refused");
                } else {
                    Points sum = 0;
                    for (const auto& e : r->entries) sum += e.points;
                    if (sum != -pts)
                        fail("spend of " + std::to_string(pts) + " changed the total by " + std::to_string(sum));
                    apply(*r, "spend");
                }
                break;
            }
            case 3: {  // adjust
                Points d = in.ConsumeIntegralInRange<Points>(-3000, 3000);
                t << "adjust " << d << " at " << now << "\n";
                trail += t.str();
                catch_up();
                auto r = adjust_points(p, z, s, d, "fuzz", now);
                if (!r) {
                    expect_refusal(r, {ErrorCode::insufficient_points, ErrorCode::invalid_points}, "adjust");
                    check("adjust refused");
                } else {
                    apply(*r, "adjust");
                }
                break;
            }
            case 4: {  // participation points
                Points pts = in.ConsumeIntegralInRange<Points>(1, 500);
                t << "participation " << pts << " at " << now << "\n";
                trail += t.str();
                catch_up();
                apply(participation_points(p, z, s, pts, Text{"问卷", "Survey"}, "survey", now), "participation");
                break;
            }
            default: {  // time passes: minutes to more than a year
                UnixSeconds dt = in.ConsumeBool() ? in.ConsumeIntegralInRange<UnixSeconds>(1, 3 * 86400)
                                                  : in.ConsumeIntegralInRange<UnixSeconds>(1, 400 * 86400);
                now += dt;
                t << "advance " << dt << " -> " << now << "\n";
                trail += t.str();
                catch_up();
                break;
            }
        }
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    Runner r(preset(in.ConsumeIntegralInRange<int>(0, 2)), shanghai());
    r.apply(join(r.p, r.z, r.s, r.now), "join");
    for (int i = 0; i < 64 && in.remaining_bytes() > 0; ++i) r.step(in);
    return 0;
}
