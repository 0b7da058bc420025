// The message outbox (domain.md §7): messages reach the webhook at least once, signed with
// HMAC-SHA256 of the body, retried when the receiver fails, kept across a restart; the receiver
// de-duplicates by id. The receiver here is an httplib server on a free port.
#include <sodium.h>

#include "self_service_harness.hpp"

using namespace mdtest;

namespace outbox_test {

namespace {

const std::string kSecret = "webhook-secret-0123456789";
const std::string kPhone = "13900000001";

std::string hmac_hex(const std::string& key, const std::string& body) {
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()), body.size());
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[sizeof mac * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return hex;
}

// A chain's gateway: checks the signature, answers `fail_first` requests with 500, de-duplicates by id.
class Receiver {
public:
    explicit Receiver(int fail_first = 0) : fail_left_(fail_first) {
        svr_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard<std::mutex> l(mu_);
            ++requests_;
            const std::string sig = req.get_header_value("X-Memberdesk-Signature");
            if (sig != "sha256=" + hmac_hex(kSecret, req.body)) {
                ++bad_signatures_;
                res.status = 401;
                return;
            }
            if (fail_left_ > 0) {
                --fail_left_;
                res.status = 500;
                return;
            }
            auto j = json::parse(req.body, nullptr, false);
            if (j.is_object() && j.contains("id") && seen_.insert(j["id"].get<std::string>()).second)
                unique_.push_back(j);
            res.status = 204;
        });
        port_ = svr_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { svr_.listen_after_bind(); });
        svr_.wait_until_ready();
    }
    ~Receiver() {
        svr_.stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
    // Waits up to `seconds` for `n` distinct messages.
    std::vector<json> wait_for(std::size_t n, int seconds = 10) {
        for (int i = 0; i < seconds * 20; ++i) {
            {
                std::lock_guard<std::mutex> l(mu_);
                if (unique_.size() >= n) return unique_;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        std::lock_guard<std::mutex> l(mu_);
        return unique_;
    }
    int requests() {
        std::lock_guard<std::mutex> l(mu_);
        return requests_;
    }
    int bad_signatures() {
        std::lock_guard<std::mutex> l(mu_);
        return bad_signatures_;
    }

private:
    httplib::Server svr_;
    std::thread thread_;
    int port_ = 0;
    std::mutex mu_;
    int fail_left_ = 0, requests_ = 0, bad_signatures_ = 0;
    std::set<std::string> seen_;
    std::vector<json> unique_;
};

ServerOptions with_webhook(std::shared_ptr<SentCodes> codes, const std::string& url) {
    ServerOptions o;
    o.configure = [url](AppConfig& c) {
        c.notify_webhook = url;
        c.notify_secret = kSecret;
        c.notify_first_retry_seconds = 1;
    };
    return capturing(std::move(codes), o);
}

}  // namespace

TEST_CASE("outbox: a sign-up code reaches the webhook once, signed, with every field of the contract") {
    Receiver rx;
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(with_webhook(codes, rx.url()));
    expect_status(srv.post("/api/v1/auth/signup/start", {{"phone", kPhone}, {"locale", "en"}}), 202);
    auto got = rx.wait_for(1);
    REQUIRE(got.size() == 1);
    const json& m = got[0];
    CHECK(m["id"].is_string());
    CHECK(m["to"] == kPhone);
    CHECK(m["channel"] == "webhook");
    CHECK(m["template"] == "signup_code");
    CHECK(m["locale"] == "en");
    CHECK(m["created_at"] == kStart);
    CHECK(m["params"]["code"] == codes->last(kPhone));
    CHECK(m["text"].get<std::string>().find(codes->last(kPhone)) != std::string::npos);
    CHECK(rx.bad_signatures() == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    CHECK(rx.requests() == 1);
}

TEST_CASE("outbox: once delivered, a code's text is no longer stored") {
    Receiver rx;
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(with_webhook(codes, rx.url()));
    expect_status(srv.post("/api/v1/auth/signup/start", {{"phone", kPhone}}), 202);
    REQUIRE(rx.wait_for(1).size() == 1);
    const std::string code = codes->last(kPhone);
    for (int i = 0; i < 40; ++i) {  // the sender records the delivery right after the answer
        auto m = in_store(srv, [](memberdesk::server::SelfTx& st, auto&) { return st.message(1); });
        if (m && m->delivered_at) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    auto m = in_store(srv, [](memberdesk::server::SelfTx& st, auto&) { return st.message(1); });
    REQUIRE(m);
    CHECK(m->delivered_at.has_value());
    CHECK(!m->next_attempt_at.has_value());
    CHECK(m->text.find(code) == std::string::npos);
    CHECK(m->params.find(code) == std::string::npos);
}

TEST_CASE("outbox: a receiver that fails gets the same message again within 30 seconds until it answers 2xx") {
    Receiver rx(2);
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(with_webhook(codes, rx.url()));
    srv.create_member(kPhone);
    expect_status(srv.post("/api/v1/auth/pin-reset/start", {{"phone", kPhone}}), 202);
    auto got = rx.wait_for(1, 15);
    REQUIRE(got.size() == 1);
    CHECK(got[0]["template"] == "pin_reset_code");
    CHECK(rx.requests() == 3);  // two failures, then the delivery
}

TEST_CASE("outbox: messages written while the receiver is down are delivered after a restart, one per id") {
    auto codes = std::make_shared<SentCodes>();
    std::string url;
    {
        Receiver probe;  // a free port, closed again: nothing listens there
        url = probe.url();
    }
    TestServer srv(with_webhook(codes, url));
    expect_status(srv.post("/api/v1/auth/signup/start", {{"phone", kPhone}}), 202);
    sign_up(srv, *codes, "13900000002");  // a code and a welcome
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    srv.stop();

    // The same database, a receiver that answers now.
    Receiver rx;
    auto cfg = srv.config();
    cfg.notify_webhook = rx.url();
    RunningApp app(cfg);
    auto got = rx.wait_for(3, 15);
    CHECK(got.size() == 3);
    std::set<std::string> templates;
    for (const auto& m : got) templates.insert(m["template"].get<std::string>());
    CHECK(templates == std::set<std::string>{"signup_code", "welcome"});
}

TEST_CASE("outbox: without a webhook messages are only kept for the inbox, with no code in them") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    expect_status(srv.post("/api/v1/auth/signup/start", {{"phone", kPhone}}), 202);
    auto m = in_store(srv, [](memberdesk::server::SelfTx& st, auto&) { return st.message(1); });
    REQUIRE(m);
    CHECK(!m->next_attempt_at.has_value());
    CHECK(m->text.find(codes->last(kPhone)) == std::string::npos);
    auto due = in_store(srv, [](memberdesk::server::SelfTx& st, auto&) { return st.next_due(); });
    CHECK(!due.has_value());
}

TEST_CASE("outbox: a claimed message is not claimed again until its lease ends") {
    auto codes = std::make_shared<SentCodes>();
    TestServer srv(capturing(codes));
    // Queue one message for delivery by hand (no sender runs in this server).
    auto& store = srv.app().service().store();
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    store.write([&](memberdesk::server::WriteTx& tx) {
        memberdesk::server::MessageRecord r;
        r.uid = "m-1";
        r.recipient = kPhone;
        r.channel = "webhook";
        r.template_id = "welcome";
        r.locale = "zh";
        r.text = r.inbox_text = "hi";
        r.params = "{}";
        r.next_attempt_at = now;
        r.give_up_at = now + 86400;
        tx.self().insert_message(r);
    });
    auto first =
        store.write([&](memberdesk::server::WriteTx& tx) { return tx.self().claim_messages(now, now + 60, 10); });
    auto second =
        store.write([&](memberdesk::server::WriteTx& tx) { return tx.self().claim_messages(now, now + 60, 10); });
    auto after =
        store.write([&](memberdesk::server::WriteTx& tx) { return tx.self().claim_messages(now + 60, now + 120, 10); });
    CHECK(first.size() == 1);
    CHECK(second.empty());
    REQUIRE(after.size() == 1);
    CHECK(after[0].attempts == 2);
    // The first claim's late answer no longer counts: only the current claim records the outcome.
    CHECK(!store.write([&](memberdesk::server::WriteTx& tx) {
        return tx.self().message_delivered(first[0].id, first[0].attempts, now, "hi");
    }));
    CHECK(store.write([&](memberdesk::server::WriteTx& tx) {
        return tx.self().message_delivered(after[0].id, after[0].attempts, now, "hi");
    }));
}

}  // namespace outbox_test
