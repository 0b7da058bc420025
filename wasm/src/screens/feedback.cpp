// The satisfaction survey: product, service and store environment, 1 to 5 each, an optional
// comment, and the store it is about (the store of the member's last purchase, when the history
// loaded for the balance chart shows one; the client has no other list of stores).
#include "memberdesk/survey.hpp"
#include "screens/screens.hpp"

namespace memberdesk::client {

void draw_feedback(const ClientState& state, FeedbackUi& s, Ui& ui, Actions& actions) {
    const Remote<Points>& sent = state.feedback;
    ui.begin_card("feedback", ui.tr("nav.feedback"));
    ui.text("feedback.intro", ui.tr("feedback.intro"));
    if (sent.status == Status::ok) {
        ui.status("feedback.sent", ui.tr("feedback.thanks"));
        if (sent.value && *sent.value > 0)
            ui.text("feedback.points", fmt(ui.tr("feedback.points"), {std::to_string(*sent.value)}), Tone::success);
        else
            ui.text("feedback.no_points", ui.tr("feedback.no_points"), Tone::muted);
        if (ui.button("feedback.again", ui.tr("feedback.again"), ButtonKind::secondary)) {
            s = FeedbackUi{};
            actions.reset_feedback = true;
        }
        ui.end_card();
        return;
    }
    std::vector<std::string> options;
    for (int i = 1; i <= 5; ++i)
        options.push_back(fmt(ui.tr(i == 1 ? "feedback.star1" : "feedback.stars"), {std::to_string(i)}));
    const struct {
        const char* id;
        const char* label;
        int& score;
    } dims[] = {{"feedback.product", "feedback.product", s.draft.product},
                {"feedback.service", "feedback.service", s.draft.service},
                {"feedback.environment", "feedback.environment", s.draft.environment}};
    for (const auto& d : dims) {
        int choice = d.score - 1;
        if (ui.choice(d.id, ui.tr(d.label), options, choice)) d.score = choice + 1;
        ui.gap(4);
    }
    ui.text("feedback.scale", ui.tr("feedback.scale"), Tone::muted, ui.fonts().small);

    const std::string last = state.chart.has() ? last_purchase_store(state.chart.value->entries) : "";
    if (!last.empty()) {
        int c = s.no_store ? 1 : 0;
        if (ui.choice("feedback.store", ui.tr("feedback.store"),
                      {fmt(ui.tr("feedback.store_last"), {last}), ui.tr("feedback.store_none")}, c))
            s.no_store = c == 1;
    }
    s.draft.store = s.no_store ? "" : last;

    ui.input("feedback.comment", ui.tr("feedback.comment"), s.draft.comment, InputKind::multiline, kSurveyCommentMax);
    const SurveyProblem problem = survey_problem(s.draft);
    if (problem == SurveyProblem::unanswered)
        ui.text("feedback.need_all", ui.tr("feedback.need_all"), Tone::muted, ui.fonts().small);
    else if (problem != SurveyProblem::none)
        ui.text("feedback.comment_bad", ui.tr("feedback.comment_bad"), Tone::danger);
    if (sent.failed()) ui.alert("feedback.error", error_words(sent.error, ui.lang()));
    if (ui.button("feedback.send", sent.loading() ? ui.tr("feedback.sending") : ui.tr("feedback.send"),
                  ButtonKind::primary, problem == SurveyProblem::none && !sent.loading()))
        actions.send_feedback = true;
    ui.end_card();
}

}  // namespace memberdesk::client
