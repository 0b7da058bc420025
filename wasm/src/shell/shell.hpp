// The client shell: one runner for every mode and every platform (like hello_imgui's runner).
// It owns the client state, the API client, the fonts (Latin, the language switch, CJK on demand),
// scale, theme and language, builds each frame's context for Ui and the mirror, and combines the
// wake-ups of the network and the mode. Platform glue (wasm/src/platform/main_web.cpp, the native
// test harnesses) drives it the same way:
//
//   changed = shell.update();                        // network answers, fonts, mode timers
//   if (shell.prepare(dpr)) re-upload font texture;  // fonts and style for this scale/theme
//   if (changed || input) { NewFrame(); shell.draw(ui, events); Render(); }
//   next = shell.next_wake();                        // when to come back without input
//
// Modes (mode.hpp) only draw and act: portal (app/portal_mode.hpp), kiosk (kiosk/kiosk_mode.hpp),
// staff console (staff/staff_mode.hpp).
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/api_client.hpp"
#include "app/client_state.hpp"
#include "app/fonts.hpp"
#include "app/mirror.hpp"
#include "app/platform.hpp"
#include "app/theme.hpp"
#include "shell/mode.hpp"

namespace memberdesk::client {

class Ui;

struct ShellPaths {
    std::string api_base = "/api/v1";
    std::string latin_font = "/fonts/ui-latin.ttf";
    std::string lang_font = "/fonts/ui-lang.ttf";
    std::string cjk_font = "/fonts/ui-cjk.ttf";
};

class Shell {
public:
    Shell(Platform& platform, HttpTransport& http, AppMode mode, ShellPaths paths = {});
    ~Shell();

    // The mode this shell runs; constructed with the shell (modes keep a reference to it).
    template <class M, class... Args>
    M& run(Args&&... args) {
        auto m = std::make_unique<M>(*this, std::forward<Args>(args)...);
        M& ref = *m;
        mode_ = std::move(m);
        return ref;
    }

    void request_fonts();  // the fonts and the program (start() does it too, if not done yet)
    void start();          // fonts, program, then the mode's start()
    bool update();
    // True if a font atlas was rebuilt: every size that needed it, or at most one with `one_size` or
    // when nothing drawn waits for it (fonts().needs_rebuild_now(): a font that arrived is added a
    // size a frame); fonts().needs_rebuild() says what is left. Start-up builds a size a task.
    bool prepare(float device_pixel_ratio, bool one_size = false);
    bool ready() const;  // the UI font has arrived (or failed: default font); draw only then
    void draw(Ui& ui, std::vector<MirrorEvent> events);  // between ImGui::NewFrame() and Render()
    double next_wake() const;
    void route(const std::string& hash) { mode_->route(hash); }

    Platform& platform() { return platform_; }
    ClientState& state() { return state_; }
    const ClientState& state() const { return state_; }
    ApiClient& api() { return api_; }
    const ApiClient& api() const { return api_; }
    FontManager& fonts() { return fonts_; }
    const Theme& theme() const { return theme_; }
    void set_theme(const Theme& theme);
    float scale() const { return scale_; }
    float dpr() const { return dpr_; }
    double now() { return platform_.monotonic_seconds(); }

private:
    Platform& platform_;
    ClientState state_;
    ApiClient api_;
    FontManager fonts_;
    ShellPaths paths_;
    std::unique_ptr<Mode> mode_;
    Theme theme_ = make_theme(false);
    float scale_ = 1.0f, dpr_ = 1.0f;
    bool style_dirty_ = true;
    bool cjk_requested_ = false;
    bool requested_ = false;
    bool zh_noted_ = false;
    bool latin_set_ = false, lang_set_ = false, cjk_set_ = false;
    bool strings_noted_ = false;
};

}  // namespace memberdesk::client
