// Scheduled reach (domain.md §7): moving the test clock over a year of coffee members' lives sends
// exactly the reminders, greetings and coupons the program promises, each on its local day at 10:00,
// once, never in quiet hours, messages only with consent (coupons always); a run cut short by a
// restart finishes after it; the admin and staff APIs show what was sent and what comes next.
#include <algorithm>
#include <fstream>

#include "self_service_harness.hpp"
#include "staff_fixture.hpp"

using namespace mdtest;

namespace scheduled_reach_test {

namespace {

// The coffee preset plus a win-back coupon (14 days) and a National Day pack (7 days).
std::string coffee_with_reach(const fs::path& dir) {
    auto p = memberdesk::load_preset("coffee");
    REQUIRE(p);
    json j = memberdesk::program_to_json(*p);
    j["coupon_templates"].push_back(
        {{"id", "winback_15"}, {"kind", "amount_off"}, {"amount", 1500}, {"validity", {{"days", 14}}}});
    j["coupon_templates"].push_back(
        {{"id", "holiday_10"}, {"kind", "amount_off"}, {"amount", 1000}, {"validity", {{"days", 7}}}});
    j["issue"]["winback_template"] = "winback_15";
    j["issue"]["holidays"] = json::array({{{"id", "national_day"},
                                           {"name", {{"zh", "国庆"}, {"en", "National Day"}}},
                                           {"dates", {"2026-10-01", "2027-10-01"}},
                                           {"template_id", "holiday_10"}}});
    const fs::path file = dir / "coffee_reach.json";
    std::ofstream(file) << j.dump(2);
    return file.string();
}

struct ReachFixture {
    TempDir program_dir;
    std::shared_ptr<SentCodes> codes = std::make_shared<SentCodes>();
    ServerOptions options(std::function<void(AppConfig&)> more = nullptr) {
        ServerOptions o;
        o.program = coffee_with_reach(program_dir.path());
        o.configure = std::move(more);
        return capturing(codes, o);
    }
};

struct Sent {
    std::string kind, occasion, day, at;
    bool message = false, coupon = false;
};

std::vector<Sent> reach_of(TestServer& srv, std::int64_t id) {
    auto j = expect_status(srv.get("/api/v1/admin/members/" + std::to_string(id) + "/reach", admin()), 200);
    std::vector<Sent> out;
    for (const auto& r : j["sent"])
        out.push_back(
            {r["kind"], r["occasion"], r["day"], r["at"], !r["message_id"].is_null(), !r["coupon_id"].is_null()});
    return out;
}

// The member's scheduled messages, from the store (template "reach_*"), oldest first.
std::vector<memberdesk::server::MessageRecord> reach_messages(TestServer& srv, std::int64_t id) {
    auto all =
        in_store(srv, [&](memberdesk::server::SelfTx& st, auto&) { return st.messages_of(id, std::nullopt, 500); });
    std::vector<memberdesk::server::MessageRecord> out;
    for (auto it = all.rbegin(); it != all.rend(); ++it)
        if (it->template_id.rfind("reach_", 0) == 0) out.push_back(*it);
    return out;
}

int coupons_from(TestServer& srv, const std::string& token, const std::string& source) {
    auto list = expect_status(srv.get("/api/v1/me/coupons", bearer(token)), 200);
    int n = 0;
    for (const auto& c : list["coupons"])
        if (c["source"] == source) ++n;
    return n;
}

// Every occasion of the life below, in order: {day, occasion, consent}.
struct Expected {
    const char* day;
    const char* occasion;
    bool marketing;
};
const Expected kLife[] = {
    {"2026-04-10", "coupon_expiry:2026-04-13", false},  // the welcome coupon (30 days from 15 March)
    {"2026-05-19", "winback:", true},                   // 60 days after the only purchase (+ its txn id)
    {"2026-05-29", "coupon_expiry:2026-06-01", false},  // the win-back coupon (14 days)
    {"2026-06-01", "birthday:2026", true},              // birthday in June
    {"2026-06-27", "coupon_expiry:2026-06-30", false},  // the birthday drink (end of June)
    {"2026-10-01", "holiday:national_day:2026", true},  // National Day pack
    {"2026-10-04", "coupon_expiry:2026-10-07", false},  // the holiday coupon (7 days)
    {"2027-03-01", "points_expiry:2027-03-31", false},  // the 3 points of 20 March 2026
    // The second year: no purchase since March 2026, so no second win-back and no points to expire;
    // the birthday and the holiday come again.
    {"2027-06-01", "birthday:2027", true},
    {"2027-06-27", "coupon_expiry:2027-06-30", false},
    {"2027-10-01", "holiday:national_day:2027", true},
    {"2027-10-04", "coupon_expiry:2027-10-07", false},
};

// Sign-up on 15 March 2026 at 10:00 (the test start), birthday in June; a ¥30 purchase follows on
// 20 March.
std::int64_t join(TestServer& srv, SentCodes& codes, const std::string& phone, bool marketing, std::string& token) {
    auto su = sign_up(srv, codes, phone, "123456", "Coffee Member", all_consents(marketing));
    token = su["token"].get<std::string>();
    const std::int64_t id = su["member_id"].get<std::int64_t>();
    expect_status(srv.patch("/api/v1/me", {{"birthday", "1990-06-12"}}, bearer(token)), 200);
    return id;
}

}  // namespace

TEST_CASE(
    "reach: two years of a coffee member's life send exactly the promised messages and coupons, each once at 10:00 "
    "local") {
    ReachFixture fx;
    TestServer srv(fx.options());
    std::string token_a, token_b;
    const std::int64_t a = join(srv, *fx.codes, "13900000001", true, token_a);
    const std::int64_t b = join(srv, *fx.codes, "13900000002", false, token_b);
    srv.set_clock("2026-03-20T04:00:00Z");
    srv.buy("T13900000001", "13900000001", 3000);
    srv.buy("T13900000002", "13900000002", 3000);

    // Nothing is sent during quiet hours: 22:00 on 10 April, 08:30 on 11 April; at 10:00 on the 11th
    // the 10th runs first (its reminder, timed 10:00 on the 10th), then the 11th.
    srv.set_clock("2026-04-09T04:00:00Z");
    CHECK(reach_of(srv, a).empty());
    srv.set_clock("2026-04-10T14:00:00Z");  // 22:00 local
    CHECK(reach_of(srv, a).empty());
    srv.set_clock("2026-04-11T00:30:00Z");  // 08:30 local
    CHECK(reach_of(srv, a).empty());
    srv.set_clock("2026-04-11T02:00:00Z");  // 10:00 local
    REQUIRE(reach_of(srv, a).size() == 1);
    CHECK(reach_of(srv, a)[0].at == "2026-04-10T02:00:00Z");

    // Day by day through May and June, then one jump to December (everything in between runs in
    // order), then weekly to April 2028.
    for (int d = 1; d <= 61; ++d) {
        char when[32];
        const memberdesk::CivilDate day = memberdesk::add_days(memberdesk::CivilDate{2026, 5, 1}, d - 1);
        std::snprintf(when, sizeof when, "%04d-%02d-%02dT05:00:00Z", day.year, day.month, day.day);
        srv.set_clock(when);
    }
    srv.set_clock("2026-12-01T05:00:00Z");
    for (memberdesk::CivilDate day{2026, 12, 8}; day < memberdesk::CivilDate{2028, 4, 10};
         day = memberdesk::add_days(day, 7)) {
        char when[32];
        std::snprintf(when, sizeof when, "%04d-%02d-%02dT03:00:00Z", day.year, day.month, day.day);
        srv.set_clock(when);
    }
    // Setting the clock back and forward again sends nothing twice.
    srv.set_clock("2026-06-01T03:00:00Z");
    srv.set_clock("2028-04-10T03:00:00Z");

    for (std::int64_t id : {a, b}) {
        const bool marketing = id == a;
        INFO("member " << id << (marketing ? " (marketing yes)" : " (marketing no)"));
        const auto sent = reach_of(srv, id);
        REQUIRE(sent.size() == std::size(kLife));
        const auto msgs = reach_messages(srv, id);
        std::size_t m = 0;
        for (std::size_t i = 0; i < std::size(kLife); ++i) {
            INFO("occasion " << kLife[i].occasion);
            const std::string phone = marketing ? "13900000001" : "13900000002";
            const std::string occasion = kLife[i].occasion + std::string(i == 1 ? "T" + phone : "");
            CHECK(sent[i].occasion == occasion);
            CHECK(sent[i].day == kLife[i].day);
            // 10:00 in Shanghai on that day.
            CHECK(sent[i].at == std::string(kLife[i].day) + "T02:00:00Z");
            const bool with_message = !kLife[i].marketing || marketing;
            CHECK(sent[i].message == with_message);
            CHECK(sent[i].coupon ==
                  (sent[i].kind == "winback" || sent[i].kind == "birthday" || sent[i].kind == "holiday"));
            if (with_message) {
                REQUIRE(m < msgs.size());
                CHECK(msgs[m].template_id == "reach_" + sent[i].kind);
                CHECK(msgs[m].created_at == *memberdesk::parse_rfc3339(sent[i].at));
                const auto local = srv.app().service().zone().to_local(msgs[m].created_at);
                CHECK_FALSE(srv.app().service().program().reach.quiet(local.hour * 60 + local.minute));
                ++m;
            }
        }
        CHECK(m == msgs.size());  // no other scheduled message
    }
    // The texts name the totals and dates.
    const auto msgs = reach_messages(srv, a);
    const auto expiry =
        std::find_if(msgs.begin(), msgs.end(), [](const auto& m) { return m.template_id == "reach_points_expiry"; });
    REQUIRE(expiry != msgs.end());
    CHECK(expiry->inbox_text == "3积分将于3月31日过期，请尽快使用。");
    // Coupons always, whatever the consent; each once.
    for (const std::string& tok : {token_a, token_b}) {
        const std::string t = srv.login(tok == token_a ? "13900000001" : "13900000002");
        CHECK(coupons_from(srv, t, "winback") == 1);
        CHECK(coupons_from(srv, t, "birthday") == 2);
        CHECK(coupons_from(srv, t, "holiday") == 2);
    }
}

TEST_CASE("reach: a member who visits on the birthday morning gets the birthday coupon once, from the scheduler") {
    ReachFixture fx;
    TestServer srv(fx.options());
    const std::int64_t id = srv.create_member("13900000003", "123456", "Early Bird", "1990-06-12");
    srv.set_clock("2026-05-31T04:00:00Z");
    srv.set_clock("2026-06-01T00:30:00Z");  // 08:30 on 1 June: before send_at
    srv.buy("T1", "13900000003", 3000);
    const std::string t = srv.login("13900000003");
    CHECK(coupons_from(srv, t, "birthday") == 0);
    srv.set_clock("2026-06-01T02:00:00Z");
    srv.buy("T2", "13900000003", 3000);
    CHECK(coupons_from(srv, srv.login("13900000003"), "birthday") == 1);
    srv.set_clock("2026-06-20T02:00:00Z");
    CHECK(coupons_from(srv, srv.login("13900000003"), "birthday") == 1);
    // A staff-created member has no consent record: reminders yes, the marketing greeting no.
    const auto sent = reach_of(srv, id);
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].occasion == "coupon_expiry:2026-04-13");  // the welcome coupon: a reminder, sent
    CHECK(sent[0].message);
    CHECK(sent[1].occasion == "birthday:2026");
    CHECK_FALSE(sent[1].message);
}

TEST_CASE("reach: a run stopped in the middle (restart) finishes after the restart, each member once") {
    ReachFixture fx;
    auto stop = std::make_shared<std::atomic<bool>>(true);
    TestServer srv(fx.options([stop](AppConfig& c) {
        c.service.reach_batch = 1;
        // 5 members are looked at on 16 March (new: their next day is computed), 2 on 10 April.
        c.service.reach_stop = [stop](int done) { return stop->load() && done >= 7; };
    }));
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i)
        ids.push_back(
            srv.create_member("1390000010" + std::to_string(i), "123456", "M", "1990-06-0" + std::to_string(i + 1)));
    // The welcome coupons' reminders are due on 10 April: the run stops after two members.
    srv.set_clock("2026-06-01T03:00:00Z");
    std::size_t done = 0;
    for (auto id : ids) done += reach_of(srv, id).size();
    CHECK(done == 2);
    stop->store(false);
    srv.restart();  // the clock starts again at 15 March: nothing runs until it is moved
    srv.set_clock("2026-06-01T04:00:00Z");
    for (auto id : ids) {
        const auto sent = reach_of(srv, id);
        REQUIRE(sent.size() == 2);
        CHECK(sent[0].occasion == "coupon_expiry:2026-04-13");
        CHECK(sent[1].occasion == "birthday:2026");
        CHECK(sent[1].day == "2026-06-01");
    }
    srv.set_clock("2026-06-15T04:00:00Z");
    for (auto id : ids) CHECK(reach_of(srv, id).size() == 2);
}

TEST_CASE("reach: the admin sees what is scheduled next; the member's next reminder names the points and date") {
    ReachFixture fx;
    TestServer srv(fx.options());
    const std::int64_t id = srv.create_member("13900000004", "123456", "M", "1990-12-03");
    srv.buy("T1", "13900000004", 120000);  // 120 points expiring 31 March 2027 and a spend-back coupon
    auto j = expect_status(srv.get("/api/v1/admin/members/" + std::to_string(id) + "/reach", admin()), 200);
    REQUIRE(j["scheduled"].size() >= 3);
    CHECK(j["scheduled"][0]["kind"] == "coupon_expiry");
    CHECK(j["sent"].empty());
    bool points = false;
    for (const auto& o : j["scheduled"])
        if (o["occasion"] == "points_expiry:2027-03-31") {
            points = true;
            CHECK(o["day"] == "2027-03-01");
            CHECK(o["subject"]["en"] == "120 points expire on 31 March");
        }
    CHECK(points);
    const std::string t = srv.login("13900000004");
    auto next = expect_status(srv.get("/api/v1/me/reminders", bearer(t)), 200);
    CHECK(next["next"]["kind"] == "coupon_expiry");
    expect_status(srv.get("/api/v1/admin/members/999999/reach", admin()), 404);
    expect_status(srv.get("/api/v1/me/reminders"), 401);
}

TEST_CASE("reach: staff read a member's reach only within their scope") {
    ReachFixture fx;
    TestServer srv(fx.options());
    make_chain(srv);
    create_staff(srv, "mgr.e", "store_manager", "S001");
    create_staff(srv, "mgr.w", "store_manager", "S101");
    create_staff(srv, "hq.ann", "hq_admin");
    const std::int64_t id = srv.create_member("13900000005", "123456", "M");
    srv.buy("T1", "13900000005", 3000, "S001");
    const std::string path = "/api/v1/staff/members/" + std::to_string(id) + "/reach";
    expect_status(srv.get(path, bearer(staff_login(srv, "mgr.e"))), 200);
    expect_status(srv.get(path, bearer(staff_login(srv, "mgr.w"))), 404);
    expect_status(srv.get(path, bearer(staff_login(srv, "hq.ann"))), 200);
}

TEST_CASE("reach: two servers on one database moving their clocks at once handle each occasion once") {
    ReachFixture fx;
    TestServer srv(fx.options([](AppConfig& c) { c.service.reach_batch = 3; }));
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 24; ++i) {
        char phone[16];
        std::snprintf(phone, sizeof phone, "139000002%02d", i);
        ids.push_back(srv.create_member(phone, "123456", "M", "1990-06-15"));
    }
    RunningApp second(srv.config());
    httplib::Client b("127.0.0.1", second.port());
    b.set_read_timeout(120, 0);
    auto move = [](httplib::Client& c, const std::string& when) {
        auto res = c.Put("/api/v1/admin/clock", admin(), json{{"now", when}}.dump(), "application/json");
        REQUIRE(res);
        CHECK(res->status == 200);
    };
    auto a_client = srv.new_client();
    a_client->set_read_timeout(120, 0);
    for (const char* when : {"2026-04-10T02:00:00Z", "2026-06-01T02:00:00Z", "2026-06-28T02:00:00Z"}) {
        std::thread t([&] { move(b, when); });
        move(*a_client, when);
        t.join();
    }
    for (auto id : ids) {
        const auto sent = reach_of(srv, id);
        REQUIRE(sent.size() == 3);  // welcome coupon reminder, birthday, birthday coupon reminder
        CHECK(sent[0].occasion == "coupon_expiry:2026-04-13");
        CHECK(sent[1].occasion == "birthday:2026");
        CHECK(sent[2].occasion == "coupon_expiry:2026-06-30");
        CHECK(sent[1].coupon);
    }
    const std::string t = srv.login("13900000207");
    CHECK(coupons_from(srv, t, "birthday") == 1);
    second.stop();
}

}  // namespace scheduled_reach_test
