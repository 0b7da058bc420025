// Where the portal's time goes, for scripts/bench-client --trace: one Chromium performance trace
// (playwright-core driving Debian's /usr/bin/chromium) of start-up and of sign-in -> home.
//   node client_trace.mjs URL PLAYWRIGHT_CORE_DIR [CPU_SLOWDOWN] [TRACE_OUT]
// Prints, in ms since navigation start: when each file arrived (Resource Timing), the first frame,
// and every main-thread task of 50 ms or more with what ran in it (script evaluation, a JS/wasm
// call by name, wasm compilation, animation frame, GC, layout/paint); then the same for the
// sign-in click up to the signed-in home, with the API requests it made. CPU_SLOWDOWN (default 1)
// slows the renderer's CPU as Lighthouse's mobile profile does (4).
import fs from "node:fs";
import path from "node:path";
import { watchHomeBalance } from "./home_watch.mjs";

const [url, pwDir, slowArg, traceOut] = process.argv.slice(2);
const { chromium } = await import(path.join(pwDir, "index.mjs")).catch(() => import(path.join(pwDir, "index.js")));
const slow = Number(slowArg || 1);

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true,
  args: ["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-sandbox", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"] });
const ctx = await browser.newContext({ viewport: { width: 412, height: 915 } });
const page = await ctx.newPage();
if (slow > 1) {
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: slow });
}
await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8",
  "v8.execute", "v8.wasm", "blink.user_timing", "loading", "toplevel"] });
await page.goto(url);
await page.waitForFunction(() => window.mdFirstFrameMs !== undefined, null, { timeout: 60000 });
const firstFrame = await page.evaluate(() => window.mdFirstFrameMs);
if (!process.env.MD_TRACE_NOW) await page.waitForTimeout(1500);  // what start-up leaves after the first frame
const startup = await page.evaluate(() => ({
  nav: performance.getEntriesByType("navigation")[0].toJSON(),
  res: performance.getEntriesByType("resource").map((e) => ({ name: e.name, start: e.startTime, end: e.responseEnd,
    size: e.transferSize, body: e.decodedBodySize })),
  marks: performance.getEntries().filter((e) => /^md-/.test(e.name) && (e.entryType === "mark" || e.entryType === "measure"))
    .map((e) => ({ name: e.name, start: e.startTime, dur: e.duration })),
}));
const nRes = startup.res.length;
const kiosk = /\/kiosk/.test(url);  // the kiosk: start-up only (its attract screen needs no sign-in)
const el = (id) => page.locator(`#a11y [data-id="${id}"]`).first();
if (!kiosk) {
await el("signin.phone").waitFor({ state: "attached", timeout: 30000 });
await el("signin.phone").fill("13800000001");
await el("signin.pin").fill("123456");
await page.waitForFunction(() => { const b = document.querySelector('#a11y [data-id="signin.submit"]'); return b && !b.disabled; },
  null, { timeout: 10000, polling: 10 });
if (!process.env.MD_TRACE_NOW) await page.waitForTimeout(300);
}
let t0 = 0, t1 = 0, homeAt = NaN;
if (!kiosk) {
  await page.evaluate(() => performance.mark("md-signin-click"));
  t0 = await page.evaluate(watchHomeBalance);
  await el("signin.submit").dispatchEvent("click");
  await page.waitForSelector('#a11y [data-id="home.balance"]', { state: "attached", timeout: 30000 });
  t1 = await page.evaluate(() => performance.now());
  homeAt = await page.evaluate(() => window.mdHomeAt ?? NaN);
  await page.waitForTimeout(1000);
}
const signinMarks = await page.evaluate((t) => performance.getEntries().filter((e) => /^md-/.test(e.name) &&
  e.entryType === "measure" && e.startTime >= t).map((e) => ({ name: e.name, start: e.startTime, dur: e.duration })), t0);
const signinRes = await page.evaluate((n) => performance.getEntriesByType("resource").slice(n).map((e) => ({ name: e.name,
  start: e.startTime, end: e.responseEnd, size: e.transferSize, body: e.decodedBodySize })), nRes);
const buf = await browser.stopTracing();
await browser.close();
if (traceOut) fs.writeFileSync(traceOut, buf);

const events = JSON.parse(buf.toString()).traceEvents ?? JSON.parse(buf.toString());
// The page's main thread: the CrRendererMain that ran the most top-level task time.
const names = new Map();
for (const e of events) if (e.ph === "M" && e.name === "thread_name") names.set(`${e.pid}:${e.tid}`, e.args.name);
const isTask = (e) => e.ph === "X" && (e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask");
const busy = new Map();
for (const e of events) {
  const k = `${e.pid}:${e.tid}`;
  if (isTask(e) && names.get(k) === "CrRendererMain") busy.set(k, (busy.get(k) ?? 0) + e.dur);
}
const main = [...busy.entries()].sort((a, b) => b[1] - a[1])[0][0];
const onMain = events.filter((e) => `${e.pid}:${e.tid}` === main && (e.ph === "X" || e.ph === "I" || e.ph === "R" || e.ph === "b"));
// Time origin: the navigation's start mark on that thread (the last one: the page's own document).
const navMarks = onMain.filter((e) => e.name === "navigationStart");
const origin = navMarks.length ? navMarks[navMarks.length - 1].ts : onMain[0].ts;
const clickMark = events.find((e) => e.name === "md-signin-click");
const ms = (ts) => (ts - origin) / 1000;

// Top-level tasks only (RunTask nests in ThreadControllerImpl::RunTask).
const tasks = [];
for (const t of onMain.filter(isTask).sort((a, b) => a.ts - b.ts || b.dur - a.dur)) {
  const last = tasks[tasks.length - 1];
  if (last && t.ts < last.ts + last.dur) continue;
  tasks.push(t);
}
const kids = onMain.filter((e) => e.ph === "X" && !isTask(e)).sort((a, b) => a.ts - b.ts);
function label(e) {
  const d = e.args?.data ?? {};
  const file = (u) => (u ? u.replace(/^.*\//, "") : "");
  switch (e.name) {
    case "EvaluateScript": return `evaluate ${file(d.url)}`;
    case "FunctionCall": return `call ${d.functionName || "(anonymous)"} ${file(d.url)}`.trim();
    case "FireAnimationFrame": return "animation frame";
    case "TimerFire": return "timer";
    case "EventDispatch": return `event ${d.type ?? ""}`;
    case "ParseHTML": return "parse HTML";
    case "v8.compile": case "V8.CompileCode": return `compile JS ${file(d.url)}`;
    default: return e.name;
  }
}
const interesting = /^(EvaluateScript|FunctionCall|FireAnimationFrame|TimerFire|EventDispatch|ParseHTML|v8\.compile|v8\.wasm\.|wasm\.|V8\.GC|MajorGC|MinorGC|Layout|Paint|UpdateLayoutTree|RunMicrotasks|V8\.Wasm|WebAssembly)/;
function describe(task) {
  const end = task.ts + task.dur;
  // Direct-ish parts: interesting events inside the task, not nested in another interesting one.
  const parts = [];
  let coveredTo = 0;
  for (const k of kids) {
    if (k.ts < task.ts || k.ts >= end || !interesting.test(k.name)) continue;
    if (k.ts < coveredTo) continue;
    parts.push(k);
    coveredTo = k.ts + (k.dur ?? 0);
  }
  const by = new Map();
  for (const p of parts) by.set(label(p), (by.get(label(p)) ?? 0) + (p.dur ?? 0));
  const top = [...by.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([n, d]) => `${n} ${(d / 1000).toFixed(0)}`);
  // Wasm compilation runs off the main thread too: name it when the task waits on it.
  return top.join("; ") || "(no detail)";
}
const fmt = (x) => x.toFixed(0).padStart(6);
const file = (u) => u.replace(/^https?:\/\/[^/]+/, "");
console.log(`# start-up (CPU slowdown ${slow}x), ms since navigation start`);
console.log(`document    ${fmt(startup.nav.requestStart)} -> ${fmt(startup.nav.responseEnd)}  ${startup.nav.transferSize} B`);
for (const r of startup.res)
  console.log(`file ${file(r.name).padEnd(28)} ${fmt(r.start)} -> ${fmt(r.end)}  ${r.size} B on the wire, ${r.body} B`);
console.log("client phases (User Timing from the client: md-main = main() (the shell, the first requests; " +
  "md-main-shell/-start its parts, md-main-fit/-requests the parts of -start); md-main-imgui = ImGui's context; " +
  "md-mode-start = the mode's start (stored settings, session); md-font-atlas = one text size's atlas; " +
  "md-warm-draw = a frame drawn and thrown away; md-start-drawing = GLFW's window and backend once the renderer is ready; " +
  "md-font-upload = the atlases' pixels handed to the renderer; md-frame = a whole frame >= 16 ms, " +
  "md-update/md-draw/md-gl-mirror = its parts >= 8 ms, md-gl/md-mirror packing the draw data and the mirror's DOM >= 4 ms):");
for (const m of startup.marks) console.log(`  ${m.name.padEnd(18)} ${fmt(m.start)} ${m.dur ? fmt(m.dur) + " ms" : ""}`);
console.log(`DOMContentLoaded ${fmt(startup.nav.domContentLoadedEventEnd)}; load ${fmt(startup.nav.loadEventEnd)}; first frame ${fmt(firstFrame)}`);
const clickTs = clickMark ? clickMark.ts : Infinity;
let longSum = 0, longN = 0, tbt = 0;
console.log("main-thread tasks >= 50 ms before the click (start, duration, what ran):");
for (const t of tasks) {
  if (t.dur < 50000 || t.ts >= clickTs) continue;
  longN++; longSum += t.dur; tbt += t.dur - 50000;
  console.log(`  ${fmt(ms(t.ts))} ${fmt(t.dur / 1000)}  ${describe(t)}`);
}
const scriptBefore = tasks.filter((t) => t.ts < clickTs).reduce((s, t) => s + t.dur, 0);
console.log(`  ${longN} long tasks, ${(longSum / 1000).toFixed(0)} ms; blocking time over 50 ms: ${(tbt / 1000).toFixed(0)} ms; ` +
  `all main-thread tasks: ${(scriptBefore / 1000).toFixed(0)} ms`);
if (kiosk) process.exit(0);
console.log(`# sign-in -> home: ${(t1 - t0).toFixed(0)} ms (click at ${t0.toFixed(0)}); ` +
  `home.balance entered the mirror at +${(homeAt - t0).toFixed(0)}`);
for (const r of signinRes)
  console.log(`  request ${file(r.name).padEnd(36)} +${fmt(r.start - t0)} -> +${fmt(r.end - t0)}  ${r.size} B on the wire, ${r.body} B`);
for (const m of signinMarks) console.log(`  ${m.name.padEnd(18)} +${fmt(m.start - t0)} ${fmt(m.dur)} ms`);
console.log("  main-thread tasks >= 10 ms from the click to home + 1 s (offset from the click, duration, what ran):");
for (const t of tasks) {
  if (t.dur < 10000 || t.ts < clickTs) continue;
  console.log(`  +${fmt((t.ts - clickTs) / 1000)} ${fmt(t.dur / 1000)}  ${describe(t)}`);
}
const after = tasks.filter((t) => t.ts >= clickTs && (t.ts - clickTs) / 1000 <= t1 - t0);
console.log(`  main-thread busy between click and home: ${(after.reduce((s, t) => s + t.dur, 0) / 1000).toFixed(0)} ms in ${after.length} tasks`);
