// Scope, data levels and limits of staff (domain.md §8), decided by the service: every role ×
// every staff route × a member (or store) in scope -- one who bought there and one who only joined
// there -- and one out of scope, each cell checked, and the audit naming the person for every change
// in the matrix.
#include "staff_fixture.hpp"

#include <map>

using namespace mdtest;

namespace api_staff_scope_test {

namespace {

const std::string kEastPhone = "13800000011";    // bought at S001 (region E)
const std::string kWestPhone = "13800000012";    // bought at S101 (region W)
const std::string kJoinedPhone = "13800000013";  // joined at S001, never bought

// A member who joins at `store` (the admin API with a store, as a counter sign-up does).
std::int64_t join_at_store(TestServer& srv, const std::string& phone, const std::string& store) {
    auto j = expect_status(srv.post("/api/v1/admin/members",
                                    {{"phone", phone}, {"pin", "123456"}, {"name", "李四"}, {"store", store}}, admin()),
                           201);
    return j["id"].get<std::int64_t>();
}

struct Chain {
    std::int64_t east = 0, west = 0, joined = 0;
    std::map<std::string, std::int64_t> staff_ids;  // role -> id
    std::map<std::string, std::string> tokens;      // role -> token
};

const char* const kRoles[] = {"clerk", "store_manager", "region_manager", "hq_admin", "auditor"};

Chain make_scoped_chain(TestServer& srv) {
    make_chain(srv);
    Chain c;
    c.east = srv.create_member(kEastPhone, "123456", "王小明", "1990-05-01");
    c.west = srv.create_member(kWestPhone, "123456", "Emma Chen", "1985-11-30");
    srv.buy("TE", kEastPhone, 3000, "S001");
    srv.buy("TW", kWestPhone, 3000, "S101");
    c.joined = join_at_store(srv, kJoinedPhone, "S001");
    c.staff_ids["clerk"] = create_staff(srv, "clerk.e", "clerk", "S001");
    c.staff_ids["store_manager"] = create_staff(srv, "mgr.e", "store_manager", "S001");
    c.staff_ids["region_manager"] = create_staff(srv, "region.e", "region_manager", "", "E");
    c.staff_ids["hq_admin"] = create_staff(srv, "hq.ann", "hq_admin");
    c.staff_ids["auditor"] = create_staff(srv, "audit.bo", "auditor");
    c.tokens["clerk"] = staff_login(srv, "clerk.e");
    c.tokens["store_manager"] = staff_login(srv, "mgr.e");
    c.tokens["region_manager"] = staff_login(srv, "region.e");
    c.tokens["hq_admin"] = staff_login(srv, "hq.ann");
    c.tokens["auditor"] = staff_login(srv, "audit.bo");
    return c;
}

std::string issue_code(TestServer& srv, std::int64_t member) {
    auto j = expect_status(srv.post("/api/v1/admin/members/" + std::to_string(member) + "/coupons",
                                    {{"template", "spend_back_20"}}, admin()),
                           201);
    return j["code"].get<std::string>();
}

bool lists_member(const json& body, std::int64_t id) {
    for (const auto& m : body["members"])
        if (m["id"] == id) return true;
    return false;
}

// The newest audit row of `action` names the staff member by id and username.
void check_audit_names(TestServer& srv, const std::string& action, std::int64_t staff_id, const std::string& username) {
    auto entries = admin_audit(srv);
    const json* row = nullptr;
    for (const auto& e : entries)
        if (e["action"] == action) {
            row = &e;
            break;
        }
    REQUIRE_MESSAGE(row != nullptr, "no audit row for " << action);
    CHECK((*row)["actor"]["kind"] == "staff");
    CHECK((*row)["actor"]["id"] == std::to_string(staff_id));
    CHECK((*row)["actor"]["username"] == username);
}

}  // namespace

TEST_CASE("staff scope: every role on every staff route, in and out of scope, answers as the matrix says") {
    TestServer srv;
    Chain c = make_scoped_chain(srv);
    const std::map<std::string, std::string> usernames = {{"clerk", "clerk.e"},
                                                          {"store_manager", "mgr.e"},
                                                          {"region_manager", "region.e"},
                                                          {"hq_admin", "hq.ann"},
                                                          {"auditor", "audit.bo"}};
    // Expected statuses: route -> role -> {in scope, out of scope}. The member who only joined at
    // S001 is in scope exactly like the one who bought there.
    using Row = std::map<std::string, std::pair<int, int>>;
    const std::map<std::string, Row> expect = {
        {"browse",
         {{"clerk", {403, 403}},
          {"store_manager", {200, 200}},
          {"region_manager", {200, 200}},
          {"hq_admin", {200, 200}},
          {"auditor", {403, 403}}}},
        {"find_by_phone",
         {{"clerk", {200, 200}},
          {"store_manager", {200, 200}},
          {"region_manager", {200, 200}},
          {"hq_admin", {200, 200}},
          {"auditor", {403, 403}}}},
        {"detail",
         {{"clerk", {200, 404}},
          {"store_manager", {200, 404}},
          {"region_manager", {200, 404}},
          {"hq_admin", {200, 200}},
          {"auditor", {403, 403}}}},
        {"detail_level3",
         {{"clerk", {403, 403}},
          {"store_manager", {403, 403}},
          {"region_manager", {200, 404}},
          {"hq_admin", {200, 200}},
          {"auditor", {403, 403}}}},
        {"goodwill",
         {{"clerk", {200, 404}},
          {"store_manager", {200, 404}},
          {"region_manager", {200, 404}},
          {"hq_admin", {200, 200}},
          {"auditor", {403, 403}}}},
        {"issue_coupon",
         {{"clerk", {403, 403}},
          {"store_manager", {201, 404}},
          {"region_manager", {201, 404}},
          {"hq_admin", {201, 201}},
          {"auditor", {403, 403}}}},
        {"void_coupon",
         {{"clerk", {403, 403}},
          {"store_manager", {200, 404}},
          {"region_manager", {200, 404}},
          {"hq_admin", {200, 200}},
          {"auditor", {403, 403}}}},
        {"redeem_coupon",
         {{"clerk", {200, 403}},
          {"store_manager", {200, 403}},
          {"region_manager", {200, 403}},
          {"hq_admin", {200, 200}},
          {"auditor", {403, 403}}}},
        {"audit",
         {{"clerk", {403, 403}},
          {"store_manager", {200, 200}},
          {"region_manager", {200, 200}},
          {"hq_admin", {200, 200}},
          {"auditor", {200, 200}}}},
    };
    int cells = 0, txn = 0;
    for (const auto& cell : expect) {
        // Named copies: doctest's INFO captures them in a lambda (clang 14 cannot capture a binding).
        const auto& route = cell.first;
        const auto& row = cell.second;
        for (const char* role : kRoles) {
            for (const char* who : {"bought", "joined", "other"}) {
                const bool in = std::string(who) != "other";
                const bool joined = std::string(who) == "joined";
                INFO(route << " as " << role << ", member " << who);
                const auto tok = bearer(c.tokens.at(role));
                const std::int64_t member = joined ? c.joined : in ? c.east : c.west;
                const std::string phone = joined ? kJoinedPhone : in ? kEastPhone : kWestPhone;
                const std::string mpath = "/api/v1/staff/members/" + std::to_string(member);
                const int want = in ? row.at(role).first : row.at(role).second;
                std::string changed;  // the audit action of a successful change
                httplib::Result res;
                if (route == "browse") {
                    res = srv.get("/api/v1/staff/members", tok);
                    if (want == 200) {
                        auto j = body_json(res);
                        CHECK(lists_member(j, member) == (in || std::string(role) == "hq_admin"));
                    }
                } else if (route == "find_by_phone") {
                    res = srv.get("/api/v1/staff/members?phone=" + phone, tok);
                    if (want == 200) {
                        auto j = body_json(res);
                        const bool found = in || std::string(role) == "hq_admin" || std::string(role) == "clerk";
                        CHECK(lists_member(j, member) == found);
                        if (found) {
                            CHECK(j["members"][0]["phone"] == "138****" + phone.substr(7));
                            CHECK(j["members"][0]["tier"] == "standard");
                        }
                    }
                } else if (route == "detail") {
                    res = srv.get(mpath, tok);
                    if (res && res->status == 200) {
                        auto j = body_json(res);
                        CHECK(j["level"] == 2);
                        CHECK(j["phone"] != phone);
                        CHECK(j["joined_store"] == (joined ? json("S001") : json(nullptr)));
                        CHECK(!j.contains("birthday"));
                    }
                } else if (route == "detail_level3") {
                    res = srv.get(mpath + "?level=3&reason=customer%20asked%20for%20a%20receipt", tok);
                    if (res && res->status == 200) {
                        CHECK(body_json(res)["phone"] == phone);
                        changed = "read_member_level3";
                    }
                } else if (route == "goodwill") {
                    res = srv.post(mpath + "/adjustments", {{"points", 10}, {"reason", "spilled coffee"}}, tok);
                    changed = "adjust";
                } else if (route == "issue_coupon") {
                    res = srv.post(mpath + "/coupons", {{"template", "pastry"}, {"reason", "complaint"}}, tok);
                    changed = "issue_coupon";
                } else if (route == "void_coupon") {
                    auto code = issue_code(srv, member);
                    res = srv.post("/api/v1/staff/coupons/" + code + "/void", {{"reason", "issued by mistake"}}, tok);
                    changed = "void_coupon";
                } else if (route == "redeem_coupon") {
                    auto code = issue_code(srv, c.east);
                    json b = {{"code", code},
                              {"order_amount", 5000},
                              {"txn_id", "TR" + std::to_string(++txn)},
                              {"store", in ? "S001" : "S101"}};
                    res = srv.post("/api/v1/staff/coupons/redeem", b, tok);
                    changed = "coupon_redeem";
                } else if (route == "audit") {
                    res = srv.get(std::string("/api/v1/staff/audit?store=") + (in ? "S001" : "S101"), tok);
                    if (res && res->status == 200) {
                        auto j = body_json(res);
                        const bool sees = in || std::string(role) == "hq_admin" || std::string(role) == "auditor";
                        CHECK(j["entries"].empty() == !sees);
                        CHECK(j.dump().find(kEastPhone) == std::string::npos);  // no phone numbers in the audit
                    }
                }
                REQUIRE_MESSAGE(res, describe(res));
                CHECK_MESSAGE(res->status == want, "expected " << want << ", got " << describe(res));
                if (res->status < 300 && !changed.empty())
                    check_audit_names(srv, changed, c.staff_ids.at(role), usernames.at(role));
                ++cells;
            }
        }
    }
    CHECK(cells == 9 * 5 * 3);
}

TEST_CASE("staff scope: a level-3 read needs a reason and writes an audit row with it") {
    TestServer srv;
    Chain c = make_scoped_chain(srv);
    auto tok = bearer(c.tokens.at("region_manager"));
    const std::string path = "/api/v1/staff/members/" + std::to_string(c.east);
    expect_error(srv.get(path + "?level=3", tok), 400, "invalid_reason");
    auto j = expect_status(srv.get(path + "?level=3&reason=birthday%20gift", tok), 200);
    CHECK(j["birthday"] == "1990-05-01");
    CHECK(j["name"] == "王小明");
    auto level2 = expect_status(srv.get(path, tok), 200);
    CHECK(level2["name"] == "王*");
    CHECK(!level2.contains("birthday"));
    auto audit = expect_status(srv.get("/api/v1/staff/audit?action=read_member_level3", bearer(c.tokens.at("auditor"))),
                               200)["entries"];
    REQUIRE(audit.size() == 1);
    CHECK(audit[0]["member_id"] == c.east);
    CHECK(audit[0]["detail"]["reason"] == "birthday gift");
    CHECK(audit[0]["actor"]["username"] == "region.e");
}

TEST_CASE("staff scope: goodwill points stop at the role's daily limit and start again the next day") {
    TestServer srv;
    Chain c = make_scoped_chain(srv);
    auto tok = bearer(c.tokens.at("clerk"));
    const std::string path = "/api/v1/staff/members/" + std::to_string(c.east) + "/adjustments";
    expect_status(srv.post(path, {{"points", 150}, {"reason", "late order"}}, tok), 200);
    expect_error(srv.post(path, {{"points", 60}, {"reason", "late again"}}, tok), 403, "limit_exceeded");
    expect_status(srv.post(path, {{"points", 50}, {"reason", "late again"}}, tok), 200);
    expect_error(srv.post(path, {{"points", -5}, {"reason", "taking back"}}, tok), 403, "forbidden");
    srv.set_clock(plus(kStart, 86400));
    // The session ended meanwhile (30 min idle): sign in again on the next day.
    tok = bearer(staff_login(srv, "clerk.e"));
    expect_status(srv.post(path, {{"points", 200}, {"reason", "next day"}}, tok), 200);
}

TEST_CASE("staff scope: goodwill points given at once from several tills never pass the daily limit together") {
    TestServer srv;
    Chain c = make_scoped_chain(srv);
    auto tok = bearer(c.tokens.at("clerk"));
    const std::string path = "/api/v1/staff/members/" + std::to_string(c.east) + "/adjustments";
    const std::string body = json{{"points", 60}, {"reason", "rush hour"}}.dump();
    constexpr int N = 8;  // 8 x 60 asked at once against the clerk's 200 a day: 3 fit
    std::vector<int> status(N, 0);
    run_concurrently(N, [&](int i) {
        auto cli = srv.new_client();
        auto res = cli->Post(path, tok, body, "application/json");
        status[static_cast<std::size_t>(i)] = res ? res->status : -1;
    });
    int given = 0, refused = 0;
    for (int st : status) {
        given += st == 200;
        refused += st == 403;
    }
    CHECK(given == 3);
    CHECK(refused == N - 3);
    auto audit =
        expect_status(srv.get("/api/v1/staff/audit?action=adjust", bearer(c.tokens.at("auditor"))), 200)["entries"];
    CHECK(audit.size() == 3);
}

TEST_CASE("staff scope: the audit pages by cursor and filters by staff, member and action") {
    TestServer srv;
    Chain c = make_scoped_chain(srv);
    auto mgr = bearer(c.tokens.at("store_manager"));
    const std::string path = "/api/v1/staff/members/" + std::to_string(c.east) + "/adjustments";
    for (int i = 0; i < 5; ++i)
        expect_status(srv.post(path, {{"points", 1}, {"reason", "r" + std::to_string(i)}}, mgr), 200);
    auto auditor = bearer(c.tokens.at("auditor"));
    const std::string q =
        "/api/v1/staff/audit?action=adjust&limit=2&staff=" + std::to_string(c.staff_ids["store_manager"]);
    std::vector<std::int64_t> ids;
    std::string cursor;
    for (int page = 0; page < 4; ++page) {
        auto j = expect_status(srv.get(q + (cursor.empty() ? "" : "&cursor=" + cursor), auditor), 200);
        for (const auto& e : j["entries"]) {
            ids.push_back(e["id"].get<std::int64_t>());
            CHECK(e["actor"]["username"] == "mgr.e");
            CHECK(e["actor"]["store"] == "S001");
            CHECK(e["member_id"] == c.east);
        }
        if (j["next_cursor"].is_null()) break;
        cursor = j["next_cursor"].get<std::string>();
    }
    CHECK(ids.size() == 5);
    CHECK(std::is_sorted(ids.rbegin(), ids.rend()));
    auto none =
        expect_status(srv.get("/api/v1/staff/audit?action=adjust&member=" + std::to_string(c.west), auditor), 200);
    CHECK(none["entries"].empty());
}

}  // namespace api_staff_scope_test
