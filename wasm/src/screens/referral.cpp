// Invite a friend (Profile & privacy): the member's referral code and its link, as a QR a friend
// scans from this screen, and how many joined with it and earned the member a reward.
#include <algorithm>

#include "app/format.hpp"
#include "screens/screens.hpp"

namespace memberdesk::client {

void draw_referral(const Remote<ReferralView>& referral, ReferralUi& s, Ui& ui, Actions& actions) {
    ui.begin_card("referral", ui.tr("referral.title"));
    if (!show_remote(referral, "referral", Data::referral, ui, actions)) {
        ui.end_card();
        return;
    }
    const ReferralView& v = *referral.value;
    ui.text("referral.intro", ui.tr("referral.intro"), Tone::muted);
    ui.gap(4);
    const float side = std::min(ui.width(), ui.px(260));
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (ui.width() - side) * 0.5f);
    const ImVec2 p = ui.image("referral.qr", ui.tr("referral.qr_alt"), ImVec2(side, side));
    draw_qr(ImGui::GetWindowDrawList(), p, side, s.qr.get(v.url));
    ui.gap(2);
    ui.pair("referral.code", ui.tr("referral.code"), v.code);
    ui.pair("referral.link", ui.tr("referral.link"), v.url);
    if (ui.button("referral.copy", ui.tr("referral.copy"), ButtonKind::secondary)) actions.copy = v.url;
    ui.gap(4);
    ui.pair("referral.invited", ui.tr("referral.invited"), fmt_int(v.invited));
    ui.pair("referral.rewarded", ui.tr("referral.rewarded"), fmt_int(v.rewarded));
    ui.text("referral.how", ui.tr("referral.how"), Tone::muted, ui.fonts().small);
    ui.end_card();
    ui.gap(4);
    if (ui.button("referral.back", ui.tr("consents.back"), ButtonKind::ghost)) actions.navigate = Screen::profile;
}

}  // namespace memberdesk::client
