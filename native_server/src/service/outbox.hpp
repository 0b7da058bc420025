// The message outbox (domain.md §7): a message is written in the transaction of the event that
// causes it (queue_message) and delivered at least once by OutboxSender to the chain's webhook,
// signed with HMAC-SHA256; the same rows are the members' inbox.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "memberdesk/time.hpp"

namespace memberdesk::server {

class SelfTx;
class Store;

struct QueuedMessage {
    std::optional<std::int64_t> member_id;
    std::string phone;
    std::string template_id, locale = "zh";
    std::string code;  // one-time code templates only: in the sent text, never in the inbox
    UnixSeconds created_at = 0;
    // Texts made by the caller (scheduled reach), instead of the template's; params: a JSON object.
    std::optional<std::string> text, inbox;
    std::string params = "{}";
};

// Inside the event's write transaction. `deliver`: queue it for the sender (a webhook is configured);
// else it is only stored (inbox). A code's message is not sent once the code has expired.
std::int64_t queue_message(SelfTx& tx, const QueuedMessage& m, const std::string& program_name, bool deliver,
                           int code_lifetime_seconds);

// A member's current message choices ("reminders", "marketing", ...). No record: reminders yes
// (service messages), marketing no (PIPL: opt-in).
std::map<std::string, bool> member_consents(SelfTx& tx, std::int64_t member_id);

// The language of a member's messages: that of their latest one (sign-up chose it), else Chinese.
std::string member_message_locale(SelfTx& tx, std::int64_t member_id);

// "sha256=<hex HMAC-SHA256(secret, body)>".
std::string webhook_signature(const std::string& secret, const std::string& body);

struct OutboxOptions {
    std::string url;     // http://host[:port]/path or https://...
    std::string secret;  // HMAC key
    int first_retry_seconds = 10;
    int max_backoff_seconds = 3600;
    int lease_seconds = 60;  // a claimed message is not taken by another sender for this long
    int timeout_seconds = 10;
    int poll_ms = 500;  // how often the database is asked for due messages
};

// One thread delivering due messages; several processes on one database each run one.
class OutboxSender {
public:
    OutboxSender(Store& store, OutboxOptions options);
    ~OutboxSender();  // stops
    void start();
    void stop();
    void wake();  // a message was queued: look now
    // Delivers what is due now, in the calling thread (tests); returns the number delivered.
    int run_once();

private:
    void loop();
    Store& store_;
    OutboxOptions opt_;
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false, woken_ = false;
};

}  // namespace memberdesk::server
