// The at-risk list (docs/reports.md "At-risk list"): dormant and about-to-be-dormant members of the
// caller's scope by lifetime net spend, masked unless level 3 is asked for with a reason; CSV export.
#include <algorithm>

#include "staff_fixture.hpp"
#include "test_server.hpp"

using namespace mdtest;

namespace at_risk_test {

namespace {

// Program "coffee": dormant after 60 days without a visit, churned after 180; the list warns 14
// days ahead, so it holds members whose last visit was 46..179 days ago. Today is 2026-03-10.
//   H  bought 9999 at S001 on 2025-08-01       221 days ago: churned, not listed
//   A  bought 9000 at S001 on 2026-01-05        64 days: dormant
//   G  bought 8000 at S101 on 2026-01-05        64 days: dormant (region W)
//   C  bought 6000 at S002 on 2026-01-05        64 days: dormant
//   B  bought 3000 at S001 on 01-05, 2000 on 01-20   49 days: about to be dormant, value 5000
//   R  bought 4000 at S001 on 2026-03-01         9 days: not at risk
struct Chain {
    TestServer srv{[] {
        ServerOptions o;
        o.start = "2025-08-01T02:00:00Z";
        return o;
    }()};
    std::int64_t a = 0, b = 0, c = 0, g = 0;

    Chain() {
        make_chain(srv);
        srv.create_member("13800000008", "123456", "Hu");
        a = srv.create_member("13800000001", "123456", "Alice An");
        b = srv.create_member("13800000002", "123456", "Bo Bai");
        c = srv.create_member("13800000003", "123456", "Chen Cui");
        g = srv.create_member("13800000007", "123456", "Gao Ge");
        srv.create_member("13800000009", "123456", "Ren");
        srv.buy("T-H1", "13800000008", 9999, "S001");
        srv.set_clock("2026-01-05T02:00:00Z");
        srv.buy("T-A1", "13800000001", 9000, "S001");
        srv.buy("T-G1", "13800000007", 8000, "S101");
        srv.buy("T-C1", "13800000003", 6000, "S002");
        srv.buy("T-B1", "13800000002", 3000, "S001");
        srv.set_clock("2026-01-20T02:00:00Z");
        srv.buy("T-B2", "13800000002", 2000, "S001");
        srv.set_clock("2026-03-01T02:00:00Z");
        srv.buy("T-R1", "13800000009", 4000, "S001");
        srv.set_clock("2026-03-10T02:00:00Z");
    }
    httplib::Result get(const std::string& username, const std::string& query) {
        return srv.get("/api/v1/staff/at-risk" + query, bearer(staff_login(srv, username)));
    }
};

std::vector<std::int64_t> ids(const json& j) {
    std::vector<std::int64_t> out;
    for (const auto& m : j["members"]) out.push_back(m["id"].get<std::int64_t>());
    return out;
}

}  // namespace

TEST_CASE("a region manager's at-risk list holds their dormant and nearly dormant members, most valuable first") {
    Chain ch;
    create_staff(ch.srv, "east.manager", "region_manager", "", "E");
    const json j = expect_status(ch.get("east.manager", ""), 200);
    CHECK(j["as_of"] == "2026-03-10");
    CHECK(j["level"] == 2);
    CHECK(ids(j) == std::vector<std::int64_t>{ch.a, ch.c, ch.b});
    const json& a = j["members"][0];
    CHECK(a["name"] == "A*");
    CHECK(a["phone"] == "138****0001");
    CHECK(a["status"] == "dormant");
    CHECK(a["days_since_visit"] == 64);
    CHECK(a["last_visit"] == "2026-01-05T02:00:00Z");
    CHECK(a["net_spend"] == 9000);
    CHECK(a["visits"] == 1);
    CHECK(a["reach"].is_array());
    const json& b = j["members"][2];
    CHECK(b["status"] == "at_risk");
    CHECK(b["days_since_visit"] == 49);
    CHECK(b["net_spend"] == 5000);
    CHECK(b["visits"] == 2);
}

TEST_CASE("head office sees every store's at-risk members and full names only at level 3 with a reason") {
    Chain ch;
    create_staff(ch.srv, "head.office", "hq_admin");
    const json masked = expect_status(ch.get("head.office", ""), 200);
    CHECK(ids(masked) == std::vector<std::int64_t>{ch.a, ch.g, ch.c, ch.b});
    expect_error(ch.get("head.office", "?level=3"), 400, "invalid_reason");
    const json full = expect_status(ch.get("head.office", "?level=3&reason=win-back%20calls"), 200);
    CHECK(full["level"] == 3);
    CHECK(full["members"][0]["name"] == "Alice An");
    CHECK(full["members"][0]["phone"] == "13800000001");
    const json entries = admin_audit(ch.srv);
    auto it = std::find_if(entries.begin(), entries.end(), [](const json& e) { return e["action"] == "read_at_risk"; });
    REQUIRE(it != entries.end());  // newest first: the level-3 read
    CHECK((*it)["detail"]["level"] == 3);
    CHECK((*it)["detail"]["reason"] == "win-back calls");
    CHECK((*it)["detail"]["count"] == 4);
}

TEST_CASE("a store manager's at-risk list exports as CSV with masked data and honours the limit") {
    Chain ch;
    create_staff(ch.srv, "s001.manager", "store_manager", "S001");
    auto res = ch.get("s001.manager", "?format=csv");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type").rfind("text/csv", 0) == 0);
    CHECK(res->get_header_value("Content-Disposition").find("at-risk-2026-03-10.csv") != std::string::npos);
    const std::string& body = res->body;
    CHECK(body.rfind("id,name,phone,status,last_visit,days_since_visit,visits,net_spend,last_reach,last_reach_at\r\n",
                     0) == 0);
    // A and B bought at S001; C (S002) and G (S101) are other stores' members.
    CHECK(std::count(body.begin(), body.end(), '\n') == 3);
    CHECK(body.find(std::to_string(ch.a) + ",A*,138****0001,dormant,2026-01-05T02:00:00Z,64,1,9000,") !=
          std::string::npos);
    CHECK(body.find("13800000002") == std::string::npos);
    const json one = expect_status(ch.get("s001.manager", "?limit=1"), 200);
    CHECK(ids(one) == std::vector<std::int64_t>{ch.a});
    expect_error(ch.get("s001.manager", "?level=3&reason=x"), 403, "forbidden");
    expect_error(ch.get("s001.manager", "?format=xlsx"), 400, "invalid_field");
}

TEST_CASE("clerks and auditors get no at-risk list") {
    Chain ch;
    create_staff(ch.srv, "s001.clerk", "clerk", "S001");
    create_staff(ch.srv, "the.auditor", "auditor");
    expect_error(ch.get("s001.clerk", ""), 403, "forbidden");
    expect_error(ch.get("the.auditor", ""), 403, "forbidden");
    expect_error(ch.srv.get("/api/v1/staff/at-risk"), 401, "unauthorized");
}

}  // namespace at_risk_test
