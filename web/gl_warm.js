// Makes one WebGL 2 context off the page's thread, so that the GPU process has WebGL set up before the
// client asks for its own (bridge.js, MD.warmWebGL). The context is then given up but the worker is
// not closed: ending a worker waits for its context's teardown, which would block the page's thread
// while the GPU process draws the first frames.
var ok = false;
try {
  var gl = new OffscreenCanvas(1, 1).getContext("webgl2");
  ok = !!gl;
  var lose = gl && gl.getExtension("WEBGL_lose_context");
  if (lose) lose.loseContext();
} catch (e) {}
postMessage(ok);
