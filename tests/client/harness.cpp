#include "harness.hpp"

#include <set>

namespace mdtest {

namespace {
json text(const char* en, const char* zh) { return json{{"en", en}, {"zh", zh}}; }
}  // namespace

json me_json(long long balance) {
    return json{
        {"profile",
         {{"id", 12},
          {"name", "Wang Xiaoming"},
          {"phone_masked", "138****5678"},
          {"birthday", "1990-05-12"},
          {"joined_at", "2025-04-01T02:00:00Z"}}},
        {"points",
         {{"balance", balance},
          {"pending", 0},
          {"lifetime_earned", 1890},
          {"expiring_soon", 40},
          {"debt", 0},
          {"next_expiry", "2026-03-31T15:59:59Z"}}},
        {"tier",
         {{"id", "premium"},
          {"name", text("Premium", "优选")},
          {"multiplier_percent", 120},
          {"valid_until", "2027-01-10T15:59:59Z"},
          {"benefits", json::array({text("20% off selected drinks", "指定饮品8折")})},
          {"percent", 45},
          {"next",
           {{"id", "elite"},
            {"name", text("Elite", "尊享")},
            {"remaining_spend", 198000},
            {"remaining_months", 0},
            {"requirement",
             text("Spend ¥1,980 more by 2027-01-10 to reach Elite.", "在2027-01-10前再消费¥1,980即可升级为尊享。")}}},
          {"keep_requirement", text("Spend ¥1,200 in 12 months to keep Premium.", "12个月内消费满¥1,200可保级。")}}},
        {"coupons", {{"available", 2}, {"used", 1}, {"expired", 1}, {"voided", 0}}},
        {"offers",
         json::array({json{{"id", "win_back"},
                           {"title", text("A coffee on us", "请您喝咖啡")},
                           {"body", text("Redeem 500 points for a premium coffee.", "500积分兑换一杯精品咖啡。")},
                           {"reward_id", "coffee_500"}}})},
    };
}

json program_json() {
    return json{
        {"id", "coffee"},
        {"name", text("Coffee Rewards", "咖啡会员")},
        {"currency", "CNY"},
        {"timezone", "Asia/Shanghai"},
        {"tiers", json::array({json{{"id", "standard"},
                                    {"name", text("Standard", "标准")},
                                    {"multiplier_percent", 100},
                                    {"requirement", text("Everyone starts here.", "所有会员")},
                                    {"benefits", json::array()},
                                    {"can_redeem", true}},
                               json{{"id", "premium"},
                                    {"name", text("Premium", "优选")},
                                    {"multiplier_percent", 120},
                                    {"requirement", text("Spend ¥1,200 in 12 months.", "12个月消费满¥1,200")},
                                    {"benefits", json::array({text("20% off selected drinks", "指定饮品8折")})},
                                    {"can_redeem", true}}})},
        {"rules", json::array({json{{"id", "earning"},
                                    {"heading", text("Earning points", "积分获取")},
                                    {"body", text("1 point for every ¥10 you spend.", "每消费¥10得1积分。")}}})},
        {"zone", json::object()}};
}

json coupon(int id, const char* code, const char* state, const char* title) {
    return json{{"id", id},
                {"code", code},
                {"kind", "amount_off"},
                {"state", state},
                {"source", "reward"},
                {"title", text(title, "优惠券")},
                {"conditions", text("Orders over ¥100", "满¥100可用")},
                {"valid_from", "2026-03-01T16:00:00Z"},
                {"valid_until", "2026-04-30T15:59:59Z"},
                {"used_at", std::string(state) == "used" ? json("2026-03-10T04:00:00Z") : json(nullptr)},
                {"used_discount", std::string(state) == "used" ? 1000 : 0}};
}

json coupons_json() {
    return json{{"coupons", json::array({coupon(7, "C7K2M9QX", "available", "¥10 off orders over ¥100"),
                                         coupon(8, "C8AAAA", "available", "Premium coffee"),
                                         coupon(9, "C9USED", "used", "¥20 off"),
                                         coupon(10, "C10OLD", "expired", "Welcome 20% off")})}};
}

json rewards_json(long long balance) {
    return json{{"rewards", json::array({json{{"id", "coffee_500"},
                                              {"name", text("Premium coffee", "精品咖啡")},
                                              {"cost", 500},
                                              {"coupon_title", text("One premium coffee", "精品咖啡一杯")},
                                              {"min_tier", ""},
                                              {"stock_left", nullptr},
                                              {"affordable", balance >= 500},
                                              {"tier_allowed", true},
                                              {"in_stock", true}},
                                         json{{"id", "mug_5000"},
                                              {"name", text("Coffee mug", "咖啡杯")},
                                              {"cost", 5000},
                                              {"coupon_title", text("A mug", "马克杯")},
                                              {"min_tier", ""},
                                              {"stock_left", 3},
                                              {"affordable", false},
                                              {"tier_allowed", true},
                                              {"in_stock", true}}})}};
}

json ledger_json(bool with_cursor) {
    return json{{"entries", json::array({json{{"id", 91},
                                              {"type", "earn"},
                                              {"points", 12},
                                              {"balance_after", 1234},
                                              {"reason", text("Points for a ¥128 purchase", "消费¥128获得积分")},
                                              {"created_at", "2026-03-15T04:12:00Z"},
                                              {"expires_at", "2027-03-31T15:59:59Z"},
                                              {"store", "S001"}},
                                         json{{"id", 90},
                                              {"type", "redeem"},
                                              {"points", -500},
                                              {"balance_after", 1222},
                                              {"reason", text("Redeemed: Premium coffee", "兑换：精品咖啡")},
                                              {"created_at", "2026-02-01T04:12:00Z"},
                                              {"expires_at", nullptr},
                                              {"store", ""}}})},
                {"next_cursor", with_cursor ? json("CUR2") : json(nullptr)}};
}

json redemption_json() {
    return json{{"id", 3},
                {"reward_id", "coffee_500"},
                {"reward_name", text("Premium coffee", "精品咖啡")},
                {"points", 500},
                {"created_at", "2026-03-20T09:46:40Z"},
                {"coupon", coupon(11, "CNEW500", "available", "One premium coffee")},
                {"balance_after", 734}};
}

json card_json() {
    return json{{"member_code", "M1-8f3k2abc"}, {"expires_at", "2026-03-20T09:48:40Z"}, {"refresh_after_seconds", 90}};
}

json inbox_json() {
    return json{{"messages",
                 {{{"id", 2},
                   {"template", "welcome"},
                   {"text", "Welcome to Coffee Rewards, Wang!"},
                   {"created_at", "2026-03-20T09:40:00Z"},
                   {"read", false}},
                  {{"id", 1},
                   {"template", "signup_code"},
                   {"text", "A sign-up code was sent to 139****0001."},
                   {"created_at", "2026-03-20T09:39:00Z"},
                   {"read", true}}}},
                {"unread", 1},
                {"next_cursor", nullptr}};
}

json consents_json() {
    return json{
        {"current", {{"reminders", true}, {"marketing", false}, {"personalised_offers", false}, {"terms", true}}},
        {"text_version", "2026-01"},
        {"history",
         {{{"purpose", "terms"},
           {"granted", true},
           {"text_version", "2026-01"},
           {"channel", "portal"},
           {"at", "2026-03-20T09:40:00Z"}},
          {{"purpose", "marketing"},
           {"granted", false},
           {"text_version", "2026-01"},
           {"channel", "portal"},
           {"at", "2026-03-20T09:40:00Z"}}}}};
}

ShellDriver::ShellDriver(float width, float height) : w_(width), h_(height) {
    ctx_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = ImVec2(w_, h_);
    io.Fonts->Build();  // default font until the shell builds its own atlas
}

ShellDriver::~ShellDriver() {
    ui_.reset();
    shell_.reset();
    ImGui::DestroyContext(ctx_);
}

void ShellDriver::frame(std::vector<MirrorEvent> events) {
    shell_->update();
    shell_->prepare(dpr);
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(w_, h_);
    io.DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    shell_->draw(*ui_, std::move(events));
    ImGui::Render();
    platform.now += 1.0 / 60.0;
}

void ShellDriver::click(const std::string& id) {
    REQUIRE_MESSAGE(has(id), "no mirror node " << id);
    if (refuse_disabled_clicks_) REQUIRE_MESSAGE(!node(id)->disabled, "disabled: " << id);
    frame({MirrorEvent{MirrorEvent::Kind::click, id, ""}});
    frame();
}

void ShellDriver::type(const std::string& id, const std::string& value) {
    REQUIRE_MESSAGE(has(id), "no mirror node " << id);
    frame({MirrorEvent{MirrorEvent::Kind::input, id, value}});
    frame();
}

bool ShellDriver::answer_raw(const std::string& prefix, int status, const std::string& body) {
    const bool ok = http.answer(prefix, status, body);
    frames(2);
    return ok;
}

bool ShellDriver::answer(const std::string& prefix, int status, const json& body) {
    return answer_raw(prefix, status, body.dump());
}

void ShellDriver::answer_start_up(const json& program) {
    http.answer("GET /fonts/ui-latin.ttf", 404, "");
    // The language-switch glyphs: any bytes will do (ImGui's default font is used anyway).
    http.answer("GET /fonts/ui-lang.ttf", 404, "");
    http.answer("GET /api/v1/program", 200, program.dump());
    frames(2);
}

std::string ShellDriver::label(const std::string& id) const {
    const MirrorNode* n = node(id);
    return n ? n->label : std::string("<missing ") + id + ">";
}

Harness::Harness(std::function<void(FakePlatform&)> setup, float width, float height) : ShellDriver(width, height) {
    if (setup) setup(platform);
    app_ = &start_shell<PortalMode>(AppMode::portal);
}

void Harness::sign_in(const json& me) {
    boot();
    type("signin.phone", "13800000001");
    type("signin.pin", "123456");
    click("signin.submit");
    REQUIRE(answer("POST /api/v1/auth/login", 200, json{{"token", "tok123"}, {"expires_at", "2026-03-20T10:16:40Z"}}));
    REQUIRE(answer("GET /api/v1/me", 200, me));
    // navigate(home) may have asked for /me twice (session start + screen); answer any rest.
    while (http.answer("GET /api/v1/me", 200, me.dump())) {}
    frames(2);
}

namespace {
void collect_nodes(const MirrorNode& n, std::vector<const MirrorNode*>& out) {
    out.push_back(&n);
    for (const auto& c : n.children) collect_nodes(c, out);
}
}  // namespace

void check_landmarks_and_headings(const Mirror& mirror, const std::string& where) {
    CAPTURE(where);
    std::vector<const MirrorNode*> nodes;
    collect_nodes(mirror.root(), nodes);
    std::set<std::string> names;
    int last_level = 0, headings = 0;
    for (const MirrorNode* n : nodes) {
        if (n->role == Role::region || n->role == Role::nav || n->role == Role::dialog) {
            CAPTURE(n->id);
            CHECK_FALSE(n->label.empty());
            CHECK_MESSAGE(names.insert(n->label).second,
                          "landmark name used twice: \"" << n->label << "\" (" << n->id << ")");
        }
        if (n->role == Role::heading) {
            CAPTURE(n->id);
            CAPTURE(n->label);
            if (headings++ == 0) CHECK(n->level == 1);
            CHECK_MESSAGE(n->level <= last_level + 1,
                          "heading level skips from h" << last_level << " to h" << n->level);
            last_level = n->level;
        }
    }
    CHECK(headings > 0);
}

}  // namespace mdtest
