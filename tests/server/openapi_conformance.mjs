// Conformance check: calls every route of a running `--demo` server (demo keys, demo member
// 13800000003 / 123456, no --test-clock) and validates each answer's status and JSON body against
// docs/openapi.yaml. Not part of ctest (needs npm packages); run by hand, see docs/api.md:
//   D=$(mktemp -d) && (cd $D && npm init -y >/dev/null && npm i ajv@8 ajv-formats js-yaml) &&
//   NODE_PATH=$D/node_modules node tests/server/openapi_conformance.mjs http://127.0.0.1:18080
import {createRequire} from 'module';
import path from 'path';
import {fileURLToPath} from 'url';
import fs from 'fs';
// ES modules ignore NODE_PATH: resolve the packages through require, which honours it.
const require = createRequire(path.join(process.env.NODE_PATH || process.cwd(), 'x.js'));
const yaml = require('js-yaml');
const Ajv = require('ajv').default;
const addFormats = require('ajv-formats').default;
const here = path.dirname(fileURLToPath(import.meta.url));
const spec = yaml.load(fs.readFileSync(path.join(here, '..', '..', 'docs', 'openapi.yaml'), 'utf8'));
const ajv = new Ajv({strict: false, allErrors: true});
addFormats(ajv);
// OpenAPI 3.0 -> JSON schema: nullable, $ref paths
function conv(s) {
  if (Array.isArray(s)) return s.map(conv);
  if (!s || typeof s !== 'object') return s;
  const o = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref') o.$ref = v.replace('#/components/schemas/', '#/definitions/');
    else if (k !== 'nullable' && k !== 'example') o[k] = conv(v);
  }
  if (s.nullable) return {anyOf: [o, {type: 'null'}]};
  return o;
}
const defs = conv(spec.components.schemas);
const B = process.argv[2] || 'http://127.0.0.1:18080';
let fails = 0, n = 0;
const A = {'X-Api-Key': 'demo-admin-key-not-secret'}, P = {'X-Api-Key': 'demo-pos-key-not-secret'}, K = {'X-Kiosk-Key': 'demo-kiosk-key-not-secret'};
async function call(method, path, {headers = {}, body, op, status}) {
  const res = await fetch(B + path, {method, headers: {...headers, ...(body ? {'Content-Type': 'application/json'} : {})}, body: body ? JSON.stringify(body) : undefined});
  const text = await res.text();
  const tmpl = Object.keys(spec.paths).find(p => new RegExp('^' + p.replace(/\{[^}]+\}/g, '[^/]+') + '$').test(path.split('?')[0]));
  const resp = spec.paths[tmpl]?.[method.toLowerCase()]?.responses?.[String(res.status)];
  n++;
  if (status && res.status !== status) { fails++; console.log('STATUS', method, path, res.status, text.slice(0, 200)); }
  if (!resp) { fails++; console.log('UNDOCUMENTED', method, path, res.status); return text ? JSON.parse(text) : null; }
  let schema = resp.content?.['application/json']?.schema;
  if (resp.$ref) schema = spec.components.responses[resp.$ref.split('/').pop()].content['application/json'].schema;
  if (schema) {
    const v = ajv.compile({...conv(schema), definitions: defs});
    const j = JSON.parse(text);
    if (!v(j)) { fails++; console.log('SCHEMA', method, path, res.status, JSON.stringify(v.errors).slice(0, 400)); }
    return j;
  }
  return text ? (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) : null;
}
await call('GET', '/api/v1/program', {status: 200});
const s = await call('POST', '/api/v1/auth/login', {body: {phone: '13800000003', pin: '123456'}, status: 200});
const M = {Authorization: 'Bearer ' + s.token};
await call('POST', '/api/v1/auth/login', {body: {phone: '13800000003', pin: '000001'}, status: 401});
const me = await call('GET', '/api/v1/me', {headers: M, status: 200});
// Enough points for the redemption below on every run against the same database.
await call('POST', '/api/v1/admin/members/' + me.profile.id + '/adjust', {headers: A, body: {points: 300, reason: 'openapi check'}, status: 200});
await call('GET', '/api/v1/me/ledger?limit=5', {headers: M, status: 200});
await call('GET', '/api/v1/me/ledger?limit=500', {headers: M, status: 400});
await call('GET', '/api/v1/me/coupons', {headers: M, status: 200});
await call('GET', '/api/v1/rewards', {headers: M, status: 200});
await call('POST', '/api/v1/me/redemptions', {headers: {...M, 'Idempotency-Key': 'oa-' + Date.now()}, body: {reward_id: 'pastry'}, status: 201});
await call('POST', '/api/v1/me/redemptions', {headers: {...M, 'Idempotency-Key': 'oa2-' + Date.now()}, body: {reward_id: 'nope'}, status: 404});
await call('GET', '/api/v1/me/redemptions', {headers: M, status: 200});
const card = await call('GET', '/api/v1/me/card', {headers: M, status: 200});
await call('POST', '/api/v1/me/feedback', {headers: M, body: {rating: 4}, status: 201});
await call('GET', '/api/v1/me/export', {headers: M, status: 200});
const ks = await call('POST', '/api/v1/kiosk/login', {headers: K, body: {member_code: card.member_code}, status: 200});
await call('GET', '/api/v1/me/export', {headers: {Authorization: 'Bearer ' + ks.token}, status: 403});
const t = 'OA' + Date.now();
const pu = await call('POST', '/api/v1/pos/purchases', {headers: P, body: {txn_id: t, member: '13800000003', amount: 50000, store: 'S1'}, status: 201});
await call('POST', '/api/v1/pos/purchases', {headers: P, body: {txn_id: t + 'x', member: card.member_code, amount: 1000, store: 'S1'}, status: 201});
await call('POST', '/api/v1/pos/purchases', {headers: P, body: {txn_id: t + 'y', member: 'MNOPE', amount: 1000, store: 'S1'}, status: 404});
await call('POST', '/api/v1/pos/refunds', {headers: P, body: {txn_id: t, refund_id: t, amount: 10000}, status: 201});
const cp = pu.coupons_issued[0];
if (cp) await call('POST', '/api/v1/pos/coupons/redeem', {headers: P, body: {code: cp.code, order_amount: 80000, store: 'S1', txn_id: t}, status: 200});
const nm = await call('POST', '/api/v1/admin/members', {headers: A, body: {phone: '1391' + String(Date.now()).slice(-7), pin: '123456', name: 'OpenAPI'}, status: 201});
await call('GET', '/api/v1/admin/members?limit=2', {headers: A, status: 200});
await call('GET', '/api/v1/admin/members/' + nm.id, {headers: A, status: 200});
await call('PATCH', '/api/v1/admin/members/' + nm.id, {headers: A, body: {birthday: '1991-02-03'}, status: 200});
await call('POST', '/api/v1/admin/members/' + nm.id + '/adjust', {headers: A, body: {points: 5, reason: 'x'}, status: 200});
const ic = await call('POST', '/api/v1/admin/members/' + nm.id + '/coupons', {headers: A, body: {template: 'spend_back_10'}, status: 201});
await call('POST', '/api/v1/admin/coupons/' + ic.code + '/void', {headers: A, status: 200});
await call('GET', '/api/v1/admin/audit?limit=20', {headers: A, status: 200});
await call('PUT', '/api/v1/admin/clock', {headers: A, body: {now: '2027-01-01T00:00:00Z'}, status: 404});
await call('GET', '/healthz', {status: 200});
await call('POST', '/api/v1/auth/logout', {headers: M, status: 204});
console.log(`${n} calls, ${fails} problems`);
process.exit(fails ? 1 : 0);
