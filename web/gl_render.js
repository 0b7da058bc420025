// memberdesk's WebGL 2 renderer: draws the frames the wasm client packs (wasm/src/platform/
// gl_renderer.cpp) and keeps the font textures it uploads. It runs in a worker on an OffscreenCanvas,
// so that nothing the GPU process does (making the context, compiling the shader, uploads, a software
// GL's rasterising) makes the page's thread wait: the page hands its canvas over
// (transferControlToOffscreen) and the frames drawn here reach the screen without it (bridge.js,
// MD.gl). A browser without WebGL in workers loads this file in the page instead, and bridge.js calls
// MDRenderer on the page's canvas. The renderer sets the canvas's size from each frame's.
//
// A frame is one ArrayBuffer, little-endian 32-bit words:
//   width, height, background r, g, b (floats), projection sx, sy, tx, ty (floats), list count;
//   per list: vertex bytes, index bytes, command count, the vertices (ImDrawVert: pos 2 floats,
//   uv 2 floats, colour RGBA8), the 16-bit indices padded to 4 bytes, then per command 7 words:
//   scissor x, y, w, h (framebuffer pixels, GL's bottom-left origin), texture id, index count,
//   index offset in bytes.
(function (global) {
  "use strict";

  var VS = "#version 300 es\n" +
    "layout(location = 0) in vec2 Position;\n" +
    "layout(location = 1) in vec2 UV;\n" +
    "layout(location = 2) in vec4 Color;\n" +
    "layout(location = 3) in vec4 Projection;\n" +
    "out vec2 Frag_UV;\n" +
    "out vec4 Frag_Color;\n" +
    "void main() {\n" +
    "  Frag_UV = UV;\n" +
    "  Frag_Color = Color;\n" +
    "  gl_Position = vec4(Position * Projection.xy + Projection.zw, 0.0, 1.0);\n" +
    "}\n";
  // The font atlas is one channel (coverage); colours come from the vertices.
  var FS = "#version 300 es\n" +
    "precision mediump float;\n" +
    "uniform sampler2D Texture;\n" +
    "in vec2 Frag_UV;\n" +
    "in vec4 Frag_Color;\n" +
    "layout(location = 0) out vec4 Out_Color;\n" +
    "void main() {\n" +
    "  Out_Color = vec4(Frag_Color.rgb, Frag_Color.a * texture(Texture, Frag_UV).r);\n" +
    "}\n";

  // ImGui draws 2D triangles over an opaque clear: no depth, stencil or alpha buffer.
  var ATTRIBUTES = { alpha: false, depth: false, stencil: false, antialias: false, preserveDrawingBuffer: false };

  function MDRenderer(canvas) {
    var gl = canvas.getContext("webgl2", ATTRIBUTES);
    if (!gl) return null;
    var program = gl.createProgram();
    [[gl.VERTEX_SHADER, VS], [gl.FRAGMENT_SHADER, FS]].forEach(function (s) {
      var sh = gl.createShader(s[0]);
      gl.shaderSource(sh, s[1]);
      gl.compileShader(sh);
      gl.attachShader(program, sh);
    });
    gl.linkProgram(program);
    var linkChecked = false;

    var vbo = gl.createBuffer(), ebo = gl.createBuffer(), vao = gl.createVertexArray();
    var vboSize = 0, eboSize = 0;
    gl.bindVertexArray(vao);
    gl.bindBuffer(gl.ARRAY_BUFFER, vbo);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, ebo);
    gl.enableVertexAttribArray(0);
    gl.enableVertexAttribArray(1);
    gl.enableVertexAttribArray(2);
    gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 20, 0);
    gl.vertexAttribPointer(1, 2, gl.FLOAT, false, 20, 8);
    gl.vertexAttribPointer(2, 4, gl.UNSIGNED_BYTE, true, 20, 16);
    gl.disableVertexAttribArray(3);  // the projection: a constant attribute, set per frame
    // The whole context is ours: the state ImGui needs is set once.
    gl.activeTexture(gl.TEXTURE0);
    gl.enable(gl.BLEND);
    gl.blendEquation(gl.FUNC_ADD);
    gl.blendFuncSeparate(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA, gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.disable(gl.CULL_FACE);
    gl.disable(gl.DEPTH_TEST);
    gl.disable(gl.STENCIL_TEST);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    var textures = new Map();

    return {
      texture: function (id, w, h, pixels) {
        var t = gl.createTexture();
        gl.bindTexture(gl.TEXTURE_2D, t);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.R8, w, h, 0, gl.RED, gl.UNSIGNED_BYTE, new Uint8Array(pixels));
        textures.set(id, t);
      },
      deleteTexture: function (id) {
        var t = textures.get(id);
        if (t) gl.deleteTexture(t);
        textures.delete(id);
      },
      frame: function (buffer) {
        var i32 = new Int32Array(buffer), f32 = new Float32Array(buffer);
        var w = i32[0], h = i32[1];
        if (canvas.width !== w) canvas.width = w;
        if (canvas.height !== h) canvas.height = h;
        gl.viewport(0, 0, w, h);
        gl.clearColor(f32[2], f32[3], f32[4], 1);
        gl.disable(gl.SCISSOR_TEST);
        gl.clear(gl.COLOR_BUFFER_BIT);
        gl.useProgram(program);
        gl.vertexAttrib4f(3, f32[5], f32[6], f32[7], f32[8]);
        gl.bindVertexArray(vao);
        gl.bindBuffer(gl.ARRAY_BUFFER, vbo);
        gl.enable(gl.SCISSOR_TEST);
        var lists = i32[9], at = 40;
        for (var n = 0; n < lists; ++n) {
          var vtxBytes = i32[at >> 2], idxBytes = i32[(at >> 2) + 1], cmds = i32[(at >> 2) + 2];
          at += 12;
          // Grow the buffers with room to spare, then write into them: no reallocation per list.
          if (vboSize < vtxBytes) {
            vboSize = vtxBytes + (vtxBytes >> 1);
            gl.bufferData(gl.ARRAY_BUFFER, vboSize, gl.STREAM_DRAW);
          }
          if (eboSize < idxBytes) {
            eboSize = idxBytes + (idxBytes >> 1);
            gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, eboSize, gl.STREAM_DRAW);
          }
          gl.bufferSubData(gl.ARRAY_BUFFER, 0, new Uint8Array(buffer, at, vtxBytes));
          at += vtxBytes;
          gl.bufferSubData(gl.ELEMENT_ARRAY_BUFFER, 0, new Uint8Array(buffer, at, idxBytes));
          at += (idxBytes + 3) & ~3;
          for (var c = 0; c < cmds; ++c, at += 28) {
            var k = at >> 2;
            gl.scissor(i32[k], i32[k + 1], i32[k + 2], i32[k + 3]);
            gl.bindTexture(gl.TEXTURE_2D, textures.get(i32[k + 4]) || null);
            gl.drawElements(gl.TRIANGLES, i32[k + 5], gl.UNSIGNED_SHORT, i32[k + 6]);
          }
        }
      },
      // One message of the page's (bridge.js, MD.gl): a texture, a deletion or a frame. True for a
      // frame, which the caller then reports as drawn.
      handle: function (m) {
        if (m.t === "frame") {
          this.frame(m.b);
          return true;
        }
        if (m.t === "texture") this.texture(m.id, m.w, m.h, m.b);
        else if (m.t === "delete") this.deleteTexture(m.id);
        return false;
      },
      // The link status is a synchronous query (it waits for the GPU process): in the worker it is
      // asked before the client starts; in the page, well after the first frames (bridge.js).
      checkProgram: function () {
        if (linkChecked) return;
        linkChecked = true;
        if (!gl.getProgramParameter(program, gl.LINK_STATUS))
          console.error("the ImGui shader program did not link: " + gl.getProgramInfoLog(program));
      }
    };
  }
  global.MDRenderer = MDRenderer;

  // In a worker: it tells the page at once ({ok}) whether WebGL 2 can be drawn here, and the page
  // then hands its canvas over (transferControlToOffscreen); the context is made as soon as the
  // canvas arrives, while the page downloads the client, so that the GPU process sets WebGL up
  // meanwhile. The frames reach the screen without the page's thread ({drawn} paces them).
  if (typeof WorkerGlobalScope !== "undefined" && global instanceof WorkerGlobalScope) {
    // No throw-away context to find out: making one costs the GPU process as much as the real one.
    // A browser with OffscreenCanvas but without WebGL in workers has no WebGL2RenderingContext here.
    var ok = typeof OffscreenCanvas !== "undefined" && typeof WebGL2RenderingContext !== "undefined";
    postMessage({ ok: ok });
    if (!ok) {
      close();
      return;
    }
    var r = null;
    onmessage = function (e) {
      var m = e.data;
      if (m.t === "canvas") {
        try {
          r = MDRenderer(m.canvas);
        } catch (err) {
          r = null;
        }
        // The page's client starts once this says so (bridge.js): after the shader program is
        // linked (the link status waits for the GPU process), so that compiling it does not compete
        // with the client's start-up for the CPU either.
        if (r) r.checkProgram();
        postMessage(r ? { context: true } : { ok: false });
        return;
      }
      if (r && r.handle(m)) postMessage({ drawn: true });  // the frame is shown when this task ends
    };
  }
})(self);
