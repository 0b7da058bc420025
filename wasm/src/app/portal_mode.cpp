#include "app/portal_mode.hpp"

#include <algorithm>
#include <cfloat>

#include <nlohmann/json.hpp>

#include "app/ui.hpp"
#include "memberdesk/referral.hpp"

namespace memberdesk::client {

namespace {

constexpr const char* kTokenKey = "memberdesk.token";
constexpr const char* kSettingsKey = "memberdesk.settings";
constexpr double kOfflineCheckSeconds = 10;  // offline: ask the server again this often

}  // namespace

PortalMode::PortalMode(Shell& shell)
    : shell_(shell), platform_(shell.platform()), state_(shell.state()), api_(shell.api()) {}

void PortalMode::start() {
    // Settings: stored ones, else the browser's language.
    state_.settings.lang = lang_from_code(platform_.preferred_language());
    if (auto s = platform_.local_get(kSettingsKey)) {
        try {
            auto j = nlohmann::json::parse(*s);
            state_.settings.lang = lang_from_code(j.value("lang", std::string(code(state_.settings.lang))));
            state_.settings.text_size = std::clamp(j.value("text_size", 1), 0, 3);
            state_.settings.dark = j.value("theme", std::string("light")) == "dark";
        } catch (const std::exception&) {}
    }
    shell_.set_theme(make_theme(state_.settings.dark));

    // A session from earlier in this tab (sessionStorage).
    if (auto t = platform_.session_get(kTokenKey); t && !t->empty()) state_.token = *t;
    // What this device keeps until sign-out, with or without a session in this tab (opened from the
    // home screen, the tab's session is gone): the card secret and the last member view.
    api_.restore_offline_card();
    api_.restore_offline_view();
    was_online_ = platform_.online();
    if (!was_online_) state_.network_down = true;  // until a request gets an answer
    last_check_ = platform_.monotonic_seconds();   // the first requests are the first check
    auto route = screen_from_string(
        platform_.location_hash().substr(std::min<std::size_t>(2, platform_.location_hash().size())));
    if (state_.signed_in()) {
        had_session_ = true;
        ui_.screen = route && !signed_out_screen(*route) ? *route : Screen::home;
        load_for(ui_.screen, true);
    } else if (auto ref = referral_code_from_scan(platform_.location_query())) {
        // An invitation link (/?ref=CODE): sign-up with the code filled in.
        ui_.screen = Screen::sign_up;
        ui_.sign_up.flow.referral_code = *ref;
    } else {
        ui_.screen = Screen::sign_in;
        // With a kept view, the shell's first GET /program tells whether the server answers.
        if (route && signed_out_screen(*route))
            ui_.screen = *route;  // a link to sign-up or PIN reset
        else if (route && *route != Screen::settings)
            route_after_sign_in_ = *route;
    }
    update_document();
}

void PortalMode::load_for(Screen s, bool force) {
    if (!state_.signed_in()) return;
    auto want = [&](auto& remote) { return force || (!remote.has() && !remote.loading()); };
    switch (s) {
        case Screen::home:
            if (want(state_.me)) api_.load_me();
            if (want(state_.inbox)) api_.load_inbox();  // the unread badge
            if (want(state_.reminder)) api_.load_reminder();
            break;
        case Screen::inbox:
            if (want(state_.inbox)) api_.load_inbox();
            break;
        case Screen::consents:
            if (want(state_.consents)) api_.load_consents();
            break;
        case Screen::referral:
            if (want(state_.referral)) api_.load_referral();
            break;
        case Screen::coupons:
            if (want(state_.coupons)) api_.load_coupons();
            break;
        case Screen::history:
            if (want(state_.ledger)) api_.load_ledger(state_.ledger_filter);
            if (want(state_.chart)) api_.load_chart();
            if (want(state_.redemptions)) api_.load_redemptions();
            break;
        case Screen::rewards:
            if (want(state_.rewards)) api_.load_rewards();
            if (!state_.me.has() && !state_.me.loading()) api_.load_me();
            break;
        case Screen::tiers:
            if (!state_.program.has() && !state_.program.loading()) api_.load_program();
            if (!state_.me.has() && !state_.me.loading()) api_.load_me();
            break;
        case Screen::card:
            // A device with its own card secret computes the code itself.
            if (!state_.offline_card && want(state_.card)) api_.load_card();
            if (!state_.me.has() && !state_.me.loading()) api_.load_me();
            break;
        case Screen::profile:
            if (want(state_.me)) api_.load_me();
            break;
        case Screen::feedback:
            if (want(state_.chart)) api_.load_chart();  // the store of the last purchase
            break;
        case Screen::settings:
        case Screen::sign_in:
        case Screen::sign_up:
        case Screen::pin_reset: break;
    }
}

void PortalMode::navigate(Screen s) {
    if (!signed_out_screen(s) && s != Screen::settings && !state_.signed_in()) s = Screen::sign_in;
    if (signed_out_screen(s) && state_.signed_in()) s = Screen::home;
    const bool changed = s != ui_.screen;
    const Screen from = ui_.screen;
    ui_.screen = s;
    ui_.menu_open = false;
    if (changed) {
        // A finished PIN reset hands its phone to the sign-in form; a new flow starts clean.
        if (from == Screen::pin_reset && ui_.pin_reset.flow.step() == CodeFlow::Step::done) {
            ui_.sign_in.phone = ui_.pin_reset.flow.phone;
            ui_.pin_reset = CodeFlowUi{CodePurpose::pin_reset};
        }
        if (signed_out_screen(s)) {
            state_.code_request.reset();
            state_.code_verify.reset();
            state_.login.reset();
        }
        ui_.consents.synced = false;
        ui_.consents.saved = false;
        ui_.profile.editing_name = false;
        ui_.profile.changing_phone = false;
        ui_.profile.phone.reset();
        state_.profile_save.reset();
        state_.phone_code.reset();
        state_.phone_change.reset();
        // Leaving a screen closes what was open on it.
        ui_.coupons.open_id.reset();
        ui_.rewards.confirm_id.clear();
        ui_.profile.erase_step = 0;
        if (s == Screen::feedback && state_.feedback.status != Status::loading) state_.feedback.reset();
    }
    // Revisiting a screen refreshes its data (the old data stays on screen meanwhile).
    load_for(s, changed);
    update_document();
}

void PortalMode::update_document() {
    const char* title = tr(state_.settings.lang, title_key(ui_.screen));
    const std::string app = tr(state_.settings.lang, "app.title");
    const std::string doc = std::string(title) + " \xC2\xB7 " + app;
    const std::string key = std::string(code(state_.settings.lang)) + "|" + doc;
    if (key != last_doc_key_) {
        last_doc_key_ = key;
        platform_.set_document(code(state_.settings.lang), doc);
        platform_.set_location_hash(std::string("#/") + to_string(ui_.screen));
    }
}

bool PortalMode::follow_code_flow() {
    bool changed = false;
    if (awaiting_code_ && !state_.code_request.loading()) {
        CodeFlow& f = flow_ui(*awaiting_code_).flow;
        if (state_.code_request.status == Status::ok) {
            const auto at = parse_rfc3339(state_.code_request.value->expires_at);
            const UnixSeconds now = platform_.unix_now();
            f.code_sent(now, at.ok() ? at.value() : now + 600);
        }
        awaiting_code_.reset();
        changed = true;
    }
    if (awaiting_verify_ && !state_.code_verify.loading()) {
        CodeFlow& f = flow_ui(*awaiting_verify_).flow;
        if (state_.code_verify.status == Status::ok)
            f.verified();
        else if (state_.code_verify.failed())
            f.refused(state_.code_verify.error.code);
        awaiting_verify_.reset();
        changed = true;
    }
    // Change phone (Profile): the same steps on the answers of /me/phone/start and /verify.
    if (awaiting_phone_code_ && !state_.phone_code.loading()) {
        if (state_.phone_code.status == Status::ok) {
            const auto at = parse_rfc3339(state_.phone_code.value->expires_at);
            const UnixSeconds now = platform_.unix_now();
            ui_.profile.phone.code_sent(now, at.ok() ? at.value() : now + 600);
        }
        awaiting_phone_code_ = false;
        changed = true;
    }
    if (awaiting_phone_change_ && !state_.phone_change.loading()) {
        if (state_.phone_change.status == Status::ok) {
            ui_.profile.phone.reset();
            ui_.profile.changing_phone = false;
        } else if (state_.phone_change.failed()) {
            ui_.profile.phone.refused(state_.phone_change.error.code);
        }
        awaiting_phone_change_ = false;
        changed = true;
    }
    return changed;
}

bool PortalMode::offline() const {
    // Mid-session, with the live view on screen, a failed request is the screen's to retry; the
    // kept view stands in when the browser is offline or nothing live has arrived.
    return state_.offline_view && (!platform_.online() || (state_.network_down && !state_.me.has()));
}

void PortalMode::check_connection() {
    last_check_ = platform_.monotonic_seconds();
    // Signed out, a public request: a member request without a session would end nothing but
    // would read as a 401.
    if (state_.signed_in())
        api_.load_me();
    else
        api_.load_program();
}

bool PortalMode::update() {
    bool changed = follow_code_flow();
    // The member's name as soon as it arrives, before the frame that shows it: a Chinese name
    // sends for the CJK font now, not a frame later.
    if (state_.me.has()) shell_.fonts().note(state_.me.value->profile.name);
    // The browser's word that the network went is taken at once; that it is back is checked with
    // the server, at once, and then now and then while offline (the browser's flag can lag or lie).
    const bool online = platform_.online();
    if (online != was_online_) {
        was_online_ = online;
        changed = true;
        if (!online)
            state_.network_down = true;
        else if (state_.offline_view)
            check_connection();
    } else if (offline() && !api_.busy() && platform_.monotonic_seconds() - last_check_ >= kOfflineCheckSeconds) {
        check_connection();
        changed = true;
    }
    // Back from the offline view: the screen under it asks again for what failed meanwhile.
    const bool off = offline();
    if (was_offline_ && !off) {
        load_for(ui_.screen, true);
        changed = true;
    }
    was_offline_ = off;
    // Session transitions.
    if (!had_session_ && state_.signed_in()) {
        had_session_ = true;
        ui_.sign_in.pin.clear();
        ui_.sign_up = CodeFlowUi{CodePurpose::signup};  // a sign-up that signed in is over
        const Screen next = route_after_sign_in_;
        route_after_sign_in_ = Screen::home;
        ui_.screen = Screen::sign_in;  // force a "change" so navigate() resets per-screen state
        navigate(next);
        changed = true;
    } else if (had_session_ && !state_.signed_in()) {
        had_session_ = false;
        ui_ = UiState{};  // nothing of the member stays in UI state either
        ui_.screen = Screen::sign_in;
        update_document();
        changed = true;
    }
    // The member card refreshes itself before its code expires.
    if (ui_.screen == Screen::card && !state_.offline_card && state_.card.has() && !state_.card.loading() &&
        !state_.card.failed()) {
        const double age = platform_.monotonic_seconds() - state_.card_loaded_at;
        const int after = state_.card.value->refresh_after_seconds;
        const auto left = parse_rfc3339(state_.card.value->expires_at);
        const bool due = (after > 0 && age >= after) || (left.ok() && left.value() - platform_.unix_now() <= 5);
        if (due) {
            api_.load_card();
            changed = true;
        }
    }
    return changed;
}

float PortalMode::text_scale(float, float) const { return state_.settings.text_scale(); }

const std::vector<StringEntry>& PortalMode::strings() const { return string_table(); }

void PortalMode::route(const std::string& hash) {
    if (auto s = screen_from_string(hash.size() > 2 ? hash.substr(2) : "")) navigate(*s);
}

double PortalMode::next_wake() const {
    double next = -1;
    auto want = [&](double s) { next = next < 0 ? s : std::min(next, s); };
    if (ui_.screen == Screen::card && (state_.card.has() || state_.offline_card)) want(1.0);  // countdown, new code
    if (offline()) {
        if (state_.offline_card) want(1.0);  // the card's code changes offline too
        want(kOfflineCheckSeconds);
    }
    // "Send a new code in N s".
    if (ui_.screen == Screen::sign_up || ui_.screen == Screen::pin_reset) {
        const CodeFlow& f = ui_.screen == Screen::sign_up ? ui_.sign_up.flow : ui_.pin_reset.flow;
        if (f.step() == CodeFlow::Step::code && f.resend_wait(platform_.unix_now()) > 0) want(1.0);
    }
    return next;
}

void PortalMode::save_settings() {
    nlohmann::json j{{"lang", code(state_.settings.lang)},
                     {"text_size", state_.settings.text_size},
                     {"theme", state_.settings.dark ? "dark" : "light"}};
    platform_.local_set(kSettingsKey, j.dump());
    if (shell_.theme().dark != state_.settings.dark) shell_.set_theme(make_theme(state_.settings.dark));
    update_document();
}

void PortalMode::apply(const Actions& a) {
    if (a.switch_language) state_.settings.lang = state_.settings.lang == Lang::zh ? Lang::en : Lang::zh;
    if (a.settings_changed || a.switch_language) save_settings();
    if (a.sign_in) api_.login(ui_.sign_in.phone, ui_.sign_in.pin);
    if (a.sign_out) {
        api_.logout();
        // update() notices the session is gone and resets the UI.
    }
    for (Data d : a.reload) {
        switch (d) {
            case Data::program: api_.load_program(); break;
            case Data::me: api_.load_me(); break;
            case Data::coupons: api_.load_coupons(); break;
            case Data::rewards: api_.load_rewards(); break;
            case Data::ledger: api_.load_ledger(state_.ledger_filter); break;
            case Data::chart: api_.load_chart(); break;
            case Data::redemptions: api_.load_redemptions(); break;
            case Data::card: api_.load_card(); break;
            case Data::consents: api_.load_consents(); break;
            case Data::inbox: api_.load_inbox(); break;
            case Data::referral: api_.load_referral(); break;
        }
    }
    if (a.redeem) api_.redeem(*a.redeem, platform_.random_hex(16));
    if (a.ledger_filter) api_.load_ledger(*a.ledger_filter);
    if (a.ledger_more) api_.load_more_ledger();
    if (a.send_feedback) api_.send_feedback(ui_.feedback.draft);
    if (a.reset_feedback) state_.feedback.reset();
    if (a.export_data) api_.export_data();
    if (a.erase_account) api_.erase_account();
    if (a.copy) platform_.copy_to_clipboard(*a.copy);
    if (a.request_code || a.verify_code) {
        const CodePurpose p = ui_.screen == Screen::pin_reset ? CodePurpose::pin_reset : CodePurpose::signup;
        const CodeFlow& f = flow_ui(p).flow;
        if (a.request_code) {
            awaiting_code_ = p;
            api_.request_code(f);
        } else {
            awaiting_verify_ = p;
            api_.verify_code(f, "portal");
        }
    }
    if (a.save_profile) api_.save_profile(*a.save_profile);
    if (a.save_consents) api_.save_consents(*a.save_consents, "portal");
    if (a.mark_read) api_.mark_read(*a.mark_read);
    if (a.inbox_more) api_.load_more_inbox();
    if (a.check_connection) check_connection();
    if (a.phone_start) {
        awaiting_phone_code_ = true;
        api_.phone_start(ui_.profile.phone.phone);
    }
    if (a.phone_verify) {
        awaiting_phone_change_ = true;
        api_.phone_verify(ui_.profile.phone.phone, ui_.profile.phone.code);
    }
    if (a.navigate) navigate(*a.navigate);
}

void PortalMode::draw(Ui& ui) {
    Actions& actions = pending_;
    actions = Actions{};

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
    ImGui::Begin("###root", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar(2);
    if (ui.fonts().body) ImGui::PushFont(ui.fonts().body);

    const float css_w = vp->Size.x / std::max(0.1f, shell_.dpr());
    const bool narrow = css_w < 760.0f * state_.settings.text_scale();
    const bool off = offline();
    const bool signed_in = state_.signed_in() && !off;  // offline: one view, no navigation
    const int unread = state_.inbox.has() ? state_.inbox.value->unread : 0;
    draw_portal_header(state_, ui_, ui, actions, narrow);

    const float avail_h = ImGui::GetContentRegionAvail().y;
    const bool side_nav = signed_in && !narrow;
    if (side_nav) {
        const float nav_w = ui.px(210);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ui.px(12), ui.px(16)));
        ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ui.px(6), ui.px(4)));
        ImGui::PushStyleColor(ImGuiCol_ChildBg, ui.theme().card);
        ImGui::BeginChild("###navpane", ImVec2(nav_w, avail_h), ImGuiChildFlags_AlwaysUseWindowPadding);
        ui.touch_scroll();
        ui.push_width(ImGui::GetContentRegionAvail().x);
        draw_portal_nav(ui_, unread, ui, actions, true);
        ui.pop_width();
        ImGui::EndChild();
        ImGui::PopStyleColor();
        ImGui::PopStyleVar(2);
        const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        ImGui::GetWindowDrawList()->AddLine(ImVec2(b.x, a.y), ImVec2(b.x, b.y), ui.theme().card_border,
                                            std::max(1.0f, ui.px(1)));
        ImGui::SameLine(0, 0);
    }

    // Content: a scrolling column, centred, at most 720 CSS px wide.
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ui.px(16), ui.px(20)));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ui.px(10), ui.px(10)));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ui.theme().bg);
    ImGui::BeginChild("###content", ImVec2(0, avail_h), ImGuiChildFlags_AlwaysUseWindowPadding);
    ui.touch_scroll();
    const float avail = ImGui::GetContentRegionAvail().x;
    const float max_w = ui.px(signed_out_screen(ui_.screen) && !off ? 440 : 720);
    const float col = std::min(avail, max_w);
    const float indent = std::max(0.0f, (avail - col) * 0.5f);
    if (indent > 0) ImGui::Indent(indent);
    ui.push_width(col);

    const Screen screen = ui_.screen;
    if (off) {
        ui.begin_region("main", ui.tr("app.main"), Role::region);
        ui.heading("screen.title", ui.tr("offline.title"), 1);
        draw_offline(build_offline_view(*state_.offline_view, platform_.unix_now()), state_.offline_card,
                     state_.me.loading() || state_.program.loading(), ui_.card, ui, actions);
        ui.end_region();
    } else if (narrow && signed_in && ui_.menu_open) {
        ui.heading("menu.title", ui.tr("app.menu"), 1);
        draw_portal_nav(ui_, unread, ui, actions, true);
    } else {
        // "Main content": the screen's cards may carry the screen's own name (the sign-in card).
        ui.begin_region("main", ui.tr("app.main"), Role::region);
        if (screen != Screen::sign_in) ui.heading("screen.title", ui.tr(title_key(screen)), 1);
        switch (screen) {
            case Screen::sign_in: draw_sign_in(state_, ui_.sign_in, ui, actions); break;
            case Screen::sign_up: draw_sign_up(state_, ui_.sign_up, ui, actions); break;
            case Screen::pin_reset: draw_pin_reset(state_, ui_.pin_reset, ui, actions); break;
            case Screen::home: draw_home(state_.me, state_.reminder, ui, actions); break;
            case Screen::inbox: draw_inbox(state_.inbox, ui, actions); break;
            case Screen::consents: draw_consents(state_.consents, ui_.consents, ui, actions); break;
            case Screen::coupons: draw_coupons(state_.coupons, ui_.coupons, ui, actions); break;
            case Screen::history:
                draw_history(state_.ledger, state_.chart, state_.redemptions, ui_.history, ui, actions);
                break;
            case Screen::rewards:
                draw_rewards(state_.rewards, state_.me, state_.redemption, ui_.rewards, ui, actions);
                break;
            case Screen::tiers: draw_tiers(state_.program, state_.me, ui, actions); break;
            case Screen::card:
                draw_card(state_.card, state_.offline_card, state_.me,
                          platform_.monotonic_seconds() - state_.card_loaded_at, ui_.card, ui, actions);
                break;
            case Screen::profile: draw_profile(state_, ui_.profile, ui, actions); break;
            case Screen::referral: draw_referral(state_.referral, ui_.referral, ui, actions); break;
            case Screen::feedback: draw_feedback(state_, ui_.feedback, ui, actions); break;
            case Screen::settings: draw_settings(state_.settings, ui, actions); break;
        }
        ui.end_region();
    }
    ui.gap(24);
    ui.pop_width();
    if (indent > 0) ImGui::Unindent(indent);
    ImGui::EndChild();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar(2);

    if (ui.fonts().body) ImGui::PopFont();
    ImGui::End();
}

void PortalMode::after_frame() {
    const Actions actions = std::move(pending_);
    pending_ = Actions{};
    apply(actions);
    if (actions.any()) update_document();
}

}  // namespace memberdesk::client
