// History-length benchmark for scripts/bench-server --mode history: does a member's history slow
// their requests? One member per history length N, each with one purchase a day for the last N days
// (built through the API with the test clock), then per member over one keep-alive connection the
// median of CALLS calls of: POST purchase, the first GET /me after it (uncached), GET /me again
// (cached), and a ledger page; plus the server's CPU time per purchase + first GET /me pair.
//
//   node history_bench.mjs BASE_URL ADMIN_KEY POS_KEY SERVER_PID "10 100 1000 5000" CALLS
// Prints one line per history length: "HISTORY n=.. purchase_ms=.. me_first_ms=.. me_cached_ms=..
// ledger_ms=.. cpu_us_pair=..".
import http from 'node:http';
import fs from 'node:fs';

const [base, adminKey, posKey, serverPid, lengthsArg, callsArg] = process.argv.slice(2);
const lengths = lengthsArg.split(/\s+/).filter(Boolean).map(Number).sort((a, b) => a - b);
const calls = Number(callsArg || 30);
const url = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(method, path, headers = {}, body = undefined) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const h = { ...headers };
    if (data !== undefined) { h['Content-Type'] = 'application/json'; h['Content-Length'] = Buffer.byteLength(data); }
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers: h, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
        else resolve({ ms, json: text ? JSON.parse(text) : null });
      });
    });
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

const admin = { 'X-Api-Key': adminKey };
const pos = { 'X-Api-Key': posKey };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const cpuTicks = () => {
  const stat = fs.readFileSync(`/proc/${serverPid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);  // utime + stime, 1/100 s
};
const day = 86400;
const start = Date.parse('2012-01-02T04:00:00Z') / 1000;
const maxN = lengths[lengths.length - 1];
const setClock = (t) => request('PUT', '/api/v1/admin/clock', admin, { now: new Date(t * 1000).toISOString() });

await setClock(start);
const members = [];
for (const n of lengths) {
  const phone = `137${String(Date.now() % 1e5).padStart(5, "0")}${String(members.length).padStart(3, "0")}`;
  const created = await request('POST', '/api/v1/admin/members', admin, { phone, name: `History ${n}`, pin: '123456' });
  members.push({ n, phone, id: created.json.id });
}
let txn = 0;
const run = `H${Date.now()}`;
for (let d = 1; d <= maxN; d++) {
  await setClock(start + d * day);
  for (const m of members) {
    if (m.n < maxN - d + 1) continue;  // member m buys on the last m.n days
    await request('POST', '/api/v1/pos/purchases', pos,
                  { txn_id: `${run}-${++txn}`, member: m.phone, amount: 3000 + (d % 7) * 500, store: 'S001' });
  }
  if (d % 500 === 0) process.stderr.write(`history: day ${d} of ${maxN}\n`);
}
await setClock(start + maxN * day + 3600);
for (const m of members) {
  const login = await request('POST', '/api/v1/auth/login', {}, { phone: m.phone, pin: '123456' });
  const auth = { Authorization: `Bearer ${login.json.token}` };
  const purchase = [], meFirst = [], meCached = [], ledger = [];
  await request('GET', '/api/v1/me', auth);  // warm: catch-up done, caches filled
  const c0 = cpuTicks();
  for (let i = 0; i < calls; i++) {
    purchase.push((await request('POST', '/api/v1/pos/purchases', pos,
                                 { txn_id: `${run}-${++txn}`, member: m.phone, amount: 3500, store: 'S001' })).ms);
    meFirst.push((await request('GET', '/api/v1/me', auth)).ms);
  }
  const cpuPair = ((cpuTicks() - c0) * 10000) / calls;
  for (let i = 0; i < calls; i++) meCached.push((await request('GET', '/api/v1/me', auth)).ms);
  for (let i = 0; i < calls; i++) ledger.push((await request('GET', '/api/v1/me/ledger?limit=50', auth)).ms);
  console.log(`HISTORY n=${m.n} purchase_ms=${median(purchase).toFixed(2)} me_first_ms=${median(meFirst).toFixed(2)} ` +
              `me_cached_ms=${median(meCached).toFixed(2)} ledger_ms=${median(ledger).toFixed(2)} cpu_us_pair=${cpuPair.toFixed(0)}`);
}
agent.destroy();
