// The portal as one object: owns the client state, the API client, the UI state and the font
// manager; draws the chrome (header, navigation) and the current screen each frame; turns the
// screens' Actions into API calls, navigation and settings. Platform-neutral: the web glue
// (platform/main_web.cpp) and the native tests drive the same App.
//
// Per frame the host does:
//   changed = app.update();                       // network answers, timers
//   if (app.prepare(dpr)) re-upload font texture;  // fonts and style for this scale/theme
//   if (changed || input) { NewFrame(); app.draw(ui, events); Render(); }
//   next = app.next_wake();                        // when to come back without input
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "app/api_client.hpp"
#include "app/client_state.hpp"
#include "app/fonts.hpp"
#include "app/mirror.hpp"
#include "app/platform.hpp"
#include "app/ui.hpp"
#include "screens/screens.hpp"

namespace memberdesk::client {

struct AppPaths {
    std::string api_base = "/api/v1";
    std::string latin_font = "/fonts/ui-latin.ttf";
    std::string lang_font = "/fonts/ui-lang.ttf";
    std::string cjk_font = "/fonts/ui-cjk.ttf";
};

class App {
public:
    App(Platform& platform, HttpTransport& http, AppMode mode = AppMode::portal, AppPaths paths = {});

    void start();   // settings, stored session, route; first requests
    bool update();  // apply network answers and timers; true if something changed
    // Fonts and style for `device_pixel_ratio`; true if the font atlas was rebuilt.
    bool prepare(float device_pixel_ratio);
    bool ready() const;  // the UI font has arrived (or failed: default font); draw only then
    void draw(Ui& ui, std::vector<MirrorEvent> events);  // between ImGui::NewFrame() and Render()
    double next_wake() const;  // seconds until a timed redraw is due (< 0: none)
    bool busy() const { return api_.busy(); }

    ClientState& state() { return state_; }
    UiState& ui_state() { return ui_; }
    FontManager& fonts() { return fonts_; }
    ApiClient& api() { return api_; }
    float scale() const { return scale_; }
    const Theme& theme() const { return theme_; }
    void navigate(Screen s);

private:
    void apply(const Actions& a);
    void load_for(Screen s, bool force);
    void save_settings();
    void draw_header(Ui& ui, Actions& actions, bool narrow);
    void draw_nav(Ui& ui, Actions& actions, bool vertical);
    void update_document();

    Platform& platform_;
    ClientState state_;
    ApiClient api_;
    UiState ui_;
    FontManager fonts_;
    AppPaths paths_;
    Theme theme_ = make_theme(false);
    float scale_ = 1.0f, dpr_ = 1.0f;
    bool style_dirty_ = true;
    bool had_session_ = false;
    bool cjk_requested_ = false;
    bool zh_table_noted_ = false;
    bool latin_set_ = false, lang_set_ = false, cjk_set_ = false;
    Screen route_after_sign_in_ = Screen::home;
    std::string last_doc_key_;
};

}  // namespace memberdesk::client
