// The member state cache (state_cache.hpp): what it keeps and drops, and that a server never serves
// a state another server on the same database has changed since (the revision check), with the
// cache's own verification off as in production.
#include <doctest/doctest.h>

#include <memory>

#include "service/state_cache.hpp"
#include "service_harness.hpp"

using namespace memberdesk;
using namespace memberdesk::server;

namespace state_cache_test {
using mdtest::at;
using mdtest::kAdmin;
using mdtest::kPos;

TEST_CASE("state cache: a state is returned only at the revision it was stored at") {
    auto state = [] { return std::make_shared<const KeptState>(MemberState{}); };
    const std::size_t one = StateCache::approx_bytes(MemberState{});
    StateCache c(2 * one);  // room for two empty states
    auto s1 = state();
    CHECK_FALSE(c.find(1, 0));
    c.store(1, 5, s1);
    CHECK(c.find(1, 5) == s1);
    CHECK_FALSE(c.find(1, 4));
    CHECK_FALSE(c.find(1, 6));
    // A slower reader that loaded an older revision does not replace a newer entry.
    c.store(1, 4, state());
    CHECK(c.find(1, 5) == s1);
    // Bounded: a third member pushes one out.
    c.store(2, 1, state());
    c.store(3, 1, state());
    const int kept = (c.find(1, 5) ? 1 : 0) + (c.find(2, 1) ? 1 : 0) + (c.find(3, 1) ? 1 : 0);
    CHECK(kept == 2);
    CHECK(c.find(3, 1));
    // A state larger than the whole budget is not kept; nor is anything with a budget of 0.
    MemberState big;
    big.purchases.resize(100);
    c.store(4, 1, std::make_shared<const KeptState>(big));
    CHECK_FALSE(c.find(4, 1));
    CHECK(c.find(3, 1));
    StateCache off(0);
    off.store(1, 1, s1);
    CHECK_FALSE(off.find(1, 1));
}

TEST_CASE("state cache: a read never serves a state that a second server on the same database changed") {
    mdtest::ServiceHarness writer;  // server B
    ServiceOptions o;               // server A, as in production: no verification of cache hits
    o.kdf_opslimit = crypto_pwhash_OPSLIMIT_MIN;
    o.kdf_memlimit = crypto_pwhash_MEMLIMIT_MIN;
    REQUIRE(o.state_cache_bytes > 0);
    auto program = load_preset("coffee");
    REQUIRE(program.ok());
    Service reader(std::make_unique<SqliteStore>((writer.dir / "test.db").string()), *program, mdtest::shanghai(),
                   writer.clock, o);

    auto created =
        writer.svc->create_member(kAdmin, NewMember{"13800000001", "123456", "Ann", std::nullopt, std::nullopt});
    REQUIRE(created.ok());
    const std::int64_t id = created->body.at("id").get<std::int64_t>();
    auto same_as_writer = [&] {
        auto a = reader.me(id, false), b = writer.svc->me(id, false);
        REQUIRE(a.ok());
        REQUIRE(b.ok());
        CHECK(a->points.balance == b->points.balance);
        CHECK(a->points.lifetime_earned == b->points.lifetime_earned);
        CHECK(a->coupons.available == b->coupons.available);
        CHECK(a->coupons.used == b->coupons.used);
        CHECK(a->coupons.voided == b->coupons.voided);
        CHECK(a->tier.id == b->tier.id);
        CHECK(a->profile.birthday == b->profile.birthday);
        return *a;
    };
    const MeView before = same_as_writer();
    same_as_writer();  // now from the reader's cache

    PurchaseRequest p;
    p.txn_id = "T1";
    p.member = "13800000001";
    p.amount = 250000;  // enough for a tier change
    p.store = "s1";
    REQUIRE(writer.svc->purchase(kPos, p).ok());
    const MeView after_purchase = same_as_writer();
    CHECK(after_purchase.points.lifetime_earned > before.points.lifetime_earned);

    auto issued = writer.svc->issue_coupon(kAdmin, id, "pastry");
    REQUIRE(issued.ok());
    CHECK(same_as_writer().coupons.available == after_purchase.coupons.available + 1);
    REQUIRE(writer.svc->redeem_coupon(kPos, CouponRedeemRequest{issued->body["code"], 5000, "s1", "T2"}).ok());
    CHECK(same_as_writer().coupons.used == after_purchase.coupons.used + 1);

    auto second = writer.svc->issue_coupon(kAdmin, id, "pastry");
    REQUIRE(second.ok());
    same_as_writer();
    REQUIRE(writer.svc->void_coupon(kAdmin, second->body["code"]).ok());
    CHECK(same_as_writer().coupons.voided == after_purchase.coupons.voided + 1);

    REQUIRE(writer.svc->adjust(kAdmin, id, -10, "correction").ok());
    CHECK(same_as_writer().points.balance == after_purchase.points.balance - 10);

    MemberPatch patch;
    patch.birthday = std::optional<CivilDate>(CivilDate{1990, 5, 17});
    REQUIRE(writer.svc->patch_member(kAdmin, id, patch).ok());
    CHECK(same_as_writer().profile.birthday == std::optional<std::string>("1990-05-17"));
}

TEST_CASE("state cache: a member read from a kept state gets the expiry that falls due while it is kept") {
    mdtest::ServiceHarness h("2026-03-15T02:00:00Z");
    const std::int64_t id = h.member("13800000001");
    h.buy("13800000001", 5000, "T1");
    auto me = h.svc->me(id, false);
    REQUIRE(me.ok());
    const Points earned = me->points.balance;
    REQUIRE(earned > 0);
    REQUIRE(h.svc->me(id, false).ok());  // kept now, with its probe
    LedgerQuery q;
    q.limit = 5;
    // A day before the points expire (the end of the 12th month after earning), nothing is due.
    h.clock.set(at("2027-03-30T00:00:00Z"));
    CHECK(h.svc->me(id, false)->points.balance == earned);
    auto page = h.svc->ledger_entries(id, q);
    REQUIRE(page.ok());
    CHECK(page->entries.front().type == EntryType::earn);
    // Once they have expired, the ledger page (decided on the kept state) writes the expiry first.
    h.clock.set(at("2027-04-02T00:00:00Z"));
    page = h.svc->ledger_entries(id, q);
    REQUIRE(page.ok());
    CHECK(page->entries.front().type == EntryType::expire);
    CHECK(page->entries.front().points == -earned);
    CHECK(h.svc->me(id, false)->points.balance == 0);
}

}  // namespace state_cache_test
