// Referral (domain.md §7): a member's code and link, sign-up with it, both sides rewarded once at the
// new member's first purchase (coffee: 100 for the referrer, 50 for the friend, 5 a month per
// referrer), the full refund of that purchase taking both back, and the export.
#include "self_service_harness.hpp"

using namespace mdtest;

namespace referral_test {

namespace {
const std::string kReferrer = "13800000100";

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

json referral(TestServer& srv, const std::string& token) {
    return expect_status(srv.get("/api/v1/me/referral", bearer(token)), 200);
}

// Sign-up with a referral code; returns the verify answer.
json join_with(TestServer& srv, SentCodes& codes, const std::string& phone, const std::string& code) {
    expect_status(srv.post("/api/v1/auth/signup/start", {{"phone", phone}}), 202);
    return expect_status(srv.post("/api/v1/auth/signup/verify", {{"phone", phone},
                                                                 {"code", codes.last(phone)},
                                                                 {"pin", "123456"},
                                                                 {"name", "朋友"},
                                                                 {"consents", all_consents()},
                                                                 {"referral_code", code}}),
                         201);
}

// Points of the member's ledger entries with this English reason.
std::int64_t points_for(TestServer& srv, const std::string& token, const std::string& reason_en) {
    std::int64_t sum = 0;
    for (const auto& e : srv.ledger_all(token))
        if (e["reason"]["en"] == reason_en) sum += e["points"].get<std::int64_t>();
    return sum;
}

const char* const kFriendReward = "Referral reward for your first purchase";
const char* const kReferrerReward = "Referral reward: a friend you invited made a first purchase";

std::vector<std::string> audit_actions(TestServer& srv, std::int64_t member_id) {
    auto rows = in_store(srv, [&](auto&, memberdesk::server::ReadTx& tx) { return tx.audit(member_id, 100); });
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.action);
    return out;
}
}  // namespace

TEST_CASE("referral: a member's code is 8 unambiguous characters, the same at every ask, with the portal link") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kReferrer);
    const std::string token = srv.login(kReferrer);
    auto r = referral(srv, token);
    const std::string code = r["code"].get<std::string>();
    CHECK(code.size() == 8);
    CHECK(code.find_first_not_of("23456789ABCDEFGHJKMNPQRSTVWXYZ") == std::string::npos);
    CHECK(r["url"].get<std::string>().size() > code.size());
    CHECK(ends_with(r["url"].get<std::string>(), "/?ref=" + code));
    CHECK(starts_with(r["url"].get<std::string>(), "http://"));
    CHECK(r["invited"] == 0);
    CHECK(r["rewarded"] == 0);
    CHECK(referral(srv, token)["code"] == code);
    // Another member gets another code.
    srv.create_member("13800000101");
    CHECK(referral(srv, srv.login("13800000101"))["code"] != code);
}

TEST_CASE("referral: a friend who joins with the code and buys for the first time earns both sides the reward once") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    const auto referrer_id = srv.create_member(kReferrer);
    const std::string referrer = srv.login(kReferrer);
    const std::string code = referral(srv, referrer)["code"].get<std::string>();

    auto joined = join_with(srv, *codes, "13900000201", code);
    const std::string friend_token = joined["token"].get<std::string>();
    const auto friend_id = joined["member_id"].get<std::int64_t>();
    CHECK(srv.balance(friend_token) == 0);  // nothing before the first purchase
    CHECK(referral(srv, referrer)["invited"] == 1);
    CHECK(referral(srv, referrer)["rewarded"] == 0);

    auto first = srv.buy("RF1", std::to_string(friend_id), 12800);  // 12 points
    CHECK(first["points_earned"] == 12);
    CHECK(first["points"]["balance"] == 12 + 50);
    CHECK(points_for(srv, friend_token, kFriendReward) == 50);
    CHECK(points_for(srv, referrer, kReferrerReward) == 100);
    CHECK(srv.balance(referrer) == 100);

    // A second purchase, and the first one again, reward nobody.
    srv.buy("RF2", std::to_string(friend_id), 12800);
    srv.buy("RF1", std::to_string(friend_id), 12800);
    CHECK(points_for(srv, friend_token, kFriendReward) == 50);
    CHECK(points_for(srv, referrer, kReferrerReward) == 100);
    CHECK(srv.balance(friend_token) == 12 + 50 + 12);
    auto counts = referral(srv, referrer);
    CHECK(counts["invited"] == 1);
    CHECK(counts["rewarded"] == 1);

    const auto actions = audit_actions(srv, referrer_id);
    CHECK(std::count(actions.begin(), actions.end(), "referral_reward") == 1);
}

TEST_CASE("referral: a code of nobody is refused and the one-time code still signs the person up") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    const std::string phone = "13900000301";
    expect_status(srv.post("/api/v1/auth/signup/start", {{"phone", phone}}), 202);
    json body = {{"phone", phone},
                 {"code", codes->last(phone)},
                 {"pin", "123456"},
                 {"name", "朋友"},
                 {"consents", all_consents()}};
    for (const char* bad : {"ABC", "ABCDEFG0", "ABCDEFGH"}) {
        INFO(bad);
        body["referral_code"] = bad;
        expect_error(srv.post("/api/v1/auth/signup/verify", body), 400, "invalid_referral_code");
    }
    body.erase("referral_code");
    auto v = expect_status(srv.post("/api/v1/auth/signup/verify", body), 201);
    // No referral: the first purchase earns only its own points.
    auto first = srv.buy("RN1", std::to_string(v["member_id"].get<std::int64_t>()), 12800);
    CHECK(first["points"]["balance"] == 12);
}

TEST_CASE("referral: a typed code is read in lower case and with dashes") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kReferrer);
    const std::string referrer = srv.login(kReferrer);
    std::string code = referral(srv, referrer)["code"].get<std::string>();
    std::string typed = code.substr(0, 4) + "-" + code.substr(4);
    for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto joined = join_with(srv, *codes, "13900000401", typed);
    srv.buy("RT1", std::to_string(joined["member_id"].get<std::int64_t>()), 5000);
    CHECK(srv.balance(referrer) == 100);
}

TEST_CASE(
    "referral: the referrer's rewards stop at the monthly cap, the friends still earn theirs, and a new month starts "
    "again") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kReferrer);
    const std::string referrer = srv.login(kReferrer);
    const std::string code = referral(srv, referrer)["code"].get<std::string>();
    std::vector<std::pair<std::int64_t, std::string>> friends;
    for (int i = 0; i < 6; ++i) {
        auto j = join_with(srv, *codes, "1390000050" + std::to_string(i), code);
        friends.emplace_back(j["member_id"].get<std::int64_t>(), j["token"].get<std::string>());
    }
    for (std::size_t i = 0; i < friends.size(); ++i)
        srv.buy("RC" + std::to_string(i), std::to_string(friends[i].first), 5000);
    for (const auto& f : friends) CHECK(points_for(srv, f.second, kFriendReward) == 50);
    CHECK(points_for(srv, srv.login(kReferrer), kReferrerReward) == 5 * 100);
    auto counts = referral(srv, srv.login(kReferrer));
    CHECK(counts["invited"] == 6);
    CHECK(counts["rewarded"] == 5);

    srv.set_clock("2026-04-02T02:00:00Z");  // April in Shanghai
    auto late = join_with(srv, *codes, "13900000599", code);
    srv.buy("RC9", std::to_string(late["member_id"].get<std::int64_t>()), 5000);
    CHECK(points_for(srv, srv.login(kReferrer), kReferrerReward) == 6 * 100);
}

TEST_CASE("referral: refunding the first purchase in full takes both rewards back, a partial refund does not") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    const auto referrer_id = srv.create_member(kReferrer);
    const std::string referrer = srv.login(kReferrer);
    const std::string code = referral(srv, referrer)["code"].get<std::string>();
    auto joined = join_with(srv, *codes, "13900000601", code);
    const std::string friend_token = joined["token"].get<std::string>();
    srv.buy("RR1", std::to_string(joined["member_id"].get<std::int64_t>()), 20000);  // 20 + 50
    CHECK(srv.balance(referrer) == 100);

    auto part = expect_status(
        srv.post("/api/v1/pos/refunds", {{"txn_id", "RR1"}, {"refund_id", "RR1-a"}, {"amount", 5000}}, pos()), 201);
    CHECK(part["points"]["balance"] == 15 + 50);
    CHECK(srv.balance(referrer) == 100);

    auto rest = expect_status(
        srv.post("/api/v1/pos/refunds", {{"txn_id", "RR1"}, {"refund_id", "RR1-b"}, {"amount", 15000}}, pos()), 201);
    CHECK(rest["points"]["balance"] == 0);
    CHECK(points_for(srv, friend_token, "Referral reward taken back: first purchase refunded") == -50);
    CHECK(points_for(srv, referrer, "Referral reward taken back: your friend's first purchase was refunded") == -100);
    CHECK(srv.balance(referrer) == 0);
    CHECK(referral(srv, referrer)["rewarded"] == 0);
    CHECK(referral(srv, referrer)["invited"] == 1);
    const auto actions = audit_actions(srv, referrer_id);
    CHECK(std::count(actions.begin(), actions.end(), "referral_clawback") == 1);

    // The same refund again is answered from its record: nothing is taken twice.
    expect_status(
        srv.post("/api/v1/pos/refunds", {{"txn_id", "RR1"}, {"refund_id", "RR1-b"}, {"amount", 15000}}, pos()), 201);
    CHECK(srv.balance(referrer) == 0);
    CHECK(srv.me(referrer)["points"]["debt"] == 0);
}

std::vector<json> inbox(TestServer& srv, const std::string& token) {
    auto j = expect_status(srv.get("/api/v1/me/messages", bearer(token)), 200);
    return j["messages"].get<std::vector<json>>();
}

TEST_CASE(
    "referral: the referrer's inbox says when a friend's first purchase rewards them and when its refund takes it "
    "back") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kReferrer);
    const std::string referrer = srv.login(kReferrer);
    const std::string code = referral(srv, referrer)["code"].get<std::string>();
    auto joined = join_with(srv, *codes, "13900000701", code);
    CHECK(inbox(srv, referrer).empty());  // joining alone rewards nobody

    srv.buy("RM1", std::to_string(joined["member_id"].get<std::int64_t>()), 20000);
    auto box = inbox(srv, referrer);
    REQUIRE(box.size() == 1);
    CHECK(box[0]["template"] == "referral_rewarded");
    const std::string text = box[0]["text"].get<std::string>();
    CHECK(text.find("100") != std::string::npos);
    CHECK(text.find("13900000701") == std::string::npos);  // nothing about who the friend is

    srv.buy("RM2", std::to_string(joined["member_id"].get<std::int64_t>()), 20000);
    expect_status(srv.post("/api/v1/pos/refunds", {{"txn_id", "RM1"}, {"refund_id", "RM1-a"}, {"amount", 5000}}, pos()),
                  201);
    CHECK(inbox(srv, referrer).size() == 1);  // a second purchase and a partial refund say nothing

    expect_status(
        srv.post("/api/v1/pos/refunds", {{"txn_id", "RM1"}, {"refund_id", "RM1-b"}, {"amount", 15000}}, pos()), 201);
    box = inbox(srv, referrer);
    REQUIRE(box.size() == 2);
    CHECK(box[0]["template"] == "referral_taken_back");
    CHECK(box[0]["text"].get<std::string>().find("100") != std::string::npos);
}

TEST_CASE("referral: a referrer who refused reminders still gets the points but no message") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kReferrer);
    const std::string referrer = srv.login(kReferrer);
    expect_status(srv.put("/api/v1/me/consents", {{"reminders", false}}, bearer(referrer)), 200);
    const std::string code = referral(srv, referrer)["code"].get<std::string>();
    auto joined = join_with(srv, *codes, "13900000801", code);
    srv.buy("RN1", std::to_string(joined["member_id"].get<std::int64_t>()), 20000);
    CHECK(srv.balance(referrer) == 100);
    CHECK(inbox(srv, referrer).empty());
}

TEST_CASE("referral: the export holds the member's code, the code they joined with and the friends they invited") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kReferrer);
    const std::string referrer = srv.login(kReferrer);
    const std::string code = referral(srv, referrer)["code"].get<std::string>();
    auto joined = join_with(srv, *codes, "13900000701", code);
    srv.buy("RE1", std::to_string(joined["member_id"].get<std::int64_t>()), 5000);

    auto mine = expect_status(srv.get("/api/v1/me/export", bearer(referrer)), 200)["referral"];
    CHECK(mine["code"] == code);
    CHECK(mine["joined_with_code"].is_null());
    REQUIRE(mine["invited"].size() == 1);
    CHECK(mine["invited"][0]["points"] == 100);
    CHECK(mine["invited"][0]["rewarded_at"].is_string());

    auto theirs =
        expect_status(srv.get("/api/v1/me/export", bearer(joined["token"].get<std::string>())), 200)["referral"];
    CHECK(theirs["code"].is_null());
    CHECK(theirs["joined_with_code"]["code"] == code);
    CHECK(theirs["joined_with_code"]["points"] == 50);
    CHECK(theirs["invited"].empty());
}

TEST_CASE("referral: the referral route is the member's own, not the kiosk's") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    srv.create_member(kReferrer);
    expect_error(srv.get("/api/v1/me/referral"), 401, "unauthorized");
    const std::string kiosk = srv.kiosk_login({{"phone", kReferrer}, {"pin", "123456"}});
    expect_error(srv.get("/api/v1/me/referral", bearer(kiosk)), 403, "forbidden");
}

}  // namespace referral_test
