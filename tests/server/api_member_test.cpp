// The member's own routes: /me, ledger paging and filters, coupons wallet, card, feedback, export,
// erase, and that a member token only ever reaches its own member.
#include "test_server.hpp"

using namespace mdtest;

namespace api_member_test {

namespace {
const std::string kPhone = "13800000001";
const std::string kPin = "123456";

std::set<std::int64_t> ids_of(const std::vector<json>& entries) {
    std::set<std::int64_t> s;
    for (const auto& e : entries) s.insert(e.value("id", std::int64_t{-1}));
    return s;
}

void check_text(const json& t, const std::string& what) {
    INFO(what << ": " << t.dump());
    REQUIRE(t.is_object());
    CHECK(t["zh"].is_string());
    CHECK(t["en"].is_string());
    if (t["zh"].is_string()) CHECK(!t["zh"].get<std::string>().empty());
    if (t["en"].is_string()) CHECK(!t["en"].get<std::string>().empty());
}
}  // namespace

TEST_CASE("program: GET /api/v1/program needs no auth and describes the coffee preset") {
    TestServer srv;
    auto j = expect_status(srv.get("/api/v1/program"), 200);
    REQUIRE(j.is_object());
    CHECK(j["id"] == "coffee");
    CHECK(j["currency"] == "CNY");
    CHECK(j["timezone"] == "Asia/Shanghai");
    check_text(j["name"], "name");
    REQUIRE(j["tiers"].is_array());
    REQUIRE(j["tiers"].size() == 3);
    CHECK(j["tiers"][0]["id"] == "standard");
    CHECK(j["tiers"][1]["id"] == "premium");
    CHECK(j["tiers"][2]["id"] == "elite");
    CHECK(j["tiers"][0]["multiplier_percent"] == 100);
    CHECK(j["tiers"][1]["multiplier_percent"] == 120);
    CHECK(j["tiers"][2]["multiplier_percent"] == 150);
    CHECK(j["tiers"][1]["name"]["zh"] == "优选");
    for (const auto& t : j["tiers"]) check_text(t["requirement"], "tier requirement");
    REQUIRE(j["rules"].is_array());
    CHECK(!j["rules"].empty());
    std::set<std::string> sections;
    for (const auto& r : j["rules"]) {
        sections.insert(r.value("id", ""));
        check_text(r["heading"], "rule heading");
        check_text(r["body"], "rule body");
    }
    CHECK(sections.count("earning") == 1);
    CHECK(sections.count("expiry") == 1);
    CHECK(sections.count("tiers") == 1);
    CHECK(j["zone"].is_object());
}

TEST_CASE("me: shape for a new member: masked phone, zero points, Standard tier with next tier, welcome coupon") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin, "王小明", std::string("1990-05-12"));
    auto token = srv.login(kPhone, kPin);
    auto res = srv.get("/api/v1/me", bearer(token));
    auto j = expect_status(res, 200);
    REQUIRE(res);
    CHECK(res->get_header_value("Content-Type").find("application/json") == 0);
    CHECK(res->get_header_value("Cache-Control") == "no-store");
    CHECK(res->body.find(kPhone) == std::string::npos);  // the full phone never appears

    const auto& p = j["profile"];
    CHECK(p["id"] == id);
    CHECK(p["name"] == "王小明");
    CHECK(p["phone_masked"] == "138****0001");
    CHECK(p["birthday"] == "1990-05-12");
    CHECK(p["joined_at"] == kStart);

    const auto& pts = j["points"];
    CHECK(pts["balance"] == 0);
    CHECK(pts["pending"] == 0);
    CHECK(pts["lifetime_earned"] == 0);
    CHECK(pts["expiring_soon"] == 0);
    CHECK(pts["debt"] == 0);

    const auto& t = j["tier"];
    CHECK(t["id"] == "standard");
    CHECK(t["name"]["zh"] == "标准");
    CHECK(t["name"]["en"] == "Standard");
    CHECK(t["multiplier_percent"] == 100);
    CHECK(t["percent"] == 0);
    REQUIRE(t["benefits"].is_array());
    CHECK(t["benefits"].size() == 3);
    REQUIRE(t["next"].is_object());
    CHECK(t["next"]["id"] == "premium");
    CHECK(t["next"]["remaining_spend"] == 120000);
    check_text(t["next"]["requirement"], "next.requirement");

    const auto& c = j["coupons"];
    CHECK(c["available"] == 1);  // welcome_20
    CHECK(c["used"] == 0);
    CHECK(c["expired"] == 0);
    CHECK(c["voided"] == 0);

    REQUIRE(j["offers"].is_array());
    for (const auto& o : j["offers"]) {
        check_text(o["title"], "offer title");
        CHECK(o.find("segments") == o.end());  // internal labels are never shown
    }
    CHECK(res->body.find("\"segment") == std::string::npos);
}

TEST_CASE("me: points, lifetime, tier progress and coupon counts follow a purchase") {
    TestServer srv;
    srv.create_member(kPhone, kPin, "王小明");
    srv.buy("T1", kPhone, 12800);  // 12 points; >= ¥100 -> spend-back ¥10 coupon
    auto j = srv.me(srv.login(kPhone, kPin));
    CHECK(j["points"]["balance"] == 12);
    CHECK(j["points"]["lifetime_earned"] == 12);
    CHECK(j["points"]["next_expiry"] == "2027-03-31T15:59:59Z");
    CHECK(j["tier"]["id"] == "standard");
    CHECK(j["tier"]["next"]["remaining_spend"] == 120000 - 12800);
    CHECK(j["tier"]["percent"] == 10);  // 12800 / 120000 = 10.67 %, floor
    CHECK(j["coupons"]["available"] == 2);
}

TEST_CASE("ledger: paging with a cursor returns every entry once, newest first, without gaps") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    for (int i = 0; i < 25; ++i) srv.buy("T" + std::to_string(i), kPhone, 1000 + i);  // 1 point each
    for (int i = 0; i < 20; ++i) srv.adjust(id, 2, "bonus " + std::to_string(i));
    auto token = srv.login(kPhone, kPin);

    auto all = srv.ledger_all(token, "", 7);
    REQUIRE(all.size() == 45);
    CHECK(ids_of(all).size() == 45);
    for (std::size_t i = 1; i < all.size(); ++i) {
        INFO("entry " << i << ": " << all[i].dump() << " after " << all[i - 1].dump());
        CHECK(all[i]["id"].get<std::int64_t>() < all[i - 1]["id"].get<std::int64_t>());
    }
    CHECK(all.front()["balance_after"] == 65);
    CHECK(all.back()["balance_after"] == 1);
    CHECK(sum_points(all) == 65);
    // Entry shape.
    const auto& e = all.back();
    CHECK(e["type"] == "earn");
    CHECK(e["points"] == 1);
    CHECK(e["created_at"] == kStart);
    CHECK(e["expires_at"] == "2027-03-31T15:59:59Z");
    CHECK(e["store"] == "S001");
    check_text(e["reason"], "ledger reason");

    // Same pages whatever the page size.
    auto big = srv.ledger_all(token, "", 100);
    REQUIRE(big.size() == all.size());
    for (std::size_t i = 0; i < big.size(); ++i) CHECK(big[i]["id"] == all[i]["id"]);

    // A first page of exactly 20 by default, with a cursor.
    auto first = expect_status(srv.get("/api/v1/me/ledger", bearer(token)), 200);
    CHECK(first["entries"].size() == 20);
    CHECK(first["next_cursor"].is_string());

    // The last page has no next_cursor.
    auto last = expect_status(srv.get("/api/v1/me/ledger?limit=45", bearer(token)), 200);
    CHECK(last["entries"].size() == 45);
    CHECK((!last.contains("next_cursor") || last["next_cursor"].is_null()));
}

TEST_CASE("ledger: a cursor keeps its place when new entries arrive between pages") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    for (int i = 0; i < 10; ++i) srv.adjust(id, 1, "a" + std::to_string(i));
    auto token = srv.login(kPhone, kPin);
    auto p1 = expect_status(srv.get("/api/v1/me/ledger?limit=4", bearer(token)), 200);
    REQUIRE(p1["next_cursor"].is_string());
    srv.adjust(id, 1, "late");  // newer than everything seen
    auto cursor = p1["next_cursor"].get<std::string>();
    auto p2 = expect_status(
        srv.get("/api/v1/me/ledger?limit=100&cursor=" + httplib::detail::encode_query_param(cursor), bearer(token)),
        200);
    REQUIRE(p2["entries"].is_array());
    CHECK(p2["entries"].size() == 6);
    std::set<std::int64_t> seen;
    for (const auto& e : p1["entries"]) seen.insert(e["id"].get<std::int64_t>());
    for (const auto& e : p2["entries"]) CHECK(seen.insert(e["id"].get<std::int64_t>()).second);
    CHECK(seen.size() == 10);
}

TEST_CASE("ledger: type filter") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    for (int i = 0; i < 5; ++i) srv.buy("T" + std::to_string(i), kPhone, 5000);
    for (int i = 0; i < 3; ++i) srv.adjust(id, 7, "goodwill");
    auto token = srv.login(kPhone, kPin);
    auto earn = srv.ledger_all(token, "type=earn", 2);
    CHECK(earn.size() == 5);
    CHECK(count_type(earn, "earn") == 5);
    auto adj = srv.ledger_all(token, "type=adjust", 2);
    CHECK(adj.size() == 3);
    CHECK(count_type(adj, "adjust") == 3);
    CHECK(sum_points(adj) == 21);
    CHECK(srv.ledger_all(token, "type=redeem").empty());
}

TEST_CASE("ledger: from/to filters take instants or local dates (Asia/Shanghai), inclusive") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    // Local 2026-03-15: three purchases.
    for (int i = 0; i < 3; ++i) srv.buy("D1-" + std::to_string(i), kPhone, 1000);
    // 2026-03-15T16:30Z is 00:30 on 2026-03-16 local.
    srv.set_clock("2026-03-15T16:30:00Z");
    srv.buy("D2-0", kPhone, 2000);
    srv.set_clock("2026-03-16T02:00:00Z");
    srv.buy("D2-1", kPhone, 2000);
    srv.set_clock("2026-03-17T02:00:00Z");
    srv.buy("D3-0", kPhone, 3000);
    auto token = srv.login(kPhone, kPin);

    CHECK(srv.ledger_all(token).size() == 6);
    auto day2 = srv.ledger_all(token, "from=2026-03-16&to=2026-03-16");
    CHECK(day2.size() == 2);
    CHECK(sum_points(day2) == 4);
    auto to_day1 = srv.ledger_all(token, "to=2026-03-15");
    CHECK(to_day1.size() == 3);
    auto from_instant = srv.ledger_all(token, "from=2026-03-16T02:00:00Z");  // inclusive
    CHECK(from_instant.size() == 2);
    auto to_instant = srv.ledger_all(token, "to=2026-03-16T02:00:00Z");  // inclusive
    CHECK(to_instant.size() == 5);
    auto offset = srv.ledger_all(token, "from=" + httplib::detail::encode_query_param("2026-03-16T00:00:00+08:00") +
                                            "&to=" + httplib::detail::encode_query_param("2026-03-16T23:59:59+08:00"));
    CHECK(offset.size() == 2);
    auto mixed = srv.ledger_all(token, "type=earn&from=2026-03-17");
    CHECK(mixed.size() == 1);
    CHECK(srv.ledger_all(token, "from=2026-03-18").empty());
}

TEST_CASE("ledger: bad query parameters are 400 invalid_field naming the parameter") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    for (const char* q : {"limit=0", "limit=101", "limit=-1", "limit=abc", "limit=1.5", "limit="}) {
        INFO(q);
        auto j = expect_error(srv.get(std::string("/api/v1/me/ledger?") + q, bearer(token)), 400, "invalid_field");
        CHECK(starts_with(error_message(j), "limit"));
    }
    for (const char* q : {"limit=1", "limit=100"}) {
        INFO(q);
        expect_status(srv.get(std::string("/api/v1/me/ledger?") + q, bearer(token)), 200);
    }
    auto j = expect_error(srv.get("/api/v1/me/ledger?type=gift", bearer(token)), 400, "invalid_field");
    CHECK(starts_with(error_message(j), "type"));
    j = expect_error(srv.get("/api/v1/me/ledger?from=yesterday", bearer(token)), 400, "invalid_field");
    CHECK(starts_with(error_message(j), "from"));
    j = expect_error(srv.get("/api/v1/me/ledger?to=2026-02-30", bearer(token)), 400, "invalid_field");
    CHECK(starts_with(error_message(j), "to"));
    j = expect_error(srv.get("/api/v1/me/ledger?cursor=%%%garbage", bearer(token)), 400, "invalid_field");
    CHECK(starts_with(error_message(j), "cursor"));
    j = expect_error(srv.get("/api/v1/me/ledger?cursor=bm90LWEtY3Vyc29y", bearer(token)), 400, "invalid_field");
    CHECK(starts_with(error_message(j), "cursor"));
}

TEST_CASE("coupons: ?state filters available, used, void and expired; texts in both languages") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    auto issue = [&](const std::string& tmpl) {
        auto j = expect_status(
            srv.post("/api/v1/admin/members/" + std::to_string(id) + "/coupons", {{"template", tmpl}}, admin()), 201);
        return j.value("code", std::string());
    };
    auto used = issue("spend_back_10");
    auto voided = issue("spend_back_10");
    auto expiring = issue("spend_back_10");
    REQUIRE(!used.empty());
    REQUIRE(!voided.empty());
    REQUIRE(!expiring.empty());
    expect_status(srv.post("/api/v1/pos/coupons/redeem",
                           {{"code", used}, {"order_amount", 5000}, {"store", "S001"}, {"txn_id", "T-C1"}}, pos()),
                  200);
    expect_status(srv.post_empty("/api/v1/admin/coupons/" + voided + "/void", admin()), 200);

    auto token = srv.login(kPhone, kPin);
    auto all = srv.coupons(token);
    CHECK(all.size() == 4);  // welcome + 3
    for (const auto& c : all) {
        check_text(c["title"], "coupon title");
        CHECK(c["conditions"].is_object());
        CHECK(c["code"].is_string());
        CHECK(c["valid_from"].is_string());
        CHECK(c["valid_until"].is_string());
    }
    auto avail = srv.coupons(token, "available");
    CHECK(avail.size() == 2);
    for (const auto& c : avail) CHECK(c["state"] == "available");
    auto u = srv.coupons(token, "used");
    REQUIRE(u.size() == 1);
    CHECK(u[0]["code"] == used);
    CHECK(u[0]["state"] == "used");
    CHECK(u[0]["used_discount"] == 1000);
    CHECK(u[0]["used_at"] == kStart);
    auto v = srv.coupons(token, "void");
    REQUIRE(v.size() == 1);
    CHECK(v[0]["code"] == voided);
    CHECK(v[0]["state"] == "void");
    CHECK(srv.coupons(token, "expired").empty());

    // 40 days later the welcome coupon and the unused spend-back coupon (30 days) have expired.
    srv.set_clock("2026-04-24T02:00:00Z");
    token = srv.login(kPhone, kPin);
    auto fresh = issue("spend_back_10");
    auto e = srv.coupons(token, "expired");
    CHECK(e.size() == 2);
    for (const auto& c : e) CHECK(c["state"] == "expired");
    avail = srv.coupons(token, "available");
    REQUIRE(avail.size() == 1);
    CHECK(avail[0]["code"] == fresh);
    auto me = srv.me(token);
    CHECK(me["coupons"]["available"] == 1);
    CHECK(me["coupons"]["used"] == 1);
    CHECK(me["coupons"]["expired"] == 2);
    CHECK(me["coupons"]["voided"] == 1);

    auto j = expect_error(srv.get("/api/v1/me/coupons?state=lost", bearer(token)), 400, "invalid_field");
    CHECK(starts_with(error_message(j), "state"));
}

TEST_CASE("card: the member code identifies the member at the POS until it expires") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    auto card = expect_status(srv.get("/api/v1/me/card", bearer(token)), 200);
    REQUIRE(card["member_code"].is_string());
    auto code = card["member_code"].get<std::string>();
    CHECK(!code.empty());
    CHECK(card["expires_at"] == plus(kStart, 120));
    CHECK(card["refresh_after_seconds"].is_number_integer());
    CHECK(card["refresh_after_seconds"].get<int>() > 0);
    CHECK(card["refresh_after_seconds"].get<int>() < 120);
    CHECK(code.find(kPhone) == std::string::npos);
    CHECK(code != std::to_string(id));

    srv.set_clock(plus(kStart, 119));
    auto j = expect_status(srv.post("/api/v1/pos/purchases",
                                    {{"txn_id", "T1"}, {"member", code}, {"amount", 3000}, {"store", "S1"}}, pos()),
                           201);
    CHECK(j["member_id"] == id);
    CHECK(j["points_earned"] == 3);

    // An expired code at the POS: the member is not found through it (404), with a code of its own
    // so the cashier can ask for a fresh card. (At the kiosk the code is a sign-in credential: 401.)
    srv.set_clock(plus(kStart, 121));
    expect_error(srv.post("/api/v1/pos/purchases",
                          {{"txn_id", "T2"}, {"member", code}, {"amount", 3000}, {"store", "S1"}}, pos()),
                 404, "invalid_member_code");
    // Setting the clock back does not revive it.
    srv.set_clock(plus(kStart, 60));
    expect_error(srv.post("/api/v1/pos/purchases",
                          {{"txn_id", "T2"}, {"member", code}, {"amount", 3000}, {"store", "S1"}}, pos()),
                 404, "invalid_member_code");
    srv.set_clock(plus(kStart, 121));

    // A fresh card works again.
    auto card2 = expect_status(srv.get("/api/v1/me/card", bearer(token)), 200);
    REQUIRE(card2["member_code"].is_string());
    CHECK(card2["member_code"] != code);
    j = expect_status(
        srv.post("/api/v1/pos/purchases",
                 {{"txn_id", "T3"}, {"member", card2["member_code"]}, {"amount", 3000}, {"store", "S1"}}, pos()),
        201);
    CHECK(j["member_id"] == id);
    CHECK(srv.balance(token) == 6);
}

TEST_CASE("feedback: rating 1..5 with an optional comment earns the survey points; bad bodies are 400") {
    TestServer srv;
    srv.create_member(kPhone, kPin);
    auto token = srv.login(kPhone, kPin);
    auto j = expect_status(srv.post("/api/v1/me/feedback", {{"rating", 5}, {"comment", "很好喝"}}, bearer(token)), 201);
    CHECK(j["points_awarded"] == 10);
    CHECK(j["points"]["balance"] == 10);
    CHECK(srv.balance(token) == 10);
    auto bonus = srv.ledger_all(token);
    REQUIRE(bonus.size() == 1);
    CHECK(bonus[0]["points"] == 10);

    expect_status(srv.post("/api/v1/me/feedback", {{"rating", 1}}, bearer(token)), 201);
    expect_status(srv.post("/api/v1/me/feedback", {{"rating", 3}, {"comment", nullptr}}, bearer(token)), 201);
    // 1000 code points (3000 bytes of UTF-8) is fine; 1001 is not.
    std::string cjk;
    for (int i = 0; i < 1000; ++i) cjk += "好";
    expect_status(srv.post("/api/v1/me/feedback", {{"rating", 4}, {"comment", cjk}}, bearer(token)), 201);
    auto e = expect_error(srv.post("/api/v1/me/feedback", {{"rating", 4}, {"comment", cjk + "好"}}, bearer(token)), 400,
                          "invalid_field");
    CHECK(starts_with(error_message(e), "comment"));

    std::vector<json> bad_ratings = {0, 6, -1, "5", 4.5, nullptr, true, json::array({5})};
    for (const auto& r : bad_ratings) {
        INFO("rating " << r.dump());
        e = expect_error(srv.post("/api/v1/me/feedback", {{"rating", r}}, bearer(token)), 400, "invalid_field");
        CHECK(starts_with(error_message(e), "rating"));
    }
    e = expect_error(srv.post("/api/v1/me/feedback", {{"comment", "no rating"}}, bearer(token)), 400, "invalid_field");
    CHECK(starts_with(error_message(e), "rating"));
    e = expect_error(srv.post("/api/v1/me/feedback", {{"rating", 5}, {"comment", 42}}, bearer(token)), 400,
                     "invalid_field");
    CHECK(starts_with(error_message(e), "comment"));
    expect_error(srv.post_raw("/api/v1/me/feedback", "{rating: 5}", bearer(token)), 400, "invalid_json");
    expect_error(srv.post("/api/v1/me/feedback", {{"rating", 5}}), 401, "unauthorized");
}

TEST_CASE("export: all of my data as an attachment, and nobody else's") {
    TestServer srv;
    auto a = srv.create_member("13800000001", kPin, "Alice Zhang");
    srv.create_member("13900000002", "654321", "Bob Wang");
    srv.buy("TXN-ALICE-1", "13800000001", 12800);
    srv.buy("TXN-BOB-1", "13900000002", 34500);
    auto token = srv.login("13800000001", kPin);
    expect_status(srv.post("/api/v1/me/feedback", {{"rating", 5}, {"comment", "alice-comment"}}, bearer(token)), 201);
    auto tb = srv.login("13900000002", "654321");
    expect_status(srv.post("/api/v1/me/feedback", {{"rating", 2}, {"comment", "bob-comment"}}, bearer(tb)), 201);

    auto res = srv.get("/api/v1/me/export", bearer(token));
    auto j = expect_status(res, 200);
    REQUIRE(res);
    CHECK(j.is_object());
    CHECK(res->get_header_value("Content-Disposition") ==
          "attachment; filename=\"memberdesk-export-" + std::to_string(a) + ".json\"");
    const std::string& body = res->body;
    CHECK(body.find("Alice Zhang") != std::string::npos);
    CHECK(body.find("TXN-ALICE-1") != std::string::npos);
    CHECK(body.find("alice-comment") != std::string::npos);
    CHECK(body.find("Bob Wang") == std::string::npos);
    CHECK(body.find("13900000002") == std::string::npos);
    CHECK(body.find("TXN-BOB-1") == std::string::npos);
    CHECK(body.find("bob-comment") == std::string::npos);
    CHECK(body.find("pin_hash") == std::string::npos);
    CHECK(body.find("$argon2") == std::string::npos);
    CHECK(body.find(token) == std::string::npos);  // sessions metadata, never the token
    for (const char* key : {"profile", "ledger", "coupons", "purchases"}) {
        INFO(key);
        CHECK(j.contains(key));
    }
}

TEST_CASE("erase: DELETE /me needs confirmation, anonymises, ends sessions, and login then fails") {
    TestServer srv;
    auto id = srv.create_member(kPhone, kPin, "王小明", std::string("1990-05-12"));
    srv.buy("T1", kPhone, 12800);
    auto token = srv.login(kPhone, kPin);
    auto other = srv.login(kPhone, kPin);

    expect_error(srv.del("/api/v1/me", bearer(token)), 400, "confirmation_required");
    expect_error(srv.del("/api/v1/me", json{{"confirm", false}}, bearer(token)), 400, "confirmation_required");
    expect_error(srv.del("/api/v1/me?confirm=no", bearer(token)), 400, "confirmation_required");
    CHECK(srv.me(token)["profile"]["name"] == "王小明");  // nothing happened yet

    auto gone = srv.del("/api/v1/me?confirm=yes", bearer(token));
    REQUIRE(gone);
    CHECK(gone->status == 204);
    CHECK(gone->body.empty());
    CHECK(srv.admin_member(id)["erased"] == true);

    expect_error(srv.get("/api/v1/me", bearer(token)), 401, "unauthorized");
    expect_error(srv.get("/api/v1/me", bearer(other)), 401, "unauthorized");
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}}), 401, "invalid_credentials");

    auto res = srv.get("/api/v1/admin/members/" + std::to_string(id), admin());
    expect_status(res, 200);
    REQUIRE(res);
    CHECK(res->body.find("王小明") == std::string::npos);
    CHECK(res->body.find(kPhone) == std::string::npos);
    CHECK(res->body.find("1990-05-12") == std::string::npos);

    // The phone is free again.
    auto id2 = srv.create_member(kPhone, kPin, "New Owner");
    CHECK(id2 != id);
    // The POS can no longer reach the erased member by that phone: it reaches the new one.
    auto p = expect_status(srv.purchase("T2", kPhone, 1000), 201);
    CHECK(p["member_id"] == id2);
}

TEST_CASE("erase: DELETE /me with a JSON confirmation body") {
    TestServer srv;
    srv.create_member(kPhone, kPin, "Ann Lee");
    auto token = srv.login(kPhone, kPin);
    auto id = srv.me(token)["profile"]["id"].get<std::int64_t>();
    auto gone = srv.del("/api/v1/me", json{{"confirm", true}}, bearer(token));
    REQUIRE(gone);
    CHECK(gone->status == 204);
    CHECK(gone->body.empty());
    CHECK(srv.admin_member(id)["erased"] == true);
    expect_error(srv.get("/api/v1/me", bearer(token)), 401, "unauthorized");
    expect_error(srv.post("/api/v1/auth/login", {{"phone", kPhone}, {"pin", kPin}}), 401, "invalid_credentials");
}

TEST_CASE("isolation: a member token only ever reaches its own member") {
    TestServer srv;
    auto a = srv.create_member("13800000001", kPin, "Alice");
    auto b = srv.create_member("13900000002", "654321", "Bob");
    srv.buy("TA", "13800000001", 2000);
    srv.buy("TB", "13900000002", 9000);
    auto ta = srv.login("13800000001", kPin);

    auto me = srv.me(ta);
    CHECK(me["profile"]["id"] == a);
    CHECK(me["points"]["balance"] == 2);
    // Ids in the query string or body are ignored.
    auto bs = std::to_string(b);
    auto j = expect_status(srv.get("/api/v1/me?member_id=" + bs + "&id=" + bs, bearer(ta)), 200);
    CHECK(j["profile"]["id"] == a);
    j = expect_status(srv.get("/api/v1/me/ledger?member_id=" + bs, bearer(ta)), 200);
    REQUIRE(j["entries"].is_array());
    REQUIRE(j["entries"].size() == 1);
    CHECK(j["entries"][0]["points"] == 2);
    expect_error(srv.get("/api/v1/me/" + bs, bearer(ta)), 404, "not_found");

    // Admin and POS routes refuse member tokens.
    for (const auto& path :
         {"/api/v1/admin/members/" + bs, std::string("/api/v1/admin/members"), std::string("/api/v1/admin/audit")}) {
        INFO(path);
        auto res = srv.get(path, bearer(ta));
        REQUIRE(res);
        CHECK((res->status == 401 || res->status == 403));
        CHECK(res->body.find("Bob") == std::string::npos);
    }
    auto res = srv.post("/api/v1/admin/members/" + bs + "/adjust", {{"points", 100}, {"reason", "x"}}, bearer(ta));
    REQUIRE(res);
    CHECK((res->status == 401 || res->status == 403));
    res = srv.post("/api/v1/pos/purchases",
                   {{"txn_id", "TX"}, {"member", "13800000001"}, {"amount", 1000}, {"store", "S"}}, bearer(ta));
    REQUIRE(res);
    CHECK((res->status == 401 || res->status == 403));
    // The token sent as an API key is not a key.
    expect_error(srv.get("/api/v1/admin/members/" + bs, {{"X-Api-Key", ta}}), 401, "unauthorized");
    // Nothing changed for either member.
    auto tb = srv.login("13900000002", "654321");
    CHECK(srv.balance(tb) == 9);
    CHECK(srv.balance(ta) == 2);
}

}  // namespace api_member_test
