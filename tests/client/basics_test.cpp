// i18n table, formatting, mirror encoding, QR: the pieces under the screens.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "app/fonts.hpp"
#include "app/format.hpp"
#include "app/i18n.hpp"
#include "app/mirror.hpp"
#include "app/qr.hpp"
#include "harness.hpp"
#include "kiosk/kiosk_i18n.hpp"

using namespace memberdesk;
using namespace memberdesk::client;

namespace basics_test {

// Debian's font files (scripts/setup installs them); the web build uses subsets of the same.
std::string read_font(const char* path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
const char* const kLatinFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

// An ImGui context and a font manager with Debian's Latin font at a phone's scale.
struct LatinFontManager {
    std::string latin = read_font(kLatinFont);
    ImGuiContext* ctx = ImGui::CreateContext();
    FontManager fm;
    LatinFontManager() {
        ImGui::GetIO().IniFilename = nullptr;  // no imgui.ini left in the working directory
        fm.set_latin(latin);
        fm.set_scale(1.75f);
    }
    ~LatinFontManager() { ImGui::DestroyContext(ctx); }
    bool installed() const {
        if (latin.empty()) MESSAGE("font packages not installed: skipped");
        return !latin.empty();
    }
    LatinFontManager(const LatinFontManager&) = delete;
    LatinFontManager& operator=(const LatinFontManager&) = delete;
};

bool has_glyph(const ImFont* f, unsigned cp) {
    return f && f->FindGlyphNoFallback(static_cast<ImWchar>(cp)) != nullptr;
}

TEST_CASE("i18n: every key has English and Chinese, no duplicates") {
    std::set<std::string> keys;
    for (const auto& e : string_table()) {
        CHECK_MESSAGE(keys.insert(e.key).second, "duplicate key " << e.key);
        CHECK_MESSAGE(std::string(e.en).size() > 0, e.key);
        CHECK_MESSAGE(std::string(e.zh).size() > 0, e.key);
        // Placeholders match in both languages.
        for (int i = 0; i < 5; ++i) {
            const std::string p = "{" + std::to_string(i) + "}";
            CHECK_MESSAGE(
                (std::string(e.en).find(p) == std::string::npos) == (std::string(e.zh).find(p) == std::string::npos),
                e.key << " " << p);
        }
    }
    CHECK(std::string(tr(Lang::zh, "app.title")) == "会员中心");
    CHECK(std::string(tr(Lang::en, "no.such.key")) == "no.such.key");
}

TEST_CASE("i18n: every key used in the client sources is in the table") {
    namespace fs = std::filesystem;
    const std::regex use(R"re(tr\("([a-z0-9_.]+)"\))re");
    std::set<std::string> keys, kiosk_keys;
    for (const auto& e : string_table()) keys.insert(e.key);
    // The kiosk (wasm/src/kiosk) looks keys up in its own table first, then in the portal's.
    kiosk_keys = keys;
    for (const auto& e : kiosk::kiosk_string_table()) kiosk_keys.insert(e.key);
    int seen = 0;
    for (const auto& f : fs::recursive_directory_iterator(fs::path(MEMBERDESK_SOURCE_DIR) / "wasm" / "src")) {
        if (f.path().extension() != ".cpp") continue;
        std::ifstream in(f.path());
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string src = ss.str();
        const bool kiosk = f.path().parent_path().filename() == "kiosk";
        for (std::sregex_iterator it(src.begin(), src.end(), use), end; it != end; ++it) {
            ++seen;
            CHECK_MESSAGE((kiosk ? kiosk_keys : keys).count((*it)[1]),
                          "missing i18n key " << (*it)[1] << " in " << f.path().filename());
        }
    }
    CHECK(seen > 100);
}

TEST_CASE("i18n: API error codes become words, never codes") {
    CHECK(error_text(Lang::en, 409, "insufficient_points", "") == "You don't have enough points for this reward.");
    CHECK(error_text(Lang::zh, 409, "insufficient_points", "") == "积分不足，无法兑换此奖励。");
    CHECK(error_text(Lang::en, 0, "network_error", "TypeError") ==
          "We couldn't reach the server. Check your connection and try again.");
    // Unknown code: the server's sentence in English, a generic one in Chinese; never the code.
    CHECK(error_text(Lang::en, 409, "brand_new_code", "Something specific.") == "Something specific.");
    CHECK(error_text(Lang::zh, 409, "brand_new_code", "Something specific.").find("brand_new_code") ==
          std::string::npos);
    CHECK(error_text(Lang::en, 500, "whatever", "") == std::string(tr(Lang::en, "error.server")));
    CHECK(fmt("{0} of {1}", {"a", "b"}) == "a of b");
    CHECK(lang_from_code("zh-CN") == Lang::zh);
    CHECK(lang_from_code("en-GB") == Lang::en);
}

TEST_CASE("format: points, money, dates") {
    CHECK(fmt_int(0) == "0");
    CHECK(fmt_int(1234567) == "1,234,567");
    CHECK(fmt_int(-1234) == "-1,234");
    CHECK(fmt_signed(50) == "+50");
    CHECK(fmt_signed(-500) == "-500");
    CHECK(fmt_money(1250) == "¥12.50");
    CHECK(fmt_money(100000) == "¥1,000");
    const ZoneRules sh = ZoneRules::fixed("Asia/Shanghai", 8 * 3600);
    CHECK(fmt_date("2026-03-31T16:30:00Z", sh) == "2026-04-01");
    CHECK(fmt_datetime("2026-03-31T15:59:00Z", sh) == "2026-03-31 23:59");
    CHECK(digits_only("+86 138-0000", true) == "+861380000");
}

TEST_CASE("mirror: tree, lookup and compact JSON") {
    Mirror m;
    MirrorNode region;
    region.id = "main";
    region.role = Role::region;
    region.label = "Home";
    m.open(region);
    MirrorNode b;
    b.id = "home.go";
    b.role = Role::button;
    b.label = "Go";
    b.disabled = true;
    m.add(b);
    m.close();
    REQUIRE(m.find("home.go"));
    CHECK(m.find("home.go")->disabled);
    auto j = nlohmann::json::parse(m.to_json());
    CHECK(j["n"][0]["r"] == "region");
    CHECK(j["n"][0]["n"][0]["i"] == "home.go");
    CHECK(j["n"][0]["n"][0]["d"] == 1);
    CHECK(m.all_text().find("Go") != std::string::npos);
}

TEST_CASE("qr: encodes member codes and draws a white quiet zone") {
    const QrMatrix qr = make_qr("M1-8f3k2abc");
    REQUIRE(qr.size >= 21);
    // Finder pattern corners are dark.
    CHECK(qr.dark(0, 0));
    CHECK(qr.dark(qr.size - 1, 0));
    CHECK(qr.dark(0, qr.size - 1));

    ImGuiContext* ctx = ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // no imgui.ini left in the working directory
    ImGui::GetIO().DisplaySize = ImVec2(400, 400);
    ImGui::GetIO().Fonts->Build();
    ImGui::NewFrame();
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    const int before = dl->VtxBuffer.Size;
    draw_qr(dl, ImVec2(10, 10), 290, qr, 4);
    CHECK(dl->VtxBuffer.Size > before + 4 * 21);
    // The first rectangle is the white background including the quiet zone: 4 modules each side.
    const int total = qr.size + 8;
    const float module = std::floor(290.0f / static_cast<float>(total));
    const ImDrawVert& v0 = dl->VtxBuffer[before];
    const ImDrawVert& v2 = dl->VtxBuffer[before + 2];
    CHECK(v0.col == IM_COL32_WHITE);
    CHECK(v2.pos.x - v0.pos.x == doctest::Approx(module * static_cast<float>(total)));
    ImGui::EndFrame();
    ImGui::DestroyContext(ctx);

    QrCache cache;
    const QrMatrix& a = cache.get("ABC");
    const QrMatrix& b = cache.get("ABC");
    CHECK(&a == &b);
}

TEST_CASE("fonts: a huge scale with Chinese keeps the atlas within 4096x4096 (glyphs drawn scaled up)") {
    const std::string latin = read_font(kLatinFont);
    const std::string cjk = read_font("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc");
    if (latin.empty() || cjk.empty()) {
        MESSAGE("font packages not installed: skipped");
        return;
    }
    ImGuiContext* ctx = ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // no imgui.ini left in the working directory
    FontManager fm;
    fm.set_latin(latin);
    fm.set_cjk(cjk);
    for (const auto& e : string_table()) fm.note(e.zh);  // every Chinese UI string, as App does
    REQUIRE(fm.wants_cjk());
    for (float scale : {1.0f, 3.0f * 1.45f}) {  // dpr 1 normal text; dpr 3 extra-large text
        fm.set_scale(scale);
        ImFontAtlas atlas;
        fm.rebuild(atlas);
        const auto atlases = fm.atlases(atlas);
        CHECK(atlases.size() == 4);  // one per text size
        for (const ImFontAtlas* a : atlases) {
            CHECK(a->TexWidth <= 4096);
            CHECK(a->TexHeight <= 4096);
        }
        const ImFont* d = fm.fonts().display;
        REQUIRE(d);
        CHECK(d->FontSize * d->Scale == doctest::Approx(std::round(36 * scale)).epsilon(0.01));
        if (scale == 1.0f)
            CHECK(fm.raster_scale() == 1.0f);
        else
            CHECK(fm.raster_scale() < 1.0f);
        CHECK(fm.cjk_glyphs_in_atlas() > 300);
        MESSAGE("scale " << scale << ": body atlas " << atlas.TexWidth << "x" << atlas.TexHeight << ", raster "
                         << fm.raster_scale() << ", CJK glyphs " << fm.cjk_glyphs_in_atlas());
    }
    ImGui::DestroyContext(ctx);
}

TEST_CASE("fonts: the display size holds numbers and codes, and a character drawn in it is added at the next rebuild") {
    LatinFontManager fonts;
    if (!fonts.installed()) return;
    FontManager& fm = fonts.fm;
    ImFontAtlas atlas;
    fm.rebuild(atlas);
    for (unsigned cp : {unsigned('0'), unsigned('9'), unsigned(','), unsigned('A'), unsigned('Z'), 0xA5u, 0x25CFu})
        CHECK_MESSAGE(has_glyph(fm.fonts().display, cp), "display lacks U+" << std::hex << cp);
    CHECK_FALSE(has_glyph(fm.fonts().body, 0xE9));  // é: in no size until a text with it is drawn
    CHECK_FALSE(has_glyph(fm.fonts().display, 0xE9));
    CHECK_FALSE(fm.needs_rebuild());
    fm.note_display("1,234");  // nothing new
    CHECK_FALSE(fm.needs_rebuild());
    fm.note_display("Caf\xC3\xA9");  // é
    CHECK(fm.needs_rebuild());
    fm.rebuild(atlas);
    CHECK(has_glyph(fm.fonts().display, 0xE9));
    CHECK(has_glyph(fm.fonts().display, '5'));
}

TEST_CASE("fonts: the text sizes hold ASCII and the UI's typography, and a character drawn in them is added at once") {
    LatinFontManager fonts;
    if (!fonts.installed()) return;
    FontManager& fm = fonts.fm;
    ImFontAtlas atlas;
    fm.rebuild(atlas);
    // ASCII, yuan, middle dot, en dash, quotes, bullet, ellipsis, left arrow, minus.
    for (unsigned cp :
         {unsigned('a'), unsigned('~'), 0xA5u, 0xB7u, 0x2013u, 0x201Cu, 0x2022u, 0x2026u, 0x2190u, 0x2212u})
        CHECK_MESSAGE(has_glyph(fm.fonts().body, cp), "body lacks U+" << std::hex << cp);
    CHECK_FALSE(has_glyph(fm.fonts().body, 0xF1));  // ñ
    const Fonts built = fm.fonts();
    fm.note("Mu\xC3\xB1oz");  // a member named Muñoz
    CHECK(fm.needs_rebuild_now());
    CHECK_FALSE(fm.wants_cjk());
    fm.rebuild(atlas);
    for (const ImFont* f : {fm.fonts().body, fm.fonts().small, fm.fonts().heading}) CHECK(has_glyph(f, 0xF1));
    CHECK(fm.fonts().display == built.display);  // the display size has its own set
    fm.note("Mu\xC3\xB1oz");
    CHECK_FALSE(fm.needs_rebuild());  // once added, never again
    fm.note("\xF0\x9F\x98\x80");      // outside the BMP: drawn as the fallback, nothing rebuilt
    CHECK_FALSE(fm.needs_rebuild());
}

TEST_CASE(
    "fonts: every character of the portal's strings, in both languages, is in the text sizes from the first build") {
    LatinFontManager fonts;
    if (!fonts.installed()) return;
    FontManager& fm = fonts.fm;
    for (const auto& e : string_table()) {
        fm.note_strings(e.en);
        fm.note_strings(e.zh);
    }
    CHECK_FALSE(fm.wants_cjk());  // the Chinese characters wait for Chinese on screen
    ImFontAtlas atlas;
    fm.rebuild(atlas);
    std::set<unsigned> missing;
    for (const auto& e : string_table())
        for (const char* text : {e.en, e.zh}) {
            const std::string_view s(text);
            for (std::size_t i = 0; i < s.size();) {
                unsigned cp = static_cast<unsigned char>(s[i]);
                std::size_t n = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
                if (n > 1) {
                    cp &= n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07;
                    for (std::size_t k = 1; k < n && i + k < s.size(); ++k)
                        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
                }
                i += n;
                if (cp < 0x20 || FontManager::is_cjk(cp)) continue;
                if (!fm.fonts().body->FindGlyphNoFallback(static_cast<ImWchar>(cp))) missing.insert(cp);
            }
        }
    for (unsigned cp : missing) MESSAGE("body lacks U+" << std::hex << cp);
    CHECK(missing.empty());
}

TEST_CASE("fonts: each text size is built in a step of its own, and a character new to one size rebuilds only it") {
    LatinFontManager fonts;
    if (!fonts.installed()) return;
    FontManager& fm = fonts.fm;
    ImFontAtlas body;
    int steps = 0;
    while (fm.rebuild_one(body)) ++steps;
    CHECK(steps == 4);
    CHECK_FALSE(fm.needs_rebuild());
    const Fonts built = fm.fonts();
    for (const ImFont* f : {built.body, built.small, built.heading, built.display}) {
        REQUIRE(f);
        CHECK(f->IsLoaded());
        CHECK(f->FindGlyphNoFallback('7') != nullptr);
    }
    CHECK(built.body->ContainerAtlas == &body);
    CHECK(built.small->ContainerAtlas != &body);
    CHECK(built.display->ContainerAtlas != built.heading->ContainerAtlas);
    fm.note_display("Caf\xC3\xA9");  // é, new to the display size only
    REQUIRE(fm.needs_rebuild());
    CHECK(fm.rebuild_one(body));
    CHECK_FALSE(fm.rebuild_one(body));
    CHECK(fm.fonts().body == built.body);  // the other sizes were left as they were
    CHECK(fm.fonts().heading == built.heading);
    CHECK(fm.fonts().display->FindGlyphNoFallback(0xE9) != nullptr);
}

}  // namespace basics_test
