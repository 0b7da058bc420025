#include "app/format.hpp"
#include "screens/screens.hpp"

namespace memberdesk::client {

void draw_sign_in(const ClientState& state, SignInUi& s, Ui& ui, Actions& actions) {
    ui.begin_card("signin", ui.tr("signin.title"));
    ui.heading("signin.title", ui.tr("signin.title"), 1);
    ui.text("signin.intro", ui.tr("signin.intro"), Tone::muted);
    ui.gap(4);
    if (state.session_ended) ui.status("signin.notice", ui.tr("signin.session_ended"));
    if (state.account_erased) ui.status("signin.notice", ui.tr("signin.erased"));

    bool submit_phone = false, submit_pin = false;
    if (ui.input("signin.phone", ui.tr("signin.phone"), s.phone, InputKind::phone, 20, &submit_phone,
                 ui.tr("signin.phone_hint")))
        s.phone = digits_only(s.phone, true);
    ui.input("signin.pin", ui.tr("signin.pin"), s.pin, InputKind::pin, 12, &submit_pin);
    ui.gap(4);
    const bool busy = state.login.loading();
    const bool ready = !s.phone.empty() && !s.pin.empty() && !busy;
    const bool pressed = ui.button("signin.submit", busy ? ui.tr("signin.signing_in") : ui.tr("signin.submit"),
                                   ButtonKind::primary, ready, -1);
    if ((pressed || ((submit_pin || submit_phone) && ready))) actions.sign_in = true;
    if (state.login.failed()) ui.alert("signin.error", error_words(state.login.error, ui.lang()));
    ui.gap(6);
    if (ui.button("signin.forgot", ui.tr("signin.forgot"), ButtonKind::ghost)) actions.navigate = Screen::pin_reset;
    ui.end_card();
    ui.gap(6);
    ui.begin_card("signin.join", ui.tr("signin.new_member"));
    ui.heading("signin.join.title", ui.tr("signin.new_member"), 2);
    ui.text("signin.join.text", ui.tr("signin.join_text"), Tone::muted);
    if (ui.button("signin.sign_up", ui.tr("signin.sign_up"), ButtonKind::secondary, true, -1))
        actions.navigate = Screen::sign_up;
    ui.end_card();
    // What an earlier session left for use offline: the member can remove it without signing in.
    if (state.offline_view || state.offline_card) {
        ui.gap(6);
        ui.text("signin.kept", ui.tr("signin.kept"), Tone::muted, ui.fonts().small);
        if (ui.button("signin.forget", ui.tr("signin.forget"), ButtonKind::ghost)) actions.sign_out = true;
    }
}

}  // namespace memberdesk::client
