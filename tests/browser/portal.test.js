// End-to-end tests of the member portal in Debian's headless Chromium, against the real server with
// demo data. Reads and drives the portal through its accessibility mirror (#a11y) as a screen reader
// would, and also through the canvas itself (mouse, touch, keyboard into the hidden IME input).
// Two viewports: a phone (390x844 CSS px, devicePixelRatio 3, touch) and a desktop (1280x800).
// Prints one line per case and ends with "N passed, N failed"; exit status 1 on any failure.
// Screenshots and metrics.json go to tests/browser/out/.
"use strict";

const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const L = require("./lib.js");

const OUT = path.join(__dirname, "out");
const SERVER = process.env.MEMBERDESK_SERVER_BIN || path.join(L.ROOT, "build/native/native_server/memberdesk-server");
const WEB = process.env.MEMBERDESK_WEB_DIR || path.join(L.ROOT, "build/wasm/web");
const IDLE_SECONDS = Number(process.env.MD_IDLE_SECONDS || 10);
const T = 30000;  // generous: software GL on a shared 2-core machine

const CJK = /[\u3400-\u9fff]/;
const results = [];
const metrics = { viewports: {} };

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// A flow is a list of steps; once one fails, the rest are reported as failed without running.
function flow(prefix, steps) {
  return L.runFlow(results, prefix, steps);
}

async function shot(page, file, min = { colours: 8, varied: 0.01 }) {
  const png = await page.screenshot({ path: path.join(OUT, file) });
  const s = L.pixelStats(png);
  assert(s.colours >= min.colours && s.varied >= min.varied,
         `${file} looks blank: ${s.colours} colours, ${(s.varied * 100).toFixed(2)}% non-background`);
  return s;
}

async function loadPortal(ctx, url, vp, m, renderer = "worker") {
  const { page } = ctx;
  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector('body[data-ready="1"]', { timeout: T });
  m.first_frame_ms = await page.evaluate(() => window.mdFirstFrameMs);
  // Chromium draws in the renderer's worker, on the canvas the page handed over (web/gl_render.js).
  const mode = await page.evaluate(() => window.MD.rendererMode());
  assert(mode === renderer, `the renderer runs in "${mode}", expected "${renderer}"`);
  await L.waitFor(page, "signin.submit", T);
  const c = await page.evaluate(() => {
    const cv = document.getElementById("canvas");
    return { w: cv.width, h: cv.height, cw: cv.clientWidth, ch: cv.clientHeight, dpr: devicePixelRatio,
             splash: document.getElementById("splash").hidden };
  });
  assert(c.splash, "the splash is still shown after the first frame");
  assert(c.dpr === vp.dpr, `devicePixelRatio ${c.dpr}, expected ${vp.dpr}`);
  assert(c.cw === vp.width && c.ch === vp.height, `canvas CSS size ${c.cw}x${c.ch}, expected the window ${vp.width}x${vp.height}`);
  assert(c.w === Math.round(c.cw * c.dpr) && c.h === Math.round(c.ch * c.dpr),
         `canvas backing store ${c.w}x${c.h} is not CSS size x devicePixelRatio (${c.cw}x${c.ch} x ${c.dpr})`);
  // What the page downloaded to start (the server sends precompressed .gz siblings).
  const enc = await page.evaluate(() => performance.getEntriesByType("resource").map(
    (e) => ({ name: e.name.replace(location.origin, ""), transfer: e.transferSize, body: e.decodedBodySize })));
  m.start_downloads = enc.filter((e) => /\.(wasm|js|ttf)$/.test(e.name));
  await L.settle(page);
  m.signin_screenshot = await shot(page, `${vp.name}-signin.png`);
}

async function readHome(page, login, server) {
  await L.waitFor(page, "home.balance", T);
  const balance = Number(await L.attr(page, "home.balance", "data-value"));
  const tier = (await L.text(page, "home.tier.name")).trim();
  const tok = await L.api(server.url, "POST", "/auth/login", { body: { phone: login.phone, pin: login.pin } });
  assert(tok.status === 200, `API login failed: ${tok.status}`);
  const me = await L.api(server.url, "GET", "/me", { token: tok.json.token });
  assert(balance === me.json.points.balance, `page shows balance ${balance}, API says ${me.json.points.balance}`);
  assert(tier === me.json.tier.name.en, `page shows tier "${tier}", API says "${me.json.tier.name.en}"`);
  const text = await page.locator("#a11y").textContent();
  assert(text.includes(`Points balance: ${balance.toLocaleString("en-US")} points`), "balance sentence missing from the mirror");
  const reminder = await checkReminder(page, server, tok.json.token, "en");
  return { balance, tier, token: tok.json.token, reminder };
}

// The home's reminder line is the subject of GET /me/reminders' next reminder in the page's
// language, and absent when there is none. Returns that subject ({zh, en}) or null.
async function checkReminder(page, server, token, lang) {
  const r = await L.api(server.url, "GET", "/me/reminders", { token });
  assert(r.status === 200, `GET /me/reminders: ${r.status}`);
  const next = r.json.next;
  if (!next) {
    await L.settle(page);
    assert(!(await L.exists(page, "home.reminder")), "a reminder line is shown though none is scheduled");
    return null;
  }
  await L.waitFor(page, "home.reminder", T);
  await page.waitForFunction(([want]) => {
    const e = document.querySelector('#a11y [data-id="home.reminder"]');
    return e && e.textContent.trim() === want;
  }, [next.subject[lang]], { timeout: T }).catch(async () => {
    throw new Error(`home reminder line "${await L.text(page, "home.reminder")}", expected "${next.subject[lang]}"`);
  });
  return next.subject;
}

// Redeems the first affordable reward; returns {cost, before, after, code}.
async function redeem(page, server, token, confirmByPointer) {
  await L.waitFor(page, "rewards.balance", T);
  await page.waitForFunction(() => document.querySelectorAll('#a11y button[data-id$=".redeem"]').length > 0,
                             null, { timeout: T });
  const rewards = (await L.api(server.url, "GET", "/rewards", { token })).json.rewards;
  const me = (await L.api(server.url, "GET", "/me", { token })).json;
  const pick = rewards.find((r) => r.affordable && r.in_stock && r.tier_allowed);
  assert(pick, "no affordable reward for this member");
  // The page agrees on which ones can be redeemed.
  for (const r of rewards) {
    const disabled = await L.el(page, `reward.${r.id}.redeem`).isDisabled();
    assert(disabled === !(r.affordable && r.in_stock && r.tier_allowed),
           `reward ${r.id}: redeem button ${disabled ? "disabled" : "enabled"}, API affordable=${r.affordable}`);
  }
  await L.activate(page, `reward.${pick.id}.redeem`);
  await L.waitFor(page, "rewards.confirm.yes", T);
  const dialogText = await page.locator('#a11y [role="dialog"]').textContent();
  assert(dialogText.includes(pick.cost.toLocaleString("en-US")), `the confirmation does not name the cost: ${dialogText}`);
  if (confirmByPointer) await confirmByPointer("rewards.confirm.yes");
  else await L.activate(page, "rewards.confirm.yes");
  await L.waitFor(page, "rewards.result.text", T);
  const after = me.points.balance - pick.cost;
  await page.waitForFunction((n) => {
    const e = document.querySelector('#a11y [data-id="rewards.balance"]');
    return e && e.textContent.includes(n);
  }, after.toLocaleString("en-US"), { timeout: T });
  const result = await L.text(page, "rewards.result.coupon");
  const m = /code ([A-Z0-9-]+)/i.exec(result);
  assert(m, `no coupon code in the result: "${result}"`);
  const me2 = (await L.api(server.url, "GET", "/me", { token })).json;
  assert(me2.points.balance === after, `API balance ${me2.points.balance} after redeeming, expected ${after}`);
  return { cost: pick.cost, before: me.points.balance, after, code: m[1], reward: pick.id };
}

async function seesCoupon(page, server, token, code) {
  await L.activate(page, "rewards.result.view");
  await L.waitFor(page, "coupons.list", T);
  await page.waitForFunction((c) => document.getElementById("a11y").textContent.includes(c), code, { timeout: T });
  const list = (await L.api(server.url, "GET", "/me/coupons", { token })).json;
  const all = list.coupons || list;
  const c = all.find((x) => x.code === code);
  assert(c && c.state === "available", `coupon ${code} is not available in the API`);
}

async function toChinese(page, log, m, viaPointer) {
  const before = log.requests.filter((r) => r.url.includes("ui-cjk.ttf")).length;
  if (viaPointer) await viaPointer("app.lang");
  else await L.activate(page, "app.lang");
  await page.waitForFunction(() => document.documentElement.lang === "zh-CN", null, { timeout: T });
  await page.waitForFunction(() => {
    const t = document.querySelector('#a11y [data-id="screen.title"]');
    return t && /[\u3400-\u9fff]/.test(t.textContent);
  }, null, { timeout: T });
  const title = await L.text(page, "screen.title");
  const all = await page.locator("#a11y").textContent();
  assert(CJK.test(title), `screen title not Chinese: ${title}`);
  assert((await L.text(page, "app.lang")) === "English", "the language switch does not offer English");
  // The CJK font: fetched (once) because Chinese is now on screen; wait until it is drawn.
  await page.waitForFunction(() => performance.getEntriesByType("resource").some((e) => e.name.includes("ui-cjk.ttf")),
                             null, { timeout: T });
  const cjk = await page.evaluate(() => performance.getEntriesByType("resource")
    .filter((e) => e.name.includes("ui-cjk.ttf")).map((e) => ({ transfer: e.transferSize, body: e.decodedBodySize })));
  assert(cjk.length === 1, `ui-cjk.ttf fetched ${cjk.length} times`);
  m.cjk_font = cjk[0];
  m.cjk_requests_before_switch = before;
  await L.settle(page);
  return { title, sample: all.slice(0, 80) };
}

async function signOut(page, name) {
  await L.activate(page, "app.sign_out");
  await L.waitFor(page, "signin.submit", T);
  const token = await page.evaluate(() => sessionStorage.getItem("memberdesk.token"));
  assert(token === null, "the token is still in sessionStorage after signing out");
  const all = await page.locator("#a11y").textContent();
  assert(!all.includes(name), `the member's name is still in the mirror after signing out`);
  assert(!(await L.exists(page, "home.balance")), "the balance is still in the mirror");
}

// --------------------------------------------------------------------------------- flows ----

async function phoneFlow(server) {
  const vp = { name: "phone", width: 390, height: 844, dpr: 3, mobile: true, touch: true };
  const m = (metrics.viewports.phone = { viewport: vp });
  const login = server.logins.find((l) => l.tier === "Elite") || server.logins[0];
  let ctx = null, home = null, red = null;
  const tap = async (id) => {
    const c = await L.centre(ctx.page, id);
    await ctx.page.touchscreen.tap(c.x, c.y);
  };
  try {
    await flow("phone", [
      ["loads and draws the first frame, HiDPI backing store (dpr 3)", async () => {
        ctx = await L.openPage(vp);
        await loadPortal(ctx, server.url, vp, m);
      }],
      ["sign in by touch and the on-screen keyboard (hidden IME input)", async () => {
        const { page } = ctx;
        await tap("signin.phone");
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === "ime", null, { timeout: T });
        const mode = await page.evaluate(() => document.getElementById("ime").inputMode);
        assert(mode === "decimal", `hidden input asks for a "${mode}" keyboard on the phone field`);
        await page.keyboard.type(login.phone, { delay: 20 });
        await page.waitForFunction((v) => document.querySelector('#a11y [data-id="signin.phone"]').value === v,
                                   login.phone, { timeout: T });
        await tap("signin.pin");
        await page.waitForFunction(() => document.getElementById("ime").type === "password", null, { timeout: T });
        await page.keyboard.type(login.pin, { delay: 20 });
        await page.waitForFunction(() => !document.querySelector('#a11y [data-id="signin.submit"]').disabled, null, { timeout: T });
        await tap("signin.submit");
        await L.waitFor(page, "home.balance", T);
        const tok = await page.evaluate(() => sessionStorage.getItem("memberdesk.token"));
        assert(tok && tok.length > 10, "no token in sessionStorage after signing in");
      }],
      ["home shows the balance and tier the API reports, and the next reminder's subject", async () => {
        home = await readHome(ctx.page, login, server);
        m.home = { balance: home.balance, tier: home.tier, reminder: home.reminder };
        assert(home.reminder, "the demo member has no upcoming reminder to show");
        await L.settle(ctx.page);
        await shot(ctx.page, "phone-home.png");
      }],
      ["a finger drag scrolls the screen (and presses nothing)", async () => {
        const { page, context } = ctx;
        const id = "home.go.tiers";
        await L.waitFor(page, id, T);
        const before = await L.centre(page, id);
        const cdp = await context.newCDPSession(page);
        const pt = (y) => [{ x: 200, y, id: 1 }];
        await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: pt(700) });
        for (let y = 680; y >= 400; y -= 20) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: pt(y) });
        await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
        await L.settle(page);
        const after = await L.centre(page, id);
        assert(before.y - after.y > 150, `content moved ${before.y - after.y} CSS px for a 300 px drag`);
        assert(await L.exists(page, "home.balance"), "the drag activated something and left the home screen");
        await shot(page, "phone-scrolled.png");
      }],
      ["menu by touch, redeem a reward: balance drops", async () => {
        const { page } = ctx;
        await tap("app.menu");
        await L.waitFor(page, "nav.rewards", T);
        await tap("nav.rewards");
        red = await redeem(page, server, home.token, null);
        m.redeemed = red;
        await L.settle(page);
        await shot(page, "phone-redeemed.png");
      }],
      ["the new coupon appears in the coupons wallet", async () => {
        await seesCoupon(ctx.page, server, home.token, red.code);
        await L.settle(ctx.page);
        await shot(ctx.page, "phone-coupons.png");
      }],
      ["switch to Chinese: Chinese text on screen, CJK font fetched", async () => {
        const zh = await toChinese(ctx.page, ctx.log, m, null);
        m.zh_title = zh.title;
        await shot(ctx.page, "phone-zh.png");
      }],
      ["settings: dark theme and extra-large text, remembered after a reload", async () => {
        const { page } = ctx;
        const light = L.pixelStats(await page.screenshot());
        const h0 = (await L.centre(page, "app.sign_out")).h;
        await L.activate(page, "app.menu");
        await L.activate(page, "nav.settings");
        await L.waitFor(page, "settings.theme.1", T);
        await L.activate(page, "settings.theme.1");
        await L.activate(page, "settings.size.3");
        await page.waitForFunction(() => document.querySelector('#a11y [data-id="settings.size.3"]').checked, null, { timeout: T });
        await L.settle(page);
        const dark = await shot(page, "phone-dark-xl.png");
        assert(light.background.luma > 180 && dark.background.luma < 80,
               `background luma ${light.background.luma} (light) -> ${dark.background.luma} (dark)`);
        const h1 = (await L.centre(page, "app.sign_out")).h;
        assert(h1 > h0 * 1.2, `sign-out button ${h0} -> ${h1} CSS px high with extra-large text`);
        await page.reload({ waitUntil: "load" });
        await page.waitForSelector('body[data-ready="1"]', { timeout: T });
        await L.waitFor(page, "settings.theme.1", T);  // the session and the screen (#/settings) resume
        const kept = await page.evaluate(() => ["settings.theme.1", "settings.size.3"].map(
          (id) => document.querySelector(`#a11y [data-id="${id}"]`).checked));
        assert(kept[0] && kept[1], "dark theme / text size not remembered after a reload");
        await L.activate(page, "settings.theme.0");
        await L.activate(page, "settings.size.1");
        await page.waitForFunction(() => document.querySelector('#a11y [data-id="settings.size.1"]').checked, null, { timeout: T });
      }],
      ["sign out: back to sign-in, nothing personal left", async () => {
        await signOut(ctx.page, "张伟");
        await L.settle(ctx.page);
        await shot(ctx.page, "phone-signed-out.png");
      }],
      ["no page errors", async () => {
        assert(ctx.log.errors.length === 0, "page errors: " + ctx.log.errors.join("; "));
      }],
    ]);
  } finally {
    if (ctx) await ctx.browser.close();
  }
}

// A browser without WebGL in workers (here: no OffscreenCanvas) runs the same renderer in the page,
// on the canvas itself: the portal draws, follows the window and signs in as usual.
async function pageRendererFlow(server) {
  const vp = { name: "pagegl", width: 390, height: 844, dpr: 2, mobile: true, touch: true };
  const login = server.logins[0];
  const m = (metrics.viewports.pagegl = { viewport: vp });
  let ctx = null;
  try {
    await flow("renderer in the page", [
      ["without OffscreenCanvas the sign-in screen is drawn on the page's own canvas", async () => {
        ctx = await L.openPage(vp);
        await ctx.page.addInitScript(() => { delete window.OffscreenCanvas; });
        await loadPortal(ctx, server.url, vp, m, "page");
      }],
      ["sign in through the mirror: home drawn, balance as the API reports it", async () => {
        const { page } = ctx;
        await L.el(page, "signin.phone").fill(login.phone);
        await L.el(page, "signin.pin").fill(login.pin);
        await L.activate(page, "signin.submit");
        await readHome(page, login, server);
        await L.settle(page);
        await shot(page, "pagegl-home.png");
      }],
      ["a smaller window: the canvas follows it", async () => {
        const { page } = ctx;
        await page.setViewportSize({ width: 360, height: 640 });
        await page.waitForFunction(() => document.getElementById("canvas").width === 720, null, { timeout: T });
        await L.settle(page);
        await shot(page, "pagegl-360x640.png");
      }],
      ["no page errors", async () => {
        assert(ctx.log.errors.length === 0, "page errors: " + ctx.log.errors.join("; "));
      }],
    ]);
  } finally {
    if (ctx) await ctx.browser.close();
  }
}

async function desktopFlow(server) {
  const vp = { name: "desktop", width: 1280, height: 800, dpr: 1 };
  const m = (metrics.viewports.desktop = { viewport: vp });
  const latin = server.logins.find((l) => /^[A-Za-z ]+$/.test(l.name));
  const elite = server.logins.find((l) => l.tier === "Elite");
  let ctx = null, home = null, red = null;
  const click = async (id) => {
    const c = await L.centre(ctx.page, id);
    await ctx.page.mouse.click(c.x, c.y);
  };
  try {
    await flow("desktop", [
      ["loads and draws the first frame", async () => {
        assert(latin && elite, "demo logins: need a member with a Latin name and an Elite member");
        ctx = await L.openPage(vp);
        await loadPortal(ctx, server.url, vp, m);
      }],
      ["sign in with mouse clicks on the canvas, typing and Enter", async () => {
        const { page } = ctx;
        await click("signin.phone");
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === "ime", null, { timeout: T });
        await page.keyboard.type(latin.phone, { delay: 10 });
        await click("signin.pin");
        await page.keyboard.type(latin.pin, { delay: 10 });
        await page.keyboard.press("Enter");
        await L.waitFor(page, "home.balance", T);
      }],
      ["home shows the balance and tier the API reports", async () => {
        home = await readHome(ctx.page, latin, server);
        m.home_latin = { balance: home.balance, tier: home.tier };
      }],
      ["the CJK font is not fetched while no Chinese is shown", async () => {
        await L.settle(ctx.page);
        const n = ctx.log.requests.filter((r) => r.url.includes("ui-cjk.ttf")).length;
        assert(n === 0, `ui-cjk.ttf fetched ${n} times on an English screen with a Latin name`);
        const lang = ctx.log.requests.filter((r) => r.url.includes("ui-lang.ttf")).length;
        assert(lang === 1, `the small language-switch font was fetched ${lang} times`);
        await shot(ctx.page, "desktop-home.png");
      }],
      ["switch to Chinese by clicking the canvas: Chinese text, CJK font fetched once", async () => {
        const zh = await toChinese(ctx.page, ctx.log, m, click);
        m.zh_title = zh.title;
        await checkReminder(ctx.page, server, home.token, "zh");  // the home's reminder line in Chinese
        const s = await shot(ctx.page, "desktop-zh.png");
        m.zh_screenshot = s;
        await L.activate(ctx.page, "app.lang");  // back to English
        await ctx.page.waitForFunction(() => document.documentElement.lang === "en", null, { timeout: T });
      }],
      ["Chinese IME composition into a text field, then the survey: points once a month (GET /me/ledger)", async () => {
        const { page, context } = ctx;
        await click("nav.feedback");
        // The store choice appears when the history arrives and moves the comment field down: click
        // it where it stays.
        await L.settle(page);
        await click("feedback.comment");
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === "ime", null, { timeout: T });
        const cdp = await context.newCDPSession(page);
        // What a pinyin IME does: a composition ("nihao") that is then committed as 你好.
        await cdp.send("Input.imeSetComposition", { text: "nihao", selectionStart: 5, selectionEnd: 5 });
        await cdp.send("Input.insertText", { text: "你好" });
        await page.keyboard.type(" ok", { delay: 10 });
        await page.waitForFunction(() => document.querySelector('#a11y [data-id="feedback.comment"]').value === "你好 ok",
                                   null, { timeout: T });
        const answer = async () => {
          for (const d of ["product", "service", "environment"]) await L.activate(page, `feedback.${d}.4`);  // 5 stars
          await L.waitEnabled(page, "feedback.send");
          await click("feedback.send");
          await L.waitFor(page, "feedback.sent", T);
        };
        const surveyEntries = async () => (await L.api(server.url, "GET", "/me/ledger?limit=100", { token: home.token }))
          .json.entries.filter((e) => /satisfaction survey/.test(e.reason.en));
        await answer();
        const earned = Number((await L.text(page, "feedback.points")).replace(/[^0-9]/g, ""));
        assert(earned > 0, "no points for the month's first survey");
        await L.settle(page);
        await shot(page, "desktop-feedback.png");
        let entries = await surveyEntries();
        assert(entries.length === 1 && entries[0].points === earned, `survey entries ${JSON.stringify(entries)}`);
        await L.activate(page, "feedback.again");
        await answer();
        await L.waitFor(page, "feedback.no_points", T);
        entries = await surveyEntries();
        assert(entries.length === 1, `a second survey in the month was rewarded: ${JSON.stringify(entries)}`);
      }],
      ["member card: a live member code (it signs in at a kiosk)", async () => {
        const { page } = ctx;
        await L.activate(page, "nav.card");
        await L.waitFor(page, "card.code", T);
        const code = ((await L.attr(page, "card.code", "data-value")) || (await L.text(page, "card.code"))).split(":").pop().trim();
        assert(/^[A-Z0-9-]{6,}$/.test(code), `no member code on the card: "${code}"`);
        const r = await L.api(server.url, "POST", "/kiosk/login", { body: { member_code: code },
                                                                  headers: { "X-Kiosk-Key": server.keys.kiosk } });
        assert(r.status === 200 && r.json && r.json.token, `the card's code does not sign in at a kiosk: ${r.status} ${r.text}`);
        await L.settle(page, 400);
        await shot(page, "desktop-card.png");
      }],
      ["privacy export downloads my data as a JSON file", async () => {
        const { page } = ctx;
        await L.activate(page, "nav.profile");
        await L.waitFor(page, "profile.export", T);
        const [dl] = await Promise.all([page.waitForEvent("download", { timeout: T }), L.activate(page, "profile.export")]);
        assert(/\.json$/.test(dl.suggestedFilename()), `downloaded file name ${dl.suggestedFilename()}`);
        const file = path.join(OUT, "desktop-export.json");
        await dl.saveAs(file);
        const data = JSON.parse(fs.readFileSync(file, "utf8"));
        assert(JSON.stringify(data).includes(latin.name), "the export does not hold the member's name");
        await L.waitFor(page, "profile.export.done", T);
      }],
      [`idle: no frames drawn and little CPU over ${IDLE_SECONDS} s`, async () => {
        const { page } = ctx;
        await L.settle(page, 1000);
        await page.mouse.move(2, 790);  // a pointer parked over the canvas is not input
        await L.settle(page, 1000);
        // Playwright starts Chromium as a child of this node process (one browser at a time here).
        const procs = L.chromiumChildren(process.pid).filter((p) => p.type === "renderer" || p.type === "gpu-process");
        assert(procs.some((p) => p.type === "renderer"), "no Chromium renderer process found");
        const before = procs.map((p) => L.cpuTicks(p.pid));
        const f0 = await L.framesDrawn(page);
        const t0 = Date.now();
        await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
        const secs = (Date.now() - t0) / 1000;
        const f1 = await L.framesDrawn(page);
        const used = {};
        procs.forEach((p, i) => {
          used[p.type] = (used[p.type] || 0) + (L.cpuTicks(p.pid) - before[i]) / L.CLK_TCK;
        });
        const pct = (s) => Math.round((1000 * (s || 0)) / secs) / 10;
        m.idle = { seconds: Math.round(secs * 10) / 10, frames: f1 - f0, renderer_cpu_percent: pct(used.renderer),
                   gpu_cpu_percent: pct(used["gpu-process"]) };
        assert(f1 - f0 <= 1, `${f1 - f0} frames drawn while idle`);
        assert(pct(used.renderer) < 10, `renderer used ${pct(used.renderer)}% CPU while idle`);
      }],
      ["a busy page for comparison: frames while the pointer moves", async () => {
        const { page } = ctx;
        const f0 = await L.framesDrawn(page);
        for (let i = 0; i < 20; i++) await page.mouse.move(300 + i * 10, 300 + i * 5);
        await L.settle(page);
        const n = (await L.framesDrawn(page)) - f0;
        m.frames_for_20_pointer_moves = n;
        assert(n > 0, "moving the pointer over the canvas drew no frame");
      }],
      ["the canvas follows the window size", async () => {
        const { page } = ctx;
        await page.setViewportSize({ width: 900, height: 650 });
        await page.waitForFunction(() => {
          const c = document.getElementById("canvas");
          return c.width === 900 && c.height === 650;
        }, null, { timeout: T });
        await L.settle(page);
        await shot(page, "desktop-900x650.png");
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.waitForFunction(() => document.getElementById("canvas").width === 1280, null, { timeout: T });
      }],
      ["sign out", async () => {
        await signOut(ctx.page, latin.name);
      }],
      ["sign in through the accessibility mirror (screen-reader path)", async () => {
        const { page } = ctx;
        await L.el(page, "signin.phone").fill(elite.phone);
        await L.el(page, "signin.pin").fill(elite.pin);
        await L.activate(page, "signin.submit");
        home = await readHome(page, elite, server);
        m.home = { balance: home.balance, tier: home.tier };
      }],
      ["redeem a reward (confirm by mouse): balance drops", async () => {
        await click("nav.rewards");
        red = await redeem(ctx.page, server, home.token, click);
        m.redeemed = red;
        await L.settle(ctx.page);
        await shot(ctx.page, "desktop-redeemed.png");
      }],
      ["the new coupon appears in the coupons wallet", async () => {
        await seesCoupon(ctx.page, server, home.token, red.code);
        await L.settle(ctx.page);
        await shot(ctx.page, "desktop-coupons.png");
      }],
      ["sign out again", async () => {
        await signOut(ctx.page, elite.name);
        await L.settle(ctx.page);
        await shot(ctx.page, "desktop-signed-out.png");
      }],
      ["no page errors", async () => {
        assert(ctx.log.errors.length === 0, "page errors: " + ctx.log.errors.join("; "));
      }],
    ]);
  } finally {
    if (ctx) await ctx.browser.close();
  }
}

function fileSizes() {
  const f = (p) => {
    try {
      const raw = fs.readFileSync(path.join(WEB, p));
      return { raw: raw.length, gzip: zlib.gzipSync(raw, { level: 9 }).length };
    } catch (_) {
      return null;
    }
  };
  return {
    wasm: f("memberdesk_portal.wasm"), js: f("memberdesk_portal.js"), bridge: f("bridge.js"), html: f("index.html"),
    font_latin: f("fonts/ui-latin.ttf"), font_lang: f("fonts/ui-lang.ttf"), font_cjk: f("fonts/ui-cjk.ttf"),
  };
}

// A browser without WebGL 2 gets each page's own message on the splash, not a blank page. Chromium's
// --disable-webgl leaves WebGL on in workers, so the page is also without OffscreenCanvas here: the
// renderer then runs in the page (as in a browser without WebGL in workers) and cannot make its
// context there.
async function noWebglFlow(server) {
  const { chromium } = require("playwright-core");
  const b = await chromium.launch({ executablePath: L.CHROMIUM, headless: true, args: [...L.CHROMIUM_ARGS, "--disable-webgl"] });
  try {
    await flow("no WebGL", [
      ...[["/", /member centre/], ["/kiosk#key=demo-kiosk-key-not-secret", /kiosk/], ["/staff", /staff console/]].map(([p, what]) =>
        [`${p.split("#")[0]}: the page says WebGL 2 is needed`, async () => {
          const page = await (await b.newContext()).newPage();
          await page.addInitScript(() => { delete window.OffscreenCanvas; });
          await page.goto(server.url.replace(/\/$/, "") + p);
          await page.waitForFunction(() => /WebGL 2/.test(document.getElementById("splash")?.textContent || ""), null,
                                     { timeout: 20000 });
          const s = await page.evaluate(() => {
            const e = document.getElementById("splash");
            return { text: e.textContent, role: e.getAttribute("role"), shown: !e.hidden && e.offsetHeight > 0 };
          });
          assert(what.test(s.text) && /需要 WebGL 2/.test(s.text), `splash: ${s.text}`);
          assert(s.role === "alert" && s.shown, `splash not shown as an alert: ${JSON.stringify(s)}`);
        }]),
    ]);
  } finally {
    await b.close();
  }
}

async function main() {
  // Not emptied here: the kiosk's suite may be writing its screenshots beside it (tests/browser/run
  // empties it before all suites).
  fs.mkdirSync(OUT, { recursive: true });
  metrics.files = fileSizes();
  const only = process.argv[2];
  for (const [name, fn] of [["phone", phoneFlow], ["desktop", desktopFlow], ["pagegl", pageRendererFlow],
                            ["nowebgl", noWebglFlow]]) {
    if (only && only !== name) continue;
    // Each viewport gets its own server and fresh demo database (redeeming spends the points).
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
  fs.writeFileSync(path.join(OUT, "metrics.json"), JSON.stringify(metrics, null, 2) + "\n");
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  const f = metrics.files;
  const kb = (n) => (n / 1024).toFixed(1) + " KiB";
  console.log("");
  console.log("metrics (tests/browser/out/metrics.json):");
  if (f.wasm && f.js)
    console.log(`  portal client: wasm ${kb(f.wasm.raw)} (gzip ${kb(f.wasm.gzip)}), js ${kb(f.js.raw)} (gzip ${kb(f.js.gzip)}),` +
                ` together gzip ${kb(f.wasm.gzip + f.js.gzip)}`);
  if (f.font_cjk)
    console.log(`  fonts: latin ${kb(f.font_latin.raw)} (gzip ${kb(f.font_latin.gzip)}), lang ${kb(f.font_lang.raw)},` +
                ` cjk ${kb(f.font_cjk.raw)} (gzip ${kb(f.font_cjk.gzip)}, only when Chinese is shown)`);
  for (const [n, v] of Object.entries(metrics.viewports)) {
    if (v.first_frame_ms !== undefined) console.log(`  ${n}: first frame ${v.first_frame_ms} ms after navigation start`);
    if (v.idle) console.log(`  ${n}: idle ${v.idle.seconds} s: ${v.idle.frames} frames, renderer CPU ${v.idle.renderer_cpu_percent}%,` +
                            ` GPU process CPU ${v.idle.gpu_cpu_percent}%`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed || !results.length ? 1 : 0;
}

main().catch((e) => {
  console.log(`not ok - runner: ${e && e.stack ? e.stack : e}`);
  console.log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
  process.exitCode = 1;
});
