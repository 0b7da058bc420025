#include "app/client_state.hpp"

#include <algorithm>

namespace memberdesk::client {

float Settings::text_scale() const {
    switch (text_size) {
        case 0: return 0.875f;
        case 2: return 1.2f;
        case 3: return 1.45f;
        default: return 1.0f;
    }
}

void ClientState::clear_member_data() {
    token.clear();
    login.reset();
    me.reset();
    coupons.reset();
    rewards.reset();
    ledger.reset();
    ledger_filter = {};
    chart.reset();
    redemptions.reset();
    card.reset();
    card_loaded_at = 0;
    if (offline_card) std::fill(offline_card->secret.begin(), offline_card->secret.end(), '\0');
    offline_card.reset();
    offline_view.reset();
    redemption.reset();
    feedback.reset();
    export_data.reset();
    erase.reset();
    profile_save.reset();
    consents.reset();
    referral.reset();
    phone_code.reset();
    phone_change.reset();
    inbox.reset();
    reminder.reset();
}

}  // namespace memberdesk::client
