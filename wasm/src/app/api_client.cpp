#include "app/api_client.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include <nlohmann/json.hpp>

namespace memberdesk::client {

using nlohmann::json;

const char* to_string(Op op) {
    switch (op) {
        case Op::login: return "login";
        case Op::logout: return "logout";
        case Op::program: return "program";
        case Op::me: return "me";
        case Op::coupons: return "coupons";
        case Op::rewards: return "rewards";
        case Op::ledger: return "ledger";
        case Op::ledger_more: return "ledger_more";
        case Op::chart: return "chart";
        case Op::redemptions: return "redemptions";
        case Op::card: return "card";
        case Op::redeem: return "redeem";
        case Op::feedback: return "feedback";
        case Op::export_data: return "export_data";
        case Op::erase: return "erase";
        case Op::profile_save: return "profile_save";
        case Op::consents: return "consents";
        case Op::consents_save: return "consents_save";
        case Op::inbox: return "inbox";
        case Op::inbox_more: return "inbox_more";
        case Op::inbox_read: return "inbox_read";
        case Op::reminder: return "reminder";
        case Op::referral: return "referral";
        case Op::phone_start: return "phone_start";
        case Op::phone_verify: return "phone_verify";
        case Op::code_request: return "code_request";
        case Op::code_verify: return "code_verify";
        case Op::latin_font: return "latin_font";
        case Op::lang_font: return "lang_font";
        case Op::cjk_font: return "cjk_font";
        case Op::count_: break;
    }
    return "?";
}

struct ApiClient::Call {
    Op op;
    std::uint64_t generation = 0;
    HttpRequest request;
    bool retryable = false;
    int attempt = 0;
    double retry_at = 0;
};

struct ApiClient::Finished {
    std::shared_ptr<Call> call;
    HttpResponse response;
};

namespace {

constexpr int kMaxRetries = 2;  // 3 tries in all after network errors and 502/504
// A busy server (503) said so and when to come back: keep asking, as it says, for a while longer.
constexpr int kMaxBusyRetries = 8;
constexpr double kMinBusyWait = 1, kMaxBusyWait = 30, kDefaultBusyWait = 2;

bool is_transient(const HttpResponse& r) { return r.status == 0 || r.status == 502 || r.status == 504; }
bool is_busy(const HttpResponse& r) { return r.status == 503; }

// Seconds before the next try of `attempt` (1-based).
double retry_delay(const HttpResponse& r, int attempt) {
    if (is_busy(r))
        return std::clamp(r.retry_after >= 0 ? r.retry_after : kDefaultBusyWait, kMinBusyWait, kMaxBusyWait);
    return attempt == 1 ? 0.5 : 1.5;
}

bool is_member_op(Op op) {
    return op != Op::login && op != Op::program && op != Op::latin_font && op != Op::lang_font && op != Op::cjk_font &&
           op != Op::code_request && op != Op::code_verify;
}

// Lists may come bare (`[...]`) or wrapped (`{"coupons": [...]}`); accept both.
const json& list_in(const json& j, const char* key) {
    if (j.is_object()) {
        auto it = j.find(key);
        if (it != j.end()) return *it;
        it = j.find("items");
        if (it != j.end()) return *it;
    }
    return j;
}

template <class T>
void fail(Remote<T>& r, ApiError e) {
    r.status = Status::failed;
    r.error = std::move(e);
}

template <class T>
bool decode_into(const HttpResponse& resp, Remote<T>& r, const char* list_key = nullptr) {
    if (resp.status < 200 || resp.status >= 300) {
        fail(r, parse_api_error(resp));
        return false;
    }
    try {
        json j = json::parse(resp.body);
        T v = (list_key ? list_in(j, list_key) : j).template get<T>();
        r.value = std::move(v);
        r.status = Status::ok;
        r.error = {};
        return true;
    } catch (const std::exception& e) {
        fail(r, ApiError{resp.status, "bad_response", e.what()});
        return false;
    }
}

template <class T>
void mark_loading(Remote<T>& r, int attempt, bool server_busy = false) {
    r.status = Status::loading;
    r.attempt = attempt;
    r.server_busy = server_busy;
}

// Calls f(remote) with the Remote that `op` fills.
template <class F>
void visit_remote(ClientState& s, Op op, F&& f) {
    switch (op) {
        case Op::login: f(s.login); break;
        case Op::program: f(s.program); break;
        case Op::me: f(s.me); break;
        case Op::coupons: f(s.coupons); break;
        case Op::rewards: f(s.rewards); break;
        case Op::ledger:
        case Op::ledger_more: f(s.ledger); break;
        case Op::chart: f(s.chart); break;
        case Op::redemptions: f(s.redemptions); break;
        case Op::card: f(s.card); break;
        case Op::redeem: f(s.redemption); break;
        case Op::feedback: f(s.feedback); break;
        case Op::export_data: f(s.export_data); break;
        case Op::erase: f(s.erase); break;
        case Op::profile_save: f(s.profile_save); break;
        case Op::consents:
        case Op::consents_save: f(s.consents); break;
        case Op::inbox:
        case Op::inbox_more: f(s.inbox); break;
        case Op::reminder: f(s.reminder); break;
        case Op::referral: f(s.referral); break;
        case Op::phone_start: f(s.phone_code); break;
        case Op::phone_verify: f(s.phone_change); break;
        case Op::code_request: f(s.code_request); break;
        case Op::code_verify: f(s.code_verify); break;
        case Op::latin_font: f(s.latin_font); break;
        case Op::lang_font: f(s.lang_font); break;
        case Op::cjk_font: f(s.cjk_font); break;
        case Op::logout:
        case Op::inbox_read:
        case Op::count_: break;
    }
}

std::optional<bool> opt_bool(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_boolean()) return std::nullopt;
    return it->get<bool>();
}

ConsentsView consents_from_json(const json& j) {
    ConsentsView v;
    const json& cur = j.at("current");
    if (cur.is_object()) {
        v.reminders = opt_bool(cur, "reminders");
        v.marketing = opt_bool(cur, "marketing");
        v.personalised_offers = opt_bool(cur, "personalised_offers");
        v.terms = opt_bool(cur, "terms");
    }
    v.text_version = j.value("text_version", "");
    for (const auto& h : j.value("history", json::array()))
        v.history.push_back(ConsentRecord{h.at("purpose").get<std::string>(), h.at("granted").get<bool>(),
                                          h.value("text_version", ""), h.value("channel", ""), h.value("at", "")});
    return v;
}

InboxView inbox_from_json(const json& j) {
    InboxView v;
    for (const auto& m : j.at("messages"))
        v.messages.push_back(InboxMessage{m.at("id").get<std::int64_t>(), m.value("template", ""), m.value("text", ""),
                                          m.value("created_at", ""), m.value("read", false)});
    v.unread = j.value("unread", 0);
    auto c = j.find("next_cursor");
    if (c != j.end() && c->is_string()) v.next_cursor = c->get<std::string>();
    return v;
}

template <class T, class F>
void decode_with(const HttpResponse& resp, Remote<T>& r, F&& from_json) {
    if (resp.status < 200 || resp.status >= 300) {
        fail(r, parse_api_error(resp));
        return;
    }
    try {
        r.value = from_json(json::parse(resp.body));
        r.status = Status::ok;
        r.error = {};
    } catch (const std::exception& e) {
        fail(r, ApiError{resp.status, "bad_response", e.what()});
    }
}

template <class T>
void mark_done(const HttpResponse& resp, Remote<T>& r, T value) {
    if (resp.status >= 200 && resp.status < 300) {
        r.value = std::move(value);
        r.status = Status::ok;
        r.error = {};
    } else {
        fail(r, parse_api_error(resp));
    }
}

}  // namespace

ApiError parse_api_error(const HttpResponse& resp) {
    ApiError e;
    e.status = resp.status;
    if (resp.status == 0) {
        e.code = "network_error";
        e.message = resp.network_error;
        return e;
    }
    try {
        json j = json::parse(resp.body);
        const json& err = j.at("error");
        e.code = err.value("code", "");
        e.message = err.value("message", "");
    } catch (const std::exception&) {}
    if (e.code.empty()) e.code = "http_" + std::to_string(resp.status);
    return e;
}

std::string url_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

ApiClient::ApiClient(HttpTransport& http, Platform& platform, ClientState& state)
    : http_(http), platform_(platform), state_(state), finished_(std::make_shared<std::deque<Finished>>()) {}

ApiClient::~ApiClient() = default;

void ApiClient::set_base(std::string api_base, std::string asset_base) {
    api_base_ = std::move(api_base);
    asset_base_ = std::move(asset_base);
}

HttpRequest ApiClient::api(const std::string& method, const std::string& path) const {
    HttpRequest r;
    r.method = method;
    r.url = api_base_ + path;
    r.headers.emplace_back("Accept", "application/json");
    if (!state_.token.empty()) r.headers.emplace_back("Authorization", "Bearer " + state_.token);
    return r;
}

void ApiClient::start(Op op, HttpRequest req, bool retryable) {
    auto call = std::make_shared<Call>();
    call->op = op;
    call->generation = ++generation_[static_cast<int>(op)];
    call->request = std::move(req);
    call->retryable = retryable;
    if (op == Op::ledger) ++generation_[static_cast<int>(Op::ledger_more)];  // a new filter wins
    if (op == Op::inbox) ++generation_[static_cast<int>(Op::inbox_more)];    // a new first page wins
    visit_remote(state_, op, [](auto& r) { mark_loading(r, 0); });
    ++started_;
    send(call);
}

void ApiClient::send(const std::shared_ptr<Call>& call) {
    ++in_flight_;
    std::weak_ptr<std::deque<Finished>> queue = finished_;
    http_.send(call->request, [queue, call](HttpResponse resp) {
        if (auto q = queue.lock()) q->push_back(Finished{call, std::move(resp)});
    });
}

bool ApiClient::poll() {
    bool changed = false;
    const double now = platform_.monotonic_seconds();
    // Retries that are due.
    for (auto it = waiting_retry_.begin(); it != waiting_retry_.end();) {
        auto& call = *it;
        if (call->generation != generation_[static_cast<int>(call->op)]) {
            it = waiting_retry_.erase(it);
            continue;
        }
        if (call->retry_at <= now) {
            send(call);
            it = waiting_retry_.erase(it);
        } else {
            ++it;
        }
    }
    // Answers.
    while (!finished_->empty()) {
        Finished f = std::move(finished_->front());
        finished_->pop_front();
        --in_flight_;
        const Call& call = *f.call;
        if (call.generation != generation_[static_cast<int>(call.op)]) continue;  // superseded
        changed = true;
        // Fonts may come from the service worker's cache: only API answers say whether the network is up.
        if (call.op != Op::latin_font && call.op != Op::lang_font && call.op != Op::cjk_font)
            state_.network_down = f.response.status == 0;
        const bool busy = is_busy(f.response);
        if (call.retryable && (busy || is_transient(f.response)) &&
            call.attempt < (busy ? kMaxBusyRetries : kMaxRetries)) {
            f.call->attempt++;
            const double delay = retry_delay(f.response, call.attempt);
            f.call->retry_at = now + delay;
            const int attempt = f.call->attempt;
            visit_remote(state_, call.op, [attempt, busy](auto& r) { mark_loading(r, attempt, busy); });
            waiting_retry_.push_back(f.call);
            platform_.wake_after(delay);
            continue;
        }
        apply(call, f.response);
    }
    return changed;
}

bool ApiClient::busy() const { return in_flight_ > 0 || !waiting_retry_.empty(); }

namespace {

std::string to_hex(const std::string& bytes) {
    static const char* x = "0123456789abcdef";
    std::string out;
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        out += x[c >> 4];
        out += x[c & 15];
    }
    return out;
}

std::optional<std::string> from_hex(const std::string& h) {
    if (h.size() % 2) return std::nullopt;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i < h.size(); i += 2) {
        const int a = nibble(h[i]), b = nibble(h[i + 1]);
        if (a < 0 || b < 0) return std::nullopt;
        out += static_cast<char>(a * 16 + b);
    }
    return out;
}

std::optional<OfflineCard> card_from_json(const json& j) {
    if (!j.is_object() || !j.contains("member_id") || !j.contains("device_id") || !j.contains("secret"))
        return std::nullopt;
    auto secret = from_hex(j.at("secret").get<std::string>());
    if (!secret || secret->empty()) return std::nullopt;
    return OfflineCard{j.at("member_id").get<std::int64_t>(), j.at("device_id").get<std::int64_t>(), *secret};
}

}  // namespace

void ApiClient::restore_offline_card() {
    auto s = platform_.local_get(kCardStorage);
    if (!s || s->empty()) return;
    try {
        state_.offline_card = card_from_json(json::parse(*s));
    } catch (const std::exception&) {
        state_.offline_card.reset();
    }
}

void ApiClient::restore_offline_view() {
    auto s = platform_.local_get(kViewStorage);
    if (!s || s->empty()) return;
    try {
        state_.offline_view = offline_snapshot_from_json(json::parse(*s), platform_.unix_now());
    } catch (const std::exception&) {
        state_.offline_view.reset();
    }
    if (!state_.offline_view) {
        platform_.local_set(kViewStorage, "");
        return;
    }
    if (!state_.program.has()) state_.zone = state_.offline_view->zone;  // GET /program replaces it
}

void ApiClient::save_offline_view() {
    if (state_.mode != AppMode::portal || !state_.me.has() || state_.token.empty()) return;
    const std::vector<CouponView>* coupons =
        state_.coupons.status == Status::ok && state_.coupons.has() ? &*state_.coupons.value : nullptr;
    const OfflineSnapshot* previous = state_.offline_view ? &*state_.offline_view : nullptr;
    OfflineSnapshot snap =
        make_offline_snapshot(*state_.me.value, coupons, state_.zone, platform_.unix_now(), previous);
    platform_.local_set(kViewStorage, offline_snapshot_to_json(snap).dump());
    state_.offline_view = std::move(snap);
}

void ApiClient::forget_on_device(bool keep_device_id) {
    platform_.local_set(kViewStorage, "");
    // The device id alone is no credential: it lets the next sign-in end that card on the server.
    std::string id;
    if (keep_device_id) {
        if (state_.offline_card) {
            id = std::to_string(state_.offline_card->device_id);
        } else if (auto s = platform_.local_get(kCardStorage); s && !s->empty()) {
            try {
                id = std::to_string(json::parse(*s).at("device_id").get<std::int64_t>());
            } catch (const std::exception&) {}
        }
    }
    platform_.local_set(kCardStorage, "");
    if (!id.empty() || !keep_device_id) platform_.local_set(kCardDeviceStorage, id);
}

void ApiClient::cancel_member_requests() {
    for (int i = 0; i < static_cast<int>(Op::count_); ++i)
        if (is_member_op(static_cast<Op>(i))) ++generation_[i];
}

void ApiClient::apply(const Call& call, const HttpResponse& resp) {
    visit_remote(state_, call.op, [](auto& r) { r.server_busy = false; });
    if (resp.status == 401 && is_member_op(call.op) && call.op != Op::logout) {
        // The session is gone (expired, revoked): forget it and ask to sign in again.
        const bool had_session = !state_.token.empty();
        cancel_member_requests();
        if (state_.mode != AppMode::kiosk) forget_on_device(true);
        state_.clear_member_data();
        platform_.session_remove("memberdesk.token");
        state_.session_ended = had_session;
        return;
    }
    // Each answer is handled by a function of its own, reached through a table: the browser compiles a
    // wasm function on its first call, so the first answer (a font) compiles only its own handling,
    // and the linker cannot inline them all back into one (it inlines a function called once).
    static void (ApiClient::*const kApply[])(const Call&, const HttpResponse&) = {
        &ApiClient::apply_login,         // login
        nullptr,                         // logout
        &ApiClient::apply_program,       // program
        &ApiClient::apply_me,            // me
        &ApiClient::apply_coupons,       // coupons
        &ApiClient::apply_rewards,       // rewards
        &ApiClient::apply_ledger,        // ledger
        &ApiClient::apply_ledger_more,   // ledger_more
        &ApiClient::apply_chart,         // chart
        &ApiClient::apply_redemptions,   // redemptions
        &ApiClient::apply_card,          // card
        &ApiClient::apply_redeem,        // redeem
        &ApiClient::apply_feedback,      // feedback
        &ApiClient::apply_export_data,   // export_data
        &ApiClient::apply_erase,         // erase
        &ApiClient::apply_profile_save,  // profile_save
        &ApiClient::apply_consents,      // consents
        &ApiClient::apply_consents,      // consents_save
        &ApiClient::apply_inbox,         // inbox
        &ApiClient::apply_inbox_more,    // inbox_more
        nullptr,                         // inbox_read
        &ApiClient::apply_reminder,      // reminder
        &ApiClient::apply_referral,      // referral
        &ApiClient::apply_phone_start,   // phone_start
        &ApiClient::apply_phone_verify,  // phone_verify
        &ApiClient::apply_code_request,  // code_request
        &ApiClient::apply_code_verify,   // code_verify
        &ApiClient::apply_font,          // latin_font
        &ApiClient::apply_font,          // lang_font
        &ApiClient::apply_font,          // cjk_font
    };
    static_assert(sizeof kApply / sizeof kApply[0] == static_cast<std::size_t>(Op::count_));
    if (auto handler = kApply[static_cast<int>(call.op)]) (this->*handler)(call, resp);
}

void ApiClient::apply_login(const Call&, const HttpResponse& resp) {
    if (resp.status >= 200 && resp.status < 300) {
        try {
            json j = json::parse(resp.body);
            LoginResult r{j.at("token").get<std::string>(), j.value("expires_at", "")};
            state_.clear_member_data();
            state_.token = r.token;
            state_.login.value = r;
            state_.login.status = Status::ok;
            state_.session_ended = false;
            state_.account_erased = false;
            // A shared kiosk keeps its short-lived token in memory only.
            if (state_.mode != AppMode::kiosk) platform_.session_set("memberdesk.token", r.token);
            // A view kept from an earlier session (maybe another member's) goes; this
            // session's own view replaces it when it arrives.
            if (state_.mode != AppMode::kiosk) platform_.local_set(kViewStorage, "");
            // The offline member card's secret stays on this device until sign-out.
            if (state_.mode != AppMode::kiosk && j.contains("card")) {
                state_.offline_card = card_from_json(j.at("card"));
                if (state_.offline_card) {
                    const OfflineCard& c = *state_.offline_card;
                    platform_.local_set(
                        kCardStorage,
                        json{{"member_id", c.member_id}, {"device_id", c.device_id}, {"secret", to_hex(c.secret)}}
                            .dump());
                    platform_.local_set(kCardDeviceStorage, "");
                }
            }
        } catch (const std::exception& e) {
            fail(state_.login, ApiError{resp.status, "bad_response", e.what()});
        }
    } else {
        fail(state_.login, parse_api_error(resp));
    }
}

void ApiClient::apply_profile_save(const Call&, const HttpResponse& resp) {
    if (resp.status >= 200 && resp.status < 300) {
        state_.profile_save.value = Done{};
        state_.profile_save.status = Status::ok;
        state_.profile_save.error = {};
        decode_into(resp, state_.me);  // the answer is the GET /me view
    } else {
        fail(state_.profile_save, parse_api_error(resp));
    }
}

void ApiClient::apply_consents(const Call& call, const HttpResponse& resp) {
    decode_with(resp, state_.consents, consents_from_json);
    // A refusal of personalised offers hides the segment offers of GET /me.
    if (call.op == Op::consents_save && state_.consents.status == Status::ok) load_me();
}

void ApiClient::apply_inbox(const Call&, const HttpResponse& resp) { decode_with(resp, state_.inbox, inbox_from_json); }

void ApiClient::apply_inbox_more(const Call&, const HttpResponse& resp) {
    Remote<InboxView> page;
    decode_with(resp, page, inbox_from_json);
    if (page.status == Status::ok) {
        if (!state_.inbox.value) state_.inbox.value = InboxView{};
        auto& acc = *state_.inbox.value;
        for (auto& m : page.value->messages) acc.messages.push_back(std::move(m));
        acc.next_cursor = page.value->next_cursor;
        acc.unread = page.value->unread;  // the server's count covers every page
        state_.inbox.status = Status::ok;
        state_.inbox.error = {};
    } else {
        fail(state_.inbox, page.error);  // the messages loaded so far stay on screen
    }
}

void ApiClient::apply_referral(const Call&, const HttpResponse& resp) {
    decode_with(resp, state_.referral, [](const json& j) {
        return ReferralView{j.at("code").get<std::string>(), j.at("url").get<std::string>(), j.value("invited", 0),
                            j.value("rewarded", 0)};
    });
}

void ApiClient::apply_phone_start(const Call&, const HttpResponse& resp) {
    decode_with(resp, state_.phone_code, [](const json& j) { return CodeSent{j.value("expires_at", std::string())}; });
}

void ApiClient::apply_phone_verify(const Call&, const HttpResponse& resp) {
    if (resp.status >= 200 && resp.status < 300) {
        state_.phone_change.value = Done{};
        state_.phone_change.status = Status::ok;
        state_.phone_change.error = {};
        load_me();  // the masked phone on Profile
    } else {
        fail(state_.phone_change, parse_api_error(resp));
    }
}

void ApiClient::apply_code_request(const Call&, const HttpResponse& resp) {
    decode_with(resp, state_.code_request,
                [](const json& j) { return CodeSent{j.value("expires_at", std::string())}; });
}

void ApiClient::apply_code_verify(const Call& call, const HttpResponse& resp) {
    if (resp.status >= 200 && resp.status < 300 && call.request.url.find("/signup/") != std::string::npos) {
        try {
            json j = json::parse(resp.body);
            const std::string token = j.at("token").get<std::string>();
            if (state_.mode == AppMode::kiosk) {
                state_.signup_token = token;
            } else {
                state_.clear_member_data();
                state_.token = token;
                state_.login.value = LoginResult{token, j.value("expires_at", "")};
                state_.login.status = Status::ok;
                state_.session_ended = false;
                state_.account_erased = false;
                platform_.session_set("memberdesk.token", token);
                platform_.local_set(kViewStorage, "");
            }
            mark_done(resp, state_.code_verify, Done{});
        } catch (const std::exception& e) {
            fail(state_.code_verify, ApiError{resp.status, "bad_response", e.what()});
        }
    } else {
        mark_done(resp, state_.code_verify, Done{});
    }
}

void ApiClient::apply_program(const Call&, const HttpResponse& resp) {
    if (decode_into(resp, state_.program)) {
        auto z = zone_from_json(state_.program.value->zone);
        if (z.ok()) state_.zone = std::move(z.value());
    }
}

void ApiClient::apply_me(const Call&, const HttpResponse& resp) {
    decode_into(resp, state_.me);
    if (state_.me.status == Status::ok) save_offline_view();
}

void ApiClient::apply_reminder(const Call&, const HttpResponse& resp) { decode_into(resp, state_.reminder); }

void ApiClient::apply_coupons(const Call&, const HttpResponse& resp) {
    decode_into(resp, state_.coupons, "coupons");
    if (state_.coupons.status == Status::ok) save_offline_view();
}

void ApiClient::apply_rewards(const Call&, const HttpResponse& resp) { decode_into(resp, state_.rewards, "rewards"); }

void ApiClient::apply_ledger(const Call&, const HttpResponse& resp) { decode_into(resp, state_.ledger); }

void ApiClient::apply_ledger_more(const Call&, const HttpResponse& resp) {
    Remote<LedgerPageView> page;
    if (decode_into(resp, page)) {
        if (!state_.ledger.value) state_.ledger.value = LedgerPageView{};
        auto& acc = *state_.ledger.value;
        for (auto& e : page.value->entries) acc.entries.push_back(std::move(e));
        acc.next_cursor = page.value->next_cursor;
        state_.ledger.status = Status::ok;
        state_.ledger.error = {};
    } else {
        state_.ledger.status = Status::failed;
        state_.ledger.error = page.error;
    }
}

void ApiClient::apply_chart(const Call&, const HttpResponse& resp) { decode_into(resp, state_.chart); }

void ApiClient::apply_redemptions(const Call&, const HttpResponse& resp) {
    decode_into(resp, state_.redemptions, "redemptions");
}

void ApiClient::apply_card(const Call&, const HttpResponse& resp) {
    if (decode_into(resp, state_.card)) state_.card_loaded_at = platform_.monotonic_seconds();
}

void ApiClient::apply_redeem(const Call&, const HttpResponse& resp) {
    if (decode_into(resp, state_.redemption)) {
        // Show the new balance at once, then refresh everything the redemption changed.
        if (state_.me.value) state_.me.value->points.balance = state_.redemption.value->balance_after;
        load_me();
        load_rewards();
        load_coupons();
        state_.redemptions.reset();
        state_.ledger.reset();
        state_.chart.reset();
    }
}

void ApiClient::apply_feedback(const Call&, const HttpResponse& resp) {
    if (resp.status >= 200 && resp.status < 300) {
        Points awarded = 0;
        try {
            awarded = json::parse(resp.body).value("points_awarded", Points{0});
        } catch (const std::exception&) {}
        state_.feedback.status = Status::ok;
        state_.feedback.value = awarded;
        if (awarded > 0) load_me();
    } else {
        fail(state_.feedback, parse_api_error(resp));
    }
}

void ApiClient::apply_export_data(const Call&, const HttpResponse& resp) {
    if (resp.status >= 200 && resp.status < 300) {
        const std::string id = state_.me.value ? std::to_string(state_.me.value->profile.id) : "member";
        platform_.download("memberdesk-export-" + id + ".json", "application/json", resp.body);
        state_.export_data.status = Status::ok;
        state_.export_data.value = Done{};
    } else {
        fail(state_.export_data, parse_api_error(resp));
    }
}

void ApiClient::apply_erase(const Call&, const HttpResponse& resp) {
    if (resp.status >= 200 && resp.status < 300) {
        cancel_member_requests();
        forget_on_device(false);
        state_.clear_member_data();
        platform_.session_remove("memberdesk.token");
        state_.account_erased = true;
    } else {
        fail(state_.erase, parse_api_error(resp));
    }
}

void ApiClient::apply_font(const Call& call, const HttpResponse& resp) {
    auto& r = call.op == Op::latin_font  ? state_.latin_font
              : call.op == Op::lang_font ? state_.lang_font
                                         : state_.cjk_font;
    if (resp.status == 200 && !resp.body.empty()) {
        r.value = resp.body;
        r.status = Status::ok;
    } else {
        fail(r, parse_api_error(resp));
    }
}

// --- operations -------------------------------------------------------------------------------

void ApiClient::login(const std::string& phone, const std::string& pin) {
    auto r = api("POST", "/auth/login");
    r.headers.emplace_back("Content-Type", "application/json");
    json body{{"phone", phone}, {"pin", pin}};
    // This device's earlier card (if any) is replaced by the one this sign-in brings.
    std::optional<std::int64_t> old;
    if (state_.offline_card) old = state_.offline_card->device_id;
    if (auto s = platform_.local_get(kCardStorage); !old && s && !s->empty()) {
        try {
            old = json::parse(*s).at("device_id").get<std::int64_t>();
        } catch (const std::exception&) {}
    }
    if (auto s = platform_.local_get(kCardDeviceStorage); !old && s && !s->empty())
        old = std::strtoll(s->c_str(), nullptr, 10);
    if (old && *old > 0) body["card_device"] = *old;
    r.body = body.dump();
    start(Op::login, std::move(r), false);
}

void ApiClient::kiosk_login_code(const std::string& device_key, const std::string& member_code) {
    auto r = api("POST", "/kiosk/login");
    r.headers.emplace_back("Content-Type", "application/json");
    r.headers.emplace_back("X-Kiosk-Key", device_key);
    r.body = json{{"member_code", member_code}}.dump();
    start(Op::login, std::move(r), false);
}

void ApiClient::kiosk_login_pin(const std::string& device_key, const std::string& phone, const std::string& pin) {
    auto r = api("POST", "/kiosk/login");
    r.headers.emplace_back("Content-Type", "application/json");
    r.headers.emplace_back("X-Kiosk-Key", device_key);
    r.body = json{{"phone", phone}, {"pin", pin}}.dump();
    start(Op::login, std::move(r), false);
}

void ApiClient::logout() {
    if (!state_.token.empty()) {
        auto r = api("POST", "/auth/logout");
        start(Op::logout, std::move(r), false);
    }
    cancel_member_requests();
    // Signing out ends this device's card on the server too: nothing of it stays here. Without a
    // session or a network the server does not hear of it: the card's id (no credential) stays so
    // the next sign-in ends that card.
    if (state_.mode != AppMode::kiosk) forget_on_device(state_.token.empty() || state_.network_down);
    state_.clear_member_data();
    platform_.session_remove("memberdesk.token");
}

void ApiClient::load_program() { start(Op::program, api("GET", "/program"), true); }
void ApiClient::load_me() { start(Op::me, api("GET", "/me"), true); }
void ApiClient::load_coupons() { start(Op::coupons, api("GET", "/me/coupons"), true); }
void ApiClient::load_rewards() { start(Op::rewards, api("GET", "/rewards"), true); }
void ApiClient::load_redemptions() { start(Op::redemptions, api("GET", "/me/redemptions"), true); }
void ApiClient::load_card() { start(Op::card, api("GET", "/me/card"), true); }

namespace {
std::string ledger_query(const LedgerFilter& f, const ZoneRules& zone, int limit, const std::string& cursor) {
    std::string q = "?limit=" + std::to_string(limit);
    if (!f.type.empty()) q += "&type=" + url_encode(f.type);
    // Dates are local days; the API reads YYYY-MM-DD as that day in the program's zone.
    (void)zone;
    if (parse_date(f.from).ok()) q += "&from=" + url_encode(f.from);
    if (parse_date(f.to).ok()) q += "&to=" + url_encode(f.to);
    if (!cursor.empty()) q += "&cursor=" + url_encode(cursor);
    return q;
}
}  // namespace

void ApiClient::load_ledger(const LedgerFilter& filter) {
    state_.ledger_filter = filter;
    state_.ledger.value.reset();
    start(Op::ledger, api("GET", "/me/ledger" + ledger_query(filter, state_.zone, 20, "")), true);
}

void ApiClient::load_more_ledger() {
    if (!state_.ledger.value || !state_.ledger.value->next_cursor) return;
    start(Op::ledger_more,
          api("GET",
              "/me/ledger" + ledger_query(state_.ledger_filter, state_.zone, 20, *state_.ledger.value->next_cursor)),
          true);
}

void ApiClient::load_chart() { start(Op::chart, api("GET", "/me/ledger?limit=100"), true); }

void ApiClient::redeem(const std::string& reward_id, const std::string& idempotency_key) {
    auto r = api("POST", "/me/redemptions");
    r.headers.emplace_back("Content-Type", "application/json");
    r.headers.emplace_back("Idempotency-Key", idempotency_key);
    r.body = json{{"reward_id", reward_id}}.dump();
    start(Op::redeem, std::move(r), true);  // safe to retry: same key = one redemption
}

void ApiClient::send_feedback(const SurveyDraft& survey) {
    auto r = api("POST", "/me/feedback");
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = survey_body(survey);
    start(Op::feedback, std::move(r), false);
}

void ApiClient::export_data() { start(Op::export_data, api("GET", "/me/export"), true); }
void ApiClient::erase_account() {
    auto r = api("DELETE", "/me?confirm=yes");  // the member confirmed twice in the UI
    start(Op::erase, std::move(r), false);
}

void ApiClient::save_profile(const ProfileChange& change) {
    json body = json::object();
    if (change.name) body["name"] = *change.name;
    if (change.birthday) body["birthday"] = *change.birthday;
    auto r = api("PATCH", "/me");
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = body.dump();
    start(Op::profile_save, std::move(r), false);
}

void ApiClient::load_consents() { start(Op::consents, api("GET", "/me/consents"), true); }

void ApiClient::save_consents(const ConsentChange& change, const std::string& channel) {
    json body{{"channel", channel}};
    if (change.reminders) body["reminders"] = *change.reminders;
    if (change.marketing) body["marketing"] = *change.marketing;
    if (change.personalised_offers) body["personalised_offers"] = *change.personalised_offers;
    auto r = api("PUT", "/me/consents");
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = body.dump();
    start(Op::consents_save, std::move(r), true);  // the same choices again add no record
}

void ApiClient::load_inbox() { start(Op::inbox, api("GET", "/me/messages?limit=50"), true); }
void ApiClient::load_more_inbox() {
    if (!state_.inbox.value || !state_.inbox.value->next_cursor) return;
    start(Op::inbox_more, api("GET", "/me/messages?limit=50&cursor=" + url_encode(*state_.inbox.value->next_cursor)),
          true);
}
void ApiClient::load_reminder() { start(Op::reminder, api("GET", "/me/reminders"), true); }

void ApiClient::phone_start(const std::string& phone) {
    auto r = api("POST", "/me/phone/start");
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = json{{"phone", phone}, {"locale", code(state_.settings.lang)}}.dump();
    state_.phone_change.reset();
    start(Op::phone_start, std::move(r), false);
}

void ApiClient::phone_verify(const std::string& phone, const std::string& code_typed) {
    auto r = api("POST", "/me/phone/verify");
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = json{{"phone", phone}, {"code", code_typed}, {"locale", code(state_.settings.lang)}}.dump();
    start(Op::phone_verify, std::move(r), false);
}

void ApiClient::load_referral() { start(Op::referral, api("GET", "/me/referral"), true); }

void ApiClient::mark_read(std::int64_t up_to_id) {
    // The count drops at once; the messages keep their "new" mark while they are on screen.
    if (state_.inbox.value) {
        int unread = 0;
        for (const auto& m : state_.inbox.value->messages) unread += !m.read && m.id > up_to_id ? 1 : 0;
        state_.inbox.value->unread = unread;
    }
    auto r = api("POST", "/me/messages/read");
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = json{{"up_to_id", up_to_id}}.dump();
    start(Op::inbox_read, std::move(r), true);
}

void ApiClient::request_code(const CodeFlow& flow) {
    const bool signup = flow.purpose() == CodePurpose::signup;
    auto r = api("POST", signup ? "/auth/signup/start" : "/auth/pin-reset/start");
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = json{{"phone", flow.phone}, {"locale", code(state_.settings.lang)}}.dump();
    state_.code_verify.reset();
    start(Op::code_request, std::move(r), false);
}

void ApiClient::verify_code(const CodeFlow& flow, const std::string& channel, const std::string& device_key,
                            const std::string& store) {
    const bool signup = flow.purpose() == CodePurpose::signup;
    json body{{"phone", flow.phone}, {"code", flow.code}, {"pin", flow.pin}, {"locale", code(state_.settings.lang)}};
    if (signup) {
        body["name"] = flow.name;
        body["channel"] = channel;
        body["consents"] = json{
            {"terms", flow.terms}, {"marketing", flow.marketing}, {"personalised_offers", flow.personalised_offers}};
        if (!flow.referral_code.empty()) body["referral_code"] = flow.referral_code;
    }
    const bool at_store = signup && !store.empty() && !device_key.empty();
    if (at_store) body["store"] = store;
    auto r = api("POST", signup ? "/auth/signup/verify" : "/auth/pin-reset/verify");
    r.headers.emplace_back("Content-Type", "application/json");
    if (at_store) r.headers.emplace_back("X-Kiosk-Key", device_key);
    r.body = body.dump();
    start(Op::code_verify, std::move(r), false);
}

void ApiClient::discard_token(const std::string& token) {
    HttpRequest r;
    r.method = "POST";
    r.url = api_base_ + "/auth/logout";
    r.headers.emplace_back("Authorization", "Bearer " + token);
    start(Op::logout, std::move(r), false);
}

void ApiClient::load_latin_font(const std::string& path) {
    HttpRequest r;
    r.url = asset_base_ + path;
    start(Op::latin_font, std::move(r), true);
}

void ApiClient::load_lang_font(const std::string& path) {
    HttpRequest r;
    r.url = asset_base_ + path;
    start(Op::lang_font, std::move(r), true);
}

void ApiClient::load_cjk_font(const std::string& path) {
    HttpRequest r;
    r.url = asset_base_ + path;
    r.timeout_ms = 60000;
    start(Op::cjk_font, std::move(r), true);
}

}  // namespace memberdesk::client
