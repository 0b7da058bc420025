// End-to-end test of the staff console (/staff) in Debian's headless Chromium (playwright-core, no
// browser download), against the real server with demo data (helpers: lib.js). Driven through
// the accessibility mirror (#a11y), like a keyboard or screen-reader user of a counter PC, and by
// a scanner typing codes + Enter with nothing focused.
//   counter 1366x768: a demo clerk signs in (a wrong password first: the API's error in words) ->
//     scans a demo member's card (GET /api/v1/me/card's member code) -> the member's level-2 data,
//     balance as GET /me says -> scans a coupon issued to them and redeems it for an order (the
//     discount from the answer) -> gives goodwill points (the balance rises by them, on screen and
//     in GET /me) -> asks for more than the clerk's daily limit (the API's refusal is shown) ->
//     中文 -> sign-out leaves nothing of the member on the page.
//   reports 1366x768: a constructed history (new members of store-001 with till purchases in two
//     past months) -> the demo store manager opens Reports for the second month and reads the churn
//     rate computed here from that history -> 中文 -> At-risk members (one of them, dormant, listed)
//     -> the CSV export downloads with their row.
//   member care 1366x768: the demo store manager opens Member care, finds a member of their store
//     by phone (level 2, no "Show full details" for the role), adjusts +20 points with a reason
//     after the confirmation (the balance on screen and in GET /me), sees the ledger row and the
//     audit row; the demo region manager opens the same member and reveals level 3 with a reason
//     (the full name on screen, the read audited with the reason).
// Prints one line per case and "N passed, N failed"; screenshots + staff-metrics.json in out/.
// Usage: node tests/browser/staff.test.js   (env as tests/browser/run)
"use strict";

const fs = require("fs");
const path = require("path");
const L = require("./lib.js");

const OUT = path.join(__dirname, "out");
const SERVER = process.env.MEMBERDESK_SERVER_BIN || path.join(L.ROOT, "build/native/native_server/memberdesk-server");
const WEB = process.env.MEMBERDESK_WEB_DIR || path.join(L.ROOT, "build/wasm/web");
const T = 30000;

const results = [];
const metrics = { screenshots: {} };

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function shot(page, file) {
  await L.settle(page);
  const png = await page.screenshot({ path: path.join(OUT, file) });
  const s = L.pixelStats(png);
  assert(s.colours >= 8 && s.varied >= 0.02, `${file} looks blank: ${s.colours} colours, ${(s.varied * 100).toFixed(2)}% varied`);
  metrics.screenshots[file] = { width: s.width, height: s.height, colours: s.colours };
}

async function mirrorText(page) {
  return page.$eval("#a11y", (e) => e.textContent);
}

async function expectShown(page, id, timeoutMs = T) {
  try {
    await L.waitFor(page, id, timeoutMs);
  } catch (e) {
    throw new Error(`${id} not shown within ${timeoutMs} ms; the screen says: ${(await mirrorText(page)).slice(0, 600)}`);
  }
}

function number(s) {
  return Number(String(s).replace(/[^0-9]/g, ""));
}

// A scanner: the code's characters, then Enter, with nothing focused (one burst from inside the
// page, as a scanner types a code in a few ms).
async function scan(page, code) {
  await page.evaluate((c) => {
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    for (const k of [...c, "Enter"]) {
      const o = { key: k, bubbles: true, cancelable: true };
      document.body.dispatchEvent(new KeyboardEvent("keydown", o));
      document.body.dispatchEvent(new KeyboardEvent("keyup", o));
    }
  }, code);
}

// The demo clerk's account, as the server printed it ("clerk  demo-password  clerk store-001").
function demoStaff(server, role) {
  const re = /^\s+(\S+)\s+(\S+)\s+(\w+) (\S*)$/gm;
  let m;
  while ((m = re.exec(server.output()))) if (m[3] === role) return { username: m[1], password: m[2], store: m[4] };
  throw new Error(`no demo ${role} printed`);
}

// A demo member the clerk may serve (their store's), found the way the console does.
async function memberInScope(server, clerk) {
  const login = await L.api(server.url, "POST", "/staff/login", { body: { username: clerk.username, password: clerk.password } });
  assert(login.status === 200, `staff login: ${login.status} ${login.text}`);
  const token = login.json.token;
  try {
    for (const l of server.logins) {
      const found = await L.api(server.url, "GET", "/staff/members?phone=" + l.phone, { token });
      if (found.status !== 200 || !found.json.members.length) continue;
      const id = found.json.members[0].id;
      const detail = await L.api(server.url, "GET", `/staff/members/${id}`, { token });
      if (detail.status === 200) return { ...l, id, masked: detail.json.name };
    }
  } finally {
    await L.api(server.url, "POST", "/staff/logout", { token });
  }
  throw new Error("no demo member in the clerk's store");
}

async function memberApi(server, member) {
  const login = await L.api(server.url, "POST", "/auth/login", { body: { phone: member.phone, pin: member.pin } });
  assert(login.status === 200, `member login ${member.phone}: ${login.status} ${login.text}`);
  return login.json.token;
}

async function balanceOf(server, token) {
  const me = await L.api(server.url, "GET", "/me", { token });
  assert(me.status === 200, `GET /me: ${me.status}`);
  return me.json.points.balance;
}

async function counterFlow(server) {
  let ctx = null;
  const m = (metrics.counter = {});
  let clerk, member, token, code, coupon, before = 0;
  await L.runFlow(results, "staff counter", [
    ["the server serves /staff; the demo clerk, a member of their store, a coupon and a card code", async () => {
      const page = await fetch(server.url + "staff");
      assert(page.status === 200 && /Staff console/.test(await page.text()), `/staff: ${page.status}`);
      clerk = demoStaff(server, "clerk");
      member = await memberInScope(server, clerk);
      token = await memberApi(server, member);
      const issued = await L.api(server.url, "POST", `/admin/members/${member.id}/coupons`,
                                 { headers: { "X-Api-Key": server.keys.admin }, body: { template: "spend_back_10" } });
      assert(issued.status === 201, `issue coupon: ${issued.status} ${issued.text}`);
      coupon = issued.json.code;
      const card = await L.api(server.url, "GET", "/me/card", { token });
      assert(card.status === 200, `GET /me/card: ${card.status}`);
      code = card.json.member_code;
      before = await balanceOf(server, token);
      m.member = { id: member.id, balance: before };
    }],
    ["sign-in screen; a wrong password is refused in words", async () => {
      ctx = await L.openPage({ width: 1366, height: 768, dpr: 1 });
      const t0 = Date.now();
      await ctx.page.goto(server.url + "staff");
      await ctx.page.waitForSelector("body[data-ready='1']", { timeout: T });
      await expectShown(ctx.page, "staff.signin.username");
      m.load_ms = Date.now() - t0;
      const { page } = ctx;
      assert((await page.title()).includes("Staff console"), `title ${await page.title()}`);
      await L.el(page, "staff.signin.username").fill(clerk.username);
      await L.el(page, "staff.signin.password").fill("not-the-password");
      await L.activate(page, "staff.signin.submit");
      await expectShown(page, "staff.signin.error");
      const err = await L.text(page, "staff.signin.error");
      assert(/username or password is not right/.test(err), `error: ${err}`);
      await shot(page, "staff-signin.png");
    }],
    ["the demo clerk signs in: name, role and store in the top bar", async () => {
      const { page } = ctx;
      await L.el(page, "staff.signin.password").fill(clerk.password);
      await L.activate(page, "staff.signin.submit");
      await expectShown(page, "staff.user");
      const who = await L.text(page, "staff.user");
      assert(/Clerk/.test(who) && who.includes(clerk.store), `top bar: ${who}`);
      assert(!(await mirrorText(page)).includes(clerk.password), "the password is readable in the mirror");
      await expectShown(page, "staff.find.phone");
    }],
    ["scanning the member's card shows their level-2 data and balance", async () => {
      const { page } = ctx;
      const t0 = Date.now();
      await scan(page, code);
      await expectShown(page, "staff.member.balance");
      m.scan_to_member_ms = Date.now() - t0;
      const shown = number(await L.attr(page, "staff.member.balance", "data-value"));
      assert(shown === before, `balance on screen ${shown}, GET /me says ${before}`);
      const name = await L.text(page, "staff.member.name");
      assert(name === member.masked, `name on screen "${name}", the API's masked name "${member.masked}"`);
      const phone = await L.text(page, "staff.member.phone");
      assert(/\*{4}/.test(phone) && !phone.includes(member.phone), `phone not masked: ${phone}`);
      assert(!(await mirrorText(page)).includes(member.name), "the full name is on the page");
    }],
    ["scanning a coupon and redeeming it for an order shows the discount", async () => {
      const { page } = ctx;
      await scan(page, coupon);
      await page.waitForFunction((c) => {
        const e = document.querySelector('#a11y [data-id="staff.coupon.code"]');
        return e && e.value === c;
      }, coupon, { timeout: T });
      await L.el(page, "staff.coupon.amount").fill("150.00");
      await L.activate(page, "staff.coupon.submit");
      await expectShown(page, "staff.coupon.result");
      const discount = await L.attr(page, "staff.coupon.discount", "data-value");
      assert(discount === "¥10", `discount ${discount}`);
      const pay = await L.text(page, "staff.coupon.pay");
      assert(pay.includes("¥140"), `to pay: ${pay}`);
      const coupons = await L.api(server.url, "GET", "/me/coupons", { token });
      const used = (coupons.json.coupons || coupons.json).find((c) => c.code === coupon);
      assert(used && used.state === "used", `coupon ${coupon} is ${used && used.state}`);
      m.redeemed = { code: coupon, discount };
    }],
    ["goodwill points with a reason raise the balance on screen and on the server", async () => {
      const { page } = ctx;
      await L.el(page, "staff.goodwill.points").fill("20");
      await L.el(page, "staff.goodwill.reason").fill("drink remade late");
      await L.activate(page, "staff.goodwill.submit");
      await expectShown(page, "staff.goodwill.result");
      await page.waitForFunction((want) => {
        const e = document.querySelector('#a11y [data-id="staff.member.balance"]');
        return e && Number((e.getAttribute("data-value") || "").replace(/[^0-9]/g, "")) === want;
      }, before + 20, { timeout: T });
      const after = await balanceOf(server, token);
      assert(after === before + 20, `GET /me balance ${after}, expected ${before + 20}`);
      m.goodwill = { before, after };
      await shot(page, "staff-counter.png");
    }],
    ["more than the clerk's daily limit is refused by the API, and the refusal is shown", async () => {
      const { page } = ctx;
      await L.el(page, "staff.goodwill.points").fill("500");
      await L.el(page, "staff.goodwill.reason").fill("big apology");
      await L.activate(page, "staff.goodwill.submit");
      await expectShown(page, "staff.goodwill.error");
      const err = await L.text(page, "staff.goodwill.error");
      assert(/daily goodwill limit/.test(err), `error: ${err}`);
      assert((await balanceOf(server, token)) === before + 20, "the refused grant changed the balance");
      await shot(page, "staff-limit.png");
    }],
    ["中文: the counter in Chinese", async () => {
      const { page } = ctx;
      await L.activate(page, "staff.lang");
      await page.waitForFunction(() => {
        const e = document.querySelector('#a11y [data-id="staff.coupon.title"]');
        return e && e.textContent === "核销优惠券";
      }, null, { timeout: T });
      assert((await page.evaluate(() => document.documentElement.lang)) === "zh-CN", "html lang is not zh-CN");
      assert((await page.title()) === "员工工作台", `title ${await page.title()}`);
      await shot(page, "staff-counter-zh.png");
      await L.activate(page, "staff.lang");
    }],
    ["sign-out leaves nothing of the member on the page", async () => {
      const { page } = ctx;
      await L.activate(page, "staff.sign_out");
      await expectShown(page, "staff.signin.username");
      const t = await mirrorText(page);
      for (const s of [member.masked, String(before + 20)])
        assert(!t.includes(s), `still on the page after sign-out: ${s}`);
      const kept = await page.evaluate(() => sessionStorage.getItem("memberdesk.staff.token"));
      assert(!kept, "the staff token stayed in sessionStorage");
    }],
    ["no page errors", async () => {
      assert(ctx.log.errors.length === 0, "page errors: " + ctx.log.errors.join("; "));
    }],
  ]);
  if (ctx) await ctx.browser.close();
}

// Four new members of the manager's store buy there in January 2021; three of them again in
// February. The demo history is recent, so those months hold only these purchases.
async function constructHistory(server, store) {
  const suffix = String(Date.now() % 100000).padStart(5, "0");
  const members = [];
  for (let i = 0; i < 4; ++i) {
    const phone = `139${i}${i}${suffix}`.slice(0, 11).padEnd(11, "0");
    const r = await L.api(server.url, "POST", "/admin/members", {
      headers: { "X-Api-Key": server.keys.admin }, body: { phone, pin: "246810", name: `Report ${i}`, store } });
    assert(r.status === 201, `create member ${phone}: ${r.status} ${r.text}`);
    members.push(r.json.id);
  }
  const buy = async (member, at, n) => {
    const r = await L.api(server.url, "POST", "/pos/purchases", { headers: { "X-Api-Key": server.keys.pos },
      body: { txn_id: `RPT-${suffix}-${n}`, member: String(member), amount: 3000, store, at } });
    assert(r.status === 201, `purchase ${n}: ${r.status} ${r.text}`);
  };
  const visits = { previous: [], period: [] };
  let n = 0;
  for (const id of members) { await buy(id, "2021-01-12T04:00:00Z", ++n); visits.previous.push(id); }
  for (const id of members.slice(0, 3)) { await buy(id, "2021-02-09T04:00:00Z", ++n); visits.period.push(id); }
  // The one who did not come back in February last bought 70 days ago: dormant (coffee: 60 days).
  await buy(members[3], new Date(Date.now() - 70 * 86400000).toISOString().replace(/\.\d+Z$/, "Z"), ++n);
  visits.dormant = members[3];
  return visits;
}

async function reportsFlow(server) {
  let ctx = null;
  const m = (metrics.reports = {});
  let manager, churn, dormant;
  await L.runFlow(results, "staff reports", [
    ["a constructed history at the store manager's store; its churn rate worked out here", async () => {
      manager = demoStaff(server, "store_manager");
      const v = await constructHistory(server, manager.store);
      // Churn (docs/reports.md): of the previous period's active members, the share with no visit now.
      const prev = new Set(v.previous), now = new Set(v.period);
      churn = [...prev].filter((id) => !now.has(id)).length / prev.size;
      dormant = v.dormant;
      m.expected_churn = churn;
    }],
    ["the store manager opens Reports for February 2021 and reads that churn rate", async () => {
      ctx = await L.openPage({ width: 1366, height: 768, dpr: 1 });
      const { page } = ctx;
      await page.goto(server.url + "staff");
      await page.waitForSelector("body[data-ready='1']", { timeout: T });
      await expectShown(page, "staff.signin.username");
      await L.el(page, "staff.signin.username").fill(manager.username);
      await L.el(page, "staff.signin.password").fill(manager.password);
      await L.activate(page, "staff.signin.submit");
      await expectShown(page, "staff.nav.reports");
      const t0 = Date.now();
      await L.activate(page, "staff.nav.reports");
      await expectShown(page, "staff.reports.churn");
      m.open_reports_ms = Date.now() - t0;
      await L.activate(page, "staff.reports.period.3");
      await expectShown(page, "staff.reports.from");
      await L.el(page, "staff.reports.from").fill("2021-02-01");
      await L.el(page, "staff.reports.to").fill("2021-02-28");
      await L.activate(page, "staff.reports.show");
      await page.waitForFunction(() => {
        const e = document.querySelector('#a11y [data-id="staff.reports.period_shown"]');
        return e && e.textContent.startsWith("2021-02-01 to 2021-02-28");
      }, null, { timeout: T });
      const shown = await L.attr(page, "staff.reports.churn", "data-value");
      const pct = Number(String(shown).replace("%", ""));
      assert(Math.abs(pct - churn * 100) < 0.051, `churn on screen ${shown}, from the history ${churn * 100}%`);
      const chart = await L.attr(page, "staff.reports.chart", "aria-label") || await L.text(page, "staff.reports.chart");
      assert(/02-0/.test(chart), `chart alternative: ${chart}`);
      m.churn_shown = shown;
      // Segment sizes are today's whatever the period (the heading says so): the history's four
      // members joined today, so they are new (joined < 30 days ago) despite their 2021 purchases.
      const segHead = await L.text(page, "staff.reports.segments");
      assert(/^Segments now \(today, \d{4}-\d{2}-\d{2}\)/.test(segHead), `segments heading: ${segHead}`);
      const newShown = Number(String(await L.attr(page, "staff.reports.seg_new", "data-value")).replace(/,/g, ""));
      assert(newShown >= 4, `new members shown: ${newShown}`);
      m.new_segment_shown = newShown;
      await shot(page, "staff-reports.png");
      // The whole report with its trend chart: a manager's taller screen.
      await page.setViewportSize({ width: 1366, height: 1400 });
      await shot(page, "staff-reports-chart.png");
      await page.setViewportSize({ width: 1366, height: 768 });
    }],
    ["中文: the report in Chinese, then the at-risk list and its CSV export", async () => {
      const { page } = ctx;
      await L.activate(page, "staff.lang");
      await page.waitForFunction(() => {
        const e = document.querySelector('#a11y [data-id="staff.reports.churn"]');
        return e && e.textContent.startsWith("流失率");
      }, null, { timeout: T });
      await L.activate(page, "staff.nav.at_risk");
      await expectShown(page, `staff.atrisk.m${dormant}.status`);
      assert((await L.text(page, `staff.atrisk.m${dormant}.status`)) === "沉睡", "the dormant member is not shown as 沉睡");
      const [dl] = await Promise.all([page.waitForEvent("download", { timeout: T }), L.activate(page, "staff.atrisk.export")]);
      assert(/^at-risk-\d{4}-\d{2}-\d{2}\.csv$/.test(dl.suggestedFilename()), `file ${dl.suggestedFilename()}`);
      const file = path.join(OUT, "staff-at-risk.csv");
      await dl.saveAs(file);
      const head = fs.readFileSync(file, "utf8").split(/\r?\n/)[0];
      assert(head.startsWith("id,name,phone,status"), `CSV header: ${head}`);
      assert(fs.readFileSync(file, "utf8").split(/\r?\n/).some((l) => l.startsWith(`${dormant},`)),
             `the CSV has no row for member ${dormant}`);
      await expectShown(page, "staff.atrisk.exported");
      await shot(page, "staff-at-risk-zh.png");
      assert(ctx.log.errors.length === 0, "page errors: " + ctx.log.errors.join("; "));
    }],
  ]);
  if (ctx) await ctx.browser.close();
}

async function careFlow(server) {
  let ctx = null;
  const m = (metrics.care = {});
  let manager, region, member, token, before = 0;
  const openMember = async (page, account) => {
    await page.goto(server.url + "staff");
    await page.waitForSelector("body[data-ready='1']", { timeout: T });
    await expectShown(page, "staff.signin.username");
    await L.el(page, "staff.signin.username").fill(account.username);
    await L.el(page, "staff.signin.password").fill(account.password);
    await L.activate(page, "staff.signin.submit");
    await expectShown(page, "staff.nav.care");
    await L.activate(page, "staff.nav.care");
    await expectShown(page, "staff.care.phone");
    await L.el(page, "staff.care.phone").fill(member.phone);
    await L.activate(page, "staff.care.find_submit");
    await expectShown(page, "staff.care.balance");
  };
  await L.runFlow(results, "staff member care", [
    ["the demo store and region managers and a member of the store", async () => {
      manager = demoStaff(server, "store_manager");
      region = demoStaff(server, "region_manager");
      member = await memberInScope(server, manager);
      token = await memberApi(server, member);
      before = await balanceOf(server, token);
    }],
    ["the store manager finds the member by phone: level 2, no full details offered", async () => {
      ctx = await L.openPage({ width: 1366, height: 768, dpr: 1 });
      const { page } = ctx;
      const t0 = Date.now();
      await openMember(page, manager);
      m.find_to_member_ms = Date.now() - t0;
      const name = await L.text(page, "staff.care.name");
      assert(name === member.masked, `name "${name}", the API's masked name "${member.masked}"`);
      assert(number(await L.attr(page, "staff.care.balance", "data-value")) === before, "balance differs from GET /me");
      assert(!(await L.exists(page, "staff.care.reveal")), "a store manager is offered full details");
      assert(!(await mirrorText(page)).includes(member.name), "the full name is on the page");
    }],
    ["+20 points with a reason, confirmed: balance, ledger row and audit row", async () => {
      const { page } = ctx;
      await L.el(page, "staff.care.adjust_points").fill("+20");
      await L.el(page, "staff.care.adjust_reason").fill("birthday drink missed");
      await L.activate(page, "staff.care.adjust_submit");
      await expectShown(page, "staff.care.confirm_text");
      const q = await L.text(page, "staff.care.confirm_text");
      assert(/Give 20 points/.test(q), `confirmation: ${q}`);
      assert((await balanceOf(server, token)) === before, "the change was sent before the confirmation");
      await L.activate(page, "staff.care.confirm_yes");
      await expectShown(page, "staff.care.result");
      await page.waitForFunction((want) => {
        const e = document.querySelector('#a11y [data-id="staff.care.balance"]');
        return e && Number((e.getAttribute("data-value") || "").replace(/[^0-9]/g, "")) === want;
      }, before + 20, { timeout: T });
      assert((await balanceOf(server, token)) === before + 20, "GET /me did not rise by 20");
      const ledger = await L.api(server.url, "GET", "/me/ledger?limit=1", { token });
      const entry = ledger.json.entries[0];
      assert(entry.type === "adjust" && entry.points === 20, `newest ledger entry ${JSON.stringify(entry)}`);
      await expectShown(page, `staff.care.l${entry.id}.what`);
      const row = await L.text(page, `staff.care.l${entry.id}.what`);
      assert(row.startsWith("+20"), `ledger row: ${row}`);
      assert((await L.text(page, `staff.care.l${entry.id}.why`)).includes("birthday drink missed"), "the reason is not in the row");
      await L.activate(page, "staff.care.tab.audit");
      await page.waitForFunction(() => [...document.querySelectorAll('#a11y [data-id$=".detail"]')]
        .some((e) => e.textContent.includes("birthday drink missed")), null, { timeout: T });
      const audit = await mirrorText(page);
      assert(audit.includes("Points adjusted") && audit.includes(manager.username), "the audit row does not name the manager");
      m.adjusted = { before, after: before + 20, ledger_id: entry.id };
      // The member, the change's result and the audit tab below it: a manager's taller screen.
      await page.setViewportSize({ width: 1366, height: 1500 });
      await shot(page, "staff-care.png");
      await page.setViewportSize({ width: 1366, height: 768 });
      await L.activate(page, "staff.sign_out");
      await expectShown(page, "staff.signin.username");
    }],
    ["the region manager reveals full details with a reason; the read is audited with it", async () => {
      const { page } = ctx;
      await openMember(page, region);
      await L.activate(page, "staff.care.reveal");
      await expectShown(page, "staff.care.reveal_reason");
      await L.el(page, "staff.care.reveal_reason").fill("member asked to check their phone");
      await L.activate(page, "staff.care.reveal_confirm");
      await expectShown(page, "staff.care.birthday");
      await page.waitForFunction((n) => {
        const e = document.querySelector('#a11y [data-id="staff.care.name"]');
        return e && e.textContent === n;
      }, member.name, { timeout: T });
      // The read is in the audit (as head office reads it: a region manager's own read carries no
      // store, and the staff audit lists rows of the caller's stores).
      const audit = await L.api(server.url, "GET", `/admin/audit?member_id=${member.id}&limit=100`,
                                { headers: { "X-Api-Key": server.keys.admin } });
      assert(audit.status === 200, `audit: ${audit.status} ${audit.text}`);
      const read = audit.json.entries.find((e) => e.action === "read_member_level3");
      assert(read && read.actor.username === region.username, `no level-3 read by ${region.username}: ${audit.text.slice(0, 400)}`);
      assert(read.detail.reason === "member asked to check their phone", `reason ${JSON.stringify(read.detail)}`);
      await shot(page, "staff-care-level3.png");
      assert(ctx.log.errors.length === 0, "page errors: " + ctx.log.errors.join("; "));
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
    results.push({ name: "staff: start the server", ok: false });
    console.log(`not ok - staff: start the server\n    ${e.message.split("\n").join("\n    ")}`);
  }
  if (server) {
    try {
      await counterFlow(server);
      await reportsFlow(server);
      await careFlow(server);
    } finally {
      await server.stop();
    }
  }
  fs.writeFileSync(path.join(OUT, "staff-metrics.json"), JSON.stringify(metrics, null, 2) + "\n");
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (metrics.counter && metrics.counter.scan_to_member_ms !== undefined)
    console.log(`  staff: scan to member view ${metrics.counter.scan_to_member_ms} ms (wall, incl. test driver)`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed || !results.length ? 1 : 0;
}

main().catch((e) => {
  console.log(`not ok - runner: ${e && e.stack ? e.stack : e}`);
  console.log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
  process.exitCode = 1;
});
