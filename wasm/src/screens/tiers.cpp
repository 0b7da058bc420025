#include "screens/screens.hpp"

namespace memberdesk::client {

void draw_tiers(const Remote<ProgramView>& program, const Remote<MeView>& me, Ui& ui, Actions& actions) {
    if (!show_remote(program, "tiers", Data::program, ui, actions)) return;
    const ProgramView& p = *program.value;
    const std::string current = me.has() ? me.value->tier.id : "";
    ui.text("tiers.program", ui.t(p.name), Tone::muted);
    ui.gap(2);
    ui.heading("tiers.tiers.title", ui.tr("tiers.tiers"), 2);
    ui.begin_list("tiers.list", ui.tr("tiers.tiers"));
    for (const auto& t : p.tiers) {
        const std::string id = "tiers.tier." + t.id;
        const bool mine = t.id == current;
        ui.begin_item(id);
        ui.begin_card(id + ".card", ui.t(t.name), mine ? Tone::accent : Tone::normal);
        ui.heading(id + ".name", ui.t(t.name), 3);
        if (mine) {
            ui.same_line(10);
            ui.badge(id + ".mine", ui.tr("tiers.yours"), Tone::accent);
        }
        ui.text(id + ".multiplier", fmt(ui.tr("tiers.multiplier"), {format_multiplier(t.multiplier_percent)}),
                Tone::accent);
        if (!ui.t(t.requirement).empty()) ui.text(id + ".requirement", ui.t(t.requirement));
        for (std::size_t i = 0; i < t.benefits.size(); ++i)
            ui.text(id + ".benefit." + std::to_string(i), "\xE2\x80\xA2 " + ui.t(t.benefits[i]), Tone::muted);
        if (!t.can_redeem) ui.text(id + ".noredeem", ui.tr("tiers.cannot_redeem"), Tone::muted, ui.fonts().small);
        ui.end_card();
        ui.end_item();
        ui.gap(2);
    }
    ui.end_list();
    ui.gap(4);
    ui.heading("tiers.rules.title", ui.tr("tiers.rules"), 2);
    for (const auto& r : p.rules) {
        const std::string id = "rules." + r.id;
        ui.begin_card(id, ui.t(r.heading));
        ui.heading(id + ".heading", ui.t(r.heading), 3);
        ui.text(id + ".body", ui.t(r.body));
        ui.end_card();
        ui.gap(2);
    }
}

}  // namespace memberdesk::client
