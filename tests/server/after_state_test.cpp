// Writes compute the member's after-state in memory (the core's apply_plan with the stored ids)
// instead of loading it again. ServiceOptions::check_after_state makes every write compare that
// in-memory state, field by field, with a fresh tx.load_state and fail with internal_error on any
// difference; these cases run purchases, refunds, redemptions, adjustments, feedback, staff coupons
// and catch-up (expiry, birthday coupon, tier re-evaluation) with the check on, and also compare the
// replies (computed from the in-memory state) with a fresh read.
#include <doctest/doctest.h>
#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "service_harness.hpp"

using namespace memberdesk;
using namespace memberdesk::server;

namespace after_state_test {
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using mdtest::kAdmin;
using mdtest::kPos;
UnixSeconds at_time(const char* rfc3339) { return mdtest::at(rfc3339); }

// Every write compares its in-memory after-state with a fresh load (check_after_state).
struct CheckedService : mdtest::ServiceHarness {
    explicit CheckedService(const char* start = "2026-03-15T02:00:00Z") : ServiceHarness(start, true) {}

    // The points block as a fresh read shows it (GET /me computes it from a loaded state).
    json points_now(std::int64_t id) {
        auto me = svc->me(id, false);
        REQUIRE(me.ok());
        return json(me->points);
    }
    std::string tier_now(std::int64_t id) {
        auto me = svc->me(id, false);
        REQUIRE(me.ok());
        return me->tier.id;
    }
};

}  // namespace

TEST_CASE("after-state: purchase, refund, redemption, adjustment match a fresh load") {
    CheckedService f;
    const auto id = f.member("13800000001");
    const Actor me{Actor::Kind::member, std::to_string(id), 0};

    // Purchase (new lot, entries, spend-back coupon at this amount, purchase row).
    Reply p1 = f.buy("13800000001", 12800, "T1");
    CHECK(p1.kind == Reply::Kind::created);
    CHECK(p1.body["points"] == f.points_now(id));

    // A purchase big enough for an immediate upgrade (tier change + tier perks in the same plan).
    Reply p2 = f.buy("13800000001", 400000, "BIG");
    CHECK(p2.body["tier_changed"] == true);
    CHECK(p2.body["tier"]["id"] == f.tier_now(id));
    CHECK(p2.body["points"] == f.points_now(id));

    // Refund (lot changes, clawback entry, purchase row updated in place).
    auto rf = f.svc->refund(kPos, RefundRequest{"T1", "R1", 6400});
    REQUIRE_MESSAGE(rf.ok(), (rf.ok() ? "" : rf.error().message));
    CHECK(rf->body["points"] == f.points_now(id));

    // Redemption (lots consumed soonest expiry first, reward coupon issued).
    REQUIRE(f.svc->adjust(kAdmin, id, 200, "top up").ok());
    auto rd = f.svc->redeem(me, id, "premium_coffee", "k1");
    REQUIRE_MESSAGE(rd.ok(), (rd.ok() ? "" : rd.error().message));
    CHECK(rd->body["points_detail"] == f.points_now(id));
    CHECK(rd->body["balance_after"] == f.points_now(id)["balance"]);

    // Adjustments both ways.
    auto up = f.svc->adjust(kAdmin, id, 250, "goodwill");
    REQUIRE_MESSAGE(up.ok(), (up.ok() ? "" : up.error().message));
    CHECK(up->body["points"] == f.points_now(id));
    auto down = f.svc->adjust(kAdmin, id, -100, "correction");
    REQUIRE_MESSAGE(down.ok(), (down.ok() ? "" : down.error().message));
    CHECK(down->body["points"] == f.points_now(id));

    // Feedback with participation points, and a staff coupon.
    auto fb = f.svc->feedback(me, id, 5, "ok");
    REQUIRE_MESSAGE(fb.ok(), (fb.ok() ? "" : fb.error().message));
    CHECK(fb->body["points"] == f.points_now(id));
    auto tmpl = f.svc->program().coupon_templates.front().id;
    auto ic = f.svc->issue_coupon(kAdmin, id, tmpl);
    REQUIRE_MESSAGE(ic.ok(), (ic.ok() ? "" : ic.error().message));

    // Refund beyond the balance: debt.
    auto rf2 = f.svc->refund(kPos, RefundRequest{"BIG", "R2", 400000});
    REQUIRE_MESSAGE(rf2.ok(), (rf2.ok() ? "" : rf2.error().message));
    CHECK(rf2->body["points"] == f.points_now(id));
    CHECK(f.points_now(id)["debt"].get<Points>() >= 0);
}

TEST_CASE(
    "after-state: the scheduler's birthday coupon, catch-up inside a write (expiry, tier), then the write's own plan") {
    // Birthday in April: the scheduled reach issues the birthday coupon on 1 April at 10:00.
    CheckedService f;  // 2026-03-15 10:00 Shanghai
    const auto id = f.member("13800000001", CivilDate{1990, 4, 12});
    f.buy("13800000001", 400000, "BIG");  // elite at once, valid for a year
    f.buy("13800000001", 12800, "T1");
    const auto coupons_before = f.svc->coupons(id, std::nullopt)->size();

    // April 2026: the scheduler's write issues the birthday coupon (its after-state checked too); the
    // purchase then runs on the state that write left.
    f.clock.set(at_time("2026-04-02T02:00:00Z"));
    CHECK(f.svc->run_reach().coupons == 1);
    Reply p = f.buy("13800000001", 5000, "T2");
    CHECK(p.body["points"] == f.points_now(id));
    auto coupons = f.svc->coupons(id, std::nullopt);
    REQUIRE(coupons.ok());
    CHECK(coupons->size() > coupons_before);
    bool has_birthday = false;
    for (const auto& c : *coupons) has_birthday = has_birthday || c.source == "birthday";
    CHECK(has_birthday);

    // A coupon issued by the scheduler is redeemable at the POS by its real code.
    std::string code;
    for (const auto& c : *coupons)
        if (c.source == "birthday" && c.state == "available") code = c.code;
    REQUIRE(!code.empty());
    auto used = f.svc->redeem_coupon(kPos, CouponRedeemRequest{code, 3000, "s1", "T3"});
    REQUIRE_MESSAGE(used.ok(), (used.ok() ? "" : used.error().message));

    // A year and more later: lots expired and the tier re-evaluated by catch-up in the adjust write.
    f.clock.set(at_time("2027-05-20T02:00:00Z"));
    auto adj = f.svc->adjust(kAdmin, id, 10, "welcome back");
    REQUIRE_MESSAGE(adj.ok(), (adj.ok() ? "" : adj.error().message));
    CHECK(adj->body["points"] == f.points_now(id));
    CHECK(f.tier_now(id) != "elite");
}

// ---------------------------------------------------------------------------------------------
// Reads that need no MemberState (the ledger page) decide "is a catch-up due?" on ReadTx::due_state
// (open lots, latest purchase, issue keys) instead of the whole history. These cases step the test
// clock to one second before and exactly at each kind of due moment and look at the database itself
// (store reads, which never catch up) after a ledger read.

namespace {

LedgerQuery page_query() { return LedgerQuery{std::nullopt, std::nullopt, std::nullopt, 50, std::nullopt}; }

int count_type(CheckedService& f, std::int64_t id, EntryType t) {
    int n = 0;
    for (const auto& e : f.store->read([&](ReadTx& tx) { return tx.ledger_all(id); })) n += e.type == t;
    return n;
}
int count_source(CheckedService& f, std::int64_t id, CouponSource src) {
    int n = 0;
    for (const auto& c : f.store->read([&](ReadTx& tx) { return tx.coupons_of(id); })) n += c.coupon.source == src;
    return n;
}
std::string stored_tier(CheckedService& f, std::int64_t id) {
    return f.store->read([&](ReadTx& tx) { return tx.load_state(id).tier.tier_id; });
}

}  // namespace

TEST_CASE("due check: due_state is the reduction of load_state") {
    CheckedService f;
    const auto id = f.member("13800000001", CivilDate{1990, 4, 12});
    const Actor me{Actor::Kind::member, std::to_string(id), 0};
    f.buy("13800000001", 12800, "T1");
    f.buy("13800000001", 30000, "T2");
    f.clock.set(f.clock.now() + 3600);
    f.buy("13800000001", 5000, "T3");
    REQUIRE(f.svc->refund(kPos, RefundRequest{"T1", "R1", 12800}).ok());
    REQUIRE(f.svc->adjust(kAdmin, id, 600, "goodwill").ok());
    REQUIRE(f.svc->redeem(me, id, "premium_coffee", "k1").ok());  // empties some lots
    f.store->read([&](ReadTx& tx) {
        const MemberState full = tx.load_state(id);
        const MemberState d = tx.due_state(id);
        CHECK(d.member_id == full.member_id);
        CHECK(d.joined_at == full.joined_at);
        CHECK(d.birthday == full.birthday);
        CHECK(d.tier.tier_id == full.tier.tier_id);
        CHECK(d.tier.since == full.tier.since);
        CHECK(d.tier.valid_until == full.tier.valid_until);
        CHECK(d.debt == full.debt);
        CHECK(d.lifetime_earned == full.lifetime_earned);
        CHECK(d.ledger_total == full.ledger_total);
        CHECK(d.issue_keys == full.issue_keys);
        CHECK(d.coupons.empty());
        std::vector<std::int64_t> open;
        for (const auto& l : full.lots)
            if (l.remaining > 0) open.push_back(l.id);
        std::vector<std::int64_t> got;
        for (const auto& l : d.lots) got.push_back(l.id);
        CHECK(got == open);
        CHECK(open.size() < full.lots.size());  // the redemption emptied at least one lot
        REQUIRE(d.purchases.size() == 1);
        CHECK(d.purchases[0].txn_id == full.purchases.back().txn_id);
        CHECK(d.purchases[0].txn_id == "T3");
        CHECK_THROWS_AS(tx.due_state(id + 1000), StoreError);
    });
}

TEST_CASE("due check: a ledger read writes expiry at exactly the first second it is due") {
    CheckedService f;  // 2026-03-15 10:00 Shanghai; lots expire at the end of March 2027 (local)
    const auto id = f.member("13800000001");
    f.buy("13800000001", 12800, "T1");
    const UnixSeconds last_second = at_time("2027-03-31T15:59:59Z");  // 23:59:59 local, still usable
    f.clock.set(last_second);
    REQUIRE(f.svc->ledger(id, page_query()).ok());
    CHECK(count_type(f, id, EntryType::expire) == 0);
    f.clock.set(last_second + 1);
    auto page = f.svc->ledger(id, page_query());
    REQUIRE(page.ok());
    CHECK(count_type(f, id, EntryType::expire) == 1);
    REQUIRE(!page->entries.empty());
    CHECK(page->entries.front().type == "expire");  // the page already shows the expiry it caused
    REQUIRE(f.svc->ledger(id, page_query()).ok());
    CHECK(count_type(f, id, EntryType::expire) == 1);  // and nothing more on the next look
}

TEST_CASE("due check: a ledger read never issues the birthday coupon; the scheduler does at 10:00 on the 1st") {
    CheckedService f;  // 2026-03-15
    const auto id = f.member("13800000001", CivilDate{1990, 4, 12});
    f.buy("13800000001", 5000, "T1");
    f.clock.set(at_time("2026-03-31T16:00:00Z"));  // 00:00 on 1 April, local: quiet hours
    REQUIRE(f.svc->ledger(id, page_query()).ok());
    CHECK(f.svc->run_reach().days == 0);
    CHECK(count_source(f, id, CouponSource::birthday) == 0);
    f.clock.set(at_time("2026-04-01T02:00:00Z"));  // 10:00 on 1 April
    f.svc->run_reach();
    CHECK(count_source(f, id, CouponSource::birthday) == 1);
    f.clock.set(at_time("2026-04-20T02:00:00Z"));
    REQUIRE(f.svc->ledger(id, page_query()).ok());
    f.svc->run_reach();
    CHECK(count_source(f, id, CouponSource::birthday) == 1);  // once a year
    f.clock.set(at_time("2027-04-01T02:00:00Z"));             // next year's April (the lots expired at its start)
    f.svc->run_reach();
    CHECK(count_source(f, id, CouponSource::birthday) == 2);
    CHECK(count_type(f, id, EntryType::expire) == 1);
}

TEST_CASE("due check: a ledger read re-evaluates the tier at exactly the second after valid_until") {
    CheckedService f;
    const auto id = f.member("13800000001");
    f.buy("13800000001", 400000, "BIG");  // elite at once
    CHECK(stored_tier(f, id) == "elite");
    const auto until = f.store->read([&](ReadTx& tx) { return tx.load_state(id).tier.valid_until; });
    REQUIRE(until.has_value());
    f.clock.set(*until);
    REQUIRE(f.svc->ledger(id, page_query()).ok());
    CHECK(stored_tier(f, id) == "elite");
    f.clock.set(*until + 1);
    REQUIRE(f.svc->ledger(id, page_query()).ok());
    CHECK(stored_tier(f, id) != "elite");
}

TEST_CASE("due check: reads while nothing is due write nothing") {
    CheckedService f;
    const auto id = f.member("13800000001", CivilDate{1990, 7, 1});
    for (int i = 0; i < 5; ++i) f.buy("13800000001", 2000 + i * 1000, "T" + std::to_string(i));
    auto audit_rows = [&] { return f.store->read([&](ReadTx& tx) { return tx.audit(id, 1000).size(); }); };
    const auto before = audit_rows();
    for (int i = 0; i < 3; ++i) {
        f.clock.set(f.clock.now() + 86400);
        REQUIRE(f.svc->ledger(id, page_query()).ok());
        REQUIRE(f.svc->me(id, false).ok());
    }
    CHECK(audit_rows() == before);
}

}  // namespace after_state_test
