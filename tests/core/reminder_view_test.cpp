// The portal home's reminder line (domain.md §7): GET /me/reminders decoded into the view model,
// and the line the home shows from it -- the next reminder's subject, in both languages, or nothing.
#include <string>

#include <nlohmann/json.hpp>

#include "fixtures.hpp"
#include "memberdesk/views.hpp"

using namespace memberdesk;

namespace reminder_view_test {
using mdtest::at;
using mdtest::date;
using nlohmann::json;

TEST_CASE("reminder view: the documented answer decodes and the home line is its subject in zh and en") {
    const auto j = json::parse(R"({"next": {"kind": "points_expiry", "occasion": "points_expiry:2027-03-31",
        "day": "2027-03-01", "subject": {"zh": "120积分将于3月31日过期", "en": "120 points expire on 31 March"},
        "consent": "reminders"}})");
    const auto v = j.get<NextReminderView>();
    REQUIRE(v.next);
    CHECK(v.next->day == "2027-03-01");
    const auto line = home_reminder_line(v);
    REQUIRE(line);
    CHECK(line->en == "120 points expire on 31 March");
    CHECK(line->zh == "120积分将于3月31日过期");
    CHECK(json(v) == j);  // the same JSON back
}

TEST_CASE("reminder view: no line when nothing is scheduled, for a marketing message, or for an empty subject") {
    CHECK_FALSE(home_reminder_line(json::parse(R"({"next": null})").get<NextReminderView>()));
    CHECK_FALSE(home_reminder_line(json::parse("{}").get<NextReminderView>()));
    NextReminderView v;
    v.next = ReminderView{"birthday", "birthday:2026", "2026-07-01", Text{"生日快乐", "Happy birthday"}, "marketing"};
    CHECK_FALSE(home_reminder_line(v));
    v.next = ReminderView{"points_expiry", "points_expiry:2027-03-31", "2027-03-01", Text{}, "reminders"};
    CHECK_FALSE(home_reminder_line(v));
}

TEST_CASE("reminder view: built from the member's upcoming points expiry, it names the total and the date") {
    mdtest::Sim m;
    m.earn("T1", 50000, at("2026-03-10T04:00:00Z"));  // points that expire at the end of March 2027
    const auto up = upcoming_occasions(m.p, m.z, m.s, date(2027, 2, 1), at("2027-02-01T02:00:00Z"), {});
    const Occasion* points = nullptr;
    for (const auto& o : up)
        if (o.kind == ReachKind::points_expiry) points = &o;
    REQUIRE(points != nullptr);
    NextReminderView v{build_reminder_view(*points)};
    CHECK(v.next->kind == "points_expiry");
    CHECK(v.next->occasion == "points_expiry:2027-03-31");
    CHECK(v.next->day == "2027-03-01");
    const auto line = home_reminder_line(v);
    REQUIRE(line);
    const std::string total = std::to_string(points->points);
    CHECK(points->points > 0);
    CHECK(line->en == total + " points expire on 31 March");
    CHECK(line->zh == total + "积分将于3月31日过期");
}

}  // namespace reminder_view_test
