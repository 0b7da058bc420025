#include "screens/screens.hpp"

namespace memberdesk::client {

void draw_feedback(const Remote<Points>& sent, FeedbackUi& s, Ui& ui, Actions& actions) {
    ui.begin_card("feedback", ui.tr("nav.feedback"));
    ui.text("feedback.intro", ui.tr("feedback.intro"));
    if (sent.status == Status::ok) {
        ui.status("feedback.sent", ui.tr("feedback.thanks"));
        if (sent.value && *sent.value > 0)
            ui.text("feedback.points", fmt(ui.tr("feedback.points"), {std::to_string(*sent.value)}), Tone::success);
        if (ui.button("feedback.again", ui.tr("feedback.again"), ButtonKind::secondary)) {
            s = FeedbackUi{};
            actions.reset_feedback = true;
        }
        ui.end_card();
        return;
    }
    int choice = s.rating - 1;
    std::vector<std::string> options;
    for (int i = 1; i <= 5; ++i)
        options.push_back(fmt(ui.tr(i == 1 ? "feedback.star1" : "feedback.stars"), {std::to_string(i)}));
    if (ui.choice("feedback.rating", ui.tr("feedback.rating"), options, choice)) s.rating = choice + 1;
    ui.text("feedback.scale", ui.tr("feedback.scale"), Tone::muted, ui.fonts().small);
    ui.input("feedback.comment", ui.tr("feedback.comment"), s.comment, InputKind::multiline, 500);
    if (sent.failed()) ui.alert("feedback.error", error_words(sent.error, ui.lang()));
    if (ui.button("feedback.send", sent.loading() ? ui.tr("feedback.sending") : ui.tr("feedback.send"),
                  ButtonKind::primary, s.rating >= 1 && !sent.loading()))
        actions.send_feedback = true;
    ui.end_card();
}

}  // namespace memberdesk::client
