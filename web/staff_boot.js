// Staff console start-up: the Emscripten Module settings, and a clear message if WebGL 2 is
// missing. (Outside the HTML: the Content-Security-Policy allows no inline script.)
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
  onRuntimeInitialized: function () { setTimeout(window.mdStaffFlush, 0); },
  onAbort: function () { MD.fail("Sorry, the staff console could not start. Please reload the page. · 抱歉，员工工作台无法启动，请刷新页面。"); }
};
MD.noWebGLText = "This browser cannot show the staff console (WebGL 2 is needed). · 此浏览器无法显示员工工作台（需要 WebGL 2）。";
MD.startRenderer();
