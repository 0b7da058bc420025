#include "memberdesk/survey.hpp"

#include <nlohmann/json.hpp>

#include "memberdesk/utf8.hpp"

namespace memberdesk {

namespace {
bool score_ok(int s) { return s >= 1 && s <= 5; }
}  // namespace

SurveyProblem survey_problem(const SurveyDraft& d) {
    if (!score_ok(d.product) || !score_ok(d.service) || !score_ok(d.environment)) return SurveyProblem::unanswered;
    // Line breaks and tabs are allowed in a comment, other control characters are not (the server's rule).
    std::string cleaned = d.comment;
    for (char& c : cleaned)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    const auto n = utf8_length(cleaned, Utf8Controls::reject);
    if (!n) return SurveyProblem::comment_invalid;
    if (*n > static_cast<std::size_t>(kSurveyCommentMax)) return SurveyProblem::comment_too_long;
    return SurveyProblem::none;
}

std::string survey_body(const SurveyDraft& d) {
    nlohmann::json body = {
        {"scores", {{"product", d.product}, {"service", d.service}, {"environment", d.environment}}}};
    if (!d.comment.empty()) body["comment"] = d.comment;
    if (!d.store.empty()) body["store"] = d.store;
    return body.dump();
}

std::string last_purchase_store(const std::vector<LedgerEntryView>& newest_first) {
    for (const auto& e : newest_first)
        if (e.type == "earn" && !e.store.empty()) return e.store;
    return {};
}

}  // namespace memberdesk
