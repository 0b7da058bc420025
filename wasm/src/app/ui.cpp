// Ui: the widgets every screen draws with, each drawn with Dear ImGui and mirrored for the DOM.
//
// Index of this file:
// [SECTION] Frame: begin_frame / end_frame, context, tone colours
// [SECTION] Layout: widths, gaps, item rectangles
// [SECTION] Structure: regions, cards, lists, items (the mirror's landmarks)
// [SECTION] Content: headings, texts, numbers, badges, progress, status, alerts, images, loading
// [SECTION] Controls: buttons, inputs, choices, dialogs, touch scrolling
#include "app/ui.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "imgui_internal.h"

#include "app/format.hpp"

namespace memberdesk::client {

namespace {

const ZoneRules& utc_zone() {
    static const ZoneRules z;
    return z;
}

int resize_callback(ImGuiInputTextCallbackData* d) {
    if (d->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto* s = static_cast<std::string*>(d->UserData);
        s->resize(static_cast<std::size_t>(d->BufTextLen));
        d->Buf = s->data();
    }
    return 0;
}

// Cuts `s` to at most `max_chars` UTF-8 characters.
void truncate_utf8(std::string& s, int max_chars) {
    int n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (n == max_chars) {
                s.resize(i);
                return;
            }
            ++n;
        }
    }
}

std::string input_kind_name(InputKind k) {
    switch (k) {
        case InputKind::password: return "password";
        case InputKind::pin: return "password";
        case InputKind::phone: return "tel";
        case InputKind::number: return "number";
        case InputKind::date: return "date";
        case InputKind::multiline: return "multiline";
        case InputKind::text: break;
    }
    return "text";
}

}  // namespace

// [SECTION] Frame: begin_frame / end_frame, context, tone colours

struct Ui::Card {
    ImDrawListSplitter splitter;
    ImVec2 start;
    float w = 0;
    Tone tone = Tone::normal;
    bool landmark = false;  // a named card is a region in the mirror; an unnamed one only a box
};

Ui::Ui(Mirror& mirror) : mirror_(mirror) {}
Ui::~Ui() = default;

void Ui::begin_frame(FrameContext ctx) {
    ctx_ = std::move(ctx);
    events_ = std::move(ctx_.events);
    ctx_.events.clear();
    for (const auto& e : events_) {
        if (e.kind == MirrorEvent::Kind::focus) mirror_focus_ = e.id;
        if (e.kind == MirrorEvent::Kind::blur && mirror_focus_ == e.id) mirror_focus_.clear();
    }
    mirror_.clear();
    widths_.clear();
    cards_.clear();
    dialogs_drawn_.clear();
}

void Ui::end_frame() {
    // Dialogs drawn last frame but not this one: close their ImGui popups.
    for (const auto& [name, pid] : dialogs_open_) {
        if (dialogs_drawn_.count(name)) continue;
        ImGuiContext& g = *GImGui;
        for (int i = 0; i < g.OpenPopupStack.Size; ++i) {
            if (g.OpenPopupStack[i].PopupId == pid) {
                ImGui::ClosePopupToLevel(i, false);
                break;
            }
        }
    }
    dialogs_open_ = dialogs_drawn_;
    events_.clear();
}

const ZoneRules& Ui::zone() const { return ctx_.zone ? *ctx_.zone : utc_zone(); }
std::string Ui::date(const std::string& s) const { return fmt_date(s, zone()); }
std::string Ui::datetime(const std::string& s) const { return fmt_datetime(s, zone()); }

void Ui::note(std::string_view text) const {
    if (ctx_.glyphs) ctx_.glyphs->note(text);
}

void Ui::note_display(std::string_view text) const {
    if (ctx_.glyphs) ctx_.glyphs->note_display(text);
}

ImU32 Ui::tone_color(Tone t) const {
    const Theme& th = ctx_.theme;
    switch (t) {
        case Tone::muted: return th.muted;
        case Tone::accent: return th.accent;
        case Tone::danger: return th.danger;
        case Tone::success: return th.success;
        case Tone::warning: return th.warning;
        case Tone::normal: break;
    }
    return th.text;
}

// [SECTION] Layout: widths, gaps, item rectangles

float Ui::width() const {
    if (!widths_.empty()) return widths_.back();
    return ImGui::GetContentRegionAvail().x;
}
void Ui::push_width(float w) { widths_.push_back(std::max(1.0f, w)); }
void Ui::pop_width() {
    if (!widths_.empty()) widths_.pop_back();
}
void Ui::gap(float css) { ImGui::Dummy(ImVec2(0, px(css))); }
void Ui::same_line(float css) { ImGui::SameLine(0, px(css)); }

namespace {
// The last ImGui item's on-screen box, for the mirror (nothing if scrolled out of view).
void item_rect(MirrorNode& n) {
    if (!ImGui::IsItemVisible()) return;
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    n.x = a.x;
    n.y = a.y;
    n.w = b.x - a.x;
    n.h = b.y - a.y;
}
}  // namespace

void Ui::after_item(const std::string& id) {
    if (mirror_focus_.empty() || mirror_focus_ != id) return;
    // The hidden DOM element has keyboard focus: show where it is on the canvas.
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    const float o = px(3);
    ImGui::GetWindowDrawList()->AddRect(ImVec2(a.x - o, a.y - o), ImVec2(b.x + o, b.y + o), ctx_.theme.focus, px(8), 0,
                                        px(2.5f));
    if (!ImGui::IsItemVisible()) ImGui::SetScrollHereY(0.5f);
}

// [SECTION] Structure: regions, cards, lists, items (the mirror's landmarks)

void Ui::begin_region(const std::string& id, const std::string& label, Role role) {
    note(label);
    MirrorNode n;
    n.id = id;
    n.role = role;
    n.label = label;
    mirror_.open(std::move(n));
}
void Ui::end_region() { mirror_.close(); }

void Ui::begin_card(const std::string& id, const std::string& label, Tone tone) {
    auto c = std::make_unique<Card>();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    c->start = ImGui::GetCursorScreenPos();
    c->w = width();
    c->tone = tone;
    c->splitter.Split(dl, 2);
    c->splitter.SetCurrentChannel(dl, 1);
    const float pad = px(16);
    ImGui::SetCursorScreenPos(ImVec2(c->start.x + pad, c->start.y + pad));
    ImGui::BeginGroup();
    push_width(c->w - 2 * pad);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + c->w - 2 * pad);
    c->landmark = !label.empty();
    cards_.push_back(std::move(c));
    if (label.empty()) return;
    MirrorNode n;
    n.id = id;
    n.role = Role::region;
    n.label = label;
    note(label);
    mirror_.open(std::move(n));
}

void Ui::end_card() {
    if (cards_.empty()) return;
    if (cards_.back()->landmark) mirror_.close();
    auto c = std::move(cards_.back());
    cards_.pop_back();
    ImGui::PopTextWrapPos();
    pop_width();
    ImGui::EndGroup();
    const float pad = px(16);
    const ImVec2 gmax = ImGui::GetItemRectMax();
    const ImVec2 min = c->start, max(c->start.x + c->w, gmax.y + pad);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    c->splitter.SetCurrentChannel(dl, 0);
    ImU32 bg = ctx_.theme.card, border = ctx_.theme.card_border;
    if (c->tone == Tone::accent) bg = ctx_.theme.accent_soft;
    if (c->tone == Tone::danger) bg = ctx_.theme.danger_soft, border = ctx_.theme.danger;
    if (c->tone == Tone::success) bg = ctx_.theme.success_soft;
    dl->AddRectFilled(min, max, bg, px(12));
    dl->AddRect(min, max, border, px(12), 0, std::max(1.0f, px(1)));
    c->splitter.Merge(dl);
    ImGui::SetCursorScreenPos(ImVec2(c->start.x, max.y));
    ImGui::Dummy(ImVec2(c->w, 0));
}

void Ui::begin_list(const std::string& id, const std::string& label) { begin_region(id, label, Role::list); }
void Ui::end_list() { mirror_.close(); }
void Ui::begin_item(const std::string& id, const std::string& label) { begin_region(id, label, Role::item); }
void Ui::end_item() { mirror_.close(); }

// [SECTION] Content: headings, texts, numbers, badges, progress, status, alerts, images, loading

void Ui::heading(const std::string& id, const std::string& text, int level) {
    note(text);
    ImFont* f = level <= 1 ? ctx_.fonts.heading : ctx_.fonts.body;
    if (f) ImGui::PushFont(f);
    ImGui::PushStyleColor(ImGuiCol_Text, ctx_.theme.text);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width());
    ImGui::TextUnformatted(text.c_str());
    if (level >= 2) {
        // Body-sized headings are bold-ish: draw once more, shifted by a fraction of a pixel.
        const ImVec2 p = ImGui::GetItemRectMin();
        ImGui::GetWindowDrawList()->AddText(f ? f : ImGui::GetFont(), ImGui::GetFontSize(),
                                            ImVec2(p.x + std::max(1.0f, px(0.6f)), p.y), ctx_.theme.text, text.c_str(),
                                            nullptr, width());
    }
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    if (f) ImGui::PopFont();
    MirrorNode n;
    n.id = id;
    n.role = Role::heading;
    n.label = text;
    n.level = level;
    mirror_.add(std::move(n));
}

void Ui::text(const std::string& id, const std::string& text, Tone tone, ImFont* font) {
    note(text);
    if (font) ImGui::PushFont(font);
    ImGui::PushStyleColor(ImGuiCol_Text, tone_color(tone));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width());
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    if (font) ImGui::PopFont();
    MirrorNode n;
    n.id = id;
    n.role = Role::text;
    n.label = text;
    mirror_.add(std::move(n));
}

void Ui::pair(const std::string& id, const std::string& label, const std::string& value) {
    note(label);
    note(value);
    if (ctx_.fonts.small) ImGui::PushFont(ctx_.fonts.small);
    ImGui::PushStyleColor(ImGuiCol_Text, ctx_.theme.muted);
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopStyleColor();
    if (ctx_.fonts.small) ImGui::PopFont();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y * 0.6f);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width());
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopTextWrapPos();
    MirrorNode n;
    n.id = id;
    n.role = Role::text;
    n.label = label + ": " + value;
    mirror_.add(std::move(n));
}

void Ui::big_number(const std::string& id, const std::string& label, const std::string& number,
                    const std::string& unit) {
    note(label);
    note(unit);
    if (ctx_.fonts.small) ImGui::PushFont(ctx_.fonts.small);
    ImGui::PushStyleColor(ImGuiCol_Text, ctx_.theme.muted);
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopStyleColor();
    if (ctx_.fonts.small) ImGui::PopFont();
    note_display(number);
    if (ctx_.fonts.display) ImGui::PushFont(ctx_.fonts.display);
    ImGui::PushStyleColor(ImGuiCol_Text, ctx_.theme.text);
    ImGui::TextUnformatted(number.c_str());
    ImGui::PopStyleColor();
    if (ctx_.fonts.display) ImGui::PopFont();
    if (!unit.empty()) {
        const float base = ImGui::GetItemRectMax().y;
        ImGui::SameLine(0, px(6));
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (base - ImGui::GetCursorScreenPos().y) - ImGui::GetFontSize() -
                             px(4));
        ImGui::PushStyleColor(ImGuiCol_Text, ctx_.theme.muted);
        ImGui::TextUnformatted(unit.c_str());
        ImGui::PopStyleColor();
    }
    MirrorNode n;
    n.id = id;
    n.role = Role::text;
    n.label = label + ": " + number + (unit.empty() ? "" : " " + unit);
    n.value = number;
    mirror_.add(std::move(n));
}

void Ui::badge(const std::string& id, const std::string& text, Tone tone) {
    note(text);
    ImFont* f = ctx_.fonts.small ? ctx_.fonts.small : ImGui::GetFont();
    const float fs = f->FontSize * f->Scale;
    const ImVec2 ts = f->CalcTextSizeA(fs, FLT_MAX, 0, text.c_str());
    const ImVec2 pad(px(8), px(3));
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const ImVec2 size(ts.x + 2 * pad.x, ts.y + 2 * pad.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImU32 bg = ctx_.theme.accent_soft, fg = ctx_.theme.accent;
    if (tone == Tone::danger) bg = ctx_.theme.danger_soft, fg = ctx_.theme.danger;
    if (tone == Tone::success) bg = ctx_.theme.success_soft, fg = ctx_.theme.success;
    if (tone == Tone::muted) bg = ctx_.theme.bg, fg = ctx_.theme.muted;
    if (tone == Tone::warning) bg = ctx_.theme.bg, fg = ctx_.theme.warning;
    dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), bg, size.y * 0.5f);
    add_text(dl, f, fs, ImVec2(p.x + pad.x, p.y + pad.y), fg, text.c_str());
    ImGui::Dummy(size);
    MirrorNode n;
    n.id = id;
    n.role = Role::text;
    n.label = text;
    n.kind = "badge";
    mirror_.add(std::move(n));
}

void Ui::progress(const std::string& id, const std::string& label, int percent) {
    note(label);
    percent = std::clamp(percent, 0, 100);
    const float w = width(), h = px(10);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), ctx_.theme.card_border, h * 0.5f);
    if (percent > 0)
        dl->AddRectFilled(p, ImVec2(p.x + std::max(h, w * static_cast<float>(percent) / 100.0f), p.y + h),
                          ctx_.theme.accent, h * 0.5f);
    ImGui::Dummy(ImVec2(w, h));
    MirrorNode n;
    n.id = id;
    n.role = Role::progress;
    n.label = label;
    n.value = std::to_string(percent);
    mirror_.add(std::move(n));
}

void Ui::status(const std::string& id, const std::string& text) {
    note(text);
    ImGui::PushStyleColor(ImGuiCol_Text, ctx_.theme.muted);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width());
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    MirrorNode n;
    n.id = id;
    n.role = Role::status;
    n.label = text;
    mirror_.add(std::move(n));
}

void Ui::alert(const std::string& id, const std::string& text) {
    note(text);
    const float w = width();
    const float pad = px(12);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImDrawListSplitter sp;
    sp.Split(dl, 2);
    sp.SetCurrentChannel(dl, 1);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(p.x + pad, p.y + pad));
    ImGui::PushStyleColor(ImGuiCol_Text, ctx_.theme.danger);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w - 2 * pad);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    const float bottom = ImGui::GetItemRectMax().y + pad;
    sp.SetCurrentChannel(dl, 0);
    dl->AddRectFilled(p, ImVec2(p.x + w, bottom), ctx_.theme.danger_soft, px(8));
    dl->AddRectFilled(p, ImVec2(p.x + px(4), bottom), ctx_.theme.danger, px(2));
    sp.Merge(dl);
    ImGui::SetCursorScreenPos(ImVec2(p.x, bottom));
    ImGui::Dummy(ImVec2(w, 0));
    MirrorNode n;
    n.id = id;
    n.role = Role::alert;
    n.label = text;
    mirror_.add(std::move(n));
}

ImVec2 Ui::image(const std::string& id, const std::string& alt, ImVec2 size) {
    note(alt);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::Dummy(size);
    MirrorNode n;
    n.id = id;
    n.role = Role::image;
    n.label = alt;
    mirror_.add(std::move(n));
    return p;
}

void Ui::loading(const std::string& id, const std::string& label) {
    note(label);
    const float r = px(8);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const ImVec2 c(p.x + r, p.y + ImGui::GetFontSize() * 0.5f + px(1));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float a0 = static_cast<float>(std::fmod(ctx_.time * 5.0, 2 * IM_PI));
    dl->PathArcTo(c, r, a0, a0 + IM_PI * 1.4f, 16);
    dl->PathStroke(ctx_.theme.accent, 0, px(2.5f));
    ImGui::Dummy(ImVec2(2 * r, ImGui::GetFontSize()));
    ImGui::SameLine(0, px(10));
    ImGui::PushStyleColor(ImGuiCol_Text, ctx_.theme.muted);
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopStyleColor();
    MirrorNode n;
    n.id = id;
    n.role = Role::status;
    n.label = label;
    n.kind = "busy";
    mirror_.add(std::move(n));
}

// [SECTION] Controls: buttons, inputs, choices, dialogs, touch scrolling

bool Ui::take_click(const std::string& id) {
    for (auto it = events_.begin(); it != events_.end(); ++it) {
        if (it->kind == MirrorEvent::Kind::click && it->id == id) {
            events_.erase(it);
            return true;
        }
    }
    return false;
}

bool Ui::take_input(const std::string& id, std::string& value) {
    bool got = false;
    for (auto it = events_.begin(); it != events_.end();) {
        if (it->kind == MirrorEvent::Kind::input && it->id == id) {
            value = it->value;  // the last one wins
            got = true;
            it = events_.erase(it);
        } else {
            ++it;
        }
    }
    return got;
}

bool Ui::take_submit(const std::string& id) {
    for (auto it = events_.begin(); it != events_.end(); ++it) {
        if (it->kind == MirrorEvent::Kind::click && it->id == id + ".submit") {
            events_.erase(it);
            return true;
        }
    }
    return false;
}

bool Ui::button(const std::string& id, const std::string& label, ButtonKind kind, bool enabled, float width_css) {
    note(label);
    const Theme& th = ctx_.theme;
    int colors = 0;
    auto push = [&](ImGuiCol c, ImU32 v) {
        ImGui::PushStyleColor(c, v);
        ++colors;
    };
    ImU32 fg = th.accent_text;
    switch (kind) {
        case ButtonKind::primary: break;
        case ButtonKind::secondary:
            push(ImGuiCol_Button, th.card);
            push(ImGuiCol_ButtonHovered, th.accent_soft);
            push(ImGuiCol_ButtonActive, th.accent_soft);
            push(ImGuiCol_Border, th.card_border);
            fg = th.accent;
            break;
        case ButtonKind::danger:
            push(ImGuiCol_Button, th.danger);
            push(ImGuiCol_ButtonHovered, (th.danger & 0x00FFFFFF) | (220u << 24));
            push(ImGuiCol_ButtonActive, (th.danger & 0x00FFFFFF) | (190u << 24));
            fg = th.dark ? th.bg : IM_COL32_WHITE;
            break;
        case ButtonKind::ghost:
        case ButtonKind::nav:
            push(ImGuiCol_Button, 0);
            push(ImGuiCol_ButtonHovered, th.accent_soft);
            push(ImGuiCol_ButtonActive, th.accent_soft);
            push(ImGuiCol_Border, 0);
            fg = kind == ButtonKind::nav ? th.text : th.accent;
            break;
    }
    push(ImGuiCol_Text, fg);
    if (kind == ButtonKind::nav) ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    float w = width_css > 0 ? px(width_css) : width_css < 0 ? width() : ts.x + ImGui::GetStyle().FramePadding.x * 2;
    w = std::min(w, width());
    const float h = std::max(px(40), ts.y + ImGui::GetStyle().FramePadding.y * 2);
    if (!enabled) ImGui::BeginDisabled();
    bool pressed = ImGui::Button((label + "###" + id).c_str(), ImVec2(w, h));
    if (!enabled) ImGui::EndDisabled();
    if (kind == ButtonKind::nav) ImGui::PopStyleVar();
    ImGui::PopStyleColor(colors);
    after_item(id);
    if (take_click(id) && enabled) pressed = true;
    if (!enabled) pressed = false;
    MirrorNode n;
    item_rect(n);
    n.id = id;
    n.role = Role::button;
    n.label = label;
    n.disabled = !enabled;
    mirror_.add(std::move(n));
    return pressed;
}

bool Ui::input(const std::string& id, const std::string& label, std::string& value, InputKind kind, int max_len,
               bool* submitted, const std::string& hint) {
    note(label);
    note(hint);
    if (submitted) *submitted = false;
    bool changed = false;
    std::string from_mirror;
    if (take_input(id, from_mirror)) {
        value = from_mirror;
        changed = true;
    }
    if (ctx_.fonts.small) ImGui::PushFont(ctx_.fonts.small);
    ImGui::PushStyleColor(ImGuiCol_Text, ctx_.theme.muted);
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopStyleColor();
    if (ctx_.fonts.small) ImGui::PopFont();

    ImGuiInputTextFlags flags = ImGuiInputTextFlags_CallbackResize;
    if (kind == InputKind::password || kind == InputKind::pin) flags |= ImGuiInputTextFlags_Password;
    if (kind == InputKind::pin || kind == InputKind::number || kind == InputKind::phone)
        flags |= ImGuiInputTextFlags_CharsDecimal;
    const std::string imgui_id = "###" + id;
    if (value.capacity() < 16) value.reserve(16);
    ImGui::PushItemWidth(width());
    bool edited;
    if (kind == InputKind::multiline) {
        edited = ImGui::InputTextMultiline(imgui_id.c_str(), value.data(), value.capacity() + 1,
                                           ImVec2(width(), ImGui::GetTextLineHeight() * 4 + px(20)), flags,
                                           resize_callback, &value);
    } else {
        edited = ImGui::InputTextWithHint(imgui_id.c_str(), hint.c_str(), value.data(), value.capacity() + 1, flags,
                                          resize_callback, &value);
    }
    ImGui::PopItemWidth();
    after_item(id);
    MirrorNode n;
    item_rect(n);
    if (kind != InputKind::multiline && ImGui::IsItemDeactivated() &&
        (ImGui::IsKeyPressed(ImGuiKey_Enter, false) || ImGui::IsKeyPressed(ImGuiKey_KeypadEnter, false)) && submitted)
        *submitted = true;
    if (take_submit(id) && submitted) *submitted = true;
    if (edited) changed = true;
    if (changed && max_len > 0) truncate_utf8(value, max_len);
    note(value);
    n.id = id;
    n.role = Role::input;
    n.label = label;
    n.kind = input_kind_name(kind);
    if (kind != InputKind::password && kind != InputKind::pin) n.value = value;
    if (!hint.empty()) n.level = 0;
    mirror_.add(std::move(n));
    return changed;
}

bool Ui::choice(const std::string& id, const std::string& label, const std::vector<std::string>& options,
                int& selected) {
    note(label);
    bool changed = false;
    MirrorNode group;
    group.id = id;
    group.role = Role::choice;
    group.label = label;
    if (!label.empty()) {
        if (ctx_.fonts.small) ImGui::PushFont(ctx_.fonts.small);
        ImGui::PushStyleColor(ImGuiCol_Text, ctx_.theme.muted);
        ImGui::TextUnformatted(label.c_str());
        ImGui::PopStyleColor();
        if (ctx_.fonts.small) ImGui::PopFont();
    }
    // Segmented control; wraps onto more lines when narrow.
    const Theme& th = ctx_.theme;
    const float h = std::max(px(38), ImGui::GetTextLineHeight() + ImGui::GetStyle().FramePadding.y * 2);
    const float start_x = ImGui::GetCursorPosX();
    float line_w = 0;
    for (int i = 0; i < static_cast<int>(options.size()); ++i) {
        const std::string& option = options[static_cast<std::size_t>(i)];
        note(option);
        const std::string oid = id + "." + std::to_string(i);
        const float w = ImGui::CalcTextSize(option.c_str()).x + px(28);
        if (i > 0) {
            if (line_w + px(6) + w <= width()) {
                ImGui::SameLine(0, px(6));
                line_w += px(6);
            } else {
                ImGui::SetCursorPosX(start_x);
                line_w = 0;
            }
        }
        line_w += w;
        const bool on = i == selected;
        ImGui::PushStyleColor(ImGuiCol_Button, on ? th.accent : th.card);
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, on ? th.accent : th.accent_soft);
        ImGui::PushStyleColor(ImGuiCol_ButtonActive, on ? th.accent : th.accent_soft);
        ImGui::PushStyleColor(ImGuiCol_Text, on ? th.accent_text : th.text);
        ImGui::PushStyleColor(ImGuiCol_Border, on ? th.accent : th.card_border);
        bool pressed = ImGui::Button((option + "###" + oid).c_str(), ImVec2(w, h));
        ImGui::PopStyleColor(5);
        after_item(oid);
        if (take_click(oid)) pressed = true;
        if (pressed && selected != i) {
            selected = i;
            changed = true;
        }
        MirrorNode o;
        item_rect(o);
        o.id = oid;
        o.role = Role::option;
        o.label = option;
        o.checked = i == selected;
        group.children.push_back(std::move(o));
    }
    // Options drawn before a change this frame must report the new selection.
    for (std::size_t i = 0; i < group.children.size(); ++i) group.children[i].checked = static_cast<int>(i) == selected;
    mirror_.add(std::move(group));
    return changed;
}

void Ui::dialog_begin(const std::string& id, const std::string& title) {
    note(title);
    const std::string pid = "###dlg." + id;
    const ImGuiID imgui_id = ImGui::GetID(pid.c_str());
    if (!ImGui::IsPopupOpen(pid.c_str())) ImGui::OpenPopup(pid.c_str());
    dialogs_drawn_[id] = imgui_id;
    const ImVec2 ds = ImGui::GetIO().DisplaySize;
    const float w = std::min(px(460), ds.x - px(24));
    ImGui::SetNextWindowPos(ImVec2(ds.x * 0.5f, ds.y * 0.45f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(w, 0), ImVec2(w, ds.y - px(24)));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(px(20), px(20)));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, px(14));
    const bool open =
        ImGui::BeginPopupModal(pid.c_str(), nullptr,
                               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings);
    ImGui::PopStyleVar(2);
    MirrorNode n;
    n.id = id;
    n.role = Role::dialog;
    n.label = title;
    mirror_.open(std::move(n));
    cards_.push_back(nullptr);  // marks "inside a dialog" for dialog_end
    push_width(w - px(40));
    if (!open) {
        // Not drawn this frame (ImGui opens it on the next): keep the mirror consistent anyway.
        ImGui::SetNextWindowPos(ImVec2(-10000, -10000));
        ImGui::Begin(("###dlghidden." + id).c_str(), nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoInputs);
    }
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width());
    if (ctx_.fonts.heading) ImGui::PushFont(ctx_.fonts.heading);
    ImGui::TextUnformatted(title.c_str());
    if (ctx_.fonts.heading) ImGui::PopFont();
    ImGui::PopTextWrapPos();
    MirrorNode h;
    h.id = id + ".title";
    h.role = Role::heading;
    h.level = 2;
    h.label = title;
    mirror_.add(std::move(h));
    dialog_open_stack_.push_back(open);
}

void Ui::dialog_end() {
    const bool open = dialog_open_stack_.empty() ? true : dialog_open_stack_.back();
    if (!dialog_open_stack_.empty()) dialog_open_stack_.pop_back();
    pop_width();
    if (!cards_.empty() && !cards_.back()) cards_.pop_back();
    mirror_.close();
    if (open)
        ImGui::EndPopup();
    else
        ImGui::End();
}

void Ui::touch_scroll() {
    ImGuiIO& io = ImGui::GetIO();
    if (io.MouseSource != ImGuiMouseSource_TouchScreen) {
        touch_dragging_ = false;
        return;
    }
    if (!ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows | ImGuiHoveredFlags_AllowWhenBlockedByActiveItem))
        return;
    if (!io.MouseDown[0]) {
        touch_dragging_ = false;
        return;
    }
    const ImVec2 drag = ImGui::GetMouseDragDelta(0, 0.0f);
    if (!touch_dragging_ && std::fabs(drag.y) > px(8)) {
        touch_dragging_ = true;
        // A drag is a scroll, not a press: cancel whatever the finger went down on (unless typing).
        if (!io.WantTextInput) ImGui::ClearActiveID();
    }
    if (touch_dragging_) ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
}

}  // namespace memberdesk::client
