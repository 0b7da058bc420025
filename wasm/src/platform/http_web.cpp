// HttpTransport over the browser's fetch(): asynchronous, no threads. Each request gets an id;
// the JS promise chain calls md_http_done(id, ...) from the event loop, which hands the answer to
// the waiting callback (ApiClient only queues it), then md_answer() (main_web.cpp), which applies
// it at once, outside a frame.
#include <emscripten.h>

#include <cstdlib>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "platform/web.hpp"

namespace {

std::map<int, memberdesk::client::HttpTransport::Done>& pending() {
    static std::map<int, memberdesk::client::HttpTransport::Done> p;
    return p;
}

// JavaScript bodies: clang-format would break JS operators such as === (it reads them as C++).
// clang-format off
EM_JS(void, md_js_fetch, (int id, const char* method, const char* url, const char* headers_json, const char* body,
                          int body_len, int timeout_ms), {
    var ctrl = new AbortController();
    var timer = setTimeout(function() { ctrl.abort(); }, timeout_ms);
    var init = {
        method: UTF8ToString(method),
        headers: JSON.parse(UTF8ToString(headers_json)),
        signal: ctrl.signal,
        credentials: "same-origin",
        // API answers are personal and live: never cached. Assets (fonts) use the HTTP cache, and
        // so the page's <link rel=preload> of the Latin font.
        cache: UTF8ToString(url).indexOf("/api/") >= 0 ? "no-store" : "default"
    };
    if (body_len > 0) init.body = HEAPU8.slice(body, body + body_len);
    var done = function(status, bytes, err, retryAfter) {
        clearTimeout(timer);
        var n = bytes ? bytes.length : 0;
        var p = _malloc(n + 1);
        if (n) HEAPU8.set(bytes, p);
        var en = lengthBytesUTF8(err) + 1;
        var ep = _malloc(en);
        stringToUTF8(err, ep, en);
        Module["_md_http_done"](id, status, p, n, ep, retryAfter);
        _free(p);
        _free(ep);
        Module["_md_answer"]();
    };
    fetch(UTF8ToString(url), init)
        .then(function(r) {
            // Retry-After in seconds (a busy server's 503); an HTTP date or none: -1.
            var ra = Number(r.headers.get("Retry-After"));
            var retryAfter = r.headers.get("Retry-After") !== null && isFinite(ra) && ra >= 0 ? ra : -1;
            return r.arrayBuffer().then(function(buf) { done(r.status, new Uint8Array(buf), "", retryAfter); });
        })
        .catch(function(e) { done(0, null, String(e && e.name == "AbortError" ? "timeout" : e), -1); });
});
// clang-format on

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE void md_http_done(int id, int status, const char* body, int len, const char* err,
                                                  double retry_after) {
    auto it = pending().find(id);
    if (it == pending().end()) return;
    auto done = std::move(it->second);
    pending().erase(it);
    memberdesk::client::HttpResponse r;
    r.status = status;
    r.body.assign(body, static_cast<std::size_t>(len));
    if (status == 0) r.network_error = err ? err : "network error";
    r.retry_after = retry_after;
    done(std::move(r));
}

namespace memberdesk::client::web {

void WebHttp::send(HttpRequest request, Done done) {
    static int next_id = 1;
    const int id = next_id++;
    pending()[id] = std::move(done);
    nlohmann::json headers = nlohmann::json::object();
    for (const auto& [k, v] : request.headers) headers[k] = v;
    md_js_fetch(id, request.method.c_str(), request.url.c_str(), headers.dump().c_str(), request.body.data(),
                static_cast<int>(request.body.size()), request.timeout_ms);
}

}  // namespace memberdesk::client::web
