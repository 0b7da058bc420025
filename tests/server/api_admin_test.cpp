// Back office over HTTP: members (create, validate, get, list, patch), point adjustments with a
// reason (ledger + audit), coupon issue and void, the audit log, and the test clock route.
#include "test_server.hpp"

#include <ctime>

using namespace mdtest;

namespace api_admin_test {

namespace {
const std::string kPhone = "13800000001";
const std::string kPin = "123456";

std::string member_path(std::int64_t id, const std::string& tail = "") {
    return "/api/v1/admin/members/" + std::to_string(id) + tail;
}

bool text_contains(const json& t, const std::string& needle) {
    if (!t.is_object()) return false;
    for (const char* lang : {"zh", "en"})
        if (t.contains(lang) && t[lang].is_string() && t[lang].get<std::string>().find(needle) != std::string::npos)
            return true;
    return false;
}
}  // namespace

TEST_CASE("admin: create member answers 201 {id} and issues the welcome coupon") {
    TestServer srv;
    auto res = srv.post("/api/v1/admin/members",
                        {{"phone", kPhone}, {"pin", kPin}, {"name", "李雷"}, {"birthday", "1990-05-12"}}, admin());
    auto j = expect_status(res, 201);
    REQUIRE(j["id"].is_number_integer());
    auto id = j["id"].get<std::int64_t>();
    CHECK(id > 0);
    auto id2 = srv.create_member("13900000002", kPin, "韩梅梅");
    CHECK(id2 != id);

    auto token = srv.login(kPhone, kPin);
    auto me = srv.me(token);
    CHECK(me["profile"]["id"] == id);
    CHECK(me["profile"]["name"] == "李雷");
    CHECK(me["profile"]["birthday"] == "1990-05-12");
    auto wallet = srv.coupons(token);
    REQUIRE(wallet.size() == 1);
    CHECK(wallet[0]["source"] == "welcome");
    CHECK(wallet[0]["kind"] == "percent_off");
}

TEST_CASE("admin: create member validates every field and names it") {
    TestServer srv;
    struct Case {
        json body;
        std::string field;
    };
    std::vector<Case> cases = {
        {{{"pin", kPin}, {"name", "A"}}, "phone"},
        {{{"phone", 13800000001LL}, {"pin", kPin}, {"name", "A"}}, "phone"},
        {{{"phone", ""}, {"pin", kPin}, {"name", "A"}}, "phone"},
        {{{"phone", std::string(33, '1')}, {"pin", kPin}, {"name", "A"}}, "phone"},
        {{{"phone", kPhone}, {"name", "A"}}, "pin"},
        {{{"phone", kPhone}, {"pin", 123456}, {"name", "A"}}, "pin"},
        {{{"phone", kPhone}, {"pin", std::string(65, '1')}, {"name", "A"}}, "pin"},
        {{{"phone", kPhone}, {"pin", kPin}}, "name"},
        {{{"phone", kPhone}, {"pin", kPin}, {"name", ""}}, "name"},
        {{{"phone", kPhone}, {"pin", kPin}, {"name", std::string(101, 'n')}}, "name"},
        {{{"phone", kPhone}, {"pin", kPin}, {"name", json::array({"A"})}}, "name"},
        {{{"phone", kPhone}, {"pin", kPin}, {"name", "A"}, {"birthday", "1990-13-01"}}, "birthday"},
        {{{"phone", kPhone}, {"pin", kPin}, {"name", "A"}, {"birthday", "1990-02-30"}}, "birthday"},
        {{{"phone", kPhone}, {"pin", kPin}, {"name", "A"}, {"birthday", "12/05/1990"}}, "birthday"},
        {{{"phone", kPhone}, {"pin", kPin}, {"name", "A"}, {"birthday", 19900512}}, "birthday"},
    };
    for (const auto& c : cases) {
        INFO(c.body.dump());
        auto j = expect_error(srv.post("/api/v1/admin/members", c.body, admin()), 400, "invalid_field");
        CHECK(starts_with(error_message(j), c.field));
    }
    expect_error(srv.post_raw("/api/v1/admin/members", "{\"phone\":", admin()), 400, "invalid_json");
    // Nothing was created.
    auto list = expect_status(srv.get("/api/v1/admin/members", admin()), 200);
    CHECK(list["members"].empty());

    // A 100-character CJK name (300 bytes) is within the limit; a null birthday is allowed.
    std::string cjk;
    for (int i = 0; i < 100; ++i) cjk += "名";
    auto j = expect_status(srv.post("/api/v1/admin/members",
                                    {{"phone", kPhone}, {"pin", kPin}, {"name", cjk}, {"birthday", nullptr}}, admin()),
                           201);
    CHECK(j["id"].is_number_integer());
}

// domain.md §4: ill-formed values are 400. The format rules (phone digits, 6-digit PIN, a real
// birthday not in the future) have codes of their own, still 400 (docs/api.md, Errors).
TEST_CASE("admin: the service rejects an invalid phone, PIN, name or birthday with 400 and a specific code") {
    TestServer srv;
    expect_error(srv.post("/api/v1/admin/members", {{"phone", "not-a-phone"}, {"pin", kPin}, {"name", "A"}}, admin()),
                 400, "invalid_phone");
    expect_error(srv.post("/api/v1/admin/members", {{"phone", "12345"}, {"pin", kPin}, {"name", "A"}}, admin()), 400,
                 "invalid_phone");
    expect_error(srv.post("/api/v1/admin/members", {{"phone", kPhone}, {"pin", "ab"}, {"name", "A"}}, admin()), 400,
                 "invalid_pin");
    expect_error(srv.post("/api/v1/admin/members", {{"phone", kPhone}, {"pin", "1234567"}, {"name", "A"}}, admin()),
                 400, "invalid_pin");
    expect_error(srv.post("/api/v1/admin/members", {{"phone", kPhone}, {"pin", kPin}, {"name", "   "}}, admin()), 400,
                 "invalid_name");
    expect_error(srv.post("/api/v1/admin/members",
                          {{"phone", kPhone}, {"pin", kPin}, {"name", "A"}, {"birthday", "2030-01-01"}}, admin()),
                 400, "invalid_birthday");
    auto list = expect_status(srv.get("/api/v1/admin/members", admin()), 200);
    CHECK(list["members"].empty());
}

TEST_CASE("admin: a duplicate phone is 409 phone_taken") {
    TestServer srv;
    srv.create_member(kPhone, kPin, "First");
    expect_error(srv.post("/api/v1/admin/members", {{"phone", kPhone}, {"pin", "654321"}, {"name", "Second"}}, admin()),
                 409, "phone_taken");
    // The first member's PIN still works; the second PIN does not.
    CHECK(!srv.login(kPhone, kPin).empty());
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "654321"}}), 401, "invalid_credentials");
}

TEST_CASE("admin: GET a member shows the full phone; unknown and malformed ids are 404") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin, "王小明");
    srv.buy("T1", kPhone, 12800);
    auto res = srv.get(member_path(id), admin());
    auto j = expect_status(res, 200);
    REQUIRE(res);
    CHECK(j.is_object());
    CHECK(res->body.find(kPhone) != std::string::npos);
    CHECK(res->body.find("王小明") != std::string::npos);
    CHECK(res->body.find("$argon2") == std::string::npos);  // never the PIN hash
    CHECK(res->body.find("pin_hash") == std::string::npos);

    expect_error(srv.get(member_path(id + 1000), admin()), 404, "member_not_found");
    expect_error(srv.get("/api/v1/admin/members/abc", admin()), 404, "not_found");
    expect_error(srv.get("/api/v1/admin/members/0", admin()), 404, "not_found");
    expect_error(srv.get("/api/v1/admin/members/-1", admin()), 404, "not_found");
    expect_error(srv.get(member_path(id)), 401, "unauthorized");
}

TEST_CASE("admin: list members by exact phone and page through all of them") {
    TestServer srv;
    std::set<std::int64_t> created;
    for (int i = 0; i < 5; ++i)
        created.insert(srv.create_member("1380000000" + std::to_string(i), kPin, "M" + std::to_string(i)));
    auto j = expect_status(srv.get("/api/v1/admin/members?phone=13800000003", admin()), 200);
    REQUIRE(j["members"].is_array());
    REQUIRE(j["members"].size() == 1);
    CHECK(j["members"][0]["phone"] == "13800000003");
    j = expect_status(srv.get("/api/v1/admin/members?phone=1380000000", admin()), 200);  // exact, not prefix
    CHECK(j["members"].empty());

    std::set<std::int64_t> seen;
    std::optional<std::string> cursor;
    for (int page = 0; page < 10; ++page) {
        std::string q = "/api/v1/admin/members?limit=2";
        if (cursor) q += "&cursor=" + httplib::detail::encode_query_param(*cursor);
        j = expect_status(srv.get(q, admin()), 200);
        REQUIRE(j["members"].is_array());
        CHECK(j["members"].size() <= 2);
        for (const auto& m : j["members"]) CHECK(seen.insert(m["id"].get<std::int64_t>()).second);
        if (!j.contains("next_cursor") || j["next_cursor"].is_null()) break;
        cursor = j["next_cursor"].get<std::string>();
    }
    CHECK(seen == created);
    auto e = expect_error(srv.get("/api/v1/admin/members?limit=0", admin()), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "limit"));
}

TEST_CASE("admin: PATCH changes name, PIN, phone and birthday; a taken phone is 409") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin, "Old Name", std::string("1990-05-12"));
    srv.create_member("13900000002", kPin, "Other");

    expect_status(srv.patch(member_path(id), {{"name", "New Name"}}, admin()), 200);
    auto token = srv.login(kPhone, kPin);
    CHECK(srv.me(token)["profile"]["name"] == "New Name");

    expect_status(srv.patch(member_path(id), {{"pin", "777777"}}, admin()), 200);
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}}), 401, "invalid_credentials");
    CHECK(!srv.login(kPhone, "777777").empty());

    expect_error(srv.patch(member_path(id), {{"phone", "13900000002"}}, admin()), 409, "phone_taken");
    expect_status(srv.patch(member_path(id), {{"phone", "13700000007"}}, admin()), 200);
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", "777777"}}), 401, "invalid_credentials");
    auto t2 = srv.login("13700000007", "777777");
    CHECK(srv.me(t2)["profile"]["phone_masked"] == "137****0007");

    CHECK(srv.me(t2)["profile"]["birthday"] == "1990-05-12");
    expect_status(srv.patch(member_path(id), {{"birthday", nullptr}}, admin()), 200);
    auto me = srv.me(t2);
    CHECK((!me["profile"].contains("birthday") || me["profile"]["birthday"].is_null()));
    expect_status(srv.patch(member_path(id), {{"birthday", "1991-01-02"}}, admin()), 200);
    CHECK(srv.me(t2)["profile"]["birthday"] == "1991-01-02");

    // An empty patch changes nothing; bad fields are 400; unknown member 404.
    expect_status(srv.patch(member_path(id), json::object(), admin()), 200);
    CHECK(srv.me(t2)["profile"]["name"] == "New Name");
    auto e = expect_error(srv.patch(member_path(id), {{"name", ""}}, admin()), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "name"));
    e = expect_error(srv.patch(member_path(id), {{"birthday", "soon"}}, admin()), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "birthday"));
    e = expect_error(srv.patch(member_path(id), {{"pin", 7}}, admin()), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "pin"));
    expect_error(srv.patch(member_path(id + 1000), {{"name", "X"}}, admin()), 404, "member_not_found");
    expect_error(srv.patch(member_path(id), {{"pin", "ab"}}, admin()), 400, "invalid_pin");
    CHECK(!srv.login("13700000007", "777777").empty());
}

TEST_CASE("admin: adjustments with a reason show in the ledger and the audit log") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    auto plus_ = srv.adjust(id, 120, "compensation for order 42");
    CHECK(plus_["member_id"] == id);
    CHECK(plus_["points"]["balance"] == 120);
    REQUIRE(plus_["entries"].is_array());
    REQUIRE(plus_["entries"].size() == 1);
    CHECK(plus_["entries"][0]["type"] == "adjust");
    CHECK(plus_["entries"][0]["points"] == 120);
    CHECK(plus_["entries"][0]["balance_after"] == 120);

    auto minus = srv.adjust(id, -50, "goodwill correction");
    REQUIRE(minus["entries"].size() == 1);
    CHECK(minus["entries"][0]["points"] == -50);
    CHECK(minus["points"]["balance"] == 70);

    auto token = srv.login(kPhone, kPin);
    CHECK(srv.balance(token) == 70);
    auto ledger = srv.ledger_all(token, "type=adjust");
    REQUIRE(ledger.size() == 2);
    CHECK(ledger[0]["points"] == -50);
    CHECK(text_contains(ledger[0]["reason"], "goodwill correction"));
    CHECK(ledger[1]["points"] == 120);
    CHECK(text_contains(ledger[1]["reason"], "compensation for order 42"));
    CHECK(ledger[1]["expires_at"].is_string());  // a positive adjustment is a lot with an expiry

    auto audit = expect_status(srv.get("/api/v1/admin/audit?member_id=" + std::to_string(id), admin()), 200);
    REQUIRE(audit["entries"].is_array());
    int adjusts = 0;
    for (const auto& e : audit["entries"]) {
        CHECK(e["member_id"] == id);
        if (e.value("action", "").find("adjust") == std::string::npos) continue;
        ++adjusts;
        CHECK(e["actor"]["kind"] == "admin");
        CHECK(e["actor"]["id"] == "admin");
        CHECK(e["at"] == kStart);
        auto detail = e["detail"].dump();
        CHECK((detail.find("goodwill correction") != std::string::npos ||
               detail.find("compensation for order 42") != std::string::npos));
    }
    CHECK(adjusts == 2);
    // Newest first.
    REQUIRE(audit["entries"].size() >= 2);
    CHECK(audit["entries"][0]["id"].get<std::int64_t>() > audit["entries"][1]["id"].get<std::int64_t>());
}

TEST_CASE("admin: an adjustment below zero is 409 insufficient_points; bad adjustments are 400/404") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    srv.adjust(id, 30, "start");
    expect_error(srv.adjust_raw(id, {{"points", -31}, {"reason", "too much"}}), 409, "insufficient_points");
    auto e = expect_error(srv.adjust_raw(id, {{"points", 0}, {"reason", "nothing"}}), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "points"));
    e = expect_error(srv.adjust_raw(id, {{"points", 1000001}, {"reason", "a lot"}}), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "points"));
    e = expect_error(srv.adjust_raw(id, {{"points", 1.5}, {"reason", "half"}}), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "points"));
    e = expect_error(srv.adjust_raw(id, {{"points", "10"}, {"reason", "string"}}), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "points"));
    e = expect_error(srv.adjust_raw(id, {{"points", 10}}), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "reason"));
    e = expect_error(srv.adjust_raw(id, {{"points", 10}, {"reason", ""}}), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "reason"));
    e = expect_error(srv.adjust_raw(id, {{"points", 10}, {"reason", std::string(501, 'r')}}), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "reason"));
    expect_error(srv.adjust_raw(id + 1000, {{"points", 10}, {"reason", "ghost"}}), 404, "member_not_found");
    auto token = srv.login(kPhone, kPin);
    CHECK(srv.balance(token) == 30);
    CHECK(srv.ledger_all(token).size() == 1);
    // Exactly the balance is fine.
    CHECK(srv.adjust(id, -30, "all of it")["points"]["balance"] == 0);
}

TEST_CASE("admin: issue a coupon by template; unknown template is 404; void it once") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    auto c = expect_status(srv.post(member_path(id, "/coupons"), {{"template", "spend_back_20"}}, admin()), 201);
    CHECK(c["source"] == "staff");
    CHECK(c["kind"] == "amount_off");
    CHECK(c["state"] == "available");
    CHECK(c["valid_from"].is_string());
    CHECK(c["valid_until"].is_string());
    REQUIRE(c["code"].is_string());
    auto code = c["code"].get<std::string>();

    auto token = srv.login(kPhone, kPin);
    bool found = false;
    for (const auto& w : srv.coupons(token, "available")) found = found || w["code"] == code;
    CHECK(found);

    expect_error(srv.post(member_path(id, "/coupons"), {{"template", "gold_bar"}}, admin()), 404, "unknown_template");
    auto e = expect_error(srv.post(member_path(id, "/coupons"), json::object(), admin()), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "template"));
    expect_error(srv.post(member_path(id + 1000, "/coupons"), {{"template", "spend_back_20"}}, admin()), 404,
                 "member_not_found");

    auto v = expect_status(srv.post_empty("/api/v1/admin/coupons/" + code + "/void", admin()), 200);
    CHECK(v["code"] == code);
    CHECK(v["state"] == "void");
    expect_error(srv.post_empty("/api/v1/admin/coupons/" + code + "/void", admin()), 409, "coupon_void");
    expect_error(srv.post_empty("/api/v1/admin/coupons/NO-SUCH-CODE/void", admin()), 404, "coupon_not_found");
    CHECK(srv.coupons(token, "void").size() == 1);

    // A used coupon cannot be voided.
    auto c2 = expect_status(srv.post(member_path(id, "/coupons"), {{"template", "spend_back_10"}}, admin()), 201);
    expect_status(srv.post("/api/v1/pos/coupons/redeem",
                           {{"code", c2["code"]}, {"order_amount", 5000}, {"store", "S001"}, {"txn_id", "T1"}}, pos()),
                  200);
    expect_error(srv.post_empty("/api/v1/admin/coupons/" + c2["code"].get<std::string>() + "/void", admin()), 409,
                 "coupon_used");
}

TEST_CASE("admin: the audit log records purchases, redemptions and coupon use with who and when") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    srv.buy("T-AUD", kPhone, 50000);
    srv.adjust(id, 300, "gift");
    auto token = srv.login(kPhone, kPin);
    srv.set_clock(plus(kStart, 60));
    expect_status(srv.post("/api/v1/me/redemptions", {{"reward_id", "pastry"}}, bearer(token) + idem("a1")), 201);
    auto audit =
        expect_status(srv.get("/api/v1/admin/audit?member_id=" + std::to_string(id) + "&limit=100", admin()), 200);
    REQUIRE(audit["entries"].is_array());
    std::set<std::string> kinds;
    bool purchase_by_pos = false, redemption_by_member = false;
    for (const auto& e : audit["entries"]) {
        CHECK(e["member_id"] == id);
        CHECK(e["at"].is_string());
        REQUIRE(e["actor"].is_object());
        kinds.insert(e["actor"].value("kind", ""));
        auto action = e.value("action", "");
        if (action.find("purchase") != std::string::npos && e["actor"]["kind"] == "pos") {
            purchase_by_pos = true;
            CHECK(e["at"] == kStart);
            CHECK(e["detail"].dump().find("T-AUD") != std::string::npos);
        }
        if (action.find("redeem") != std::string::npos && e["actor"]["kind"] == "member") {
            redemption_by_member = true;
            CHECK(e["at"] == plus(kStart, 60));
        }
    }
    CHECK(purchase_by_pos);
    CHECK(redemption_by_member);
    auto e = expect_error(srv.get("/api/v1/admin/audit?member_id=abc", admin()), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "member_id"));
    e = expect_error(srv.get("/api/v1/admin/audit?limit=101", admin()), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "limit"));
}

TEST_CASE("admin: PUT /admin/clock sets the test clock and echoes it in UTC") {
    TestServer srv;
    auto j = expect_status(srv.put("/api/v1/admin/clock", {{"now", "2027-04-01T08:00:00+08:00"}}, admin()), 200);
    CHECK(j["now"] == "2027-04-01T00:00:00Z");
    srv.create_member(kPhone, kPin);
    auto res = srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}});
    CHECK(expect_status(res, 200)["expires_at"] == "2027-04-01T00:30:00Z");
    auto e = expect_error(srv.put("/api/v1/admin/clock", {{"now", "next tuesday"}}, admin()), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "now"));
    e = expect_error(srv.put("/api/v1/admin/clock", json::object(), admin()), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "now"));
    expect_error(srv.put("/api/v1/admin/clock", {{"now", "2030-01-01T00:00:00Z"}}), 401, "unauthorized");
    expect_error(srv.put("/api/v1/admin/clock", {{"now", "2030-01-01T00:00:00Z"}}, pos()), 403, "forbidden");
    // Not changed by the refused calls.
    res = srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}});
    CHECK(expect_status(res, 200)["expires_at"] == "2027-04-01T00:30:00Z");
}

TEST_CASE("admin: without --test-clock PUT /admin/clock is 404 even with the admin key, and time is real") {
    ServerOptions o;
    o.test_clock = false;
    TestServer srv(o);
    expect_error(srv.put("/api/v1/admin/clock", {{"now", "2030-01-01T00:00:00Z"}}, admin()), 404, "not_found");
    expect_error(srv.put("/api/v1/admin/clock", {{"now", "2030-01-01T00:00:00Z"}}, pos()), 404, "not_found");
    srv.create_member(kPhone, kPin);
    auto before = static_cast<std::int64_t>(std::time(nullptr));
    auto j = expect_status(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}}), 200);
    auto after = static_cast<std::int64_t>(std::time(nullptr));
    REQUIRE(j["expires_at"].is_string());
    auto exp = unix_of(j["expires_at"].get<std::string>());
    CHECK(exp >= before + 30 * 60);
    CHECK(exp <= after + 30 * 60);
}

}  // namespace api_admin_test
