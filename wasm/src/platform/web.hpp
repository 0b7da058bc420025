// Web glue (emscripten only): the Platform and HttpTransport of the browser, and the DOM bridge
// (web/bridge.js) that carries the accessibility mirror, the hidden IME <input>, touch and routing.
#pragma once
#include <string>
#include <vector>

#include "app/client_state.hpp"
#include "app/mirror.hpp"
#include "app/platform.hpp"

namespace memberdesk::client {
class Shell;
}

namespace memberdesk::client::web {

class WebHttp;

// The browser's runner, shared by every mode (platform/main_web.cpp): WebGL2 window, ImGui, the
// shell and the main loop. Each mode's executable (wasm/src/entry/) passes the one mode it runs, so
// the linker leaves the other modes' screens, texts and codecs out of its wasm.
using InstallMode = void (*)(Shell& shell, WebHttp& http);  // shell.run<SomeMode>(...)
int web_main(AppMode mode, InstallMode install);

class WebPlatform : public Platform {
public:
    std::optional<std::string> session_get(const std::string& key) override;
    void session_set(const std::string& key, const std::string& value) override;
    void session_remove(const std::string& key) override;
    std::optional<std::string> local_get(const std::string& key) override;
    void local_set(const std::string& key, const std::string& value) override;
    void download(const std::string& filename, const std::string& mime, const std::string& data) override;
    void copy_to_clipboard(const std::string& text) override;
    double monotonic_seconds() override;
    std::int64_t unix_now() override;
    void wake_after(double seconds) override;
    std::string preferred_language() override;
    void set_document(const std::string& lang, const std::string& title) override;
    std::string location_hash() override;
    void set_location_hash(const std::string& hash) override;
    std::string location_query() override;
    std::string random_hex(int bytes) override;
    bool online() override;
};

// fetch() with an AbortController timeout; answers come back through md_http_done().
class WebHttp : public HttpTransport {
public:
    void send(HttpRequest request, Done done) override;
};

// Input that arrived through the DOM bridge since the last frame.
struct DomInput {
    std::vector<MirrorEvent> mirror;  // clicks, inputs, focus on mirrored elements
    // One key change or one piece of committed text from the hidden IME input. Kept in one list
    // in the order typed: Enter right after the last digit must reach ImGui after that digit.
    struct Typed {
        std::string key;   // KeyboardEvent.key ("Backspace", "ArrowLeft", "a", ...); "" for text
        std::string text;  // committed text (typing, IME, paste)
        bool down = true;
        bool ctrl = false, shift = false, alt = false, meta = false;
    };
    std::vector<Typed> typed;
    struct Touch {
        int phase = 0;       // 0 start, 1 move, 2 end/cancel
        float x = 0, y = 0;  // canvas pixels
    };
    std::vector<Touch> touches;
    std::string route;      // new location hash after back/forward ("" = none)
    bool ime_blur = false;  // the hidden input lost focus: end text editing
    bool any = false;
};
DomInput dom_poll();
void dom_sync_mirror(const std::string& json);
// Focus (want=true) or release the hidden <input> that receives typing; x, y, h in CSS pixels.
void dom_ime(bool want, float x, float y, float h, bool password, bool numeric);
void dom_first_frame();  // hides the HTML splash, records time to first frame
void dom_set_clipboard_callbacks();

}  // namespace memberdesk::client::web
