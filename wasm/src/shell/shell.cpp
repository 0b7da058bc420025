#include "shell/shell.hpp"

#include <algorithm>

#include "app/ui.hpp"

namespace memberdesk::client {

Shell::Shell(Platform& platform, HttpTransport& http, AppMode mode, ShellPaths paths)
    : platform_(platform), api_(http, platform, state_), paths_(std::move(paths)) {
    state_.mode = mode;
    api_.set_base(paths_.api_base, "");
}

Shell::~Shell() = default;

void Shell::request_fonts() {
    if (requested_) return;
    requested_ = true;
    api_.load_latin_font(paths_.latin_font);
    api_.load_lang_font(paths_.lang_font);
    api_.load_program();
}

void Shell::start() {
    request_fonts();
    mode_->start();
}

bool Shell::ready() const {
    auto settled = [](const Remote<std::string>& r) { return r.has() || r.failed(); };
    return settled(state_.latin_font) && settled(state_.lang_font);
}

void Shell::set_theme(const Theme& theme) {
    theme_ = theme;
    style_dirty_ = true;
}

bool Shell::update() {
    bool changed = api_.poll();
    if (mode_->update()) changed = true;
    // Fonts that arrived: the atlas takes the bytes, the state keeps none.
    auto take = [&](Remote<std::string>& font, bool& set, void (FontManager::*use)(const std::string&)) {
        if (set || !font.has()) return;
        (fonts_.*use)(*font.value);
        font.value->clear();
        set = true;
        changed = true;
    };
    take(state_.latin_font, latin_set_, &FontManager::set_latin);
    take(state_.lang_font, lang_set_, &FontManager::set_lang_switch);
    take(state_.cjk_font, cjk_set_, &FontManager::set_cjk);
    return changed;
}

bool Shell::prepare(float dpr, bool one_size) {
    dpr_ = dpr > 0 ? dpr : 1.0f;
    const ImVec2 ds = ImGui::GetIO().DisplaySize;
    const float scale = dpr_ * mode_->text_scale(ds.x / dpr_, ds.y / dpr_);
    if (scale != scale_) {
        scale_ = scale;
        style_dirty_ = true;
    }
    fonts_.set_scale(scale_);
    // The mode's strings, in both languages, give the text sizes' Latin characters beyond ASCII.
    if (!strings_noted_) {
        for (const auto& e : mode_->strings()) {
            fonts_.note_strings(e.en);
            fonts_.note_strings(e.zh);
        }
        strings_noted_ = true;
    }
    // Chinese on screen (or about to be): note every Chinese string of the mode so one atlas
    // rebuild covers all its screens; the CJK font is fetched once, when first needed.
    if (state_.settings.lang == Lang::zh && !zh_noted_) {
        for (const auto& e : mode_->strings()) fonts_.note(e.zh);
        zh_noted_ = true;
    }
    if (fonts_.wants_cjk() && !cjk_requested_) {
        cjk_requested_ = true;
        api_.load_cjk_font(paths_.cjk_font);
    }
    bool rebuilt = false;
    if (fonts_.needs_rebuild() && ready()) {
        if (one_size || !fonts_.needs_rebuild_now())
            fonts_.rebuild_one(*ImGui::GetIO().Fonts);
        else
            fonts_.rebuild(*ImGui::GetIO().Fonts);
        rebuilt = true;
    }
    if (style_dirty_) {
        ImGuiStyle& st = ImGui::GetStyle();
        apply_style(st, theme_, scale_);
        mode_->tune_style(st, dpr_, scale_);
        style_dirty_ = false;
    }
    return rebuilt;
}

void Shell::draw(Ui& ui, std::vector<MirrorEvent> events) {
    mode_->input(events);
    FrameContext ctx;
    ctx.lang = state_.settings.lang;
    ctx.theme = theme_;
    ctx.scale = scale_;
    ctx.zone = &state_.zone;
    ctx.fonts = fonts_.fonts();
    if (!ctx.fonts.body) {
        ImFont* f = ImGui::GetFont();
        ctx.fonts = Fonts{f, f, f, f};
    }
    ctx.glyphs = &fonts_;
    ctx.events = std::move(events);
    ctx.unix_now = platform_.unix_now();
    ctx.time = platform_.monotonic_seconds();
    ui.begin_frame(std::move(ctx));
    mode_->draw(ui);
    ui.end_frame();
    mode_->after_frame();
}

double Shell::next_wake() const {
    double next = mode_->next_wake();
    if (api_.busy()) next = next < 0 ? 0.1 : std::min(next, 0.1);  // spinners, retries
    return next;
}

}  // namespace memberdesk::client
