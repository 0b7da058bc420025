// What the platform-neutral client needs from its host, as small interfaces. The web glue
// (wasm/src/platform/*_web.cpp) implements them with fetch, sessionStorage, localStorage and the
// DOM; tests implement them with fakes. Nothing here includes emscripten, GL or ImGui.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace memberdesk::client {

struct HttpRequest {
    std::string method = "GET";
    std::string url;  // relative to the page ("/api/v1/me", "fonts/cjk.ttf")
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    int timeout_ms = 15000;
};

struct HttpResponse {
    int status = 0;             // 0 = the request never got an HTTP answer (network, timeout)
    std::string body;           // bytes (JSON text, or a font file)
    std::string network_error;  // when status == 0
    double retry_after = -1;    // seconds the server asked to wait (Retry-After), -1 = not said
};

// Asynchronous HTTP. `done` is called later, on the main thread, from the platform's event loop
// (never from inside send()), exactly once.
class HttpTransport {
public:
    using Done = std::function<void(HttpResponse)>;
    virtual ~HttpTransport() = default;
    virtual void send(HttpRequest request, Done done) = 0;
};

// Everything else the app asks of its host.
class Platform {
public:
    virtual ~Platform() = default;
    // sessionStorage: the bearer token lives here (gone when the tab closes).
    virtual std::optional<std::string> session_get(const std::string& key) = 0;
    virtual void session_set(const std::string& key, const std::string& value) = 0;
    virtual void session_remove(const std::string& key) = 0;
    // localStorage: settings (language, text size, theme), the offline card; "" removes a key.
    virtual std::optional<std::string> local_get(const std::string& key) = 0;
    virtual void local_set(const std::string& key, const std::string& value) = 0;
    // Save `data` as a file the user downloads (privacy export).
    virtual void download(const std::string& filename, const std::string& mime, const std::string& data) = 0;
    virtual void copy_to_clipboard(const std::string& text) = 0;
    // Clocks: monotonic seconds (animation, retry back-off) and UTC wall clock (expiry display).
    virtual double monotonic_seconds() = 0;
    virtual std::int64_t unix_now() = 0;
    // Ask for a frame at the latest `seconds` from now (idle throttling: nothing redraws otherwise).
    virtual void wake_after(double seconds) = 0;
    // Browser language preference ("zh-CN", "en-US"); empty if unknown.
    virtual std::string preferred_language() = 0;
    // Document state: <html lang>, title, location hash (#/coupons) for back/forward and reloads.
    virtual void set_document(const std::string& lang, const std::string& title) = 0;
    virtual std::string location_hash() = 0;
    virtual void set_location_hash(const std::string& hash) = 0;
    // The page address's query ("?ref=K7M2QX9P"), "" if none: an invitation link pre-fills sign-up.
    virtual std::string location_query() { return {}; }
    // Random bytes as hex (idempotency keys).
    virtual std::string random_hex(int bytes) = 0;
    // The browser believes it has a network (navigator.onLine): a hint; only an answer is proof.
    virtual bool online() { return true; }
};

}  // namespace memberdesk::client
