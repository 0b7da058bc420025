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

// The scanner (scanner.js, loaded first) hands each scanned code to the client.
mdScanner("_md_kiosk_scan", "mdKioskFlush", "mdKioskScanAt");
