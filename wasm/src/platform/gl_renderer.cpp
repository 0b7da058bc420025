#include "platform/gl_renderer.hpp"

#include <emscripten.h>

#include <cstdint>
#include <cstring>

#include "imgui.h"

// Each call hands over a copy of the bytes (the wasm's memory stays the client's).
EM_JS(void, md_js_gl_texture, (unsigned id, int w, int h, const unsigned char* pixels),
      { window.MD.gl.texture(id, w, h, HEAPU8.slice(pixels, pixels + w * h).buffer); });
EM_JS(void, md_js_gl_delete_texture, (unsigned id), { window.MD.gl.deleteTexture(id); });
EM_JS(void, md_js_gl_frame, (const std::uint32_t* words, int count),
      { window.MD.gl.frame(HEAPU8.slice(words, words + count * 4).buffer); });

namespace memberdesk::client::web {

namespace {

static_assert(sizeof(ImDrawVert) == 20 && sizeof(ImDrawIdx) == 2, "web/gl_render.js reads this layout");

std::uint32_t word(float f) {
    std::uint32_t w;
    std::memcpy(&w, &f, sizeof w);
    return w;
}

// Appends `bytes` bytes to `out`, padded to whole words.
void append_bytes(std::vector<std::uint32_t>& out, const void* data, std::size_t bytes) {
    const std::size_t at = out.size();
    out.resize(at + (bytes + 3) / 4, 0);
    if (bytes) std::memcpy(out.data() + at, data, bytes);
}

}  // namespace

void GlRenderer::upload_fonts(ImFontAtlas& atlas) {
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    atlas.GetTexDataAsAlpha8(&pixels, &w, &h);  // builds the atlas if nothing did
    const auto old = static_cast<unsigned>(reinterpret_cast<std::intptr_t>(atlas.TexID));
    const std::uint32_t id = next_texture_++;
    md_js_gl_texture(id, w, h, pixels);
    if (old) md_js_gl_delete_texture(old);
    atlas.SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(id)));
    atlas.ClearTexData();  // the renderer has the pixels; the next rebuild makes new ones
}

void GlRenderer::render(const ImDrawData& data, int width, int height, const float bg[3]) {
    const float l = data.DisplayPos.x, t = data.DisplayPos.y;
    const float r = l + data.DisplaySize.x, b = t + data.DisplaySize.y;
    const bool empty = data.DisplaySize.x <= 0 || data.DisplaySize.y <= 0;
    packed_.clear();
    packed_.push_back(static_cast<std::uint32_t>(width));
    packed_.push_back(static_cast<std::uint32_t>(height));
    for (int i = 0; i < 3; ++i) packed_.push_back(word(bg[i]));
    // The projection: ImGui's display rectangle to clip space.
    packed_.push_back(word(empty ? 0.0f : 2.0f / (r - l)));
    packed_.push_back(word(empty ? 0.0f : 2.0f / (t - b)));
    packed_.push_back(word(empty ? 0.0f : (r + l) / (l - r)));
    packed_.push_back(word(empty ? 0.0f : (t + b) / (b - t)));
    const int lists = empty ? 0 : data.CmdListsCount;
    packed_.push_back(static_cast<std::uint32_t>(lists));
    const ImVec2 off = data.DisplayPos, scale = data.FramebufferScale;
    for (int n = 0; n < lists; ++n) {
        const ImDrawList* list = data.CmdLists[n];
        const std::size_t vtx_bytes = static_cast<std::size_t>(list->VtxBuffer.Size) * sizeof(ImDrawVert);
        const std::size_t idx_bytes = static_cast<std::size_t>(list->IdxBuffer.Size) * sizeof(ImDrawIdx);
        const std::size_t count_at = packed_.size();
        packed_.push_back(static_cast<std::uint32_t>(vtx_bytes));
        packed_.push_back(static_cast<std::uint32_t>(idx_bytes));
        packed_.push_back(0);  // commands, counted below
        append_bytes(packed_, list->VtxBuffer.Data, vtx_bytes);
        append_bytes(packed_, list->IdxBuffer.Data, idx_bytes);
        std::uint32_t commands = 0;
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback) {  // nothing of ours adds one; ImGui's reset marker needs no work here
                if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
                continue;
            }
            const float x0 = (cmd.ClipRect.x - off.x) * scale.x, y0 = (cmd.ClipRect.y - off.y) * scale.y;
            const float x1 = (cmd.ClipRect.z - off.x) * scale.x, y1 = (cmd.ClipRect.w - off.y) * scale.y;
            if (x1 <= x0 || y1 <= y0 || cmd.ElemCount == 0) continue;
            packed_.push_back(static_cast<std::uint32_t>(static_cast<int>(x0)));
            packed_.push_back(static_cast<std::uint32_t>(static_cast<int>(static_cast<float>(height) - y1)));
            packed_.push_back(static_cast<std::uint32_t>(static_cast<int>(x1 - x0)));
            packed_.push_back(static_cast<std::uint32_t>(static_cast<int>(y1 - y0)));
            packed_.push_back(static_cast<std::uint32_t>(reinterpret_cast<std::intptr_t>(cmd.GetTexID())));
            packed_.push_back(cmd.ElemCount);
            packed_.push_back(static_cast<std::uint32_t>(cmd.IdxOffset * sizeof(ImDrawIdx)));
            ++commands;
        }
        packed_[count_at + 2] = commands;
    }
    md_js_gl_frame(packed_.data(), static_cast<int>(packed_.size()));
}

}  // namespace memberdesk::client::web
