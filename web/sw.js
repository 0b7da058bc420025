// The portal's service worker: keeps the app shell (HTML, scripts, wasm, fonts, styles, icons) of
// one build as one versioned cache, so the portal opens without the network. The build writes the
// two lines below (cmake/service_worker.cmake): the build id, a hash of every file in the set, and
// each file's SHA-256. A file that does not match its hash fails the install, so a cache never
// mixes builds (no new JavaScript with an old wasm). API answers are never cached here: what the
// member saw last is kept by the client itself (docs/design.md "Offline portal").
"use strict";
var BUILD = "dev"; // @MD_BUILD@
var FILES = {}; // @MD_FILES@
var PREFIX = "memberdesk-shell-";
var CACHE = PREFIX + BUILD;
// Cached when first asked for, not at install: the CJK subset is fetched only once Chinese is on
// screen (an English reader never downloads it); it is checked against FILES all the same.
var LAZY = { "/fonts/ui-cjk.ttf": true };

function hex(buf) {
  return Array.prototype.map.call(new Uint8Array(buf), function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
}

// Fetches every file of the set past the HTTP cache and checks it against its hash.
function fetchChecked(url) {
  return fetch(new Request(url, { cache: "no-cache", credentials: "same-origin" })).then(function (resp) {
    if (!resp.ok) throw new Error(url + ": HTTP " + resp.status);
    return resp.clone().arrayBuffer().then(function (body) {
      return crypto.subtle.digest("SHA-256", body).then(function (d) {
        if (hex(d) !== FILES[url]) throw new Error(url + ": not the file of build " + BUILD);
        return resp;
      });
    });
  });
}

self.addEventListener("install", function (event) {
  var urls = Object.keys(FILES).filter(function (u) { return !LAZY[u]; });
  event.waitUntil(
    Promise.all(urls.map(fetchChecked)).then(function (resps) {
      return caches.open(CACHE).then(function (cache) {
        return Promise.all(resps.map(function (r, i) { return cache.put(urls[i], r); }));
      });
    }));
});

// A waiting build takes over when a page that has finished loading asks (portal_boot.js): the page
// then reloads into it, so no page ever runs files of two builds.
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "md-activate") self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== CACHE; })
                             .map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); }));
});

function fromCache(key, request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(key).then(function (hit) {
      if (hit) return hit;
      if (!LAZY[key]) return fetch(request);
      // First use of a lazy file: kept only when it is this build's.
      return fetchChecked(key).then(function (resp) {
        return cache.put(key, resp.clone()).then(function () { return resp; });
      }, function () { return fetch(request); });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  var path = url.pathname;
  if (path.indexOf("/api/") === 0) return;  // never cached: the network answers, or nothing does
  if (req.mode === "navigate") {
    // The portal's page only; the store kiosk (/kiosk) and the staff console (/staff) are not part
    // of this set.
    if (path === "/" || path === "/index.html") event.respondWith(fromCache("/", req));
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(FILES, path)) return;
  event.respondWith(
    self.clients.get(event.clientId).then(function (client) {
      if (client && /^\/(kiosk|staff)(\/|$)/.test(new URL(client.url).pathname)) return fetch(req);
      return fromCache(path, req);
    }));
});

// Which build this worker serves (the page and the tests ask).
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "md-build" && event.ports[0]) event.ports[0].postMessage(BUILD);
});
