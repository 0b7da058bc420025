// QR codes: qrcodegen (Nayuki, Debian's qr-code-generator sources) makes the module matrix;
// draw_qr() paints it into an ImGui draw list on white with the standard 4-module quiet zone,
// whatever the theme (scanners need dark-on-light).
#pragma once
#include <string>
#include <vector>

#include "imgui.h"

namespace memberdesk::client {

struct QrMatrix {
    int size = 0;                  // modules per side (0 = could not encode)
    std::vector<unsigned char> m;  // size*size, 1 = dark
    bool dark(int x, int y) const {
        return m[static_cast<std::size_t>(y) * static_cast<std::size_t>(size) + static_cast<std::size_t>(x)] != 0;
    }
};

QrMatrix make_qr(const std::string& text);  // ECC level M, boosted when it fits

// Draws `qr` filling a `side` x `side` square at `top_left` (quiet zone included), snapped to
// whole pixels per module so it stays sharp.
void draw_qr(ImDrawList* dl, ImVec2 top_left, float side, const QrMatrix& qr, int quiet_zone = 4);

// Caches the matrix of the last text (encoding every frame would be wasteful).
class QrCache {
public:
    const QrMatrix& get(const std::string& text);

private:
    std::string text_;
    QrMatrix qr_;
};

}  // namespace memberdesk::client
