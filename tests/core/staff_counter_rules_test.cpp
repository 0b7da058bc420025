// The staff console's counter rules (pure): what a scanned code is, how an order amount and a
// goodwill grant are read from what staff typed, and the staff API's answers decoded.
#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "memberdesk/staff_console.hpp"

namespace staff_counter_rules_test {

using namespace memberdesk;
using nlohmann::json;

TEST_CASE("a portal member code and an offline card code are members; a coupon code is a coupon") {
    CHECK(classify_scan("M23456789ABCDEFG") == ScanKind::member);
    CHECK(classify_scan("m23456789abcdefg") == ScanKind::member);
    CHECK(classify_scan("T12-3-12345678") == ScanKind::member);
    CHECK(classify_scan("C7K2M9QX") == ScanKind::coupon);
    CHECK(classify_scan("MK2M9QXAB7") == ScanKind::coupon);  // ten symbols starting with M: a coupon
    CHECK(classify_scan("T7K2M9QXAB") == ScanKind::coupon);  // a T without the card code's dashes
    CHECK(classify_scan("abc") == ScanKind::none);
    CHECK(classify_scan("C7K2-M9QX") == ScanKind::none);
    CHECK(classify_scan("") == ScanKind::none);
    CHECK(classify_scan("C7K2 M9QX") == ScanKind::none);
}

TEST_CASE("order amounts are read in yuan into fen, with separators and a yuan sign") {
    CHECK(parse_yuan("150") == 15000);
    CHECK(parse_yuan("150.5") == 15050);
    CHECK(parse_yuan("150.05") == 15005);
    CHECK(parse_yuan("1,280.00") == 128000);
    CHECK(parse_yuan(" 88 ") == 8800);
    CHECK(parse_yuan("\xC2\xA5"
                     "88") == 8800);
    CHECK(parse_yuan("\xEF\xBF\xA5"
                     "12.30") == 1230);
    CHECK(parse_yuan("0") == 0);
    CHECK(parse_yuan("1000000") == 100000000);
    CHECK_FALSE(parse_yuan("1000000.01"));
    CHECK_FALSE(parse_yuan(""));
    CHECK_FALSE(parse_yuan("-5"));
    CHECK_FALSE(parse_yuan("12.345"));
    CHECK_FALSE(parse_yuan(".5"));
    CHECK_FALSE(parse_yuan("12a"));
    CHECK_FALSE(parse_yuan("12.3.4"));
}

TEST_CASE("goodwill points are whole numbers from 1 to 1,000,000 and a reason is 1 to 200 characters") {
    CHECK(parse_goodwill("20") == 20);
    CHECK(parse_goodwill(" 200 ") == 200);
    CHECK(parse_goodwill("1000000") == 1000000);
    CHECK_FALSE(parse_goodwill("0"));
    CHECK_FALSE(parse_goodwill("-20"));
    CHECK_FALSE(parse_goodwill("2.5"));
    CHECK_FALSE(parse_goodwill("1000001"));
    CHECK_FALSE(parse_goodwill(""));
    CHECK(valid_staff_reason("drink remade late"));
    CHECK(valid_staff_reason("饮品制作延误"));
    CHECK(valid_staff_reason(std::string(200, 'a')));
    CHECK_FALSE(valid_staff_reason(std::string(201, 'a')));
    CHECK_FALSE(valid_staff_reason(""));
    CHECK_FALSE(valid_staff_reason("   "));
    CHECK_FALSE(valid_staff_reason("line\nbreak"));
    CHECK(phone_digits("138 0000-0001") == "13800000001");
}

TEST_CASE("the staff API's member at level 2 decodes with masked name and phone; level 1 has neither") {
    json j = {
        {"id", 12},
        {"level", 2},
        {"joined_at", "2025-01-02T03:04:05Z"},
        {"joined_store", "store-001"},
        {"points",
         {{"balance", 524},
          {"pending", 10},
          {"lifetime_earned", 1902},
          {"expiring_soon", 40},
          {"debt", 0},
          {"next_expiry", "2026-12-31T15:59:59Z"}}},
        {"tier",
         {{"id", "premium"}, {"name", {{"zh", "高级"}, {"en", "Premium"}}}, {"valid_until", nullptr}, {"percent", 57}}},
        {"coupons", {{"available", 2}, {"used", 1}, {"expired", 0}, {"voided", 0}}},
        {"purchases", 115},
        {"name", "李*"},
        {"phone", "138****0002"},
        {"segment", "active"}};
    auto v = j.get<StaffMemberView>();
    CHECK(v.id == 12);
    CHECK(v.level == 2);
    CHECK(v.joined_store == std::optional<std::string>("store-001"));
    CHECK(v.points.balance == 524);
    CHECK(v.tier.name.en == "Premium");
    CHECK(v.tier.percent == 57);
    CHECK(v.coupons.available == 2);
    CHECK(v.purchases == 115);
    CHECK(v.name == std::optional<std::string>("李*"));
    CHECK(v.phone == std::optional<std::string>("138****0002"));
    CHECK(v.segment == std::optional<std::string>("active"));
    for (const char* k : {"name", "phone", "segment"}) j.erase(k);
    j["level"] = 1;
    j["joined_store"] = nullptr;
    auto one = j.get<StaffMemberView>();
    CHECK(one.level == 1);
    CHECK_FALSE(one.name);
    CHECK_FALSE(one.phone);
    CHECK_FALSE(one.joined_store);
}

TEST_CASE("a counter redemption's answer gives the discount and the amount to pay") {
    json j = {{"code", "C7K2M9QX"},
              {"txn_id", "T1002"},
              {"order_amount", 15000},
              {"discount", 1000},
              {"pay_amount", 14000},
              {"kind", "threshold"},
              {"title", {{"zh", "满100减10"}, {"en", "¥10 off ¥100"}}},
              {"member_id", 12}};
    auto r = j.get<StaffRedeemView>();
    CHECK(r.discount == 1000);
    CHECK(r.pay_amount == 14000);
    CHECK(r.order_amount == 15000);
    CHECK(r.title.en == "¥10 off ¥100");
    CHECK(r.member_id == 12);
    CHECK_FALSE(r.item);
    j["item"] = {{"zh", "咖啡"}, {"en", "Coffee"}};
    CHECK(j.get<StaffRedeemView>().item->zh == "咖啡");
    auto me = json{{"id", 3},
                   {"username", "clerk"},
                   {"name", "Li Clerk"},
                   {"role", "clerk"},
                   {"store", "store-001"},
                   {"region", nullptr},
                   {"expires_at", "2026-03-20T18:00:00Z"}}
                  .get<StaffSessionView>();
    CHECK(me.store == std::optional<std::string>("store-001"));
    CHECK_FALSE(me.region);
}

}  // namespace staff_counter_rules_test
