#include <algorithm>

#include "app/format.hpp"
#include "screens/screens.hpp"

namespace memberdesk::client {

const char* to_string(Screen s) {
    switch (s) {
        case Screen::sign_in: return "sign-in";
        case Screen::sign_up: return "sign-up";
        case Screen::pin_reset: return "pin-reset";
        case Screen::home: return "home";
        case Screen::inbox: return "inbox";
        case Screen::consents: return "consents";
        case Screen::referral: return "invite";
        case Screen::coupons: return "coupons";
        case Screen::history: return "history";
        case Screen::rewards: return "rewards";
        case Screen::tiers: return "tiers";
        case Screen::card: return "card";
        case Screen::profile: return "profile";
        case Screen::feedback: return "feedback";
        case Screen::settings: return "settings";
    }
    return "home";
}

std::optional<Screen> screen_from_string(const std::string& s) {
    for (Screen x : {Screen::sign_in, Screen::sign_up, Screen::pin_reset, Screen::home, Screen::inbox, Screen::coupons,
                     Screen::history, Screen::rewards, Screen::tiers, Screen::card, Screen::profile, Screen::consents,
                     Screen::referral, Screen::feedback, Screen::settings})
        if (s == to_string(x)) return x;
    return std::nullopt;
}

const char* title_key(Screen s) {
    switch (s) {
        case Screen::sign_in: return "signin.title";
        case Screen::sign_up: return "signup.title";
        case Screen::pin_reset: return "reset.title";
        case Screen::home: return "nav.home";
        case Screen::inbox: return "nav.inbox";
        case Screen::consents: return "consents.title";
        case Screen::referral: return "referral.title";
        case Screen::coupons: return "nav.coupons";
        case Screen::history: return "nav.history";
        case Screen::rewards: return "nav.rewards";
        case Screen::tiers: return "nav.tiers";
        case Screen::card: return "nav.card";
        case Screen::profile: return "nav.profile";
        case Screen::feedback: return "nav.feedback";
        case Screen::settings: return "nav.settings";
    }
    return "nav.home";
}

bool signed_out_screen(Screen s) { return s == Screen::sign_in || s == Screen::sign_up || s == Screen::pin_reset; }

bool Actions::any() const {
    return navigate || sign_in || sign_out || !reload.empty() || redeem || ledger_filter || ledger_more ||
           send_feedback || reset_feedback || export_data || erase_account || copy || settings_changed ||
           switch_language || request_code || verify_code || save_profile || save_consents || mark_read ||
           check_connection || phone_start || phone_verify || inbox_more;
}

const std::vector<std::pair<std::string, const char*>>& history_types() {
    static const std::vector<std::pair<std::string, const char*>> types = {
        {"", "history.type.all"},          {"earn", "history.type.earn"},     {"bonus", "history.type.bonus"},
        {"redeem", "history.type.redeem"}, {"expire", "history.type.expire"}, {"clawback", "history.type.clawback"},
        {"adjust", "history.type.adjust"},
    };
    return types;
}

std::string error_words(const ApiError& e, Lang lang) { return error_text(lang, e.status, e.code, e.message); }

std::string reward_blocker(const RewardView& r, Points balance, const Ui& ui) {
    if (!r.in_stock) return ui.tr("rewards.out_of_stock");
    // The tier's name as members know it ("Elite"), never its id.
    if (!r.tier_allowed)
        return fmt(ui.tr("rewards.tier_needed"), {r.min_tier_name.en.empty() ? r.min_tier : ui.t(r.min_tier_name)});
    if (!r.affordable) return fmt(ui.tr("rewards.need_more"), {fmt_int(std::max<Points>(0, r.cost - balance))});
    return "";
}

}  // namespace memberdesk::client
