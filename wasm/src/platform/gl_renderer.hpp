// Dear ImGui's draw data for web/gl_render.js, which draws it with WebGL 2 in a worker (or in the page
// when the browser has no WebGL in workers; bridge.js decides). The wasm side makes no GL call: it
// packs each frame's vertices, indices and commands into one buffer and hands the font atlases'
// pixels over as they are built, so nothing the GPU process does (the context, the shader, uploads,
// a software GL's drawing) can make the page's thread wait (docs/performance.md §3).
#pragma once

#include <cstdint>
#include <vector>

struct ImDrawData;
struct ImFontAtlas;

namespace memberdesk::client::web {

class GlRenderer {
public:
    // A font atlas (one per text size) as a one-channel texture of its own (call after a build);
    // the atlas's pixels are freed once handed over.
    void upload_fonts(ImFontAtlas& atlas);
    // The frame on a `width` x `height` framebuffer cleared to `bg` (RGB, 0-1).
    void render(const ImDrawData& data, int width, int height, const float bg[3]);

private:
    std::uint32_t next_texture_ = 1;
    std::vector<std::uint32_t> packed_;  // the frame being packed (web/gl_render.js reads its layout)
};

}  // namespace memberdesk::client::web
