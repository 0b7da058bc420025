#include <algorithm>
#include <cmath>

#include "app/format.hpp"
#include "screens/screens.hpp"

namespace memberdesk::client {

namespace {

const char* type_key(const std::string& type) {
    for (const auto& [name, key] : history_types())
        if (name == type) return key;
    if (type == "debt_settle") return "history.type.debt_settle";
    return "history.type.other";
}

void draw_entries(const Remote<LedgerPageView>& ledger, Ui& ui, Actions& actions) {
    if (!show_remote(ledger, "history.entries", Data::ledger, ui, actions)) return;
    const auto& page = *ledger.value;
    ui.begin_list("history.entries", ui.tr("history.points"));
    for (const auto& e : page.entries) {
        const std::string id = "entry." + std::to_string(e.id);
        ui.begin_item(id);
        ui.begin_card(id + ".card");
        const float right = ui.width();
        const std::string delta = fmt_signed(e.points);
        const std::string reason = ui.t(e.reason).empty() ? ui.tr(type_key(e.type)) : ui.t(e.reason);
        // Line 1: reason ................ +50
        ui.push_width(right - ui.px(90));
        ui.text(id + ".reason", reason);
        ui.pop_width();
        const ImVec2 after = ImGui::GetCursorPos();
        const ImVec2 first = ImGui::GetItemRectMin();
        ImGui::SetCursorScreenPos(ImVec2(first.x + right - ImGui::CalcTextSize(delta.c_str()).x, first.y));
        ui.text(id + ".points", delta + " " + ui.tr("common.points_short"),
                e.points >= 0 ? Tone::success : Tone::danger);
        ImGui::SetCursorPos(after);
        std::string meta = ui.datetime(e.created_at) + "  \xC2\xB7  " + ui.tr(type_key(e.type));
        if (!e.store.empty()) meta += "  \xC2\xB7  " + e.store;
        ui.text(id + ".meta", meta, Tone::muted, ui.fonts().small);
        std::string bal = fmt(ui.tr("history.balance_after"), {fmt_int(e.balance_after)});
        if (e.expires_at) bal += "  \xC2\xB7  " + fmt(ui.tr("history.expires"), {ui.date(*e.expires_at)});
        ui.text(id + ".balance", bal, Tone::muted, ui.fonts().small);
        ui.end_card();
        ui.end_item();
        ui.gap(1);
    }
    ui.end_list();
    if (page.entries.empty()) ui.text("history.empty", ui.tr("history.empty"), Tone::muted);
    if (ledger.loading()) {
        ui.loading("history.loading_more", ui.tr("common.loading"));
    } else if (page.next_cursor) {
        if (ui.button("history.more", ui.tr("history.more"), ButtonKind::secondary, true, -1))
            actions.ledger_more = true;
    }
}

void draw_redemptions(const Remote<std::vector<RedemptionView>>& r, Ui& ui, Actions& actions) {
    if (!show_remote(r, "history.redemptions", Data::redemptions, ui, actions)) return;
    ui.begin_list("history.redemptions", ui.tr("history.redemptions"));
    for (const auto& x : *r.value) {
        const std::string id = "redemption." + std::to_string(x.id);
        ui.begin_item(id);
        ui.begin_card(id + ".card");
        ui.heading(id + ".name", ui.t(x.reward_name), 2);
        ui.text(id + ".points", fmt(ui.tr("history.redeemed_for"), {fmt_int(x.points)}));
        ui.text(id + ".date", ui.datetime(x.created_at), Tone::muted, ui.fonts().small);
        if (x.coupon)
            ui.text(id + ".coupon", fmt(ui.tr("history.redemption_coupon"), {ui.t(x.coupon->title), x.coupon->code}),
                    Tone::muted, ui.fonts().small);
        ui.end_card();
        ui.end_item();
        ui.gap(1);
    }
    ui.end_list();
    if (r.value->empty()) ui.text("history.redemptions.empty", ui.tr("history.no_redemptions"), Tone::muted);
}

}  // namespace

void draw_balance_chart(const std::vector<LedgerEntryView>& entries, Ui& ui) {
    struct P {
        UnixSeconds t;
        Points b;
        std::int64_t id;
    };
    std::vector<P> pts;
    for (const auto& e : entries)
        if (auto t = parse_time(e.created_at)) pts.push_back({*t, e.balance_after, e.id});
    std::sort(pts.begin(), pts.end(), [](const P& a, const P& b) { return a.t != b.t ? a.t < b.t : a.id < b.id; });

    const float w = ui.width(), h = ui.px(150);
    std::string alt;
    if (pts.empty()) {
        alt = ui.tr("history.chart_empty");
    } else {
        alt = fmt(ui.tr("history.chart_alt"),
                  {fmt_int(pts.front().b), format_date(ui.zone().local_date(pts.front().t)), fmt_int(pts.back().b),
                   format_date(ui.zone().local_date(pts.back().t)), std::to_string(pts.size())});
    }
    ui.text("history.chart.title", ui.tr("history.chart"), Tone::muted, ui.fonts().small);
    const ImVec2 p = ui.image("history.chart", alt, ImVec2(w, h));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const Theme& th = ui.theme();
    const float left = ui.px(44), bottom = ui.px(20), top = ui.px(8);
    const ImVec2 a(p.x + left, p.y + top), b(p.x + w - ui.px(4), p.y + h - bottom);
    ImFont* f = ui.fonts().small ? ui.fonts().small : ImGui::GetFont();
    const float fs = f->FontSize * f->Scale;
    if (pts.empty()) {
        dl->AddRect(a, b, th.chart_grid, ui.px(4));
        add_text(dl, f, fs, ImVec2(a.x + ui.px(8), a.y + ui.px(8)), th.muted, alt.c_str());
        return;
    }
    Points maxb = 0;
    for (const auto& q : pts) maxb = std::max(maxb, q.b);
    // A round top for the axis.
    double step = std::pow(10.0, std::floor(std::log10(std::max<double>(1.0, static_cast<double>(maxb)))));
    double top_v = std::ceil(std::max<double>(1.0, static_cast<double>(maxb)) / step) * step;
    if (top_v < 10) top_v = 10;
    UnixSeconds t0 = pts.front().t, t1 = std::max(pts.back().t, static_cast<UnixSeconds>(ui.unix_now()));
    if (t1 <= t0) t1 = t0 + 86400;
    auto X = [&](UnixSeconds t) { return a.x + (b.x - a.x) * static_cast<float>(double(t - t0) / double(t1 - t0)); };
    auto Y = [&](Points v) { return b.y - (b.y - a.y) * static_cast<float>(double(v) / top_v); };
    for (int i = 0; i <= 2; ++i) {
        const double v = top_v * i / 2;
        const float y = Y(static_cast<Points>(v));
        dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), th.chart_grid, std::max(1.0f, ui.px(1)));
        const std::string label = fmt_int(static_cast<long long>(v));
        const ImVec2 ts = f->CalcTextSizeA(fs, FLT_MAX, 0, label.c_str());
        add_text(dl, f, fs, ImVec2(a.x - ts.x - ui.px(6), y - ts.y * 0.5f), th.muted, label.c_str());
    }
    // Step line: the balance holds until the next entry.
    std::vector<ImVec2> line;
    line.emplace_back(X(pts.front().t), Y(0));
    for (std::size_t i = 0; i < pts.size(); ++i) {
        const float x = X(pts[i].t);
        line.emplace_back(x, line.back().y);
        line.emplace_back(x, Y(pts[i].b));
    }
    line.emplace_back(X(t1), line.back().y);
    for (std::size_t i = 1; i + 1 < line.size(); ++i) {
        // Fill under each horizontal run.
        if (line[i].y == line[i + 1].y && line[i + 1].x > line[i].x)
            dl->AddRectFilled(ImVec2(line[i].x, line[i].y), ImVec2(line[i + 1].x, b.y), th.chart_fill);
    }
    dl->AddPolyline(line.data() + 1, static_cast<int>(line.size() - 1), th.chart_line, 0, std::max(1.5f, ui.px(2)));
    const std::string d0 = format_date(ui.zone().local_date(t0)), d1 = format_date(ui.zone().local_date(t1));
    add_text(dl, f, fs, ImVec2(a.x, b.y + ui.px(3)), th.muted, d0.c_str());
    const ImVec2 ts1 = f->CalcTextSizeA(fs, FLT_MAX, 0, d1.c_str());
    add_text(dl, f, fs, ImVec2(b.x - ts1.x, b.y + ui.px(3)), th.muted, d1.c_str());
}

void draw_history(const Remote<LedgerPageView>& ledger, const Remote<LedgerPageView>& chart,
                  const Remote<std::vector<RedemptionView>>& redemptions, HistoryUi& s, Ui& ui, Actions& actions) {
    int tab = s.tab;
    if (ui.choice("history.tab", ui.tr("history.show"), {ui.tr("history.points"), ui.tr("history.redemptions")}, tab))
        s.tab = tab;
    ui.gap(4);
    if (s.tab == 1) {
        draw_redemptions(redemptions, ui, actions);
        return;
    }

    ui.begin_card("history.chart.card", ui.tr("history.chart"));
    if (chart.has()) {
        draw_balance_chart(chart.value->entries, ui);
    } else {
        show_remote(chart, "history.chart", Data::chart, ui, actions);
    }
    ui.end_card();
    ui.gap(4);

    ui.begin_card("history.filter", ui.tr("history.filter"));
    std::vector<std::string> names;
    for (const auto& [name, key] : history_types()) names.push_back(ui.tr(key));
    ui.choice("history.type", ui.tr("history.type"), names, s.type);
    const float half = (ui.width() - ui.px(10)) * 0.5f;
    ImGui::BeginGroup();
    ui.push_width(half);
    ui.input("history.from", ui.tr("history.from"), s.from, InputKind::date, 10, nullptr, "YYYY-MM-DD");
    ui.pop_width();
    ImGui::EndGroup();
    ui.same_line(10);
    ImGui::BeginGroup();
    ui.push_width(half);
    ui.input("history.to", ui.tr("history.to"), s.to, InputKind::date, 10, nullptr, "YYYY-MM-DD");
    ui.pop_width();
    ImGui::EndGroup();
    const bool from_ok = s.from.empty() || parse_date(s.from).ok();
    const bool to_ok = s.to.empty() || parse_date(s.to).ok();
    if (!from_ok || !to_ok) ui.text("history.date_error", ui.tr("history.date_error"), Tone::danger, ui.fonts().small);
    if (ui.button("history.apply", ui.tr("history.apply"), ButtonKind::primary, from_ok && to_ok)) {
        actions.ledger_filter = LedgerFilter{history_types()[static_cast<std::size_t>(s.type)].first, s.from, s.to};
    }
    ui.same_line();
    if (ui.button("history.clear", ui.tr("history.clear"), ButtonKind::ghost)) {
        s.type = 0;
        s.from.clear();
        s.to.clear();
        actions.ledger_filter = LedgerFilter{};
    }
    ui.end_card();
    ui.gap(4);
    draw_entries(ledger, ui, actions);
}

}  // namespace memberdesk::client
