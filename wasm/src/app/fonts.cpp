#include "app/fonts.hpp"

#include <algorithm>
#include <cmath>

namespace memberdesk::client {

namespace {
// The text sizes (body, small, heading): ASCII and the typography the UI's own code draws (yuan
// sign, middle dot, multiplication sign, dashes, quotes, bullet, ellipsis, arrows, minus, black
// circle, replacement character). The mode's strings add theirs at start (note_strings), anything
// else drawn is noted and added (note): rasterising the font's 500 glyphs in each size was most of
// start-up's atlas work.
const ImWchar kTextRanges[] = {0x0020, 0x007E, 0x00A5, 0x00A5, 0x00B7, 0x00B7, 0x00D7, 0x00D7, 0x2013,
                               0x2014, 0x2018, 0x201D, 0x2022, 0x2022, 0x2026, 0x2026, 0x2190, 0x2193,
                               0x2212, 0x2212, 0x25CF, 0x25CF, 0xFFFD, 0xFFFD, 0};

// The display size (balances, counts, codes, the kiosk's keypad): ASCII, the yuan sign, middle dot,
// dashes, quotes, bullet, ellipsis, minus and the PIN dot. It is the largest size, so rasterising
// only these keeps the atlas small; anything else drawn in it is noted and added (note_display).
const ImWchar kDisplayRanges[] = {0x0020, 0x007E, 0x00A5, 0x00A5, 0x00B7, 0x00B7, 0x2010,
                                  0x2027, 0x2212, 0x2212, 0x25CF, 0x25CF, 0};

std::size_t range_count(const ImWchar* r) {
    std::size_t n = 0;
    for (; r[0]; r += 2) n += std::size_t(r[1] - r[0] + 1);
    return n;
}

// Decodes one UTF-8 sequence; returns the code point and advances `i` (invalid -> U+FFFD).
unsigned next_cp(std::string_view s, std::size_t& i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) {
        ++i;
        return 0xFFFD;
    }
    unsigned cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += n;
    return cp;
}
}  // namespace

FontManager::FontManager()
    : from_lang_(0x10000, false),
      in_atlas_(0x10000, false),
      wanted_(0x10000, false),
      in_text_(0x10000, false),
      in_display_(0x10000, false) {
    for (const ImWchar* r = kTextRanges; r[0]; r += 2)
        for (unsigned cp = r[0]; cp <= r[1]; ++cp) in_text_[cp] = true;
    for (const ImWchar* r = kDisplayRanges; r[0]; r += 2)
        for (unsigned cp = r[0]; cp <= r[1]; ++cp) in_display_[cp] = true;
    // "中文" never makes the CJK font load: its glyphs come from the tiny language-switch font.
    const std::string_view s(kLangSwitch);
    for (std::size_t i = 0; i < s.size();) {
        const unsigned cp = next_cp(s, i);
        if (cp < 0x10000) from_lang_[cp] = true;
    }
}

void FontManager::set_lang_switch(const std::string& ttf) {
    lang_.assign(ttf.begin(), ttf.end());
    stale_ = kAll;
}

bool FontManager::is_cjk(unsigned cp) {
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFFEF);
}

void FontManager::set_latin(const std::string& ttf) {
    latin_.assign(ttf.begin(), ttf.end());
    stale_ = kAll;
    urgent_ = true;
}

void FontManager::set_cjk(const std::string& ttf) {
    cjk_.assign(ttf.begin(), ttf.end());
    if (!cjk_wanted_.empty()) stale_ = kAll;
}

void FontManager::note(std::string_view s) {
    note_cjk(s);
    note_text(s, true);
}

void FontManager::note_strings(std::string_view s) { note_text(s, false); }

void FontManager::note_cjk(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        const unsigned cp = next_cp(s, i);
        if (cp >= 0x10000 || !is_cjk(cp) || wanted_[cp] || from_lang_[cp]) continue;
        wanted_[cp] = true;
        cjk_wanted_.push_back(cp);
        if (!cjk_.empty()) stale_ = kAll, urgent_ = true;
    }
}

void FontManager::note_text(std::string_view s, bool urgent) {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        const unsigned cp = next_cp(s, i);
        if (cp >= 0x10000 || in_text_[cp] || is_cjk(cp) || from_lang_[cp]) continue;
        // Added once, whether the font has it or not: a character the font lacks costs one rebuild.
        in_text_[cp] = true;
        text_extra_.push_back(cp);
        if (latin_.empty()) continue;
        stale_ |= kTextSizes;
        if (urgent) urgent_ = true;
    }
}

void FontManager::note_display(std::string_view s) {
    note_cjk(s);  // Chinese in the display size comes from the CJK font, as in every size
    for (std::size_t i = 0; i < s.size();) {
        const unsigned cp = next_cp(s, i);
        if (cp >= 0x10000 || in_display_[cp] || is_cjk(cp) || from_lang_[cp]) continue;
        in_display_[cp] = true;
        display_extra_.push_back(cp);
        if (!latin_.empty()) stale_ |= 1u << kDisplay, urgent_ = true;
    }
}

void FontManager::set_scale(float scale) {
    if (std::fabs(scale - scale_) > 0.001f) {
        scale_ = scale;
        stale_ = kAll;
        urgent_ = true;
    }
}

std::size_t FontManager::display_glyph_count() const { return range_count(kDisplayRanges) + display_extra_.size(); }

std::size_t FontManager::text_glyph_count() const { return range_count(kTextRanges) + text_extra_.size(); }

float FontManager::raster_for_now() const {
    // Atlas budget: four sizes of every glyph at scale_ (devicePixelRatio x text size) can outgrow
    // what a phone GPU takes (dpr 3 x extra-large text with Chinese: ~100 MB of RGBA texture, a
    // black canvas). Above ~4096x2048 in all the glyphs are rasterised smaller and drawn scaled up
    // (ImFont::Scale): slightly softer at those sizes, never missing.
    const auto sq = [&](float css) { return double(css * scale_) * double(css * scale_); };
    const double cjk = cjk_.empty() ? 0.0 : double(cjk_wanted_.size());
    const double display_glyphs = double(display_glyph_count());
    // The text set in three sizes, the display set in one, CJK in all four; measured: padding and
    // Latin oversampling fit in this.
    const double text_glyphs = double(text_glyph_count());
    const double estimate = (text_glyphs + cjk) * (sq(16) + sq(13) + sq(22)) + (display_glyphs + cjk) * sq(36);
    const double budget = 4096.0 * 2048.0;
    return estimate > budget ? float(std::sqrt(budget / estimate)) : 1.0f;
}

void FontManager::rebuild(ImFontAtlas& body) {
    while (rebuild_one(body)) {}
}

bool FontManager::rebuild_one(ImFontAtlas& body) {
    for (int size = 0; size < kSizes; ++size) {
        if (!(stale_ & (1u << size))) continue;
        rebuild_size(body, size);
        return true;
    }
    return false;
}

bool FontManager::warm_build() {
    if (warmed_ || latin_.empty()) return false;
    warmed_ = true;
    static const ImWchar kOne[] = {'0', '0', 0};
    ImFontAtlas atlas;
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;
    cfg.OversampleH = 2;  // the small sizes' path
    cfg.OversampleV = 1;
    atlas.AddFontFromMemoryTTF(latin_.data(), static_cast<int>(latin_.size()), 12.0f, &cfg, kOne);
    atlas.Build();
    return true;
}

std::vector<ImFontAtlas*> FontManager::atlases(ImFontAtlas& body) const {
    std::vector<ImFontAtlas*> out{&body};
    for (const auto& a : own_)
        if (a) out.push_back(a.get());
    return out;
}

void FontManager::rebuild_size(ImFontAtlas& body, int size) {
    // Every CJK glyph wanted so far goes into the atlas (only if we have the font to take it from).
    ImFontGlyphRangesBuilder builder;
    std::size_t cjk_count = 0;
    if (!cjk_.empty()) {
        for (unsigned cp : cjk_wanted_) {
            builder.AddChar(static_cast<ImWchar>(cp));
            in_atlas_[cp] = true;
        }
        cjk_count = cjk_wanted_.size();
        if (lang_.empty())  // the language-switch font did not load: take those glyphs from here
            for (unsigned cp = 0; cp < 0x10000; ++cp)
                if (from_lang_[cp]) builder.AddChar(static_cast<ImWchar>(cp));
    }
    const float raster = raster_for_now();
    if (raster != raster_) {  // every size is drawn from the same raster scale
        raster_ = raster;
        stale_ = kAll;
    }
    cjk_in_atlas_count_ = cjk_count;
    // Each size keeps its own ranges: the atlas reads them when it is built.
    ImVector<ImWchar>& cjk_ranges = cjk_ranges_[size];
    cjk_ranges.clear();
    builder.BuildRanges(&cjk_ranges);
    // The Latin font's glyphs: the display set in the display size, the text set in the others.
    ImFontGlyphRangesBuilder latin_builder;
    latin_builder.AddRanges(size == kDisplay ? kDisplayRanges : kTextRanges);
    for (unsigned cp : size == kDisplay ? display_extra_ : text_extra_) latin_builder.AddChar(static_cast<ImWchar>(cp));
    ImVector<ImWchar>& latin_ranges_vec = latin_ranges_[size];
    latin_ranges_vec.clear();
    latin_builder.BuildRanges(&latin_ranges_vec);
    const ImWchar* latin_ranges = latin_ranges_vec.Data;

    ImFontAtlas* atlas = &body;
    if (size != kBody) {
        if (!own_[size]) own_[size] = std::make_unique<ImFontAtlas>();
        atlas = own_[size].get();
    }
    atlas->Clear();
    atlas->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;

    static constexpr float kCss[kSizes] = {16, 13, 22, 36};
    const float css_px = kCss[size];
    const float px = std::max(6.0f, std::round(css_px * scale_ * raster_));
    ImFont* f = nullptr;
    if (!latin_.empty()) {
        ImFontConfig cfg;
        cfg.FontDataOwnedByAtlas = false;
        // Horizontal oversampling sharpens small glyphs at fractional positions; above 36 px it
        // is not visible and doubles the glyph's rasterising and texture (ImGui 1.92's own rule).
        cfg.OversampleH = px > 36.0f ? 1 : 2;
        cfg.OversampleV = 1;
        f = atlas->AddFontFromMemoryTTF(latin_.data(), static_cast<int>(latin_.size()), px, &cfg, latin_ranges);
    } else {
        ImFontConfig cfg;
        cfg.SizePixels = px;
        f = atlas->AddFontDefault(&cfg);
    }
    if (!lang_.empty()) {
        static const ImWchar lang_ranges[] = {0x4E2D, 0x4E2D, 0x6587, 0x6587, 0};
        ImFontConfig cfg;
        cfg.MergeMode = true;
        cfg.FontDataOwnedByAtlas = false;
        cfg.OversampleH = 1;
        cfg.PixelSnapH = true;
        atlas->AddFontFromMemoryTTF(lang_.data(), static_cast<int>(lang_.size()), px, &cfg, lang_ranges);
    }
    if (!cjk_.empty() && cjk_ranges.Size > 1) {
        ImFontConfig cfg;
        cfg.MergeMode = true;
        cfg.FontDataOwnedByAtlas = false;
        cfg.OversampleH = 1;
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        atlas->AddFontFromMemoryTTF(cjk_.data(), static_cast<int>(cjk_.size()), px, &cfg, cjk_ranges.Data);
    }
    // One size's share of the budget: a wide texture only when it would otherwise be very tall.
    const double glyphs = double(size == kDisplay ? display_glyph_count() : text_glyph_count()) + double(cjk_count);
    const double side = double(px) * (px > 36.0f ? 1.0 : 2.0);
    atlas->TexDesiredWidth = glyphs * side * double(px) > 2048.0 * 2048.0 ? 4096 : 2048;
    atlas->Build();
    // Drawn at the size asked for, whatever size the glyphs were rasterised at.
    if (f && f->FontSize > 0) f->Scale = std::round(css_px * scale_) / f->FontSize;
    ImFont** slot[kSizes] = {&fonts_.body, &fonts_.small, &fonts_.heading, &fonts_.display};
    *slot[size] = f;
    stale_ &= ~(1u << size);
    if (stale_ == 0) urgent_ = false;
}

}  // namespace memberdesk::client
