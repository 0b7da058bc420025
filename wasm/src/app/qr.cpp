#include "app/qr.hpp"

#include <algorithm>
#include <cmath>
#include <exception>

#include "qrcodegen.hpp"

namespace memberdesk::client {

QrMatrix make_qr(const std::string& text) {
    QrMatrix out;
    try {
        const qrcodegen::QrCode qr = qrcodegen::QrCode::encodeText(text.c_str(), qrcodegen::QrCode::Ecc::MEDIUM);
        out.size = qr.getSize();
        const auto side = static_cast<std::size_t>(out.size);
        out.m.resize(side * side);
        for (int y = 0; y < out.size; ++y)
            for (int x = 0; x < out.size; ++x)
                out.m[static_cast<std::size_t>(y) * side + static_cast<std::size_t>(x)] = qr.getModule(x, y);
    } catch (const std::exception&) {
        out = QrMatrix{};
    }
    return out;
}

void draw_qr(ImDrawList* dl, ImVec2 p, float side, const QrMatrix& qr, int quiet) {
    if (qr.size <= 0) return;
    const float total = static_cast<float>(qr.size + 2 * quiet);
    const float module = std::max(1.0f, std::floor(side / total));  // whole pixels per module
    const float used = module * total;
    const float ox = std::floor(p.x + (side - used) * 0.5f), oy = std::floor(p.y + (side - used) * 0.5f);
    dl->AddRectFilled(ImVec2(ox, oy), ImVec2(ox + used, oy + used), IM_COL32_WHITE);
    const ImU32 black = IM_COL32(0, 0, 0, 255);
    for (int y = 0; y < qr.size; ++y) {
        int x = 0;
        while (x < qr.size) {
            if (!qr.dark(x, y)) {
                ++x;
                continue;
            }
            int run = x;
            while (run < qr.size && qr.dark(run, y)) ++run;  // one rectangle per horizontal run
            const float x0 = ox + static_cast<float>(quiet + x) * module,
                        y0 = oy + static_cast<float>(quiet + y) * module;
            dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x0 + static_cast<float>(run - x) * module, y0 + module), black);
            x = run;
        }
    }
}

const QrMatrix& QrCache::get(const std::string& text) {
    if (text != text_ || qr_.size == 0) {
        text_ = text;
        qr_ = make_qr(text);
    }
    return qr_;
}

}  // namespace memberdesk::client
