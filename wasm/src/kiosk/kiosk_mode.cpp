#include "kiosk/kiosk_mode.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "app/format.hpp"
#include "app/ui.hpp"
#include "kiosk/kiosk_i18n.hpp"
#include "memberdesk/referral.hpp"

namespace memberdesk::client::kiosk {

KioskMode::KioskMode(Shell& shell, Timing timing)
    : shell_(shell),
      platform_(shell.platform()),
      state_(shell.state()),
      api_(shell.api()),
      timing_(timing),
      idle_(timing),
      scan_(timing) {}

const char* KioskMode::tr(const char* key) const { return ktr(state_.settings.lang, key); }

void KioskMode::set_document() { platform_.set_document(code(state_.settings.lang), tr("kiosk.title")); }

const std::vector<StringEntry>& KioskMode::strings() const { return kiosk_string_table(); }

void KioskMode::read_device_key() {
    // Set up once per device: /kiosk#key=<device key>&store=<store id> (web/kiosk.html also takes
    // them from the URL before the client starts, and keeps them in localStorage).
    const std::string hash = platform_.location_hash();
    auto param = [&](const std::string& name) -> std::string {
        auto at = hash.find(name + "=");
        while (at != std::string::npos && at > 0 && hash[at - 1] != '#' && hash[at - 1] != '&')
            at = hash.find(name + "=", at + 1);
        if (at == std::string::npos) return {};
        std::string v = hash.substr(at + name.size() + 1);
        const auto amp = v.find('&');
        if (amp != std::string::npos) v.resize(amp);
        return v;
    };
    const std::string key = param("key"), store = param("store");
    if (!key.empty()) platform_.local_set(kKeyStorage, key);
    if (!store.empty()) platform_.local_set(kStoreStorage, store);
    if (!key.empty() || !store.empty()) platform_.set_location_hash("#/");
    if (auto k = platform_.local_get(kKeyStorage)) device_key_ = *k;
    if (auto st = platform_.local_get(kStoreStorage)) store_ = *st;
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

void KioskMode::start() {
    default_lang_ = lang_from_code(platform_.preferred_language());
    if (auto l = platform_.local_get(kLangStorage); l && !l->empty()) default_lang_ = lang_from_code(*l);
    state_.settings.lang = default_lang_;
    state_.settings.text_size = 3;
    read_device_key();
    shell_.set_theme(kiosk_theme());
    attract_since_ = platform_.monotonic_seconds();
    set_document();
}

void KioskMode::scan(const std::string& code) {
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

bool KioskMode::referral_scan(const std::string& text) {
    const auto code = referral_code_from_scan(text);
    if (!code) return false;
    if (ui_.phase == Phase::attract && !state_.signed_in() && !normalize_referral_code(text)) {
        start_code_flow(CodePurpose::signup);  // a friend's invitation link: join with it
    } else if (ui_.phase != Phase::signup || ui_.flow.step() == CodeFlow::Step::done) {
        return false;
    }
    ui_.flow.referral_code = *code;
    idle_.touch(platform_.monotonic_seconds());
    return true;
}

void KioskMode::sign_out() { end_session(true, "kiosk.signed_out"); }

void KioskMode::begin_member_session() {
    const double now = platform_.monotonic_seconds();
    had_session_ = true;
    ui_.phase = Phase::member;
    ui_.tab = MemberTab::overview;
    ui_.keypad.clear();
    ui_.flow.reset();
    ui_.signing_in_by.clear();
    scan_.clear();
    idle_.start(now);
    last_server_ = now;
    api_.load_me();
    api_.load_coupons();
    api_.load_rewards();
}

void KioskMode::end_session(bool server_logout, const char* farewell_key) {
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
    ui_.flow.reset();
    wipe(ui_.confirm_reward);
    wipe(ui_.survey.comment);
    ui_ = KioskUi{};
    state_.code_request.reset();
    state_.code_verify.reset();
    if (!state_.signup_token.empty()) {
        api_.discard_token(state_.signup_token);
        wipe(state_.signup_token);
    }
    awaiting_code_ = awaiting_verify_ = false;  // phase attract; no coupon open, no QR text kept
    scan_.clear();
    idle_.stop();
    had_session_ = false;
    scan_at_ = -1;
    state_.settings.lang = default_lang_;  // the next person starts in the kiosk's own language
    attract_since_ = now;
    farewell_key_ = farewell_key;
    farewell_until_ = farewell_key ? now + 6 : 0;
    set_document();
}

void KioskMode::start_code_flow(CodePurpose purpose) {
    state_.login.reset();
    state_.code_request.reset();
    state_.code_verify.reset();
    farewell_key_ = nullptr;
    ui_.flow = CodeFlow(purpose);
    ui_.terms = -1;
    ui_.marketing = ui_.offers = 0;
    ui_.pin_entered = false;
    ui_.phase = purpose == CodePurpose::signup ? Phase::signup : Phase::pin_reset;
    idle_.start(platform_.monotonic_seconds());
}

bool KioskMode::follow_code_flow() {
    bool changed = false;
    CodeFlow& f = ui_.flow;
    if (awaiting_code_ && !state_.code_request.loading()) {
        if (state_.code_request.status == Status::ok) {
            const auto at = parse_rfc3339(state_.code_request.value->expires_at);
            const UnixSeconds now = platform_.unix_now();
            f.code_sent(now, at.ok() ? at.value() : now + 600);
        }
        awaiting_code_ = false;
        changed = true;
    }
    if (awaiting_verify_ && !state_.code_verify.loading()) {
        if (state_.code_verify.status == Status::ok) {
            if (f.purpose() == CodePurpose::signup) {
                // The new member's portal token is not for a shared screen: hand it back and sign
                // in as any member does here (kiosk-scoped, 2-min sliding).
                if (!state_.signup_token.empty()) api_.discard_token(state_.signup_token);
                wipe(state_.signup_token);
                ui_.signing_in_by = "pin";
                api_.kiosk_login_pin(device_key_, f.phone, f.pin);
            }
            f.verified();
        } else if (state_.code_verify.failed()) {
            const std::string& code = state_.code_verify.error.code;
            f.refused(code);
            if (code != "invalid_name" && code != "consent_required" && code != "invalid_referral_code")
                ui_.pin_entered = false;
        }
        awaiting_verify_ = false;
        changed = true;
    }
    return changed;
}

bool KioskMode::update() {
    bool changed = follow_code_flow();
    for (auto& code : take_posted_scans()) {
        if (!referral_scan(code)) scan(code);
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
            if (signed_in_phase(ui_.phase))
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
    if (signed_in_phase(ui_.phase) && state_.signed_in() && idle_.last_input() > last_server_ &&
        now - last_server_ >= timing_.keepalive_seconds && !state_.me.loading()) {
        api_.load_me();
        last_server_ = now;
    }

    // History: load the next ledger page when the page on screen (or the one after) lacks rows.
    if (ui_.phase == Phase::member && ui_.tab == MemberTab::history &&
        ui_.history_filter != HistoryFilter::redemptions && state_.ledger.has() && !state_.ledger.loading() &&
        !state_.ledger.failed() && state_.ledger.value->next_cursor) {
        static const std::vector<RedemptionView> kNone;
        const HistoryPage p = build_history_page(state_.ledger.value->entries, true, kNone, ui_.history_filter,
                                                 ui_.history_page, ui_.history_rows);
        if (p.need_more) {
            api_.load_more_ledger();
            last_server_ = now;
            changed = true;
        }
    }

    if (farewell_until_ > 0 && now >= farewell_until_) {
        farewell_until_ = 0;
        farewell_key_ = nullptr;
        changed = true;
    }

    if (!offers_built_ && state_.program.has()) {
        offers_ = offers_from_program(*state_.program.value);
        offers_built_ = true;
        changed = true;
    }
    return changed;
}

float KioskMode::text_scale(float css_w, float css_h) const {
    // Large text, sized to the screen: the short side (CSS px) / 640, between x1.25 and x2
    // (x1.69 on a 1920x1080 or 1080x1920 counter screen).
    if (css_w <= 0 || css_h <= 0) return kTextScale;
    return std::clamp(std::min(css_w, css_h) / 640.0f, 1.25f, 2.0f);
}

void KioskMode::tune_style(ImGuiStyle& st, float dpr, float scale) const {
    st.FrameBorderSize = std::max(1.0f, std::round(2 * dpr));
    st.FrameRounding = 12 * scale;
    st.ScrollbarSize = 20 * scale;
    st.TouchExtraPadding = ImVec2(0, 0);
}

double KioskMode::next_wake() const {
    const double now = platform_.monotonic_seconds();
    double next = -1;
    auto want = [&](double s) {
        s = std::max(0.0, s);
        next = next < 0 ? s : std::min(next, s);
    };
    if (idle_.running()) want(idle_.next_change(now) + 0.01);
    if (ui_.phase == Phase::attract && offers_.size() > 1) {
        const double into = std::fmod(std::max(0.0, now - attract_since_), timing_.offer_seconds);
        want(timing_.offer_seconds - into + 0.01);
    }
    if (farewell_until_ > 0) want(farewell_until_ - now + 0.01);
    if (ui_.phase == Phase::attract && state_.login.failed() && login_error_at_ >= 0)
        want(login_error_at_ + kErrorSeconds - now + 0.01);
    // "New code in N s".
    if ((ui_.phase == Phase::signup || ui_.phase == Phase::pin_reset) && ui_.flow.step() == CodeFlow::Step::code &&
        ui_.flow.resend_wait(platform_.unix_now()) > 0)
        want(1.0);
    return next;
}

// --- input and frame ----------------------------------------------------------------------------------------

void KioskMode::input(const std::vector<MirrorEvent>& events) {
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

void KioskMode::handle_typed_input() {
    // A scanner is a keyboard: it types the member code and Enter, wherever the page's focus is.
    // Not while someone resets a PIN or joins: a name is typed on a keyboard too; what a joining
    // person types into a field never gets here (the field takes it), and outside the fields only a
    // friend's invitation (a link or a code) is read.
    if (ui_.phase == Phase::pin_reset) {
        scan_.clear();
        return;
    }
    // Nor while a survey comment is typed (the member is at a keyboard, not a scanner).
    if (ui_.phase == Phase::survey && (ImGui::GetIO().WantTextInput || ImGui::IsAnyItemActive())) {
        scan_.clear();
        return;
    }
    const double now = platform_.monotonic_seconds();
    const ImGuiIO& io = ImGui::GetIO();
    if (io.InputQueueCharacters.Size > 0) {
        std::string s;
        for (ImWchar c : io.InputQueueCharacters)
            if (c < 0x80) s += static_cast<char>(c);
        scan_.add(s, now);
    }
    if (ImGui::IsKeyPressed(ImGuiKey_Enter, false) || ImGui::IsKeyPressed(ImGuiKey_KeypadEnter, false)) {
        if (auto code = scan_.enter(now); code && !referral_scan(*code) && ui_.phase != Phase::signup) scan(*code);
    }
}

void KioskMode::draw(Ui& ui) {
    targets_.clear();
    pending_ = KioskActions{};
    const double now = platform_.monotonic_seconds();
    KioskView v{state_, ui_, offers_};
    if (!offers_.empty())
        v.offer = offer_index(now, attract_since_, timing_.offer_seconds, static_cast<int>(offers_.size()));
    if (idle_.state(now) == IdleTimer::State::countdown) v.countdown = std::max(1, idle_.countdown_left(now));
    v.device_key_set = device_key_set();
    v.farewell_key = farewell_key_;
    v.attract_height = &attract_h_;
    v.targets = &targets_;
    draw_kiosk(v, ui, pending_);
}

void KioskMode::apply(const KioskActions& a) {
    const double now = platform_.monotonic_seconds();
    if (a.switch_language) {
        state_.settings.lang = state_.settings.lang == Lang::zh ? Lang::en : Lang::zh;
        set_document();
    }
    if (a.clear_login_error) state_.login.reset();
    if (a.start_keypad) {
        state_.login.reset();
        farewell_key_ = nullptr;
        ui_.phase = Phase::keypad;
        ui_.keypad.clear();
        idle_.start(now);
    }
    if (a.pin_sign_in) {
        state_.login.reset();
        ui_.signing_in_by = "pin";
        scan_at_ = -1;
        api_.kiosk_login_pin(device_key_, ui_.keypad.phone, ui_.keypad.pin);
    }
    if (a.still_here) idle_.touch(now);
    if (a.start_signup) start_code_flow(CodePurpose::signup);
    if (a.start_pin_reset) start_code_flow(CodePurpose::pin_reset);
    if (a.request_code) {
        awaiting_code_ = true;
        api_.request_code(ui_.flow);
    }
    if (a.verify_code) {
        if (auto c = referral_code_from_scan(ui_.flow.referral_code)) ui_.flow.referral_code = *c;
        awaiting_verify_ = true;
        api_.verify_code(ui_.flow, "kiosk", device_key_, store_);
    }
    if (a.reset_to_sign_in) {
        // The PIN is changed: sign in with the phone just typed.
        const std::string phone = ui_.flow.phone;
        ui_.flow.reset();
        state_.code_request.reset();
        state_.code_verify.reset();
        ui_.phase = Phase::keypad;
        ui_.keypad.clear();
        ui_.keypad.phone = phone;
        ui_.keypad.field = KeypadEntry::Field::pin;
        idle_.start(now);
    }
    if (a.clear_redemption) state_.redemption.reset();
    if (a.add_coupon && state_.coupons.has() &&
        std::none_of(state_.coupons.value->begin(), state_.coupons.value->end(),
                     [&](const CouponView& c) { return c.id == a.add_coupon->id; }))
        state_.coupons.value->push_back(*a.add_coupon);
    for (Data d : a.reload) {
        if (d == Data::me) api_.load_me();
        if (d == Data::coupons) api_.load_coupons();
        if (d == Data::rewards) api_.load_rewards();
        last_server_ = now;
    }
    if (a.history_filter) {
        // The tab opened or a filter picked: first page, fresh rows (unless that query is on its way).
        const HistoryFilter f = *a.history_filter;
        const std::string type = history_ledger_type(f);
        ui_.history_filter = f;
        ui_.history_page = 0;
        if (f == HistoryFilter::redemptions) {
            if (!state_.redemptions.loading()) api_.load_redemptions();
        } else if (!(state_.ledger.loading() && state_.ledger_filter.type == type)) {
            api_.load_ledger(LedgerFilter{type, "", ""});
        }
        last_server_ = now;
    }
    if (a.redeem) {
        api_.redeem(*a.redeem, platform_.random_hex(16));
        last_server_ = now;
    }
    if (a.start_survey) {
        ui_.phase = Phase::survey;
        ui_.survey = SurveyDraft{};
        ui_.open_coupon.reset();
        if (!state_.feedback.loading()) state_.feedback.reset();
    }
    if (a.send_survey) {
        SurveyDraft d = ui_.survey;
        d.store = store_;  // the store this kiosk stands in ("" when not set up with one)
        api_.send_feedback(d);
        wipe(d.comment);
        last_server_ = now;
    }
    if (a.end_survey) {
        ui_.phase = Phase::member;
        wipe(ui_.survey.comment);
        ui_.survey = SurveyDraft{};
        if (!state_.feedback.loading()) state_.feedback.reset();
    }
    if (a.sign_out) sign_out();
    if (a.cancel) end_session(false, nullptr);
}

void KioskMode::after_frame() {
    const KioskActions a = std::move(pending_);
    pending_ = KioskActions{};
    apply(a);
    // Typing outside any field is the scanner (after the widgets: a click this frame wins).
    handle_typed_input();
    // Time from scan to the first frame with the member's balance on screen.
    if (scan_at_ >= 0 && scan_to_member_ < 0 && ui_.phase == Phase::member && state_.me.has())
        scan_to_member_ = platform_.monotonic_seconds() - scan_at_;
}

}  // namespace memberdesk::client::kiosk
