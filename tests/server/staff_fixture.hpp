// Test helpers for stores, POS keys and staff (domain.md §8): a chain of two regions and four
// stores, store keys, and one account per role.
#pragma once
#include "test_server.hpp"

namespace mdtest {

inline const std::string kStaffPassword = "counter-pass-2026";

// Regions E (stores S001, S002) and W (S101, S102).
inline void make_chain(TestServer& srv) {
    for (auto [id, name] : {std::pair{"E", "East"}, std::pair{"W", "West"}})
        expect_status(srv.post("/api/v1/admin/regions", {{"id", id}, {"name", name}}, admin()), 201);
    for (auto [id, region] :
         {std::pair{"S001", "E"}, std::pair{"S002", "E"}, std::pair{"S101", "W"}, std::pair{"S102", "W"}})
        expect_status(srv.post("/api/v1/admin/stores",
                               {{"id", id}, {"name", std::string("Store ") + id}, {"region", region}}, admin()),
                      201);
}

struct PosKey {
    std::string id, key;
};
inline PosKey issue_pos_key(TestServer& srv, const std::string& store) {
    auto j = expect_status(srv.post_empty("/api/v1/admin/stores/" + store + "/pos-keys", admin()), 201);
    REQUIRE(j["key"].is_string());
    return {j["key_id"].get<std::string>(), j["key"].get<std::string>()};
}
inline httplib::Headers api_key(const std::string& key) { return {{"X-Api-Key", key}}; }

inline std::int64_t create_staff(TestServer& srv, const std::string& username, const std::string& role,
                                 const std::string& store = "", const std::string& region = "") {
    json b = {{"username", username}, {"password", kStaffPassword}, {"name", "Staff " + username}, {"role", role}};
    if (!store.empty()) b["store"] = store;
    if (!region.empty()) b["region"] = region;
    auto j = expect_status(srv.post("/api/v1/admin/staff", b, admin()), 201);
    REQUIRE(j["id"].is_number_integer());
    return j["id"].get<std::int64_t>();
}

inline std::string staff_login(TestServer& srv, const std::string& username,
                               const std::string& password = kStaffPassword) {
    auto j = expect_status(srv.post("/api/v1/staff/login", {{"username", username}, {"password", password}}), 200);
    REQUIRE(j["token"].is_string());
    return j["token"].get<std::string>();
}

// Audit rows (newest first) as the admin sees them.
inline json admin_audit(TestServer& srv) {
    return expect_status(srv.get("/api/v1/admin/audit?limit=100", admin()), 200)["entries"];
}

}  // namespace mdtest
