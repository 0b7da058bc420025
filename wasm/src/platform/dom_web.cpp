// DOM side of the web glue: storage, downloads, clipboard, document state, and the bridge to
// web/bridge.js (window.MD), which owns the accessibility mirror, the hidden IME input, touch and
// routing. Strings cross as UTF-8; JS-allocated results are freed here.
#include <emscripten.h>

#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "platform/web.hpp"

namespace {

// JavaScript bodies: clang-format would break JS operators such as === (it reads them as C++).
// clang-format off
// Returns a malloc'd UTF-8 copy of a JS string (or 0 for null/undefined).
EM_JS(char*, md_js_storage_get, (int session, const char* key), {
    try {
        var s = session ? window.sessionStorage : window.localStorage;
        var v = s.getItem(UTF8ToString(key));
        if (v === null) return 0;
        var n = lengthBytesUTF8(v) + 1;
        var p = _malloc(n);
        stringToUTF8(v, p, n);
        return p;
    } catch (e) {
        return 0;
    }
});
EM_JS(void, md_js_storage_set, (int session, const char* key, const char* value), {
    try {
        var s = session ? window.sessionStorage : window.localStorage;
        if (value) s.setItem(UTF8ToString(key), UTF8ToString(value));
        else s.removeItem(UTF8ToString(key));
    } catch (e) {
    }
});
EM_JS(void, md_js_download, (const char* name, const char* mime, const char* data, int len), {
    window.MD.download(UTF8ToString(name), UTF8ToString(mime), HEAPU8.slice(data, data + len));
});
EM_JS(void, md_js_copy, (const char* text), { window.MD.copy(UTF8ToString(text)); });
EM_JS(double, md_js_now, (), { return performance.now() / 1000; });
EM_JS(double, md_js_unix_now, (), { return Date.now() / 1000; });
EM_JS(void, md_js_wake_after, (double ms), { window.MD.wakeAfter(ms); });
EM_JS(char*, md_js_string, (int which), {
    var v = "";
    if (which == 0) v = (navigator.languages && navigator.languages[0]) || navigator.language || "";
    if (which == 1) v = location.hash || "";
    if (which == 3) v = location.search || "";
    var n = lengthBytesUTF8(v) + 1;
    var p = _malloc(n);
    stringToUTF8(v, p, n);
    return p;
});
// Only what changed: setting the document's lang, even to its value, costs a style pass.
EM_JS(void, md_js_document, (const char* lang, const char* title), {
    var l = UTF8ToString(lang) == "zh" ? "zh-CN" : "en";
    var t = UTF8ToString(title);
    if (document.documentElement.lang !== l) document.documentElement.lang = l;
    if (document.title !== t) document.title = t;
});
EM_JS(void, md_js_set_hash, (const char* hash), { window.MD.setHash(UTF8ToString(hash)); });
EM_JS(void, md_js_random, (unsigned char* out, int n), { crypto.getRandomValues(HEAPU8.subarray(out, out + n)); });
EM_JS(char*, md_js_poll, (), {
    var v = window.MD.poll();
    if (!v) return 0;
    var n = lengthBytesUTF8(v) + 1;
    var p = _malloc(n);
    stringToUTF8(v, p, n);
    return p;
});
EM_JS(void, md_js_sync_mirror, (const char* json), { window.MD.syncMirror(UTF8ToString(json)); });
EM_JS(void, md_js_ime, (int want, double x, double y, double h, int password, int numeric),
      { window.MD.ime(!!want, x, y, h, !!password, !!numeric); });
EM_JS(void, md_js_first_frame, (), { window.MD.firstFrame(); });
EM_JS(int, md_js_online, (), { return navigator.onLine === false ? 0 : 1; });
// clang-format on

std::string take(char* p) {
    if (!p) return {};
    std::string s(p);
    std::free(p);
    return s;
}

}  // namespace

namespace memberdesk::client::web {

std::optional<std::string> WebPlatform::session_get(const std::string& key) {
    char* p = md_js_storage_get(1, key.c_str());
    if (!p) return std::nullopt;
    return take(p);
}
void WebPlatform::session_set(const std::string& key, const std::string& value) {
    md_js_storage_set(1, key.c_str(), value.c_str());
}
void WebPlatform::session_remove(const std::string& key) { md_js_storage_set(1, key.c_str(), nullptr); }
std::optional<std::string> WebPlatform::local_get(const std::string& key) {
    char* p = md_js_storage_get(0, key.c_str());
    if (!p) return std::nullopt;
    return take(p);
}
void WebPlatform::local_set(const std::string& key, const std::string& value) {
    md_js_storage_set(0, key.c_str(), value.empty() ? nullptr : value.c_str());  // "" removes the key
}
void WebPlatform::download(const std::string& filename, const std::string& mime, const std::string& data) {
    md_js_download(filename.c_str(), mime.c_str(), data.data(), static_cast<int>(data.size()));
}
void WebPlatform::copy_to_clipboard(const std::string& text) { md_js_copy(text.c_str()); }
double WebPlatform::monotonic_seconds() { return md_js_now(); }
bool WebPlatform::online() { return md_js_online() != 0; }
std::int64_t WebPlatform::unix_now() { return static_cast<std::int64_t>(md_js_unix_now()); }
void WebPlatform::wake_after(double seconds) { md_js_wake_after(seconds * 1000.0); }
std::string WebPlatform::preferred_language() { return take(md_js_string(0)); }
void WebPlatform::set_document(const std::string& lang, const std::string& title) {
    md_js_document(lang.c_str(), title.c_str());
}
std::string WebPlatform::location_hash() { return take(md_js_string(1)); }
void WebPlatform::set_location_hash(const std::string& hash) { md_js_set_hash(hash.c_str()); }
std::string WebPlatform::location_query() { return take(md_js_string(3)); }
std::string WebPlatform::random_hex(int bytes) {
    std::string raw(static_cast<std::size_t>(bytes), '\0');
    md_js_random(reinterpret_cast<unsigned char*>(raw.data()), bytes);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (char ch : raw) {
        const auto c = static_cast<unsigned char>(ch);
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

DomInput dom_poll() {
    DomInput in;
    const std::string s = take(md_js_poll());
    if (s.empty()) return in;
    nlohmann::json arr = nlohmann::json::parse(s, nullptr, false);
    if (!arr.is_array()) return in;
    for (const auto& e : arr) {
        const std::string t = e.value("t", "");
        in.any = true;
        if (t == "click" || t == "input" || t == "focus" || t == "blur") {
            MirrorEvent m;
            m.kind = t == "click"   ? MirrorEvent::Kind::click
                     : t == "input" ? MirrorEvent::Kind::input
                     : t == "focus" ? MirrorEvent::Kind::focus
                                    : MirrorEvent::Kind::blur;
            m.id = e.value("id", "");
            m.value = e.value("v", "");
            in.mirror.push_back(std::move(m));
        } else if (t == "key") {
            DomInput::Typed k;
            k.key = e.value("k", "");
            k.down = e.value("d", 1) != 0;
            k.ctrl = e.value("c", 0) != 0;
            k.shift = e.value("s", 0) != 0;
            k.alt = e.value("a", 0) != 0;
            k.meta = e.value("m", 0) != 0;
            in.typed.push_back(std::move(k));
        } else if (t == "text") {
            DomInput::Typed text;
            text.text = e.value("v", "");
            in.typed.push_back(std::move(text));
        } else if (t == "touch") {
            in.touches.push_back(DomInput::Touch{e.value("p", 0), e.value("x", 0.0f), e.value("y", 0.0f)});
        } else if (t == "imeblur") {
            in.ime_blur = true;
        } else if (t == "route") {
            in.route = e.value("v", "");
        }
    }
    return in;
}

void dom_sync_mirror(const std::string& json) { md_js_sync_mirror(json.c_str()); }
void dom_ime(bool want, float x, float y, float h, bool password, bool numeric) {
    md_js_ime(want, x, y, h, password, numeric);
}
void dom_first_frame() { md_js_first_frame(); }

}  // namespace memberdesk::client::web
