// Test harness for the staff console (wasm/src/staff): the real Shell running the staff mode, Ui and
// StaffApi with the fake HTTP transport and fake platform of harness.hpp, drawn frame by frame with
// Dear ImGui and no backend; driven through the accessibility mirror and posted scans.
#pragma once
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "harness.hpp"
#include "staff/staff_mode.hpp"

namespace mdtest {

namespace staff = memberdesk::client::staff;

class StaffHarness : public ShellDriver {
public:
    explicit StaffHarness(float width = 1366, float height = 768) : ShellDriver(width, height) {
        refuse_disabled_clicks_ = true;
    }

    void start() {
        app_ = &start_shell<staff::StaffMode>(AppMode::staff, http);
        answer_start_up(program_json());
    }
    staff::StaffMode& app() { return *app_; }
    void scan(const std::string& code) {
        staff::post_scan(code);
        frames(2);
    }
    // Signs in as the account `me` (GET /staff/me's answer) describes.
    void sign_in_as(const json& me) {
        type("staff.signin.username", me.at("username").get<std::string>());
        type("staff.signin.password", "demo-password");
        click("staff.signin.submit");
        REQUIRE(answer("POST /api/v1/staff/login", 200,
                       json{{"token", "stok"}, {"expires_at", "2026-03-20T17:46:40Z"}, {"role", me.at("role")}}));
        REQUIRE(answer("GET /api/v1/staff/me", 200, me));
    }
    static json staff_json(const std::string& role, const json& store = "store-001", const json& region = nullptr) {
        return {{"id", 7},
                {"username", role},
                {"name", "Wang Manager"},
                {"role", role},
                {"store", store},
                {"region", region},
                {"expires_at", "2026-03-20T17:46:40Z"}};
    }
    void sign_in_as_clerk() {
        type("staff.signin.username", "clerk");
        type("staff.signin.password", "demo-password");
        click("staff.signin.submit");
        REQUIRE(answer("POST /api/v1/staff/login", 200,
                       json{{"token", "stok"}, {"expires_at", "2026-03-20T17:46:40Z"}, {"role", "clerk"}}));
        REQUIRE(answer("GET /api/v1/staff/me", 200, clerk_json()));
    }
    static json clerk_json() {
        return {{"id", 1},
                {"username", "clerk"},
                {"name", "Li Clerk"},
                {"role", "clerk"},
                {"store", "store-001"},
                {"region", nullptr},
                {"expires_at", "2026-03-20T17:46:40Z"}};
    }
    static json member_json(long long balance = 524) {
        return {{"id", 12},
                {"level", 2},
                {"joined_at", "2025-01-02T03:04:05Z"},
                {"joined_store", "store-001"},
                {"points",
                 {{"balance", balance},
                  {"pending", 0},
                  {"lifetime_earned", 1902},
                  {"expiring_soon", 40},
                  {"debt", 0},
                  {"next_expiry", "2026-12-31T15:59:59Z"}}},
                {"tier", {{"id", "premium"}, {"name", {{"zh", "高级"}, {"en", "Premium"}}}, {"percent", 57}}},
                {"coupons", {{"available", 2}, {"used", 1}, {"expired", 0}, {"voided", 0}}},
                {"purchases", 115},
                {"name", "李*"},
                {"phone", "138****0002"},
                {"segment", "active"}};
    }
    // A member found by scanning their card, with their level-2 data on screen.
    void scan_member() {
        scan("M23456789ABCDEFG");
        REQUIRE(answer(
            "GET /api/v1/staff/members?code=M23456789ABCDEFG", 200,
            json{{"members",
                  json::array({json{{"id", 12}, {"name", "李*"}, {"phone", "138****0002"}, {"tier", "premium"}}})},
                 {"next_cursor", nullptr}}));
        REQUIRE(answer("GET /api/v1/staff/members/12", 200, member_json()));
    }

private:
    staff::StaffMode* app_ = nullptr;
};

}  // namespace mdtest
