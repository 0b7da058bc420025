#include "screens/screens.hpp"

namespace memberdesk::client {

void draw_settings(Settings& settings, Ui& ui, Actions& actions) {
    ui.begin_card("settings", ui.tr("nav.settings"));
    int lang = settings.lang == Lang::zh ? 1 : 0;
    // Each language is named in itself, so it can be found whatever is on screen now.
    if (ui.choice("settings.lang", ui.tr("settings.language"), {"English", "\xE4\xB8\xAD\xE6\x96\x87"}, lang)) {
        settings.lang = lang == 1 ? Lang::zh : Lang::en;
        actions.settings_changed = true;
    }
    ui.gap(4);
    if (ui.choice("settings.size", ui.tr("settings.text_size"),
                  {ui.tr("settings.size.small"), ui.tr("settings.size.normal"), ui.tr("settings.size.large"),
                   ui.tr("settings.size.xlarge")},
                  settings.text_size))
        actions.settings_changed = true;
    ui.gap(4);
    int theme = settings.dark ? 1 : 0;
    if (ui.choice("settings.theme", ui.tr("settings.theme"),
                  {ui.tr("settings.theme.light"), ui.tr("settings.theme.dark")}, theme)) {
        settings.dark = theme == 1;
        actions.settings_changed = true;
    }
    ui.gap(4);
    ui.text("settings.saved", ui.tr("settings.remembered"), Tone::muted, ui.fonts().small);
    ui.end_card();
}

}  // namespace memberdesk::client
