// The staff console's side of /api/v1/staff (docs/api.md "Stores and staff"): sign-in, who is
// signed in, member look-up by scan or phone, the member at the staff's data level, coupon
// redemption at the counter and goodwill points. Like ApiClient (app/api_client.hpp): requests go
// through an HttpTransport, answers are queued by the transport's callback and applied by poll()
// once per frame into Remote<T>s; a newer request for the same data supersedes an older one. Writes
// are never retried by themselves (the clerk sees the error and decides).
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "app/client_state.hpp"
#include "app/platform.hpp"
#include "memberdesk/staff_care.hpp"
#include "memberdesk/staff_console.hpp"
#include "memberdesk/staff_reports_view.hpp"

namespace memberdesk::client::staff {

// POST /staff/login's answer.
struct StaffLogin {
    std::string token, expires_at, role;
};
void from_json(const nlohmann::json& j, StaffLogin& v);

// Everything the console knows from the server. Screens read it; only StaffApi writes it.
struct StaffState {
    std::string token;            // kept in sessionStorage (this tab) like the portal's
    bool session_ended = false;   // a 401 ended it: the sign-in screen says so
    Remote<StaffLogin> login;     // the last POST /staff/login
    Remote<StaffSessionView> me;  // GET /staff/me
    Remote<StaffMemberList> search;
    Remote<StaffMemberView> member;
    Remote<StaffRedeemView> redeem;
    Remote<StaffAdjustView> adjust;
    Remote<StaffReportView> report;  // GET /staff/reports for the chosen period and scope
    // The stores of the caller's whole scope (the first report that was not narrowed to a store):
    // what the store choice and the survey results list.
    std::vector<std::string> scope_stores;
    std::map<std::string, Remote<StaffReportView>> store_reports;  // survey results, one per store
    Remote<StoreCatalogView> catalog;  // head office: regions and stores to narrow a report to
    Remote<StaffAtRiskView> at_risk;
    Remote<std::string> at_risk_csv;  // the name of the file handed to the browser
    // Member care (managers): the members browsed or found, the member opened and their history,
    // coupons, messages and audit ("Load more" appends to the list shown), the coupon templates,
    // and the answer to the last change.
    Remote<StaffMemberList> care_list;
    Remote<StaffMemberView> care_member;
    Remote<LedgerPageView> care_ledger;
    Remote<StaffCouponList> care_coupons;
    Remote<StaffMessageList> care_messages;
    Remote<StaffAuditPage> care_audit;
    Remote<CouponTemplateList> templates;
    Remote<StaffCareResult> care_change;
    ApiError care_more_error;  // a "Load more" that failed (the rows shown stay)
    bool signed_in() const { return !token.empty(); }
    void clear_session_data();  // everything but the token's absence and the notice
};

enum class StaffOp {
    login,
    logout,
    me,
    search,
    member,
    redeem,
    adjust,
    report,
    store_report,
    catalog,
    at_risk,
    at_risk_csv,
    care_list,
    care_member,
    care_ledger,
    care_coupons,
    care_messages,
    care_audit,
    templates,
    care_change,
    count_
};

class StaffApi {
public:
    StaffApi(HttpTransport& http, Platform& platform, StaffState& state);
    ~StaffApi();

    void set_base(std::string api_base) { base_ = std::move(api_base); }
    void restore_session();  // the token of this tab's earlier sign-in, if any
    void login(const std::string& username, const std::string& password);
    void logout();  // tells the server, forgets the session and every answer at once
    void load_me();
    void find_by_code(const std::string& code);
    void find_by_phone(const std::string& phone);
    void load_member(std::int64_t id);
    void redeem_coupon(const std::string& code, Cents order_amount, const std::string& txn_id);
    void adjust(std::int64_t member_id, Points points, const std::string& reason);
    // `store` and `region` empty: the whole scope. `group` empty: no series.
    void load_report(const ReportDates& dates, const std::string& store, const std::string& region = "");
    void load_catalog();  // GET /admin/stores (an hq_admin's token)
    // One report per store (no series) for the survey results; replaces the ones asked before.
    void load_store_reports(const ReportDates& dates, const std::vector<std::string>& stores);
    // `level` 2 or 3 (3 with a reason).
    void load_at_risk(int level, const std::string& reason);
    // The same list as a CSV file the browser downloads as `filename`.
    void export_at_risk(int level, const std::string& reason, const std::string& filename);

    // Member care. `more`: the next page (the list's next_cursor) appended to the one shown.
    void care_browse(bool more);
    void care_find(const std::string& phone);
    void care_find_code(const std::string& code);  // a scanned member card
    void care_load_member(std::int64_t id, int level = 0, const std::string& reason = "");
    void care_load_ledger(std::int64_t id, bool more);
    void care_load_coupons(std::int64_t id);
    void care_load_messages(std::int64_t id, bool more);
    void care_load_audit(std::int64_t id, bool more);
    void load_templates();
    void care_adjust(std::int64_t id, Points points, const std::string& reason);
    void care_issue(std::int64_t id, const std::string& template_id, const std::string& reason);
    void care_void(const std::string& code, const std::string& reason);
    void care_forget();  // the member closed: nothing of them stays

    bool poll();  // applies answers; true if anything changed
    bool busy() const { return in_flight_ > 0; }
    int requests_started() const { return started_; }

    static constexpr const char* kTokenStorage = "memberdesk.staff.token";

private:
    struct Call {
        StaffOp op;
        std::uint64_t generation = 0;
        HttpRequest request;
        std::string key;  // the store of a store_report, the file name of a CSV export, "more" for a next page
    };
    struct Finished {
        Call call;
        HttpResponse response;
    };
    HttpRequest request(const std::string& method, const std::string& path) const;
    void start(StaffOp op, HttpRequest req, std::string key = "", bool same_generation = false);
    void apply(const Call& call, const HttpResponse& resp);
    void apply_more(StaffOp op, const HttpResponse& resp);
    void end_session(bool ended_by_server);

    HttpTransport& http_;
    Platform& platform_;
    StaffState& state_;
    std::string base_ = "/api/v1";
    std::uint64_t generation_[static_cast<int>(StaffOp::count_)] = {};
    std::shared_ptr<std::deque<Finished>> finished_;
    int in_flight_ = 0;
    int started_ = 0;
};

}  // namespace memberdesk::client::staff
