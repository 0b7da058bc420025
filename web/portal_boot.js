// Portal start-up: the Emscripten Module settings, and a clear message if WebGL 2 is missing.
// (Outside the HTML: the Content-Security-Policy allows no inline script.)
var Module = {
  canvas: document.getElementById("canvas"),
  print: function (t) { console.log(t); },
  printErr: function (t) { console.error(t); },
  onAbort: function () { MD.fail("Sorry, the member centre could not start. Please reload the page. · 抱歉，会员中心无法启动，请刷新页面。"); }
};
if (!document.createElement("canvas").getContext("webgl2"))
  MD.fail("This browser cannot show the member centre (WebGL 2 is needed). · 此浏览器无法显示会员中心（需要 WebGL 2）。");
