// Test harness for the web client's UI logic: the real Shell running the portal mode, screens, Ui and ApiClient, with a fake
// HTTP transport (tests answer each request by hand) and a fake platform (storage, clock,
// downloads, clipboard), drawn frame by frame with Dear ImGui and no backend. Assertions read the
// accessibility mirror, exactly as the browser tests read the DOM built from it.
#pragma once
#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/portal_mode.hpp"
#include "app/ui.hpp"
#include "imgui.h"

namespace mdtest {

using namespace memberdesk;
using namespace memberdesk::client;
using nlohmann::json;

class FakeHttp : public HttpTransport {
public:
    struct Pending {
        HttpRequest request;
        Done done;
    };
    std::vector<Pending> pending;
    std::vector<HttpRequest> log;  // every request ever sent

    void send(HttpRequest request, Done done) override {
        log.push_back(request);
        pending.push_back({std::move(request), std::move(done)});
    }
    // "METHOD url" matches `prefix` ("GET /api/v1/me") when it starts with it at a path boundary:
    // "GET /api/v1/me" matches "GET /api/v1/me" and "GET /api/v1/me?x", not "GET /api/v1/me/card".
    static bool matches(const HttpRequest& r, const std::string& prefix) {
        const std::string s = r.method + " " + r.url;
        if (s.rfind(prefix, 0) != 0) return false;
        if (s.size() == prefix.size() || prefix.find('/') == std::string::npos || prefix.find('?') != std::string::npos)
            return true;
        return s[prefix.size()] == '?';
    }
    // Answers the oldest pending request matching `prefix`.
    // `retry_after`: the Retry-After header's seconds (-1: none).
    bool answer(const std::string& prefix, int status, const std::string& body, double retry_after = -1) {
        for (auto it = pending.begin(); it != pending.end(); ++it) {
            if (matches(it->request, prefix)) {
                auto done = std::move(it->done);
                pending.erase(it);
                HttpResponse r;
                r.status = status;
                r.body = body;
                r.retry_after = retry_after;
                if (status == 0) r.network_error = "offline";
                done(std::move(r));
                return true;
            }
        }
        return false;
    }
    int waiting(const std::string& prefix) const {
        int n = 0;
        for (const auto& p : pending)
            if (matches(p.request, prefix)) ++n;
        return n;
    }
    const HttpRequest* last(const std::string& prefix) const {
        for (auto it = log.rbegin(); it != log.rend(); ++it)
            if (matches(*it, prefix)) return &*it;
        return nullptr;
    }
    static std::string header(const HttpRequest& r, const std::string& name) {
        for (const auto& [k, v] : r.headers)
            if (k == name) return v;
        return "";
    }
};

class FakePlatform : public Platform {
public:
    std::map<std::string, std::string> session, local;
    double now = 100.0;
    std::int64_t unix = 1774000000;  // 2026-03-20T09:46:40Z
    std::string download_name, download_data, clipboard, lang = "en-US", hash, doc_lang, doc_title, query;
    std::vector<double> wakes;
    int random_calls = 0;
    bool net = true;  // navigator.onLine

    std::optional<std::string> session_get(const std::string& k) override {
        auto it = session.find(k);
        return it == session.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    void session_set(const std::string& k, const std::string& v) override { session[k] = v; }
    void session_remove(const std::string& k) override { session.erase(k); }
    std::optional<std::string> local_get(const std::string& k) override {
        auto it = local.find(k);
        return it == local.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    void local_set(const std::string& k, const std::string& v) override {
        if (v.empty())
            local.erase(k);
        else
            local[k] = v;
    }
    void download(const std::string& f, const std::string&, const std::string& d) override {
        download_name = f;
        download_data = d;
    }
    void copy_to_clipboard(const std::string& t) override { clipboard = t; }
    double monotonic_seconds() override { return now; }
    std::int64_t unix_now() override { return unix; }
    void wake_after(double s) override { wakes.push_back(s); }
    std::string preferred_language() override { return lang; }
    void set_document(const std::string& l, const std::string& t) override {
        doc_lang = l;
        doc_title = t;
    }
    bool online() override { return net; }
    std::string location_hash() override { return hash; }
    void set_location_hash(const std::string& h) override { hash = h; }
    std::string location_query() override { return query; }
    std::string random_hex(int bytes) override {
        return "key" + std::to_string(++random_calls) + std::string(static_cast<std::size_t>(bytes), 'a');
    }
};

// Sample API answers (shapes from docs/api.md).
json me_json(long long balance = 1234);
json program_json();
json coupons_json();
json rewards_json(long long balance = 1234);
json ledger_json(bool with_cursor = false);
json redemption_json();
json card_json();
json inbox_json();     // two messages, the newer unread
json consents_json();  // chosen at sign-up: reminders on, marketing and personalised offers off

// What every client harness shares: the ImGui context, the real Shell running one mode, the Ui,
// and the accessibility mirror they are driven and read through.
class ShellDriver {
public:
    FakeHttp http;
    FakePlatform platform;
    Mirror mirror;
    float dpr = 1.0f;

    ShellDriver(const ShellDriver&) = delete;
    ShellDriver& operator=(const ShellDriver&) = delete;

    Shell& shell() { return *shell_; }
    // One frame (update, prepare, NewFrame, draw, Render) with these mirror events.
    void frame(std::vector<MirrorEvent> events = {});
    void frames(int n) {
        for (int i = 0; i < n; ++i) frame();
    }
    void click(const std::string& id);
    void type(const std::string& id, const std::string& value);
    // Answer a pending request and run two frames.
    bool answer(const std::string& prefix, int status, const json& body);
    bool answer_raw(const std::string& prefix, int status, const std::string& body);
    // Answers the start-up requests (fonts: 404 -> ImGui's default font; the program).
    void answer_start_up(const json& program);
    const MirrorNode* node(const std::string& id) const { return mirror.find(id); }
    bool has(const std::string& id) const { return node(id) != nullptr; }
    std::string label(const std::string& id) const;
    std::string text() const { return mirror.all_text(); }

protected:
    ShellDriver(float width, float height);
    ~ShellDriver();
    // Runs mode M (made with `args`) in a new shell and starts it.
    template <class M, class... Args>
    M& start_shell(AppMode mode, Args&&... args) {
        shell_ = std::make_unique<Shell>(platform, http, mode);
        M& m = shell_->run<M>(std::forward<Args>(args)...);
        ui_ = std::make_unique<Ui>(mirror);
        shell_->start();
        return m;
    }

    float w_, h_;
    // Kiosk and console: a click on a disabled control fails the test (the portal's tests click
    // disabled controls on purpose, to show that nothing happens).
    bool refuse_disabled_clicks_ = false;

private:
    std::unique_ptr<Shell> shell_;
    std::unique_ptr<Ui> ui_;
    ImGuiContext* ctx_ = nullptr;
};

// The portal.
class Harness : public ShellDriver {
public:
    explicit Harness(std::function<void(FakePlatform&)> setup = nullptr, float width = 1200, float height = 900);

    PortalMode& app() { return *app_; }
    void advance(double seconds) {
        platform.now += seconds;
        platform.unix += static_cast<std::int64_t>(seconds);
    }
    void boot() { answer_start_up(program_json()); }
    // Signs in through the screen as a member and answers /me with `me`.
    void sign_in(const json& me = me_json());

private:
    PortalMode* app_ = nullptr;
};

// Landmarks (regions, navigation, dialogs) have names no other landmark on the screen has; headings
// start at h1 and never skip a level. `where` names the screen in failure messages.
void check_landmarks_and_headings(const Mirror& mirror, const std::string& where);

}  // namespace mdtest
