// Member care's view models (pure): the staff API's history, messages, coupons, templates and audit
// answers decoded, what each role's care screen offers, adjustments as typed, and "Load more"
// appending a page without repeating rows.
#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "memberdesk/staff_care.hpp"

namespace staff_care_test {

using namespace memberdesk;
using nlohmann::json;

TEST_CASE("care rights follow the role table: managers care, level 3 only for region managers and head office") {
    for (const char* role : {"clerk", "auditor", "something_new", ""}) {
        INFO(role);
        const CareRights r = care_rights(role);
        CHECK_FALSE(r.care);
        CHECK_FALSE(r.level3);
        CHECK_FALSE(r.give);
        CHECK_FALSE(r.issue);
    }
    const CareRights store = care_rights("store_manager");
    CHECK(store.care);
    CHECK_FALSE(store.level3);
    CHECK((store.give && store.take && store.issue && store.void_coupons));
    for (const char* role : {"region_manager", "hq_admin"}) {
        INFO(role);
        const CareRights r = care_rights(role);
        CHECK((r.care && r.level3 && r.give && r.take && r.issue && r.void_coupons));
    }
}

TEST_CASE("an adjustment is read with its sign: 20, +20 and -50 are points, zero, words and too many are not") {
    CHECK(parse_adjustment("20") == Points{20});
    CHECK(parse_adjustment(" +20 ") == Points{20});
    CHECK(parse_adjustment("-50") == Points{-50});
    CHECK(parse_adjustment("- 50") == Points{-50});
    CHECK(parse_adjustment("1000000") == Points{1000000});
    for (const char* bad : {"", "0", "-0", "+", "1000001", "12a", "1.5", "--5", "20 points"}) {
        INFO(bad);
        CHECK_FALSE(parse_adjustment(bad).has_value());
    }
}

TEST_CASE("the member's messages are decoded with their delivery state, without any text") {
    const json j = {{"messages", json::array({json{{"id", 9},
                                                   {"template", "welcome"},
                                                   {"channel", "webhook"},
                                                   {"created_at", "2026-03-01T02:00:00Z"},
                                                   {"status", "delivered"},
                                                   {"delivered_at", "2026-03-01T02:00:05Z"},
                                                   {"read", true}},
                                              json{{"id", 8},
                                                   {"template", "signup_code"},
                                                   {"channel", "webhook"},
                                                   {"created_at", "2026-03-01T01:59:00Z"},
                                                   {"status", "failed"},
                                                   {"delivered_at", nullptr},
                                                   {"read", false}}})},
                    {"next_cursor", "8"}};
    const auto v = j.get<StaffMessageList>();
    REQUIRE(v.messages.size() == 2);
    CHECK(v.messages[0].template_id == "welcome");
    CHECK(v.messages[0].delivered_at == std::optional<std::string>("2026-03-01T02:00:05Z"));
    CHECK(v.messages[0].read);
    CHECK(v.messages[1].status == "failed");
    CHECK_FALSE(v.messages[1].delivered_at.has_value());
    CHECK(v.next_cursor == std::optional<std::string>("8"));
}

TEST_CASE("audit rows carry who did it, the reason and the points of an adjustment") {
    const json j = {
        {"entries",
         json::array({json{{"id", 31},
                           {"at", "2026-03-20T08:00:00Z"},
                           {"actor", {{"kind", "staff"}, {"id", "4"}, {"username", "mgr.e"}, {"store", "S001"}}},
                           {"action", "adjust"},
                           {"member_id", 12},
                           {"store", "S001"},
                           {"detail", {{"points", 20}, {"reason", "drink remade"}}}},
                      json{{"id", 30},
                           {"at", "2026-03-20T07:00:00Z"},
                           {"actor", {{"kind", "pos"}, {"id", "chain"}}},
                           {"action", "purchase"},
                           {"member_id", 12},
                           {"store", nullptr},
                           {"detail", {{"amount", 3000}}}}})},
        {"next_cursor", nullptr}};
    const auto v = j.get<StaffAuditPage>();
    REQUIRE(v.entries.size() == 2);
    CHECK(v.entries[0].actor_username == std::optional<std::string>("mgr.e"));
    CHECK(v.entries[0].reason == std::optional<std::string>("drink remade"));
    CHECK(v.entries[0].points == std::optional<Points>(20));
    CHECK(v.entries[1].actor_kind == "pos");
    CHECK_FALSE(v.entries[1].actor_username.has_value());
    CHECK_FALSE(v.entries[1].reason.has_value());
    CHECK_FALSE(v.entries[1].store.has_value());
    CHECK_FALSE(v.next_cursor.has_value());
}

TEST_CASE("a care change's answer is either the member's new points or the coupon issued or voided") {
    const json adjusted = {
        {"member_id", 12},
        {"entries", json::array()},
        {"points", {{"balance", 544}, {"pending", 0}, {"lifetime_earned", 1922}, {"expiring_soon", 0}, {"debt", 0}}}};
    const auto a = adjusted.get<StaffCareResult>();
    REQUIRE(a.points.has_value());
    CHECK(a.points->balance == 544);
    CHECK_FALSE(a.coupon.has_value());

    const json coupon = {{"id", 5},
                         {"code", "CPN2345"},
                         {"kind", "amount_off"},
                         {"state", "void"},
                         {"source", "staff"},
                         {"title", {{"zh", "减20元"}, {"en", "¥20 off"}}},
                         {"conditions", {{"zh", ""}, {"en", ""}}},
                         {"valid_from", "2026-03-01T00:00:00Z"},
                         {"valid_until", "2026-04-01T00:00:00Z"},
                         {"used_at", nullptr},
                         {"used_discount", 0}};
    const auto c = coupon.get<StaffCareResult>();
    REQUIRE(c.coupon.has_value());
    CHECK(c.coupon->state == "void");
    CHECK_FALSE(coupon_voidable(*c.coupon));
    CouponView open = *c.coupon;
    open.state = "available";
    CHECK(coupon_voidable(open));
    open.code.clear();
    CHECK_FALSE(coupon_voidable(open));
    CHECK_THROWS(json{{"member_id", 1}}.get<StaffCareResult>());
}

TEST_CASE("templates are decoded with their titles in both languages") {
    const json j = {{"templates", json::array({json{{"id", "amount_10"},
                                                    {"kind", "amount_off"},
                                                    {"title", {{"zh", "减10元"}, {"en", "¥10 off"}}}}})}};
    const auto v = j.get<CouponTemplateList>();
    REQUIRE(v.templates.size() == 1);
    CHECK(v.templates[0].id == "amount_10");
    CHECK(v.templates[0].title.en == "¥10 off");
    CHECK(v.templates[0].title.zh == "减10元");
}

TEST_CASE("Load more appends the next page after the rows shown and skips a row shown already") {
    struct Row {
        std::int64_t id;
    };
    std::vector<Row> shown{{9}, {8}, {7}};
    append_rows(shown, std::vector<Row>{{7}, {6}, {5}});
    REQUIRE(shown.size() == 5);
    CHECK(shown[3].id == 6);
    CHECK(shown[4].id == 5);
    append_rows(shown, std::vector<Row>{});
    CHECK(shown.size() == 5);
}

}  // namespace staff_care_test
