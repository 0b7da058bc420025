// Member feedback, with participation points once per local month.
#include "service/internal.hpp"

namespace memberdesk::server {

Result<Reply> Service::Impl::feedback(const Actor& who, std::int64_t member_id, const SurveyAnswer& a,
                                      UnixSeconds now) {
    const int rating = a.rating;
    const std::string& comment = a.comment;
    if (rating < 1 || rating > 5) return err(ErrorCode::invalid_rating, "rating must be an integer from 1 to 5");
    for (const auto* d : {&a.product, &a.service, &a.environment})
        if (d->has_value() && (**d < 1 || **d > 5))
            return err(ErrorCode::invalid_rating, "scores: product, service and environment are integers from 1 to 5");
    std::string cleaned = comment;  // control characters are refused, but comments may have line breaks
    for (char& c : cleaned)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    const auto n = utf8_length(cleaned, Utf8Controls::reject);
    if (comment.size() > 4000 || !n || *n > 1000)
        return err(ErrorCode::invalid_comment, "comment must be text of at most 1000 characters");
    return store->write([&](WriteTx& tx) -> Result<Reply> {
        auto m = tx.member_by_id(member_id);
        if (!m || m->erased_at) return unknown_member();
        if (!a.store.empty() && !tx.store_by_id(a.store)) return err(ErrorCode::unknown_store, "no store with this id");
        MemberState s = prepare(tx, member_id, now);
        FeedbackRecord f;
        f.member_id = member_id;
        f.rating = rating;
        f.comment = comment;
        f.actor_kind = to_string(who.kind);
        f.created_at = now;
        f.product = a.product;
        f.service = a.service;
        f.environment = a.environment;
        f.store = a.store;
        f.id = tx.insert_feedback(f);
        // Participation points: once per local month, so the survey cannot be farmed.
        Points awarded = 0;
        json detail = {{"feedback_id", f.id}, {"rating", rating}};
        if (a.product)
            detail["scores"] = {{"product", *a.product}, {"service", *a.service}, {"environment", *a.environment}};
        if (!a.store.empty()) detail["store"] = a.store;
        const CivilDate d = zone.local_date(now);
        const std::string issue_key = "survey:" + format_date(d).substr(0, 7);
        if (program.survey_points > 0 &&
            std::find(s.issue_keys.begin(), s.issue_keys.end(), issue_key) == s.issue_keys.end()) {
            Plan plan = participation_points(program, zone, s, program.survey_points,
                                             Text{"参与满意度调查", "Completed a satisfaction survey"},
                                             "feedback:" + std::to_string(f.id), now);
            plan.new_issue_keys.push_back(issue_key);
            AppliedPlan ap = tx.apply_plan(member_id, plan, program, now);
            for (const auto& e : ap.entries) awarded += e.points;
            detail["plan"] = plan_detail(plan, ap);
            s = state_after(tx, std::move(s), plan, ap, now);
        }
        detail["points_awarded"] = awarded;
        audit(tx, who, "feedback", member_id, detail, now);
        const MemberState& after = s;
        return Reply{Reply::Kind::created,
                     {{"id", f.id},
                      {"points_awarded", awarded},
                      {"points", points_json(balances(program, after, now), after, now)}}};
    });
}

Result<Reply> Service::feedback(const Actor& who, std::int64_t member_id, int rating, const std::string& comment) {
    SurveyAnswer a;
    a.rating = rating;
    a.comment = comment;
    return feedback(who, member_id, a);
}

Result<Reply> Service::feedback(const Actor& who, std::int64_t member_id, const SurveyAnswer& a) {
    return guarded<Reply>([&] { return impl_->feedback(who, member_id, a, now()); });
}

}  // namespace memberdesk::server
