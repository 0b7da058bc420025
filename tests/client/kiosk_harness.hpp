// Test harness for the store kiosk (wasm/src/kiosk): the real Shell running the kiosk mode, Ui and ApiClient with the
// fake HTTP transport and fake platform of harness.hpp, drawn frame by frame with Dear ImGui and no
// backend. Time is the fake platform's monotonic clock (advance() jumps it).
#pragma once
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "harness.hpp"
#include "kiosk/kiosk_mode.hpp"

namespace mdtest {

using memberdesk::client::kiosk::KioskMode;
namespace kiosk = memberdesk::client::kiosk;

inline json kiosk_me_json(long long balance = 1234) {
    json j = me_json(balance);
    // What the kiosk-scoped API sends: name and phone masked, no birthday.
    j["profile"]["name"] = "王*明";
    j["profile"].erase("birthday");
    return j;
}

inline json kiosk_program_json() {
    json p = program_json();
    p["rules"].push_back(
        json{{"id", "rewards"},
             {"heading", json{{"en", "Rewards"}, {"zh", "积分兑换"}}},
             {"body", json{{"en", "Redeem points for these rewards:\nPremium coffee: 500 points\nPastry: 300 points"},
                           {"zh", "用积分兑换以下礼品：\n精品咖啡：500积分\n烘焙点心：300积分"}}}});
    p["rules"].push_back(json{{"id", "expiry"},
                              {"heading", json{{"en", "When points expire"}, {"zh", "积分有效期"}}},
                              {"body", json{{"en", "Points expire after 12 months."}, {"zh", "积分12个月后过期。"}}}});
    return p;
}

class KioskHarness : public ShellDriver {
public:
    // `store`: the store the kiosk was set up for ("" = none).
    explicit KioskHarness(bool with_key = true, float width = 1920, float height = 1080,
                          float device_pixel_ratio = 1.0f, const std::string& store = "")
        : ShellDriver(width, height) {
        dpr = device_pixel_ratio;
        refuse_disabled_clicks_ = true;
        if (with_key) platform.local["memberdesk.kiosk.key"] = "test-kiosk-key";
        if (!store.empty()) platform.local["memberdesk.kiosk.store"] = store;
        app_ = &start_shell<KioskMode>(AppMode::kiosk);
    }

    KioskMode& app() { return *app_; }
    void resize(float w, float h) {
        w_ = w;
        h_ = h;
    }

    // A pointer (finger) tap somewhere on the canvas that hits no control.
    void tap_background() {
        ImGuiIO& io = ImGui::GetIO();
        io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
        io.AddMousePosEvent(w_ - 5, h_ - 5);
        io.AddMouseButtonEvent(0, true);
        frame();
        io.AddMouseButtonEvent(0, false);
        frame();
    }
    // What a barcode scanner does: types the characters, then Enter, with nothing focused.
    void scanner_types(const std::string& code) {
        ImGuiIO& io = ImGui::GetIO();
        io.AddInputCharactersUTF8(code.c_str());
        frame();
        io.AddKeyEvent(ImGuiKey_Enter, true);
        frame();
        io.AddKeyEvent(ImGuiKey_Enter, false);
        frame();
    }
    // Seconds pass without input (a frame is drawn at the end, as the idle wake-up would).
    void advance(double seconds) {
        platform.now += seconds;
        platform.unix += static_cast<std::int64_t>(seconds);
        frame();
    }

    void boot() { answer_start_up(kiosk_program_json()); }
    void answer_member_data(const json& me = kiosk_me_json()) {
        REQUIRE(answer("GET /api/v1/me", 200, me));
        REQUIRE(answer("GET /api/v1/me/coupons", 200, coupons_json()));
        REQUIRE(answer("GET /api/v1/rewards", 200, rewards_json(me["points"]["balance"].get<long long>())));
    }
    void press_keys(const std::string& digits) {
        for (char c : digits) click(std::string("kiosk.key.") + c);
    }
    // attract -> keypad -> phone -> Next -> PIN -> Sign in -> member view.
    void sign_in_keypad(const json& me = kiosk_me_json()) {
        boot();
        click("kiosk.start");
        press_keys("13800000001");
        click("kiosk.next");
        press_keys("123456");
        click("kiosk.submit");
        REQUIRE(
            answer("POST /api/v1/kiosk/login", 200, json{{"token", "ktok"}, {"expires_at", "2026-03-20T09:48:40Z"}}));
        answer_member_data(me);
    }
    void sign_in_scan(const std::string& code = "M1-8f3k2abc") {
        boot();
        scanner_types(code);
        REQUIRE(
            answer("POST /api/v1/kiosk/login", 200, json{{"token", "ktok"}, {"expires_at", "2026-03-20T09:48:40Z"}}));
        answer_member_data();
    }

private:
    KioskMode* app_ = nullptr;
};

}  // namespace mdtest
