// Helpers for the browser tests: the real server with demo data, Debian's Chromium through
// playwright-core, the accessibility mirror, PNG pixel checks and process CPU time.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const zlib = require("zlib");
const { spawn } = require("child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const CHROMIUM = process.env.MD_CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

// ---------------------------------------------------------------------------------- server ----

// MD_BROWSER_HTTPS=1: the server runs HTTPS with a throwaway self-signed certificate (made here
// with openssl); the browser and node's fetch accept it.
const HTTPS = process.env.MD_BROWSER_HTTPS === "1";
if (HTTPS) process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";  // the throwaway certificate, tests only

function selfSignedCert(dir) {
  const cert = path.join(dir, "test.crt"), key = path.join(dir, "test.key");
  require("child_process").execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt",
    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { stdio: "ignore" });
  return ["--tls-cert", cert, "--tls-key", key];
}

// Starts memberdesk-server --demo on a free port (--port 0: the server picks and prints it) with a
// fresh database in a temp dir. Resolves to {url, port, logins:[{phone,pin,name,tier}], keys, stop()}.
// `port`: a fixed one instead (a second server at the same origin, e.g. the next build).
function startServer({ bin, web, program = "coffee", timeoutMs = 60000, port = 0 }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "md-browser-"));
  const db = path.join(dir, "memberdesk.db");
  const tls = HTTPS ? selfSignedCert(dir) : [];
  const child = spawn(bin, ["--demo", "--db", db, "--port", String(port), "--program", program, "--web", web, ...tls],
                      { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error("server did not print its demo logins in time")), timeoutMs);
    function fail(e) {
      clearTimeout(timer);
      try { child.kill("SIGKILL"); } catch (_) {}
      reject(new Error(e.message + "\n--- server stdout ---\n" + out + "\n--- server stderr ---\n" + err));
    }
    child.on("error", fail);
    child.on("exit", (code, sig) => fail(new Error(`server exited early (code ${code}, signal ${sig})`)));
    child.stderr.on("data", (d) => { err += d; });
    child.stdout.on("data", (d) => {
      out += d;
      // The demo block ends with the kiosk URL line.
      if (!/\n\s*kiosk:\s+https?:/.test(out)) return;
      const m = /listening on (https?:\/\/[0-9.]+:(\d+))\//.exec(out);
      if (!m) return fail(new Error("no 'listening on' line"));
      const logins = [];
      // "    13800000003    123456   张伟 (Elite)" (anything after the tier, e.g. ", points: 534", is ignored)
      const re = /^\s+(\d{11})\s+(\d{4,8})\s+(.+?) \((\w+)\)/gm;
      let l;
      while ((l = re.exec(out))) logins.push({ phone: l[1], pin: l[2], name: l[3], tier: l[4] });
      if (!logins.length) return fail(new Error("no demo logins printed"));
      const key = (name) => { const k = new RegExp(name + " key[^:]*:\\s+(\\S+)").exec(out); return k ? k[1] : ""; };
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({
        url: m[1] + "/",
        port: Number(m[2]),
        logins,
        keys: { admin: key("admin"), pos: key("POS"), kiosk: key("kiosk") },
        // Everything the server printed so far (under --demo: the one-time codes it sends).
        output: () => out,
        stop: () => new Promise((res) => {
          if (child.exitCode !== null) return res();
          child.once("exit", () => { fs.rmSync(dir, { recursive: true, force: true }); res(); });
          child.kill("SIGTERM");
          setTimeout(() => { try { child.kill("SIGKILL"); } catch (_) {} }, 5000).unref();
        }),
      });
    });
  });
}

// The one-time codes the demo server printed for `phone` ("memberdesk: demo: code 123456 sent to ..."),
// oldest first.
function demoCodes(server, phone) {
  const re = /memberdesk: demo: code (\d{6}) sent to (\S+)/g;
  const codes = [];
  let m;
  while ((m = re.exec(server.output()))) if (m[2] === phone) codes.push(m[1]);
  return codes;
}

// Waits until the demo server has printed more than `seen` codes for `phone`; the newest one.
async function waitDemoCode(server, phone, seen = 0, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const codes = demoCodes(server, phone);
    if (codes.length > seen) return codes[codes.length - 1];
    if (Date.now() > end) throw new Error(`no code printed for ${phone} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Plain API calls from node (to cross-check what the page shows).
async function api(base, method, p, { token, body, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = "Bearer " + token;
  if (body !== undefined) h["Content-Type"] = "application/json";
  const r = await fetch(base + "api/v1" + p, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (_) {}
  return { status: r.status, json, text };
}

// --------------------------------------------------------------------------------- browser ----

// A fresh browser (Playwright gives it a new temp --user-data-dir) and a page for a viewport.
// Collects page errors, console errors and every request.
async function openPage(vp) {
  const { chromium } = require("playwright-core");
  const b = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const context = await b.newContext({
    viewport: { width: vp.width, height: vp.height },
    deviceScaleFactor: vp.dpr,
    isMobile: !!vp.mobile,
    hasTouch: !!vp.touch,
    locale: "en-US",
    ignoreHTTPSErrors: HTTPS,
  });
  const page = await context.newPage();
  const log = { errors: [], requests: [], console: [] };
  // Anything the server's Content-Security-Policy blocks is a page error (every test checks those).
  await page.exposeFunction("mdCspViolation", (v) => log.errors.push("CSP violation: " + v));
  await page.addInitScript(() => document.addEventListener("securitypolicyviolation", (e) =>
    window.mdCspViolation(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber)));
  page.on("pageerror", (e) => log.errors.push(String(e && e.message ? e.message : e)));
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    log.console.push(m.text());
    if (/Content Security Policy/i.test(m.text())) log.errors.push("CSP: " + m.text());
  });
  page.on("request", (r) => log.requests.push({ url: r.url(), at: Date.now() }));
  return { browser: b, context, page, log };
}

// Waits until the mirror satisfies `pred(mirrorRootElement)` (evaluated in the page).
async function waitMirror(page, fn, arg, timeoutMs = 20000) {
  await page.waitForFunction(fn, arg, { timeout: timeoutMs, polling: 50 });
}

// The mirror element with data-id `id` (buttons, texts, inputs; options are radios).
function el(page, id) {
  return page.locator(`#a11y [data-id="${id}"]`);
}

async function exists(page, id) {
  return (await el(page, id).count()) > 0;
}

async function waitFor(page, id, timeoutMs = 20000) {
  await page.waitForSelector(`#a11y [data-id="${id}"]`, { state: "attached", timeout: timeoutMs });
}

async function text(page, id) {
  return (await el(page, id).first().textContent()) || "";
}

async function attr(page, id, name) {
  return el(page, id).first().getAttribute(name);
}

// Activates a mirrored control the way assistive technology does (a DOM click on the element).
async function activate(page, id) {
  const loc = el(page, id).first();
  await loc.waitFor({ state: "attached", timeout: 20000 });
  await waitEnabled(page, id);
  await loc.dispatchEvent("click");
}

// Input reaches the client on its next frame, so a control the last input enables (Send after the
// last answer) is enabled a frame later: give it that moment (as a person would), then refuse.
async function waitEnabled(page, id, timeoutMs = 5000) {
  try {
    await page.waitForFunction((s) => { const e = document.querySelector(s); return e && !e.disabled; },
                               `#a11y [data-id="${id}"]`, { timeout: timeoutMs, polling: 50 });
  } catch (_) {
    throw new Error(`mirror control ${id} is disabled`);
  }
}

// The on-canvas centre (CSS px) of a mirrored control, from its data-rect.
async function centre(page, id, timeoutMs = 10000) {
  const sel = `#a11y [data-id="${id}"]`;
  await page.waitForFunction((s) => { const e = document.querySelector(s); return e && e.getAttribute("data-rect"); },
                             sel, { timeout: timeoutMs, polling: 50 });
  const r = (await page.locator(sel).first().getAttribute("data-rect")).split(",").map(Number);
  return { x: r[0] + r[2] / 2, y: r[1] + r[3] / 2, w: r[2], h: r[3] };
}

// Frames the client has drawn so far.
function framesDrawn(page) {
  return page.evaluate(() => (window.Module && Module._md_frames_drawn ? Module._md_frames_drawn() : -1));
}

// Waits until the client stops drawing (no new frame for `quietMs`).
async function settle(page, quietMs = 400, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  let last = await framesDrawn(page);
  let since = Date.now();
  while (Date.now() < end) {
    await page.waitForTimeout(100);
    const n = await framesDrawn(page);
    if (n !== last) { last = n; since = Date.now(); }
    else if (Date.now() - since >= quietMs) return;
  }
}

// ------------------------------------------------------------------------------------- PNG ----

// Decodes an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium's screenshots are).
function decodePng(buf) {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG");
  let off = 8, width = 0, height = 0, depth = 0, ctype = 0, interlace = 0;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString("ascii", off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      depth = data[8]; ctype = data[9]; interlace = data[12];
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    off += 12 + len;
  }
  if (depth !== 8 || (ctype !== 2 && ctype !== 6) || interlace) throw new Error(`unsupported PNG (depth ${depth}, type ${ctype})`);
  const bpp = ctype === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const px = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = px.subarray(y * stride, (y + 1) * stride);
    const up = y ? px.subarray((y - 1) * stride, y * stride) : null;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? row[x - bpp] : 0;
      const b = up ? up[x] : 0;
      const c = up && x >= bpp ? up[x - bpp] : 0;
      let v = src[x];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      row[x] = v & 255;
    }
  }
  return { width, height, bpp, px };
}

// How much a screenshot varies: distinct colours and the share of pixels unlike the most common.
function pixelStats(png) {
  const { width, height, bpp, px } = decodePng(png);
  const counts = new Map();
  for (let i = 0; i < width * height; i++) {
    const o = i * bpp;
    const k = (px[o] << 16) | (px[o + 1] << 8) | px[o + 2];
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  let top = 0, topColour = 0;
  counts.forEach((n, k) => { if (n > top) { top = n; topColour = k; } });
  const r = topColour >> 16, g = (topColour >> 8) & 255, b = topColour & 255;
  return { width, height, colours: counts.size, varied: 1 - top / (width * height),
           background: { r, g, b, luma: Math.round(0.299 * r + 0.587 * g + 0.114 * b) } };
}

// ------------------------------------------------------------------------------------- CPU ----

const CLK_TCK = 100;  // USER_HZ on Linux

function cpuTicks(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]);  // utime + stime
  } catch (_) {
    return 0;
  }
}

// Chromium's child processes of `rootPid` by --type (renderer, gpu-process, utility, ...).
function chromiumChildren(rootPid) {
  const kids = new Map();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      // Chromium's children rewrite their command line into one space-separated string.
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, "utf8").replace(/\0/g, " ");
      kids.set(Number(d), { ppid, cmd });
    } catch (_) {}
  }
  const out = [];
  const walk = (pid) => {
    kids.forEach((v, k) => {
      if (v.ppid === pid) {
        const t = / --type=(\S+)/.exec(v.cmd);
        out.push({ pid: k, type: t ? t[1] : "browser" });
        walk(k);
      }
    });
  };
  walk(rootPid);
  return out;
}

// A flow is a list of [name, async fn] steps; once one fails, the rest are reported as failed
// without running. Each step's outcome is pushed to `results` as {name, ok}.
async function runFlow(results, prefix, steps) {
  let broken = null;
  for (const [name, fn] of steps) {
    const full = `${prefix}: ${name}`;
    if (broken) {
      results.push({ name: full, ok: false });
      console.log(`not ok - ${full} (not run: "${broken}" failed)`);
      continue;
    }
    const t0 = Date.now();
    try {
      await fn();
      results.push({ name: full, ok: true });
      console.log(`ok - ${full} (${Date.now() - t0} ms)`);
    } catch (e) {
      results.push({ name: full, ok: false });
      console.log(`not ok - ${full}\n    ${String(e && e.stack ? e.stack : e).split("\n").slice(0, 6).join("\n    ")}`);
      broken = name;
    }
  }
}

module.exports = {
  ROOT, CHROMIUM, CHROMIUM_ARGS, startServer, demoCodes, waitDemoCode, api, openPage, waitMirror, el, exists, waitFor, text, attr,
  activate, waitEnabled, centre, framesDrawn, settle, decodePng, pixelStats, cpuTicks, chromiumChildren, CLK_TCK,
  runFlow,
};
