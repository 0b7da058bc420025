// The installable portal offline, in Debian's headless Chromium against the real server: the web app
// manifest and its icons, the service worker's versioned app-shell cache, and the last member view
// kept on the device (docs/design.md "Offline portal").
//  - offline: one online visit and sign-in, then the network cut (Playwright's offline mode) and a
//    reload: the portal opens to the kept view "as of" its time with the member card; the card's
//    code, read from the mirror, is accepted by the POS once the test reconnects; after sign-out an
//    offline reload shows nothing personal.
//  - update: build A served, then build B (another build id, a changed file) at the same origin: one
//    reload and B is the active worker, A's cache is gone and B's file is what the page gets.
// Prints one line per case and ends with "N passed, N failed"; exit status 1 on any failure.
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");
const zlib = require("zlib");
const L = require("./lib.js");

const OUT = path.join(__dirname, "out");
const SERVER = process.env.MEMBERDESK_SERVER_BIN || path.join(L.ROOT, "build/native/native_server/memberdesk-server");
const WEB = process.env.MEMBERDESK_WEB_DIR || path.join(L.ROOT, "build/wasm/web");
const T = 30000;  // generous: software GL on a shared 2-core machine
const VP = { name: "offline", width: 1280, height: 800, dpr: 1 };

const results = [];

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

function flow(prefix, steps) {
  return L.runFlow(results, prefix, steps);
}

// Evaluates `fn` in the page until it returns something truthy; survives the page reloading itself.
// What the page's service worker registration looks like (for failure messages).
function swDebug(page) {
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    const st = (w) => (w ? w.state : "-");
    return JSON.stringify({ controller: !!navigator.serviceWorker.controller, installing: reg && st(reg.installing),
                            waiting: reg && st(reg.waiting), active: reg && st(reg.active), caches: await caches.keys(),
                            ready: document.body.getAttribute("data-ready"), run: !!(window.Module && Module.calledRun) });
  }).catch((e) => "no state: " + e.message);
}

async function until(page, fn, arg, what, timeoutMs = T) {
  const end = Date.now() + timeoutMs;
  let last = null;
  for (;;) {
    try {
      const v = await page.evaluate(fn, arg);
      if (v) return v;
      last = null;
    } catch (e) {
      last = e;  // the page is navigating
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}` + (last ? `: ${last.message}` : "") + "; " + (await swDebug(page)));
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The build the controlling service worker serves, and the shell caches that exist.
function swState(page) {
  return page.evaluate(async () => {
    const keys = (await caches.keys()).filter((k) => k.indexOf("memberdesk-shell-") === 0);
    const c = navigator.serviceWorker.controller;
    if (!c) return { build: null, keys };
    const build = await new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = (e) => resolve(e.data);
      c.postMessage({ type: "md-build" }, [ch.port2]);
      setTimeout(() => resolve(null), 2000);
    });
    return { build, keys };
  });
}

function buildIdOf(dir) {
  const m = /var BUILD = "([^"]+)"/.exec(fs.readFileSync(path.join(dir, "sw.js"), "utf8"));
  return m ? m[1] : null;
}

async function loaded(page) {
  await page.waitForSelector('body[data-ready="1"]', { timeout: T });
}

async function signIn(page, login) {
  await L.waitFor(page, "signin.submit", T);
  await L.el(page, "signin.phone").fill(login.phone);
  await L.el(page, "signin.pin").fill(login.pin);
  await L.activate(page, "signin.submit");
  await L.waitFor(page, "home.balance", T);
}

function noErrors(log) {
  assert(!log.errors.length, "page errors: " + log.errors.join(" | "));
}

// ------------------------------------------------------------------------------------ offline ----

async function offlineFlow() {
  let server = null, ctx = null, login = null, token = null, me = null, code = null;
  try {
    await flow("offline", [
      ["the portal is installable: manifest with icons, served under the CSP", async () => {
        server = await L.startServer({ bin: SERVER, web: WEB });
        login = server.logins.find((l) => l.tier === "Elite") || server.logins[0];
        const man = await fetch(server.url + "manifest.webmanifest");
        assert(man.status === 200, `manifest: HTTP ${man.status}`);
        assert(man.headers.get("content-type") === "application/manifest+json", `manifest type ${man.headers.get("content-type")}`);
        const j = await man.json();
        assert(j.start_url === "/" && j.display === "standalone" && j.theme_color, "manifest lacks start_url, display or theme_color");
        for (const size of ["192x192", "512x512"]) {
          const icon = j.icons.find((i) => i.sizes === size);
          assert(icon, `no ${size} icon in the manifest`);
          const r = await fetch(new URL(icon.src, server.url));
          const png = Buffer.from(await r.arrayBuffer());
          assert(r.status === 200 && r.headers.get("content-type") === "image/png", `icon ${icon.src}: ${r.status}`);
          const d = L.decodePng(png);
          assert(`${d.width}x${d.height}` === size, `icon ${icon.src} is ${d.width}x${d.height}`);
        }
        const sw = await fetch(server.url + "sw.js");
        assert(sw.status === 200 && /javascript/.test(sw.headers.get("content-type")), "sw.js is not served as JavaScript");
        assert(sw.headers.get("cache-control") === "no-cache", `sw.js Cache-Control ${sw.headers.get("cache-control")}`);
        assert(buildIdOf(WEB) && buildIdOf(WEB) !== "dev", "sw.js carries no build id");
      }],
      ["first visit online: the service worker caches this build's app shell", async () => {
        ctx = await L.openPage(VP);
        const { page } = ctx;
        await page.goto(server.url, { waitUntil: "load" });
        await loaded(page);
        const link = await page.evaluate(() => document.querySelector('link[rel="manifest"]').href);
        assert(/manifest\.webmanifest$/.test(link), "the page links no manifest");
        await until(page, () => !!navigator.serviceWorker.controller, null, "the service worker to control the page");
        const s = await swState(page);
        assert(s.build === buildIdOf(WEB), `worker serves build ${s.build}, the files are ${buildIdOf(WEB)}`);
        assert(s.keys.length === 1 && s.keys[0] === "memberdesk-shell-" + s.build, `caches: ${s.keys.join(", ")}`);
        const cached = await page.evaluate(async (k) => (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname), s.keys[0]);
        for (const f of ["/", "/memberdesk_portal.js", "/memberdesk_portal.wasm", "/bridge.js", "/fonts/ui-latin.ttf", "/style.css"])
          assert(cached.includes(f), `${f} is not in the shell cache (${cached.join(", ")})`);
        assert(!cached.some((p) => /^\/memberdesk_(kiosk|staff)\./.test(p)), "the kiosk's or staff console's client is in the shell cache");
        assert(!cached.some((p) => p.startsWith("/api/")), "an API answer is in the shell cache");
        assert(!cached.includes("/fonts/ui-cjk.ttf"), "the CJK font is cached before any Chinese is shown");
        noErrors(ctx.log);
      }],
      ["sign in, see home and coupons: the member view is kept on the device", async () => {
        const { page } = ctx;
        await signIn(page, login);
        token = await page.evaluate(() => sessionStorage.getItem("memberdesk.token"));
        me = (await L.api(server.url, "GET", "/me", { token })).json;
        const shown = Number((await L.attr(page, "home.balance", "data-value")).replace(/,/g, ""));
        assert(shown === me.points.balance, `home shows ${shown}, the API says ${me.points.balance}`);
        await L.activate(page, "nav.coupons");
        await L.waitFor(page, "coupons.list", T);
        await until(page, () => {
          const v = localStorage.getItem("memberdesk.view");
          return v && JSON.parse(v).coupons !== undefined && localStorage.getItem("memberdesk.card");
        }, null, "the member view and card in localStorage");
        const kept = await page.evaluate(() => JSON.parse(localStorage.getItem("memberdesk.view")));
        assert(kept.me.points.balance === me.points.balance, "the kept view has another balance");
        assert(!("birthday" in kept.me.profile) || kept.me.profile.birthday === null, "the birthday is kept on the device");
        assert(!JSON.stringify(kept).includes(token), "the session token is in the kept view");
        noErrors(ctx.log);
      }],
      ["network cut, reload: the kept view opens 'as of' its time, with the card, actions disabled", async () => {
        const { page, context } = ctx;
        await context.setOffline(true);
        await page.reload({ waitUntil: "load" });
        await loaded(page);
        await L.waitFor(page, "offline.as_of", T);
        const asOf = await L.text(page, "offline.as_of");
        assert(/as of \d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(asOf), `"as of" line: "${asOf}"`);
        const shown = Number((await L.attr(page, "offline.balance", "data-value")).replace(/,/g, ""));
        assert(shown === me.points.balance, `offline view shows ${shown}, the API said ${me.points.balance}`);
        assert(await L.el(page, "offline.redeem").first().isDisabled(), "redeeming is not disabled offline");
        assert((await L.text(page, "offline.explain")).length > 20, "no explanation of what needs the network");
        assert(!(await L.exists(page, "nav.home")), "the navigation is offered offline");
        const line = await L.text(page, "card.code");
        code = line.split(":").pop().trim();
        assert(/^T\d+-\d+-\d{8}$/.test(code), `card code "${code}"`);
        await L.settle(page, 400);
        await page.screenshot({ path: path.join(OUT, "offline-view.png") });
        noErrors(ctx.log);
      }],
      ["offline, the card's code keeps counting down (no network needed)", async () => {
        const { page } = ctx;
        const a = await L.text(page, "card.countdown");
        await until(page, (before) => {
          const e = document.querySelector('#a11y [data-id="card.countdown"]');
          return e && e.textContent !== before;
        }, a, "the countdown to change", 5000);
        const now = (await L.text(page, "card.code")).split(":").pop().trim();
        assert(/^T\d+-\d+-\d{8}$/.test(now), `card code "${now}"`);
        code = now;
      }],
      ["reconnected: the POS accepts the card's code as `member` and the portal leaves the offline view", async () => {
        const { page, context } = ctx;
        await context.setOffline(false);
        const r = await L.api(server.url, "POST", "/pos/purchases", {
          headers: { "X-Api-Key": server.keys.pos },
          body: { txn_id: "OFF-" + Date.now(), member: code, amount: 5000, store: "store-001" } });
        assert(r.status === 201, `POS refused the offline code ${code}: ${r.status} ${r.text}`);
        assert(r.json.member_id === me.profile.id, `POS credited member ${r.json.member_id}, not ${me.profile.id}`);
        try {
          // The screen under the offline view (Coupons, the last one seen) comes back and reloads.
          await L.waitFor(page, "coupons.list", T);
        } catch (e) {
          const d = await page.evaluate(async () => {
            let st = "";
            try { st = String((await fetch("/api/v1/program")).status); } catch (x) { st = "fetch failed: " + x; }
            return { online: navigator.onLine, st, mirror: document.getElementById("a11y").textContent.slice(0, 300) };
          });
          throw new Error("still offline after reconnecting: " + JSON.stringify(d));
        }
        assert(!(await L.exists(page, "offline.as_of")), "still the offline view after reconnecting");
        await L.activate(page, "nav.home");
        await L.waitFor(page, "home.balance", T);
        await until(page, (want) => {
          const e = document.querySelector('#a11y [data-id="home.balance"]');
          return e && Number(e.getAttribute("data-value").replace(/,/g, "")) === want;
        }, r.json.points.balance, "home to show the balance after the purchase");
      }],
      ["sign-out erases what the device kept; offline reload shows nothing personal", async () => {
        const { page, context } = ctx;
        await L.activate(page, "app.sign_out");
        await L.waitFor(page, "signin.submit", T);
        const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k !== "memberdesk.settings"));
        assert(!left.includes("memberdesk.view") && !left.includes("memberdesk.card"), `localStorage keeps: ${left.join(", ")}`);
        await context.setOffline(true);
        await page.reload({ waitUntil: "load" });
        await loaded(page);
        await L.waitFor(page, "signin.submit", T);
        await L.settle(page, 400);
        const all = await page.locator("#a11y").textContent();
        assert(!all.includes(me.profile.name), "the member's name is shown after sign-out");
        assert(!(await L.exists(page, "offline.as_of")) && !(await L.exists(page, "card.code")), "an offline view after sign-out");
        await context.setOffline(false);
        noErrors(ctx.log);
      }],
    ]);
  } finally {
    if (ctx) await ctx.browser.close();
    if (server) await server.stop();
  }
}

// ------------------------------------------------------------------------------------- update ----

// A copy of the build with another build id and a changed style.css, its hash updated in sw.js.
// Writes a web file as the build does: with its precompressed X.gz beside it when the build made one
// (the server sends X.gz to browsers, so a stale one would be the file they get).
function writeWeb(dir, name, text) {
  fs.writeFileSync(path.join(dir, name), text);
  const gz = path.join(dir, name + ".gz");
  if (fs.existsSync(gz)) fs.writeFileSync(gz, zlib.gzipSync(text, { level: 9 }));
}

function makeBuildB(dirA) {
  const dirB = fs.mkdtempSync(path.join(os.tmpdir(), "md-web-b-"));
  fs.cpSync(dirA, dirB, { recursive: true });
  const css = fs.readFileSync(path.join(dirB, "style.css"), "utf8") + "\n/* build B */\n";
  writeWeb(dirB, "style.css", css);
  const oldHash = crypto.createHash("sha256").update(fs.readFileSync(path.join(dirA, "style.css"))).digest("hex");
  const newHash = crypto.createHash("sha256").update(css).digest("hex");
  let sw = fs.readFileSync(path.join(dirB, "sw.js"), "utf8");
  assert(sw.includes(`"/style.css":"${oldHash}"`), "sw.js does not list style.css with its hash");
  sw = sw.replace(`"/style.css":"${oldHash}"`, `"/style.css":"${newHash}"`);
  const idB = "b" + crypto.createHash("sha256").update(sw).digest("hex").slice(0, 15);
  sw = sw.replace(/var BUILD = "[^"]+"/, `var BUILD = "${idB}"`);
  writeWeb(dirB, "sw.js", sw);
  return { dirB, idB };
}

async function updateFlow() {
  let server = null, ctx = null, port = 0, b = null;
  const idA = buildIdOf(WEB);
  try {
    await flow("update", [
      ["build A: the worker of A controls the page with A's cache", async () => {
        server = await L.startServer({ bin: SERVER, web: WEB });
        port = server.port;
        ctx = await L.openPage(VP);
        await ctx.page.goto(server.url, { waitUntil: "load" });
        await loaded(ctx.page);
        await until(ctx.page, () => !!navigator.serviceWorker.controller, null, "a controlling worker");
        const s = await swState(ctx.page);
        assert(s.build === idA, `build ${s.build}, expected ${idA}`);
        assert(s.keys.length === 1, `caches: ${s.keys.join(", ")}`);
      }],
      ["build B at the same origin: one reload and B is active, A's cache is gone", async () => {
        b = makeBuildB(WEB);
        await server.stop();
        server = await L.startServer({ bin: SERVER, web: b.dirB, port });
        const { page } = ctx;
        await page.reload({ waitUntil: "load" });
        const s = await until(page, async (want) => {
          if (!document.body.getAttribute("data-ready")) return null;
          const c = navigator.serviceWorker.controller;
          if (!c) return null;
          const keys = (await caches.keys()).filter((k) => k.indexOf("memberdesk-shell-") === 0);
          // Ask the worker only once A's cache is gone: a message in flight at the old worker holds
          // back the new one's activation (Chromium waits for the old worker to be idle), and asking
          // every 100 ms kept build B waiting for the whole timeout.
          if (keys.length !== 1) return null;
          const build = await new Promise((resolve) => {
            const ch = new MessageChannel();
            ch.port1.onmessage = (e) => resolve(e.data);
            c.postMessage({ type: "md-build" }, [ch.port2]);
            setTimeout(() => resolve(null), 2000);
          });
          return build === want && keys.length === 1 ? { build, keys } : null;
        }, b.idB, "build B to be active with only its cache");
        assert(s.keys[0] === "memberdesk-shell-" + b.idB, `cache ${s.keys[0]}`);
        await loaded(page);
        const css = await page.evaluate(async () => (await fetch("/style.css")).text());
        assert(css.includes("build B"), "the page does not get build B's style.css");
        const sheet = await page.evaluate(async () => {
          const cache = await caches.open((await caches.keys())[0]);
          return (await (await cache.match("/style.css")).text()).includes("build B");
        });
        assert(sheet, "B's cache holds another style.css");
        await L.waitFor(page, "signin.submit", T);
        noErrors(ctx.log);
      }],
      ["a build whose files do not match its worker is never installed: B stays", async () => {
        // C: a new build id, but style.css is not the file its worker names (a mixed deployment).
        const dirC = fs.mkdtempSync(path.join(os.tmpdir(), "md-web-c-"));
        fs.cpSync(b.dirB, dirC, { recursive: true });
        writeWeb(dirC, "style.css", fs.readFileSync(path.join(dirC, "style.css"), "utf8") + "/* not the file sw.js names */\n");
        const sw = fs.readFileSync(path.join(dirC, "sw.js"), "utf8").replace(/var BUILD = "[^"]+"/, 'var BUILD = "cmixed"');
        writeWeb(dirC, "sw.js", sw);
        await server.stop();
        server = await L.startServer({ bin: SERVER, web: dirC, port });
        const { page } = ctx;
        await page.reload({ waitUntil: "load" });
        await loaded(page);
        // The new worker's install ends (it fails); then the page must still be B's.
        await until(page, async () => {
          const reg = await navigator.serviceWorker.getRegistration();
          return reg && !reg.installing;
        }, null, "the install of C to end");
        await new Promise((r) => setTimeout(r, 500));
        const s = await swState(page);
        assert(s.build === b.idB, `build ${s.build} active, expected B (${b.idB})`);
        assert(s.keys.length === 1 && s.keys[0] === "memberdesk-shell-" + b.idB, `caches: ${s.keys.join(", ")}`);
        fs.rmSync(dirC, { recursive: true, force: true });
      }],
    ]);
  } finally {
    if (ctx) await ctx.browser.close();
    if (server) await server.stop();
    if (b) fs.rmSync(b.dirB, { recursive: true, force: true });
  }
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const only = process.argv[2];
  for (const [name, fn] of [["offline", offlineFlow], ["update", updateFlow]]) {
    if (only && only !== name) continue;
    try {
      await fn();
    } catch (e) {
      results.push({ name: `${name}: runner`, ok: false });
      console.log(`not ok - ${name}: ${e && e.stack ? e.stack : e}`);
    }
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed || !results.length ? 1 : 0;
}

main().catch((e) => {
  console.log(`not ok - runner: ${e && e.stack ? e.stack : e}`);
  console.log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
  process.exitCode = 1;
});
