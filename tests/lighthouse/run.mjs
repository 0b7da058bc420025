// Lighthouse (mobile profile: simulated slow 4G and a 4x slower CPU) on one page, in Debian's
// Chromium (no browser download), for scripts/bench-client. Usage:
//   node run.mjs URL [CHROMIUM]      (default /usr/bin/chromium)
// Prints one line: RESULT score=N tbt_ms=N tti_ms=N lcp_ms=N fcp_ms=N si_ms=N
// (score 0-100; the rest are Lighthouse's simulated figures in ms).
// MD_LIGHTHOUSE_SAVE=PREFIX also writes PREFIX.json (the report) and PREFIX.trace.json (the trace,
// for reading its main-thread tasks in real time).
import fs from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [url, chromium = "/usr/bin/chromium"] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: chromium,
  chromeFlags: ["--headless=new", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-sandbox",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  // A run whose trace Lighthouse cannot read (e.g. NO_LCP on a loaded machine) is tried again, twice.
  let r, a;
  const v = (id) => Math.round(a[id]?.numericValue ?? NaN);
  for (let attempt = 0; attempt < 3; attempt++) {
    r = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance"] });
    a = r.lhr.audits;
    if (r.lhr.runtimeError) console.error(`lighthouse: ${r.lhr.runtimeError.code}: ${r.lhr.runtimeError.message}`);
    if (r.lhr.categories.performance.score !== null && !Number.isNaN(v("largest-contentful-paint"))) break;
    console.error(`lighthouse: no complete result (attempt ${attempt + 1})`);
  }
  if (process.env.MD_LIGHTHOUSE_SAVE) {
    fs.writeFileSync(`${process.env.MD_LIGHTHOUSE_SAVE}.json`, JSON.stringify(r.lhr));
    fs.writeFileSync(`${process.env.MD_LIGHTHOUSE_SAVE}.trace.json`, JSON.stringify(r.artifacts.Trace ?? {}));
  }
  console.log(`RESULT score=${Math.round((r.lhr.categories.performance.score ?? 0) * 100)} tbt_ms=${v("total-blocking-time")} ` +
    `tti_ms=${v("interactive")} lcp_ms=${v("largest-contentful-paint")} fcp_ms=${v("first-contentful-paint")} si_ms=${v("speed-index")}`);
} finally {
  await chrome.kill();
}
