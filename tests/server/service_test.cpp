// The domain service over a real SQLite file, with a TestClock: idempotency, concurrency, refunds,
// expiry and tiers through time, login lockout, sliding sessions, member codes, erase, demo data.
#include <doctest/doctest.h>
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "service_harness.hpp"

using namespace memberdesk;
using namespace memberdesk::server;

namespace service_test {
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using mdtest::at;
using mdtest::kAdmin;
using mdtest::kPos;
using mdtest::shanghai;

struct Fixture : mdtest::ServiceHarness {
    using ServiceHarness::ServiceHarness;

    void advance(UnixSeconds s) { clock.set(clock.now() + s); }

    std::int64_t member(const std::string& phone, const std::string& name = "Test") {
        auto r = svc->create_member(kAdmin, NewMember{phone, "123456", name, std::nullopt, std::nullopt});
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : to_string(r.error().code)));
        CHECK(r->kind == Reply::Kind::created);
        return r->body.at("id").get<std::int64_t>();
    }
    Result<Reply> buy(const std::string& who, Cents amount, const std::string& txn,
                      const std::string& store_id = "s1") {
        PurchaseRequest p;
        p.txn_id = txn;
        p.member = who;
        p.amount = amount;
        p.store = store_id;
        return svc->purchase(kPos, p);
    }
    Points balance(std::int64_t id) {
        auto me = svc->me(id, false);
        REQUIRE(me.ok());
        return me->points.balance;
    }
    std::vector<LedgerEntry> ledger(std::int64_t id) {
        return store->read([&](ReadTx& tx) { return tx.ledger_all(id); });
    }
    int count(std::int64_t id, EntryType t) {
        int n = 0;
        for (const auto& e : ledger(id)) n += e.type == t;
        return n;
    }
};

}  // namespace

TEST_CASE("service: purchase earns points and shows in the balance") {
    Fixture f;
    const auto id = f.member("13800000001", "王小明");
    auto r = f.buy("13800000001", 12800, "T1");
    REQUIRE(r.ok());
    CHECK(r->kind == Reply::Kind::created);
    CHECK(r->body["points_earned"] == 12);
    CHECK(r->body["points"]["balance"] == 12);
    CHECK(f.balance(id) == 12);
    // By member id too.
    REQUIRE(f.buy(std::to_string(id), 5000, "T2").ok());
    CHECK(f.balance(id) == 17);
    // Unknown member, bad amount.
    CHECK(f.buy("13999999999", 5000, "T3").error().code == ErrorCode::member_not_found);
    CHECK(f.buy("13800000001", 0, "T4").error().code == ErrorCode::invalid_amount);
    // Every change is audited.
    auto log = f.svc->audit_log(id, 100);
    REQUIRE(log.ok());
    std::set<std::string> actions;
    for (const auto& e : (*log)["entries"]) actions.insert(e["action"].get<std::string>());
    CHECK(actions.count("purchase") == 1);
    CHECK(actions.count("create_member") == 1);
}

TEST_CASE("service: a duplicate txn_id replays the same reply; a different body conflicts") {
    Fixture f;
    const auto id = f.member("13800000001");
    auto first = f.buy("13800000001", 12800, "T1");
    REQUIRE(first.ok());
    f.advance(60);
    auto again = f.buy("13800000001", 12800, "T1");
    REQUIRE(again.ok());
    CHECK(again->kind == first->kind);
    CHECK(again->body == first->body);
    CHECK(f.balance(id) == 12);
    auto other = f.buy("13800000001", 13800, "T1");
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code == ErrorCode::idempotency_conflict);
    CHECK(f.count(id, EntryType::earn) == 1);
}

TEST_CASE("service: 32 concurrent identical purchases earn exactly once") {
    Fixture f;
    const auto id = f.member("13800000001");
    std::vector<std::thread> threads;
    std::vector<std::optional<Result<Reply>>> results(32);
    std::atomic<bool> go{false};
    for (int i = 0; i < 32; ++i)
        threads.emplace_back([&, i] {
            while (!go) std::this_thread::yield();
            results[static_cast<std::size_t>(i)] = f.buy("13800000001", 25600, "T-CONC");
        });
    go = true;
    for (auto& t : threads) t.join();
    for (auto& r : results) {
        REQUIRE(r->ok());
        CHECK((*r)->body == (*results[0])->body);
    }
    CHECK(f.count(id, EntryType::earn) == 1);
    CHECK(f.balance(id) == 25);
}

TEST_CASE("service: concurrent redemptions never overdraw") {
    Fixture f;
    const auto id = f.member("13800000001");
    REQUIRE(f.svc->adjust(kAdmin, id, 1200, "goodwill").ok());
    const Actor me{Actor::Kind::member, std::to_string(id), 0};
    std::atomic<int> ok{0}, insufficient{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 16; ++i)
        threads.emplace_back([&, i] {
            auto r = f.svc->redeem(me, id, "premium_coffee", "key-" + std::to_string(i));
            if (r.ok())
                ++ok;
            else if (r.error().code == ErrorCode::insufficient_points)
                ++insufficient;
            else
                ++other;
        });
    for (auto& t : threads) t.join();
    CHECK(ok == 2);
    CHECK(insufficient == 14);
    CHECK(other == 0);
    CHECK(f.balance(id) == 200);
    auto reds = f.svc->redemptions(id);
    REQUIRE(reds.ok());
    CHECK(reds->size() == 2);

    // The same Idempotency-Key from many threads: one redemption.
    REQUIRE(f.svc->adjust(kAdmin, id, 1000, "more").ok());
    std::vector<std::thread> same;
    std::atomic<int> same_ok{0};
    for (int i = 0; i < 8; ++i)
        same.emplace_back([&] {
            if (f.svc->redeem(me, id, "pastry", "same-key").ok()) ++same_ok;
        });
    for (auto& t : same) t.join();
    CHECK(same_ok == 8);
    CHECK(f.balance(id) == 900);
    CHECK(f.svc->redemptions(id)->size() == 3);
    auto conflict = f.svc->redeem(me, id, "premium_coffee", "same-key");
    REQUIRE_FALSE(conflict.ok());
    CHECK(conflict.error().code == ErrorCode::idempotency_conflict);
}

TEST_CASE("service: redemption result carries the coupon and the new balance") {
    Fixture f;
    const auto id = f.member("13800000001");
    REQUIRE(f.svc->adjust(kAdmin, id, 600, "goodwill").ok());
    const Actor me{Actor::Kind::member, std::to_string(id), 0};
    auto r = f.svc->redeem(me, id, "premium_coffee", "k1");
    REQUIRE(r.ok());
    CHECK(r->kind == Reply::Kind::created);
    CHECK(r->body["points"] == 500);
    CHECK(r->body["balance_after"] == 100);
    CHECK(r->body["coupon"]["code"].get<std::string>().size() == 10);
    CHECK(f.svc->redeem(me, id, "premium_coffee", "k2").error().code == ErrorCode::insufficient_points);
    CHECK(f.svc->redeem(me, id, "no_such", "k3").error().code == ErrorCode::unknown_reward);
    CHECK(f.svc->redeem(me, id, "premium_coffee", "").error().code == ErrorCode::invalid_idempotency_key);
}

TEST_CASE("service: refunds claw back points; a shortfall becomes debt") {
    Fixture f;
    const auto id = f.member("13800000001");
    REQUIRE(f.buy("13800000001", 20000, "T1").ok());
    CHECK(f.balance(id) == 20);
    auto r = f.svc->refund(kPos, RefundRequest{"T1", "R1", 10000});
    REQUIRE(r.ok());
    CHECK(r->body["points_clawed_back"] == 10);
    CHECK(f.balance(id) == 10);
    auto again = f.svc->refund(kPos, RefundRequest{"T1", "R1", 10000});
    REQUIRE(again.ok());
    CHECK(again->body == r->body);
    CHECK(f.balance(id) == 10);
    CHECK(f.svc->refund(kPos, RefundRequest{"T1", "R1", 5000}).error().code == ErrorCode::idempotency_conflict);
    CHECK(f.svc->refund(kPos, RefundRequest{"T1", "R2", 20000}).error().code == ErrorCode::refund_exceeds_purchase);
    CHECK(f.svc->refund(kPos, RefundRequest{"NOPE", "R3", 100}).error().code == ErrorCode::unknown_transaction);

    // Spend most points, then refund the rest of the purchase: balance floors at 0, the rest is debt.
    REQUIRE(f.buy("13800000001", 50000, "T2").ok());             // +50 -> 60
    REQUIRE(f.svc->adjust(kAdmin, id, -55, "correction").ok());  // 5 left
    REQUIRE(f.svc->refund(kPos, RefundRequest{"T2", "R4", 50000}).ok());
    auto me = f.svc->me(id, false);
    REQUIRE(me.ok());
    CHECK(me->points.balance == 0);
    CHECK(me->points.debt == 45);
}

TEST_CASE("service: expiry is written the first time anyone looks after it is due") {
    Fixture f;  // 2026-03-15 10:00 Shanghai
    const auto id = f.member("13800000001");
    REQUIRE(f.buy("13800000001", 12800, "T1").ok());
    f.clock.set(at("2027-03-31T15:59:00Z"));  // 23:59 local, last day: still there
    CHECK(f.balance(id) == 12);
    CHECK(f.count(id, EntryType::expire) == 0);
    f.clock.set(at("2027-04-01T00:00:00Z"));  // 08:00 local on April 1st
    CHECK(f.balance(id) == 0);
    CHECK(f.count(id, EntryType::expire) == 1);
    CHECK(f.balance(id) == 0);  // looking again writes nothing more
    CHECK(f.count(id, EntryType::expire) == 1);
    auto page = f.svc->ledger(id, LedgerQuery{std::string("expire"), std::nullopt, std::nullopt, 20, std::nullopt});
    REQUIRE(page.ok());
    REQUIRE(page->entries.size() == 1);
    CHECK(page->entries[0].points == -12);
    CHECK(page->entries[0].balance_after == 0);
}

TEST_CASE("service: tiers upgrade at once and downgrade one step when the year is up") {
    Fixture f;
    const auto id = f.member("13800000001");
    auto r = f.buy("13800000001", 400000, "BIG");
    REQUIRE(r.ok());
    CHECK(r->body["points_earned"] == 400);  // earned at the tier held before the purchase
    CHECK(r->body["tier"]["id"] == "elite");
    CHECK(r->body["tier_changed"] == true);
    CHECK(f.svc->me(id, false)->tier.id == "elite");
    f.clock.set(at("2027-04-20T02:00:00Z"));  // valid_until passed, no spend in the window
    auto me = f.svc->me(id, false);
    REQUIRE(me.ok());
    CHECK(me->tier.id == "premium");
}

TEST_CASE("service: login is rate limited per phone") {
    Fixture f;
    f.member("13800000001");
    for (int i = 0; i < 5; ++i)
        CHECK(f.svc->login("13800000001", "000000").error().code == ErrorCode::invalid_credentials);
    auto locked = f.svc->login("13800000001", "123456");
    REQUIRE_FALSE(locked.ok());
    CHECK(locked.error().code == ErrorCode::too_many_attempts);
    f.advance(14 * 60);
    CHECK(f.svc->login("13800000001", "123456").error().code == ErrorCode::too_many_attempts);
    f.advance(61);
    CHECK(f.svc->login("13800000001", "123456").ok());
    // A success clears earlier failures.
    for (int i = 0; i < 4; ++i) CHECK_FALSE(f.svc->login("13800000001", "111111").ok());
    CHECK(f.svc->login("13800000001", "123456").ok());
    for (int i = 0; i < 4; ++i) CHECK_FALSE(f.svc->login("13800000001", "111111").ok());
    CHECK(f.svc->login("13800000001", "123456").ok());
    // Unknown phones answer like a wrong PIN.
    CHECK(f.svc->login("13900000000", "123456").error().code == ErrorCode::invalid_credentials);
    CHECK(f.svc->login("abc", "123456").error().code == ErrorCode::invalid_credentials);
}

TEST_CASE("service: sessions slide and expire") {
    Fixture f;
    const auto id = f.member("13800000001");
    const UnixSeconds t0 = f.clock.now();
    auto s = f.svc->login("13800000001", "123456");
    REQUIRE(s.ok());
    CHECK(s->expires_at == t0 + 1800);
    CHECK(s->token.size() == 43);

    f.clock.set(t0 + 1200);
    auto p = f.svc->authenticate(s->token);
    REQUIRE(p);
    CHECK(p->member_id == id);
    CHECK(p->kind == Principal::Kind::member);
    CHECK(p->expires_at == t0 + 3000);
    f.clock.set(t0 + 1210);  // within 30 s of the last extension: nothing written
    p = f.svc->authenticate(s->token);
    REQUIRE(p);
    CHECK(p->expires_at == t0 + 3000);
    CHECK(f.store->read([&](ReadTx& tx) { return tx.session(crypto::hash_token(s->token))->expires_at; }) == t0 + 3000);
    f.clock.set(t0 + 2990);
    CHECK(f.svc->authenticate(s->token));
    f.clock.set(t0 + 2990 + 1800);
    CHECK_FALSE(f.svc->authenticate(s->token));
    CHECK_FALSE(f.svc->authenticate("not-a-token"));

    // Logout deletes.
    auto s2 = f.svc->login("13800000001", "123456");
    REQUIRE(s2.ok());
    CHECK(f.svc->authenticate(s2->token));
    f.svc->logout(s2->token);
    CHECK_FALSE(f.svc->authenticate(s2->token));

    // Kiosk: 2-minute sliding sessions bound to the device key.
    const UnixSeconds k0 = f.clock.now();
    auto k = f.svc->kiosk_login_with_pin("kiosk-1", "13800000001", "123456");
    REQUIRE(k.ok());
    CHECK(k->expires_at == k0 + 120);
    f.clock.set(k0 + 100);
    auto kp = f.svc->authenticate(k->token);
    REQUIRE(kp);
    CHECK(kp->kind == Principal::Kind::kiosk);
    CHECK(kp->kiosk_key_id == "kiosk-1");
    CHECK(kp->actor().kiosk_member_id == id);
    f.clock.set(k0 + 100 + 121);
    CHECK_FALSE(f.svc->authenticate(k->token));
}

TEST_CASE("service: member card codes work at the POS and the kiosk, then expire") {
    Fixture f;
    const auto id = f.member("13800000001");
    auto card = f.svc->card(id);
    REQUIRE(card.ok());
    CHECK(card->member_code.size() == 16);
    CHECK(card->member_code[0] == 'M');
    CHECK(card->refresh_after_seconds > 0);
    auto r = f.buy(card->member_code, 5000, "T1");
    REQUIRE(r.ok());
    CHECK(r->body["member_id"] == id);
    auto k = f.svc->kiosk_login_with_code("kiosk-1", card->member_code);
    REQUIRE(k.ok());
    CHECK(f.svc->authenticate(k->token)->member_id == id);
    f.advance(121);
    CHECK(f.buy(card->member_code, 5000, "T2").error().code == ErrorCode::invalid_member_code);
    CHECK(f.svc->kiosk_login_with_code("kiosk-1", card->member_code).error().code == ErrorCode::invalid_member_code);
    CHECK(f.svc->kiosk_login_with_code("kiosk-1", "MXXXXXXXXXXXXXXX").error().code == ErrorCode::invalid_member_code);
}

TEST_CASE("service: coupons redeem once at the POS, idempotently") {
    Fixture f;
    const auto id = f.member("13800000001");
    auto wallet = f.svc->coupons(id, std::string("available"));
    REQUIRE(wallet.ok());
    REQUIRE(wallet->size() == 1);  // the welcome coupon
    const std::string code = wallet->front().code;
    CouponRedeemRequest req{code, 5000, "s1", "T1"};
    auto r = f.svc->redeem_coupon(kPos, req);
    REQUIRE(r.ok());
    CHECK(r->body["discount"] == 1000);  // 20 % off
    auto again = f.svc->redeem_coupon(kPos, req);
    REQUIRE(again.ok());
    CHECK(again->body == r->body);
    CouponRedeemRequest changed = req;
    changed.order_amount = 6000;
    CHECK(f.svc->redeem_coupon(kPos, changed).error().code == ErrorCode::idempotency_conflict);
    CouponRedeemRequest other = req;
    other.txn_id = "T2";
    auto used = f.svc->redeem_coupon(kPos, other);
    REQUIRE_FALSE(used.ok());
    CHECK(used.error().code == ErrorCode::coupon_used);
    CHECK(f.svc->redeem_coupon(kPos, CouponRedeemRequest{"ZZZZZZZZZZ", 100, "s1", "T3"}).error().code ==
          ErrorCode::coupon_not_found);
    CHECK(f.svc->coupons(id, std::string("used"))->size() == 1);
    CHECK(f.svc->coupons(id, std::string("bogus")).error().code == ErrorCode::invalid_field);

    // Staff issue and void.
    auto issued = f.svc->issue_coupon(kAdmin, id, "pastry");
    REQUIRE(issued.ok());
    const std::string c2 = issued->body["code"];
    auto voided = f.svc->void_coupon(kAdmin, c2);
    REQUIRE(voided.ok());
    CHECK(voided->body["state"] == "void");
    CHECK(f.svc->void_coupon(kAdmin, c2).error().code == ErrorCode::coupon_void);
    CHECK(f.svc->redeem_coupon(kPos, CouponRedeemRequest{c2, 5000, "s1", "T4"}).error().code == ErrorCode::coupon_void);
    CHECK(f.svc->issue_coupon(kAdmin, id, "nope").error().code == ErrorCode::unknown_template);
}

TEST_CASE("service: create_member validates and refuses a taken phone") {
    Fixture f;
    auto mk = [&](std::string phone, std::string pin, std::string name, std::optional<CivilDate> b = std::nullopt) {
        return f.svc->create_member(kAdmin, NewMember{phone, pin, name, b, std::nullopt});
    };
    CHECK(mk("13800000001", "123456", "王小明").ok());
    CHECK(mk("13800000001", "123456", "Other").error().code == ErrorCode::phone_taken);
    CHECK(mk("+8613800000002", "123456", "Plus").ok());
    CHECK(mk("12345", "123456", "Short").error().code == ErrorCode::invalid_phone);
    CHECK(mk("1380000000a", "123456", "X").error().code == ErrorCode::invalid_phone);
    CHECK(mk("13800000003", "12345", "X").error().code == ErrorCode::invalid_pin);
    CHECK(mk("13800000003", "12345a", "X").error().code == ErrorCode::invalid_pin);
    CHECK(mk("13800000003", "123456", "").error().code == ErrorCode::invalid_name);
    CHECK(mk("13800000003", "123456", std::string(101, 'a')).error().code == ErrorCode::invalid_name);
    CHECK(mk("13800000003", "123456", "   ").error().code == ErrorCode::invalid_name);
    CHECK(mk("13800000003", "123456", "\xff\xfe").error().code == ErrorCode::invalid_name);
    CHECK(mk("13800000003", "123456", "王", CivilDate{2030, 1, 1}).error().code == ErrorCode::invalid_birthday);
    // 100 CJK characters are fine (300 bytes).
    std::string long_cjk;
    for (int i = 0; i < 100; ++i) long_cjk += "王";
    CHECK(mk("13800000004", "123456", long_cjk, CivilDate{1990, 1, 1}).ok());
    auto list = f.svc->list_members(std::nullopt, 2, std::nullopt);
    REQUIRE(list.ok());
    CHECK((*list)["members"].size() == 2);
    CHECK((*list)["next_cursor"].is_string());
    auto rest = f.svc->list_members(std::nullopt, 10, (*list)["next_cursor"].get<std::string>());
    CHECK((*rest)["members"].size() == 1);
}

TEST_CASE("service: patch_member updates profile and PIN") {
    Fixture f;
    const auto id = f.member("13800000001");
    f.member("13800000002");
    auto s = f.svc->login("13800000001", "123456");
    REQUIRE(s.ok());
    MemberPatch p;
    p.pin = "654321";
    p.name = "New Name";
    auto r = f.svc->patch_member(kAdmin, id, p);
    REQUIRE(r.ok());
    CHECK(r->body["name"] == "New Name");
    CHECK_FALSE(f.svc->authenticate(s->token));  // a new PIN signs devices out
    CHECK(f.svc->login("13800000001", "654321").ok());
    MemberPatch taken;
    taken.phone = "13800000002";
    CHECK(f.svc->patch_member(kAdmin, id, taken).error().code == ErrorCode::phone_taken);
}

TEST_CASE("service: erase anonymises; the member can no longer sign in; the ledger stays") {
    Fixture f;
    const auto id = f.member("13800000001", "王小明");
    REQUIRE(f.buy("13800000001", 12800, "T1").ok());
    REQUIRE(f.svc->feedback(Actor{Actor::Kind::member, std::to_string(id), 0}, id, 5, "great").ok());
    auto s = f.svc->login("13800000001", "123456");
    REQUIRE(s.ok());
    auto ex = f.svc->export_member(id);
    REQUIRE(ex.ok());
    for (const char* k : {"profile", "ledger", "coupons", "redemptions", "feedback", "purchases", "points"})
        CHECK((*ex).contains(k));
    CHECK((*ex)["profile"]["name"] == "王小明");
    CHECK((*ex)["ledger"].size() == 2);  // the purchase and the survey points

    auto r = f.svc->erase_member(Actor{Actor::Kind::member, std::to_string(id), 0}, id);
    REQUIRE(r.ok());
    CHECK(r->kind == Reply::Kind::empty);
    CHECK_FALSE(f.svc->authenticate(s->token));
    CHECK(f.svc->login("13800000001", "123456").error().code == ErrorCode::invalid_credentials);
    CHECK(f.svc->me(id, false).error().code == ErrorCode::member_not_found);
    CHECK(f.buy("13800000001", 100, "T2").error().code == ErrorCode::member_not_found);
    CHECK(f.ledger(id).size() == 2);
    auto admin_view = f.svc->get_member(id);
    REQUIRE(admin_view.ok());
    CHECK((*admin_view)["erased"] == true);
    CHECK((*admin_view)["name"] == "");
    // The phone can join again as a new member.
    CHECK(f.member("13800000001") != id);
}

TEST_CASE("service: feedback earns participation points once a month") {
    Fixture f;
    const auto id = f.member("13800000001");
    const Actor me{Actor::Kind::member, std::to_string(id), 0};
    CHECK(f.svc->feedback(me, id, 6, "").error().code == ErrorCode::invalid_rating);
    auto a = f.svc->feedback(me, id, 5, "好喝\n再来");
    REQUIRE(a.ok());
    CHECK(a->kind == Reply::Kind::created);
    CHECK(a->body["points_awarded"] == 10);
    auto b = f.svc->feedback(me, id, 4, "");
    REQUIRE(b.ok());
    CHECK(b->body["points_awarded"] == 0);
    CHECK(b->body["points"]["balance"] == 10);
    CHECK(f.balance(id) == 10);
}

TEST_CASE("service: ledger pages with an opaque cursor") {
    Fixture f;
    const auto id = f.member("13800000001");
    for (int i = 0; i < 25; ++i) {
        REQUIRE(f.buy("13800000001", 5000, "T" + std::to_string(i)).ok());
        f.advance(60);
    }
    LedgerQuery q;
    q.limit = 10;
    std::set<std::int64_t> ids;
    int pages = 0;
    for (;;) {
        auto page = f.svc->ledger(id, q);
        REQUIRE(page.ok());
        ++pages;
        for (const auto& e : page->entries) ids.insert(e.id);
        if (!page->next_cursor) break;
        q.cursor = page->next_cursor;
    }
    CHECK(pages == 3);
    CHECK(ids.size() == 25);
    q.cursor = std::string("garbage");
    CHECK(f.svc->ledger(id, q).error().code == ErrorCode::invalid_field);
    q.cursor.reset();
    q.limit = 0;
    CHECK(f.svc->ledger(id, q).error().code == ErrorCode::invalid_field);
    q.limit = 10;
    q.type = "nonsense";
    CHECK(f.svc->ledger(id, q).error().code == ErrorCode::invalid_field);
}

TEST_CASE("service: reads for members, rewards and program") {
    Fixture f;
    const auto id = f.member("13800000001", "王小明");
    auto me = f.svc->me(id, false);
    REQUIRE(me.ok());
    CHECK(me->profile.name == "王小明");
    CHECK(me->coupons.available == 1);
    auto kiosk = f.svc->me(id, true);
    REQUIRE(kiosk.ok());
    CHECK(kiosk->profile.name != "王小明");  // masked on shared screens
    auto rewards = f.svc->rewards(id);
    REQUIRE(rewards.ok());
    CHECK(rewards->size() == f.svc->program().rewards.size());
    CHECK(f.svc->me(99999, false).error().code == ErrorCode::member_not_found);
    CHECK(f.svc->healthy());
    CHECK(f.svc->program_view().id == "coffee");
}

TEST_CASE("service: demo data is seeded once, with genuine history") {
    Fixture f;
    auto logins = f.svc->seed_demo();
    REQUIRE(logins.size() == 5);
    CHECK(f.svc->seed_demo().empty());
    for (const auto& l : logins) CHECK(l["pin"] == "123456");
    auto s = f.svc->login("13800000003", "123456");
    REQUIRE(s.ok());
    const auto zhang = f.svc->authenticate(s->token)->member_id;
    CHECK(f.svc->me(zhang, false)->tier.id == "elite");
    CHECK(f.svc->redemptions(zhang)->size() >= 1);

    std::set<std::string> states;
    int expiring = 0;
    bool expired_lot = false;
    for (const auto& l : logins) {
        auto m = f.store->read([&](ReadTx& tx) { return tx.member_by_phone(l["phone"].get<std::string>()); });
        REQUIRE(m);
        auto wallet = f.svc->coupons(m->id, std::nullopt);
        REQUIRE(wallet.ok());
        for (const auto& c : *wallet) states.insert(c.state);
        expiring += static_cast<int>(f.svc->me(m->id, false)->points.expiring_soon);
        for (const auto& e : f.ledger(m->id)) expired_lot |= e.type == EntryType::expire;
        // Invariant: the ledger sums to the lots.
        MemberState st = f.store->read([&](ReadTx& tx) { return tx.load_state(m->id); });
        Points lots = 0, entries = 0;
        for (const auto& lot : st.lots) lots += lot.remaining;
        for (const auto& e : f.ledger(m->id)) entries += e.points;
        CHECK(lots == entries);
        CHECK(st.ledger_total == lots);
    }
    CHECK(states == std::set<std::string>{"available", "used", "expired", "void"});
    CHECK(expiring > 0);
    CHECK(expired_lot);
    CHECK(f.svc->me(f.store->read([](ReadTx& tx) { return tx.member_by_phone("13800000002")->id; }), false)->tier.id ==
          "premium");
}

// Speed is measured by scripts/bench-server, not here; this keeps the repeated-call path honest
// (the cached read, the session check and one purchase after another) and prints what it took.
TEST_CASE("service: repeated reads, session checks and purchases on a small database each succeed") {
    Fixture f;
    f.svc->seed_demo();
    const auto id = f.store->read([](ReadTx& tx) { return tx.member_by_phone("13800000003")->id; });
    using clk = std::chrono::steady_clock;
    REQUIRE(f.svc->me(id, false).ok());
    const auto balance_before = f.balance(id);
    const int purchases_before = f.count(id, EntryType::earn);
    const int n_me = 200;
    auto t0 = clk::now();
    for (int i = 0; i < n_me; ++i) REQUIRE(f.svc->me(id, false)->points.balance == balance_before);
    const double me_us = std::chrono::duration<double, std::micro>(clk::now() - t0).count() / n_me;

    auto s = f.svc->login("13800000003", "123456");
    REQUIRE(s.ok());
    t0 = clk::now();
    for (int i = 0; i < n_me; ++i) REQUIRE(f.svc->authenticate(s->token));
    const double auth_us = std::chrono::duration<double, std::micro>(clk::now() - t0).count() / n_me;

    const int n_buy = 50;
    t0 = clk::now();
    for (int i = 0; i < n_buy; ++i) REQUIRE(f.buy("13800000003", 4500, "BENCH-" + std::to_string(i)).ok());
    const double buy_us = std::chrono::duration<double, std::micro>(clk::now() - t0).count() / n_buy;
    MESSAGE("me(): " << me_us << " us/call, authenticate(): " << auth_us << " us/call, purchase(): " << buy_us
                     << " us/call (" << f.ledger(id).size() << " ledger rows)");
    CHECK(f.count(id, EntryType::earn) == purchases_before + n_buy);
    CHECK(f.balance(id) > balance_before);
}

}  // namespace service_test
