// The portal's self-service screens against a fake server: sign-up, PIN reset, profile edits,
// privacy choices and the inbox with its unread badge and its pages (domain.md §7).
#include "harness.hpp"

using namespace mdtest;

namespace self_service_test {

namespace {

json body_of(const HttpRequest* r) {
    REQUIRE(r);
    return json::parse(r->body);
}

bool checked(const Harness& h, const std::string& id) {
    const MirrorNode* n = h.node(id);
    return n && n->checked;
}

void to_details(Harness& h) {
    h.boot();
    h.click("signin.sign_up");
    h.type("signup.phone", "13900000001");
    h.click("signup.send");
    REQUIRE(h.answer("POST /api/v1/auth/signup/start", 202, json{{"expires_at", "2026-03-20T09:56:40Z"}}));
    h.type("signup.code", "123456");
    h.click("signup.continue");
    REQUIRE(h.has("signup.name"));
}

}  // namespace

TEST_CASE("sign-up: phone, code, then name, PIN and consents sign the new member in") {
    Harness h;
    h.boot();
    h.click("signin.sign_up");
    CHECK(h.app().ui_state().screen == Screen::sign_up);
    CHECK(h.node("signup.send")->disabled);
    h.type("signup.phone", "13900000001");
    h.click("signup.send");
    CHECK(body_of(h.http.last("POST /api/v1/auth/signup/start"))["phone"] == "13900000001");
    REQUIRE(h.answer("POST /api/v1/auth/signup/start", 202, json{{"expires_at", "2026-03-20T09:56:40Z"}}));
    CHECK(h.text().find("We sent a 6-digit code to 13900000001") != std::string::npos);
    CHECK(h.node("signup.resend")->disabled);  // one code a minute
    h.type("signup.code", "123456");
    h.click("signup.continue");

    // Terms required; the other consents start off.
    CHECK(checked(h, "signup.marketing.0"));
    CHECK(checked(h, "signup.offers.0"));
    CHECK_FALSE(checked(h, "signup.terms.1"));
    h.type("signup.name", "Ann Lee");
    h.type("signup.pin", "246810");
    h.frame();
    CHECK(h.node("signup.submit")->disabled);
    h.click("signup.terms.1");
    h.frame();
    CHECK_FALSE(h.node("signup.submit")->disabled);
    h.click("signup.submit");
    const json b = body_of(h.http.last("POST /api/v1/auth/signup/verify"));
    CHECK(b["phone"] == "13900000001");
    CHECK(b["code"] == "123456");
    CHECK(b["pin"] == "246810");
    CHECK(b["name"] == "Ann Lee");
    CHECK(b["channel"] == "portal");
    CHECK(b["consents"] == json{{"terms", true}, {"marketing", false}, {"personalised_offers", false}});
    REQUIRE(h.answer("POST /api/v1/auth/signup/verify", 201,
                     json{{"token", "newtok"}, {"expires_at", "2026-03-20T10:16:40Z"}, {"member_id", 42}}));
    h.frames(2);
    CHECK(h.platform.session["memberdesk.token"] == "newtok");
    CHECK(h.app().ui_state().screen == Screen::home);
    CHECK(h.app().ui_state().sign_up.flow.pin.empty());
    CHECK(h.http.waiting("GET /api/v1/me") > 0);
}

TEST_CASE("sign-up: a wrong code goes back to the code step and says so") {
    Harness h;
    to_details(h);
    h.type("signup.name", "Ann");
    h.type("signup.pin", "246810");
    h.click("signup.terms.1");
    h.click("signup.submit");
    REQUIRE(h.answer("POST /api/v1/auth/signup/verify", 400,
                     json{{"error", {{"code", "invalid_code"}, {"message", "code"}}}}));
    CHECK(h.app().ui_state().sign_up.flow.step() == CodeFlow::Step::code);
    CHECK(h.has("signup.error"));
    CHECK(h.label("signup.error").find("not right") != std::string::npos);
    CHECK(h.node("signup.code")->value.empty());
}

TEST_CASE("sign-up: too many codes is said in words") {
    Harness h;
    h.boot();
    h.click("signin.sign_up");
    h.type("signup.phone", "13900000001");
    h.click("signup.send");
    REQUIRE(h.answer("POST /api/v1/auth/signup/start", 429,
                     json{{"error", {{"code", "too_many_codes"}, {"message", "x"}}}}));
    CHECK(h.app().ui_state().sign_up.flow.step() == CodeFlow::Step::phone);
    CHECK(h.label("signup.error").find("too often") != std::string::npos);
}

TEST_CASE("PIN reset: the same sentence for any phone, then the new PIN, then sign in with the phone filled in") {
    Harness h;
    h.boot();
    h.click("signin.forgot");
    CHECK(h.app().ui_state().screen == Screen::pin_reset);
    h.type("reset.phone", "13800000001");
    h.click("reset.send");
    REQUIRE(h.answer("POST /api/v1/auth/pin-reset/start", 202, json{{"expires_at", "2026-03-20T09:56:40Z"}}));
    CHECK(h.label("reset.sent").find("If 13800000001 belongs to a membership") != std::string::npos);
    h.type("reset.code", "654321");
    h.click("reset.continue");
    h.type("reset.pin", "135790");
    h.click("reset.submit");
    const json b = body_of(h.http.last("POST /api/v1/auth/pin-reset/verify"));
    CHECK(b["phone"] == "13800000001");
    CHECK(b["code"] == "654321");
    CHECK(b["pin"] == "135790");
    CHECK_FALSE(b.contains("name"));
    REQUIRE(h.answer("POST /api/v1/auth/pin-reset/verify", 200, json::object()));
    CHECK(h.has("reset.done"));
    h.click("reset.sign_in");
    CHECK(h.app().ui_state().screen == Screen::sign_in);
    CHECK(h.node("signin.phone")->value == "13800000001");
}

TEST_CASE("profile: the name can be changed and the birthday set once") {
    Harness h;
    json me = me_json();
    me["profile"].erase("birthday");
    h.sign_in(me);
    h.click("nav.profile");
    h.click("profile.name.edit");
    h.type("profile.name.input", "Wang Ming");
    h.click("profile.name.save");
    CHECK(body_of(h.http.last("PATCH /api/v1/me")) == json{{"name", "Wang Ming"}});
    json after = me;
    after["profile"]["name"] = "Wang Ming";
    REQUIRE(h.answer("PATCH /api/v1/me", 200, after));
    CHECK(h.has("profile.saved"));
    CHECK(h.label("profile.name").find("Wang Ming") != std::string::npos);

    REQUIRE(h.has("profile.birthday.input"));
    h.type("profile.birthday.input", "1990-05-12");
    h.click("profile.birthday.save");
    CHECK(body_of(h.http.last("PATCH /api/v1/me")) == json{{"birthday", "1990-05-12"}});
    after["profile"]["birthday"] = "1990-05-12";
    REQUIRE(h.answer("PATCH /api/v1/me", 200, after));
    CHECK_FALSE(h.has("profile.birthday.input"));
    CHECK(h.has("profile.birthday"));
}

TEST_CASE("privacy choices: current choices, a change is sent alone, the history is listed") {
    Harness h;
    h.sign_in();
    h.click("nav.profile");
    h.click("profile.consents");
    CHECK(h.app().ui_state().screen == Screen::consents);
    REQUIRE(h.answer("GET /api/v1/me/consents", 200, consents_json()));
    CHECK(checked(h, "consents.reminders.1"));
    CHECK(checked(h, "consents.marketing.0"));
    CHECK(checked(h, "consents.offers.0"));
    CHECK(h.node("consents.save")->disabled);
    CHECK(h.has("consents.history.0"));
    CHECK(h.label("consents.history.1").find("Marketing messages: Off (member centre, version 2026-01)") !=
          std::string::npos);
    h.click("consents.offers.1");
    h.frame();
    h.click("consents.save");
    CHECK(body_of(h.http.last("PUT /api/v1/me/consents")) ==
          json{{"channel", "portal"}, {"personalised_offers", true}});
    json now = consents_json();
    now["current"]["personalised_offers"] = true;
    now["history"].push_back(json{{"purpose", "personalised_offers"},
                                  {"granted", true},
                                  {"text_version", "2026-01"},
                                  {"channel", "portal"},
                                  {"at", "2026-03-20T09:50:00Z"}});
    REQUIRE(h.answer("PUT /api/v1/me/consents", 200, now));
    CHECK(h.has("consents.saved"));
    CHECK(checked(h, "consents.offers.1"));
    CHECK(h.has("consents.history.2"));
    CHECK(h.http.waiting("GET /api/v1/me") > 0);  // home's offers follow the choice
}

TEST_CASE("inbox: the unread count is on the menu; opening the inbox shows the messages and reads them") {
    Harness h;
    h.sign_in();
    REQUIRE(h.answer("GET /api/v1/me/messages", 200, inbox_json()));
    CHECK(h.label("nav.inbox") == "Messages (1 new)");
    h.click("nav.inbox");
    REQUIRE(h.answer("GET /api/v1/me/messages", 200, inbox_json()));
    CHECK(h.has("inbox.2.new"));
    CHECK(h.text().find("Welcome to Coffee Rewards, Wang!") != std::string::npos);
    CHECK(body_of(h.http.last("POST /api/v1/me/messages/read")) == json{{"up_to_id", 2}});
    h.frame();
    CHECK(h.label("nav.inbox") == "Messages");
}

namespace {

// A page of the inbox: messages `from_id` down to `to_id` (the first one unread), then `next`.
json inbox_page(int from_id, int to_id, const json& next, int unread) {
    json messages = json::array();
    for (int id = from_id; id >= to_id; --id)
        messages.push_back(json{{"id", id},
                                {"template", "welcome"},
                                {"text", "Message number " + std::to_string(id)},
                                {"created_at", "2026-03-20T09:40:00Z"},
                                {"read", id != from_id || unread == 0}});
    return json{{"messages", messages}, {"unread", unread}, {"next_cursor", next}};
}

}  // namespace

TEST_CASE("inbox: Load more fetches the page after the cursor and adds it below, until there is none") {
    Harness h;
    h.sign_in();
    REQUIRE(h.answer("GET /api/v1/me/messages", 200, inbox_page(5, 4, "4", 1)));
    h.click("nav.inbox");
    REQUIRE(h.answer("GET /api/v1/me/messages", 200, inbox_page(5, 4, "4", 1)));
    REQUIRE(h.has("inbox.more"));
    CHECK(h.label("inbox.more") == "Load more");
    CHECK_FALSE(h.has("inbox.3"));
    h.click("inbox.more");
    REQUIRE(h.http.last("GET /api/v1/me/messages"));
    CHECK(h.http.last("GET /api/v1/me/messages")->url == "/api/v1/me/messages?limit=50&cursor=4");
    CHECK(h.has("inbox.loading_more"));
    CHECK_FALSE(h.has("inbox.more"));
    REQUIRE(h.answer("GET /api/v1/me/messages", 200, inbox_page(3, 2, "2", 0)));
    CHECK(h.has("inbox.5"));
    CHECK(h.has("inbox.2"));
    CHECK(h.text().find("Message number 3") != std::string::npos);
    h.click("inbox.more");
    CHECK(h.http.last("GET /api/v1/me/messages")->url == "/api/v1/me/messages?limit=50&cursor=2");
    REQUIRE(h.answer("GET /api/v1/me/messages", 200, inbox_page(1, 1, nullptr, 0)));
    CHECK(h.has("inbox.1"));
    CHECK(h.has("inbox.5"));
    CHECK_FALSE(h.has("inbox.more"));
    CHECK_FALSE(h.has("inbox.loading_more"));
    CHECK(h.label("nav.inbox") == "Messages");
}

TEST_CASE("inbox: a page that fails to load is said in words, and the messages shown stay") {
    Harness h;
    h.sign_in();
    REQUIRE(h.answer("GET /api/v1/me/messages", 200, inbox_page(5, 4, "4", 0)));
    h.click("nav.inbox");
    REQUIRE(h.answer("GET /api/v1/me/messages", 200, inbox_page(5, 4, "4", 0)));
    h.click("inbox.more");
    REQUIRE(
        h.answer("GET /api/v1/me/messages", 400, json{{"error", {{"code", "invalid_field"}, {"message", "cursor"}}}}));
    CHECK(h.has("inbox.error"));
    CHECK(h.has("inbox.5"));
    CHECK(h.has("inbox.4"));
    CHECK(h.has("inbox.more"));  // the same page can be asked for again
}

TEST_CASE("inbox: in Chinese the button reads 加载更多") {
    Harness h([](FakePlatform& p) { p.lang = "zh-CN"; });
    h.sign_in();
    REQUIRE(h.answer("GET /api/v1/me/messages", 200, inbox_page(5, 4, "4", 0)));
    h.click("nav.inbox");
    REQUIRE(h.answer("GET /api/v1/me/messages", 200, inbox_page(5, 4, "4", 0)));
    CHECK(h.label("inbox.more") == "加载更多");
}

TEST_CASE("a link to #/sign-up opens sign-up when signed out, and Home when a session is there") {
    Harness out([](FakePlatform& p) { p.hash = "#/sign-up"; });
    out.boot();
    CHECK(out.app().ui_state().screen == Screen::sign_up);
    CHECK(out.has("signup.phone"));
    Harness in([](FakePlatform& p) {
        p.hash = "#/pin-reset";
        p.session["memberdesk.token"] = "tok123";
    });
    in.boot();
    CHECK(in.app().ui_state().screen == Screen::home);
}

}  // namespace self_service_test
