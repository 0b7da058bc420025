// Staff console set-up, before anything else: a barcode/QR scanner is a keyboard. It types the
// member's card code (or a coupon's code) and Enter wherever the focus is; outside a text field
// the keys are collected here, in a capture listener registered before any other, and each
// finished code goes to the client (md_staff_scan). Typing into a field (sign-in, phone, amount)
// is left alone. (Outside the HTML: the Content-Security-Policy allows no inline script.)
(function () {
  var buf = "", last = 0, GAP_MS = 5000;  // a longer pause starts a new code (drops stray keys)
  var pending = [];
  function deliver(code) {
    var M = window.Module;
    if (!M || !M.calledRun || !M._md_staff_scan || !M._malloc || !M.HEAPU8) {
      pending.push(code);  // the client is still loading: deliver when it is up
      return;
    }
    var bytes = new TextEncoder().encode(code);
    var p = M._malloc(bytes.length + 1);
    M.HEAPU8.set(bytes, p);
    M.HEAPU8[p + bytes.length] = 0;
    M._md_staff_scan(p);
    M._free(p);
    if (window.MD) MD.wake();
  }
  window.mdStaffFlush = function () {
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
        window.mdStaffScanAt = now;
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
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
  window.addEventListener("keyup", function (e) {
    if (editable(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key.length === 1 && e.key > " " && e.key <= "~") {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
})();
