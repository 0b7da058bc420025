// Dear ImGui's draw data on WebGL2, without a single call that makes the page wait for the GPU.
//
// ImGui's own OpenGL3 backend saves and restores the GL state around every frame with
// glGetIntegerv/glIsEnabled, and asks for uniform locations and compile status at start-up. In a
// browser some of those queries (the scissor box, blend state, shader status) are synchronous round
// trips to the GPU process, so each frame waited there until the previous frame had been drawn
// (35-50 ms a frame on a software GL, docs/performance.md §3). The client owns the whole context:
// nothing to save or restore, attribute locations fixed in the shader, and the projection passed
// as a constant vertex attribute instead of a uniform (no location to look up).
#pragma once

struct ImDrawData;
struct ImFontAtlas;

namespace memberdesk::client::web {

class GlRenderer {
public:
    void init();  // program, buffers; compiled by the GPU process in its own time
    // True once the program is in use: the page's first glUseProgram fetches the program's info
    // with a synchronous round trip, which waits until the GPU process has done everything queued
    // before it (shader compilation, texture uploads). So it is made once a fence set after them is
    // signalled, which is asked without waiting (false until then); `now`: at once, waiting.
    bool program_ready(bool now = false);
    // A font atlas (one per text size) as a one-channel texture of its own (call after a build).
    void upload_fonts(ImFontAtlas& atlas);
    void render(const ImDrawData& data);  // viewport, scissor and clear are the caller's
    void check_program() const;           // logs a shader error (a synchronous query: waits for the GPU)

private:
    unsigned program_ = 0, vao_ = 0, vbo_ = 0, ebo_ = 0;
    void* fence_ = nullptr;  // a GLsync
    bool program_used_ = false;
    long vbo_size_ = 0, ebo_size_ = 0;
};

}  // namespace memberdesk::client::web
