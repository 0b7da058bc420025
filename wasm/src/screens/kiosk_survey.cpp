// The kiosk's satisfaction survey, one screen: product, service and store environment as rows of
// five big score keys (a radio group each for screen readers), an optional comment, Send and Back.
// After Send: thanks and the points it earned (or that this month's are already given).
#include <algorithm>

#include "app/format.hpp"
#include "memberdesk/survey.hpp"
#include "screens/kiosk_screens.hpp"

namespace memberdesk::client::kiosk {

namespace {

// One dimension: its name, then keys 1..5 (ids "<id>.1".."<id>.5"), the chosen one filled.
void score_row(KioskView& v, Ui& ui, const std::string& id, const std::string& label, int& score, float w) {
    const Theme& th = ui.theme();
    ImGui::PushFont(ui.fonts().heading);
    ui.note(label);
    ImGui::TextUnformatted(label.c_str());
    MirrorNode group = kiosk_node(id, Role::choice, label);
    const float gap = ui.px(14);
    const float bw = std::min((w - 4 * gap) / 5, ui.px(150)), bh = ui.px(76);
    for (int i = 1; i <= 5; ++i) {
        if (i > 1) ImGui::SameLine(0, gap);
        const std::string oid = id + "." + std::to_string(i);
        const bool on = score == i;
        ImGui::PushStyleColor(ImGuiCol_Button, on ? th.accent : th.card);
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, on ? th.accent : th.accent_soft);
        ImGui::PushStyleColor(ImGuiCol_ButtonActive, on ? th.accent : th.accent_soft);
        ImGui::PushStyleColor(ImGuiCol_Text, on ? th.accent_text : th.text);
        ImGui::PushStyleColor(ImGuiCol_Border, on ? th.accent : th.card_border);
        bool pressed = ImGui::Button((std::to_string(i) + "###" + oid).c_str(), ImVec2(bw, bh));
        ImGui::PopStyleColor(5);
        if (ui.take_click(oid)) pressed = true;
        if (pressed) score = i;
        const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        if (v.targets) v.targets->push_back(HitTarget{oid, b.x - a.x, b.y - a.y});
        MirrorNode o = kiosk_node(oid, Role::option, fmt(kt(ui, "kiosk.survey.score"), {std::to_string(i)}));
        o.x = a.x;
        o.y = a.y;
        o.w = b.x - a.x;
        o.h = b.y - a.y;
        group.children.push_back(std::move(o));
    }
    ImGui::PopFont();
    for (std::size_t i = 0; i < group.children.size(); ++i)
        group.children[i].checked = static_cast<int>(i) + 1 == score;
    ui.mirror().add(std::move(group));
}

}  // namespace

void draw_kiosk_survey(KioskView& v, Ui& ui, KioskActions& a, float w, float h) {
    const Remote<Points>& sent = v.state.feedback;
    SurveyDraft& d = v.ui.survey;
    ui.begin_region("kiosk.survey", kt(ui, "kiosk.survey.title"), Role::region);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, 0);
    ImGui::BeginChild("###kiosk.survey", ImVec2(w, h), ImGuiChildFlags_None);
    ui.touch_scroll();
    ui.push_width(w);
    ui.heading("kiosk.survey.title", kt(ui, "kiosk.survey.title"), 1);
    ui.pop_width();

    if (sent.status == Status::ok) {
        const float col = std::min(w, ui.px(900));
        ui.push_width(col);
        ImGui::PushFont(ui.fonts().heading);
        ui.status("kiosk.survey.sent", ui.tr("feedback.thanks"));
        if (sent.value && *sent.value > 0)
            ui.text("kiosk.survey.points", fmt(ui.tr("feedback.points"), {std::to_string(*sent.value)}), Tone::success);
        else
            ui.text("kiosk.survey.no_points", ui.tr("feedback.no_points"), Tone::muted);
        ui.gap(16);
        if (kiosk_button(v, ui, "kiosk.survey.back", kt(ui, "kiosk.survey.back"), ButtonKind::primary, true,
                         std::min(col, ui.px(480)), ui.px(88)))
            a.end_survey = true;
        ImGui::PopFont();
        ui.pop_width();
    } else {
        // Landscape: the scores on the left, comment and buttons on the right; portrait: one column.
        const bool landscape = w > h;
        const float gap = ui.px(40);
        const float left = landscape ? std::min(ui.px(5 * 150 + 4 * 14), (w - gap) * 0.6f) : w;
        const float right = landscape ? w - left - gap : w;
        const ImVec2 top = ImGui::GetCursorScreenPos();
        ui.push_width(left);
        ui.text("kiosk.survey.hint", kt(ui, "kiosk.survey.hint"), Tone::muted);
        score_row(v, ui, "kiosk.survey.product", ui.tr("feedback.product"), d.product, left);
        ui.gap(6);
        score_row(v, ui, "kiosk.survey.service", ui.tr("feedback.service"), d.service, left);
        ui.gap(6);
        score_row(v, ui, "kiosk.survey.environment", ui.tr("feedback.environment"), d.environment, left);
        ui.pop_width();

        kiosk_next_column(ui, landscape, ImVec2(top.x + left + gap, top.y), 16);
        ImGui::BeginGroup();
        ui.push_width(right);
        ui.input("kiosk.survey.comment", ui.tr("feedback.comment"), d.comment, InputKind::multiline, kSurveyCommentMax);
        const SurveyProblem problem = survey_problem(d);
        if (problem == SurveyProblem::unanswered)
            ui.text("kiosk.survey.need_all", ui.tr("feedback.need_all"), Tone::muted);
        else if (problem != SurveyProblem::none)
            ui.text("kiosk.survey.comment_bad", ui.tr("feedback.comment_bad"), Tone::danger);
        if (sent.failed())
            ui.alert("kiosk.survey.error",
                     error_text(ui.lang(), sent.error.status, sent.error.code, sent.error.message));
        ui.gap(8);
        ImGui::PushFont(ui.fonts().heading);
        const float bw = std::min(right, ui.px(420));
        if (kiosk_button(v, ui, "kiosk.survey.send",
                         sent.loading() ? ui.tr("feedback.sending") : kt(ui, "kiosk.survey.send"), ButtonKind::primary,
                         problem == SurveyProblem::none && !sent.loading(), bw, ui.px(88)))
            a.send_survey = true;
        ui.gap(6);
        if (kiosk_button(v, ui, "kiosk.survey.cancel", kt(ui, "kiosk.survey.cancel"), ButtonKind::secondary, true, bw,
                         ui.px(76)))
            a.end_survey = true;
        ImGui::PopFont();
        ui.pop_width();
        ImGui::EndGroup();
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
    ui.end_region();
}

}  // namespace memberdesk::client::kiosk
