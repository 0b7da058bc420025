#include "kiosk/kiosk_app.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "app/format.hpp"
#include "kiosk/kiosk_i18n.hpp"

namespace memberdesk::client::kiosk {

namespace {

ImU32 rgb(unsigned v) { return IM_COL32((v >> 16) & 255, (v >> 8) & 255, v & 255, 255); }

// Splits a rules body into its lines.
std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out;
    std::size_t a = 0;
    while (a <= s.size()) {
        std::size_t b = s.find('\n', a);
        if (b == std::string::npos) b = s.size();
        if (b > a) out.push_back(s.substr(a, b - a));
        a = b + 1;
    }
    return out;
}

bool ends_with_colon(const std::string& s) {
    if (s.empty()) return false;
    if (s.back() == ':') return true;
    static const std::string fw = "\xEF\xBC\x9A";  // ：
    return s.size() >= fw.size() && s.compare(s.size() - fw.size(), fw.size(), fw) == 0;
}

std::string multiplier_text(int percent) {
    std::string s = std::to_string(percent / 100);
    if (percent % 100) {
        s += "." + std::to_string(percent % 100 / 10);
        if (percent % 10) s += std::to_string(percent % 10);
    }
    return s;
}

MirrorNode node(std::string id, Role role, std::string label, std::string value = "", int level = 0) {
    MirrorNode n;
    n.id = std::move(id);
    n.role = role;
    n.label = std::move(label);
    n.value = std::move(value);
    n.level = level;
    return n;
}

// Ui's modal dialog, without a scroll bar: the kiosk's dialogs are laid out to fit the screen, and
// ImGui's auto-fit otherwise shows a bar that eats into the full-width buttons (1 px: invisible).
void open_dialog(Ui& ui, const std::string& id, const std::string& title) {
    ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarSize, 1.0f);  // ImGui asserts a size > 0
    ui.dialog_begin(id, title);
    ImGui::PopStyleVar();
}

constexpr float kTopBar = 84;  // CSS px (x kiosk text scale): the top bar's height
constexpr float kPad = 28;     // page padding

}  // namespace

Theme kiosk_theme() {
    Theme t = make_theme(false);
    t.bg = rgb(0xFFFFFF);
    t.card = rgb(0xF1F3F5);
    t.card_border = rgb(0x6B7480);  // visible edges (3:1+ against white)
    t.text = rgb(0x0A0C0F);         // 19:1
    t.muted = rgb(0x2F3640);        // 12:1
    t.accent = rgb(0x0B5443);       // 9.4:1 with white text
    t.accent_text = rgb(0xFFFFFF);
    t.accent_soft = rgb(0xDDEFE9);
    t.danger = rgb(0x9E1B14);
    t.danger_soft = rgb(0xFBE4E1);
    t.success = rgb(0x14632A);
    t.success_soft = rgb(0xE1F2E5);
    t.warning = rgb(0x6B4500);
    t.focus = rgb(0x1546A8);
    return t;
}

std::vector<Offer> offers_from_program(const ProgramView& p) {
    // What a passer-by cares about: rewards, coupons and campaigns, one line each; then earning.
    std::vector<Offer> out;
    const char* order[] = {"rewards", "campaigns", "coupons", "earning"};
    for (const char* want : order) {
        for (const auto& sec : p.rules) {
            if (sec.id != want) continue;
            const auto en = lines_of(sec.body.en);
            const auto zh = lines_of(sec.body.zh);
            const std::size_t n = std::min(en.size(), zh.size());
            // The last line of "coupons" is the small print, not an offer.
            const std::size_t end = sec.id == "coupons" && n > 1 ? n - 1 : n;
            for (std::size_t i = 0; i < end && out.size() < 8; ++i) {
                if (ends_with_colon(en[i]) || en[i].size() > 220) continue;
                if (sec.id == "earning" && i > 0) break;  // just the headline rate
                out.push_back(Offer{sec.heading, Text{zh[i], en[i]}});
            }
        }
    }
    return out;
}

KioskApp::KioskApp(Platform& platform, HttpTransport& http, KioskPaths paths, Timing timing)
    : platform_(platform),
      api_(http, platform, state_),
      paths_(std::move(paths)),
      timing_(timing),
      idle_(timing),
      scan_(timing),
      theme_(kiosk_theme()) {
    state_.mode = AppMode::kiosk;
    api_.set_base(paths_.api_base, "");
}

const char* KioskApp::tr(const char* key) const { return ktr(state_.settings.lang, key); }

void KioskApp::read_device_key() {
    // Set up once per device: /kiosk#key=<device key> (web/kiosk.html also takes it from the URL
    // before the client starts, and keeps it in localStorage).
    const std::string hash = platform_.location_hash();
    const auto at = hash.find("key=");
    if (at != std::string::npos) {
        std::string key = hash.substr(at + 4);
        const auto amp = key.find('&');
        if (amp != std::string::npos) key.resize(amp);
        if (!key.empty()) platform_.local_set(kKeyStorage, key);
        platform_.set_location_hash("#/");
    }
    if (auto k = platform_.local_get(kKeyStorage)) device_key_ = *k;
    // Browser tests shorten the 60 s idle time (web/kiosk.html: /kiosk#idle=N, this tab only);
    // it can only be made shorter, never longer.
    if (auto v = platform_.session_get(kIdleStorage)) {
        const double s = std::strtod(v->c_str(), nullptr);
        if (s >= 3 && s < timing_.idle_seconds) {
            timing_.idle_seconds = s;
            idle_ = IdleTimer(timing_);
        }
    }
}

void KioskApp::start() {
    default_lang_ = lang_from_code(platform_.preferred_language());
    if (auto l = platform_.local_get(kLangStorage); l && !l->empty()) default_lang_ = lang_from_code(*l);
    state_.settings.lang = default_lang_;
    state_.settings.text_size = 3;
    read_device_key();
    api_.load_latin_font(paths_.latin_font);
    api_.load_lang_font(paths_.lang_font);
    api_.load_program();
    attract_since_ = platform_.monotonic_seconds();
    platform_.set_document(code(state_.settings.lang), tr("kiosk.title"));
}

bool KioskApp::ready() const {
    auto settled = [](const Remote<std::string>& r) { return r.has() || r.failed(); };
    return settled(state_.latin_font) && settled(state_.lang_font);
}

void KioskApp::scan(const std::string& code) {
    const double now = platform_.monotonic_seconds();
    // A new member at the screen: whoever was signed in is signed out first (language too;
    // someone who chose a language and then scans keeps it).
    const bool was_member = state_.signed_in() || had_session_;
    const Lang lang = state_.settings.lang;
    if (was_member || ui_.phase != Phase::attract) end_session(true, nullptr);
    if (!was_member) state_.settings.lang = lang;
    login_error_at_ = -1;
    scan_at_ = now;
    scan_to_member_ = -1;
    ui_.signing_in_by = "code";
    api_.kiosk_login_code(device_key_, code);
}

void KioskApp::sign_out() { end_session(true, "kiosk.signed_out"); }

void KioskApp::begin_member_session() {
    const double now = platform_.monotonic_seconds();
    had_session_ = true;
    ui_.phase = Phase::member;
    ui_.tab = MemberTab::overview;
    ui_.keypad.clear();
    ui_.signing_in_by.clear();
    scan_.clear();
    idle_.start(now);
    last_server_ = now;
    api_.load_me();
    api_.load_coupons();
    api_.load_rewards();
}

void KioskApp::end_session(bool server_logout, const char* farewell_key) {
    const double now = platform_.monotonic_seconds();
    if (server_logout && state_.signed_in()) {
        api_.logout();  // POST /auth/logout, drops answers in flight, clears the member's data
    } else {
        api_.cancel_member_requests();
        state_.clear_member_data();
    }
    state_.login.reset();
    state_.session_ended = false;
    ui_.keypad.clear();
    wipe(ui_.confirm_reward);
    ui_ = KioskUi{};  // phase attract; no coupon open, no QR text kept
    scan_.clear();
    idle_.stop();
    had_session_ = false;
    scan_at_ = -1;
    state_.settings.lang = default_lang_;  // the next person starts in the kiosk's own language
    attract_since_ = now;
    farewell_key_ = farewell_key;
    farewell_until_ = farewell_key ? now + 6 : 0;
    platform_.set_document(code(state_.settings.lang), tr("kiosk.title"));
}

bool KioskApp::update() {
    bool changed = api_.poll();
    for (auto& code : take_posted_scans()) {
        scan(code);
        changed = true;
    }
    const double now = platform_.monotonic_seconds();

    // Session transitions.
    if (!had_session_ && state_.signed_in()) {
        begin_member_session();
        changed = true;
    } else if (had_session_ && !state_.signed_in()) {
        end_session(false, "kiosk.session_ended");  // the server ended it (401)
        changed = true;
    }
    // A sign-in that failed: a wrong PIN is typed again, a bad code is scanned again.
    if (!ui_.signing_in_by.empty() && !state_.login.loading()) {
        if (state_.login.failed()) {
            login_error_at_ = now;
            if (ui_.signing_in_by == "pin") {
                wipe(ui_.keypad.pin);
                ui_.keypad.field = KeypadEntry::Field::pin;
            }
        }
        ui_.signing_in_by.clear();
        changed = true;
    }
    // "That code was not recognised" goes away by itself on the attract screen.
    if (ui_.phase == Phase::attract && state_.login.failed() && login_error_at_ >= 0 &&
        now - login_error_at_ >= kErrorSeconds) {
        state_.login.reset();
        login_error_at_ = -1;
        changed = true;
    }

    // Idle: countdown, then sign-out.
    switch (idle_.state(now)) {
    case IdleTimer::State::expired:
        if (ui_.phase == Phase::member)
            end_session(true, "kiosk.signed_out");
        else
            end_session(false, nullptr);
        changed = true;
        break;
    default: break;
    }
    // Redraw only when what is shown changes: the countdown's number, the offer on the attract screen.
    if (const int left = idle_.countdown_left(now); left != shown_countdown_) {
        shown_countdown_ = left;
        changed = true;
    }
    if (ui_.phase == Phase::attract) {
        const int i = offer_index(now, attract_since_, timing_.offer_seconds, static_cast<int>(offers_.size()));
        if (i != shown_offer_) {
            shown_offer_ = i;
            changed = true;
        }
    }

    // Keep the kiosk token alive while the member is busy at the screen (2-min sliding TTL).
    if (ui_.phase == Phase::member && state_.signed_in() && idle_.last_input() > last_server_ &&
        now - last_server_ >= timing_.keepalive_seconds && !state_.me.loading()) {
        api_.load_me();
        last_server_ = now;
    }

    if (farewell_until_ > 0 && now >= farewell_until_) {
        farewell_until_ = 0;
        farewell_key_ = nullptr;
        changed = true;
    }

    // Fonts that arrived.
    if (!latin_set_ && state_.latin_font.has()) {
        fonts_.set_latin(*state_.latin_font.value);
        state_.latin_font.value->clear();
        latin_set_ = true;
        changed = true;
    }
    if (!lang_set_ && state_.lang_font.has()) {
        fonts_.set_lang_switch(*state_.lang_font.value);
        state_.lang_font.value->clear();
        lang_set_ = true;
        changed = true;
    }
    if (!cjk_set_ && state_.cjk_font.has()) {
        fonts_.set_cjk(*state_.cjk_font.value);
        state_.cjk_font.value->clear();
        cjk_set_ = true;
        changed = true;
    }
    if (!offers_built_ && state_.program.has()) {
        offers_ = offers_from_program(*state_.program.value);
        offers_built_ = true;
        changed = true;
    }
    return changed;
}

bool KioskApp::prepare(float dpr) {
    dpr_ = dpr > 0 ? dpr : 1.0f;
    // Large text, sized to the screen: the short side (CSS px) / 640, between x1.25 and x2
    // (x1.69 on a 1920x1080 or 1080x1920 counter screen).
    float text = kTextScale;
    const ImVec2 ds = ImGui::GetIO().DisplaySize;
    if (ds.x > 0 && ds.y > 0) text = std::clamp(std::min(ds.x, ds.y) / dpr_ / 640.0f, 1.25f, 2.0f);
    const float scale = dpr_ * text;
    if (scale != scale_) {
        scale_ = scale;
        style_dirty_ = true;
    }
    fonts_.set_scale(scale_);
    if (state_.settings.lang == Lang::zh && !zh_noted_) {
        for (const auto& e : kiosk_string_table()) fonts_.note(e.zh);
        zh_noted_ = true;
    }
    if (fonts_.wants_cjk() && !cjk_requested_) {
        cjk_requested_ = true;
        api_.load_cjk_font(paths_.cjk_font);
    }
    bool rebuilt = false;
    if (fonts_.needs_rebuild() && ready()) {
        fonts_.rebuild(*ImGui::GetIO().Fonts);
        rebuilt = true;
    }
    if (style_dirty_) {
        ImGuiStyle& st = ImGui::GetStyle();
        apply_style(st, theme_, scale_);
        st.FrameBorderSize = std::max(1.0f, std::round(2 * dpr_));
        st.FrameRounding = 12 * scale_;
        st.ScrollbarSize = 20 * scale_;
        st.TouchExtraPadding = ImVec2(0, 0);
        style_dirty_ = false;
    }
    return rebuilt;
}

double KioskApp::next_wake() const {
    const double now = platform_.monotonic_seconds();
    double next = -1;
    auto want = [&](double s) {
        s = std::max(0.0, s);
        next = next < 0 ? s : std::min(next, s);
    };
    if (api_.busy()) want(0.1);
    if (idle_.running()) want(idle_.next_change(now) + 0.01);
    if (ui_.phase == Phase::attract && offers_.size() > 1) {
        const double into = std::fmod(std::max(0.0, now - attract_since_), timing_.offer_seconds);
        want(timing_.offer_seconds - into + 0.01);
    }
    if (farewell_until_ > 0) want(farewell_until_ - now + 0.01);
    if (ui_.phase == Phase::attract && state_.login.failed() && login_error_at_ >= 0)
        want(login_error_at_ + kErrorSeconds - now + 0.01);
    return next;
}

// --- input ----------------------------------------------------------------------------------------

void KioskApp::note_activity(const std::vector<MirrorEvent>& events) {
    const double now = platform_.monotonic_seconds();
    bool active = false;
    // Focus moves are not activity: the DOM layer moves focus by itself (e.g. into a dialog).
    for (const auto& e : events)
        if (e.kind == MirrorEvent::Kind::click || e.kind == MirrorEvent::Kind::input) active = true;
    const ImGuiIO& io = ImGui::GetIO();
    for (int b = 0; b < 3; ++b)
        if (io.MouseClicked[b] || io.MouseDown[b] || io.MouseReleased[b]) active = true;
    if (io.MouseWheel != 0 || io.MouseWheelH != 0) active = true;
    if (io.InputQueueCharacters.Size > 0) active = true;
    if (ImGui::IsKeyPressed(ImGuiKey_Enter, false) || ImGui::IsKeyPressed(ImGuiKey_Backspace, false)) active = true;
    if (ImGui::IsMousePosValid() && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) active = true;
    if (active) idle_.touch(now);
}

void KioskApp::handle_typed_input() {
    // A scanner is a keyboard: it types the member code and Enter, wherever the page's focus is.
    const double now = platform_.monotonic_seconds();
    const ImGuiIO& io = ImGui::GetIO();
    if (io.InputQueueCharacters.Size > 0) {
        std::string s;
        for (ImWchar c : io.InputQueueCharacters)
            if (c < 0x80) s += static_cast<char>(c);
        scan_.add(s, now);
    }
    if (ImGui::IsKeyPressed(ImGuiKey_Enter, false) || ImGui::IsKeyPressed(ImGuiKey_KeypadEnter, false)) {
        if (auto code = scan_.enter(now)) scan(*code);
    }
}

// --- drawing --------------------------------------------------------------------------------------

bool KioskApp::button(Ui& ui, const std::string& id, const std::string& label, ButtonKind kind, bool enabled,
                      float w, float h) {
    // Ui::button sizes by its text and frame padding: pad so the button is exactly h tall.
    const float text_h = ImGui::GetFontSize();
    const float pad_y = std::max(ui.px(6), (h - text_h) * 0.5f);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(ui.px(18), pad_y));
    const bool pressed = ui.button(id, label, kind, enabled, w / ui.scale());
    ImGui::PopStyleVar();
    const ImVec2 sz = ImGui::GetItemRectSize();
    targets_.push_back(HitTarget{id, sz.x, sz.y});
    return pressed;
}

void KioskApp::draw_top_bar(Ui& ui, float w) {
    const Theme& th = ui.theme();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ui.px(kTopBar);
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), th.accent);
    ui.begin_region("kiosk.top", tr("kiosk.title"), Role::region);
    const float pad = ui.px(kPad);
    // Brand: the program's name.
    std::string brand = tr("kiosk.title");
    if (state_.program.has() && !ui.t(state_.program.value->name).empty()) brand = ui.t(state_.program.value->name);
    ImFont* hf = ui.fonts().heading;
    ImGui::SetCursorScreenPos(ImVec2(p.x + pad, p.y + (h - hf->FontSize) * 0.5f));
    ui.push_width(w * 0.5f);
    ImGui::PushStyleColor(ImGuiCol_Text, th.accent_text);
    ImGui::PushFont(hf);
    ui.note(brand);
    ImGui::TextUnformatted(brand.c_str());
    ImGui::PopFont();
    ImGui::PopStyleColor();
    ui.mirror().add(node("kiosk.brand", Role::heading, brand, "", 1));
    ui.pop_width();

    // Right: language switch (always), Done (signed in).
    const float bh = ui.px(60);
    const float lang_w = ui.px(150), done_w = ui.px(200);
    float x = p.x + w - pad - lang_w;
    if (ui_.phase == Phase::member) x -= done_w + ui.px(16);
    ImGui::SetCursorScreenPos(ImVec2(x, p.y + (h - bh) * 0.5f));
    ui.push_width(w);
    // Light buttons on the dark bar (Ui's secondary kind: light face, accent text, visible edge).
    const std::string lang_label = state_.settings.lang == Lang::zh ? "English" : FontManager::kLangSwitch;
    // The switch is the only secondary button on a dark bar: a light face, accent text.
    ImGui::PushFont(ui.fonts().heading);
    const float text_h = ImGui::GetFontSize();
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(ui.px(12), (bh - text_h) * 0.5f));
    const bool lang_pressed = ui.button("kiosk.lang", lang_label, ButtonKind::secondary, true, lang_w / ui.scale());
    ImGui::PopStyleVar();
    targets_.push_back(HitTarget{"kiosk.lang", ImGui::GetItemRectSize().x, ImGui::GetItemRectSize().y});
    if (MirrorNode* n = ui.mirror().last())
        n->label = state_.settings.lang == Lang::zh ? "English (switch language)" : "\xE4\xB8\xAD\xE6\x96\x87 (Chinese)";
    if (lang_pressed) {
        state_.settings.lang = state_.settings.lang == Lang::zh ? Lang::en : Lang::zh;
        platform_.set_document(code(state_.settings.lang), tr("kiosk.title"));
    }
    if (ui_.phase == Phase::member) {
        ImGui::SameLine(0, ui.px(16));
        if (button(ui, "kiosk.done", tr("kiosk.done"), ButtonKind::secondary, true, done_w, bh)) sign_out();
    }
    ImGui::PopFont();
    ui.pop_width();
    ui.end_region();
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h));
}

void KioskApp::draw_attract(Ui& ui, float w, float h) {
    const Theme& th = ui.theme();
    const bool landscape = w > h;
    const float gap = ui.px(28);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float left_w = landscape ? (w - gap) * 0.55f : w;
    const float right_w = landscape ? w - gap - left_w : w;

    ui.begin_region("kiosk.attract", tr("kiosk.welcome"), Role::region);
    // Centred in the screen's height (using the height it took last frame).
    const float top_gap = std::max(0.0f, (h - attract_h_) * 0.4f);
    const ImVec2 top = origin;
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + top_gap));
    const ImVec2 start = ImGui::GetCursorScreenPos();
    ImGui::BeginGroup();
    ui.push_width(left_w);
    ui.heading("kiosk.welcome", tr("kiosk.welcome"), 1);
    ui.gap(8);

    // Scan panel: a scanner frame drawing and the instruction.
    ui.begin_card("kiosk.scan", tr("kiosk.scan"), Tone::accent);
    const float icon = ui.px(112);
    const ImVec2 ip = ui.image("kiosk.scan.icon", tr("kiosk.scan"), ImVec2(icon, icon));
    {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const float t = ui.px(7), len = icon * 0.3f;
        const ImVec2 a = ip, b(ip.x + icon, ip.y + icon);
        auto corner = [&](ImVec2 c, float dx, float dy) {
            dl->AddLine(c, ImVec2(c.x + dx * len, c.y), th.accent, t);
            dl->AddLine(c, ImVec2(c.x, c.y + dy * len), th.accent, t);
        };
        corner(a, 1, 1);
        corner(ImVec2(b.x, a.y), -1, 1);
        corner(ImVec2(a.x, b.y), 1, -1);
        corner(b, -1, -1);
        // Small QR-like squares in the middle and a moving scan line.
        const float m = icon * 0.22f, s = icon * 0.16f;
        dl->AddRectFilled(ImVec2(a.x + m, a.y + m), ImVec2(a.x + m + s, a.y + m + s), th.text);
        dl->AddRectFilled(ImVec2(b.x - m - s, a.y + m), ImVec2(b.x - m, a.y + m + s), th.text);
        dl->AddRectFilled(ImVec2(a.x + m, b.y - m - s), ImVec2(a.x + m + s, b.y - m), th.text);
        dl->AddRectFilled(ImVec2(b.x - m - s, b.y - m - s), ImVec2(b.x - m, b.y - m), th.text);
        const float y = a.y + icon * 0.5f;
        dl->AddLine(ImVec2(a.x + t, y), ImVec2(b.x - t, y), th.danger, std::max(2.0f, ui.px(4)));
    }
    ImGui::SameLine(0, ui.px(24));
    ImGui::BeginGroup();
    ui.push_width(ui.width() - icon - ui.px(24));
    ui.heading("kiosk.scan.title", tr("kiosk.scan"), 1);
    ui.text("kiosk.scan.how", tr("kiosk.scan_how"), Tone::muted);
    ui.pop_width();
    ImGui::EndGroup();
    ui.end_card();

    // Sign-in state of a scan, and what went wrong.
    if (state_.login.loading()) {
        ui.gap(6);
        ui.loading("kiosk.signing_in", tr("kiosk.signing_in"));
    } else if (state_.login.failed()) {
        ui.gap(6);
        const ApiError& e = state_.login.error;
        const std::string msg = e.code == "invalid_member_code" ? tr("kiosk.bad_code")
                                : e.code == "unauthorized"      ? tr("kiosk.device_key")
                                                                : error_text(ui.lang(), e.status, e.code, e.message);
        ui.alert("kiosk.error", msg);
    } else if (farewell_key_) {
        ui.gap(6);
        ui.status("kiosk.farewell", tr(farewell_key_));
    }
    if (!device_key_set()) {
        ui.gap(6);
        ui.alert("kiosk.setup", tr("kiosk.not_set_up"));
    }

    ui.gap(10);
    ImGui::PushFont(ui.fonts().heading);
    ui.text("kiosk.or", tr("kiosk.or"), Tone::muted);
    ImGui::PopFont();
    ui.gap(6);
    ImGui::PushFont(ui.fonts().heading);
    if (button(ui, "kiosk.start", tr("kiosk.tap_sign_in"), ButtonKind::primary, !state_.login.loading(), ui.width(),
               ui.px(104))) {
        state_.login.reset();
        farewell_key_ = nullptr;
        ui_.phase = Phase::keypad;
        ui_.keypad.clear();
        idle_.start(platform_.monotonic_seconds());
    }
    ImGui::PopFont();
    ui.pop_width();
    ImGui::EndGroup();
    const float left_bottom = ImGui::GetItemRectMax().y;

    // Offers.
    if (landscape)
        ImGui::SetCursorScreenPos(ImVec2(start.x + left_w + gap, start.y));
    else
        ui.gap(20);
    ImGui::BeginGroup();
    ui.push_width(right_w);
    if (!offers_.empty()) {
        const double now = platform_.monotonic_seconds();
        const int n = static_cast<int>(offers_.size());
        const int i = offer_index(now, attract_since_, timing_.offer_seconds, n);
        const Offer& o = offers_[static_cast<std::size_t>(i)];
        ui.begin_card("kiosk.offers", tr("kiosk.offers"));
        ui.text("kiosk.offers.label", tr("kiosk.offers"), Tone::accent, ui.fonts().heading);
        ui.gap(6);
        ui.text("kiosk.offer.title", ui.t(o.title), Tone::muted);
        ui.text("kiosk.offer.body", ui.t(o.body), Tone::normal, ui.fonts().heading);
        ui.gap(10);
        // Dots: which offer of how many.
        const float dot = ui.px(7), step = ui.px(24);
        const ImVec2 dp = ui.image("kiosk.offer.index", fmt(tr("kiosk.offer_n"), {std::to_string(i + 1), std::to_string(n)}),
                                   ImVec2(step * n, dot * 2));
        for (int k = 0; k < n; ++k)
            ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(dp.x + dot + step * k, dp.y + dot), dot,
                                                        k == i ? th.accent : th.card_border);
        ui.end_card();
    }
    ui.pop_width();
    ImGui::EndGroup();
    const float right_bottom = ImGui::GetItemRectMax().y;
    attract_h_ = std::max(left_bottom, right_bottom) - start.y;
    ImGui::SetCursorScreenPos(ImVec2(top.x, std::max(left_bottom, right_bottom)));
    ui.end_region();
}

void KioskApp::draw_keys(Ui& ui, float w, float h) {
    // 1 2 3 / 4 5 6 / 7 8 9 / Clear 0 Delete: big keys, no system keyboard.
    const float gap = ui.px(14);
    const float kw = std::min((w - 2 * gap) / 3, ui.px(200));
    const float kh = std::min(std::max(ui.px(64), (h - 3 * gap) / 4), ui.px(104));
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float x0 = p.x + (w - (3 * kw + 2 * gap)) * 0.5f;
    static const char* labels[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"};
    ui.begin_region("kiosk.keypad", tr("kiosk.keypad_title"), Role::region);
    for (int i = 0; i < 12; ++i) {
        const int r = i / 3, c = i % 3;
        ImGui::SetCursorScreenPos(ImVec2(x0 + c * (kw + gap), p.y + r * (kh + gap)));
        const std::string k = labels[i];
        const bool digit = k.size() == 1;
        const std::string id = "kiosk.key." + k;
        const std::string label = digit ? k : k == "clear" ? tr("kiosk.key_clear") : tr("kiosk.key_back");
        ImGui::PushFont(digit ? ui.fonts().display : ui.fonts().heading);
        const bool pressed = button(ui, id, label, ButtonKind::secondary, true, kw, kh);
        ImGui::PopFont();
        if (pressed) {
            state_.login.reset();
            if (digit)
                ui_.keypad.digit(k[0]);
            else if (k == "clear")
                ui_.keypad.clear_field();
            else
                ui_.keypad.backspace();
        }
    }
    ui.end_region();
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + 4 * kh + 3 * gap));
    ImGui::Dummy(ImVec2(w, 0));
}

void KioskApp::draw_keypad(Ui& ui, float w, float h) {
    const Theme& th = ui.theme();
    const bool landscape = w > h;
    const float gap = ui.px(32);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float left_w = landscape ? (w - gap) * 0.46f : w;
    const float right_w = landscape ? w - gap - left_w : w;
    KeypadEntry& kp = ui_.keypad;
    const bool on_pin = kp.field == KeypadEntry::Field::pin;
    const bool busy = state_.login.loading();

    ui.begin_region("kiosk.identify", tr("kiosk.keypad_title"), Role::region);
    ImGui::BeginGroup();
    ui.push_width(left_w);
    ui.heading("kiosk.keypad.title", tr("kiosk.keypad_title"), 1);
    ui.text("kiosk.keypad.step", on_pin ? tr("kiosk.enter_pin") : tr("kiosk.enter_phone"), Tone::normal,
            ui.fonts().heading);
    ui.gap(8);

    // The two fields, the current one outlined.
    auto field = [&](const std::string& id, const char* label, const std::string& shown, const std::string& mirror_value,
                     bool current) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float fh = ui.px(118);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(p, ImVec2(p.x + ui.width(), p.y + fh), th.bg, ui.px(12));
        dl->AddRect(p, ImVec2(p.x + ui.width(), p.y + fh), current ? th.accent : th.card_border, ui.px(12), 0,
                    current ? ui.px(4) : std::max(1.0f, ui.px(1.5f)));
        ImGui::SetCursorScreenPos(ImVec2(p.x + ui.px(18), p.y + ui.px(10)));
        ImGui::BeginGroup();
        ImGui::PushStyleColor(ImGuiCol_Text, th.muted);
        ui.note(label);
        ImGui::TextUnformatted(label);
        ImGui::PopStyleColor();
        ImGui::PushFont(ui.fonts().display);
        ImGui::TextUnformatted(shown.empty() ? " " : shown.c_str());
        ImGui::PopFont();
        ImGui::EndGroup();
        MirrorNode n = node(id, Role::text, std::string(label) + ": " + mirror_value, mirror_value);
        if (current) n.current = true;
        ui.mirror().add(std::move(n));
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + fh));
        ImGui::Dummy(ImVec2(ui.width(), ui.px(10)));
    };
    field("kiosk.phone", tr("kiosk.phone"), kp.phone_display(), kp.phone_display(), !on_pin);
    if (on_pin)
        field("kiosk.pin", tr("kiosk.pin"), kp.pin_display(),
              fmt(tr("kiosk.pin_typed"), {std::to_string(kp.pin.size())}), true);

    if (state_.login.failed()) {
        const ApiError& e = state_.login.error;
        const std::string msg = e.code == "unauthorized" ? tr("kiosk.device_key")
                                                         : error_text(ui.lang(), e.status, e.code, e.message);
        ui.alert("kiosk.error", msg);
        ui.gap(4);
    }
    if (busy) ui.loading("kiosk.signing_in", tr("kiosk.signing_in"));

    // Actions: Cancel | Next / Sign in.
    ui.gap(8);
    const float bw = (ui.width() - ui.px(16)) * 0.5f, bh = ui.px(88);
    ImGui::PushFont(ui.fonts().heading);
    if (button(ui, "kiosk.cancel", tr("kiosk.cancel"), ButtonKind::secondary, true, bw, bh)) {
        end_session(false, nullptr);
    }
    ImGui::SameLine(0, ui.px(16));
    if (!on_pin) {
        if (button(ui, "kiosk.next", tr("kiosk.next"), ButtonKind::primary, kp.phone_ok(), bw, bh)) kp.next();
    } else {
        const char* label = busy ? tr("kiosk.signing_in") : tr("kiosk.sign_in");
        if (button(ui, "kiosk.submit", label, ButtonKind::primary, kp.ready() && !busy, bw, bh)) {
            state_.login.reset();
            ui_.signing_in_by = "pin";
            scan_at_ = -1;
            api_.kiosk_login_pin(device_key_, kp.phone, kp.pin);
        }
    }
    ImGui::PopFont();
    if (on_pin) {
        ui.gap(6);
        if (button(ui, "kiosk.change_phone", tr("kiosk.change_phone"), ButtonKind::ghost, !busy, ui.width(), ui.px(64))) {
            wipe(kp.pin);
            kp.field = KeypadEntry::Field::phone;
        }
    }
    ui.pop_width();
    ImGui::EndGroup();
    const float left_bottom = ImGui::GetItemRectMax().y;

    if (landscape)
        ImGui::SetCursorScreenPos(ImVec2(origin.x + left_w + gap, origin.y));
    else
        ui.gap(16);
    const float keys_h = landscape ? h : std::max(ui.px(300), origin.y + h - ImGui::GetCursorScreenPos().y);
    ImGui::BeginGroup();
    draw_keys(ui, right_w, keys_h);
    ImGui::EndGroup();
    const float right_bottom = ImGui::GetItemRectMax().y;
    ImGui::SetCursorScreenPos(ImVec2(origin.x, std::max(left_bottom, right_bottom)));
    ui.end_region();
}

void KioskApp::draw_overview(Ui& ui, const MeView& me, float w) {
    const Theme& th = ui.theme();
    const bool wide = w > ui.px(900);
    const float gap = ui.px(24);
    const float cw = wide ? (w - gap) * 0.5f : w;
    const ImVec2 origin = ImGui::GetCursorScreenPos();

    // Points.
    ui.push_width(cw);
    ui.begin_card("kiosk.points", tr("kiosk.balance"));
    ui.big_number("kiosk.balance", tr("kiosk.balance"), fmt_int(me.points.balance), tr("kiosk.points_unit"));
    if (me.points.expiring_soon > 0) {
        const std::string when = me.points.next_expiry ? ui.date(*me.points.next_expiry) : "";
        ui.text("kiosk.expiring", fmt(ui.tr("home.expiring"), {fmt_int(me.points.expiring_soon), when}), Tone::warning);
    }
    if (me.points.pending > 0)
        ui.text("kiosk.pending", fmt(ui.tr("home.pending"), {fmt_int(me.points.pending)}), Tone::muted);
    ui.text("kiosk.coupons_ready", fmt(ui.tr("home.coupons_available"), {std::to_string(me.coupons.available)}));
    ui.end_card();
    ui.pop_width();
    const float first_bottom = ImGui::GetItemRectMax().y;

    // Tier and progress.
    if (wide)
        ImGui::SetCursorScreenPos(ImVec2(origin.x + cw + gap, origin.y));
    else
        ui.gap(10);
    ui.push_width(cw);
    const TierView& tier = me.tier;
    ui.begin_card("kiosk.tier", fmt(tr("kiosk.tier"), {ui.t(tier.name)}), Tone::accent);
    ui.heading("kiosk.tier.name", fmt(tr("kiosk.tier"), {ui.t(tier.name)}), 1);
    ui.text("kiosk.tier.multiplier", fmt(ui.tr("home.multiplier"), {multiplier_text(tier.multiplier_percent)}), Tone::muted);
    if (tier.valid_until)
        ui.text("kiosk.tier.valid", fmt(ui.tr("home.tier_valid"), {ui.date(*tier.valid_until)}), Tone::muted);
    ui.gap(6);
    if (tier.next) {
        const std::string label = fmt(tr("kiosk.progress"), {ui.t(tier.next->name)});
        ui.text("kiosk.progress.label", label + "  " + std::to_string(tier.percent) + "%", Tone::normal, ui.fonts().heading);
        const float bw = ui.width(), bh = ui.px(26);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const int pc = std::clamp(tier.percent, 0, 100);
        dl->AddRectFilled(p, ImVec2(p.x + bw, p.y + bh), th.bg, bh * 0.5f);
        dl->AddRect(p, ImVec2(p.x + bw, p.y + bh), th.card_border, bh * 0.5f, 0, std::max(1.0f, ui.px(1.5f)));
        if (pc > 0) dl->AddRectFilled(p, ImVec2(p.x + std::max(bh, bw * pc / 100.0f), p.y + bh), th.accent, bh * 0.5f);
        ImGui::Dummy(ImVec2(bw, bh));
        MirrorNode n = node("kiosk.progress", Role::progress, label, std::to_string(pc));
        ui.mirror().add(std::move(n));
        const std::string& req = ui.t(tier.next->requirement);
        ui.text("kiosk.tier.next",
                req.empty() ? fmt(ui.tr("home.tier_next_spend"), {fmt_money(tier.next->remaining_spend), ui.t(tier.next->name)})
                            : req);
    } else {
        ui.text("kiosk.tier.top", tr("kiosk.top_tier"), Tone::success, ui.fonts().heading);
    }
    ui.end_card();
    ui.pop_width();
    const float second_bottom = ImGui::GetItemRectMax().y;
    ImGui::SetCursorScreenPos(ImVec2(origin.x, std::max(first_bottom, second_bottom)));
    ImGui::Dummy(ImVec2(w, ui.px(4)));
}

void KioskApp::draw_coupons(Ui& ui, float w) {
    const auto& r = state_.coupons;
    if (r.failed()) {
        ui.alert("kiosk.coupons.error", error_text(ui.lang(), r.error.status, r.error.code, r.error.message));
        if (button(ui, "kiosk.coupons.retry", ui.tr("common.retry"), ButtonKind::secondary, true, ui.px(260), ui.px(72)))
            api_.load_coupons();
        return;
    }
    if (!r.has()) {
        ui.loading("kiosk.coupons.loading", ui.tr("common.loading"));
        return;
    }
    const float col = std::min(w, ui.px(980));
    ImGui::Indent((w - col) * 0.5f);
    ui.push_width(col);
    ui.begin_list("kiosk.coupons", fmt(tr("kiosk.tab.coupons"), {""}));
    int shown = 0;
    for (const auto& c : *r.value) {
        if (c.state != "available") continue;
        ++shown;
        const std::string id = "kiosk.coupon." + std::to_string(c.id);
        ui.begin_item(id);
        ui.begin_card(id + ".card", ui.t(c.title));
        ImGui::BeginGroup();
        ui.push_width(ui.width() - ui.px(250));
        ui.heading(id + ".title", ui.t(c.title), 1);
        if (!ui.t(c.conditions).empty()) ui.text(id + ".conditions", ui.t(c.conditions), Tone::muted);
        ui.text(id + ".valid", fmt(ui.tr("coupons.valid_until"), {ui.date(c.valid_until)}), Tone::muted);
        ui.pop_width();
        ImGui::EndGroup();
        ImGui::SameLine(0, ui.px(20));
        ImGui::PushFont(ui.fonts().heading);
        if (button(ui, id + ".open", tr("kiosk.coupon_show"), ButtonKind::primary, true, ui.px(230), ui.px(80)))
            ui_.open_coupon = c.id;
        ImGui::PopFont();
        ui.end_card();
        ui.end_item();
        ui.gap(6);
    }
    ui.end_list();
    if (shown == 0) ui.text("kiosk.coupons.empty", tr("kiosk.no_coupons"), Tone::muted, ui.fonts().heading);
    ui.pop_width();
    ImGui::Unindent((w - col) * 0.5f);
}

void KioskApp::draw_rewards(Ui& ui, float w) {
    const auto& r = state_.rewards;
    const Points balance = state_.me.has() ? state_.me.value->points.balance : 0;
    const float col = std::min(w, ui.px(980));
    ImGui::Indent((w - col) * 0.5f);
    ui.push_width(col);
    if (state_.me.has())
        ui.text("kiosk.rewards.balance", fmt(ui.tr("rewards.balance"), {fmt_int(balance)}), Tone::normal, ui.fonts().heading);
    if (ui_.confirm_reward.empty() && state_.redemption.failed()) {
        const ApiError& e = state_.redemption.error;
        ui.alert("kiosk.redeem.error", error_text(ui.lang(), e.status, e.code, e.message));
    }
    if (r.failed()) {
        ui.alert("kiosk.rewards.error", error_text(ui.lang(), r.error.status, r.error.code, r.error.message));
        if (button(ui, "kiosk.rewards.retry", ui.tr("common.retry"), ButtonKind::secondary, true, ui.px(260), ui.px(72)))
            api_.load_rewards();
    } else if (!r.has()) {
        ui.loading("kiosk.rewards.loading", ui.tr("common.loading"));
    } else {
        ui.begin_list("kiosk.rewards", tr("kiosk.tab.rewards"));
        for (const auto& rw : *r.value) {
            const std::string id = "kiosk.reward." + rw.id;
            ui.begin_item(id);
            ui.begin_card(id + ".card", ui.t(rw.name));
            ImGui::BeginGroup();
            ui.push_width(ui.width() - ui.px(250));
            ui.heading(id + ".name", ui.t(rw.name), 1);
            ui.text(id + ".cost", fmt(ui.tr("rewards.cost"), {fmt_int(rw.cost)}), Tone::accent, ui.fonts().heading);
            if (!ui.t(rw.coupon_title).empty())
                ui.text(id + ".gives", fmt(ui.tr("rewards.gives"), {ui.t(rw.coupon_title)}), Tone::muted);
            std::string why;
            if (!rw.in_stock)
                why = ui.tr("rewards.out_of_stock");
            else if (!rw.tier_allowed)
                why = fmt(ui.tr("rewards.tier_needed"), {rw.min_tier});
            else if (!rw.affordable)
                why = fmt(ui.tr("rewards.need_more"), {fmt_int(std::max<Points>(0, rw.cost - balance))});
            if (!why.empty()) ui.text(id + ".why", why, Tone::muted);
            ui.pop_width();
            ImGui::EndGroup();
            ImGui::SameLine(0, ui.px(20));
            const bool can = rw.in_stock && rw.tier_allowed && rw.affordable && !state_.redemption.loading();
            ImGui::PushFont(ui.fonts().heading);
            if (button(ui, id + ".redeem", ui.tr("rewards.redeem"), ButtonKind::primary, can, ui.px(230), ui.px(80))) {
                ui_.confirm_reward = rw.id;
                state_.redemption.reset();
            }
            ImGui::PopFont();
            ui.end_card();
            ui.end_item();
            ui.gap(6);
        }
        ui.end_list();
        if (r.value->empty()) ui.text("kiosk.rewards.empty", ui.tr("rewards.empty"), Tone::muted);
    }
    ui.pop_width();
    ImGui::Unindent((w - col) * 0.5f);
}

void KioskApp::draw_member(Ui& ui, float w, float h) {
    const auto& me = state_.me;
    ui.begin_region("kiosk.member", tr("kiosk.tab.overview"), Role::region);
    if (!me.has()) {
        if (me.failed()) {
            ui.alert("kiosk.me.error", error_text(ui.lang(), me.error.status, me.error.code, me.error.message));
            if (button(ui, "kiosk.me.retry", ui.tr("common.retry"), ButtonKind::secondary, true, ui.px(260), ui.px(72)))
                api_.load_me();
        } else {
            ui.loading("kiosk.me.loading", ui.tr("common.loading"));
        }
        ui.end_region();
        return;
    }
    const MeView& m = *me.value;
    // Greeting: masked name and phone only (a shared screen).
    ui.push_width(w);
    ui.heading("kiosk.hello", fmt(tr("kiosk.hello"), {kiosk_name(m.profile.name)}), 1);
    if (!m.profile.phone_masked.empty())
        ui.text("kiosk.phone_masked", fmt(tr("kiosk.phone_is"), {kiosk_phone(m.profile.phone_masked)}), Tone::muted);
    ui.gap(6);

    // Tabs.
    const float gap = ui.px(14);
    const float tw = std::min((w - 2 * gap) / 3, ui.px(360)), th = ui.px(80);
    const int available = static_cast<int>(m.coupons.available);
    struct TabDef {
        MemberTab tab;
        std::string id, label;
    };
    const TabDef tabs[3] = {{MemberTab::overview, "kiosk.tab.overview", tr("kiosk.tab.overview")},
                            {MemberTab::coupons, "kiosk.tab.coupons", fmt(tr("kiosk.tab.coupons"), {std::to_string(available)})},
                            {MemberTab::rewards, "kiosk.tab.rewards", tr("kiosk.tab.rewards")}};
    ui.begin_region("kiosk.tabs", tr("kiosk.tab.overview"), Role::nav);
    ImGui::PushFont(ui.fonts().heading);
    for (int i = 0; i < 3; ++i) {
        if (i) ImGui::SameLine(0, gap);
        const bool cur = ui_.tab == tabs[i].tab;
        if (button(ui, tabs[i].id, tabs[i].label, cur ? ButtonKind::primary : ButtonKind::secondary, true, tw, th)) {
            ui_.tab = tabs[i].tab;
            if (tabs[i].tab == MemberTab::rewards && !state_.rewards.loading()) api_.load_rewards();
            if (tabs[i].tab == MemberTab::coupons && !state_.coupons.loading()) api_.load_coupons();
            last_server_ = platform_.monotonic_seconds();
        }
        if (MirrorNode* n = ui.mirror().last()) n->current = cur;
    }
    ImGui::PopFont();
    ui.end_region();
    ui.pop_width();
    ui.gap(10);

    // The tab's content scrolls (drag with a finger).
    const float rest = std::max(ui.px(200), ImGui::GetContentRegionAvail().y);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, 0);
    ImGui::BeginChild("###kiosk.tab", ImVec2(w, rest), ImGuiChildFlags_None);
    ui.touch_scroll();
    const float cw = ImGui::GetContentRegionAvail().x;
    switch (ui_.tab) {
    case MemberTab::overview: draw_overview(ui, m, cw); break;
    case MemberTab::coupons: draw_coupons(ui, cw); break;
    case MemberTab::rewards: draw_rewards(ui, cw); break;
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
    (void)h;
    ui.end_region();
}

void KioskApp::draw_dialogs(Ui& ui) {
    const double now = platform_.monotonic_seconds();
    // "Still there?" comes before anything else that is open.
    if (idle_.state(now) == IdleTimer::State::countdown) {
        const int left = idle_.countdown_left(now);
        open_dialog(ui, "kiosk.idle", tr("kiosk.still_there"));
        ImGui::PushFont(ui.fonts().display);
        ui.text("kiosk.idle.count", std::to_string(left), Tone::danger);
        ImGui::PopFont();
        ui.status("kiosk.idle.text", fmt(tr("kiosk.signing_out_in"), {std::to_string(left)}));
        ui.gap(8);
        ImGui::PushFont(ui.fonts().heading);
        if (button(ui, "kiosk.idle.keep", tr("kiosk.keep"), ButtonKind::primary, true, ui.width(), ui.px(88)))
            idle_.touch(now);
        ui.gap(4);
        const bool member = ui_.phase == Phase::member;
        if (button(ui, "kiosk.idle.out", member ? tr("kiosk.sign_out_now") : tr("kiosk.cancel"), ButtonKind::secondary,
                   true, ui.width(), ui.px(72)))
            member ? sign_out() : end_session(false, nullptr);
        ImGui::PopFont();
        ui.dialog_end();
        return;
    }
    if (ui_.phase != Phase::member) return;

    // A coupon, large, with its QR for the cashier.
    if (ui_.open_coupon && state_.coupons.has()) {
        const auto& list = *state_.coupons.value;
        auto it = std::find_if(list.begin(), list.end(), [&](const CouponView& c) { return c.id == *ui_.open_coupon; });
        if (it == list.end()) {
            ui_.open_coupon.reset();
        } else {
            const CouponView& c = *it;
            open_dialog(ui, "kiosk.coupon", ui.t(c.title));
            if (!ui.t(c.conditions).empty()) ui.text("kiosk.coupon.conditions", ui.t(c.conditions), Tone::muted);
            // As large as fits with the code, the hint and Close below it, without scrolling.
            const ImVec2 ds = ImGui::GetIO().DisplaySize;
            const float side = std::min(ui.width(), ds.y * (ds.x > ds.y ? 0.30f : 0.40f));
            ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (ui.width() - side) * 0.5f);
            const ImVec2 p = ui.image("kiosk.coupon.qr", fmt(ui.tr("coupons.qr_alt"), {c.code}), ImVec2(side, side));
            draw_qr(ImGui::GetWindowDrawList(), p, side, ui_.qr.get(c.code));
            ImGui::PushFont(ui.fonts().display);
            ui.text("kiosk.coupon.code", c.code);
            ImGui::PopFont();
            ui.text("kiosk.coupon.hint", tr("kiosk.coupon_hint"));
            ui.text("kiosk.coupon.valid", fmt(ui.tr("coupons.valid_until"), {ui.date(c.valid_until)}), Tone::muted);
            ui.gap(6);
            ImGui::PushFont(ui.fonts().heading);
            if (button(ui, "kiosk.coupon.close", tr("kiosk.close"), ButtonKind::primary, true, ui.width(), ui.px(80)))
                ui_.open_coupon.reset();
            ImGui::PopFont();
            ui.dialog_end();
            return;
        }
    }

    // Redeem: confirmation, then the outcome.
    if (!ui_.confirm_reward.empty() && state_.rewards.has()) {
        const auto& list = *state_.rewards.value;
        auto it = std::find_if(list.begin(), list.end(), [&](const RewardView& r) { return r.id == ui_.confirm_reward; });
        const bool busy = state_.redemption.loading();
        if (!busy && state_.redemption.has()) {
            ui_.confirm_reward.clear();
            ui_.show_redeem_result = true;
        } else if (!busy && state_.redemption.failed()) {
            ui_.confirm_reward.clear();  // the error shows in the rewards list
        } else if (it == list.end()) {
            ui_.confirm_reward.clear();
        } else {
            const Points balance = state_.me.has() ? state_.me.value->points.balance : 0;
            open_dialog(ui, "kiosk.confirm", ui.tr("rewards.confirm_title"));
            ui.text("kiosk.confirm.text", fmt(ui.tr("rewards.confirm"), {ui.t(it->name), fmt_int(it->cost)}), Tone::normal,
                    ui.fonts().heading);
            ui.text("kiosk.confirm.after",
                    fmt(ui.tr("rewards.confirm_after"), {fmt_int(balance), fmt_int(balance - it->cost)}), Tone::muted);
            ui.gap(8);
            ImGui::PushFont(ui.fonts().heading);
            const float bw = (ui.width() - ui.px(14)) * 0.5f;
            if (button(ui, "kiosk.confirm.no", ui.tr("common.cancel"), ButtonKind::secondary, !busy, bw, ui.px(84)))
                ui_.confirm_reward.clear();
            ImGui::SameLine(0, ui.px(14));
            if (button(ui, "kiosk.confirm.yes", busy ? ui.tr("rewards.redeeming") : ui.tr("rewards.confirm_yes"),
                       ButtonKind::primary, !busy, bw, ui.px(84))) {
                api_.redeem(it->id, platform_.random_hex(16));
                last_server_ = now;
            }
            ImGui::PopFont();
            ui.dialog_end();
            return;
        }
    }
    if (ui_.show_redeem_result && state_.redemption.has()) {
        const RedemptionView& r = *state_.redemption.value;
        open_dialog(ui, "kiosk.result", tr("kiosk.redeem_ok"));
        ui.text("kiosk.result.reward", ui.t(r.reward_name), Tone::normal, ui.fonts().heading);
        if (r.coupon) ui.text("kiosk.result.coupon", ui.t(r.coupon->title), Tone::muted);
        ui.status("kiosk.result.balance", fmt(tr("kiosk.balance_now"), {fmt_int(r.balance_after)}));
        ui.gap(8);
        ImGui::PushFont(ui.fonts().heading);
        if (r.coupon && button(ui, "kiosk.result.show", tr("kiosk.show_coupon"), ButtonKind::primary, true, ui.width(), ui.px(84))) {
            ui_.show_redeem_result = false;
            ui_.open_coupon = r.coupon->id;
            ui_.tab = MemberTab::coupons;
            // The coupon list is being reloaded; the new coupon is in the answer to the POST anyway.
            if (state_.coupons.has() &&
                std::none_of(state_.coupons.value->begin(), state_.coupons.value->end(),
                             [&](const CouponView& c) { return c.id == r.coupon->id; }))
                state_.coupons.value->push_back(*r.coupon);
        }
        ui.gap(4);
        if (button(ui, "kiosk.result.close", tr("kiosk.close"), ButtonKind::secondary, true, ui.width(), ui.px(72)))
            ui_.show_redeem_result = false;
        ImGui::PopFont();
        ui.dialog_end();
    }
}

void KioskApp::draw(Ui& ui, std::vector<MirrorEvent> events) {
    note_activity(events);
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
    targets_.clear();

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ui.px(10), ui.px(10)));
    ImGui::Begin("###kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse |
                     ImGuiWindowFlags_NoScrollbar);
    ImGui::PushFont(ui.fonts().body);

    const float W = vp->Size.x, H = vp->Size.y;
    draw_top_bar(ui, W);
    const float pad = ui.px(kPad);
    const float cw = W - 2 * pad;
    const float ch = H - ui.px(kTopBar) - 2 * pad;
    ImGui::SetCursorScreenPos(ImVec2(vp->Pos.x + pad, vp->Pos.y + ui.px(kTopBar) + pad));
    ImGui::BeginGroup();
    ui.begin_region("main", tr("kiosk.title"), Role::region);
    switch (ui_.phase) {
    case Phase::attract: draw_attract(ui, cw, ch); break;
    case Phase::keypad: draw_keypad(ui, cw, ch); break;
    case Phase::member: draw_member(ui, cw, ch); break;
    }
    ui.end_region();
    ImGui::EndGroup();
    draw_dialogs(ui);

    ImGui::PopFont();
    ImGui::End();
    ImGui::PopStyleVar(2);
    ui.end_frame();

    // Typing outside any field is the scanner (after the widgets: a click this frame wins).
    handle_typed_input();

    // Time from scan to the first frame with the member's balance on screen.
    if (scan_at_ >= 0 && scan_to_member_ < 0 && ui_.phase == Phase::member && state_.me.has())
        scan_to_member_ = platform_.monotonic_seconds() - scan_at_;
}

}  // namespace memberdesk::client::kiosk
