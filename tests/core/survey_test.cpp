// The three-dimension survey as the clients build it (memberdesk/survey.hpp): all three scores
// answered, the comment within the server's rule, the body POST /me/feedback takes.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "memberdesk/survey.hpp"

using namespace memberdesk;
using nlohmann::json;

namespace survey_test {

SurveyDraft answered() {
    SurveyDraft d;
    d.product = 5;
    d.service = 3;
    d.environment = 4;
    return d;
}

TEST_CASE("survey: it can be sent only when product, service and environment each have a score of 1 to 5") {
    SurveyDraft d;
    CHECK(survey_problem(d) == SurveyProblem::unanswered);
    d.product = 5;
    d.service = 3;
    CHECK(survey_problem(d) == SurveyProblem::unanswered);
    d.environment = 6;
    CHECK(survey_problem(d) == SurveyProblem::unanswered);
    d.environment = 1;
    CHECK(survey_ready(d));
}

TEST_CASE("survey: the comment is optional, at most 1000 characters, line breaks but no other control characters") {
    SurveyDraft d = answered();
    CHECK(survey_ready(d));
    d.comment = std::string(999, 'a') + "好";  // 1000 characters, more bytes
    CHECK(survey_ready(d));
    d.comment += "x";
    CHECK(survey_problem(d) == SurveyProblem::comment_too_long);
    d.comment = "first line\nsecond\tline\r\n";
    CHECK(survey_ready(d));
    d.comment = std::string("bell\x07");
    CHECK(survey_problem(d) == SurveyProblem::comment_invalid);
    d.comment = std::string("\xC3\x28");  // not UTF-8
    CHECK(survey_problem(d) == SurveyProblem::comment_invalid);
}

TEST_CASE("survey: the request body has the three scores, and the comment and store only when given") {
    SurveyDraft d = answered();
    json b = json::parse(survey_body(d));
    CHECK(b == json{{"scores", {{"product", 5}, {"service", 3}, {"environment", 4}}}});
    d.comment = "很好";
    d.store = "store-002";
    b = json::parse(survey_body(d));
    CHECK(b["comment"] == "很好");
    CHECK(b["store"] == "store-002");
    CHECK(b["scores"]["service"] == 3);
    CHECK_FALSE(b.contains("rating"));  // the server derives the overall score
}

TEST_CASE("survey: the store last bought at is the newest purchase entry's store") {
    auto entry = [](const char* type, const char* store) {
        LedgerEntryView e;
        e.type = type;
        e.store = store;
        return e;
    };
    CHECK(last_purchase_store({}).empty());
    CHECK(last_purchase_store({entry("bonus", ""), entry("adjust", "")}).empty());
    CHECK(last_purchase_store({entry("redeem", ""), entry("earn", "S002"), entry("earn", "S001")}) == "S002");
    CHECK(last_purchase_store({entry("earn", ""), entry("earn", "S001")}) == "S001");
}

}  // namespace survey_test
