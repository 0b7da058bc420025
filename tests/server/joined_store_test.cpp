// The store a member joined at (domain.md §8: a member belongs to the stores where they joined or
// bought): set by a kiosk's sign-up and by staff creating a member at a store, never by the portal,
// and it puts a member who never bought in the scope of that store's and region's managers only.
#include "self_service_harness.hpp"
#include "staff_fixture.hpp"

using namespace mdtest;

namespace joined_store_test {

namespace {

bool lists_member(const json& body, std::int64_t id) {
    for (const auto& m : body["members"])
        if (m["id"] == id) return true;
    return false;
}

json verify_body(const std::string& phone, const std::string& code) {
    return {{"phone", phone},     {"code", code},    {"pin", "246810"},           {"name", "韩梅梅"},
            {"channel", "kiosk"}, {"store", "S002"}, {"consents", all_consents()}};
}

// Sign-up at a kiosk of S002 (the kiosk sends its store with its device key).
std::int64_t kiosk_sign_up(TestServer& srv, SentCodes& codes, const std::string& phone) {
    expect_status(srv.post("/api/v1/auth/signup/start", {{"phone", phone}}), 202);
    auto v = expect_status(
        srv.post("/api/v1/auth/signup/verify", verify_body(phone, codes.last(phone)), kiosk_device()), 201);
    return v["member_id"].get<std::int64_t>();
}

json admin_member(TestServer& srv, std::int64_t id) {
    return expect_status(srv.get("/api/v1/admin/members/" + std::to_string(id), admin()), 200);
}

}  // namespace

TEST_CASE("joined store: a kiosk sign-up joins at the kiosk's store, a portal sign-up at none") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    make_chain(srv);
    const std::int64_t at_kiosk = kiosk_sign_up(srv, *codes, "13900000021");
    CHECK(admin_member(srv, at_kiosk)["joined_store"] == "S002");
    auto online = sign_up(srv, *codes, "13900000022");
    CHECK(admin_member(srv, online["member_id"].get<std::int64_t>())["joined_store"].is_null());
}

TEST_CASE("joined store: only a kiosk may name a store at sign-up, and the store must exist") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    make_chain(srv);
    const std::string phone = "13900000023";
    expect_status(srv.post("/api/v1/auth/signup/start", {{"phone", phone}}), 202);
    const std::string code = codes->last(phone);
    expect_error(srv.post("/api/v1/auth/signup/verify", verify_body(phone, code)), 401, "unauthorized");
    expect_error(srv.post("/api/v1/auth/signup/verify", verify_body(phone, code), {{"X-Kiosk-Key", "not-the-key"}}),
                 401, "unauthorized");
    json unknown = verify_body(phone, code);
    unknown["store"] = "S999";
    expect_error(srv.post("/api/v1/auth/signup/verify", unknown, kiosk_device()), 404, "unknown_store");
    // None of the refusals used the code or created the member.
    expect_status(srv.post("/api/v1/auth/signup/verify", verify_body(phone, code), kiosk_device()), 201);
}

TEST_CASE("joined store: an admin creating a member at an unknown store is refused") {
    TestServer srv;
    make_chain(srv);
    expect_error(srv.post("/api/v1/admin/members",
                          {{"phone", "13900000024"}, {"pin", "123456"}, {"name", "Li"}, {"store", "S999"}}, admin()),
                 404, "unknown_store");
    auto j = expect_status(srv.get("/api/v1/admin/members?phone=13900000024", admin()), 200);
    CHECK(j["members"].empty());
}

TEST_CASE("joined store: a member who joined at a kiosk and never bought is seen by that store and region only") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    make_chain(srv);
    const std::int64_t joined = kiosk_sign_up(srv, *codes, "13900000025");
    const std::int64_t online = sign_up(srv, *codes, "13900000026")["member_id"].get<std::int64_t>();
    create_staff(srv, "mgr.s002", "store_manager", "S002");
    create_staff(srv, "mgr.s001", "store_manager", "S001");
    create_staff(srv, "region.e", "region_manager", "", "E");
    create_staff(srv, "region.w", "region_manager", "", "W");
    struct Case {
        const char* username;
        bool sees_joined;
    };
    for (const Case& k :
         {Case{"mgr.s002", true}, Case{"region.e", true}, Case{"mgr.s001", false}, Case{"region.w", false}}) {
        INFO(k.username);
        const auto tok = bearer(staff_login(srv, k.username));
        auto list = expect_status(srv.get("/api/v1/staff/members", tok), 200);
        CHECK(lists_member(list, joined) == k.sees_joined);
        CHECK(!lists_member(list, online));  // joined online, never bought: no store's member
        auto res = srv.get("/api/v1/staff/members/" + std::to_string(joined), tok);
        REQUIRE_MESSAGE(res, describe(res));
        CHECK(res->status == (k.sees_joined ? 200 : 404));
        expect_status(srv.get("/api/v1/staff/members/" + std::to_string(online), tok), 404);
    }
}

}  // namespace joined_store_test
