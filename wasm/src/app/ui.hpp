// The widget layer every screen draws with. Each call draws with Dear ImGui *and* adds the same
// thing to the mirror tree (heading, text, button, input, ...) under a stable id, so the hidden DOM
// layer always says what the canvas shows. Activation through the mirror (a screen reader or a test
// clicking the hidden <button>, typing into the hidden <input>) arrives as a MirrorEvent and makes
// the same call return true / change the same string, exactly like a pointer click on the canvas.
// Ui never fetches, never touches GL: platform-neutral, unit-tested against ImGui without a backend.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "imgui.h"

#include "app/fonts.hpp"
#include "app/i18n.hpp"
#include "app/mirror.hpp"
#include "app/theme.hpp"
#include "memberdesk/common.hpp"
#include "memberdesk/time.hpp"

namespace memberdesk::client {

enum class Tone { normal, muted, accent, danger, success, warning };
enum class ButtonKind { primary, secondary, danger, ghost, nav };
enum class InputKind { text, password, phone, pin, number, date, multiline };

// ImDrawList::AddText with a font that is not the current one: each text size has an atlas and a
// texture of its own (app/fonts.hpp), so its glyphs are drawn with that texture.
inline void add_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 col, const char* text) {
    dl->PushTextureID(font->ContainerAtlas->TexID);
    dl->AddText(font, size, pos, col, text);
    dl->PopTextureID();
}

// What a frame needs to know about its surroundings.
struct FrameContext {
    Lang lang = Lang::en;
    Theme theme = make_theme(false);
    float scale = 1.0f;  // physical pixels per CSS pixel x text size
    const ZoneRules* zone = nullptr;
    Fonts fonts;
    FontManager* glyphs = nullptr;  // notified of every text drawn (CJK atlas)
    std::vector<MirrorEvent> events;
    std::int64_t unix_now = 0;
    double time = 0;  // monotonic seconds
};

class Ui {
public:
    explicit Ui(Mirror& mirror);
    ~Ui();

    void begin_frame(FrameContext ctx);
    void end_frame();  // closes dialogs no longer drawn, drops unused events

    // Context.
    Lang lang() const { return ctx_.lang; }
    const char* tr(std::string_view key) const { return client::tr(ctx_.lang, key); }
    const std::string& t(const Text& text) const { return text.in(code(ctx_.lang)); }
    float px(float css) const { return css * ctx_.scale; }
    float scale() const { return ctx_.scale; }
    const Theme& theme() const { return ctx_.theme; }
    const ZoneRules& zone() const;
    const Fonts& fonts() const { return ctx_.fonts; }
    std::int64_t unix_now() const { return ctx_.unix_now; }
    double time() const { return ctx_.time; }
    Mirror& mirror() { return mirror_; }
    std::string date(const std::string& rfc3339) const;
    std::string datetime(const std::string& rfc3339) const;
    void note(std::string_view text) const;          // glyphs for the atlas
    void note_display(std::string_view text) const;  // the same, for text in fonts().display

    // Layout. width() = width available to a full-width element at the current level.
    float width() const;
    void push_width(float w);
    void pop_width();
    void gap(float css = 8);
    void same_line(float css_spacing = 8);

    // Structure (mirror containers; cards also draw a rounded panel behind their content).
    void begin_region(const std::string& id, const std::string& label, Role role = Role::region);
    void end_region();
    void begin_card(const std::string& id, const std::string& label = "", Tone tone = Tone::normal);
    void end_card();
    void begin_list(const std::string& id, const std::string& label);
    void end_list();
    void begin_item(const std::string& id, const std::string& label = "");
    void end_item();

    // Content.
    void heading(const std::string& id, const std::string& text, int level = 1);
    void text(const std::string& id, const std::string& text, Tone tone = Tone::normal, ImFont* font = nullptr);
    void pair(const std::string& id, const std::string& label, const std::string& value);  // label: value
    void big_number(const std::string& id, const std::string& label, const std::string& number,
                    const std::string& unit);
    void badge(const std::string& id, const std::string& text, Tone tone);
    void progress(const std::string& id, const std::string& label, int percent);
    void status(const std::string& id, const std::string& text);  // polite live region
    void alert(const std::string& id, const std::string& text);   // error box, assertive live region
    // Reserves `size` pixels for a custom drawing and mirrors it as an image with `alt` text.
    // Returns the top-left corner in screen coordinates.
    ImVec2 image(const std::string& id, const std::string& alt, ImVec2 size);
    void loading(const std::string& id, const std::string& label);  // spinner + status

    // Controls. Each returns true when activated (canvas or mirror).
    bool button(const std::string& id, const std::string& label, ButtonKind kind = ButtonKind::primary,
                bool enabled = true, float width_css = 0);
    bool input(const std::string& id, const std::string& label, std::string& value, InputKind kind = InputKind::text,
               int max_len = 64, bool* submitted = nullptr, const std::string& hint = "");
    bool choice(const std::string& id, const std::string& label, const std::vector<std::string>& options,
                int& selected);
    // A modal dialog; call every frame it should stay open, with dialog_end() after its content.
    void dialog_begin(const std::string& id, const std::string& title);
    void dialog_end();

    // Mirror events addressed to `id` (consumed).
    bool take_click(const std::string& id);
    bool take_input(const std::string& id, std::string& value);
    bool take_submit(const std::string& id);
    const std::string& mirror_focus() const { return mirror_focus_; }

    // Touch: drag-to-scroll the current window (ImGui has no touch panning of its own).
    void touch_scroll();

private:
    ImU32 tone_color(Tone t) const;
    void after_item(const std::string& id);  // focus ring for the mirror-focused element
    struct Card;
    Mirror& mirror_;
    FrameContext ctx_;
    std::vector<float> widths_;
    std::vector<std::unique_ptr<Card>> cards_;
    std::vector<MirrorEvent> events_;
    std::string mirror_focus_;
    std::map<std::string, ImGuiID> dialogs_open_, dialogs_drawn_;
    std::vector<bool> dialog_open_stack_;
    bool touch_dragging_ = false;
};

}  // namespace memberdesk::client
