// End-to-end tests of the store kiosk (/kiosk) in Debian's headless Chromium (playwright-core, no
// browser download), against the real server with demo data (helpers: lib.js). Touch only: the
// kiosk is driven by finger taps on the canvas where the mirror says a control is drawn
// (data-rect), and read through the accessibility mirror (#a11y).
//   landscape 1920x1080: attract -> keypad sign-in -> redeem -> show the coupon -> idle countdown
//     (a tap keeps the session) -> idle timeout signs out, the mirror shows nothing personal
//   scan: member codes from GET /api/v1/me/card typed + Enter with nothing focused (what a
//     scanner does) sign in; time from Enter to the member view measured; a bad code is explained
//   portrait 1080x1920: attract, keypad, 中文, member view by scan, Done
//   history: the History tab's rows and pages against GET /api/v1/me/ledger, the Spent filter
//     against ?type=redeem, rewards redeemed against GET /api/v1/me/redemptions; an offline card
//     code (computed here from the sign-in's secret, RFC 6238 SHA-256) signs in by scan
// Prints one line per case and "N passed, N failed"; screenshots + kiosk-metrics.json in out/.
// Usage: node tests/browser/kiosk.test.js   (env as tests/browser/run; MD_KIOSK_IDLE_SECONDS)
"use strict";

const fs = require("fs");
const path = require("path");
const L = require("./lib.js");

const OUT = path.join(__dirname, "out");
const SERVER = process.env.MEMBERDESK_SERVER_BIN || path.join(L.ROOT, "build/native/native_server/memberdesk-server");
const WEB = process.env.MEMBERDESK_WEB_DIR || path.join(L.ROOT, "build/wasm/web");
// The kiosk's 60 s idle time, shortened for the test through /kiosk#idle=N (the client only ever
// shortens it); the 10 s countdown is the real one.
const IDLE = Number(process.env.MD_KIOSK_IDLE_SECONDS || 15);
const T = 30000;

const results = [];
const metrics = { screenshots: {}, taps: { touch: 0, mirror: 0 } };

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

function flow(prefix, steps) {
  return L.runFlow(results, `kiosk ${prefix}`, steps);
}

async function shot(page, file) {
  await page.waitForTimeout(250);
  const png = await page.screenshot({ path: path.join(OUT, file) });
  const s = L.pixelStats(png);
  assert(s.colours >= 8 && s.varied >= 0.02, `${file} looks blank: ${s.colours} colours, ${(s.varied * 100).toFixed(2)}% varied`);
  metrics.screenshots[file] = { width: s.width, height: s.height, colours: s.colours };
  return s;
}

// A finger tap on the canvas where the control is drawn (falls back to the mirror's button when the
// client does not report where it is).
async function tap(page, id) {
  await L.waitFor(page, id, T);
  const loc = L.el(page, id).first();
  await L.waitEnabled(page, id);
  const rect = await loc.getAttribute("data-rect");
  if (!rect) {
    metrics.taps.mirror++;
    return L.activate(page, id);
  }
  const c = await L.centre(page, id);
  assert(c.w >= 44 && c.h >= 44, `${id} is ${c.w}x${c.h} CSS px (< 44)`);
  metrics.taps.touch++;
  await page.touchscreen.tap(c.x, c.y);
}

async function mirrorText(page) {
  return page.$eval("#a11y", (e) => e.textContent);
}

// Waits for a mirror element; on a timeout the error says what the screen showed instead.
async function expectShown(page, id, timeoutMs) {
  try {
    await L.waitFor(page, id, timeoutMs);
  } catch (e) {
    throw new Error(`${id} not shown within ${timeoutMs} ms; the screen says: ${(await mirrorText(page)).slice(0, 500)}`);
  }
}

// A member's QR code, as the portal's member card shows it.
async function memberCode(server, phone, pin) {
  const login = await L.api(server.url, "POST", "/auth/login", { body: { phone, pin } });
  assert(login.status === 200, `member login ${phone}: ${login.status} ${login.text}`);
  const card = await L.api(server.url, "GET", "/me/card", { token: login.json.token });
  assert(card.status === 200, `GET /me/card: ${card.status} ${card.text}`);
  return card.json.member_code;
}

async function openKiosk(server, width, height, extra = "") {
  const ctx = await L.openPage({ width, height, dpr: 1, touch: true, mobile: false });
  const t0 = Date.now();
  await ctx.page.goto(`${server.url}kiosk#key=${encodeURIComponent(server.keys.kiosk)}${extra}`);
  await ctx.page.waitForSelector("body[data-ready='1']", { timeout: T });
  await L.waitFor(ctx.page, "kiosk.start", T);
  ctx.loadMs = Date.now() - t0;
  return ctx;
}

// Keypad sign-in by touch: phone, Next, PIN, Sign in.
async function keypad(page, phone, pin) {
  await tap(page, "kiosk.start");
  await L.waitFor(page, "kiosk.keypad", T);
  for (const d of phone) await tap(page, "kiosk.key." + d);
  // The field shows the digits a frame after the key that typed them.
  try {
    await L.waitMirror(page, (p) => {
      const e = document.querySelector('#a11y [data-id="kiosk.phone"]');
      return e && (e.getAttribute("data-value") || "").replace(/ /g, "") === p;
    }, phone, 10000);
  } catch (e) {
    throw new Error(`phone on screen "${await L.attr(page, "kiosk.phone", "data-value")}" != ${phone}`);
  }
  await tap(page, "kiosk.next");
  await L.waitFor(page, "kiosk.pin", T);
  for (const d of pin) await tap(page, "kiosk.key." + d);
  const pinText = await page.$eval("#a11y", (root) => {
    const c = root.cloneNode(true);
    c.querySelectorAll('[data-id="kiosk.keypad"]').forEach((k) => k.remove());  // the keys' own digits
    return c.textContent;
  });
  assert(!pinText.includes(pin), "the PIN is readable in the mirror");
  await tap(page, "kiosk.submit");
  await L.waitFor(page, "kiosk.balance", T);
}

// A scanner: the code's characters, then Enter, with nothing focused. By default the keystrokes
// come as one burst from inside the page (a scanner types a code in a few ms; the test driver's
// per-key round trips on a loaded machine can be slower than the kiosk's 1.5 s gap rule);
// `real: true` types through the browser's input pipeline (CDP key events) instead.
async function scan(page, code, { real = false } = {}) {
  await page.evaluate(() => {
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    window.mdBalanceAt = undefined;
    const obs = new MutationObserver(() => {
      if (window.mdBalanceAt === undefined && document.querySelector('#a11y [data-id="kiosk.balance"]')) {
        window.mdBalanceAt = performance.now();
        obs.disconnect();
      }
    });
    obs.observe(document.getElementById("a11y"), { childList: true, subtree: true });
  });
  const t0 = Date.now();
  if (real) {
    await page.keyboard.type(code, { delay: 3 });
    await page.keyboard.press("Enter");
  } else {
    await page.evaluate((c) => {
      for (const k of [...c, "Enter"]) {
        const o = { key: k, bubbles: true, cancelable: true };
        document.body.dispatchEvent(new KeyboardEvent("keydown", o));
        document.body.dispatchEvent(new KeyboardEvent("keyup", o));
      }
    }, code);
  }
  try {
    await L.waitFor(page, "kiosk.balance", T);
  } catch (e) {
    throw new Error(`no member view after scanning ${code}; the screen says: ${(await mirrorText(page)).slice(0, 400)}`);
  }
  const wall = Date.now() - t0;
  await page.waitForFunction(() => window.mdBalanceAt !== undefined, null, { timeout: T });
  // Where the time goes: the two API round trips (kiosk login, then /me) vs drawing.
  const t = await page.evaluate(() => {
    const at = window.mdKioskScanAt;
    const last = (re) => performance.getEntriesByType("resource").filter((e) => re.test(e.name) && e.startTime >= at).pop();
    const login = last(/\/api\/v1\/kiosk\/login$/), me = last(/\/api\/v1\/me$/);
    return {
      total: window.mdBalanceAt - at,
      login_answered: login ? login.responseEnd - at : -1,
      me_answered: me ? me.responseEnd - at : -1,
    };
  });
  return {
    enter_to_member_view_ms: Math.round(t.total),
    login_answered_ms: Math.round(t.login_answered),
    me_answered_ms: Math.round(t.me_answered),
    wall_ms: wall,
  };
}

function number(s) {
  return Number(String(s).replace(/[^0-9]/g, ""));
}

async function landscapeFlow(server) {
  let ctx = null;
  const m = (metrics.landscape = {});
  let member = null;
  let name = "", before = 0, after = 0, code = "";
  await flow("landscape", [
    ["attract screen: scan prompt, sign-in button, 中文, offers; device key taken from the URL", async () => {
      ctx = await openKiosk(server, 1920, 1080, `&idle=${IDLE}&store=store-002`);
      m.load_ms = ctx.loadMs;
      const { page } = ctx;
      assert((await L.text(page, "kiosk.scan.title")).includes("Scan your member code"), "no scan prompt");
      assert(await L.exists(page, "kiosk.offer.body"), "no offers");
      assert(!(await L.exists(page, "kiosk.setup")), "the device key was not taken from the URL");
      assert(!page.url().includes(server.keys.kiosk), "the device key stayed in the URL");
      assert((await L.text(page, "kiosk.lang")).includes("中文"), "no 中文 switch");
      await shot(page, "kiosk-landscape-attract.png");
    }],
    ["keypad sign-in by touch: masked name and phone, balance, tier progress", async () => {
      const { page } = ctx;
      // The demo member with the most points (so a reward is affordable).
      let best = -1;
      for (const l of server.logins) {
        const login = await L.api(server.url, "POST", "/auth/login", { body: { phone: l.phone, pin: l.pin } });
        const me = await L.api(server.url, "GET", "/me", { token: login.json.token });
        await L.api(server.url, "POST", "/auth/logout", { token: login.json.token });
        if (me.json.points.balance > best) { best = me.json.points.balance; member = l; }
      }
      assert(best >= 300, "no demo member can afford a reward");
      await keypad(page, member.phone, member.pin);
      name = (await L.text(page, "kiosk.hello")).replace(/^Hello, /, "");
      assert(name.includes("*"), "name not masked: " + name);
      assert(/\*\*\*\*/.test(await L.text(page, "kiosk.phone_masked")), "phone not masked");
      before = number(await L.attr(page, "kiosk.balance", "data-value"));
      assert(before > 0, "no balance");
      assert(await L.exists(page, "kiosk.tier.name"), "no tier");
      await shot(page, "kiosk-landscape-member.png");
    }],
    ["redeem a reward: confirmation, balance drops, the new coupon opens large with its QR", async () => {
      const { page } = ctx;
      await tap(page, "kiosk.tab.rewards");
      await page.waitForSelector('#a11y [data-id^="kiosk.reward."][data-id$=".redeem"]:not([disabled])', { state: "attached", timeout: T });
      const rid = await page.$eval('#a11y [data-id^="kiosk.reward."][data-id$=".redeem"]:not([disabled])', (b) => b.getAttribute("data-id"));
      await tap(page, rid);
      await L.waitFor(page, "kiosk.confirm", T);
      await tap(page, "kiosk.confirm.yes");
      await L.waitFor(page, "kiosk.result", T);
      after = number(await L.text(page, "kiosk.result.balance"));
      assert(after < before, `balance did not drop: ${before} -> ${after}`);
      m.redeemed = { reward: rid.split(".")[2], before, after };
      await tap(page, "kiosk.result.show");
      await L.waitFor(page, "kiosk.coupon.qr", T);
      code = await L.text(page, "kiosk.coupon.code");
      assert(code.length >= 4, "no coupon code");
      await shot(page, "kiosk-landscape-coupon.png");
      await tap(page, "kiosk.coupon.close");
    }],
    ["survey by touch (the kiosk's store): points once, a second answer in the month earns none; back to the member", async () => {
      const { page } = ctx;
      const login = await L.api(server.url, "POST", "/auth/login", { body: { phone: member.phone, pin: member.pin } });
      const surveyEntries = async () => (await L.api(server.url, "GET", "/me/ledger?limit=100", { token: login.json.token }))
        .json.entries.filter((e) => /satisfaction survey/.test(e.reason.en));
      const answer = async (file) => {
        await tap(page, "kiosk.survey.open");
        for (const d of ["product", "service", "environment"]) await tap(page, `kiosk.survey.${d}.4`);
        if (file) await shot(page, file);
        await tap(page, "kiosk.survey.send");
        await L.waitFor(page, "kiosk.survey.sent", T);
      };
      await tap(page, "kiosk.tab.overview");
      await answer("kiosk-landscape-survey.png");
      const earned = number(await L.text(page, "kiosk.survey.points"));
      assert(earned > 0, "no points for the month's first survey");
      assert((await surveyEntries()).length === 1, "not one survey entry in the ledger");
      await tap(page, "kiosk.survey.back");
      await answer();
      await L.waitFor(page, "kiosk.survey.no_points", T);
      assert((await surveyEntries()).length === 1, "a second survey in the month was rewarded");
      m.survey_points = earned;
      await L.api(server.url, "POST", "/auth/logout", { token: login.json.token });
      await tap(page, "kiosk.survey.back");
      await L.waitFor(page, "kiosk.balance", T);
    }],
    [`idle ${IDLE} s: "Still there?" with a 10 s countdown; a tap anywhere keeps the session`, async () => {
      const { page } = ctx;
      await expectShown(page, "kiosk.idle", (IDLE + 10) * 1000);
      assert((await L.text(page, "kiosk.idle.title")).includes("Still there?"), "no 'Still there?'");
      const n = number(await L.text(page, "kiosk.idle.count"));
      assert(n >= 1 && n <= 10, "countdown " + n);
      await shot(page, "kiosk-landscape-countdown.png");
      await page.touchscreen.tap(960, 1040);
      await page.waitForSelector('#a11y [data-id="kiosk.idle"]', { state: "detached", timeout: 5000 });
      assert(await L.exists(page, "kiosk.done"), "signed out by a tap");
    }],
    ["nobody there: the countdown runs out, the kiosk signs out; no personal data in the mirror or storage", async () => {
      const { page } = ctx;
      const t0 = Date.now();
      await expectShown(page, "kiosk.idle", (IDLE + 10) * 1000);
      await expectShown(page, "kiosk.attract", 20000);
      m.last_input_to_signout_s = (Date.now() - t0) / 1000;
      await L.waitFor(page, "kiosk.farewell", T);
      const text = await mirrorText(page);
      for (const s of [name, "138****", String(before), String(after), code, "Hello,", "Points you can use"])
        assert(!(s && text.includes(s)), "still in the mirror after sign-out: " + s);
      const keys = await page.evaluate(() => [...Object.keys(sessionStorage), ...Object.keys(localStorage)]);
      assert(!keys.some((k) => /token/i.test(k)), "a token is stored in the browser: " + keys);
      assert(!ctx.log.errors.length, "page errors: " + ctx.log.errors.join(" | "));
    }],
  ]);
  if (ctx) await ctx.browser.close();
}

async function scanFlow(server) {
  let ctx = null;
  const m = (metrics.scan = { runs: [] });
  await flow("scan", [
    ["a member code typed + Enter anywhere signs in (3 members); time from Enter to the member view", async () => {
      ctx = await openKiosk(server, 1920, 1080);
      for (const phone of ["13800000001", "13800000003", "13800000004"]) {
        const l = server.logins.find((x) => x.phone === phone);
        if (!l) continue;
        const code = await memberCode(server, l.phone, l.pin);
        const t = await scan(ctx.page, code);
        m.runs.push(t);
        await tap(ctx.page, "kiosk.done");
        await L.waitFor(ctx.page, "kiosk.attract", T);
        assert(!(await mirrorText(ctx.page)).includes("Hello,"), "Done left the member on screen");
      }
      assert(m.runs.length >= 2, "no scans");
      const ms = m.runs.map((r) => r.enter_to_member_view_ms).sort((a, b) => a - b);
      m.median_ms = ms[Math.floor(ms.length / 2)];
      assert(!ctx.log.errors.length, "page errors: " + ctx.log.errors.join(" | "));
    }],
    ["a code that is not valid is explained, nobody is signed in", async () => {
      await ctx.page.keyboard.type("M1-not-a-real-code", { delay: 3 });
      await ctx.page.keyboard.press("Enter");
      await L.waitFor(ctx.page, "kiosk.error", T);
      assert((await L.text(ctx.page, "kiosk.error")).includes("not recognised"), "bad code message");
      assert(!(await L.exists(ctx.page, "kiosk.balance")), "signed in with a bad code");
    }],
  ]);
  if (ctx) await ctx.browser.close();
}

async function portraitFlow(server) {
  let ctx = null;
  const m = (metrics.portrait = {});
  await flow("portrait", [
    ["attract and keypad fit 1080x1920", async () => {
      ctx = await openKiosk(server, 1080, 1920);
      await shot(ctx.page, "kiosk-portrait-attract.png");
      await tap(ctx.page, "kiosk.start");
      await L.waitFor(ctx.page, "kiosk.keypad", T);
      for (const d of "1380000") await tap(ctx.page, "kiosk.key." + d);
      await shot(ctx.page, "kiosk-portrait-keypad.png");
      await tap(ctx.page, "kiosk.cancel");
      await L.waitFor(ctx.page, "kiosk.attract", T);
    }],
    ["中文 on the attract screen, then a scan: the member view in Chinese; Done returns to the default", async () => {
      const { page } = ctx;
      await tap(page, "kiosk.lang");
      await L.waitMirror(page, () => {
        const e = document.querySelector('#a11y [data-id="kiosk.scan.title"]');
        return e && e.textContent.includes("扫描");
      }, null, T);
      const l = server.logins.find((x) => x.phone === "13800000005") || server.logins[0];
      m.scan = await scan(page, await memberCode(server, l.phone, l.pin), { real: true });
      assert((await L.text(page, "kiosk.done")).includes("完成"), "not in Chinese");
      await L.settle(page, 400, 15000);  // the CJK font arrives and the atlas is rebuilt
      await shot(page, "kiosk-portrait-member-zh.png");
      await tap(page, "kiosk.done");
      await L.waitFor(page, "kiosk.attract", T);
      assert((await L.text(page, "kiosk.scan.title")).includes("Scan your member code"), "not back to English");
      assert(!ctx.log.errors.length, "page errors: " + ctx.log.errors.join(" | "));
    }],
  ]);
  if (ctx) await ctx.browser.close();
}

// The rows the History tab shows, in order: [{id, reason, points}].
async function historyRows(page) {
  return page.$$eval('#a11y [data-id^="kiosk.history.entry."][data-id$=".reason"], #a11y [data-id^="kiosk.history.redemption."][data-id$=".reason"]', (els) =>
    els.map((e) => {
      const id = e.getAttribute("data-id").replace(/\.reason$/, "");
      const p = document.querySelector(`#a11y [data-id="${id}.points"]`);
      return { id: id.replace("kiosk.history.", ""), reason: e.textContent.trim(), points: p ? p.textContent.trim() : "" };
    }));
}

function signed(n) {
  return (n > 0 ? "+" : "") + n + " points";
}

// RFC 6238 TOTP with HMAC-SHA-256, 30 s steps, 8 digits (what the portal computes on the device).
function totp(secretHex, unixSeconds) {
  const crypto = require("crypto");
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = crypto.createHmac("sha256", Buffer.from(secretHex, "hex")).update(msg).digest();
  const o = mac[mac.length - 1] & 15;
  const bin = ((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
  return String(bin % 100000000).padStart(8, "0");
}

async function historyFlow(server) {
  let ctx = null;
  const m = (metrics.history = {});
  let member = null, token = "";
  await flow("history", [
    ["History tab: the ledger's rows (reason, points) in pages with Previous / Next, as the API lists them", async () => {
      // The demo member with the longest ledger.
      let best = -1;
      for (const l of server.logins) {
        const login = await L.api(server.url, "POST", "/auth/login", { body: { phone: l.phone, pin: l.pin } });
        const led = await L.api(server.url, "GET", "/me/ledger?limit=100", { token: login.json.token });
        if (led.json.entries.length > best) { best = led.json.entries.length; member = l; token = login.json.token; }
      }
      assert(best >= 8, "no demo member with a ledger long enough for two pages");
      const api = (await L.api(server.url, "GET", "/me/ledger?limit=100", { token })).json.entries;
      ctx = await openKiosk(server, 1920, 1080);
      const { page } = ctx;
      await keypad(page, member.phone, member.pin);
      await tap(page, "kiosk.tab.history");
      await L.waitFor(page, "kiosk.history.where", T);
      await page.waitForSelector('#a11y [data-id^="kiosk.history.entry."]', { state: "attached", timeout: T });
      const first = await historyRows(page);
      m.rows_per_page = first.length;
      assert(first.length >= 2, `only ${first.length} rows on the first page`);
      first.forEach((r, i) => {
        const e = api[i];
        assert(r.id === "entry." + e.id, `row ${i}: ${r.id}, the API says entry.${e.id}`);
        assert(r.reason === (e.reason.en || r.reason), `row ${i} reason "${r.reason}" != "${e.reason.en}"`);
        assert(r.points === signed(e.points), `row ${i} points "${r.points}" != "${signed(e.points)}"`);
      });
      const meta = await L.text(page, `kiosk.history.${first[0].id}.meta`);
      if (api[0].store) assert(meta.includes(api[0].store), `no store in "${meta}"`);
      await shot(page, "kiosk-landscape-history.png");
      await tap(page, "kiosk.history.next");
      await L.waitMirror(page, (id) => !document.querySelector(`#a11y [data-id="kiosk.history.${id}.reason"]`), first[0].id, T);
      const second = await historyRows(page);
      assert(second.length >= 1, "no rows on page 2");
      assert(second[0].id === "entry." + api[first.length].id, `page 2 starts at ${second[0].id}, the API says entry.${api[first.length].id}`);
      await tap(page, "kiosk.history.prev");
      await L.waitFor(page, `kiosk.history.${first[0].id}.reason`, T);
    }],
    ["Spent lists what GET /me/ledger?type=redeem lists; Rewards redeemed what /me/redemptions lists", async () => {
      const { page } = ctx;
      const spent = (await L.api(server.url, "GET", "/me/ledger?type=redeem&limit=100", { token })).json.entries;
      await tap(page, "kiosk.history.filter.spent");
      if (spent.length) {
        // The newest redemption may already be a row of the All page: wait for the Spent filter's
        // own list (filter current, its first row the newest redemption), not for the row alone.
        await L.waitMirror(page, (want) => {
          const f = document.querySelector('#a11y [data-id="kiosk.history.filter.spent"]');
          const first = document.querySelector('#a11y [data-id^="kiosk.history.entry."][data-id$=".reason"]');
          return f && f.getAttribute("aria-current") === "page" && first && first.getAttribute("data-id") === want;
        }, `kiosk.history.entry.${spent[0].id}.reason`, T);
        const rows = await historyRows(page);
        rows.forEach((r, i) => assert(r.id === "entry." + spent[i].id, `spent row ${i}: ${r.id} != entry.${spent[i].id}`));
      } else {
        await L.waitFor(page, "kiosk.history.empty", T);
      }
      const red = (await L.api(server.url, "GET", "/me/redemptions", { token })).json.redemptions;
      await tap(page, "kiosk.history.filter.redemptions");
      if (red.length) {
        await L.waitFor(page, `kiosk.history.redemption.${red[0].id}.reason`, T);
        const rows = await historyRows(page);
        assert(rows[0].points === signed(-red[0].points), `redemption points ${rows[0].points}`);
      } else {
        await L.waitFor(page, "kiosk.history.empty", T);
      }
      await tap(page, "kiosk.done");
      await L.waitFor(page, "kiosk.attract", T);
      const text = await mirrorText(page);
      assert(!text.includes(spent.length ? spent[0].reason.en : "Points for"), "history still in the mirror after Done");
    }],
    ["an offline card code (computed from the sign-in's secret) signs in by scan", async () => {
      const login = await L.api(server.url, "POST", "/auth/login", { body: { phone: member.phone, pin: member.pin } });
      const c = login.json.card;
      assert(c && c.secret && c.algorithm === "HMAC-SHA-256", "no card in the sign-in answer");
      const code = `T${c.member_id}-${c.device_id}-${totp(c.secret, Date.now() / 1000)}`;
      await scan(ctx.page, code);
      await tap(ctx.page, "kiosk.done");
      await L.waitFor(ctx.page, "kiosk.attract", T);
      assert(!ctx.log.errors.length, "page errors: " + ctx.log.errors.join(" | "));
    }],
  ]);
  if (ctx) await ctx.browser.close();
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  let server = null;
  try {
    server = await L.startServer({ bin: SERVER, web: WEB });
  } catch (e) {
    results.push({ name: "kiosk: start the server", ok: false });
    console.log(`not ok - kiosk: start the server\n    ${e.message.split("\n").join("\n    ")}`);
  }
  if (server) {
    // Flows named on the command line run alone (e.g. "scan portrait"); none named: all.
    const only = process.argv.slice(2);
    const flows = [["landscape", landscapeFlow], ["scan", scanFlow], ["portrait", portraitFlow], ["history", historyFlow]];
    try {
      for (const [name, fn] of flows) if (!only.length || only.includes(name)) await fn(server);
    } finally {
      await server.stop();
    }
  }
  fs.writeFileSync(path.join(OUT, "kiosk-metrics.json"), JSON.stringify(metrics, null, 2) + "\n");
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log("");
  if (metrics.scan && metrics.scan.runs)
    console.log(`  kiosk: scan (Enter) -> member view: ${metrics.scan.runs.map((r) => r.enter_to_member_view_ms + " ms").join(", ")}` +
                ` (API answered: login ${metrics.scan.runs.map((r) => r.login_answered_ms).join("/")} ms,` +
                ` /me ${metrics.scan.runs.map((r) => r.me_answered_ms).join("/")} ms)`);
  if (metrics.landscape && metrics.landscape.last_input_to_signout_s)
    console.log(`  kiosk: last input -> signed out: ${metrics.landscape.last_input_to_signout_s} s (idle ${IDLE} s + 10 s countdown)`);
  console.log(`  kiosk: taps on the canvas ${metrics.taps.touch}, through the mirror ${metrics.taps.mirror}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed || !results.length ? 1 : 0;
}

main().catch((e) => {
  console.log(`not ok - kiosk runner: ${e && e.stack ? e.stack : e}`);
  console.log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
  process.exitCode = 1;
});
