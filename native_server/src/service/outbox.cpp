// The outbox sender: claims due messages (a lease, so one delivery per message is in flight even
// with several processes on one database), POSTs each to the webhook, and records the outcome.
// A crash between claim and record leaves the claim to expire: the message is sent again after the
// lease (at least once; receivers de-duplicate by id).
//
// cpp-httplib is included here with TLS support under a namespace of its own, so HTTPS webhooks
// work while the rest of the server uses the plain build without clashing definitions.
#define CPPHTTPLIB_OPENSSL_SUPPORT
#define httplib memberdesk_outbox_httplib
#include <httplib.h>
#undef httplib

#include <openssl/hmac.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "memberdesk/codes.hpp"
#include "memberdesk/program.hpp"
#include "memberdesk/views.hpp"
#include "service/crypto.hpp"
#include "service/outbox.hpp"
#include "storage/self_store.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

namespace {
std::int64_t wall_now() { return static_cast<std::int64_t>(std::time(nullptr)); }
}  // namespace

std::int64_t queue_message(SelfTx& tx, const QueuedMessage& m, const std::string& program_name, bool deliver,
                           int code_lifetime_seconds) {
    MessageText t = message_text(m.template_id, m.locale, m.code, mask_phone(m.phone), program_name);
    if (m.text) t.text = *m.text;
    if (m.inbox) t.inbox = *m.inbox;
    MessageRecord r;
    r.uid = crypto::base64url(crypto::random_bytes(16));
    r.member_id = m.member_id;
    r.recipient = m.phone;
    r.channel = "webhook";
    r.template_id = m.template_id;
    r.locale = m.locale;
    r.inbox_text = t.inbox;
    r.created_at = m.created_at;
    const std::int64_t wall = wall_now();
    if (deliver) {
        r.text = t.text;
        r.params = m.code.empty() ? m.params : nlohmann::json{{"code", m.code}}.dump();
        r.next_attempt_at = wall;
        r.give_up_at = wall + (m.code.empty() ? 24 * 3600 : code_lifetime_seconds);
    } else {
        // Nothing will send it: keep no code at all.
        r.text = t.inbox;
        r.params = "{}";
        r.give_up_at = wall;
    }
    return tx.insert_message(r);
}

std::map<std::string, bool> member_consents(SelfTx& tx, std::int64_t member_id) {
    std::map<std::string, bool> c{{"reminders", true}, {"marketing", false}};
    for (const auto& r : tx.consents_of(member_id)) c[r.purpose] = r.granted;
    return c;
}

std::string member_message_locale(SelfTx& tx, std::int64_t member_id) {
    auto last = tx.messages_of(member_id, std::nullopt, 1);
    return !last.empty() && last[0].locale == "en" ? "en" : "zh";
}

std::string webhook_signature(const std::string& secret, const std::string& body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
    return "sha256=" + crypto::hex(std::string(reinterpret_cast<const char*>(mac), len));
}

OutboxSender::OutboxSender(Store& store, OutboxOptions options) : store_(store), opt_(std::move(options)) {}
OutboxSender::~OutboxSender() { stop(); }

void OutboxSender::start() {
    if (thread_.joinable()) return;
    {
        std::lock_guard<std::mutex> l(mu_);
        stop_ = false;
    }
    thread_ = std::thread([this] { loop(); });
}

void OutboxSender::stop() {
    {
        std::lock_guard<std::mutex> l(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void OutboxSender::wake() {
    {
        std::lock_guard<std::mutex> l(mu_);
        woken_ = true;
    }
    cv_.notify_all();
}

void OutboxSender::loop() {
    while (true) {
        try {
            run_once();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "memberdesk: outbox: %s\n", e.what());
        }
        std::unique_lock<std::mutex> l(mu_);
        cv_.wait_for(l, std::chrono::milliseconds(opt_.poll_ms), [&] { return stop_ || woken_; });
        woken_ = false;
        if (stop_) return;
    }
}

int OutboxSender::run_once() {
    const std::int64_t now = wall_now();
    auto due = store_.read([](ReadTx& tx) { return tx.self().next_due(); });
    if (!due || *due > now) return 0;
    auto batch = store_.write([&](WriteTx& tx) { return tx.self().claim_messages(now, now + opt_.lease_seconds, 20); });
    int delivered = 0;
    for (const MessageRecord& m : batch) {
        if (wall_now() >= m.give_up_at) {
            store_.write([&](WriteTx& tx) { tx.self().message_failed(m.id, m.attempts, std::nullopt, "expired"); });
            continue;
        }
        nlohmann::json params = nlohmann::json::parse(m.params, nullptr, false);
        if (params.is_discarded()) params = nlohmann::json::object();
        const nlohmann::json j = {{"id", m.uid},          {"to", m.recipient},
                                  {"channel", m.channel}, {"template", m.template_id},
                                  {"locale", m.locale},   {"text", m.text},
                                  {"params", params},     {"created_at", format_rfc3339(m.created_at)}};
        const std::string body = j.dump();
        std::string error;
        bool ok = false;
        try {
            // "scheme://host[:port]" + path.
            const auto scheme_end = opt_.url.find("://");
            const auto path_at = opt_.url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
            const std::string base = path_at == std::string::npos ? opt_.url : opt_.url.substr(0, path_at);
            const std::string path = path_at == std::string::npos ? "/" : opt_.url.substr(path_at);
            memberdesk_outbox_httplib::Client cli(base);
            cli.set_connection_timeout(opt_.timeout_seconds, 0);
            cli.set_read_timeout(opt_.timeout_seconds, 0);
            cli.set_write_timeout(opt_.timeout_seconds, 0);
            memberdesk_outbox_httplib::Headers h = {{"X-Memberdesk-Signature", webhook_signature(opt_.secret, body)},
                                                    {"X-Memberdesk-Message-Id", m.uid}};
            auto res = cli.Post(path, h, body, "application/json");
            if (!res)
                error = "no answer: " + memberdesk_outbox_httplib::to_string(res.error());
            else if (res->status >= 200 && res->status < 300)
                ok = true;
            else
                error = "status " + std::to_string(res->status);
        } catch (const std::exception& e) {
            error = e.what();
        }
        if (ok) {
            store_.write([&](WriteTx& tx) { tx.self().message_delivered(m.id, m.attempts, wall_now(), m.inbox_text); });
            ++delivered;
            continue;
        }
        // Back-off: first retry after first_retry_seconds, then doubling up to max_backoff_seconds.
        std::int64_t delay = opt_.first_retry_seconds;
        for (int i = 1; i < m.attempts && delay < opt_.max_backoff_seconds; ++i) delay *= 2;
        if (delay > opt_.max_backoff_seconds) delay = opt_.max_backoff_seconds;
        const std::int64_t next = wall_now() + delay;
        store_.write([&](WriteTx& tx) {
            tx.self().message_failed(m.id, m.attempts,
                                     next < m.give_up_at ? std::optional<std::int64_t>(next) : std::nullopt, error);
        });
    }
    return delivered;
}

}  // namespace memberdesk::server
