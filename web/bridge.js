// memberdesk web bridge: the JavaScript half of wasm/src/platform/. Loaded before the wasm client.
//  - an event queue the client polls once per frame (MD.poll), and MD.wake() to resume its paused
//    main loop (it draws only when something happens);
//  - the accessibility mirror (#a11y): real, hidden-but-accessible DOM elements built from the
//    semantic tree each screen emits (MD.syncMirror); activating them queues events the client
//    handles exactly like canvas input;
//  - the hidden IME <input> (#ime) that receives typing, the Chinese IME and the mobile keyboard
//    while an ImGui text field is active (MD.ime);
//  - touch on the canvas (Emscripten's GLFW has no working touch), routing (#/screen), downloads,
//    clipboard.
(function () {
  "use strict";

  var MD = (window.MD = {});
  var queue = [];
  var canvas = null;
  var a11y = null;
  var ime = null;

  function push(e) {
    queue.push(e);
    MD.wake();
  }

  MD.poll = function () {
    if (!queue.length) return null;
    var s = JSON.stringify(queue);
    queue = [];
    return s;
  };

  MD.wake = function () {
    var M = window.Module;
    if (M && M.calledRun && M._md_wake) M._md_wake();
  };

  var timer = null;
  var timerAt = 0;
  MD.wakeAfter = function (ms) {
    var at = performance.now() + ms;
    if (timer !== null && timerAt <= at) return;
    if (timer !== null) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(function () {
      timer = null;
      MD.wake();
    }, Math.max(0, ms));
  };

  MD.setHash = function (h) {
    if (location.hash === h) return;
    if (!location.hash) history.replaceState(null, "", h);
    else history.pushState(null, "", h);
  };

  // The client's first frame is drawn (MD.firstFrame, once it has sent it to the renderer) and shown
  // (the renderer's first picture on the canvas): the splash goes, the page is ready.
  var firstFrameSent = false, firstFrameShown = false, pageReady = false;
  function firstFrameDone() {
    if (!firstFrameSent || !firstFrameShown || pageReady) return;
    pageReady = true;
    var s = document.getElementById("splash");
    if (s) s.hidden = true;
    if (window.mdFirstFrameMs === undefined) window.mdFirstFrameMs = Math.round(performance.now());
    document.body.setAttribute("data-ready", "1");
    if (MD.shellLoaded) MD.shellLoaded();  // the portal's files are all here (portal_boot.js)
    if (MD.firstFrameShown) MD.firstFrameShown();
  }
  MD.firstFrame = function () {
    firstFrameSent = true;
    firstFrameDone();
  };

  // ------------------------------------------------------------- renderer ----
  // The client packs each frame's draw data and the font textures and hands them to MD.gl; the
  // renderer (gl_render.js) draws them with WebGL 2. It runs in a worker, started by MD.startRenderer
  // while the client downloads, on the canvas the page hands over (transferControlToOffscreen), so
  // that making the context, compiling the shader and every frame's drawing never make the page's
  // thread wait for the GPU process (hundreds of ms on a software GL). Without WebGL in workers, the
  // renderer runs in the page, on the canvas itself; without WebGL 2 at all, the page says so. Either
  // way the renderer sets the canvas's size: the page must not (a handed-over canvas cannot be resized).
  var renderer = null;     // {send(message, transfer)} once known to work
  var rendererState = "";  // "", "starting", "worker", "page", "none"
  var rendererWaiting = [];
  var pending = [];        // messages before the renderer is ready (all textures, the latest frame)
  var frameInFlight = false, heldFrame = null;

  function rendererReady(r, state) {
    renderer = r;
    rendererState = state;
    var p = pending;
    pending = [];
    p.forEach(function (m) { deliver(m); });
    var fs = rendererWaiting;
    rendererWaiting = [];
    fs.forEach(function (f) { setTimeout(f, 0); });
  }
  var heldDeletes = [];     // texture deletions that must follow the held frame (it may use them)
  function deliver(m) {
    if (m.t === "delete" && heldFrame) return heldDeletes.push(m);
    if (m.t !== "frame") return renderer.send(m);
    // One frame at the renderer at a time; a newer one replaces a frame still waiting for it.
    if (frameInFlight) {
      heldFrame = m;
      return;
    }
    frameInFlight = true;
    renderer.send(m);
    var ds = heldDeletes;
    heldDeletes = [];
    ds.forEach(function (d) { renderer.send(d); });
  }
  function frameShown() {
    frameInFlight = false;
    if (!firstFrameShown) {
      firstFrameShown = true;
      firstFrameDone();
    }
    if (heldFrame) {
      var m = heldFrame;
      heldFrame = null;
      deliver(m);
    }
  }
  function startInPage() {
    var c = document.getElementById("canvas");
    function draw() {
      var gl = window.MDRenderer && window.MDRenderer(c);
      rendererContextReady();
      if (!gl) {
        rendererState = "none";
        pending = [];
        MD.noWebGL();
        return;
      }
      var checked = false;
      rendererReady({
        send: function (m) {
          if (!gl.handle(m)) return;
          // The link status waits for the GPU process: asked once, well after the first frames.
          if (!checked) {
            checked = true;
            setTimeout(gl.checkProgram, 5000);
          }
          setTimeout(frameShown, 0);
        }
      }, "page");
    }
    if (window.MDRenderer) return draw();
    var s = document.createElement("script");
    s.src = "/gl_render.js";
    s.onload = draw;
    s.onerror = draw;
    document.head.appendChild(s);
  }
  MD.startRenderer = function () {
    if (rendererState) return;
    rendererState = "starting";
    var worker = null;
    try {
      if (typeof Worker !== "undefined" && typeof OffscreenCanvas !== "undefined") worker = new Worker("/gl_render.js");
    } catch (e) {
      worker = null;
    }
    if (!worker) return startInPage();
    worker.onerror = function (e) {
      if (rendererState === "starting") return startInPage();
      console.error("renderer: " + (e && e.message));
    };
    worker.onmessage = function (e) {
      var m = e.data;
      if (m.drawn) return frameShown();
      if (m.context) return rendererContextReady();
      if (rendererState === "starting") {
        if (!m.ok) return startInPage();
        var offscreen;
        try {
          offscreen = document.getElementById("canvas").transferControlToOffscreen();
        } catch (err) {
          return startInPage();
        }
        worker.postMessage({ t: "canvas", canvas: offscreen }, [offscreen]);
        rendererReady({ send: function (msg) { worker.postMessage(msg, msg.b ? [msg.b] : []); } }, "worker");
      } else if (m.ok === false) {
        rendererState = "none";
        rendererContextReady();
        MD.noWebGL();
      }
    };
    MD.rendererWorker = worker;  // kept: a collected worker would end
  };
  // The client's main() (preRun, with Emscripten's run dependencies) waits until the renderer has its
  // WebGL context, 1 s at most: making it keeps the GPU process busy for hundreds of ms on a software
  // GL, and the client's start-up tasks, run meanwhile, would compete with it for the CPU and each
  // take several times longer. The wasm downloads and compiles in the meantime all the same.
  var contextWaiting = [];
  var contextReady = false;
  function rendererContextReady() {
    if (contextReady) return;
    contextReady = true;
    var fs = contextWaiting;
    contextWaiting = [];
    fs.forEach(function (f) { f(); });
  }
  MD.holdForRenderer = function (M) {
    if (contextReady) return;
    M.addRunDependency("md-renderer-context");
    var released = false;
    function release() {
      if (released) return;
      released = true;
      M.removeRunDependency("md-renderer-context");
    }
    contextWaiting.push(release);
    setTimeout(release, 1000);
  };

  // Where the renderer runs: "worker", "page", "none" (no WebGL 2), or "starting".
  MD.rendererMode = function () { return rendererState; };
  // `f` runs once the renderer can draw (never if the browser has no WebGL 2).
  MD.afterRenderer = function (f) {
    if (!rendererState) MD.startRenderer();
    if (renderer) setTimeout(f, 0);
    else if (rendererState !== "none") rendererWaiting.push(f);
  };
  // The size (canvas pixels) of the client's last frame, which its coordinates are in: the canvas
  // itself takes it only once the renderer has drawn that frame.
  var frameSize = { w: 1, h: 1 };
  // What the client sends (platform/gl_renderer.cpp): `b` an ArrayBuffer of its own, handed over.
  MD.gl = {
    texture: function (id, w, h, b) { MD.gl.send({ t: "texture", id: id, w: w, h: h, b: b }); },
    deleteTexture: function (id) { MD.gl.send({ t: "delete", id: id }); },
    frame: function (b) {
      var size = new Int32Array(b, 0, 2);  // the frame's first two words (gl_render.js)
      frameSize = { w: size[0], h: size[1] };
      MD.gl.send({ t: "frame", b: b });
    },
    send: function (m) {
      if (renderer) return deliver(m);
      if (m.t === "frame") pending = pending.filter(function (p) { return p.t !== "frame"; });
      pending.push(m);
    }
  };

  // When the browser has no WebGL 2: the page's own message.
  MD.noWebGL = function () {
    MD.fail(MD.noWebGLText || "WebGL 2 is needed. · 需要 WebGL 2。");
  };

  MD.fail = function (text) {
    var s = document.getElementById("splash");
    if (!s) return;
    s.hidden = false;
    s.textContent = text;
    s.setAttribute("role", "alert");
  };

  MD.download = function (name, mime, bytes) {
    var url = URL.createObjectURL(new Blob([bytes], { type: mime }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () {
      URL.revokeObjectURL(url);
      a.remove();
    }, 1000);
  };

  MD.copy = function (text) {
    function fallback() {
      var t = document.createElement("textarea");
      t.value = text;
      t.setAttribute("readonly", "");
      t.style.position = "fixed";
      t.style.opacity = "0";
      document.body.appendChild(t);
      t.select();
      try {
        document.execCommand("copy");
      } catch (e) {}
      t.remove();
    }
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(fallback);
    else fallback();
  };

  // ---------------------------------------------------------------- IME / keyboard input ----
  var imeReleasing = false;
  var FORWARD = {
    Backspace: 1, Delete: 1, Enter: 1, Tab: 1, Escape: 1, ArrowLeft: 1, ArrowRight: 1, ArrowUp: 1,
    ArrowDown: 1, Home: 1, End: 1
  };
  function keyEvent(e, down) {
    return { t: "key", k: e.key, d: down ? 1 : 0, c: e.ctrlKey ? 1 : 0, s: e.shiftKey ? 1 : 0,
             a: e.altKey ? 1 : 0, m: e.metaKey ? 1 : 0 };
  }
  function onImeKey(e, down) {
    if (e.isComposing || e.keyCode === 229) return;  // the IME owns the key
    var mod = e.ctrlKey || e.metaKey;
    if (FORWARD[e.key] || (mod && /^[acxzy]$/i.test(e.key))) {
      push(keyEvent(e, down));
      e.preventDefault();
    }
  }
  function flushIme() {
    if (ime.value) {
      push({ t: "text", v: ime.value });
      ime.value = "";
    }
  }

  MD.ime = function (want, x, y, h, password, numeric) {
    if (!ime) return;
    if (want) {
      ime.style.left = Math.max(0, x) + "px";
      ime.style.top = Math.max(0, y) + "px";
      ime.style.height = Math.max(16, h) + "px";
      var type = password ? "password" : "text";
      if (ime.type !== type) ime.type = type;
      ime.inputMode = numeric ? "decimal" : "text";
      if (document.activeElement !== ime) ime.focus({ preventScroll: true });
    } else if (document.activeElement === ime) {
      imeReleasing = true;
      ime.blur();
      imeReleasing = false;
    }
  };

  function ours(t) {
    return t && (t === ime || (a11y && a11y.contains(t)));
  }

  // Window-level capture listeners run before Emscripten's GLFW ones (also window capture, added
  // later): keys meant for our inputs never reach GLFW, so nothing is typed twice.
  function onKey(e) {
    MD.wake();
    if (!ours(e.target)) return;
    if (e.target === ime) {
      if (e.type !== "keypress") onImeKey(e, e.type === "keydown");
    } else if (e.type === "keydown" && e.key === "Enter" && e.target.tagName === "INPUT" &&
               e.target.type !== "radio") {
      var id = e.target.getAttribute("data-id");
      if (id) push({ t: "click", id: id + ".submit" });
    }
    e.stopImmediatePropagation();
  }

  // ---------------------------------------------------------------- touch ----
  var touchId = null;
  function touchXY(t) {
    var r = canvas.getBoundingClientRect();
    return { x: (t.clientX - r.left) * (frameSize.w / r.width), y: (t.clientY - r.top) * (frameSize.h / r.height) };
  }
  function onTouch(e) {
    if (e.target !== canvas) return;
    e.preventDefault();  // no emulated mouse events, no browser panning/zooming of the canvas
    e.stopPropagation();  // and not GLFW's (broken) touch handling
    for (var i = 0; i < e.changedTouches.length; i++) {
      var t = e.changedTouches[i];
      if (e.type === "touchstart") {
        if (touchId !== null) continue;
        touchId = t.identifier;
      } else if (t.identifier !== touchId) {
        continue;
      }
      var p = touchXY(t);
      var phase = e.type === "touchstart" ? 0 : e.type === "touchmove" ? 1 : 2;
      push({ t: "touch", p: phase, x: p.x, y: p.y });
      if (phase === 2) {
        touchId = null;
        // Process the tap now, inside the gesture: if it activated a text field, the hidden
        // input gets focus while the browser still allows opening the on-screen keyboard.
        if (window.Module && Module._md_frame_now) Module._md_frame_now();
      }
    }
  }

  // ---------------------------------------------------------------- accessibility mirror ----
  var nodes = new Map();  // id -> {el, tag, kind, ctrl}
  var inerted = [];
  var mainTitle = "";

  function tagFor(n) {
    switch (n.r) {
      case "region": return n.l ? "section" : "div";
      case "nav": return "nav";
      case "heading": return "h" + Math.min(6, Math.max(1, n.h || 2));
      case "text": return "p";
      case "button": return "button";
      case "input": return "label";
      case "choice": return "fieldset";
      // ARIA lists rather than <ul>/<li>: a list may also hold its own label text.
      case "list":
      case "item": return "div";
      default: return "div";
    }
  }

  function setText(el, t) {
    if (el.textContent !== t) el.textContent = t;
  }
  function setAttr(el, name, v) {
    if (v === null || v === undefined || v === false) {
      if (el.hasAttribute(name)) el.removeAttribute(name);
    } else if (el.getAttribute(name) !== String(v)) {
      el.setAttribute(name, v);
    }
  }

  // Where the control is drawn (canvas pixels in the tree) as data-rect="x,y,w,h" in CSS pixels
  // of the page: lets tests tap or click the canvas itself at the right place.
  function setRect(el, b) {
    if (!b) {
      setAttr(el, "data-rect", null);
      return;
    }
    var k = canvas && canvas.clientWidth ? frameSize.w / canvas.clientWidth : 1;
    setAttr(el, "data-rect", b.map(function (v) { return Math.round((v / k) * 10) / 10; }).join(","));
  }

  function create(n) {
    var tag = tagFor(n);
    var el = document.createElement(tag);
    var rec = { el: el, tag: tag, role: n.r, kind: n.k || "", ctrl: el };
    el.setAttribute("data-id", n.i);
    if (n.r === "button") {
      el.type = "button";
      el.addEventListener("click", function () { push({ t: "click", id: n.i }); });
    } else if (n.r === "input") {
      var span = document.createElement("span");
      var input = document.createElement(n.k === "multiline" ? "textarea" : "input");
      if (n.k !== "multiline") {
        input.type = n.k === "password" ? "password" : n.k === "tel" ? "tel" : "text";
        if (n.k === "number" || n.k === "tel") input.inputMode = n.k === "tel" ? "tel" : "decimal";
        if (n.k === "date") input.placeholder = "YYYY-MM-DD";
        input.autocomplete = n.k === "password" ? "current-password" : n.k === "tel" ? "tel" : "off";
      }
      input.setAttribute("data-id", n.i);
      el.removeAttribute("data-id");
      el.appendChild(span);
      el.appendChild(input);
      input.addEventListener("input", function () { push({ t: "input", id: n.i, v: input.value }); });
      rec.ctrl = input;
      rec.span = span;
    } else if (n.r === "list" || n.r === "item") {
      el.setAttribute("role", n.r === "list" ? "list" : "listitem");
    } else if (n.r === "heading") {
      el.tabIndex = -1;
    } else if (n.r === "status") {
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
    } else if (n.r === "alert") {
      el.setAttribute("role", "alert");
    } else if (n.r === "image") {
      el.setAttribute("role", "img");
    } else if (n.r === "progress") {
      el.setAttribute("role", "progressbar");
      el.setAttribute("aria-valuemin", "0");
      el.setAttribute("aria-valuemax", "100");
    } else if (n.r === "dialog") {
      el.setAttribute("role", "dialog");
      el.setAttribute("aria-modal", "true");
    } else if (n.r === "choice") {
      rec.legend = document.createElement("legend");
      el.appendChild(rec.legend);
      rec.options = new Map();
    }
    return rec;
  }

  function update(rec, n, seen) {
    var el = rec.el;
    switch (n.r) {
      case "heading":
      case "status":
      case "alert":
        setText(el, n.l || "");
        break;
      case "text":
        setText(el, n.l || "");
        setAttr(el, "data-value", n.v || null);
        break;
      case "button":
        setText(el, n.l || "");
        el.disabled = !!n.d;
        setAttr(el, "aria-current", n.a ? "page" : null);
        setRect(el, n.b);
        break;
      case "input":
        setText(rec.span, n.l || "");
        if (rec.kind !== "password" && document.activeElement !== rec.ctrl && rec.ctrl.value !== (n.v || ""))
          rec.ctrl.value = n.v || "";
        rec.ctrl.disabled = !!n.d;
        setRect(rec.ctrl, n.b);
        break;
      case "image":
        setAttr(el, "aria-label", n.l || "");
        break;
      case "progress":
        setAttr(el, "aria-valuenow", n.v || "0");
        setAttr(el, "aria-label", n.l || "");
        setText(el, n.l || "");
        break;
      case "choice":
        setText(rec.legend, n.l || "");
        var want = [];
        (n.n || []).forEach(function (o) {
          var opt = rec.options.get(o.i);
          if (!opt) {
            var label = document.createElement("label");
            var radio = document.createElement("input");
            var text = document.createElement("span");
            radio.type = "radio";
            radio.name = n.i;
            radio.setAttribute("data-id", o.i);
            radio.addEventListener("change", function () { push({ t: "click", id: o.i }); });
            label.appendChild(radio);
            label.appendChild(text);
            opt = { label: label, radio: radio, text: text };
            rec.options.set(o.i, opt);
          }
          setText(opt.text, o.l || "");
          opt.radio.checked = !!o.c;
          setRect(opt.radio, o.b);
          seen.add(o.i);
          want.push(opt.label);
        });
        placeChildren(el, want, rec.legend);
        break;
      default:
        if (n.l && (n.r === "region" || n.r === "nav" || n.r === "list" || n.r === "dialog"))
          setAttr(el, "aria-label", n.l);
        renderChildren(el, n.n || [], seen);
    }
  }

  // Puts `els` in order as the children of `parent` after `after` (or first), removing the rest.
  function placeChildren(parent, els, after) {
    var prev = after || null;
    els.forEach(function (el) {
      var next = prev ? prev.nextSibling : parent.firstChild;
      if (next !== el) parent.insertBefore(el, next);
      prev = el;
    });
    var extra = prev ? prev.nextSibling : parent.firstChild;
    while (extra) {
      var nx = extra.nextSibling;
      parent.removeChild(extra);
      extra = nx;
    }
  }

  function renderNode(n, seen) {
    var rec = nodes.get(n.i);
    if (!rec || rec.tag !== tagFor(n) || rec.role !== n.r || rec.kind !== (n.k || "")) {
      rec = create(n);
      nodes.set(n.i, rec);
    }
    seen.add(n.i);
    update(rec, n, seen);
    return rec.el;
  }

  function renderChildren(parent, kids, seen) {
    placeChildren(parent, kids.map(function (k) { return renderNode(k, seen); }), null);
  }

  function findMainTitle(n) {
    if (n.i === "screen.title" || n.i === "signin.title" || n.i === "menu.title") return n;
    for (var i = 0; n.n && i < n.n.length; i++) {
      var f = findMainTitle(n.n[i]);
      if (f) return f;
    }
    return null;
  }

  MD.syncMirror = function (json) {
    if (!a11y) return;
    var root = JSON.parse(json);
    var seen = new Set();
    var focusWasInside = a11y.contains(document.activeElement);
    renderChildren(a11y, root.n || [], seen);
    nodes.forEach(function (_, id) { if (!seen.has(id)) nodes.delete(id); });

    // A modal dialog: everything else is inert, focus goes into it.
    inerted.forEach(function (el) { el.inert = false; el.removeAttribute("aria-hidden"); });
    inerted = [];
    var dialog = a11y.querySelector('[role="dialog"]');
    if (dialog) {
      for (var el = dialog; el && el !== a11y; el = el.parentElement) {
        var sib = el.parentElement ? el.parentElement.firstElementChild : null;
        for (; sib; sib = sib.nextElementSibling) {
          if (sib !== el) {
            sib.inert = true;
            sib.setAttribute("aria-hidden", "true");
            inerted.push(sib);
          }
        }
      }
      if (focusWasInside && !dialog.contains(document.activeElement)) {
        var b = dialog.querySelector("button");
        if (b) b.focus();
      }
    }

    // A new screen: a keyboard / screen-reader user lands on its heading.
    var t = findMainTitle(root);
    var title = t ? t.i + "|" + t.l : "";
    if (title !== mainTitle) {
      var first = mainTitle === "";
      mainTitle = title;
      if (!first && !dialog && t && (focusWasInside || document.activeElement === document.body)) {
        var h = nodes.get(t.i);
        if (h && focusWasInside) h.el.focus({ preventScroll: true });
      }
    }
  };

  // ---------------------------------------------------------------- start-up ----
  function init() {
    canvas = document.getElementById("canvas");
    a11y = document.getElementById("a11y");
    ime = document.getElementById("ime");

    ["keydown", "keyup", "keypress"].forEach(function (type) {
      window.addEventListener(type, onKey, true);
    });
    ["mousemove", "mousedown", "mouseup", "wheel", "resize", "focus", "blur", "pointerdown", "pointerup"].forEach(
      function (type) { window.addEventListener(type, MD.wake, { capture: true, passive: true }); });
    // GLFW hands mouse events to ImGui as they happen; queued typing must get there first.
    ["mousedown", "mouseup", "wheel"].forEach(function (type) {
      window.addEventListener(type, function () {
        var M = window.Module;
        if (queue.length && M && M.calledRun && M._md_absorb_input) M._md_absorb_input();
      }, { capture: true, passive: true });
    });
    document.addEventListener("visibilitychange", MD.wake);
    // The portal's offline view follows the connection.
    window.addEventListener("online", MD.wake);
    window.addEventListener("offline", MD.wake);
    if (window.visualViewport) window.visualViewport.addEventListener("resize", MD.wake);
    ["touchstart", "touchmove", "touchend", "touchcancel"].forEach(function (type) {
      window.addEventListener(type, onTouch, { capture: true, passive: false });
    });
    // Clicking the canvas must not take focus away from the hidden input of an active field.
    window.addEventListener("mousedown", function (e) { if (e.target === canvas) e.preventDefault(); }, true);
    window.addEventListener("popstate", function () { push({ t: "route", v: location.hash }); });

    ime.addEventListener("input", function (e) {
      if (e.isComposing) return;
      flushIme();
    });
    ime.addEventListener("compositionend", function () { flushIme(); });
    ime.addEventListener("blur", function () {
      // Focus left the text field's input (tapped elsewhere, keyboard closed): stop editing.
      if (!imeReleasing) push({ t: "imeblur" });
    });
    ime.addEventListener("beforeinput", function (e) {
      // Android keyboards delete with input events, not key events.
      if (e.inputType === "deleteContentBackward" && !ime.value) {
        push({ t: "key", k: "Backspace", d: 1 });
        push({ t: "key", k: "Backspace", d: 0 });
        e.preventDefault();
      }
    });
    ime.addEventListener("paste", function (e) {
      var text = (e.clipboardData || window.clipboardData).getData("text");
      if (text) push({ t: "text", v: text });
      e.preventDefault();
    });

    a11y.addEventListener("focusin", function (e) {
      var id = e.target.getAttribute && e.target.getAttribute("data-id");
      if (id) push({ t: "focus", id: id });
    });
    a11y.addEventListener("focusout", function (e) {
      var id = e.target.getAttribute && e.target.getAttribute("data-id");
      if (id) push({ t: "blur", id: id });
    });
  }

  // The page's first use of each storage area waits for the browser to load it (a synchronous round
  // trip): done here, while the page is parsed and the client downloads, so that the client's first
  // read of its settings and session (its mode's start) does not wait.
  try {
    void window.localStorage.length;
    void window.sessionStorage.length;
  } catch (e) {}

  // The shell includes this script after #canvas, #ime and #a11y, so its listeners are in place
  // before the wasm client (and Emscripten's GLFW) starts.
  if (document.getElementById("ime")) init();
  else document.addEventListener("DOMContentLoaded", init);
})();
