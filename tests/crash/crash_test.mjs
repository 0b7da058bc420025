// Crash test: sustained mixed load against the real memberdesk-server, kill -9 at random moments,
// restart, and prove that nothing acknowledged was lost and the books still balance.
//
//   node tests/crash/crash_test.mjs --server BIN [--seconds 40] [--kills 6] [--workers 8] [--dir DIR] [--seed N]
//
// Load (workers in parallel, keep-alive): POS purchases (unique txn_id), member redemptions
// (unique Idempotency-Key), GET /me and /me/ledger, and concurrent duplicates (the same purchase
// sent twice at once, the same redemption key twice at once) which must get identical answers.
// Kills are spread over the run (random gaps, seeded). After the last restart it checks:
//   1. every purchase answered 201 is in the database (sqlite3 CLI), exactly once per txn_id
//   2. every redemption answered 201 is in the database with the points it reported
//   3. every session token handed out still works (sessions are writes too)
//   4. per member: ledger_total == SUM(ledger.points) == SUM(lots.remaining), no lot < 0 or > original,
//      the newest entry's balance_after == ledger_total, and GET /me balance + pending == ledger_total
//   5. replaying each acknowledged purchase returns the same status and body (idempotency survived)
// Exit 0 and "N passed, 0 failed" when all hold; 1 otherwise. Traffic goes to 127.0.0.1 only.
import { spawn, execFileSync } from "node:child_process";
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const SERVER = args.server || process.env.MEMBERDESK_SERVER_BIN;
const SECONDS = Number(args.seconds || 40);
const KILLS = Number(args.kills || 6);
const WORKERS = Number(args.workers || 8);
let seed = Number(args.seed || Date.now() % 1000000);
const DIR = args.dir || fs.mkdtempSync(path.join(os.tmpdir(), "memberdesk-crash-"));
fs.mkdirSync(DIR, { recursive: true });
const DB = path.join(DIR, "crash.db");
if (!SERVER) {
  console.error("crash_test: --server BIN (or MEMBERDESK_SERVER_BIN) is required");
  process.exit(2);
}
console.log(`crash_test: seed ${seed}, ${SECONDS} s, ${KILLS} kills, ${WORKERS} workers, db ${DB}`);

function rand() {  // mulberry32, seeded: the kill schedule and the load mix are reproducible
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const PHONES = ["13800000001", "13800000002", "13800000003", "13800000004"];
let port = 0;
let server = null;
let posKey = "";
let generation = 0;      // server incarnation; bumps on every kill
let agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

const failures = [];
const fail = (msg) => { failures.push(msg); console.error("FAIL: " + msg); };
const stats = { purchases: 0, redemptions: 0, reads: 0, dupPurchases: 0, dupRedemptions: 0, dupMixed: 0, unknown: 0, refused: 0 };

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

function request(method, p, { body, headers = {} } = {}) {
  return new Promise((resolve) => {
    const data = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    const req = http.request(
      { host: "127.0.0.1", port, method, path: p, agent, timeout: 10000,
        headers: { ...headers, ...(data !== undefined ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data) } : {}) } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", () => resolve({ status: 0, body: "" }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve({ status: 0, body: "" }));  // connection refused/reset: outcome unknown
    if (data !== undefined) req.write(data);
    req.end();
  });
}

async function startServer() {
  const out = fs.openSync(path.join(DIR, "server.log"), "a");
  server = spawn(SERVER, ["--demo", "--db", DB, "--port", String(port), "--program", "coffee"], {
    stdio: ["ignore", "pipe", out],
  });
  let text = "";
  server.stdout.on("data", (d) => { text += d; fs.appendFileSync(path.join(DIR, "server.log"), d); });
  for (let i = 0; i < 600; i++) {
    const r = await request("GET", "/healthz");
    if (r.status === 200) break;
    if (server.exitCode !== null) throw new Error("server exited: see " + path.join(DIR, "server.log"));
    await sleep(25);
  }
  const m = /POS key \(X-Api-Key\):\s+(\S+)/.exec(text);
  if (m) posKey = m[1];
  if (!posKey) throw new Error("no POS key in the server's --demo output");
}

function kill9() {
  generation++;
  const s = server;
  server = null;
  return new Promise((resolve) => {
    s.once("exit", () => resolve());
    s.kill("SIGKILL");
  });
}

// --- what the server acknowledged ------------------------------------------------------------
const ackedPurchases = new Map();   // txn_id -> {body, answer}
const ackedRedemptions = new Map(); // idempotency key -> {member, id, points}
const tokens = new Map();           // phone -> token

async function login(phone) {
  for (;;) {
    const r = await request("POST", "/api/v1/auth/login", { body: { phone, pin: "123456" } });
    if (r.status === 200) { tokens.set(phone, JSON.parse(r.body).token); return; }
    if (r.status !== 0) throw new Error(`login ${phone}: ${r.status} ${r.body}`);
    await sleep(50);
  }
}

let txnSeq = 0;
let keySeq = 0;
const runId = Date.now().toString(36);

async function purchase(dup) {
  const body = { txn_id: `C${runId}-${++txnSeq}`, member: pick(PHONES), amount: 1000 + Math.floor(rand() * 60000), store: "S001" };
  const send = () => request("POST", "/api/v1/pos/purchases", { body, headers: { "X-Api-Key": posKey } });
  const answers = dup ? await Promise.all([send(), send()]) : [await send()];
  const ok = answers.filter((a) => a.status === 201);
  if (dup && answers[0].status !== 0 && answers[1].status !== 0) {
    stats.dupPurchases++;
    if (answers[0].status !== answers[1].status || answers[0].body !== answers[1].body)
      fail(`concurrent duplicate purchase ${body.txn_id}: answers differ: ${answers[0].status} vs ${answers[1].status}`);
  }
  if (ok.length) { ackedPurchases.set(body.txn_id, { body, answer: ok[0].body }); stats.purchases++; }
  else if (answers.every((a) => a.status === 0)) stats.unknown++;
  else if (!answers.some((a) => a.status === 0)) fail(`purchase ${body.txn_id}: ${answers[0].status} ${answers[0].body}`);
}

let rewards = null;
let firstRedemptionId = 0;
async function redemption(dup) {
  const phone = pick(PHONES);
  const token = tokens.get(phone);
  if (!rewards) {
    const r = await request("GET", "/api/v1/rewards", { headers: { Authorization: `Bearer ${token}` } });
    if (r.status !== 200) return;
    rewards = JSON.parse(r.body).rewards.filter((x) => !x.min_tier).map((x) => x.id);
    if (!rewards.length) rewards = JSON.parse(r.body).rewards.map((x) => x.id);
  }
  const key = `K${runId}-${++keySeq}`;
  const reward = pick(rewards);
  const send = () => request("POST", "/api/v1/me/redemptions", {
    body: { reward_id: reward },
    headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": key },
  });
  const answers = dup ? await Promise.all([send(), send()]) : [await send()];
  if (dup && answers[0].status !== 0 && answers[1].status !== 0) {
    stats.dupRedemptions++;
    // Refusals (409 insufficient_points ...) are not stored under the key (nothing was deducted), so
    // a concurrent twin may be judged against another balance; what must hold is one deduction:
    // two 201s carry the very same body (the same redemption), never two redemptions.
    const [a, b] = answers;
    if (a.status === 201 && b.status === 201 && a.body !== b.body)
      fail(`concurrent duplicate redemption ${key}: two different 201 answers:\n  ${a.body}\n  ${b.body}`);
    if ((a.status === 201) !== (b.status === 201)) stats.dupMixed++;
  }
  const ok = answers.find((a) => a.status === 201);
  if (ok) {
    const v = JSON.parse(ok.body);
    ackedRedemptions.set(key, { phone, id: v.id, points: v.points });
    stats.redemptions++;
  } else if (answers.every((a) => a.status === 0)) stats.unknown++;
  else if (answers.some((a) => a.status === 409)) stats.refused++;  // insufficient_points, out_of_stock, tier
  else if (!answers.some((a) => a.status === 0)) fail(`redemption ${key}: ${answers[0].status} ${answers[0].body}`);
}

async function read() {
  const phone = pick(PHONES);
  const p = rand() < 0.5 ? "/api/v1/me" : "/api/v1/me/ledger?limit=50";
  const r = await request("GET", p, { headers: { Authorization: `Bearer ${tokens.get(phone)}` } });
  if (r.status === 200) stats.reads++;
  else if (r.status === 401) fail(`GET ${p}: token of ${phone} refused (401) though it was acknowledged`);
  else if (r.status !== 0) fail(`GET ${p}: ${r.status} ${r.body}`);
}

let running = true;
async function worker() {
  while (running) {
    if (!server) { await sleep(20); continue; }
    const x = rand();
    if (x < 0.40) await purchase(false);
    else if (x < 0.50) await purchase(true);
    else if (x < 0.62) await redemption(false);
    else if (x < 0.68) await redemption(true);
    else await read();
  }
}

function sql(q) {
  return execFileSync("sqlite3", ["-batch", "-noheader", "-separator", "|", DB, q], { encoding: "utf8" }).trim();
}

async function main() {
  port = await freePort();
  await startServer();
  firstRedemptionId = Number(sql("SELECT coalesce(max(id), 0) FROM redemptions"));
  for (const ph of PHONES) await login(ph);
  const workers = Array.from({ length: WORKERS }, () => worker());
  const t0 = Date.now();
  let kills = 0;
  while (kills < KILLS && Date.now() - t0 < SECONDS * 1000) {
    const left = SECONDS * 1000 - 2000 - (Date.now() - t0);
    if (left <= 0) break;
    await sleep(Math.min(left, ((SECONDS * 1000) / (KILLS + 1)) * (0.5 + rand())));  // spread over the run
    await kill9();
    kills++;
    agent.destroy();
    agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    await sleep(rand() * 300);
    await startServer();
    console.log(`kill -9 #${kills} at ${((Date.now() - t0) / 1000).toFixed(1)} s; acknowledged so far: ` +
      `${ackedPurchases.size} purchases, ${ackedRedemptions.size} redemptions`);
  }
  while (Date.now() - t0 < SECONDS * 1000 - 3000 && kills >= KILLS) await sleep(200);
  await sleep(500);
  await kill9();                 // the last one lands under load too
  running = false;
  await Promise.all(workers);
  agent.destroy();
  agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  await startServer();
  console.log(`load done: ${JSON.stringify(stats)}; checking`);

  const checks = [];
  const check = (name, ok, detail) => { checks.push({ name, ok }); if (!ok) fail(`${name}: ${detail}`); };

  // 1. purchases
  const rows = new Map(sql(`SELECT txn_id, count(*) FROM purchases WHERE txn_id LIKE 'C${runId}-%' GROUP BY txn_id`)
    .split("\n").filter(Boolean).map((l) => l.split("|")));
  const missingP = [...ackedPurchases.keys()].filter((t) => !rows.has(t));
  check("acknowledged purchases present", missingP.length === 0, `${missingP.length} missing, e.g. ${missingP.slice(0, 5)}`);
  const dupRows = [...rows.entries()].filter(([, n]) => n !== "1");
  check("one row per txn_id", dupRows.length === 0, `${dupRows.length} duplicated`);
  // 2. redemptions
  const red = new Map(sql("SELECT id, points FROM redemptions").split("\n").filter(Boolean).map((l) => l.split("|")));
  const missingR = [...ackedRedemptions.values()].filter((r) => red.get(String(r.id)) !== String(r.points));
  check("acknowledged redemptions present", missingR.length === 0, `${missingR.length} missing/different`);
  const idem = Number(sql(`SELECT count(*) FROM idempotency WHERE scope = 'redemption' AND key LIKE '%:K${runId}-%'`));
  check("redemption idempotency keys stored", idem >= ackedRedemptions.size, `${idem} keys < ${ackedRedemptions.size} acknowledged`);
  const madeInRun = Number(sql(`SELECT count(*) FROM redemptions WHERE id > ${firstRedemptionId}`));
  check("one redemption per idempotency key (no double deduction)", madeInRun === idem,
    `${madeInRun} redemptions made for ${idem} keys`);
  // 3. sessions
  for (const [phone, token] of tokens) {
    const r = await request("GET", "/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });
    check(`session of ${phone} survived`, r.status === 200, `GET /me -> ${r.status}`);
    if (r.status === 200) {
      // 4b. API view against the books (GET /me has just persisted any due catch-up)
      const pts = JSON.parse(r.body).points;
      const id = JSON.parse(r.body).profile.id;
      const total = Number(sql(`SELECT ledger_total FROM members WHERE id = ${id}`));
      check(`member ${id}: GET /me balance + pending == ledger_total`, pts.balance + pts.pending === total,
        `${pts.balance} + ${pts.pending} != ${total}`);
    }
  }
  // 4. books
  const books = sql(`SELECT m.id, m.ledger_total,
      (SELECT coalesce(sum(points), 0) FROM ledger l WHERE l.member_id = m.id),
      (SELECT coalesce(sum(remaining), 0) FROM lots o WHERE o.member_id = m.id),
      (SELECT count(*) FROM lots o WHERE o.member_id = m.id AND (remaining < 0 OR remaining > original)),
      coalesce((SELECT balance_after FROM ledger l WHERE l.member_id = m.id ORDER BY id DESC LIMIT 1), 0)
    FROM members m`).split("\n").filter(Boolean).map((l) => l.split("|").map(Number));
  for (const [id, total, ledgerSum, lotSum, badLots, lastAfter] of books) {
    check(`member ${id}: ledger_total == sum(ledger.points)`, total === ledgerSum, `${total} != ${ledgerSum}`);
    check(`member ${id}: ledger_total == sum(lots.remaining)`, total === lotSum, `${total} != ${lotSum}`);
    check(`member ${id}: no lot < 0 or > original`, badLots === 0, `${badLots} bad lots`);
    check(`member ${id}: newest balance_after == ledger_total`, lastAfter === total, `${lastAfter} != ${total}`);
  }
  // 5. idempotent replay of acknowledged purchases (a sample of up to 200)
  const sample = [...ackedPurchases.values()].slice(-200);
  let replayBad = 0;
  for (const p of sample) {
    const r = await request("POST", "/api/v1/pos/purchases", { body: p.body, headers: { "X-Api-Key": posKey } });
    if (r.status !== 201 || r.body !== p.answer) replayBad++;
  }
  check("replayed purchases get the acknowledged answer", replayBad === 0, `${replayBad} of ${sample.length} differ`);
  const conflict = sample.length
    ? await request("POST", "/api/v1/pos/purchases", { body: { ...sample[0].body, amount: sample[0].body.amount + 1 }, headers: { "X-Api-Key": posKey } })
    : { status: 409 };
  check("same txn_id, different body -> 409", conflict.status === 409, `got ${conflict.status}`);

  await kill9();
  const passed = checks.filter((c) => c.ok).length;
  const failedChecks = checks.length - passed;
  console.log(`crash_test: ${kills + 1} kill -9s, ${ackedPurchases.size} purchases and ${ackedRedemptions.size} redemptions acknowledged, ` +
    `${stats.reads} reads, ${stats.dupPurchases}+${stats.dupRedemptions} concurrent duplicate pairs ` +
    `(${stats.dupMixed} redemption pairs got 201 + 409), ${stats.unknown} in flight at a kill`);
  if (failures.length && failedChecks === 0) console.log(`load-phase failures: ${failures.length}`);
  const nFailed = failedChecks + (failedChecks === 0 && failures.length ? 1 : 0);
  console.log(`${passed} passed, ${nFailed} failed`);
  if (!nFailed && !args.keep) fs.rmSync(DIR, { recursive: true, force: true });
  process.exit(nFailed ? 1 : 0);
}

main().catch(async (e) => {
  console.error("crash_test: " + (e.stack || e));
  if (server) server.kill("SIGKILL");
  console.log("0 passed, 1 failed");
  process.exit(1);
});
