#include "staff/staff_mode.hpp"

#include <algorithm>
#include <cctype>

#include "app/ui.hpp"

namespace memberdesk::client::staff {

namespace {

std::vector<std::string>& posted() {
    static std::vector<std::string> codes;
    return codes;
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

}  // namespace

void post_scan(std::string code) { posted().push_back(std::move(code)); }

std::vector<std::string> take_posted_scans() {
    std::vector<std::string> out;
    out.swap(posted());
    return out;
}

StaffMode::StaffMode(Shell& shell, HttpTransport& http)
    : shell_(shell), platform_(shell.platform()), client_(shell.state()), api_(http, platform_, state_) {}

void StaffMode::start() {
    client_.settings.lang = lang_from_code(platform_.preferred_language());
    if (auto l = platform_.local_get(kLangStorage); l && !l->empty()) client_.settings.lang = lang_from_code(*l);
    client_.settings.text_size = 1;
    shell_.set_theme(make_theme(false));
    api_.restore_session();
    if (state_.signed_in()) {
        had_session_ = true;
        api_.load_me();
    }
    set_document();
}

void StaffMode::set_document() {
    platform_.set_document(code(client_.settings.lang), str(client_.settings.lang, "staff.title"));
}

const std::vector<StringEntry>& StaffMode::strings() const { return staff_string_table(); }

float StaffMode::text_scale(float, float) const { return client_.settings.text_scale(); }

void StaffMode::clear_counter() {
    state_.search.reset();
    state_.member.reset();
    state_.redeem.reset();
    state_.adjust.reset();
    awaiting_search_ = awaiting_redeem_ = awaiting_adjust_ = false;
    ui_.phone.clear();
    ui_.searched_by_code = false;
    ui_.coupon_code.clear();
    ui_.order_amount.clear();
    ui_.goodwill_points.clear();
    ui_.goodwill_reason.clear();
    ui_.last_grant = 0;
}

void StaffMode::scan(const std::string& code) {
    if (!state_.signed_in()) return;
    if (ui_.screen == StaffScreen::care) {
        // Member care: a scanned card opens that member; coupons are redeemed at the counter.
        if (classify_scan(code) == ScanKind::member) {
            close_care_member();
            api_.care_find_code(code);
            awaiting_care_find_ = true;
        }
        return;
    }
    switch (classify_scan(code)) {
        case ScanKind::member:
            // A new customer at the counter: nothing of the last one stays on screen.
            clear_counter();
            ui_.searched_by_code = true;
            api_.find_by_code(code);
            awaiting_search_ = true;
            break;
        case ScanKind::coupon:
            ui_.coupon_code = upper(code);
            state_.redeem.reset();
            break;
        case ScanKind::none: break;
    }
}

bool StaffMode::follow_answers() {
    bool changed = false;
    if (awaiting_search_ && !state_.search.loading()) {
        awaiting_search_ = false;
        changed = true;
        if (state_.search.status == Status::ok && !state_.search.value->members.empty())
            api_.load_member(state_.search.value->members.front().id);
    }
    if (awaiting_redeem_ && !state_.redeem.loading()) {
        awaiting_redeem_ = false;
        changed = true;
        if (state_.redeem.status == Status::ok) {
            ui_.coupon_code.clear();
            ui_.order_amount.clear();
            // The member on screen used one of their coupons: their counts change.
            if (state_.member.has() && state_.member.value->id == state_.redeem.value->member_id)
                api_.load_member(state_.member.value->id);
        }
    }
    if (awaiting_adjust_ && !state_.adjust.loading()) {
        awaiting_adjust_ = false;
        changed = true;
        if (state_.adjust.status == Status::ok) {
            if (state_.member.has() && state_.member.value->id == state_.adjust.value->member_id)
                state_.member.value->points = state_.adjust.value->points;
            ui_.goodwill_points.clear();
            ui_.goodwill_reason.clear();
        }
    }
    return changed;
}

void StaffMode::open(StaffScreen screen) {
    ui_.screen = screen;
    switch (screen) {
        case StaffScreen::reports:
        case StaffScreen::survey:
            // Head office narrows reports to a region: the chain's regions and stores.
            if (state_.me.has() && state_.me.value->role == "hq_admin" && !state_.catalog.has() &&
                !state_.catalog.loading())
                api_.load_catalog();
            if (!state_.report.has() && !state_.report.loading()) request_report();
            break;
        case StaffScreen::at_risk:
            if (!state_.at_risk.has() && !state_.at_risk.loading())
                api_.load_at_risk(ui_.at_risk_level, ui_.at_risk_reason);
            break;
        case StaffScreen::care:
            if (!state_.care_list.has() && !state_.care_list.loading()) api_.care_browse(false);
            break;
        case StaffScreen::counter: break;
    }
}

void StaffMode::open_care_member(std::int64_t id) {
    close_care_member();
    ui_.care_id = id;
    api_.care_load_member(id);
    api_.care_load_ledger(id, false);
    api_.care_load_coupons(id);
    api_.care_load_messages(id, false);
    api_.care_load_audit(id, false);
    if (state_.me.has() && care_rights(state_.me.value->role).issue && !state_.templates.has() &&
        !state_.templates.loading())
        api_.load_templates();
}

void StaffMode::close_care_member() {
    api_.care_forget();
    awaiting_care_change_ = false;
    ui_.care_id = 0;
    ui_.care_tab = CareTab::history;
    ui_.care_reveal_open = false;
    ui_.care_reveal_reason.clear();
    ui_.adjust_points.clear();
    ui_.adjust_reason.clear();
    ui_.template_choice = -1;
    ui_.issue_reason.clear();
    ui_.void_code.clear();
    ui_.void_reason.clear();
    ui_.confirm.reset();
    ui_.last_change.reset();
}

void StaffMode::apply_care(const StaffActions& a) {
    if (a.care_find) {
        const std::string phone = phone_digits(ui_.care_phone);
        close_care_member();
        ui_.care_phone = phone;
        api_.care_find(phone);
        awaiting_care_find_ = true;
    }
    if (a.care_browse) {
        close_care_member();
        awaiting_care_find_ = false;
        api_.care_browse(false);
    }
    if (a.care_browse_more) api_.care_browse(true);
    if (a.care_open) open_care_member(*a.care_open);
    if (a.care_close) close_care_member();
    if (ui_.care_id == 0) return;
    if (a.care_reveal && valid_staff_reason(ui_.care_reveal_reason)) {
        api_.care_load_member(ui_.care_id, 3, ui_.care_reveal_reason);
        ui_.care_reveal_open = false;
        ui_.care_reveal_reason.clear();
    }
    if (a.care_more) {
        switch (ui_.care_tab) {
            case CareTab::history: api_.care_load_ledger(ui_.care_id, true); break;
            case CareTab::messages: api_.care_load_messages(ui_.care_id, true); break;
            case CareTab::audit: api_.care_load_audit(ui_.care_id, true); break;
            case CareTab::coupons: break;
        }
    }
    if (a.care_confirmed && ui_.confirm) {
        const CareChange c = *ui_.confirm;
        ui_.confirm.reset();
        ui_.last_change = c;
        switch (c.kind) {
            case CareChange::Kind::adjust: api_.care_adjust(ui_.care_id, c.points, c.reason); break;
            case CareChange::Kind::issue: api_.care_issue(ui_.care_id, c.template_id, c.reason); break;
            case CareChange::Kind::void_coupon: api_.care_void(c.code, c.reason); break;
        }
        awaiting_care_change_ = true;
    }
}

bool StaffMode::follow_care() {
    bool changed = false;
    if (awaiting_care_find_ && !state_.care_list.loading()) {
        awaiting_care_find_ = false;
        changed = true;
        // One member found (a scan or a phone): open them at once.
        if (state_.care_list.status == Status::ok && state_.care_list.value->members.size() == 1)
            open_care_member(state_.care_list.value->members.front().id);
    }
    if (awaiting_care_change_ && !state_.care_change.loading()) {
        awaiting_care_change_ = false;
        changed = true;
        if (state_.care_change.status == Status::ok && ui_.last_change && ui_.care_id != 0) {
            const StaffCareResult& r = *state_.care_change.value;
            // The member's figures from the answer (a new read would audit a level-3 view again).
            if (state_.care_member.has()) {
                StaffMemberView& m = *state_.care_member.value;
                if (r.points) m.points = *r.points;
                if (ui_.last_change->kind == CareChange::Kind::issue) ++m.coupons.available;
                if (ui_.last_change->kind == CareChange::Kind::void_coupon && m.coupons.available > 0) {
                    --m.coupons.available;
                    ++m.coupons.voided;
                }
            }
            switch (ui_.last_change->kind) {
                case CareChange::Kind::adjust:
                    ui_.adjust_points.clear();
                    ui_.adjust_reason.clear();
                    break;
                case CareChange::Kind::issue: ui_.issue_reason.clear(); break;
                case CareChange::Kind::void_coupon:
                    ui_.void_code.clear();
                    ui_.void_reason.clear();
                    break;
            }
            api_.care_load_ledger(ui_.care_id, false);
            api_.care_load_coupons(ui_.care_id);
            api_.care_load_audit(ui_.care_id, false);
        }
    }
    return changed;
}

void StaffMode::request_report() {
    const CivilDate today = client_.zone.local_date(platform_.unix_now());
    auto dates =
        report_dates(static_cast<ReportPeriod>(std::clamp(ui_.period, 0, 3)), today, ui_.custom_from, ui_.custom_to);
    if (!dates) return;
    const std::string region = report_region_choice(state_, ui_);
    const auto stores = report_store_choices(state_, ui_);
    std::string store;
    if (ui_.store_choice > 0 && static_cast<std::size_t>(ui_.store_choice) <= stores.size())
        store = stores[static_cast<std::size_t>(ui_.store_choice - 1)];
    ui_.dates = dates;
    survey_key_.clear();
    api_.load_report(*dates, store, store.empty() ? region : "");
}

bool StaffMode::follow_manager_screens() {
    bool changed = false;
    // The signed-in role's first screen (a clerk's console is the counter; an auditor's, reports).
    if (!role_applied_ && state_.me.has()) {
        role_applied_ = true;
        const auto screens = staff_screens_for(state_.me.value->role);
        if (std::find(screens.begin(), screens.end(), ui_.screen) == screens.end()) open(screens.front());
        changed = true;
    }
    // The survey table: one report per store of a scope with several.
    constexpr std::size_t kMaxSurveyStores = 30;
    if (ui_.screen == StaffScreen::survey && state_.report.status == Status::ok && !state_.report.value->store &&
        state_.report.value->stores.size() > 1 && ui_.dates) {
        std::vector<std::string> stores = state_.report.value->stores;
        if (stores.size() > kMaxSurveyStores) stores.resize(kMaxSurveyStores);
        std::string key = format_date(ui_.dates->from) + "/" + format_date(ui_.dates->to);
        for (const auto& id : stores) key += "/" + id;
        if (key != survey_key_) {
            survey_key_ = key;
            api_.load_store_reports(*ui_.dates, stores);
            changed = true;
        }
    }
    return changed;
}

bool StaffMode::update() {
    bool changed = api_.poll();
    if (follow_answers()) changed = true;
    if (follow_manager_screens()) changed = true;
    if (follow_care()) changed = true;
    for (auto& c : take_posted_scans()) {
        scan(c);
        changed = true;
    }
    // Session transitions.
    if (!had_session_ && state_.signed_in()) {
        had_session_ = true;
        ui_.password.assign(ui_.password.size(), '\0');
        ui_.password.clear();
        ui_.signed_out_note = false;
        api_.load_me();
        changed = true;
    } else if (had_session_ && !state_.signed_in()) {
        had_session_ = false;
        const std::string username = ui_.username;
        ui_ = StaffUi{};
        ui_.username = username;  // the sign-in form keeps who was signed in, never the password
        awaiting_search_ = awaiting_redeem_ = awaiting_adjust_ = false;
        awaiting_care_find_ = awaiting_care_change_ = false;
        role_applied_ = false;
        survey_key_.clear();
        changed = true;
    }
    return changed;
}

void StaffMode::apply(const StaffActions& a) {
    if (a.switch_language) {
        client_.settings.lang = client_.settings.lang == Lang::zh ? Lang::en : Lang::zh;
        platform_.local_set(kLangStorage, code(client_.settings.lang));
        set_document();
    }
    if (a.sign_in) {
        ui_.signed_out_note = false;
        api_.login(ui_.username, ui_.password);
    }
    if (a.sign_out) {
        api_.logout();
        clear_counter();
        had_session_ = false;
        const std::string username = ui_.username;
        ui_ = StaffUi{};  // nothing of the manager screens (a reason typed, a period) stays either
        ui_.username = username;
        ui_.signed_out_note = true;
        awaiting_care_find_ = awaiting_care_change_ = false;
        role_applied_ = false;
        survey_key_.clear();
        return;
    }
    if (a.next_customer) clear_counter();
    if (a.open_screen) open(*a.open_screen);
    if (a.show_report) request_report();
    if (a.reveal_full && valid_staff_reason(ui_.reveal_reason)) {
        ui_.at_risk_level = 3;
        ui_.at_risk_reason = ui_.reveal_reason;
        ui_.reveal_open = false;
        ui_.reveal_reason.clear();
        state_.at_risk_csv.reset();
        api_.load_at_risk(3, ui_.at_risk_reason);
    }
    if (a.hide_full) {
        ui_.at_risk_level = 2;
        ui_.at_risk_reason.clear();
        state_.at_risk_csv.reset();
        api_.load_at_risk(2, "");
    }
    if (a.reload_at_risk) api_.load_at_risk(ui_.at_risk_level, ui_.at_risk_reason);
    if (a.export_at_risk) {
        const std::string day = state_.at_risk.has() && !state_.at_risk.value->as_of.empty()
                                    ? state_.at_risk.value->as_of
                                    : format_date(client_.zone.local_date(platform_.unix_now()));
        api_.export_at_risk(ui_.at_risk_level, ui_.at_risk_reason, "at-risk-" + day + ".csv");
    }
    apply_care(a);
    if (a.find_phone) {
        const std::string phone = phone_digits(ui_.phone);
        clear_counter();
        ui_.phone = phone;
        api_.find_by_phone(phone);
        awaiting_search_ = true;
    }
    if (a.retry_member && state_.search.has() && !state_.search.value->members.empty())
        api_.load_member(state_.search.value->members.front().id);
    if (a.redeem) {
        if (auto amount = parse_yuan(ui_.order_amount)) {
            // One transaction id per confirmed redemption (the server answers a repeat the same).
            api_.redeem_coupon(upper(ui_.coupon_code), *amount, "STAFF-" + platform_.random_hex(8));
            awaiting_redeem_ = true;
        }
    }
    if (a.give_points && state_.member.has()) {
        if (auto points = parse_goodwill(ui_.goodwill_points)) {
            ui_.last_grant = *points;
            api_.adjust(state_.member.value->id, *points, ui_.goodwill_reason);
            awaiting_adjust_ = true;
        }
    }
}

void StaffMode::draw(Ui& ui) {
    pending_ = StaffActions{};
    StaffView v{state_, ui_};
    draw_staff(v, ui, pending_);
}

void StaffMode::after_frame() {
    const StaffActions a = pending_;
    pending_ = StaffActions{};
    apply(a);
}

double StaffMode::next_wake() const { return api_.busy() ? 0.1 : -1; }

}  // namespace memberdesk::client::staff
