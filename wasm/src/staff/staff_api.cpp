#include "staff/staff_api.hpp"

#include <exception>

#include <nlohmann/json.hpp>

#include "app/api_client.hpp"

namespace memberdesk::client::staff {

using nlohmann::json;

void from_json(const json& j, StaffLogin& v) {
    v.token = j.at("token").get<std::string>();
    v.expires_at = j.value("expires_at", "");
    v.role = j.value("role", "");
}

void StaffState::clear_session_data() {
    login.reset();
    me.reset();
    search.reset();
    member.reset();
    redeem.reset();
    adjust.reset();
    report.reset();
    catalog.reset();
    scope_stores.clear();
    store_reports.clear();
    at_risk.reset();
    at_risk_csv.reset();
    care_list.reset();
    care_member.reset();
    care_ledger.reset();
    care_coupons.reset();
    care_messages.reset();
    care_audit.reset();
    templates.reset();
    care_change.reset();
    care_more_error = {};
}

namespace {

template <class T>
void mark_loading(Remote<T>& r) {
    r.status = Status::loading;
    r.attempt = 0;
    r.server_busy = false;
}

template <class T>
void decode_into(const HttpResponse& resp, Remote<T>& r) {
    if (resp.status < 200 || resp.status >= 300) {
        r.status = Status::failed;
        r.error = parse_api_error(resp);
        return;
    }
    try {
        r.value = json::parse(resp.body).get<T>();
        r.status = Status::ok;
        r.error = {};
    } catch (const std::exception& e) {
        r.status = Status::failed;
        r.error = ApiError{resp.status, "bad_response", e.what()};
    }
}

template <class F>
void visit(StaffState& s, StaffOp op, F&& f) {
    switch (op) {
        case StaffOp::login: f(s.login); break;
        case StaffOp::me: f(s.me); break;
        case StaffOp::search: f(s.search); break;
        case StaffOp::member: f(s.member); break;
        case StaffOp::redeem: f(s.redeem); break;
        case StaffOp::adjust: f(s.adjust); break;
        case StaffOp::report: f(s.report); break;
        case StaffOp::catalog: f(s.catalog); break;
        case StaffOp::at_risk: f(s.at_risk); break;
        case StaffOp::at_risk_csv: f(s.at_risk_csv); break;
        case StaffOp::care_list: f(s.care_list); break;
        case StaffOp::care_member: f(s.care_member); break;
        case StaffOp::care_ledger: f(s.care_ledger); break;
        case StaffOp::care_coupons: f(s.care_coupons); break;
        case StaffOp::care_messages: f(s.care_messages); break;
        case StaffOp::care_audit: f(s.care_audit); break;
        case StaffOp::templates: f(s.templates); break;
        case StaffOp::care_change: f(s.care_change); break;
        case StaffOp::store_report:  // keyed by store: see StaffApi::start and apply
        case StaffOp::logout:
        case StaffOp::count_: break;
    }
}

}  // namespace

StaffApi::StaffApi(HttpTransport& http, Platform& platform, StaffState& state)
    : http_(http), platform_(platform), state_(state), finished_(std::make_shared<std::deque<Finished>>()) {}

StaffApi::~StaffApi() = default;

HttpRequest StaffApi::request(const std::string& method, const std::string& path) const {
    HttpRequest r;
    r.method = method;
    r.url = base_ + path;
    r.headers.emplace_back("Accept", "application/json");
    if (!state_.token.empty()) r.headers.emplace_back("Authorization", "Bearer " + state_.token);
    return r;
}

void StaffApi::start(StaffOp op, HttpRequest req, std::string key, bool same_generation) {
    auto& gen = generation_[static_cast<int>(op)];
    Call call{op, same_generation ? gen : ++gen, std::move(req), std::move(key)};
    if (op == StaffOp::store_report)
        mark_loading(state_.store_reports[call.key]);
    else if (call.key == "more")
        state_.care_more_error = {};  // the rows shown stay while the next page comes
    else
        visit(state_, op, [](auto& r) { mark_loading(r); });
    ++started_;
    ++in_flight_;
    std::weak_ptr<std::deque<Finished>> queue = finished_;
    HttpRequest copy = call.request;
    http_.send(std::move(copy), [queue, call](HttpResponse resp) {
        if (auto q = queue.lock()) q->push_back(Finished{call, std::move(resp)});
    });
}

void StaffApi::restore_session() {
    if (auto t = platform_.session_get(kTokenStorage); t && !t->empty()) state_.token = *t;
}

void StaffApi::login(const std::string& username, const std::string& password) {
    auto r = request("POST", "/staff/login");
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = json{{"username", username}, {"password", password}}.dump();
    state_.session_ended = false;
    start(StaffOp::login, std::move(r));
}

void StaffApi::logout() {
    if (!state_.token.empty()) start(StaffOp::logout, request("POST", "/staff/logout"));
    end_session(false);
}

void StaffApi::end_session(bool ended_by_server) {
    // Answers still on their way belong to the old session: drop them.
    for (int i = 0; i < static_cast<int>(StaffOp::count_); ++i)
        if (i != static_cast<int>(StaffOp::logout)) ++generation_[i];
    state_.token.clear();
    state_.clear_session_data();
    state_.session_ended = ended_by_server;
    platform_.session_remove(kTokenStorage);
}

void StaffApi::load_me() { start(StaffOp::me, request("GET", "/staff/me")); }

void StaffApi::find_by_code(const std::string& code) {
    state_.member.reset();
    ++generation_[static_cast<int>(StaffOp::member)];
    start(StaffOp::search, request("GET", "/staff/members?code=" + url_encode(code)));
}

void StaffApi::find_by_phone(const std::string& phone) {
    state_.member.reset();
    ++generation_[static_cast<int>(StaffOp::member)];
    start(StaffOp::search, request("GET", "/staff/members?phone=" + url_encode(phone)));
}

void StaffApi::load_member(std::int64_t id) {
    start(StaffOp::member, request("GET", "/staff/members/" + std::to_string(id)));
}

void StaffApi::redeem_coupon(const std::string& code, Cents order_amount, const std::string& txn_id) {
    auto r = request("POST", "/staff/coupons/redeem");
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = json{{"code", code}, {"order_amount", order_amount}, {"txn_id", txn_id}}.dump();
    start(StaffOp::redeem, std::move(r));
}

void StaffApi::adjust(std::int64_t member_id, Points points, const std::string& reason) {
    auto r = request("POST", "/staff/members/" + std::to_string(member_id) + "/adjustments");
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = json{{"points", points}, {"reason", reason}}.dump();
    start(StaffOp::adjust, std::move(r));
}

namespace {

std::string report_query(const ReportDates& d) {
    std::string q = "/staff/reports?from=" + format_date(d.from) + "&to=" + format_date(d.to);
    if (!d.group.empty()) q += "&group=" + d.group;
    return q;
}

std::string at_risk_query(int level, const std::string& reason) {
    std::string q = "/staff/at-risk?limit=50";
    if (level == 3) q += "&level=3&reason=" + url_encode(reason);
    return q;
}

}  // namespace

void StaffApi::load_report(const ReportDates& dates, const std::string& store, const std::string& region) {
    std::string q = report_query(dates);
    if (!store.empty()) q += "&store=" + url_encode(store);
    if (!region.empty()) q += "&region=" + url_encode(region);
    start(StaffOp::report, request("GET", q));
}

void StaffApi::load_catalog() { start(StaffOp::catalog, request("GET", "/admin/stores")); }

void StaffApi::load_store_reports(const ReportDates& dates, const std::vector<std::string>& stores) {
    state_.store_reports.clear();
    ++generation_[static_cast<int>(StaffOp::store_report)];
    ReportDates no_series = dates;
    no_series.group.clear();
    for (const auto& s : stores)
        start(StaffOp::store_report, request("GET", report_query(no_series) + "&store=" + url_encode(s)), s, true);
}

void StaffApi::load_at_risk(int level, const std::string& reason) {
    start(StaffOp::at_risk, request("GET", at_risk_query(level, reason)));
}

void StaffApi::export_at_risk(int level, const std::string& reason, const std::string& filename) {
    auto r = request("GET", at_risk_query(level, reason) + "&format=csv");
    for (auto& h : r.headers)
        if (h.first == "Accept") h.second = "text/csv";
    start(StaffOp::at_risk_csv, std::move(r), filename);
}

namespace {

std::string member_path(std::int64_t id, const std::string& tail = "") {
    return "/staff/members/" + std::to_string(id) + tail;
}

// `?cursor=<next_cursor>&` of the list shown, for its next page ("" for the first page).
template <class T>
std::string cursor_of(const Remote<T>& r, bool more) {
    if (!more || !r.has() || !r.value->next_cursor) return "";
    return "cursor=" + url_encode(*r.value->next_cursor) + "&";
}

}  // namespace

void StaffApi::care_browse(bool more) {
    if (more && (!state_.care_list.has() || !state_.care_list.value->next_cursor)) return;
    start(StaffOp::care_list, request("GET", "/staff/members?" + cursor_of(state_.care_list, more) + "limit=20"),
          more ? "more" : "");
}

void StaffApi::care_find(const std::string& phone) {
    start(StaffOp::care_list, request("GET", "/staff/members?phone=" + url_encode(phone)));
}

void StaffApi::care_find_code(const std::string& code) {
    start(StaffOp::care_list, request("GET", "/staff/members?code=" + url_encode(code)));
}

void StaffApi::care_load_member(std::int64_t id, int level, const std::string& reason) {
    std::string q = member_path(id);
    if (level == 3) q += "?level=3&reason=" + url_encode(reason);
    start(StaffOp::care_member, request("GET", q));
}

void StaffApi::care_load_ledger(std::int64_t id, bool more) {
    if (more && (!state_.care_ledger.has() || !state_.care_ledger.value->next_cursor)) return;
    start(StaffOp::care_ledger,
          request("GET", member_path(id, "/ledger?") + cursor_of(state_.care_ledger, more) + "limit=20"),
          more ? "more" : "");
}

void StaffApi::care_load_coupons(std::int64_t id) {
    start(StaffOp::care_coupons, request("GET", member_path(id, "/coupons")));
}

void StaffApi::care_load_messages(std::int64_t id, bool more) {
    if (more && (!state_.care_messages.has() || !state_.care_messages.value->next_cursor)) return;
    start(StaffOp::care_messages,
          request("GET", member_path(id, "/messages?") + cursor_of(state_.care_messages, more) + "limit=20"),
          more ? "more" : "");
}

void StaffApi::care_load_audit(std::int64_t id, bool more) {
    if (more && (!state_.care_audit.has() || !state_.care_audit.value->next_cursor)) return;
    start(StaffOp::care_audit,
          request("GET",
                  "/staff/audit?member=" + std::to_string(id) + "&" + cursor_of(state_.care_audit, more) + "limit=20"),
          more ? "more" : "");
}

void StaffApi::load_templates() { start(StaffOp::templates, request("GET", "/staff/coupon-templates")); }

void StaffApi::care_adjust(std::int64_t id, Points points, const std::string& reason) {
    auto r = request("POST", member_path(id, "/adjustments"));
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = json{{"points", points}, {"reason", reason}}.dump();
    start(StaffOp::care_change, std::move(r));
}

void StaffApi::care_issue(std::int64_t id, const std::string& template_id, const std::string& reason) {
    auto r = request("POST", member_path(id, "/coupons"));
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = json{{"template", template_id}, {"reason", reason}}.dump();
    start(StaffOp::care_change, std::move(r));
}

void StaffApi::care_void(const std::string& code, const std::string& reason) {
    auto r = request("POST", "/staff/coupons/" + url_encode(code) + "/void");
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = json{{"reason", reason}}.dump();
    start(StaffOp::care_change, std::move(r));
}

void StaffApi::care_forget() {
    for (StaffOp op : {StaffOp::care_member, StaffOp::care_ledger, StaffOp::care_coupons, StaffOp::care_messages,
                       StaffOp::care_audit, StaffOp::care_change})
        ++generation_[static_cast<int>(op)];
    state_.care_member.reset();
    state_.care_ledger.reset();
    state_.care_coupons.reset();
    state_.care_messages.reset();
    state_.care_audit.reset();
    state_.care_change.reset();
    state_.care_more_error = {};
}

bool StaffApi::poll() {
    bool changed = false;
    while (!finished_->empty()) {
        Finished f = std::move(finished_->front());
        finished_->pop_front();
        --in_flight_;
        if (f.call.generation != generation_[static_cast<int>(f.call.op)]) continue;  // superseded
        changed = true;
        apply(f.call, f.response);
    }
    return changed;
}

void StaffApi::apply(const Call& call, const HttpResponse& resp) {
    if (call.op == StaffOp::logout) return;
    // A session the server no longer knows (expired, signed out elsewhere, password changed).
    if (call.op != StaffOp::login && resp.status == 401) {
        end_session(true);
        return;
    }
    if (call.op == StaffOp::store_report) {
        decode_into(resp, state_.store_reports[call.key]);
        return;
    }
    if (call.op == StaffOp::at_risk_csv) {
        Remote<std::string>& r = state_.at_risk_csv;
        if (resp.status >= 200 && resp.status < 300) {
            platform_.download(call.key, "text/csv", resp.body);
            r.value = call.key;
            r.status = Status::ok;
            r.error = {};
        } else {
            r.status = Status::failed;
            r.error = parse_api_error(resp);
        }
        return;
    }
    if (call.key == "more") {
        apply_more(call.op, resp);
        return;
    }
    visit(state_, call.op, [&](auto& r) { decode_into(resp, r); });
    // The first report of the whole scope names its stores.
    if (call.op == StaffOp::report && state_.report.status == Status::ok && !state_.report.value->store &&
        !state_.report.value->region)
        state_.scope_stores = state_.report.value->stores;
    if (call.op == StaffOp::login && state_.login.status == Status::ok) {
        state_.token = state_.login.value->token;
        platform_.session_set(kTokenStorage, state_.token);
    }
}

namespace {

// A next page decoded and appended to the list shown; its failure is kept apart so the list stays.
template <class T, class Rows>
void append_page(const HttpResponse& resp, Remote<T>& shown, ApiError& failed, Rows T::*rows) {
    Remote<T> page;
    decode_into(resp, page);
    if (page.status != Status::ok) {
        failed = page.error;
        return;
    }
    if (!shown.has()) {
        shown = page;
        return;
    }
    append_rows((*shown.value).*rows, (*page.value).*rows);
    shown.value->next_cursor = page.value->next_cursor;
}

}  // namespace

void StaffApi::apply_more(StaffOp op, const HttpResponse& resp) {
    ApiError& failed = state_.care_more_error;
    switch (op) {
        case StaffOp::care_list: append_page(resp, state_.care_list, failed, &StaffMemberList::members); break;
        case StaffOp::care_ledger: append_page(resp, state_.care_ledger, failed, &LedgerPageView::entries); break;
        case StaffOp::care_messages:
            append_page(resp, state_.care_messages, failed, &StaffMessageList::messages);
            break;
        case StaffOp::care_audit: append_page(resp, state_.care_audit, failed, &StaffAuditPage::entries); break;
        default: break;
    }
}

}  // namespace memberdesk::client::staff
