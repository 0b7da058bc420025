// The font atlas: a small Latin UI font (loaded at start) plus, merged into it, exactly the CJK
// glyphs that have appeared on screen so far, taken from the CJK subset font. The CJK font is
// fetched only once a CJK character is about to be shown (Chinese UI, or a Chinese name); the
// atlas is rebuilt when new glyphs show up (batched: at most once per frame, before NewFrame).
// The Latin font's glyphs are taken the same way: ASCII, the UI's typography and its strings'
// characters from the start, any other once noted (an accented name).
// Each size has an atlas (and a texture) of its own, so that start-up builds them in four short
// tasks instead of one long one, and a character new to one size rebuilds only that size.
#pragma once
#include <array>
#include <memory>
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

    // Records the characters of a text about to be drawn: CJK ones for the CJK font, others for
    // the text sizes' Latin set (ASCII and the UI's typography are always in it).
    void note(std::string_view utf8);
    // The mode's own strings, before the first build: their non-CJK characters join the text
    // sizes' Latin set (no CJK font is asked for, nothing is urgent).
    void note_strings(std::string_view utf8);
    // The same for text in the display size, whose atlas holds only what numbers and codes use
    // (kDisplayRanges) plus every other character noted here.
    void note_display(std::string_view utf8);
    bool wants_cjk() const { return !cjk_wanted_.empty(); }  // a CJK glyph was needed
    void set_scale(float scale);                             // devicePixelRatio x text size

    bool needs_rebuild() const { return stale_ != 0; }
    // A rebuild that cannot wait for later frames: text drawn in this frame needs glyphs the fonts
    // have and the atlas lacks, or the scale changed. A font that just arrived (CJK) is not urgent:
    // the atlas in use stays valid, so its sizes may be rebuilt one a frame.
    bool needs_rebuild_now() const { return stale_ != 0 && urgent_; }
    // Rebuilds every size that needs it; `body` (ImGui's io.Fonts) holds the body size, the other
    // sizes are in atlases of this manager's own. The caller re-uploads each atlas with new pixels.
    void rebuild(ImFontAtlas& body);
    // Rebuilds one size that needs it (start-up: a task each); false if none did.
    bool rebuild_one(ImFontAtlas& body);
    // Once the Latin font is in: builds a throwaway atlas of one glyph, so that the first build's
    // code (compiled by the browser on its first call) is compiled in a task of its own before the
    // first real size. True if it did.
    bool warm_build();
    // The atlases of the sizes built so far (body's first), for uploading their textures.
    std::vector<ImFontAtlas*> atlases(ImFontAtlas& body) const;
    const Fonts& fonts() const { return fonts_; }
    int cjk_glyphs_in_atlas() const { return static_cast<int>(cjk_in_atlas_count_); }
    float raster_scale() const { return raster_; }

    static bool is_cjk(unsigned cp);

private:
    enum Size { kBody, kSmall, kHeading, kDisplay, kSizes };
    static constexpr unsigned kAll = (1u << kSizes) - 1;
    static constexpr unsigned kTextSizes = kAll & ~(1u << kDisplay);
    std::vector<char> latin_, cjk_, lang_;
    bool warmed_ = false;
    std::vector<bool> from_lang_;  // BMP code points the language-switch font provides
    std::vector<bool> in_atlas_;   // BMP code points already rasterised (CJK only)
    std::vector<bool> wanted_;     // BMP code points in cjk_wanted_
    std::vector<unsigned> cjk_wanted_;
    std::size_t cjk_in_atlas_count_ = 0;
    std::array<ImVector<ImWchar>, kSizes> cjk_ranges_;  // per size: each atlas reads its own when built
    std::vector<bool> in_text_;                         // BMP code points the text sizes have (base ranges + noted)
    std::vector<unsigned> text_extra_;
    std::vector<bool> in_display_;  // BMP code points the display size has (base ranges + noted)
    std::vector<unsigned> display_extra_;
    std::array<ImVector<ImWchar>, kSizes> latin_ranges_;  // per size, as cjk_ranges_
    void note_cjk(std::string_view utf8);
    void note_text(std::string_view utf8, bool urgent);
    void rebuild_size(ImFontAtlas& body, int size);
    float raster_for_now() const;
    std::size_t display_glyph_count() const;  // the display ranges and the characters noted in it
    std::size_t text_glyph_count() const;     // the text ranges and the characters noted for them

    float scale_ = 1.0f;
    float raster_ = 1.0f;    // glyph raster size / drawn size (< 1 only for very large atlases)
    unsigned stale_ = kAll;  // bit per Size: the atlas lacks glyphs, or has another scale
    bool urgent_ = true;
    std::array<std::unique_ptr<ImFontAtlas>, kSizes> own_;  // small, heading, display ([kBody] unused)
    Fonts fonts_;
};

}  // namespace memberdesk::client
