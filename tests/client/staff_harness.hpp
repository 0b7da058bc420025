// Test harness for the staff console (wasm/src/staff): the real Shell running the staff mode, Ui and
// StaffApi with the fake HTTP transport and fake platform of harness.hpp, drawn frame by frame with
// Dear ImGui and no backend; driven through the accessibility mirror and posted scans.
#pragma once
#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "harness.hpp"
#include "staff/staff_mode.hpp"

namespace mdtest {

namespace staff = memberdesk::client::staff;

class StaffHarness {
public:
    FakeHttp http;
    FakePlatform platform;
    Mirror mirror;

    explicit StaffHarness(float width = 1366, float height = 768) : w_(width), h_(height) {
        ctx_ = ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.LogFilename = nullptr;
        io.DisplaySize = ImVec2(w_, h_);
        io.Fonts->Build();
    }
    ~StaffHarness() {
        ui_.reset();
        shell_.reset();
        ImGui::DestroyContext(ctx_);
    }
    StaffHarness(const StaffHarness&) = delete;

    void start() {
        shell_ = std::make_unique<Shell>(platform, http, AppMode::staff);
        app_ = &shell_->run<staff::StaffMode>(http);
        ui_ = std::make_unique<Ui>(mirror);
        shell_->start();
        http.answer("GET /fonts/ui-latin.ttf", 404, "");
        http.answer("GET /fonts/ui-lang.ttf", 404, "");
        http.answer("GET /api/v1/program", 200, program_json().dump());
        frames(2);
    }
    staff::StaffMode& app() { return *app_; }

    void frame(std::vector<MirrorEvent> events = {}) {
        shell_->update();
        shell_->prepare(1.0f);
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(w_, h_);
        io.DeltaTime = 1.0f / 60.0f;
        ImGui::NewFrame();
        shell_->draw(*ui_, std::move(events));
        ImGui::Render();
        platform.now += 1.0 / 60.0;
    }
    void frames(int n) {
        for (int i = 0; i < n; ++i) frame();
    }
    void click(const std::string& id) {
        REQUIRE_MESSAGE(has(id), "no mirror node " << id);
        REQUIRE_MESSAGE(!node(id)->disabled, "disabled: " << id);
        frame({MirrorEvent{MirrorEvent::Kind::click, id, ""}});
        frame();
    }
    void type(const std::string& id, const std::string& value) {
        REQUIRE_MESSAGE(has(id), "no mirror node " << id);
        frame({MirrorEvent{MirrorEvent::Kind::input, id, value}});
        frame();
    }
    void scan(const std::string& code) {
        staff::post_scan(code);
        frames(2);
    }
    bool answer(const std::string& prefix, int status, const json& body) {
        const bool ok = http.answer(prefix, status, body.dump());
        frames(2);
        return ok;
    }
    const MirrorNode* node(const std::string& id) const { return mirror.find(id); }
    bool has(const std::string& id) const { return node(id) != nullptr; }
    std::string label(const std::string& id) const {
        const MirrorNode* n = node(id);
        return n ? n->label : "<missing " + id + ">";
    }
    std::string text() const { return mirror.all_text(); }

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
    std::unique_ptr<Shell> shell_;
    staff::StaffMode* app_ = nullptr;
    std::unique_ptr<Ui> ui_;
    ImGuiContext* ctx_ = nullptr;
    float w_, h_;
};

// Landmarks have names no other landmark on the screen has; headings start at h1 and never skip.
inline void check_landmarks_and_headings(const Mirror& mirror, const std::string& where) {
    CAPTURE(where);
    std::vector<const MirrorNode*> nodes;
    std::function<void(const MirrorNode&)> walk = [&](const MirrorNode& n) {
        nodes.push_back(&n);
        for (const auto& c : n.children) walk(c);
    };
    walk(mirror.root());
    std::set<std::string> names;
    int last_level = 0, headings = 0;
    for (const MirrorNode* n : nodes) {
        if (n->role == Role::region || n->role == Role::nav || n->role == Role::dialog) {
            CAPTURE(n->id);
            CHECK_FALSE(n->label.empty());
            CHECK_MESSAGE(names.insert(n->label).second, "landmark name used twice: " << n->label);
        }
        if (n->role == Role::heading) {
            CAPTURE(n->id);
            if (headings++ == 0) CHECK(n->level == 1);
            CHECK(n->level <= last_level + 1);
            last_level = n->level;
        }
    }
    CHECK(headings > 0);
}

}  // namespace mdtest
