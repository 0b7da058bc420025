#include "app/format.hpp"
#include "screens/screens.hpp"

namespace memberdesk::client {

void draw_profile(const ClientState& state, ProfileUi& s, Ui& ui, Actions& actions) {
    const Remote<MeView>& me = state.me;
    const Remote<Done>& export_data = state.export_data;
    const Remote<Done>& erase = state.erase;
    if (!show_remote(me, "profile", Data::me, ui, actions)) return;
    const ProfileView& p = me.value->profile;
    const bool saving = state.profile_save.loading();
    ui.begin_card("profile.details", ui.tr("profile.details"));
    ui.heading("profile.details.title", ui.tr("profile.details"), 2);
    if (s.editing_name) {
        ui.input("profile.name.input", ui.tr("profile.name"), s.name, InputKind::text, 100);
        const bool ok = name_format_ok(s.name) && s.name != p.name && !saving;
        if (ui.button("profile.name.save", ui.tr("profile.save"), ButtonKind::primary, ok)) {
            actions.save_profile = ProfileChange{s.name, std::nullopt};
            s.editing_name = false;
        }
        ui.same_line();
        if (ui.button("profile.name.cancel", ui.tr("common.cancel"), ButtonKind::secondary)) s.editing_name = false;
    } else {
        ui.pair("profile.name", ui.tr("profile.name"), p.name);
        if (ui.button("profile.name.edit", ui.tr("profile.edit_name"), ButtonKind::secondary, !saving)) {
            s.name = p.name;
            s.editing_name = true;
        }
    }
    ui.pair("profile.phone", ui.tr("profile.phone"), p.phone_masked);
    if (!s.changing_phone) {
        if (ui.button("profile.phone.change", ui.tr("profile.change_phone"), ButtonKind::secondary)) {
            s.phone.reset();
            s.changing_phone = true;
        }
        if (state.phone_change.status == Status::ok) ui.status("profile.phone.done", ui.tr("profile.phone_changed"));
    } else {
        CodeFlow& f = s.phone;
        const bool busy = state.phone_code.loading() || state.phone_change.loading();
        if (f.step() == CodeFlow::Step::phone) {
            if (ui.input("profile.phone.new", ui.tr("profile.new_phone"), f.phone, InputKind::phone, 20))
                f.phone = digits_only(f.phone, true);
            if (ui.button("profile.phone.send", ui.tr("signup.send"), ButtonKind::primary, !f.phone_problem() && !busy))
                actions.phone_start = true;
        } else {
            ui.status("profile.phone.sent", fmt(ui.tr("signup.code_sent"), {f.phone}));
            if (ui.input("profile.phone.code", ui.tr("signup.code"), f.code, InputKind::number, 6))
                f.code = digits_only(f.code, false);
            if (ui.button("profile.phone.confirm", ui.tr("profile.phone_confirm"), ButtonKind::primary,
                          !f.code_problem() && !busy))
                actions.phone_verify = true;
            const int wait = f.resend_wait(ui.unix_now());
            const std::string again =
                wait > 0 ? fmt(ui.tr("signup.resend_in"), {std::to_string(wait)}) : std::string(ui.tr("signup.resend"));
            if (ui.button("profile.phone.resend", again, ButtonKind::secondary, wait == 0 && !busy))
                actions.phone_start = true;
        }
        if (state.phone_code.failed()) ui.alert("profile.phone.error", error_words(state.phone_code.error, ui.lang()));
        if (state.phone_change.failed())
            ui.alert("profile.phone.error", error_words(state.phone_change.error, ui.lang()));
        if (ui.button("profile.phone.cancel", ui.tr("common.cancel"), ButtonKind::ghost)) {
            s.phone.reset();
            s.changing_phone = false;
        }
    }
    if (p.birthday) {
        ui.pair("profile.birthday", ui.tr("profile.birthday"), *p.birthday);
    } else {
        // Set once by the member: birthday coupons depend on it (later only staff change it).
        ui.input("profile.birthday.input", ui.tr("profile.birthday_input"), s.birthday, InputKind::date, 10);
        ui.text("profile.birthday.once", ui.tr("profile.birthday_once"), Tone::muted, ui.fonts().small);
        if (ui.button("profile.birthday.save", ui.tr("profile.save_birthday"), ButtonKind::secondary,
                      parse_date(s.birthday).ok() && !saving))
            actions.save_profile = ProfileChange{std::nullopt, s.birthday};
    }
    ui.pair("profile.joined", ui.tr("profile.joined"), ui.date(p.joined_at));
    if (state.profile_save.failed())
        ui.alert("profile.save.error", error_words(state.profile_save.error, ui.lang()));
    else if (state.profile_save.status == Status::ok)
        ui.status("profile.saved", ui.tr("profile.saved"));
    ui.text("profile.change", ui.tr("profile.change"), Tone::muted, ui.fonts().small);
    ui.end_card();
    ui.gap(4);

    ui.begin_card("profile.privacy", ui.tr("profile.privacy"));
    ui.heading("profile.privacy.title", ui.tr("profile.privacy"), 2);
    ui.text("profile.privacy.text", ui.tr("profile.privacy_text"), Tone::muted);
    ui.gap(2);
    ui.heading("profile.consents.title", ui.tr("consents.title"), 3);
    ui.text("profile.consents.text", ui.tr("profile.consents_text"), Tone::muted);
    if (ui.button("profile.consents", ui.tr("profile.consents_open"), ButtonKind::secondary))
        actions.navigate = Screen::consents;
    ui.gap(4);
    ui.heading("profile.referral.title", ui.tr("referral.title"), 3);
    ui.text("profile.referral.text", ui.tr("profile.referral_text"), Tone::muted);
    if (ui.button("profile.referral", ui.tr("profile.referral_open"), ButtonKind::secondary))
        actions.navigate = Screen::referral;
    ui.gap(4);
    ui.heading("profile.export.title", ui.tr("profile.export_title"), 3);
    ui.text("profile.export.text", ui.tr("profile.export_text"), Tone::muted);
    if (ui.button("profile.export", export_data.loading() ? ui.tr("profile.exporting") : ui.tr("profile.export"),
                  ButtonKind::secondary, !export_data.loading()))
        actions.export_data = true;
    if (export_data.failed())
        ui.alert("profile.export.error", error_words(export_data.error, ui.lang()));
    else if (export_data.status == Status::ok)
        ui.status("profile.export.done", ui.tr("profile.exported"));
    ui.gap(4);
    ui.heading("profile.erase.title", ui.tr("profile.erase_title"), 3);
    ui.text("profile.erase.text", ui.tr("profile.erase_text"), Tone::muted);
    if (ui.button("profile.erase", ui.tr("profile.erase"), ButtonKind::danger, !erase.loading())) s.erase_step = 1;
    if (erase.failed()) ui.alert("profile.erase.error", error_words(erase.error, ui.lang()));
    if (erase.loading()) ui.loading("profile.erase.busy", ui.tr("profile.erasing"));
    ui.end_card();

    // Asks twice.
    if (s.erase_step == 1) {
        ui.dialog_begin("profile.erase1", ui.tr("profile.erase_q1_title"));
        ui.text("profile.erase1.text", ui.tr("profile.erase_q1"));
        ui.gap(4);
        if (ui.button("profile.erase1.yes", ui.tr("profile.erase_continue"), ButtonKind::danger)) s.erase_step = 2;
        ui.same_line();
        if (ui.button("profile.erase1.no", ui.tr("common.cancel"), ButtonKind::secondary)) s.erase_step = 0;
        ui.dialog_end();
    } else if (s.erase_step == 2) {
        ui.dialog_begin("profile.erase2", ui.tr("profile.erase_q2_title"));
        ui.text("profile.erase2.text", ui.tr("profile.erase_q2"));
        ui.gap(4);
        if (ui.button("profile.erase2.yes", ui.tr("profile.erase_final"), ButtonKind::danger)) {
            actions.erase_account = true;
            s.erase_step = 0;
        }
        ui.same_line();
        if (ui.button("profile.erase2.no", ui.tr("profile.erase_keep"), ButtonKind::secondary)) s.erase_step = 0;
        ui.dialog_end();
    }
}

}  // namespace memberdesk::client
