// Portal start-up: the Emscripten Module settings, a clear message if WebGL 2 is missing, and the
// service worker that lets the portal open offline (sw.js).
// (Outside the HTML: the Content-Security-Policy allows no inline script.)
var Module = {
  canvas: document.getElementById("canvas"),
  print: function (t) { console.log(t); },
  printErr: function (t) { console.error(t); },
  // Defined, so that Emscripten runs main() in a task of its own after the wasm's instantiation
  // (one long task less at start-up; the status itself is not shown).
  setStatus: function () {},
  // main() waits until the renderer's worker has its WebGL context (MD.holdForRenderer).
  preRun: [function (M) { MD.holdForRenderer(M); }],
  onRuntimeInitialized: function () { performance.mark("md-runtime-ready"); MD.shellLoaded(); },
  onAbort: function () { MD.fail("Sorry, the member centre could not start. Please reload the page. · 抱歉，会员中心无法启动，请刷新页面。"); }
};
MD.noWebGLText = "This browser cannot show the member centre (WebGL 2 is needed). · 此浏览器无法显示会员中心（需要 WebGL 2）。";
MD.startRenderer();

// A new build installs in the background; once this page has all its files (the wasm is running),
// the new build takes over and the page reloads into it, so a page never mixes two builds.
(function () {
  var sw = navigator.serviceWorker;
  var loaded = false;
  var switching = false;
  MD.shellLoaded = function () {
    if (loaded) return;
    loaded = true;
    if (!sw) return;
    sw.getRegistration().then(watch);
    // Events can pass before this page listens (an update started by the navigation itself): look
    // again for a waiting build for a minute after start.
    var tries = 0;
    var poll = setInterval(function () {
      if (switching || ++tries > 30) return clearInterval(poll);
      sw.getRegistration().then(function (reg) { if (reg) takeOver(reg.waiting); });
    }, 2000);
  };
  if (!sw || !window.isSecureContext) return;
  // `w`: a worker of a new build, installed and waiting (the first install needs no take-over).
  function takeOver(w) {
    if (switching || !loaded || !w || w.state !== "installed" || !sw.controller) return;
    switching = true;
    w.postMessage({ type: "md-activate" });
  }
  // The update may have begun before this page listened: follow whatever is installing now.
  function watch(reg) {
    if (!reg) return;
    takeOver(reg.waiting);
    var w = reg.installing;
    if (w) w.addEventListener("statechange", function () { takeOver(w); });
  }
  sw.addEventListener("controllerchange", function () {
    if (switching) location.reload();
  });
  // Registered once the first screen is shown and the page has been idle a moment: its install
  // fetches and hashes the whole app shell again, which would compete with the start-up for the CPU
  // (and a registered worker checks for a new build on every navigation anyway).
  MD.firstFrameShown = function () {
    setTimeout(function () {
      var idle = window.requestIdleCallback || function (f) { setTimeout(f, 0); };
      idle(register, { timeout: 2000 });
    }, 2000);
  };
  function register() {
    sw.register("/sw.js", { scope: "/" }).then(function (reg) {
      watch(reg);
      reg.addEventListener("updatefound", function () { watch(reg); });
    }).catch(function (e) { console.warn("service worker: " + e); });
  }
})();
