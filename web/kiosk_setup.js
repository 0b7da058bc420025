// Kiosk set-up (device key from the URL, barcode scanner as a keyboard), before anything else.
// (Outside the HTML: the Content-Security-Policy allows no inline script.)
// Kiosk set-up, before anything else: the device key (and the kiosk's store, where members who
// join here join) arrive once in the URL (/kiosk#key=<device key>&store=<store id> or
// /kiosk?key=...), are kept in this device's localStorage, and are removed from the address at
// once (the key never stays in the URL or the history).
(function () {
  var params = "&" + location.hash.replace(/^#/, "") + "&" + location.search.replace(/^\?/, "");
  var m = /&key=([^&]+)/.exec(params);
  if (m) {
    try { localStorage.setItem("memberdesk.kiosk.key", decodeURIComponent(m[1])); } catch (e) {}
  }
  var store = /&store=([^&]+)/.exec(params);
  if (store) {
    try { localStorage.setItem("memberdesk.kiosk.store", decodeURIComponent(store[1])); } catch (e) {}
  }
  // Tests: a shorter idle time for this tab only (#idle=N; the client only ever shortens it).
  var idle = /&idle=(\d+)/.exec(params);
  if (idle) {
    try { sessionStorage.setItem("memberdesk.kiosk.idle", idle[1]); } catch (e) {}
  }
  if (m || store || idle) history.replaceState(null, "", location.pathname);
})();

// A barcode/QR scanner is a keyboard: it types the member code and Enter, wherever the focus
// is (the page, or an element of the accessibility layer). Collect printable keys here, in a
// capture listener registered before any other, and hand each finished code to the client.
(function () {
  var buf = "", last = 0, GAP_MS = 5000;  // a longer pause starts a new code (drops stray keys)
  var pending = [];
  function deliver(code) {
    var M = window.Module;
    if (!M || !M.calledRun || !M._md_kiosk_scan || !M._malloc || !M.HEAPU8) {
      pending.push(code);  // the client is still loading: deliver when it is up
      return;
    }
    var bytes = new TextEncoder().encode(code);
    var p = M._malloc(bytes.length + 1);
    M.HEAPU8.set(bytes, p);
    M.HEAPU8[p + bytes.length] = 0;
    M._md_kiosk_scan(p);
    M._free(p);
    if (window.MD) MD.wake();
  }
  window.mdKioskFlush = function () {
    var q = pending;
    pending = [];
    q.forEach(deliver);
  };
  function editable(t) {
    return t && (t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && t.type !== "button" && t.type !== "radio"));
  }
  window.addEventListener("keydown", function (e) {
    if (editable(e.target) || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var now = performance.now();
    if (e.key === "Enter") {
      if (buf.length >= 4 && now - last <= GAP_MS) {
        window.mdKioskScanAt = now;
        deliver(buf);
        e.preventDefault();
        e.stopImmediatePropagation();
      }
      buf = "";
      return;
    }
    if (e.key.length === 1 && e.key > " " && e.key <= "~") {
      if (now - last > GAP_MS) buf = "";
      buf += e.key;
      last = now;
      e.preventDefault();           // no keypress: nothing else types it
      e.stopImmediatePropagation();  // and no redraw per character: nothing changes until Enter
    }
  }, true);
  window.addEventListener("keyup", function (e) {
    if (editable(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key.length === 1 && e.key > " " && e.key <= "~") {  // the keydowns taken above
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
  // No long-press menus, no pinch zoom, no double-tap zoom on a touch counter screen.
  window.addEventListener("contextmenu", function (e) { e.preventDefault(); }, true);
  document.addEventListener("gesturestart", function (e) { e.preventDefault(); });
  document.addEventListener("dblclick", function (e) { e.preventDefault(); }, true);
})();
