#include "screens/screens.hpp"

namespace memberdesk::client {

void draw_profile(const Remote<MeView>& me, const Remote<Done>& export_data, const Remote<Done>& erase, ProfileUi& s,
                  Ui& ui, Actions& actions) {
    if (!show_remote(me, "profile", Data::me, ui, actions)) return;
    const ProfileView& p = me.value->profile;
    ui.begin_card("profile.details", ui.tr("profile.details"));
    ui.heading("profile.details.title", ui.tr("profile.details"), 2);
    ui.pair("profile.name", ui.tr("profile.name"), p.name);
    ui.pair("profile.phone", ui.tr("profile.phone"), p.phone_masked);
    if (p.birthday) ui.pair("profile.birthday", ui.tr("profile.birthday"), *p.birthday);
    ui.pair("profile.joined", ui.tr("profile.joined"), ui.date(p.joined_at));
    ui.text("profile.change", ui.tr("profile.change"), Tone::muted, ui.fonts().small);
    ui.end_card();
    ui.gap(4);

    ui.begin_card("profile.privacy", ui.tr("profile.privacy"));
    ui.heading("profile.privacy.title", ui.tr("profile.privacy"), 2);
    ui.text("profile.privacy.text", ui.tr("profile.privacy_text"), Tone::muted);
    ui.gap(2);
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
