// The kiosk's History tab: the points ledger and the redemption history as a HistoryPage (core
// view model, memberdesk/history.hpp), filter buttons, and big Previous / Next buttons: as many
// rows as fit the screen, so nobody has to scroll.
#include <algorithm>

#include "app/format.hpp"
#include "screens/kiosk_screens.hpp"

namespace memberdesk::client::kiosk {

namespace {

const char* filter_key(HistoryFilter f) {
    switch (f) {
        case HistoryFilter::all: return "kiosk.history.all";
        case HistoryFilter::earned: return "kiosk.history.earned";
        case HistoryFilter::spent: return "kiosk.history.spent";
        case HistoryFilter::expired: return "kiosk.history.expired";
        case HistoryFilter::redemptions: return "kiosk.history.redemptions";
    }
    return "kiosk.history.all";
}

const char* row_type_key(const std::string& type) {
    if (type == "redemption") return "kiosk.history.redeemed";
    for (const auto& [name, key] : history_types())
        if (name == type) return key;
    if (type == "debt_settle") return "history.type.debt_settle";
    return "history.type.other";
}

}  // namespace

void draw_kiosk_history(KioskView& v, Ui& ui, KioskActions& a, float w, float h) {
    const HistoryFilter filters[] = {HistoryFilter::all, HistoryFilter::earned, HistoryFilter::spent,
                                     HistoryFilter::expired, HistoryFilter::redemptions};
    const float gap = ui.px(12);
    const float bh = ui.px(64);
    const float bw = std::min((w - 4 * gap) / 5, ui.px(300));
    ui.begin_region("kiosk.history.filters", kt(ui, "kiosk.history.show"), Role::nav);
    ImGui::PushFont(ui.fonts().heading);
    for (int i = 0; i < 5; ++i) {
        if (i) ImGui::SameLine(0, gap);
        const bool cur = v.ui.history_filter == filters[i];
        const std::string id = std::string("kiosk.history.filter.") + to_string(filters[i]);
        if (kiosk_button(v, ui, id, kt(ui, filter_key(filters[i])), cur ? ButtonKind::primary : ButtonKind::secondary,
                         true, bw, bh) &&
            !cur)
            a.history_filter = filters[i];
        if (MirrorNode* n = ui.mirror().last()) n->current = cur;
    }
    ImGui::PopFont();
    ui.end_region();
    ui.gap(8);

    const bool redemptions = v.ui.history_filter == HistoryFilter::redemptions;
    const auto& ledger = v.state.ledger;
    const auto& red = v.state.redemptions;
    const ApiError& failed = redemptions ? red.error : ledger.error;
    if (redemptions ? red.failed() && !red.has() : ledger.failed() && !ledger.has()) {
        ui.alert("kiosk.history.error", error_text(ui.lang(), failed.status, failed.code, failed.message));
        if (kiosk_button(v, ui, "kiosk.history.retry", ui.tr("common.retry"), ButtonKind::secondary, true, ui.px(260),
                         ui.px(72)))
            a.history_filter = v.ui.history_filter;
        return;
    }
    if (redemptions ? !red.has() : !ledger.has()) {
        ui.loading("kiosk.history.loading", ui.tr(redemptions ? red.waiting_key() : ledger.waiting_key()));
        return;
    }

    // Rows per page: what fits between the filters and the pager.
    // A row's height as drawn last frame (an estimate before the first one).
    const float row_h = v.ui.history_row_h > 0 ? v.ui.history_row_h : ui.px(80), pager_h = bh + ui.px(16);
    const float avail = std::max(0.0f, ImGui::GetContentRegionAvail().y);
    (void)h;
    v.ui.history_rows = std::clamp(static_cast<int>((avail - pager_h) / row_h), 1, 8);

    static const std::vector<LedgerEntryView> kNoEntries;
    static const std::vector<RedemptionView> kNoRedemptions;
    const bool more = !redemptions && ledger.value->next_cursor.has_value();
    const HistoryPage page = build_history_page(redemptions ? kNoEntries : ledger.value->entries, more,
                                                red.has() ? *red.value : kNoRedemptions, v.ui.history_filter,
                                                v.ui.history_page, v.ui.history_rows);
    v.ui.history_page = page.page;

    const float list_h = row_h * static_cast<float>(v.ui.history_rows);
    const ImVec2 list_at = ImGui::GetCursorScreenPos();
    ui.push_width(w);
    ui.begin_list("kiosk.history.rows", kt(ui, filter_key(v.ui.history_filter)));
    // One line per row: reason | date, kind and store | points.
    bool measured = false;
    for (const auto& r : page.rows) {
        const std::string id = "kiosk.history." + r.id;
        const float y0 = ImGui::GetCursorScreenPos().y;
        ui.begin_item(id);
        ui.begin_card(id + ".card");
        const float right = ui.width();
        const std::string pts = fmt_signed(r.points) + " " + kt(ui, "kiosk.points_unit");
        const std::string reason = ui.t(r.reason).empty() ? ui.tr(row_type_key(r.type)) : ui.t(r.reason);
        ImGui::PushFont(ui.fonts().heading);
        const float pts_w = ImGui::CalcTextSize(pts.c_str()).x, big_h = ImGui::GetFontSize();
        ImGui::PopFont();
        const float meta_x = right * 0.5f;
        const ImVec2 start = ImGui::GetCursorScreenPos();
        ui.push_width(meta_x - ui.px(16));
        ui.text(id + ".reason", reason, Tone::normal, ui.fonts().heading);
        ui.pop_width();
        float bottom = ImGui::GetItemRectMax().y;
        std::string meta = ui.date(r.at) + "  \xC2\xB7  " + ui.tr(row_type_key(r.type));
        if (!r.store.empty()) meta += "  \xC2\xB7  " + fmt(kt(ui, "kiosk.history.store"), {r.store});
        ImGui::SetCursorScreenPos(
            ImVec2(start.x + meta_x, start.y + std::max(0.0f, (big_h - ImGui::GetFontSize()) * 0.5f)));
        ui.push_width(std::max(ui.px(60), right - meta_x - pts_w - ui.px(24)));
        ui.text(id + ".meta", meta, Tone::muted);
        ui.pop_width();
        bottom = std::max(bottom, ImGui::GetItemRectMax().y);
        ImGui::SetCursorScreenPos(ImVec2(start.x + right - pts_w, start.y));
        ui.text(id + ".points", pts, r.points >= 0 ? Tone::success : Tone::danger, ui.fonts().heading);
        ImGui::SetCursorScreenPos(ImVec2(start.x, std::max(bottom, ImGui::GetItemRectMax().y)));
        ImGui::Dummy(ImVec2(1, 0));
        ui.end_card();
        ui.end_item();
        ui.gap(4);
        if (!measured) {
            v.ui.history_row_h = ImGui::GetCursorScreenPos().y - y0;
            measured = true;
        }
    }
    ui.end_list();
    if (page.rows.empty()) {
        if (page.complete)
            ui.text("kiosk.history.empty", kt(ui, redemptions ? "kiosk.history.no_redemptions" : "kiosk.history.empty"),
                    Tone::muted, ui.fonts().heading);
        else
            ui.loading("kiosk.history.loading_more", ui.tr("common.loading"));
    }
    ui.pop_width();

    // The pager sits at the same place whatever the page holds.
    ImGui::SetCursorScreenPos(ImVec2(list_at.x, std::max(ImGui::GetCursorScreenPos().y, list_at.y + list_h)));
    ui.begin_region("kiosk.history.pager", kt(ui, "kiosk.history.pages"), Role::nav);
    const float pw = std::min(ui.px(320), (w - 2 * gap) / 3);
    ImGui::PushFont(ui.fonts().heading);
    if (kiosk_button(v, ui, "kiosk.history.prev", kt(ui, "kiosk.history.prev"), ButtonKind::secondary, page.has_prev,
                     pw, bh))
        v.ui.history_page = page.page - 1;
    ImGui::SameLine(0, gap);
    const std::string where = page.complete
                                  ? fmt(kt(ui, "kiosk.history.page_of"),
                                        {std::to_string(page.page + 1), std::to_string(std::max(1, page.pages_known))})
                                  : fmt(kt(ui, "kiosk.history.page"), {std::to_string(page.page + 1)});
    const float tw = ImGui::CalcTextSize(where.c_str()).x;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(
        ImVec2(at.x + std::max(0.0f, (pw - tw) * 0.5f), at.y + (bh - ImGui::GetFontSize()) * 0.5f));
    ui.text("kiosk.history.where", where);
    ImGui::SetCursorScreenPos(ImVec2(at.x + pw + gap, at.y));
    if (kiosk_button(v, ui, "kiosk.history.next", kt(ui, "kiosk.history.next"), ButtonKind::secondary, page.has_next,
                     pw, bh))
        v.ui.history_page = page.page + 1;
    ImGui::PopFont();
    ui.end_region();
}

}  // namespace memberdesk::client::kiosk
