// The staff console (/staff): a Mode of the Shell (shell/shell.hpp) for a counter PC. Its screens
// are in screens/staff_*.cpp; this file is the session around them:
//
//   sign-in (username + password, POST /api/v1/staff/login; the token kept in this tab's
//   sessionStorage like the portal's) -> the counter:
//     find a member by a scanned member card (the scanner types the code + Enter anywhere on the
//     page, as on the kiosk) or by full phone (GET /staff/members), then the member at the staff's
//     data level (GET /staff/members/{id});
//     redeem a coupon (scanned or typed) for an order amount (POST /staff/coupons/redeem): the
//     discount and the amount to pay, from the server's answer;
//     goodwill points with a reason (POST /staff/members/{id}/adjustments): the role's daily limit
//     is the server's; a refusal is shown as it says.
//   Managers (and auditors) also have Reports, Survey results and At-risk members
//   (screens/staff_reports.cpp, staff_at_risk.cpp): GET /staff/reports for the chosen period and
//   store, one report per store for the survey table, GET /staff/at-risk and its CSV download.
//   Managers' Member care (screens/staff_care.cpp): browse the scope (GET /staff/members with its
//   cursor) or find by scan or phone, the member at the role's level (level 3 after a reason), their
//   ledger, coupons, messages and audit; changes (adjustments, coupons issued or voided) are sent
//   only after the confirmation, and the lists shown are read again after each.
//   Sign-out (or a 401) forgets the token and everything the console was shown.
//
// Platform-neutral: no emscripten, no GL; the web glue (staff_web.cpp) posts scans.
#pragma once
#include <string>
#include <vector>

#include "screens/staff_screens.hpp"
#include "shell/shell.hpp"
#include "staff/staff_api.hpp"

namespace memberdesk::client::staff {

class StaffMode : public Mode {
public:
    StaffMode(Shell& shell, HttpTransport& http);

    void start() override;
    bool update() override;
    const std::vector<StringEntry>& strings() const override;
    float text_scale(float css_w, float css_h) const override;
    void draw(Ui& ui) override;
    void after_frame() override;
    double next_wake() const override;

    // A scanned code (the web glue's scanner listener): a member card looks the member up, a
    // coupon code goes into the redemption form. Ignored while signed out.
    void scan(const std::string& code);

    const StaffState& state() const { return state_; }
    const StaffUi& ui_state() const { return ui_; }
    StaffApi& api() { return api_; }

    static constexpr const char* kLangStorage = "memberdesk.staff.lang";

private:
    void apply(const StaffActions& a);
    void set_document();
    void clear_counter();
    bool follow_answers();
    void open(StaffScreen screen);
    void request_report();
    bool follow_manager_screens();
    void open_care_member(std::int64_t id);
    void close_care_member();
    void apply_care(const StaffActions& a);
    bool follow_care();

    Shell& shell_;
    Platform& platform_;
    ClientState& client_;
    StaffState state_;
    StaffApi api_;
    StaffUi ui_;
    StaffActions pending_;
    bool had_session_ = false;
    bool awaiting_search_ = false, awaiting_redeem_ = false, awaiting_adjust_ = false;
    bool awaiting_care_find_ = false, awaiting_care_change_ = false;
    bool role_applied_ = false;  // the first screen of the signed-in role has been chosen
    std::string survey_key_;     // the period and stores the survey's per-store reports are for
};

// Codes read by the web glue's scanner listener (web/staff_setup.js -> md_staff_scan), waiting for
// the console's next update().
void post_scan(std::string code);
std::vector<std::string> take_posted_scans();

}  // namespace memberdesk::client::staff
