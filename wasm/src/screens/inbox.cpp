// Messages: everything sent to the member, newest first, unread ones marked. A code is never here
// (the server's inbox text says a code was sent, to which masked number).
#include "screens/screens.hpp"

namespace memberdesk::client {

void draw_inbox(const Remote<InboxView>& inbox, Ui& ui, Actions& actions) {
    if (!show_remote(inbox, "inbox", Data::inbox, ui, actions)) return;
    const InboxView& v = *inbox.value;
    ui.text("inbox.unread", fmt(ui.tr("inbox.unread"), {std::to_string(v.unread)}), Tone::muted);
    if (v.messages.empty()) {
        ui.text("inbox.empty", ui.tr("inbox.empty"), Tone::muted);
        return;
    }
    ui.begin_list("inbox.list", ui.tr("nav.inbox"));
    for (const InboxMessage& m : v.messages) {
        const std::string id = "inbox." + std::to_string(m.id);
        ui.begin_item(id, m.text);
        ui.begin_card(id + ".card", "");
        if (!m.read) ui.badge(id + ".new", ui.tr("inbox.new"), Tone::accent);
        ui.text(id + ".text", m.text);
        ui.text(id + ".at", ui.datetime(m.created_at), Tone::muted, ui.fonts().small);
        ui.end_card();
        ui.end_item();
        ui.gap(4);
    }
    ui.end_list();
    if (inbox.loading()) {
        ui.loading("inbox.loading_more", ui.tr("common.loading"));
    } else if (v.next_cursor) {
        if (ui.button("inbox.more", ui.tr("inbox.more"), ButtonKind::secondary, true, -1)) actions.inbox_more = true;
    }
    // Seen: everything up to the newest message is read (the badge goes once the server agrees).
    if (v.unread > 0 && !inbox.loading()) actions.mark_read = v.messages.front().id;
}

}  // namespace memberdesk::client
