// A client mode (portal `/`, kiosk `/kiosk`, staff console `/staff`): what one kind of
// screen draws and does. The Shell (shell.hpp) owns everything every mode needs -- client state,
// API client, fonts, scale, theme, language, wake-ups, the mirror frame -- and calls the mode at
// fixed points of each frame. A mode draws its screens (wasm/src/screens/), turns the actions they
// return into API calls through the shell, and says when it next wants a frame.
#pragma once
#include <string>
#include <vector>

#include "app/i18n.hpp"
#include "app/mirror.hpp"

struct ImGuiStyle;

namespace memberdesk::client {

class Ui;

class Mode {
public:
    virtual ~Mode() = default;
    // Once, after the shell has read the settings and asked for the fonts and the program.
    virtual void start() = 0;
    // Every frame, after the API's answers were applied: timers, session transitions. True = redraw.
    virtual bool update() = 0;
    // UI strings of this mode (their Chinese glyphs go into the font atlas at once).
    virtual const std::vector<StringEntry>& strings() const = 0;
    // Text size on top of devicePixelRatio, given the display in CSS pixels.
    virtual float text_scale(float css_w, float css_h) const = 0;
    // Style on top of the theme's (borders, rounding) at this scale.
    virtual void tune_style(ImGuiStyle&, float /*dpr*/, float /*scale*/) const {}
    // The mirror events of this frame, before anything is drawn (activity timers).
    virtual void input(const std::vector<MirrorEvent>& /*events*/) {}
    // Draws the whole window between ImGui::NewFrame() and Render(); Ui's frame is open.
    virtual void draw(Ui& ui) = 0;
    // After Ui's frame closed: apply what the screens returned.
    virtual void after_frame() {}
    // Seconds until this mode's next timed redraw (< 0: none).
    virtual double next_wake() const = 0;
    // The page's location hash changed (back/forward): "#/coupons".
    virtual void route(const std::string& /*hash*/) {}
};

}  // namespace memberdesk::client
