// Kiosk start-up: the Emscripten Module settings, and a clear message if WebGL 2 is missing.
// (Outside the HTML: the Content-Security-Policy allows no inline script.)
var Module = {
  canvas: document.getElementById("canvas"),
  locateFile: function (p) { return "/" + p; },
  print: function (t) { console.log(t); },
  printErr: function (t) { console.error(t); },
  // Defined, so that Emscripten runs main() in a task of its own after the wasm's instantiation
  // (one long task less at start-up; the status itself is not shown).
  setStatus: function () {},
  // main() waits until the renderer's worker has its WebGL context (MD.holdForRenderer).
  preRun: [function (M) { MD.holdForRenderer(M); }],
  onRuntimeInitialized: function () { setTimeout(window.mdKioskFlush, 0); },
  onAbort: function () { MD.fail("Sorry, this screen could not start. Please ask a member of staff. · 抱歉，本屏幕无法启动，请联系店员。"); }
};
MD.noWebGLText = "This browser cannot show the kiosk (WebGL 2 is needed). · 此浏览器无法显示自助服务（需要 WebGL 2）。";
MD.startRenderer();
