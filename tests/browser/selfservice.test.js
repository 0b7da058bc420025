// End-to-end tests of self-service (domain.md §7) in Debian's headless Chromium against the real
// server with demo data: the one-time codes are read from what the demo server prints
// ("memberdesk: demo: code ... sent to ..."), as a person trying it from the README would.
//   phone (390x844, dpr 3, touch): join on the portal by finger taps and the on-screen keyboard
//     (timed) -> welcome coupon on Home -> Messages with the unread badge (welcome, code sent) ->
//     privacy choices changed (history grows; personalised offers follow on Home) -> sign out ->
//     PIN reset (an unknown phone gets the same words and no code) -> sign in with the new PIN
//   kiosk (1920x1080, touch): join on the on-screen keys, scanning a member's invitation QR ->
//     member view with the welcome coupon; the first purchase (POS API) rewards both
// Prints one line per case and "N passed, N failed"; screenshots + selfservice-metrics.json in out/.
"use strict";

const fs = require("fs");
const path = require("path");
const L = require("./lib.js");

const OUT = path.join(__dirname, "out");
const SERVER = process.env.MEMBERDESK_SERVER_BIN || path.join(L.ROOT, "build/native/native_server/memberdesk-server");
const WEB = process.env.MEMBERDESK_WEB_DIR || path.join(L.ROOT, "build/wasm/web");
const T = 30000;

const results = [];
const metrics = {};

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function shot(page, file) {
  const png = await page.screenshot({ path: path.join(OUT, file) });
  const s = L.pixelStats(png);
  assert(s.colours >= 8 && s.varied >= 0.01, `${file} looks blank`);
}

async function mirrorText(page) {
  return page.$eval("#a11y", (e) => e.textContent);
}

async function waitText(page, re, what) {
  try {
    await page.waitForFunction((src) => new RegExp(src).test(document.getElementById("a11y").textContent), re.source,
                               { timeout: T, polling: 100 });
  } catch (_) {
    throw new Error(`${what} not shown; the screen says: ${(await mirrorText(page)).slice(0, 600)}`);
  }
}

async function login(server, phone, pin) {
  const r = await L.api(server.url, "POST", "/auth/login", { body: { phone, pin } });
  assert(r.status === 200, `API login ${phone}: ${r.status} ${r.text}`);
  return r.json.token;
}

// ------------------------------------------------------------------------------- the phone ----

async function phoneFlow(server) {
  const vp = { name: "phone", width: 390, height: 844, dpr: 3, mobile: true, touch: true };
  const phone = "13912345678", pin = "246810", newPin = "135790", name = "Lin Self";
  let ctx = null, page = null, token = null, before = null;
  // A finger tap where the mirror says the control is drawn.
  const tap = async (id) => {
    await L.waitFor(page, id, T);
    const c = await L.centre(page, id);
    await page.touchscreen.tap(c.x, c.y);
  };
  // Tap a field, then type on the (hidden-input) on-screen keyboard; wait until the client has it.
  const typeInto = async (id, value, secret = false) => {
    await tap(id);
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === "ime", null,
                               { timeout: T });
    await page.keyboard.type(value, { delay: 15 });
    if (!secret)
      await page.waitForFunction(([i, v]) => {
        const e = document.querySelector(`#a11y [data-id="${i}"]`);
        return e && e.value === v;
      }, [id, value], { timeout: T });
  };
  const enabled = (id) => page.waitForFunction((i) => {
    const e = document.querySelector(`#a11y [data-id="${i}"]`);
    return e && !e.disabled;
  }, id, { timeout: T });
  try {
    await L.runFlow(results, "phone", [
      ["loads the portal", async () => {
        ctx = await L.openPage(vp);
        page = ctx.page;
        await page.goto(server.url, { waitUntil: "load" });
        await page.waitForSelector('body[data-ready="1"]', { timeout: T });
        await L.waitFor(page, "signin.sign_up", T);
        await L.settle(page);
      }],
      ["join by touch: phone, the code from the demo log, name, PIN, terms -> signed in (timed)", async () => {
        const t0 = Date.now();
        await tap("signin.sign_up");
        await typeInto("signup.phone", phone);
        await enabled("signup.send");
        await tap("signup.send");
        await L.waitFor(page, "signup.code", T);
        const code = await L.waitDemoCode(server, phone);
        const tCode = Date.now();
        await typeInto("signup.code", code);
        await enabled("signup.continue");
        await tap("signup.continue");
        await typeInto("signup.name", name);
        await typeInto("signup.pin", pin, true);
        // Marketing and personalised offers start off; the terms are chosen, not preset.
        const start = await page.evaluate(() => ["signup.marketing.0", "signup.offers.0", "signup.terms.1"].map(
          (i) => document.querySelector(`#a11y [data-id="${i}"]`).checked));
        assert(start[0] && start[1] && !start[2], `consents at the start: ${JSON.stringify(start)}`);
        await tap("signup.terms.1");
        await enabled("signup.submit");
        await shot(page, "selfservice-phone-signup-details.png");
        await tap("signup.submit");
        await L.waitFor(page, "home.balance", T);
        const t1 = Date.now();
        metrics.phone_signup_ms = t1 - t0;
        metrics.phone_signup_after_code_ms = t1 - tCode;
        console.log(`# phone sign-up: ${t1 - t0} ms from "Join now" to Home (${t1 - tCode} ms after the code arrived)`);
        const tok = await page.evaluate(() => sessionStorage.getItem("memberdesk.token"));
        assert(tok && tok.length > 10, "no session after joining");
        await L.settle(page);
        await shot(page, "selfservice-phone-joined.png");
      }],
      ["Home shows the welcome coupon the API reports", async () => {
        token = await login(server, phone, pin);
        const me = (await L.api(server.url, "GET", "/me", { token })).json;
        assert(me.coupons.available >= 1, `API: ${me.coupons.available} coupons after joining`);
        assert(me.profile.name === name, `API name ${me.profile.name}`);
        await waitText(page, new RegExp(`Coupons ready to use: ${me.coupons.available}`), "the coupon count");
        const coupons = (await L.api(server.url, "GET", "/me/coupons", { token })).json.coupons;
        assert(coupons.some((c) => c.source === "welcome" || /welcome/i.test(c.title.en)),
               `no welcome coupon: ${JSON.stringify(coupons.map((c) => c.source))}`);
      }],
      ["Messages: the unread badge, then the welcome and the code-sent note (never the code)", async () => {
        await tap("app.menu");
        await L.waitFor(page, "nav.inbox", T);
        await page.waitForFunction(() => /new/.test(document.querySelector('#a11y [data-id="nav.inbox"]').textContent),
                                   null, { timeout: T });
        metrics.inbox_badge = (await L.text(page, "nav.inbox")).trim();
        await tap("nav.inbox");
        await L.waitFor(page, "inbox.list", T);
        const all = await mirrorText(page);
        const code = L.demoCodes(server, phone)[0];
        assert(/sign-up code was sent to 139\*+5678/i.test(all) || /注册验证码已发送/.test(all), `no code-sent note: ${all.slice(0, 400)}`);
        assert(!all.includes(code), "the code itself is in the inbox");
        const msgs = (await L.api(server.url, "GET", "/me/messages", { token })).json;
        assert(msgs.messages.some((m) => m.template === "welcome"), "no welcome message in the API");
        assert(msgs.messages.every((m) => all.includes(m.text)), "a message of the API is not on screen");
        metrics.inbox_templates = msgs.messages.map((m) => m.template);
        // Opening the inbox read them: the client's request may still be on its way.
        let after = null;
        for (const end = Date.now() + T; Date.now() < end;) {
          after = (await L.api(server.url, "GET", "/me/messages", { token })).json;
          if (after.unread === 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert(after.unread === 0, `API unread ${after.unread} after opening the inbox`);
        await L.settle(page);
        await shot(page, "selfservice-phone-inbox.png");
      }],
      ["privacy choices: turn personalised offers and marketing on; the history grows; Home follows", async () => {
        // Joined with personalised offers off: Home shows no segment offers.
        const hidden = (await L.api(server.url, "GET", "/me", { token })).json;
        assert(hidden.offers.length === 0, `offers with personalised offers off: ${hidden.offers.length}`);
        before = (await L.api(server.url, "GET", "/me/consents", { token })).json;
        assert(before.current.personalised_offers === false && before.current.marketing === false,
               `consents after joining: ${JSON.stringify(before.current)}`);
        await tap("app.menu");
        await tap("nav.profile");
        await tap("profile.consents");
        await L.waitFor(page, "consents.offers.1", T);
        await tap("consents.offers.1");
        await tap("consents.marketing.1");
        await enabled("consents.save");
        await tap("consents.save");
        await L.waitFor(page, "consents.saved", T);
        const now = (await L.api(server.url, "GET", "/me/consents", { token })).json;
        assert(now.current.personalised_offers === true && now.current.marketing === true,
               `API consents: ${JSON.stringify(now.current)}`);
        assert(now.history.length === before.history.length + 2, `history ${before.history.length} -> ${now.history.length}`);
        await waitText(page, /Personalised offers: On \(member centre/, "the new record in the history");
        // Home: the offers the API now lists are on screen (and were hidden before).
        const me = (await L.api(server.url, "GET", "/me", { token })).json;
        metrics.offers_after_consent = me.offers.length;
        assert(me.offers.length >= 1, "no segment offer for a new member once personalised offers are on");
        await tap("app.menu");
        await tap("nav.home");
        await L.waitFor(page, "home.balance", T);
        await L.waitFor(page, "home.offers.title", T);
        for (const o of me.offers) await waitText(page, new RegExp(o.title.en.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), `offer ${o.id}`);
        await L.settle(page);
        await shot(page, "selfservice-phone-consents.png");
      }],
      ["sign out", async () => {
        await tap("app.sign_out");
        await L.waitFor(page, "signin.submit", T);
      }],
      ["PIN reset: an unknown phone gets the same words and no code", async () => {
        await tap("signin.forgot");
        const unknown = "13987650000";
        await typeInto("reset.phone", unknown);
        await tap("reset.send");
        await L.waitFor(page, "reset.code", T);
        const words = (await L.text(page, "reset.sent")).replace(unknown, "<phone>");
        metrics.reset_words = words;
        await page.waitForTimeout(500);
        assert(L.demoCodes(server, unknown).length === 0, "a code was sent to a phone with no member");
        await tap("reset.back");
        await L.waitFor(page, "reset.phone", T);
        await L.el(page, "reset.phone").fill(phone);
        await L.activate(page, "reset.send");
        await L.waitFor(page, "reset.code", T);
        const mine = (await L.text(page, "reset.sent")).replace(phone, "<phone>");
        assert(mine === words, `different words for a member's phone: "${mine}" vs "${words}"`);
      }],
      ["PIN reset: the code from the demo log and a new PIN; the old PIN stops working", async () => {
        const code = await L.waitDemoCode(server, phone, 1);
        await typeInto("reset.code", code);
        await tap("reset.continue");
        await typeInto("reset.pin", newPin, true);
        await enabled("reset.submit");
        await tap("reset.submit");
        await L.waitFor(page, "reset.done", T);
        const old = await L.api(server.url, "POST", "/auth/login", { body: { phone, pin } });
        assert(old.status === 401, `the old PIN still signs in: ${old.status}`);
        const me = await L.api(server.url, "GET", "/me", { token });
        assert(me.status === 401, `a session from before the reset still works: ${me.status}`);
      }],
      ["sign in with the new PIN (the phone is filled in)", async () => {
        await tap("reset.sign_in");
        await L.waitFor(page, "signin.pin", T);
        const shown = await page.$eval('#a11y [data-id="signin.phone"]', (e) => e.value);
        assert(shown === phone, `phone field: ${shown}`);
        await typeInto("signin.pin", newPin, true);
        await enabled("signin.submit");
        await tap("signin.submit");
        await L.waitFor(page, "home.balance", T);
      }],
      ["no page errors", async () => {
        assert(ctx.log.errors.length === 0, "page errors: " + ctx.log.errors.join("; "));
      }],
    ]);
  } finally {
    if (ctx) await ctx.browser.close();
  }
}

// ------------------------------------------------------------------------------- the kiosk ----

async function kioskFlow(server) {
  const phone = "13955550001", pin = "112233", referrerPhone = "13955550002";
  let ctx = null, page = null, referrer = null, invite = null;
  const tap = async (id) => {
    await L.waitFor(page, id, T);
    await page.waitForFunction((i) => {
      const e = document.querySelector(`#a11y [data-id="${i}"]`);
      return e && !e.disabled && e.getAttribute("data-rect");
    }, id, { timeout: T });
    const c = await L.centre(page, id);
    assert(c.w >= 44 && c.h >= 44, `${id} is ${c.w}x${c.h} CSS px (< 44)`);
    await page.touchscreen.tap(c.x, c.y);
  };
  const keys = async (digits, field) => {
    for (const d of digits) await tap("kiosk.key." + d);
    await page.waitForFunction(([f, n]) => {
      const e = document.querySelector(`#a11y [data-id="${f}"]`);
      return e && (e.getAttribute("data-value") || "").replace(/ /g, "").length >= n;
    }, [field, field === "kiosk.self.pin" ? 0 : digits.length], { timeout: T });
  };
  try {
    await L.runFlow(results, "kiosk", [
      ["member A's invitation (code and link) comes from GET /me/referral", async () => {
        let r = await L.api(server.url, "POST", "/auth/signup/start", { body: { phone: referrerPhone } });
        assert(r.status === 202, `signup/start ${r.status} ${r.text}`);
        r = await L.api(server.url, "POST", "/auth/signup/verify", { body: {
          phone: referrerPhone, code: await L.waitDemoCode(server, referrerPhone), pin, name: "Member A",
          consents: { terms: true } } });
        assert(r.status === 201, `signup/verify ${r.status} ${r.text}`);
        referrer = r.json.token;
        invite = (await L.api(server.url, "GET", "/me/referral", { token: referrer })).json;
        assert(invite.url.endsWith(`/?ref=${invite.code}`), `referral ${JSON.stringify(invite)}`);
      }],
      ["opens the kiosk", async () => {
        ctx = await L.openPage({ width: 1920, height: 1080, dpr: 1, touch: true, mobile: false });
        page = ctx.page;
        // A kiosk of store-002 (demo store): who joins here joins at that store.
        await page.goto(`${server.url}kiosk#key=${encodeURIComponent(server.keys.kiosk)}&store=store-002`);
        await page.waitForSelector("body[data-ready='1']", { timeout: T });
        await L.waitFor(page, "kiosk.join", T);
      }],
      ["join on the on-screen keys: phone, code from the demo log, PIN, name, terms -> member view (timed)", async () => {
        const t0 = Date.now();
        await tap("kiosk.join");
        await L.waitFor(page, "kiosk.self.phone", T);
        await keys(phone, "kiosk.self.phone");
        await tap("kiosk.self.send");
        await L.waitFor(page, "kiosk.self.code", T);
        const code = await L.waitDemoCode(server, phone);
        await keys(code, "kiosk.self.code");
        await tap("kiosk.self.next");
        await L.waitFor(page, "kiosk.self.pin", T);
        for (const d of pin) await tap("kiosk.key." + d);
        await tap("kiosk.self.next");
        await L.waitFor(page, "kiosk.self.name", T);
        // A's invitation QR (the link) held to the scanner: keys and Enter, nothing focused.
        await page.evaluate(() => document.activeElement && document.activeElement.blur());
        await page.keyboard.type(invite.url);
        await page.keyboard.press("Enter");
        await page.waitForFunction((c) => {
          const e = document.querySelector('#a11y [data-id="kiosk.self.referral"]');
          return e && e.value === c;
        }, invite.code, { timeout: T });
        const f = await L.centre(page, "kiosk.self.referral");
        assert(f.h >= 44, `the invitation code field is ${f.w}x${f.h} CSS px`);
        await L.el(page, "kiosk.self.name").fill("Kiosk Joiner");
        await tap("kiosk.self.terms.1");
        await shot(page, "selfservice-kiosk-referral.png");
        await tap("kiosk.self.submit");
        await L.waitFor(page, "kiosk.balance", T);
        metrics.kiosk_signup_ms = Date.now() - t0;
        console.log(`# kiosk sign-up: ${metrics.kiosk_signup_ms} ms from "Join" to the member view`);
        await waitText(page, /Coupons \(1\)/, "the welcome coupon on the kiosk");
        const all = await mirrorText(page);
        assert(!all.includes("Kiosk Joiner"), "the kiosk shows the full name");
        await shot(page, "selfservice-kiosk-joined.png");
        const token = await login(server, phone, pin);
        const c = (await L.api(server.url, "GET", "/me/consents", { token })).json;
        assert(c.history.some((h) => h.channel === "kiosk"), "consents not recorded with channel kiosk");
        const admin = { "X-Api-Key": server.keys.admin };
        const found = (await L.api(server.url, "GET", `/admin/members?phone=${phone}`, { headers: admin })).json;
        const m = (await L.api(server.url, "GET", `/admin/members/${found.members[0].id}`, { headers: admin })).json;
        assert(m.joined_store === "store-002", `joined at ${m.joined_store}, expected the kiosk's store-002`);
        const counts = (await L.api(server.url, "GET", "/me/referral", { token: referrer })).json;
        assert(counts.invited === 1 && counts.rewarded === 0, `A's counts after the join: ${JSON.stringify(counts)}`);
      }],
      ["the friend's first purchase (POS API) gives both the referral reward", async () => {
        const token = await login(server, phone, pin);
        const me = (await L.api(server.url, "GET", "/me", { token })).json;
        const r = await L.api(server.url, "POST", "/pos/purchases", {
          headers: { "X-Api-Key": server.keys.pos },
          body: { txn_id: "KIOSK-REF-1", member: String(me.profile.id), amount: 12800, store: "S001" } });
        assert(r.status === 201, `purchase ${r.status} ${r.text}`);
        assert(r.json.points.balance === me.points.balance + 12 + 50, `friend's balance ${r.json.points.balance}`);
        const a = (await L.api(server.url, "GET", "/me", { token: referrer })).json;
        assert(a.points.balance === 100, `A's balance ${a.points.balance}`);
        const counts = (await L.api(server.url, "GET", "/me/referral", { token: referrer })).json;
        assert(counts.invited === 1 && counts.rewarded === 1, `A's counts ${JSON.stringify(counts)}`);
      }],
      ["Done signs out", async () => {
        await tap("kiosk.done");
        await L.waitFor(page, "kiosk.join", T);
        assert(!(await mirrorText(page)).includes(phone.slice(-4)), "the phone is still on screen");
      }],
      ["join and PIN reset in Chinese", async () => {
        await tap("kiosk.lang");
        await page.waitForFunction(() => document.documentElement.lang === "zh-CN", null, { timeout: T });
        await tap("kiosk.join");
        await waitText(page, /注册会员/, "the Chinese join title");
        await waitText(page, /请输入手机号/, "the Chinese phone prompt");
        await L.settle(page);
        await shot(page, "selfservice-kiosk-join-zh.png");
        await tap("kiosk.self.cancel");
        await L.waitFor(page, "kiosk.forgot", T);
      }],
      ["no page errors", async () => {
        assert(ctx.log.errors.length === 0, "page errors: " + ctx.log.errors.join("; "));
      }],
    ]);
  } finally {
    if (ctx) await ctx.browser.close();
  }
}

// ---------------------------------------------------------------------------- referral ----

// A member's invitation link pre-fills the code at sign-up; the friend's first purchase (POS API)
// gives both the program's referral reward (coffee: 100 to the referrer, 50 to the friend).
async function referralFlow(server) {
  const vp = { name: "phone", width: 390, height: 844, dpr: 3, mobile: true, touch: true };
  const referrerPhone = "13912340001", friendPhone = "13912340002", pin = "246810";
  let ctx = null, page = null, referrer = null, code = null, friendToken = null;
  const tap = async (id) => {
    await L.waitFor(page, id, T);
    const c = await L.centre(page, id);
    await page.touchscreen.tap(c.x, c.y);
  };
  const typeInto = async (id, value, secret = false) => {
    await tap(id);
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === "ime", null,
                               { timeout: T });
    await page.keyboard.type(value, { delay: 15 });
    if (!secret)
      await page.waitForFunction(([i, v]) => {
        const e = document.querySelector(`#a11y [data-id="${i}"]`);
        return e && e.value === v;
      }, [id, value], { timeout: T });
  };
  const enabled = (id) => page.waitForFunction((i) => {
    const e = document.querySelector(`#a11y [data-id="${i}"]`);
    return e && !e.disabled;
  }, id, { timeout: T });
  try {
    await L.runFlow(results, "referral", [
      ["a member's referral code and link come from the API", async () => {
        let r = await L.api(server.url, "POST", "/auth/signup/start", { body: { phone: referrerPhone } });
        assert(r.status === 202, `signup/start ${r.status} ${r.text}`);
        const c = await L.waitDemoCode(server, referrerPhone);
        r = await L.api(server.url, "POST", "/auth/signup/verify", { body: {
          phone: referrerPhone, code: c, pin, name: "Referrer", consents: { terms: true } } });
        assert(r.status === 201, `signup/verify ${r.status} ${r.text}`);
        referrer = r.json.token;
        r = await L.api(server.url, "GET", "/me/referral", { token: referrer });
        assert(r.status === 200, `GET /me/referral ${r.status} ${r.text}`);
        code = r.json.code;
        assert(/^[23456789A-HJKMNP-TV-Z]{8}$/.test(code), `code ${code}`);
        assert(r.json.url.endsWith(`/?ref=${code}`), `url ${r.json.url}`);
        assert(r.json.invited === 0 && r.json.rewarded === 0, `counts ${r.text}`);
      }],
      ["the invitation link opens sign-up with the code filled in", async () => {
        ctx = await L.openPage(vp);
        page = ctx.page;
        await page.goto(`${server.url}?ref=${code}`, { waitUntil: "load" });
        await page.waitForSelector('body[data-ready="1"]', { timeout: T });
        await L.waitFor(page, "signup.phone", T);
      }],
      ["the friend joins: phone, code, name, PIN, terms; the referral code is the link's", async () => {
        await typeInto("signup.phone", friendPhone);
        await enabled("signup.send");
        await tap("signup.send");
        await L.waitFor(page, "signup.code", T);
        await typeInto("signup.code", await L.waitDemoCode(server, friendPhone));
        await enabled("signup.continue");
        await tap("signup.continue");
        await typeInto("signup.name", "Invited Friend");
        await typeInto("signup.pin", pin, true);
        await tap("signup.terms.1");
        const prefilled = await page.evaluate(() => {
          const e = document.querySelector('#a11y [data-id="signup.referral"]');
          return e ? e.value : null;
        });
        assert(prefilled === code, `referral field holds ${prefilled}, not ${code}`);
        await enabled("signup.submit");
        await shot(page, "selfservice-referral-signup.png");
        await tap("signup.submit");
        await L.waitFor(page, "home.balance", T);
        friendToken = await login(server, friendPhone, pin);
        const r = await L.api(server.url, "GET", "/me/referral", { token: referrer });
        assert(r.json.invited === 1, `invited ${r.text}`);
      }],
      ["the friend's first purchase at the till rewards both, once; the friend's Home shows it", async () => {
        const me = (await L.api(server.url, "GET", "/me", { token: friendToken })).json;
        const buy = (txn) => L.api(server.url, "POST", "/pos/purchases", {
          headers: { "X-Api-Key": server.keys.pos },
          body: { txn_id: txn, member: String(me.profile.id), amount: 12800, store: "S001" } });
        let r = await buy("REF-1");
        assert(r.status === 201, `purchase ${r.status} ${r.text}`);
        assert(r.json.points.balance === 12 + 50, `friend balance after the first purchase: ${r.json.points.balance}`);
        r = await buy("REF-2");
        assert(r.status === 201 && r.json.points.balance === 12 + 50 + 12, `second purchase: ${r.text}`);
        const ref = (await L.api(server.url, "GET", "/me", { token: referrer })).json;
        assert(ref.points.balance === 100, `referrer balance ${ref.points.balance}`);
        const counts = (await L.api(server.url, "GET", "/me/referral", { token: referrer })).json;
        assert(counts.invited === 1 && counts.rewarded === 1, `counts ${JSON.stringify(counts)}`);
        await page.reload({ waitUntil: "load" });
        await page.waitForSelector('body[data-ready="1"]', { timeout: T });
        await waitText(page, /74/, "the friend's balance of 74 points");
        await shot(page, "selfservice-referral-home.png");
      }],
      ["the referrer's Invite a friend screen shows the code, the link and the counts", async () => {
        await page.evaluate((t) => sessionStorage.setItem("memberdesk.token", t), referrer);
        await page.goto(`${server.url}#/invite`, { waitUntil: "load" });
        await page.waitForSelector('body[data-ready="1"]', { timeout: T });
        await L.waitFor(page, "referral.qr", T);
        await waitText(page, new RegExp(code), "the referral code");
        await waitText(page, /Friends who joined\D*1/, "the invited count");
        await waitText(page, /Rewards earned\D*1/, "the rewarded count");
        await shot(page, "selfservice-referral-invite.png");
      }],
    ]);
  } finally {
    if (ctx) await ctx.browser.close();
  }
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const only = process.argv[2];
  for (const [name, fn] of [["phone", phoneFlow], ["kiosk", kioskFlow], ["referral", referralFlow]]) {
    if (only && only !== name) continue;
    let server = null;
    try {
      server = await L.startServer({ bin: SERVER, web: WEB });
    } catch (e) {
      results.push({ name: `${name}: start the server`, ok: false });
      console.log(`not ok - ${name}: start the server\n    ${e.message.split("\n").join("\n    ")}`);
      continue;
    }
    try {
      await fn(server);
    } finally {
      await server.stop();
    }
  }
  fs.writeFileSync(path.join(OUT, "selfservice-metrics.json"), JSON.stringify(metrics, null, 2) + "\n");
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
