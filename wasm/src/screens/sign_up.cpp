// Sign-up and PIN reset (signed out): phone -> code -> details, one step at a time. The steps are
// core's CodeFlow; PortalMode moves it on the server's answers. A PIN reset says the same whatever
// the phone: nothing here tells whether a phone belongs to a member.
#include "app/format.hpp"
#include "screens/screens.hpp"

namespace memberdesk::client {

namespace {

void draw_phone_step(const ClientState& state, CodeFlowUi& s, const std::string& p, Ui& ui, Actions& actions) {
    CodeFlow& f = s.flow;
    ui.text(p + ".intro", ui.tr(p == "signup" ? "signup.intro" : "reset.intro"), Tone::muted);
    ui.gap(4);
    bool submitted = false;
    if (ui.input(p + ".phone", ui.tr("signin.phone"), f.phone, InputKind::phone, 20, &submitted,
                 ui.tr("signin.phone_hint")))
        f.phone = digits_only(f.phone, true);
    const bool busy = state.code_request.loading();
    const bool ok = !f.phone_problem() && !busy;
    const bool pressed =
        ui.button(p + ".send", busy ? ui.tr("signup.sending") : ui.tr("signup.send"), ButtonKind::primary, ok, -1);
    if (pressed || (submitted && ok)) actions.request_code = true;
}

void draw_code_step(const ClientState& state, CodeFlowUi& s, const std::string& p, Ui& ui, Actions& actions) {
    CodeFlow& f = s.flow;
    // PIN reset: the same sentence whether or not the phone is a member's.
    ui.status(p + ".sent", fmt(ui.tr(p == "signup" ? "signup.code_sent" : "reset.code_sent"), {f.phone}));
    ui.gap(4);
    bool submitted = false;
    if (ui.input(p + ".code", ui.tr("signup.code"), f.code, InputKind::number, 6, &submitted))
        f.code = digits_only(f.code, false);
    if (f.code_expired(ui.unix_now())) ui.text(p + ".expired", ui.tr("signup.code_expired"), Tone::warning);
    const bool pressed =
        ui.button(p + ".continue", ui.tr("signup.continue"), ButtonKind::primary, !f.code_problem(), -1);
    if (pressed || (submitted && !f.code_problem())) f.enter_code();
    ui.gap(2);
    const int wait = f.resend_wait(ui.unix_now());
    const bool busy = state.code_request.loading();
    const std::string again =
        wait > 0 ? fmt(ui.tr("signup.resend_in"), {std::to_string(wait)}) : std::string(ui.tr("signup.resend"));
    if (ui.button(p + ".resend", again, ButtonKind::secondary, wait == 0 && !busy)) actions.request_code = true;
    ui.same_line();
    if (ui.button(p + ".back", ui.tr("signup.change_phone"), ButtonKind::ghost)) f.back();
}

void draw_error(const ClientState& state, const std::string& p, Ui& ui) {
    if (state.code_request.failed()) ui.alert(p + ".error", error_words(state.code_request.error, ui.lang()));
    if (state.code_verify.failed()) ui.alert(p + ".error", error_words(state.code_verify.error, ui.lang()));
}

}  // namespace

void draw_sign_up(const ClientState& state, CodeFlowUi& s, Ui& ui, Actions& actions) {
    CodeFlow& f = s.flow;
    ui.begin_card("signup", ui.tr("signup.title"));
    switch (f.step()) {
        case CodeFlow::Step::phone: draw_phone_step(state, s, "signup", ui, actions); break;
        case CodeFlow::Step::code: draw_code_step(state, s, "signup", ui, actions); break;
        case CodeFlow::Step::details:
        case CodeFlow::Step::done: {
            ui.text("signup.details", ui.tr("signup.details"), Tone::muted);
            ui.gap(4);
            bool submitted = false;
            ui.input("signup.name", ui.tr("signup.name"), f.name, InputKind::text, 100);
            if (ui.input("signup.pin", ui.tr("signup.pin"), f.pin, InputKind::pin, 6, &submitted,
                         ui.tr("signup.pin_hint")))
                f.pin = digits_only(f.pin, false);
            ui.gap(4);
            ui.heading("signup.consents", ui.tr("signup.consents"), 2);
            if (ui.choice("signup.terms", ui.tr("signup.terms"), {ui.tr("signup.terms_no"), ui.tr("signup.terms_yes")},
                          s.terms))
                f.terms = s.terms == 1;
            ui.text("signup.optional", ui.tr("signup.optional"), Tone::muted, ui.fonts().small);
            const std::vector<std::string> no_yes = {ui.tr("consents.off"), ui.tr("consents.on")};
            if (ui.choice("signup.marketing", ui.tr("consents.marketing"), no_yes, s.marketing))
                f.marketing = s.marketing == 1;
            if (ui.choice("signup.offers", ui.tr("consents.offers"), no_yes, s.offers))
                f.personalised_offers = s.offers == 1;
            ui.gap(4);
            ui.input("signup.referral", ui.tr("signup.referral"), f.referral_code, InputKind::text, 16, nullptr,
                     ui.tr("signup.referral_hint"));
            if (f.details_problem() == ErrorCode::invalid_referral_code)
                ui.text("signup.referral.bad", ui.tr("error.invalid_referral_code"), Tone::danger);
            ui.gap(6);
            const bool busy = state.code_verify.loading();
            const bool ok = !f.details_problem() && !busy;
            const bool pressed = ui.button("signup.submit", busy ? ui.tr("signup.joining") : ui.tr("signup.submit"),
                                           ButtonKind::primary, ok, -1);
            if (pressed || (submitted && ok)) actions.verify_code = true;
            if (!busy && f.details_problem() == ErrorCode::consent_required && s.terms == 0)
                ui.text("signup.terms.needed", ui.tr("error.consent_required"), Tone::danger);
            if (ui.button("signup.back", ui.tr("signup.back"), ButtonKind::ghost, !busy)) f.back();
            break;
        }
    }
    draw_error(state, "signup", ui);
    ui.gap(6);
    if (ui.button("signup.to_sign_in", ui.tr("signup.have_account"), ButtonKind::ghost))
        actions.navigate = Screen::sign_in;
    ui.end_card();
}

void draw_pin_reset(const ClientState& state, CodeFlowUi& s, Ui& ui, Actions& actions) {
    CodeFlow& f = s.flow;
    ui.begin_card("reset", ui.tr("reset.title"));
    switch (f.step()) {
        case CodeFlow::Step::phone: draw_phone_step(state, s, "reset", ui, actions); break;
        case CodeFlow::Step::code: draw_code_step(state, s, "reset", ui, actions); break;
        case CodeFlow::Step::details: {
            bool submitted = false;
            if (ui.input("reset.pin", ui.tr("reset.new_pin"), f.pin, InputKind::pin, 6, &submitted,
                         ui.tr("signup.pin_hint")))
                f.pin = digits_only(f.pin, false);
            const bool busy = state.code_verify.loading();
            const bool ok = !f.details_problem() && !busy;
            const bool pressed = ui.button("reset.submit", busy ? ui.tr("reset.saving") : ui.tr("reset.submit"),
                                           ButtonKind::primary, ok, -1);
            if (pressed || (submitted && ok)) actions.verify_code = true;
            if (ui.button("reset.back", ui.tr("signup.back"), ButtonKind::ghost, !busy)) f.back();
            break;
        }
        case CodeFlow::Step::done:
            ui.status("reset.done", ui.tr("reset.done"));
            ui.gap(4);
            if (ui.button("reset.sign_in", ui.tr("signin.submit"), ButtonKind::primary, true, -1))
                actions.navigate = Screen::sign_in;
            break;
    }
    draw_error(state, "reset", ui);
    if (f.step() != CodeFlow::Step::done) {
        ui.gap(6);
        if (ui.button("reset.to_sign_in", ui.tr("reset.remembered"), ButtonKind::ghost))
            actions.navigate = Screen::sign_in;
    }
    ui.end_card();
}

}  // namespace memberdesk::client
