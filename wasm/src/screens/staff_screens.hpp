// The staff console's screens (`/staff`), drawn by staff/staff_mode.cpp like the portal's and the
// kiosk's: plain functions of (what the server said, the console's UI state) that draw through Ui
// and report what staff asked for in StaffActions. They never call the API.
//
//   staff_frame.cpp    the full window, the top bar (title, who is signed in, language, sign-out)
//                      and the sign-in card
//   staff_counter.cpp  the counter: find a member (scan or full phone), the member at the staff's
//                      data level, redeem a coupon for an order amount, goodwill points
//   staff_reports.cpp  reports (period, store, the figures, a trend chart) and survey results per
//                      store and dimension (managers, head office, auditors)
//   staff_at_risk.cpp  the at-risk list by value with its CSV export; full names after a reason
//   staff_care.cpp     member care (managers): browse or find a member, their details (full ones
//                      after a reason), history, coupons, messages and audit; adjust points, issue
//                      and void coupons, each confirmed
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/ui.hpp"
#include "staff/staff_api.hpp"
#include "staff/staff_i18n.hpp"

namespace memberdesk::client::staff {

// Member care's tabs and its changes (each asks for a confirmation first).
enum class CareTab { history, coupons, messages, audit };
struct CareChange {
    enum class Kind { adjust, issue, void_coupon } kind = Kind::adjust;
    Points points = 0;
    std::string template_id, template_title, code, reason;
};

// What the console's screens remember between frames. Reset on sign-out.
struct StaffUi {
    std::string username, password;
    std::string phone;              // find by full phone
    bool searched_by_code = false;  // the last look-up was a scan
    std::string coupon_code, order_amount;
    std::string goodwill_points, goodwill_reason;
    Points last_grant = 0;         // what the last goodwill request asked for
    bool signed_out_note = false;  // "You have signed out." on the sign-in card
    // Manager screens.
    StaffScreen screen = StaffScreen::counter;
    int period = 0;                      // a ReportPeriod
    std::string custom_from, custom_to;  // YYYY-MM-DD, for ReportPeriod::custom
    int region_choice = 0;               // 0: every region, i: the catalogue's regions[i - 1] (head office)
    int store_choice = 0;                // 0: the whole scope (or region), i: report_store_choices()[i - 1]
    int chart_metric = 0;                // index into kChartMetrics
    std::optional<ReportDates> dates;    // of the report asked for last
    bool reveal_open = false;            // the reason form for full names is shown
    std::string reveal_reason;
    int at_risk_level = 2;  // what the list on screen (and its export) was asked at
    std::string at_risk_reason;
    // Member care.
    std::string care_phone;
    std::int64_t care_id = 0;  // the member opened (0: none)
    CareTab care_tab = CareTab::history;
    bool care_reveal_open = false;
    std::string care_reveal_reason;
    std::string adjust_points, adjust_reason;
    int template_choice = -1;  // index into the templates answer
    std::string issue_reason;
    std::string void_code, void_reason;     // the coupon chosen to void
    std::optional<CareChange> confirm;      // the change waiting for "Confirm"
    std::optional<CareChange> last_change;  // what the result on screen answers
};

// The metrics the trend chart offers, in the order of its choice.
constexpr ReportMetric kChartMetrics[] = {
    ReportMetric::members_active, ReportMetric::visits,        ReportMetric::net_spend, ReportMetric::retention_rate,
    ReportMetric::members_new,    ReportMetric::points_issued, ReportMetric::liability};

// What staff asked for during one frame.
struct StaffActions {
    bool switch_language = false;
    bool sign_in = false;
    bool sign_out = false;
    bool find_phone = false;  // with StaffUi::phone
    bool next_customer = false;
    bool retry_member = false;
    bool redeem = false;       // with StaffUi's coupon code and order amount
    bool give_points = false;  // with StaffUi's goodwill points and reason, for the member shown
    std::optional<StaffScreen> open_screen;
    bool show_report = false;  // with StaffUi's period, custom dates and store choice
    bool reload_at_risk = false;
    bool export_at_risk = false;  // the list on screen as a CSV file
    bool reveal_full = false;     // the at-risk list at level 3, with StaffUi::reveal_reason
    bool hide_full = false;       // back to level 2
    // Member care.
    bool care_browse_more = false;
    bool care_find = false;                 // with StaffUi::care_phone
    bool care_browse = false;               // back to the scope's list
    std::optional<std::int64_t> care_open;  // a member of the list
    bool care_close = false;
    bool care_reveal = false;     // level 3 with StaffUi::care_reveal_reason
    bool care_more = false;       // the next page of the tab shown
    bool care_confirmed = false;  // StaffUi::confirm goes to the server
    bool any() const;
};

struct StaffView {
    const StaffState& state;
    StaffUi& ui;
};

inline const char* st(const Ui& ui, const char* key) { return str(ui.lang(), key); }

// Is the form ready to send? (What the buttons' enabled state says; pure, for tests.)
bool redeem_ready(const StaffUi& ui);
bool goodwill_ready(const StaffUi& ui, bool member_shown);

void draw_staff(StaffView& v, Ui& ui, StaffActions& a);  // the whole window
void draw_staff_top_bar(StaffView& v, Ui& ui, StaffActions& a);
void draw_staff_sign_in(StaffView& v, Ui& ui, StaffActions& a);
void draw_staff_counter(StaffView& v, Ui& ui, StaffActions& a);
void draw_staff_nav(StaffView& v, Ui& ui, StaffActions& a);  // the screens the role's console offers
void draw_staff_reports(StaffView& v, Ui& ui, StaffActions& a);
void draw_staff_survey(StaffView& v, Ui& ui, StaffActions& a);
void draw_staff_at_risk(StaffView& v, Ui& ui, StaffActions& a);
void draw_staff_care(StaffView& v, Ui& ui, StaffActions& a);
// Two columns side by side from 860 CSS px wide, one above the other below; the cursor ends under
// the taller one.
void draw_two_columns(Ui& ui, const std::function<void()>& left, const std::function<void()>& right);

// The region a report is narrowed to ("" for none) and the stores its store choice offers: the
// chosen region's from head office's catalogue, else the stores of the caller's scope.
std::string report_region_choice(const StaffState& s, const StaffUi& ui);
std::vector<std::string> report_store_choices(const StaffState& s, const StaffUi& ui);

// The screens offered to whoever is signed in (none until GET /staff/me answers).
std::vector<StaffScreen> staff_screens(const StaffState& s);

}  // namespace memberdesk::client::staff
