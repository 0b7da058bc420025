// Browser entry: a GLFW window on <canvas id="canvas"> (Emscripten's GLFW emulation, for input only),
// Dear ImGui's GLFW backend, the frame loop, and the draw data handed to web/gl_render.js, which
// draws it with WebGL 2 off the page's thread (platform/gl_renderer.hpp).
//
// HiDPI: the canvas backing store is CSS size x devicePixelRatio and ImGui works in those physical
// pixels (fonts are rasterised at physical size, so text is sharp); the UI scale is dpr x text size.
// Idle throttling: a frame is drawn only when something happened (input, a network answer, a
// timer, a resize), plus a few frames after it for ImGui to settle; otherwise the main loop is
// paused and woken by web/bridge.js (input listeners) or by a timer (Shell::next_wake()).
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>

#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_internal.h"

#include "app/ui.hpp"
#include "platform/gl_renderer.hpp"
#include "platform/web.hpp"
#include "shell/shell.hpp"

namespace {

using namespace memberdesk::client;

struct Web {
    GLFWwindow* window = nullptr;
    std::unique_ptr<web::WebPlatform> platform;
    std::unique_ptr<web::WebHttp> http;
    std::unique_ptr<Shell> app;  // runs the one mode of this executable
    Mirror mirror;
    std::unique_ptr<Ui> ui;
    web::GlRenderer gl;
    std::string last_mirror;
    std::string first_mirror;  // the first frame's, synced in the task after it
    int frames_left = 3;       // frames still to draw before going idle
    bool paused = false;
    bool first_frame_done = false;
    bool started = false;  // the mode's start() has run
    int warm_stage = 0;    // frames drawn and thrown away before the context (warm_draw)
    bool warm_scheduled = false;
    double drawing_started_at = 0;  // when the renderer could draw (start_frames waits from then)
    int fb_w = 0, fb_h = 0;
    float dpr = 1.0f;
    ImGuiPlatformImeData ime;  // what ImGui asked for at the end of the last frame
    bool ime_shown = false;
    float ime_x = -1, ime_y = -1;
    bool touch_down = false;
    int frames_drawn = 0;  // for tests and measurements (idle = this stops growing)
    web::DomInput held;    // input taken from the bridge before the frame that handles it
};
Web W;

// User Timing entries for scripts/bench-client --trace: a span of `name` from t0 (ms, emscripten_get_now)
// to now, recorded only when it is long enough to matter for a frame budget.
void measure(const char* name, double t0, double min_ms = 8.0) {
    const double t1 = emscripten_get_now();
    if (t1 - t0 < min_ms) return;
    EM_ASM(
        {
            try {
                performance.measure(UTF8ToString($0), {start : $1, end : $2});
            } catch (e) {}
        },
        name, t0, t1);
}

void on_ime(ImGuiViewport*, ImGuiPlatformImeData* data) { W.ime = *data; }

// Each text size's atlas that was built since its last upload gets its texture.
void upload_atlases() {
    for (ImFontAtlas* a : W.app->fonts().atlases(*ImGui::GetIO().Fonts))
        if (a->TexPixelsAlpha8 || a->TexPixelsRGBA32) W.gl.upload_fonts(*a);
}

const char* get_clipboard(void*) { return ""; }  // pasting arrives as text events (paste listener)
void set_clipboard(void*, const char* text) {
    if (W.platform) W.platform->copy_to_clipboard(text ? text : "");
}

ImGuiKey imgui_key(const std::string& k) {
    if (k == "Backspace") return ImGuiKey_Backspace;
    if (k == "Delete") return ImGuiKey_Delete;
    if (k == "Enter") return ImGuiKey_Enter;
    if (k == "Tab") return ImGuiKey_Tab;
    if (k == "Escape") return ImGuiKey_Escape;
    if (k == "ArrowLeft") return ImGuiKey_LeftArrow;
    if (k == "ArrowRight") return ImGuiKey_RightArrow;
    if (k == "ArrowUp") return ImGuiKey_UpArrow;
    if (k == "ArrowDown") return ImGuiKey_DownArrow;
    if (k == "Home") return ImGuiKey_Home;
    if (k == "End") return ImGuiKey_End;
    if (k.size() == 1) {
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(k[0])));
        if (c == 'a') return ImGuiKey_A;
        if (c == 'c') return ImGuiKey_C;
        if (c == 'x') return ImGuiKey_X;
        if (c == 'z') return ImGuiKey_Z;
        if (c == 'y') return ImGuiKey_Y;
    }
    return ImGuiKey_None;
}

// Canvas backing store = CSS size x devicePixelRatio. Returns true if it changed. The renderer
// (web/gl_render.js) gives the canvas this size with the next frame: the page hands its canvas to
// the renderer's worker, after which only the worker may resize it.
bool fit_canvas() {
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size("#canvas", &css_w, &css_h);
    const float dpr = static_cast<float>(emscripten_get_device_pixel_ratio());
    const int w = std::max(1, static_cast<int>(std::lround(css_w * dpr)));
    const int h = std::max(1, static_cast<int>(std::lround(css_h * dpr)));
    if (w == W.fb_w && h == W.fb_h && dpr == W.dpr) return false;
    W.fb_w = w;
    W.fb_h = h;
    W.dpr = dpr;
    // Also before the first frame: the atlas's text scale depends on the display's size.
    if (ImGui::GetCurrentContext()) ImGui::GetIO().DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
    // Not glfwSetWindowSize(): Emscripten's would ask for fullscreen when the size equals the
    // screen's, and resize the canvas itself. ImGui gets io.DisplaySize from fb_w/fb_h each frame;
    // GLFW's mouse positions are in canvas pixels (the size of the last frame shown).
    return true;
}

void feed_input(const web::DomInput& in) {
    ImGuiIO& io = ImGui::GetIO();
    for (const auto& k : in.typed) {
        if (k.key.empty()) {
            io.AddInputCharactersUTF8(k.text.c_str());
            continue;
        }
        io.AddKeyEvent(ImGuiMod_Ctrl, k.ctrl || k.meta);
        io.AddKeyEvent(ImGuiMod_Shift, k.shift);
        io.AddKeyEvent(ImGuiMod_Alt, k.alt);
        const ImGuiKey key = imgui_key(k.key);
        if (key != ImGuiKey_None) io.AddKeyEvent(key, k.down);
    }
    for (const auto& t : in.touches) {
        // Emscripten's GLFW never sees touches (bridge.js keeps them), so ImGui's GLFW backend
        // thinks no cursor is over the canvas and would feed the stale GLFW cursor position every
        // frame, undoing a finger drag. "Entering" the window stops that polling.
        if (t.phase == 0) ImGui_ImplGlfw_CursorEnterCallback(W.window, 1);
        io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
        io.AddMousePosEvent(t.x, t.y);
        if (t.phase == 0 && !W.touch_down) {
            io.AddMouseButtonEvent(0, true);
            W.touch_down = true;
        } else if (t.phase == 2 && W.touch_down) {
            io.AddMouseButtonEvent(0, false);
            io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);  // a lifted finger hovers nothing
            W.touch_down = false;
        }
    }
}

void sync_ime() {
    const bool want = W.ime.WantVisible;
    const float x = W.ime.InputPos.x / W.dpr, y = W.ime.InputPos.y / W.dpr, h = W.ime.InputLineHeight / W.dpr;
    if (want == W.ime_shown && (!want || (x == W.ime_x && y == W.ime_y))) return;
    W.ime_shown = want;
    W.ime_x = x;
    W.ime_y = y;
    // The active ImGui widget decides the keyboard: a password/decimal field asks for digits.
    bool password = false, numeric = false;
    if (ImGuiContext* g = ImGui::GetCurrentContext();
        g && g->InputTextState.ID != 0 && g->ActiveId == g->InputTextState.ID) {
        password = (g->InputTextState.Flags & ImGuiInputTextFlags_Password) != 0;
        numeric = (g->InputTextState.Flags & ImGuiInputTextFlags_CharsDecimal) != 0;
    }
    web::dom_ime(want, x, y, h, password, numeric);
}

// Takes the bridge's queued input now: keys, text and touches go to ImGui's event queue at once;
// the rest (mirror events, route, IME blur) waits in W.held for the next frame. Called at the
// start of each frame, and by web/bridge.js right before a mouse event reaches GLFW's handlers
// (which queue straight into ImGui): typing followed quickly by a click stays in order.
void absorb_input() {
    web::DomInput in = web::dom_poll();
    if (!in.any) return;
    feed_input(in);
    W.held.any = true;
    for (auto& m : in.mirror) W.held.mirror.push_back(std::move(m));
    if (!in.route.empty()) W.held.route = in.route;
    if (in.ime_blur) W.held.ime_blur = true;
}

void frame() {
    const double t_frame = emscripten_get_now();
    absorb_input();
    web::DomInput in = std::move(W.held);
    W.held = web::DomInput{};
    bool dirty = in.any;
    if (!in.route.empty()) W.app->route(in.route);
    // GLFW callbacks (mouse, wheel, keys outside our inputs) queue ImGui events directly.
    if (ImGuiContext* g = ImGui::GetCurrentContext(); g && g->InputEventsQueue.Size > 0) dirty = true;
    if (fit_canvas()) dirty = true;
    if (W.app->update()) dirty = true;
    measure("md-update", t_frame);
    const double t_prepare = emscripten_get_now();
    // Before the first frame the sizes are built one per task (see build_first_atlas).
    if (W.app->prepare(W.dpr, !W.first_frame_done)) {
        upload_atlases();
        dirty = true;
        measure("md-font-atlas", t_prepare, 0.0);
        if (!W.first_frame_done) {  // the next size, or the first frame, in a task of its own
            W.frames_left = std::max(W.frames_left, 1);
            return;
        }
    }
    if (dirty) W.frames_left = std::max(W.frames_left, 3);
    if (!W.app->ready() || W.frames_left <= 0) {
        // Idle: stop the loop until an event or timer wakes it.
        double next = W.app->next_wake();
        if (W.ime_shown) next = next < 0 ? 0.5 : std::min(next, 0.5);  // caret blink
        if (next >= 0) W.platform->wake_after(next);
        if (W.app->ready()) {
            W.paused = true;
            emscripten_pause_main_loop();
        }
        return;
    }
    --W.frames_left;
    ++W.frames_drawn;
    const double t_draw = emscripten_get_now();

    if (!ImGui::GetIO().Fonts->IsBuilt()) W.gl.upload_fonts(*ImGui::GetIO().Fonts);
    for (int pass = 0;; ++pass) {
        ImGui_ImplGlfw_NewFrame();
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(static_cast<float>(W.fb_w), static_cast<float>(W.fb_h));
        io.DisplayFramebufferScale = ImVec2(1, 1);
        ImGui::NewFrame();
        if (pass == 0 && in.ime_blur && W.ime_shown) {
            ImGui::ClearActiveID();  // the text field loses focus with its hidden input
            W.ime_shown = false;
        }
        W.app->draw(*W.ui, pass == 0 ? std::move(in.mirror) : std::vector<MirrorEvent>{});
        ImGui::Render();
        // Text drawn this frame needs glyphs the atlas lacks but the fonts have (a Chinese name
        // when the CJK font is already here, a character new to the display size): rebuild and
        // draw again rather than show the frame with placeholders.
        if (pass > 0 || !W.app->fonts().needs_rebuild_now()) break;
        const double t_atlas = emscripten_get_now();
        if (!W.app->prepare(W.dpr)) break;
        upload_atlases();
        measure("md-font-atlas", t_atlas, 0.0);
    }
    measure("md-draw", t_draw);
    const double t_gl = emscripten_get_now();

    const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(W.app->theme().bg);
    const float clear[3] = {bg.x, bg.y, bg.z};
    W.gl.render(*ImGui::GetDrawData(), W.fb_w, W.fb_h, clear);
    measure("md-gl", t_gl, 4.0);

    const double t_mirror = emscripten_get_now();
    std::string json = W.mirror.to_json();
    if (!W.first_frame_done) {
        // The first screen's mirror, its DOM built from nothing, in a task of its own: the first
        // frame is one of start-up's longest tasks. A later frame syncs it if it comes first.
        W.first_mirror = std::move(json);
        emscripten_async_call(
            [](void*) {
                if (!W.last_mirror.empty() || W.first_mirror.empty()) return;
                web::dom_sync_mirror(W.first_mirror);
                W.last_mirror = std::move(W.first_mirror);
            },
            nullptr, 0);
    } else if (json != W.last_mirror) {
        web::dom_sync_mirror(json);
        W.last_mirror = std::move(json);
    }
    sync_ime();
    measure("md-mirror", t_mirror, 4.0);
    measure("md-gl-mirror", t_gl);
    // New glyphs seen this frame: the atlas is rebuilt before the next one, which must be drawn.
    if (W.app->fonts().needs_rebuild()) W.frames_left = std::max(W.frames_left, 1);
    if (!W.first_frame_done) {
        W.first_frame_done = true;
        web::dom_first_frame();
    }
    measure("md-frame", t_frame, 16.0);
}

}  // namespace

// Called by web/bridge.js on any input, by fetch completions and by timers.
extern "C" EMSCRIPTEN_KEEPALIVE void md_wake() {
    W.frames_left = std::max(W.frames_left, 2);
    if (W.paused) {
        W.paused = false;
        emscripten_resume_main_loop();
    }
}

// Start-up, once every atlas is built and while the page waits for its renderer: frames of the
// first screen are drawn and thrown away (not sent, no mirror sync). The browser compiles each wasm
// function on its first call, so the first frame's functions (ImGui's and the screen's) compile
// here, in otherwise idle moments and in four tasks (ImGui's frame alone, text and a button with the
// draw data, a text field, then the screen), instead of all in the first frame's task.
static void warm_draw(void*) {
    // Also once the renderer is ready: the frame loop waits for these meanwhile (start_frames).
    if (W.warm_stage > 3 || W.first_frame_done || !W.app->ready() || W.app->fonts().needs_rebuild()) return;
    const double t0 = emscripten_get_now();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(W.fb_w), static_cast<float>(W.fb_h));
    io.DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();  // its implicit window is drawn into by the stages before the screen's
    static char text[8] = "0";
    switch (W.warm_stage++) {
        case 0:
            ImGui::EndFrame();  // ImGui's frame alone, without its draw data
            break;
        case 1:
            ImGui::TextUnformatted(text);
            ImGui::Button(text);
            ImGui::Render();
            break;
        case 2:
            ImGui::InputText("##warm", text, sizeof text);
            ImGui::EndFrame();
            break;
        default:
            W.app->draw(*W.ui, {});
            ImGui::Render();
            break;
    }
    measure("md-warm-draw", t0, 0.0);
    if (W.warm_stage <= 3) emscripten_async_call(warm_draw, nullptr, 0);
}

// Start-up, while the first answers are on their way: one small JSON document parsed, so that the
// parser's code (compiled by the browser on its first call) is compiled in a task of its own, not
// in the first answer's.
static void warm_json(void*) {
    const double t0 = emscripten_get_now();
    const std::string doc = R"({"a":[1,-2.5e3,"x\u00e9\n",true,false,null,{}],"b":{"c":"d"}})";
    volatile std::size_t n = nlohmann::json::parse(doc).size();
    (void)n;
    measure("md-json-warm", t0, 0.0);
}

// Start-up: once the fonts are in, the atlas of each text size is built in a task of its own (from
// a font's answer, or the mode's start), mostly while the page waits for the renderer's worker to
// make its WebGL context. The textures are handed over once the renderer is ready; the frame loop,
// if it runs meanwhile, builds no more than one size per frame either.
static void build_first_atlas(void*) {
    if (!W.app || !W.started || W.first_frame_done) return;
    const double t_update = emscripten_get_now();
    W.app->update();
    if (!W.app->ready()) return;
    // An answer applied just now (a font, the program) took a while: the atlas in the next task.
    static bool yielded = false;
    if (!yielded && emscripten_get_now() - t_update > 4.0) {
        yielded = true;
        emscripten_async_call(build_first_atlas, nullptr, 0);
        return;
    }
    yielded = false;
    const double t_atlas = emscripten_get_now();
    if (W.app->fonts().warm_build()) {
        measure("md-font-warm", t_atlas, 0.0);
        emscripten_async_call(build_first_atlas, nullptr, 0);
        return;
    }
    if (W.app->prepare(W.dpr, true)) {
        if (W.window) upload_atlases();
        measure("md-font-atlas", t_atlas, 0.0);
    }
    if (W.app->fonts().needs_rebuild()) {
        emscripten_async_call(build_first_atlas, nullptr, 0);
        return;
    }
    if (!W.warm_scheduled) {
        W.warm_scheduled = true;
        emscripten_async_call(warm_draw, nullptr, 0);
    }
}

// Called by platform/http_web.cpp when an answer has arrived: it is applied now, so the requests
// that follow it (GET /me after the login) leave at once instead of after the next frame; the
// frame that shows it is drawn as usual.
extern "C" EMSCRIPTEN_KEEPALIVE void md_answer() {
    const double t0 = emscripten_get_now();
    if (W.app && W.first_frame_done && W.app->update()) W.frames_left = std::max(W.frames_left, 3);
    if (W.app && W.started && !W.first_frame_done) {
        W.app->update();  // the answer now; an atlas it allows in a task of its own
        emscripten_async_call(build_first_atlas, nullptr, 0);
    }
    measure("md-answer", t0);
    md_wake();
}

// The frame loop starts once the warm-up frames (warm_draw) are done, so that the first frame's
// functions are compiled before it and it stays a short task (1 s at most, then it starts anyway:
// the fonts may still be on their way).
static void start_frames(void*) {
    if (W.warm_stage <= 3 && !W.first_frame_done && emscripten_get_now() - W.drawing_started_at < 1000.0) {
        emscripten_async_call(start_frames, nullptr, 4);
        return;
    }
    emscripten_set_main_loop(frame, 0, false);
}

// Once bridge.js's renderer can draw (its worker has made the WebGL context meanwhile): GLFW's
// window for input and ImGui's GLFW backend; then the textures of the atlases built so far and the
// frame loop.
extern "C" EMSCRIPTEN_KEEPALIVE void md_start_drawing() {
    if (W.window || !W.app) return;
    const double t0 = emscripten_get_now();
    glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);  // the canvas's pictures come from the renderer
    // At the canvas's present size, which GLFW then leaves alone: the canvas may be the worker's now.
    int canvas_w = 0, canvas_h = 0;
    emscripten_get_canvas_element_size("#canvas", &canvas_w, &canvas_h);
    W.window = glfwCreateWindow(std::max(1, canvas_w), std::max(1, canvas_h), "memberdesk", nullptr, nullptr);
    if (!W.window) {
        std::fprintf(stderr, "could not make the GLFW window\n");
        return;
    }
    ImGui_ImplGlfw_InitForOther(W.window, true);
    ImGui::GetIO().BackendRendererName = "memberdesk_webgl2_worker";
    measure("md-start-drawing", t0, 0.0);
    emscripten_async_call(
        [](void*) {
            const double t_upload = emscripten_get_now();
            upload_atlases();
            measure("md-font-upload", t_upload, 0.0);
            W.drawing_started_at = emscripten_get_now();
            emscripten_async_call(start_frames, nullptr, 0);
        },
        nullptr, 0);
}

extern "C" EMSCRIPTEN_KEEPALIVE void md_absorb_input() {
    if (W.app && ImGui::GetCurrentContext()) absorb_input();  // ImGui's context: the task after main()
}

// Frames drawn so far (browser tests check that an idle page stops drawing).
extern "C" EMSCRIPTEN_KEEPALIVE int md_frames_drawn() { return W.frames_drawn; }

// Called by web/bridge.js inside a touchend handler: run the frames that process the touch now,
// so that if it focused a text field the hidden <input> is focused within the user gesture (the
// only way mobile browsers open the on-screen keyboard).
extern "C" EMSCRIPTEN_KEEPALIVE void md_frame_now() {
    if (!W.window) return;  // no frame before the context
    for (int i = 0; i < 2; ++i) {
        W.frames_left = std::max(W.frames_left, 1);
        frame();
    }
}

namespace memberdesk::client::web {

int web_main(AppMode mode, InstallMode install) {
    // Start-up is a chain of short tasks (each function called for the first time is compiled then,
    // which makes a task longer than its work): here the shell; the canvas's size and the font and
    // program requests in the next task; ImGui's context in the one after; then the mode's start.
    const double t_main = emscripten_get_now();
    W.platform = std::make_unique<WebPlatform>();
    W.http = std::make_unique<WebHttp>();
    W.app = std::make_unique<Shell>(*W.platform, *W.http, mode);
    install(*W.app, *W.http);
    W.ui = std::make_unique<Ui>(W.mirror);
    measure("md-main-shell", t_main, 1.0);
    measure("md-main", t_main, 0.0);
    // The canvas's size and the font and program requests in the next task (main() shares its own
    // with the runtime's start-up): the requests leave then.
    emscripten_async_call(
        [](void*) {
            const double t_start = emscripten_get_now();
            // The canvas gets its size before the first frame: the atlas's scale depends on it.
            fit_canvas();
            measure("md-main-fit", t_start, 1.0);
            const double t_requests = emscripten_get_now();
            W.app->request_fonts();
            measure("md-main-requests", t_requests, 1.0);
            measure("md-main-start", t_start, 1.0);
        },
        nullptr, 0);
    emscripten_async_call(
        [](void*) {
            const double t0 = emscripten_get_now();
            if (!glfwInit()) {
                std::fprintf(stderr, "glfwInit failed\n");
                return;
            }
            IMGUI_CHECKVERSION();
            ImGui::CreateContext();
            ImGuiIO& io = ImGui::GetIO();
            io.IniFilename = nullptr;  // nothing persisted by ImGui itself
            io.LogFilename = nullptr;
            io.ConfigFlags &= ~ImGuiConfigFlags_NavEnableKeyboard;  // keyboard users use the DOM mirror
            io.SetPlatformImeDataFn = on_ime;
            io.SetClipboardTextFn = set_clipboard;
            io.GetClipboardTextFn = get_clipboard;
            // The atlas's text scale depends on the display's size, known before the first frame.
            io.DisplaySize = ImVec2(static_cast<float>(W.fb_w), static_cast<float>(W.fb_h));
            measure("md-main-imgui", t0, 0.0);
            // The mode's start (stored settings and session: the page's first storage access waits
            // for the browser) in a task of its own; then the atlases (build_first_atlas), then the
            // frames, once the renderer can draw.
            emscripten_async_call(
                [](void*) {
                    const double t1 = emscripten_get_now();
                    W.app->start();
                    W.started = true;
                    measure("md-mode-start", t1, 0.0);
                    emscripten_async_call(warm_json, nullptr, 0);
                    // The atlases from the next task (answers that came meanwhile are applied there), if
                    // the fonts are in; else when they arrive (md_answer).
                    emscripten_async_call(build_first_atlas, nullptr, 0);
                    // The frames (md_start_drawing, a task of its own) as soon as bridge.js's renderer can
                    // draw, atlases built or not: the frame loop builds what is left.
                    EM_ASM({ window.MD.afterRenderer(function() { Module._md_start_drawing(); }); });
                },
                nullptr, 0);
        },
        nullptr, 0);
    return 0;
}

}  // namespace memberdesk::client::web
