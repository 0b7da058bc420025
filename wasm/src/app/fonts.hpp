// The font atlas: a small Latin UI font (loaded at start) plus, merged into it, exactly the CJK
// glyphs that have appeared on screen so far, taken from the CJK subset font. The CJK font is
// fetched only once a CJK character is about to be shown (Chinese UI, or a Chinese name); the
// atlas is rebuilt when new glyphs show up (batched: at most once per frame, before NewFrame).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "imgui.h"

namespace memberdesk::client {

struct Fonts {
    ImFont* small = nullptr;    // 13 css px
    ImFont* body = nullptr;     // 16
    ImFont* heading = nullptr;  // 22
    ImFont* display = nullptr;  // 36 (balance, big numbers)
};

class FontManager {
public:
    FontManager();
    void set_latin(const std::string& ttf);
    void set_cjk(const std::string& ttf);
    // The few glyphs of the language switch ("中文"), always in the atlas once set.
    void set_lang_switch(const std::string& ttf);
    static constexpr const char* kLangSwitch = "\xE4\xB8\xAD\xE6\x96\x87";  // 中文
    bool has_latin() const { return !latin_.empty(); }
    bool has_cjk() const { return !cjk_.empty(); }

    // Records the characters of a text about to be drawn.
    void note(std::string_view utf8);
    // The same for text in the display size, whose atlas holds only what numbers and codes use
    // (kDisplayRanges) plus every other character noted here.
    void note_display(std::string_view utf8);
    bool wants_cjk() const { return !cjk_wanted_.empty(); }  // a CJK glyph was needed
    void set_scale(float scale);                             // devicePixelRatio x text size

    bool needs_rebuild() const { return dirty_; }
    // Rebuilds `atlas` (clear + add fonts + Build). The caller re-uploads the texture.
    void rebuild(ImFontAtlas& atlas);
    const Fonts& fonts() const { return fonts_; }
    int cjk_glyphs_in_atlas() const { return static_cast<int>(cjk_in_atlas_count_); }
    float raster_scale() const { return raster_; }

    static bool is_cjk(unsigned cp);

private:
    std::vector<char> latin_, cjk_, lang_;
    std::vector<bool> from_lang_;  // BMP code points the language-switch font provides
    std::vector<bool> in_atlas_;   // BMP code points already rasterised (CJK only)
    std::vector<bool> wanted_;     // BMP code points in cjk_wanted_
    std::vector<unsigned> cjk_wanted_;
    std::size_t cjk_in_atlas_count_ = 0;
    ImVector<ImWchar> cjk_ranges_;
    std::vector<bool> in_display_;  // BMP code points the display size has (base ranges + noted)
    std::vector<unsigned> display_extra_;
    ImVector<ImWchar> display_ranges_;
    float scale_ = 1.0f;
    float raster_ = 1.0f;  // glyph raster size / drawn size (< 1 only for very large atlases)
    bool dirty_ = true;
    Fonts fonts_;
};

}  // namespace memberdesk::client
