// Reports and survey results: the period (and the store, when the scope has several), the figures
// the server computed, a trend chart per week or month, and survey means per store and dimension.
// Every figure is also text in the mirror (the chart's alternative lists its points).
#include <algorithm>
#include <cmath>

#include "app/format.hpp"
#include "screens/staff_screens.hpp"

namespace memberdesk::client::staff {

namespace {

struct Tile {
    std::string id, label, value;
};

// Figures side by side, as many columns as fit.
void draw_tiles(Ui& ui, const std::vector<Tile>& tiles) {
    const float w = ui.width();
    const float gap = ui.px(16);
    const int cols = std::max(1, static_cast<int>((w + gap) / (ui.px(190) + gap)));
    const float cw = (w - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    float row_y = origin.y, row_bottom = origin.y;
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        const int col = static_cast<int>(i % static_cast<std::size_t>(cols));
        if (col == 0 && i > 0) row_y = row_bottom + ui.px(8);
        ImGui::SetCursorScreenPos(ImVec2(origin.x + (cw + gap) * static_cast<float>(col), row_y));
        ImGui::BeginGroup();
        ui.push_width(cw);
        ui.big_number(tiles[i].id, tiles[i].label, tiles[i].value, "");
        ui.pop_width();
        ImGui::EndGroup();
        row_bottom = std::max(row_bottom, ImGui::GetItemRectMax().y);
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x, row_bottom));
    ImGui::Dummy(ImVec2(w, 0));
}

std::string metric_value(ReportMetric m, double v) {
    switch (m) {
        case ReportMetric::net_spend: return fmt_money(static_cast<Cents>(std::llround(v)));
        case ReportMetric::retention_rate: return format_rate(v);
        default: return fmt_int(std::llround(v));
    }
}

const char* metric_key(ReportMetric m) {
    switch (m) {
        case ReportMetric::members_active: return "staff.chart.active";
        case ReportMetric::members_new: return "staff.chart.new";
        case ReportMetric::visits: return "staff.chart.visits";
        case ReportMetric::net_spend: return "staff.chart.spend";
        case ReportMetric::retention_rate: return "staff.chart.retention";
        case ReportMetric::points_issued: return "staff.chart.issued";
        case ReportMetric::liability: return "staff.chart.liability";
    }
    return "staff.chart.active";
}

void draw_chart(StaffView& v, Ui& ui, const StaffReportView& r) {
    if (r.series.empty()) return;
    ui.gap(8);
    ui.heading("staff.reports.trend",
               st(ui, r.group == "month" ? "staff.reports.trend_month" : "staff.reports.trend_week"), 2);
    std::vector<std::string> options;
    for (ReportMetric m : kChartMetrics) options.emplace_back(st(ui, metric_key(m)));
    const int count = static_cast<int>(options.size());
    if (v.ui.chart_metric < 0 || v.ui.chart_metric >= count) v.ui.chart_metric = 0;
    ui.choice("staff.reports.metric", st(ui, "staff.reports.metric"), options, v.ui.chart_metric);
    const ReportMetric metric = kChartMetrics[v.ui.chart_metric];
    const ReportChart chart = report_chart(r, metric);

    // The alternative text carries every point: what a screen reader (or a test) reads.
    std::string alt = options[static_cast<std::size_t>(v.ui.chart_metric)] + ": ";
    for (std::size_t i = 0; i < chart.points.size(); ++i) {
        if (i > 0) alt += "; ";
        const auto& p = chart.points[i];
        alt += p.label + " " + (p.value ? metric_value(metric, *p.value) : std::string("\xE2\x80\x94"));
    }
    const Theme& th = ui.theme();
    const float w = ui.width(), h = ui.px(160), label_h = ImGui::GetFontSize() + ui.px(4);
    const ImVec2 p0 = ui.image("staff.reports.chart", alt, ImVec2(w, h + label_h));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float top_pad = ui.px(18);
    const float plot_h = h - top_pad;
    dl->AddLine(ImVec2(p0.x, p0.y + h), ImVec2(p0.x + w, p0.y + h), th.card_border, std::max(1.0f, ui.px(1)));
    const std::size_t n = chart.points.size();
    const float slot = w / static_cast<float>(n);
    const float bar_w = std::max(ui.px(3), std::min(ui.px(48), slot * 0.6f));
    const auto pos = chart_positions(chart, w, plot_h);
    // Labels thin out when the slots are narrow.
    const float label_w = ImGui::CalcTextSize("00-00").x + ui.px(8);
    const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(label_w / slot)));
    for (std::size_t i = 0; i < n; ++i) {
        const float cx = p0.x + slot * (static_cast<float>(i) + 0.5f);
        const auto& pt = chart.points[i];
        if (pt.value) {
            const float y = p0.y + top_pad + pos[i].second;
            dl->AddRectFilled(ImVec2(cx - bar_w * 0.5f, std::min(y, p0.y + h - ui.px(1))),
                              ImVec2(cx + bar_w * 0.5f, p0.y + h), th.accent, ui.px(3));
            if (n <= 14) {
                const std::string val = metric_value(metric, *pt.value);
                ui.note(val);
                const ImVec2 ts = ImGui::CalcTextSize(val.c_str());
                if (ts.x <= slot) dl->AddText(ImVec2(cx - ts.x * 0.5f, y - ts.y - ui.px(2)), th.muted, val.c_str());
            }
        }
        if (i % every == 0) {
            ui.note(pt.label);
            const ImVec2 ts = ImGui::CalcTextSize(pt.label.c_str());
            dl->AddText(ImVec2(cx - ts.x * 0.5f, p0.y + h + ui.px(3)), th.muted, pt.label.c_str());
        }
    }
}

void draw_period(StaffView& v, Ui& ui, StaffActions& a) {
    const StaffState& s = v.state;
    std::vector<std::string> periods = {st(ui, "staff.period.this_month"), st(ui, "staff.period.last_month"),
                                        st(ui, "staff.period.last_12_weeks"), st(ui, "staff.period.custom")};
    if (ui.choice("staff.reports.period", st(ui, "staff.reports.period"), periods, v.ui.period) &&
        v.ui.period != static_cast<int>(ReportPeriod::custom))
        a.show_report = true;
    bool submitted = false;
    if (v.ui.period == static_cast<int>(ReportPeriod::custom)) {
        const float half = (ui.width() - ui.px(12)) * 0.5f;
        const ImVec2 o = ImGui::GetCursorScreenPos();
        ImGui::BeginGroup();
        ui.push_width(half);
        bool s1 = false, s2 = false;
        ui.input("staff.reports.from", st(ui, "staff.reports.from"), v.ui.custom_from, InputKind::date, 10, &s1,
                 "2026-03-01");
        ui.pop_width();
        ImGui::EndGroup();
        ImGui::SetCursorScreenPos(ImVec2(o.x + half + ui.px(12), o.y));
        ImGui::BeginGroup();
        ui.push_width(half);
        ui.input("staff.reports.to", st(ui, "staff.reports.to"), v.ui.custom_to, InputKind::date, 10, &s2,
                 "2026-03-31");
        ui.pop_width();
        ImGui::EndGroup();
        submitted = s1 || s2;
        const bool ok =
            report_dates(ReportPeriod::custom, CivilDate{2000, 1, 1}, v.ui.custom_from, v.ui.custom_to).has_value();
        if ((!v.ui.custom_from.empty() && !v.ui.custom_to.empty()) && !ok)
            ui.text("staff.reports.dates_bad", st(ui, "staff.reports.dates_bad"), Tone::danger, ui.fonts().small);
        if (ui.button("staff.reports.show", st(ui, "staff.reports.show"), ButtonKind::primary, ok) || (submitted && ok))
            a.show_report = true;
    }
    // A region (head office, from the catalogue) and a store of the scope, when there is a choice.
    if (s.catalog.has() && s.catalog.value->regions.size() > 1) {
        std::vector<std::string> regions = {st(ui, "staff.reports.all_regions")};
        for (const auto& r : s.catalog.value->regions) regions.push_back(r.name.empty() ? r.id : r.name);
        if (v.ui.region_choice < 0 || v.ui.region_choice >= static_cast<int>(regions.size())) v.ui.region_choice = 0;
        if (ui.choice("staff.reports.region", st(ui, "staff.reports.region"), regions, v.ui.region_choice)) {
            v.ui.store_choice = 0;
            a.show_report = true;
        }
    }
    const auto ids = report_store_choices(s, v.ui);
    if (ids.size() > 1) {
        std::vector<std::string> stores = {st(ui, "staff.reports.all_stores")};
        for (const auto& id : ids) stores.push_back(fmt(st(ui, "staff.store"), {id}));
        if (v.ui.store_choice < 0 || v.ui.store_choice >= static_cast<int>(stores.size())) v.ui.store_choice = 0;
        if (ui.choice("staff.reports.store", st(ui, "staff.reports.scope"), stores, v.ui.store_choice))
            a.show_report = true;
    }
}

}  // namespace

std::string report_region_choice(const StaffState& s, const StaffUi& ui) {
    if (!s.catalog.has() || ui.region_choice <= 0 ||
        static_cast<std::size_t>(ui.region_choice) > s.catalog.value->regions.size())
        return "";
    return s.catalog.value->regions[static_cast<std::size_t>(ui.region_choice - 1)].id;
}

std::vector<std::string> report_store_choices(const StaffState& s, const StaffUi& ui) {
    const std::string region = report_region_choice(s, ui);
    if (!region.empty()) return s.catalog.value->store_ids(region);
    return s.scope_stores;
}

namespace {

// The screen's title, the period chooser and the report's loading or failure; true when there is a
// report to show.
bool draw_report_head(StaffView& v, Ui& ui, StaffActions& a, const char* title_key) {
    const StaffState& s = v.state;
    ui.heading(title_key, st(ui, title_key), 1);
    ui.begin_card("staff.reports.choose", st(ui, "staff.reports.choose"));
    draw_period(v, ui, a);
    ui.end_card();
    ui.gap(12);
    if (s.report.loading()) ui.loading("staff.reports.loading", st(ui, "staff.loading"));
    if (s.report.failed()) {
        ui.alert("staff.reports.error", staff_error(ui.lang(), s.report.error));
        if (ui.button("staff.reports.retry", st(ui, "staff.retry"), ButtonKind::secondary)) a.show_report = true;
        return false;
    }
    return s.report.has();
}

}  // namespace

void draw_staff_reports(StaffView& v, Ui& ui, StaffActions& a) {
    const StaffState& s = v.state;
    if (!draw_report_head(v, ui, a, "staff.reports.title")) return;
    const StaffReportView& r = *s.report.value;
    ui.begin_card("staff.reports.figures", st(ui, "staff.reports.figures"));
    std::string scope;
    if (r.store)
        scope = fmt(st(ui, "staff.store"), {*r.store});
    else if (r.all_stores)
        scope = st(ui, "staff.reports.chain");
    else if (r.region)
        scope = fmt(st(ui, "staff.region"), {*r.region});
    else if (r.stores.size() == 1)
        scope = fmt(st(ui, "staff.store"), {r.stores.front()});
    else
        scope = fmt(st(ui, "staff.reports.stores"), {std::to_string(r.stores.size())});
    ui.heading("staff.reports.period_shown", fmt(st(ui, "staff.reports.period_shown"), {r.from, r.to, scope}), 2);
    ui.text("staff.reports.previous", fmt(st(ui, "staff.reports.previous"), {r.previous_from, r.previous_to}),
            Tone::muted, ui.fonts().small);
    ui.gap(4);
    draw_tiles(ui, {{"staff.reports.churn", st(ui, "staff.fig.churn"), format_rate(r.churn_rate)},
                    {"staff.reports.retention", st(ui, "staff.fig.retention"), format_rate(r.retention_rate)},
                    {"staff.reports.repurchase", st(ui, "staff.fig.repurchase"), format_rate(r.repurchase_rate)},
                    {"staff.reports.avg_spend", st(ui, "staff.fig.avg_spend"),
                     r.avg_spend_per_visit ? fmt_money(*r.avg_spend_per_visit) : "\xE2\x80\x94"}});
    ui.gap(8);
    ui.heading("staff.reports.members", st(ui, "staff.reports.members"), 3);
    draw_tiles(ui, {{"staff.reports.total", st(ui, "staff.fig.total"), fmt_int(r.members_total)},
                    {"staff.reports.new", st(ui, "staff.fig.new"), fmt_int(r.members_new)},
                    {"staff.reports.active", st(ui, "staff.fig.active"), fmt_int(r.members_active)},
                    {"staff.reports.visits", st(ui, "staff.fig.visits"), fmt_int(r.visits)},
                    {"staff.reports.spend", st(ui, "staff.fig.spend"), fmt_money(r.net_spend)}});
    ui.gap(8);
    if (r.segments) {
        // As of now, not of the period: the heading says so.
        const SegmentSizesView& g = *r.segments;
        ui.heading("staff.reports.segments", fmt(st(ui, "staff.reports.segments"), {g.as_of}), 3);
        draw_tiles(ui, {{"staff.reports.seg_new", st(ui, "staff.seg.new"), fmt_int(g.new_members)},
                        {"staff.reports.seg_core", st(ui, "staff.seg.core"), fmt_int(g.core)},
                        {"staff.reports.seg_active", st(ui, "staff.seg.active"), fmt_int(g.active)},
                        {"staff.reports.seg_potential", st(ui, "staff.seg.potential"), fmt_int(g.potential)},
                        {"staff.reports.seg_dormant", st(ui, "staff.seg.dormant"), fmt_int(g.dormant)},
                        {"staff.reports.seg_churned", st(ui, "staff.seg.churned"), fmt_int(g.churned)}});
        ui.gap(8);
    }
    ui.heading("staff.reports.points", st(ui, "staff.reports.points"), 3);
    draw_tiles(ui, {{"staff.reports.issued", st(ui, "staff.fig.issued"), fmt_int(r.points_issued)},
                    {"staff.reports.redeemed", st(ui, "staff.fig.redeemed"), fmt_int(r.points_redeemed)},
                    {"staff.reports.expired", st(ui, "staff.fig.expired"), fmt_int(r.points_expired)},
                    {"staff.reports.liability", st(ui, "staff.fig.liability"), fmt_int(r.points_liability)},
                    {"staff.reports.coupons_issued", st(ui, "staff.fig.coupons_issued"), fmt_int(r.coupons_issued)},
                    {"staff.reports.coupons_used", st(ui, "staff.fig.coupons_used"), fmt_int(r.coupons_used)}});
    ui.gap(8);
    ui.heading("staff.reports.survey", st(ui, "staff.reports.survey"), 3);
    draw_tiles(
        ui, {{"staff.reports.survey_product", st(ui, "staff.dim.product"), format_mean(r.survey_product)},
             {"staff.reports.survey_service", st(ui, "staff.dim.service"), format_mean(r.survey_service)},
             {"staff.reports.survey_environment", st(ui, "staff.dim.environment"), format_mean(r.survey_environment)},
             {"staff.reports.survey_answers", st(ui, "staff.fig.answers"), fmt_int(r.survey_answers)}});
    draw_chart(v, ui, r);
    ui.end_card();
}

void draw_staff_survey(StaffView& v, Ui& ui, StaffActions& a) {
    const StaffState& s = v.state;
    if (!draw_report_head(v, ui, a, "staff.survey.title")) return;
    const StaffReportView& r = *s.report.value;
    ui.begin_card("staff.survey.results", st(ui, "staff.survey.results"));
    ui.heading("staff.survey.period", fmt(st(ui, "staff.survey.period"), {r.from, r.to}), 2);
    ui.text("staff.survey.how", st(ui, "staff.survey.how"), Tone::muted, ui.fonts().small);
    // One row per store: the report of the store itself; the scope's own row when it is one store
    // (or the stores' reports are still on their way).
    struct Row {
        std::string id, name;
        const StaffReportView* report;
        bool loading, failed;
    };
    std::vector<Row> rows;
    if (r.store || r.stores.size() <= 1) {
        rows.push_back({"scope",
                        r.store                ? fmt(st(ui, "staff.store"), {*r.store})
                        : r.stores.size() == 1 ? fmt(st(ui, "staff.store"), {r.stores.front()})
                                               : std::string(st(ui, "staff.reports.all_stores")),
                        &r, false, false});
    } else {
        for (const auto& id : r.stores) {
            auto it = s.store_reports.find(id);
            const bool has = it != s.store_reports.end() && it->second.has();
            rows.push_back({id, fmt(st(ui, "staff.store"), {id}), has ? &*it->second.value : nullptr,
                            it == s.store_reports.end() || it->second.loading(),
                            it != s.store_reports.end() && it->second.failed()});
        }
    }
    const float w = ui.width();
    const float name_w = std::min(w * 0.34f, ui.px(240));
    const float col_w = (w - name_w) / 4.0f;
    const char* heads[] = {"staff.dim.product", "staff.dim.service", "staff.dim.environment", "staff.fig.answers"};
    // Column heads (the mirror reads each row as a whole sentence instead).
    {
        const ImVec2 o = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddText(o, ui.theme().muted, st(ui, "staff.survey.store"));
        for (int c = 0; c < 4; ++c) {
            ui.note(st(ui, heads[c]));
            dl->AddText(ImVec2(o.x + name_w + col_w * static_cast<float>(c), o.y), ui.theme().muted, st(ui, heads[c]));
        }
        ImGui::Dummy(ImVec2(w, ImGui::GetFontSize() + ui.px(4)));
    }
    ui.begin_list("staff.survey.list", st(ui, "staff.survey.results"));
    for (const Row& row : rows) {
        std::vector<std::string> cells;
        if (row.report)
            cells = {format_mean(row.report->survey_product), format_mean(row.report->survey_service),
                     format_mean(row.report->survey_environment), fmt_int(row.report->survey_answers)};
        std::string label = row.name;
        if (row.report)
            for (int c = 0; c < 4; ++c)
                label += std::string(", ") + st(ui, heads[c]) + " " + cells[static_cast<std::size_t>(c)];
        else
            label += std::string(": ") + st(ui, row.failed ? "staff.survey.failed" : "staff.loading");
        ui.begin_item("staff.survey.item." + row.id);
        MirrorNode text;
        text.id = "staff.survey.row." + row.id;
        text.label = label;
        ui.mirror().add(std::move(text));
        const ImVec2 o = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        ui.note(row.name);
        dl->AddText(o, ui.theme().text, row.name.c_str());
        if (row.report) {
            for (int c = 0; c < 4; ++c) {
                const auto& cell = cells[static_cast<std::size_t>(c)];
                dl->AddText(ImVec2(o.x + name_w + col_w * static_cast<float>(c), o.y), ui.theme().text, cell.c_str());
            }
        } else {
            const char* t = st(ui, row.failed ? "staff.survey.failed" : "staff.loading");
            dl->AddText(ImVec2(o.x + name_w, o.y), ui.theme().muted, t);
        }
        ImGui::Dummy(ImVec2(w, ImGui::GetFontSize() + ui.px(6)));
        ui.end_item();
    }
    ui.end_list();
    ui.end_card();
}

}  // namespace memberdesk::client::staff
