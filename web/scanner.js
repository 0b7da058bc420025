// A barcode/QR scanner is a keyboard: it types a code and Enter, wherever the focus is (the page,
// or an element of the accessibility layer). The kiosk and the staff console collect printable
// keys outside text fields here, in a capture listener registered before any other, and hand each
// finished code to the client. Typing into a field is left alone.
//   mdScanner(client export, flush function name, name of the last scan's time) -- e.g.
//   mdScanner("_md_kiosk_scan", "mdKioskFlush", "mdKioskScanAt")
// (Outside the HTML: the Content-Security-Policy allows no inline script.)
window.mdScanner = function (scanExport, flushName, scanAtName) {
  var buf = "", last = 0, GAP_MS = 5000;  // a longer pause starts a new code (drops stray keys)
  var pending = [];
  function deliver(code) {
    var M = window.Module;
    if (!M || !M.calledRun || !M[scanExport] || !M._malloc || !M.HEAPU8) {
      pending.push(code);  // the client is still loading: deliver when it is up
      return;
    }
    var bytes = new TextEncoder().encode(code);
    var p = M._malloc(bytes.length + 1);
    M.HEAPU8.set(bytes, p);
    M.HEAPU8[p + bytes.length] = 0;
    M[scanExport](p);
    M._free(p);
    if (window.MD) MD.wake();
  }
  window[flushName] = function () {
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
        window[scanAtName] = now;
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
};
