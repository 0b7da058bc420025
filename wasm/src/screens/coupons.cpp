#include <algorithm>

#include "app/format.hpp"
#include "screens/screens.hpp"

namespace memberdesk::client {

namespace {

int tab_of(const CouponView& c) {
    if (c.state == "available") return 0;
    if (c.state == "used") return 1;
    return 2;  // expired, void(ed)
}

const char* state_key(const std::string& state) {
    if (state == "available") return "coupons.state.available";
    if (state == "used") return "coupons.state.used";
    if (state == "expired") return "coupons.state.expired";
    return "coupons.state.void";
}

void draw_large(const CouponView& c, CouponsUi& s, Ui& ui, Actions& actions) {
    const std::string id = "coupons.large";
    if (ui.button(id + ".back", ui.tr("coupons.back"), ButtonKind::ghost)) s.open_id.reset();
    ui.begin_card(id, ui.t(c.title));
    ui.heading(id + ".title", ui.t(c.title), 2);
    if (!ui.t(c.conditions).empty()) ui.text(id + ".conditions", ui.t(c.conditions), Tone::muted);
    ui.gap(4);
    const float side = std::min(ui.width(), ui.px(300));
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (ui.width() - side) * 0.5f);
    const ImVec2 p = ui.image(id + ".qr", fmt(ui.tr("coupons.qr_alt"), {c.code}), ImVec2(side, side));
    draw_qr(ImGui::GetWindowDrawList(), p, side, s.qr.get(c.code));
    ui.gap(2);
    ui.pair(id + ".code", ui.tr("coupons.code"), c.code);
    ui.pair(id + ".valid", ui.tr("coupons.valid"), ui.date(c.valid_from) + " \xE2\x80\x93 " + ui.date(c.valid_until));
    ui.pair(id + ".state", ui.tr("coupons.state"), ui.tr(state_key(c.state)));
    if (c.used_at) ui.pair(id + ".used", ui.tr("coupons.used_at"), ui.datetime(*c.used_at));
    ui.text(id + ".how", ui.tr("coupons.how"), Tone::muted);
    if (ui.button(id + ".copy", ui.tr("coupons.copy"), ButtonKind::secondary)) actions.copy = c.code;
    ui.end_card();
}

}  // namespace

void draw_coupons(const Remote<std::vector<CouponView>>& coupons, CouponsUi& s, Ui& ui, Actions& actions) {
    if (!show_remote(coupons, "coupons", Data::coupons, ui, actions)) return;
    const auto& all = *coupons.value;

    if (s.open_id) {
        auto it = std::find_if(all.begin(), all.end(), [&](const CouponView& c) { return c.id == *s.open_id; });
        if (it != all.end()) {
            draw_large(*it, s, ui, actions);
            return;
        }
        s.open_id.reset();
    }

    int counts[3] = {0, 0, 0};
    for (const auto& c : all) counts[tab_of(c)]++;
    ui.choice("coupons.tab", ui.tr("coupons.show"),
              {fmt(ui.tr("coupons.tab.available"), {std::to_string(counts[0])}),
               fmt(ui.tr("coupons.tab.used"), {std::to_string(counts[1])}),
               fmt(ui.tr("coupons.tab.expired"), {std::to_string(counts[2])})},
              s.tab);
    ui.gap(4);
    ui.begin_list("coupons.list", ui.tr("nav.coupons"));
    int shown = 0;
    for (const auto& c : all) {
        if (tab_of(c) != s.tab) continue;
        ++shown;
        const std::string id = "coupon." + std::to_string(c.id);
        ui.begin_item(id);
        // Two coupons may share a title: the code tells their regions apart.
        ui.begin_card(id + ".card", ui.t(c.title) + " \xC2\xB7 " + c.code);
        ui.heading(id + ".title", ui.t(c.title), 2);
        if (c.state != "available") {
            ui.same_line(10);
            ui.badge(id + ".state", ui.tr(state_key(c.state)), Tone::muted);
        }
        if (!ui.t(c.conditions).empty()) ui.text(id + ".conditions", ui.t(c.conditions), Tone::muted);
        ui.text(id + ".valid", fmt(ui.tr("coupons.valid_until"), {ui.date(c.valid_until)}), Tone::muted,
                ui.fonts().small);
        if (c.used_at)
            ui.text(id + ".used", fmt(ui.tr("coupons.used_on"), {ui.date(*c.used_at), fmt_money(c.used_discount)}),
                    Tone::muted, ui.fonts().small);
        ui.text(id + ".code", fmt(ui.tr("coupons.code_is"), {c.code}), Tone::normal, ui.fonts().small);
        if (ui.button(id + ".open", ui.tr("coupons.open"),
                      c.state == "available" ? ButtonKind::primary : ButtonKind::secondary))
            s.open_id = c.id;
        ui.end_card();
        ui.end_item();
        ui.gap(2);
    }
    ui.end_list();
    if (shown == 0) ui.text("coupons.empty", ui.tr("coupons.empty"), Tone::muted);
    if (coupons.loading()) ui.loading("coupons.refreshing", ui.tr("common.refreshing"));
}

}  // namespace memberdesk::client
