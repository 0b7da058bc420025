// Demo data (--demo): a few members with a year of history, replayed through the real service and
// core at historic times, so their ledgers, lots, tiers, expiries and coupons are genuine.
//
// Logins (all PIN 123456):
//   13800000001 王小明    modest spender (entry tier), birthday this month, a used welcome coupon
//   13800000002 李娜      weekly regular (Premium under `coffee`), a voided staff coupon
//   13800000003 张伟      heavy spender (Elite under `coffee`), a refund, a redemption (used at POS)
//   13800000004 Emma Chen points expiring at the end of this month, an expired lot
//   13800000005 陈静      joined three days ago: only the welcome coupon
// Under other presets the same history yields whatever tiers those rules give.
#include <algorithm>

#include "memberdesk/tiers.hpp"
#include "service/service_impl.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

namespace {

constexpr UnixSeconds kDay = 86400;

// Deterministic variety without a random source.
struct Lcg {
    std::uint64_t s;
    std::int64_t next(std::int64_t lo, std::int64_t hi) {  // [lo, hi]
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return lo + static_cast<std::int64_t>((s >> 33) % static_cast<std::uint64_t>(hi - lo + 1));
    }
};

}  // namespace

std::vector<nlohmann::json> Service::seed_demo() {
    using nlohmann::json;
    Impl& im = *impl_;
    const bool empty = im.store->read([](ReadTx& tx) { return tx.member_count() == 0; });
    if (!empty) return {};

    const UnixSeconds now = im.clock.now();
    const ZoneRules& z = im.zone;
    const std::string pin = "123456";
    Actor admin{Actor::Kind::admin, "demo", 0};
    Actor pos{Actor::Kind::pos, "demo-pos", 0};
    const std::vector<std::string> stores = {"store-001", "store-002", "store-003"};

    // A local time of day (10:00-19:59) on the local date `days` ago.
    auto day_at = [&](int days_ago, Lcg& r) {
        const CivilDate d = z.local_date(now - days_ago * kDay);
        const UnixSeconds t = z.start_of_day(d) + r.next(10, 19) * 3600 + r.next(0, 59) * 60;
        return std::min(t, now - 60);
    };

    auto create = [&](const std::string& phone, const std::string& name, std::optional<CivilDate> birthday,
                      UnixSeconds joined) -> std::int64_t {
        auto r = im.create_member(admin, NewMember{phone, pin, name, birthday, std::nullopt}, joined);
        if (!r) throw std::runtime_error("demo: create_member " + phone + ": " + to_string(r.error().code));
        return r->body.at("id").get<std::int64_t>();
    };
    int txn_seq = 0;
    auto buy = [&](const std::string& phone, Cents amount, UnixSeconds at, const std::string& store) {
        PurchaseRequest p;
        p.txn_id = "DEMO-" + std::to_string(++txn_seq);
        p.member = phone;
        p.amount = amount;
        p.store = store;
        p.at = at;
        auto r = im.purchase(pos, p, at);
        if (!r)
            throw std::runtime_error(std::string("demo: purchase: ") + to_string(r.error().code) + " " +
                                     r.error().message);
        return p.txn_id;
    };
    auto state_of = [&](std::int64_t id) { return im.store->read([&](ReadTx& tx) { return tx.load_state(id); }); };
    auto available_coupon = [&](std::int64_t id, UnixSeconds t, const std::string& template_id) {
        std::optional<Coupon> out;
        for (const auto& c : state_of(id).coupons)
            if (c.template_id == template_id && effective_state(c, t) == CouponState::available) out = c;
        return out;
    };

    // 1. 王小明: a modest regular; birthday this month; used his welcome coupon on the first order.
    {
        Lcg r{1};
        const CivilDate today = z.local_date(now);
        const std::string phone = "13800000001";
        const std::int64_t id = create(phone, "王小明", CivilDate{1990, today.month, 1}, now - 400 * kDay);
        const std::string& welcome = im.program.issue.welcome_template;
        bool first = true, big = false;
        for (int d = 395; d > 8; d -= static_cast<int>(r.next(14, 24))) {
            const UnixSeconds at = day_at(d, r);
            Cents amount = r.next(25, 60) * 100;
            if (d < 200 && !big) {
                amount = 12800;  // a spend-back purchase long ago: its coupon expired unused
                big = true;
            }
            if (first && !welcome.empty()) {
                if (auto c = available_coupon(id, at, welcome)) {
                    CouponRedeemRequest cr{c->code, amount, stores[0], "DEMO-POS-W1"};
                    (void)im.redeem_coupon(pos, cr, at);
                }
            }
            first = false;
            buy(phone, amount, at, stores[static_cast<std::size_t>(r.next(0, 2))]);
        }
        buy(phone, 10800, day_at(5, r), stores[0]);  // a recent one: its spend-back coupon is available
    }

    // 2. 李娜: weekly; a staff coupon issued and voided.
    {
        Lcg r{2};
        const std::string phone = "13800000002";
        const std::int64_t id = create(phone, "李娜", CivilDate{1988, 11, 3}, now - 380 * kDay);
        for (int d = 375; d > 1; d -= static_cast<int>(r.next(6, 8)))
            buy(phone, r.next(32, 48) * 100, day_at(d, r), stores[static_cast<std::size_t>(r.next(0, 1))]);
        if (!im.program.coupon_templates.empty()) {
            const UnixSeconds t = now - 20 * kDay;
            auto issued = im.issue_coupon(admin, id, im.program.coupon_templates.front().id, t);
            if (issued) (void)im.void_coupon(admin, issued->body.at("code").get<std::string>(), t + 3600);
        }
    }

    // 3. 张伟: heavy spender; a refund; a redemption whose coupon he used at the counter.
    {
        Lcg r{3};
        const std::string phone = "13800000003";
        const std::int64_t id = create(phone, "张伟", CivilDate{1982, 2, 14}, now - 420 * kDay);
        std::string refundable;
        for (int d = 410; d > 1; d -= static_cast<int>(r.next(3, 4))) {
            Cents amount = r.next(38, 65) * 100;
            if (d % 60 < 4) amount = r.next(55, 70) * 1000;  // an occasional big order (beans, gifts)
            const std::string txn = buy(phone, amount, day_at(d, r), stores[static_cast<std::size_t>(r.next(0, 2))]);
            if (d < 40 && d > 30 && refundable.empty()) refundable = txn;
        }
        if (!refundable.empty()) {
            RefundRequest rr{refundable, "DEMO-R1", 0};
            auto found = im.store->read([&](ReadTx& tx) { return tx.purchase_by_txn(refundable); });
            if (found) {
                rr.amount = std::max<Cents>(100, found->second.amount / 2);
                (void)im.refund(pos, rr, now - 25 * kDay);
            }
        }
        // Redeem the cheapest reward he may have, then use its coupon at the counter.
        std::vector<const Reward*> rewards;
        for (const auto& rw : im.program.rewards) rewards.push_back(&rw);
        std::sort(rewards.begin(), rewards.end(), [](const Reward* a, const Reward* b) { return a->cost < b->cost; });
        const UnixSeconds t = now - 10 * kDay;
        for (const Reward* rw : rewards) {
            auto red = im.redeem(Actor{Actor::Kind::member, std::to_string(id), 0}, id, rw->id, "demo-1", t);
            if (!red) continue;
            const json& c = red->body["coupon"];
            if (c.is_object()) {
                CouponRedeemRequest cr{c.at("code").get<std::string>(), 4500, stores[0], "DEMO-POS-R1"};
                (void)im.redeem_coupon(pos, cr, t + 2 * 3600);
            }
            break;
        }
        // And a second, still available.
        for (const Reward* rw : rewards)
            if (im.redeem(Actor{Actor::Kind::member, std::to_string(id), 0}, id, rw->id, "demo-2", now - 2 * kDay))
                break;
    }

    // 4. Emma Chen: most points earned about a year ago (expiring soon), an older lot already expired.
    {
        Lcg r{4};
        const std::string phone = "13800000004";
        create(phone, "Emma Chen", CivilDate{1995, 7, 21}, now - 440 * kDay);
        buy(phone, 26800, day_at(430, r), stores[1]);
        // Bought on the 1st-4th of this local month a year ago: under the default policy
        // (end of the month 12 months later) these lots expire at the end of this month.
        const CivilDate today = z.local_date(now);
        for (int day = 1; day <= 4; ++day) {
            const UnixSeconds at = z.start_of_day(CivilDate{today.year - 1, today.month, day}) + (10 + day) * 3600;
            buy(phone, r.next(150, 260) * 100, at, stores[static_cast<std::size_t>(r.next(0, 2))]);
        }
        for (int d : {120, 45, 9}) buy(phone, r.next(30, 50) * 100, day_at(d, r), stores[1]);
    }

    // 5. 陈静: new, nothing but the welcome coupon.
    create("13800000005", "陈静", std::nullopt, now - 3 * kDay);

    // Bring everyone up to date (expiries, tier re-evaluations) and list the logins.
    std::vector<json> logins;
    auto rows = im.store->read([](ReadTx& tx) { return tx.list_members(std::nullopt, std::nullopt, 100); });
    for (const auto& m : rows) {
        const MemberState s = im.store->write([&](WriteTx& tx) { return im.prepare(tx, m.id, now); });
        const int ti = current_tier_index(im.program, s.tier);
        json tier = nullptr;
        if (ti >= 0 && ti < static_cast<int>(im.program.tiers.size()))
            tier = im.program.tiers[static_cast<std::size_t>(ti)].name;
        const Balances b = balances(im.program, s, now);
        logins.push_back({{"phone", m.phone},
                          {"pin", pin},
                          {"name", m.name},
                          {"tier", tier},
                          {"balance", b.balance},
                          {"expiring_soon", b.expiring_soon}});
    }
    return logins;
}

}  // namespace memberdesk::server
