#include "platform/gl_renderer.hpp"

#include <GLES3/gl3.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "imgui.h"

namespace memberdesk::client::web {

namespace {

constexpr GLuint kPos = 0, kUv = 1, kColor = 2, kProjection = 3;

// The projection (orthographic, ImGui's display rectangle to clip space) is attribute 3 with no
// array: every vertex reads the constant set by glVertexAttrib4f.
const char* const kVertexShader = R"(#version 300 es
layout(location = 0) in vec2 Position;
layout(location = 1) in vec2 UV;
layout(location = 2) in vec4 Color;
layout(location = 3) in vec4 Projection;
out vec2 Frag_UV;
out vec4 Frag_Color;
void main() {
    Frag_UV = UV;
    Frag_Color = Color;
    gl_Position = vec4(Position * Projection.xy + Projection.zw, 0.0, 1.0);
}
)";

// The font atlas is one channel (coverage); colours come from the vertices.
const char* const kFragmentShader = R"(#version 300 es
precision mediump float;
uniform sampler2D Texture;
in vec2 Frag_UV;
in vec4 Frag_Color;
layout(location = 0) out vec4 Out_Color;
void main() {
    Out_Color = vec4(Frag_Color.rgb, Frag_Color.a * texture(Texture, Frag_UV).r);
}
)";

GLuint compile(GLenum type, const char* source) {
    const GLuint s = glCreateShader(type);
    glShaderSource(s, 1, &source, nullptr);
    glCompileShader(s);  // no status query here: it would wait for the compilation
    return s;
}

}  // namespace

void GlRenderer::init() {
    ImGuiIO& io = ImGui::GetIO();
    io.BackendRendererName = "memberdesk_webgl2";
    // No ImGuiBackendFlags_RendererHasVtxOffset: WebGL2 has no base-vertex draw, so ImGui keeps
    // each draw list's vertices within 16-bit indices.
    program_ = glCreateProgram();
    const GLuint vs = compile(GL_VERTEX_SHADER, kVertexShader);
    const GLuint fs = compile(GL_FRAGMENT_SHADER, kFragmentShader);
    glAttachShader(program_, vs);
    glAttachShader(program_, fs);
    glLinkProgram(program_);
    glDetachShader(program_, vs);
    glDetachShader(program_, fs);
    glDeleteShader(vs);
    glDeleteShader(fs);
    // The sampler uniform stays at its default, texture unit 0.

    glGenBuffers(1, &vbo_);
    glGenBuffers(1, &ebo_);
    glGenVertexArrays(1, &vao_);
    glBindVertexArray(vao_);
    glBindBuffer(GL_ARRAY_BUFFER, vbo_);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ebo_);  // part of the VAO
    glEnableVertexAttribArray(kPos);
    glEnableVertexAttribArray(kUv);
    glEnableVertexAttribArray(kColor);
    const auto at = [](std::size_t offset) { return reinterpret_cast<const void*>(offset); };
    glVertexAttribPointer(kPos, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), at(offsetof(ImDrawVert, pos)));
    glVertexAttribPointer(kUv, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), at(offsetof(ImDrawVert, uv)));
    glVertexAttribPointer(kColor, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ImDrawVert), at(offsetof(ImDrawVert, col)));
    glDisableVertexAttribArray(kProjection);

    // The whole context is ours: the state ImGui needs is set once.
    glActiveTexture(GL_TEXTURE0);
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glDisable(GL_CULL_FACE);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_STENCIL_TEST);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
}

void GlRenderer::upload_fonts(ImFontAtlas& atlas) {
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    atlas.GetTexDataAsAlpha8(&pixels, &w, &h);  // builds the atlas if nothing did
    GLuint tex = static_cast<GLuint>(reinterpret_cast<std::intptr_t>(atlas.TexID));
    if (tex) glDeleteTextures(1, &tex);
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
    atlas.SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(tex)));
    atlas.ClearTexData();  // the GPU has the pixels; the next rebuild makes new ones
}

void GlRenderer::render(const ImDrawData& data) {
    const float fb_w = data.DisplaySize.x * data.FramebufferScale.x;
    const float fb_h = data.DisplaySize.y * data.FramebufferScale.y;
    if (fb_w <= 0 || fb_h <= 0 || data.CmdListsCount == 0) return;
    const float l = data.DisplayPos.x, t = data.DisplayPos.y;
    const float r = l + data.DisplaySize.x, b = t + data.DisplaySize.y;
    glUseProgram(program_);
    glVertexAttrib4f(kProjection, 2.0f / (r - l), 2.0f / (t - b), (r + l) / (l - r), (t + b) / (b - t));
    glBindVertexArray(vao_);
    glBindBuffer(GL_ARRAY_BUFFER, vbo_);
    glEnable(GL_SCISSOR_TEST);
    const ImVec2 off = data.DisplayPos, scale = data.FramebufferScale;
    for (int n = 0; n < data.CmdListsCount; ++n) {
        const ImDrawList* list = data.CmdLists[n];
        const long vtx_bytes = static_cast<long>(list->VtxBuffer.Size) * static_cast<long>(sizeof(ImDrawVert));
        const long idx_bytes = static_cast<long>(list->IdxBuffer.Size) * static_cast<long>(sizeof(ImDrawIdx));
        // Grow the buffers (with room to spare), then write into them: no reallocation per list.
        if (vbo_size_ < vtx_bytes) {
            vbo_size_ = vtx_bytes + vtx_bytes / 2;
            glBufferData(GL_ARRAY_BUFFER, vbo_size_, nullptr, GL_STREAM_DRAW);
        }
        if (ebo_size_ < idx_bytes) {
            ebo_size_ = idx_bytes + idx_bytes / 2;
            glBufferData(GL_ELEMENT_ARRAY_BUFFER, ebo_size_, nullptr, GL_STREAM_DRAW);
        }
        glBufferSubData(GL_ARRAY_BUFFER, 0, vtx_bytes, list->VtxBuffer.Data);
        glBufferSubData(GL_ELEMENT_ARRAY_BUFFER, 0, idx_bytes, list->IdxBuffer.Data);
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback) {  // nothing of ours adds one; ImGui's reset marker needs no work here
                if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
                continue;
            }
            const float x0 = (cmd.ClipRect.x - off.x) * scale.x, y0 = (cmd.ClipRect.y - off.y) * scale.y;
            const float x1 = (cmd.ClipRect.z - off.x) * scale.x, y1 = (cmd.ClipRect.w - off.y) * scale.y;
            if (x1 <= x0 || y1 <= y0) continue;
            glScissor(static_cast<GLint>(x0), static_cast<GLint>(fb_h - y1), static_cast<GLsizei>(x1 - x0),
                      static_cast<GLsizei>(y1 - y0));
            glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<std::intptr_t>(cmd.GetTexID())));
            glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(cmd.ElemCount),
                           sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                           reinterpret_cast<const void*>(cmd.IdxOffset * sizeof(ImDrawIdx)));
        }
    }
    glDisable(GL_SCISSOR_TEST);  // the next frame's clear covers the whole canvas
}

bool GlRenderer::program_ready(bool now) {
    if (program_used_) return true;
    if (!now) {
        if (!fence_) {
            // Signalled once the GPU process has done everything asked so far (program, textures).
            fence_ = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
            glFlush();
            return false;
        }
        GLint status = GL_UNSIGNALED;
        glGetSynciv(static_cast<GLsync>(fence_), GL_SYNC_STATUS, 1, nullptr, &status);  // answered without waiting
        if (status != GL_SIGNALED) return false;
    }
    if (fence_) glDeleteSync(static_cast<GLsync>(fence_));
    fence_ = nullptr;
    glUseProgram(program_);  // fetches the program's info from the GPU process: quick once it is idle
    program_used_ = true;
    return true;
}

void GlRenderer::check_program() const {
    GLint ok = 0;
    glGetProgramiv(program_, GL_LINK_STATUS, &ok);
    if (ok) return;
    char log[512] = {};
    glGetProgramInfoLog(program_, sizeof log, nullptr, log);
    std::fprintf(stderr, "the ImGui shader program did not link: %s\n", log);
}

}  // namespace memberdesk::client::web
