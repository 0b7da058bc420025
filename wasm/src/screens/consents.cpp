// Privacy choices (Profile & privacy): what the member agreed to, changing it, and every change
// with its text version, channel and time. Only the purposes a member may change are choices;
// the terms are shown as accepted.
#include "screens/screens.hpp"

namespace memberdesk::client {

namespace {

int on_off(const std::optional<bool>& b) { return b && *b ? 1 : 0; }

const char* purpose_key(const std::string& purpose) {
    if (purpose == "reminders") return "consents.reminders";
    if (purpose == "marketing") return "consents.marketing";
    if (purpose == "personalised_offers") return "consents.offers";
    if (purpose == "terms") return "consents.terms";
    return "history.type.other";
}

// Where a choice was made, in words ("portal" -> "member centre").
std::string channel_words(const std::string& channel, const Ui& ui) {
    if (channel == "portal") return ui.tr("consents.channel_portal");
    if (channel == "kiosk") return ui.tr("consents.channel_kiosk");
    return channel;
}

}  // namespace

void draw_consents(const Remote<ConsentsView>& consents, ConsentsUi& s, Ui& ui, Actions& actions) {
    if (!show_remote(consents, "consents", Data::consents, ui, actions)) return;
    const ConsentsView& v = *consents.value;
    if (!s.synced && !consents.loading()) {
        s.reminders = on_off(v.reminders);
        s.marketing = on_off(v.marketing);
        s.offers = on_off(v.personalised_offers);
        s.synced = true;
    }
    ui.begin_card("consents.choices", ui.tr("consents.choices"));
    ui.heading("consents.choices.title", ui.tr("consents.choices"), 2);
    ui.text("consents.intro", ui.tr("consents.intro"), Tone::muted);
    const std::vector<std::string> off_on = {ui.tr("consents.off"), ui.tr("consents.on")};
    if (ui.choice("consents.reminders", ui.tr("consents.reminders"), off_on, s.reminders)) s.saved = false;
    ui.text("consents.reminders.text", ui.tr("consents.reminders_text"), Tone::muted, ui.fonts().small);
    if (ui.choice("consents.marketing", ui.tr("consents.marketing"), off_on, s.marketing)) s.saved = false;
    ui.text("consents.marketing.text", ui.tr("consents.marketing_text"), Tone::muted, ui.fonts().small);
    if (ui.choice("consents.offers", ui.tr("consents.offers"), off_on, s.offers)) s.saved = false;
    ui.text("consents.offers.text", ui.tr("consents.offers_text"), Tone::muted, ui.fonts().small);
    ui.gap(4);
    const bool changed = s.reminders != on_off(v.reminders) || s.marketing != on_off(v.marketing) ||
                         s.offers != on_off(v.personalised_offers);
    if (ui.button("consents.save", consents.loading() ? ui.tr("consents.saving") : ui.tr("consents.save"),
                  ButtonKind::primary, changed && !consents.loading())) {
        ConsentChange c;
        if (s.reminders != on_off(v.reminders)) c.reminders = s.reminders == 1;
        if (s.marketing != on_off(v.marketing)) c.marketing = s.marketing == 1;
        if (s.offers != on_off(v.personalised_offers)) c.personalised_offers = s.offers == 1;
        actions.save_consents = c;
        s.synced = false;  // take the server's answer as it comes
        s.saved = true;
    }
    if (s.saved && !changed && !consents.loading()) ui.status("consents.saved", ui.tr("consents.saved"));
    if (v.terms && *v.terms)
        ui.text("consents.terms", fmt(ui.tr("consents.terms_accepted"), {v.text_version}), Tone::muted,
                ui.fonts().small);
    ui.end_card();
    ui.gap(4);

    ui.begin_card("consents.history", ui.tr("consents.history"));
    ui.heading("consents.history.title", ui.tr("consents.history"), 2);
    if (v.history.empty()) {
        ui.text("consents.history.empty", ui.tr("consents.history_empty"), Tone::muted);
    } else {
        ui.begin_list("consents.history.list", ui.tr("consents.history"));
        int i = 0;
        for (const ConsentRecord& r : v.history) {
            const std::string id = "consents.history." + std::to_string(i++);
            const std::string line = fmt(ui.tr("consents.record"), {ui.datetime(r.at), ui.tr(purpose_key(r.purpose)),
                                                                    ui.tr(r.granted ? "consents.on" : "consents.off"),
                                                                    channel_words(r.channel, ui), r.text_version});
            ui.begin_item(id, line);
            ui.text(id + ".text", line);
            ui.end_item();
        }
        ui.end_list();
    }
    ui.end_card();
    ui.gap(4);
    if (ui.button("consents.back", ui.tr("consents.back"), ButtonKind::ghost)) actions.navigate = Screen::profile;
}

}  // namespace memberdesk::client
