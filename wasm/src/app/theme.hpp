// Colours and sizes of the two themes. Sizes are in CSS pixels; Ui multiplies them by its scale
// (devicePixelRatio x text size).
#pragma once
#include "imgui.h"

namespace memberdesk::client {

struct Theme {
    bool dark = false;
    ImU32 bg, card, card_border, text, muted, accent, accent_text, accent_soft, danger, danger_soft, success,
        success_soft, warning, chart_line, chart_fill, chart_grid, focus;
};

Theme make_theme(bool dark);
// Applies the theme's colours and the scaled metrics to an ImGuiStyle.
void apply_style(ImGuiStyle& style, const Theme& t, float scale);

}  // namespace memberdesk::client
