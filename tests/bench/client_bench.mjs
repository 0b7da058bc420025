// Headless Chromium measurements of the portal for scripts/bench-client (playwright-core driving
// Debian's /usr/bin/chromium; no browser download). Usage:
//   node client_bench.mjs URL RUNS PLAYWRIGHT_CORE_DIR
// Per run (fresh profile each time): time to first frame (window.mdFirstFrameMs, set by
// web/bridge.js on the first drawn frame, ms since navigation start), then sign-in through the
// accessibility mirror (#a11y: real inputs/buttons that feed the client's event queue) as demo
// member 13800000001 / 123456, and the time from the click to the signed-in home's balance
// (data-id home.balance) entering the mirror (a MutationObserver's time; also when Playwright's poll saw it).
// After the last run: CPU used by the whole Chromium process tree (browser, renderer, GPU) while
// the signed-in home sits idle for 10 s, as a percentage of one core (once the portal's service
// worker, registered after start-up, is installed).
// Prints one line: RESULT first_frame_ms=a,b,c home_ms=a,b,c home_polled_ms=a,b,c idle_cpu_pct=x
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { watchHomeBalance } from "./home_watch.mjs";

const [url, runsArg, pwDir] = process.argv.slice(2);
const { chromium } = await import(path.join(pwDir, "index.mjs")).catch(() => import(path.join(pwDir, "index.js")));
const runs = Number(runsArg || 3);
const TICK = 100;  // clock ticks per second (USER_HZ on Linux)

function treeCpuTicks(root) {
  // Sum utime+stime of every process under `root` (by scanning /proc for the parent chain).
  const parent = new Map();
  const ticks = new Map();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(d), Number(f[1]));
      ticks.set(Number(d), Number(f[11]) + Number(f[12]));
    } catch {}
  }
  let sum = 0;
  for (const [pid, t] of ticks) {
    for (let p = pid; p > 1; p = parent.get(p) ?? 0) {
      if (p === root) { sum += t; break; }
    }
  }
  return sum;
}

const args = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-sandbox", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
const firsts = [], homes = [], polled = [];
let idle = NaN;
for (let i = 0; i < runs; i++) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "md-bench-client-"));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", headless: true, args,
    viewport: { width: 412, height: 915 } });
  const page = ctx.pages()[0] || (await ctx.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => window.mdFirstFrameMs !== undefined, null, { timeout: 60000 });
  firsts.push(await page.evaluate(() => window.mdFirstFrameMs));
  // Sign in through the mirror (data-id hooks, as tests/browser does).
  const el = (id) => page.locator(`#a11y [data-id="${id}"]`).first();
  await el("signin.phone").waitFor({ state: "attached", timeout: 30000 });
  await el("signin.phone").fill("13800000001");
  await el("signin.pin").fill("123456");
  await page.waitForFunction(() => { const b = document.querySelector('#a11y [data-id="signin.submit"]'); return b && !b.disabled; },
    null, { timeout: 10000, polling: 10 });
  const t0 = await page.evaluate(watchHomeBalance);
  await el("signin.submit").dispatchEvent("click");
  // Home: the balance is in the mirror.
  await page.waitForSelector('#a11y [data-id="home.balance"]', { state: "attached", timeout: 30000 });
  const seen = await page.evaluate(() => performance.now());
  const at = await page.evaluate(() => window.mdHomeAt);
  homes.push(Math.round(at - t0));
  polled.push(Math.round(seen - t0));
  if (i === runs - 1) {
    // The portal installs its service worker once, after start-up (the app shell fetched and hashed,
    // then stored): first-visit work, not the idle page, so it is waited for (15 s at most), and the
    // seconds after its activation (the browser still writing its cache) too, before measuring.
    await page.waitForFunction(async () => {
      const sw = navigator.serviceWorker;
      if (!sw || !window.isSecureContext) return true;
      const reg = await sw.getRegistration();
      return !!(reg && reg.active && !reg.installing && !reg.waiting);
    }, null, { timeout: 15000, polling: 200 }).catch(() => console.error("the service worker did not become active in 15 s"));
    await page.waitForTimeout(5000);  // let the page and the browser settle
    const a = treeCpuTicks(process.pid), ta = Date.now();
    await page.waitForTimeout(10000);
    const b = treeCpuTicks(process.pid), tb = Date.now();
    idle = ((b - a) / TICK) / ((tb - ta) / 1000) * 100;
  }
  if (errors.length) console.error("page errors: " + errors.join("; "));
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(`RESULT first_frame_ms=${firsts.join(",")} home_ms=${homes.join(",")} home_polled_ms=${polled.join(",")} ` +
  `idle_cpu_pct=${idle.toFixed(1)}`);
