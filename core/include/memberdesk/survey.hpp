// The satisfaction survey as the clients ask it (domain.md §8): three dimensions scored 1 to 5, an
// optional comment and the store the answer is about. Pure: the checks the server applies (so the
// form says what is missing before it is sent) and the request body of POST /api/v1/me/feedback,
// the same on the portal and the kiosk.
#pragma once
#include <string>
#include <vector>

#include "memberdesk/views.hpp"

namespace memberdesk {

struct SurveyDraft {
    int product = 0, service = 0, environment = 0;  // 1..5; 0 = not answered
    std::string comment;                            // optional
    std::string store;                              // store id; "" = none
};

enum class SurveyProblem {
    none,
    unanswered,        // a dimension has no score (or one outside 1..5)
    comment_too_long,  // more than kSurveyCommentMax characters
    comment_invalid,   // not UTF-8, or a control character other than a line break or tab
};

constexpr int kSurveyCommentMax = 1000;  // characters, as the server's invalid_comment rule

SurveyProblem survey_problem(const SurveyDraft& d);
inline bool survey_ready(const SurveyDraft& d) { return survey_problem(d) == SurveyProblem::none; }

// The JSON body: {"scores": {"product", "service", "environment"}, "comment"? , "store"?}; an empty
// comment or store is left out.
std::string survey_body(const SurveyDraft& d);

// The store the member last bought at, from ledger entries listed newest first ("" = none known).
std::string last_purchase_store(const std::vector<LedgerEntryView>& newest_first);

}  // namespace memberdesk
