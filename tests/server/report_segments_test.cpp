// Segment sizes in staff reports (docs/reports.md "Segments"): a constructed history whose segments
// are worked out by hand below, as of two different days, for the whole chain, a region and a store;
// erased members are in no segment. The test server also checks every member's activity row against
// their purchases after each write, and every report's sizes against segment_of on every history.
#include "staff_fixture.hpp"
#include "test_server.hpp"

using namespace mdtest;

namespace report_segments_test {

namespace {

// Program "coffee" (Asia/Shanghai): new < 30 days, dormant >= 60 idle days, churned >= 180, core when
// the net spend of this local month and the two before > 3 x 30000 fen, active when >= 3 x 10000.
// Stores (make_chain): region E = S001, S002; region W = S101, S102. Events at 02:00Z = 10:00 local.
//
//  member  joined             purchases (net)                                   on 2026-06-15
//  G1      2025-11-01         S001 04-10 40000, 05-10 40000, 06-05 20000        core (100000)
//  G2      2025-11-01         S001 05-20 45000, refunded 10000 on 05-21         active (35000)
//  G3      2025-11-01         S002 06-01 10000                                  potential
//  G4      2025-11-01         S001 2026-03-20 50000                             dormant (87 days)
//  G5      2025-11-01         S101 2025-11-05 20000                             churned (222 days)
//  G6      2026-06-01 @S002   -                                                 new
//  G7      2025-11-01         -                                                 churned (member 226 days)
//  G8      2025-11-01         S001 06-10 30000, refunded in full 06-11          churned (no spend)
//  G9      2025-11-01         S001 06-02 40000, erased 06-12                    -
//  G10     2026-05-01         -                                                 potential (45 days)
//  G11     2026-06-01         S101 06-02 50000                                  new
//
// On 2026-07-20 (window May..July): G1 active (60000, 45 days idle), G2 dormant (61 days), G3
// potential, G4 dormant, G5 churned, G6 potential (49 days, never bought), G7 churned, G8 churned,
// G10 dormant (80 days, never bought), G11 active (50000).
struct History {
    TestServer srv{[] {
        ServerOptions o;
        o.start = "2025-11-01T02:00:00Z";
        return o;
    }()};

    static std::string phone(int n) { return "139000000" + std::string(n < 10 ? "0" : "") + std::to_string(n); }

    History() {
        make_chain(srv);
        for (int n : {1, 2, 3, 4, 5, 7, 8, 9}) srv.create_member(phone(n), "123456", "G" + std::to_string(n));
        at("2025-11-05");
        srv.buy("T5", phone(5), 20000, "S101");
        at("2026-03-20");
        srv.buy("T4", phone(4), 50000, "S001");
        at("2026-04-10");
        srv.buy("T1a", phone(1), 40000, "S001");
        at("2026-05-01");
        srv.create_member(phone(10), "123456", "G10");
        at("2026-05-10");
        srv.buy("T1b", phone(1), 40000, "S001");
        at("2026-05-20");
        srv.buy("T2", phone(2), 45000, "S001");
        at("2026-05-21");
        refund("T2", 10000);
        at("2026-06-01");
        expect_status(srv.post("/api/v1/admin/members",
                               {{"phone", phone(6)}, {"pin", "123456"}, {"name", "G6"}, {"store", "S002"}}, admin()),
                      201);
        srv.buy("T3", phone(3), 10000, "S002");
        srv.create_member(phone(11), "123456", "G11");
        at("2026-06-02");
        srv.buy("T11", phone(11), 50000, "S101");
        srv.buy("T9", phone(9), 40000, "S001");
        at("2026-06-05");
        srv.buy("T1c", phone(1), 20000, "S001");
        at("2026-06-10");
        srv.buy("T8", phone(8), 30000, "S001");
        at("2026-06-11");
        refund("T8", 30000);
        at("2026-06-12");
        auto gone = srv.del("/api/v1/me?confirm=yes", bearer(srv.login(phone(9))));
        REQUIRE(gone);
        REQUIRE(gone->status == 204);
        at("2026-06-15");
    }
    void at(const std::string& date) { srv.set_clock(date + "T02:00:00Z"); }
    void refund(const std::string& txn, std::int64_t amount) {
        expect_status(
            srv.post("/api/v1/pos/refunds", {{"txn_id", txn}, {"refund_id", "R-" + txn}, {"amount", amount}}, pos()),
            201);
    }
    json segments(const std::string& username, const std::string& query = "") {
        const auto token = staff_login(srv, username);
        const json r =
            expect_status(srv.get("/api/v1/staff/reports?from=2026-05-01&to=2026-05-31" + query, bearer(token)), 200);
        return r["segments"];
    }
};

json sizes(const std::string& as_of, int fresh, int core, int active, int potential, int dormant, int churned) {
    return {{"as_of", as_of},         {"new", fresh},       {"core", core},      {"active", active},
            {"potential", potential}, {"dormant", dormant}, {"churned", churned}};
}

}  // namespace

TEST_CASE("a head-office report sizes every lifecycle segment of the chain as of today, without erased members") {
    History h;
    create_staff(h.srv, "head.office", "hq_admin");
    // new G6 G11; core G1; active G2; potential G3 G10; dormant G4; churned G5 G7 G8. G9 is erased.
    CHECK(h.segments("head.office") == sizes("2026-06-15", 2, 1, 1, 2, 1, 3));
    // The sizes are today's whatever the period: five weeks later they have moved.
    h.at("2026-07-20");
    CHECK(h.segments("head.office") == sizes("2026-07-20", 0, 0, 2, 2, 3, 3));
}

TEST_CASE("a region manager's segment sizes count only the members of their region's stores") {
    History h;
    create_staff(h.srv, "east.manager", "region_manager", "", "E");
    create_staff(h.srv, "west.manager", "region_manager", "", "W");
    // East (S001, S002): G1 core, G2 active, G3 potential, G4 dormant, G6 new (joined at S002), G8
    // churned; G9 (bought at S001) is erased.
    CHECK(h.segments("east.manager") == sizes("2026-06-15", 1, 1, 1, 1, 1, 1));
    // West (S101): G5 churned, G11 new.
    CHECK(h.segments("west.manager") == sizes("2026-06-15", 1, 0, 0, 0, 0, 1));
    create_staff(h.srv, "head.office", "hq_admin");
    CHECK(h.segments("head.office", "&region=W") == sizes("2026-06-15", 1, 0, 0, 0, 0, 1));
}

TEST_CASE("a store manager's segment sizes count the members who joined or bought at the store") {
    History h;
    create_staff(h.srv, "s002.manager", "store_manager", "S002");
    // S002: G3 bought there (potential), G6 joined there (new).
    CHECK(h.segments("s002.manager") == sizes("2026-06-15", 1, 0, 0, 1, 0, 0));
    // A purchase at S002 brings G1 into the store's members; a refund in full of G3's only purchase
    // makes G3 a member who never bought (226 days: churned).
    h.srv.buy("T1d", History::phone(1), 5000, "S002");
    h.refund("T3", 10000);
    CHECK(h.segments("s002.manager") == sizes("2026-06-15", 1, 1, 0, 0, 0, 1));
}

}  // namespace report_segments_test
