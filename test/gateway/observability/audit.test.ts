/**
 * The audit log: one line per fact (who, from where, what, on what, with
 * what outcome), in a private file of its own, never holding a password, a
 * token, a cookie or a whole identity number. The facts are driven through
 * a real gateway over real HTTP, as a person and a script would.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { fetch, FormData } from 'undici';
import { loadConfigFile } from '../../../config/load.js';
import { envelopeFor, generateKeys } from '../../../gateway/control/keys.js';
import { Gateway } from '../../../gateway/gateway.js';
import { containsIdNumber, maskIdNumber } from '../../../gateway/identifiers/mask.js';
import { NO_AUDIT, OncePerPeriod, openAuditLog, type AuditEvent } from '../../../gateway/observability/audit.js';
import { hashPassword } from '../../../gateway/status/security/password.js';
import { createReceiver } from '../../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../../helpers/business-db.js';
import { fillTemplate } from '../../helpers/filled-template.js';
import { idNumber, UPLOAD_ROWS } from '../../helpers/status-scenario.js';
import { until } from '../../helpers/wait.js';

type Line = AuditEvent & { at: string; level: number };

const read = (file: string): Line[] =>
  readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

t.test('the audit file is created private, and one that others can read is refused', { skip: process.platform === 'win32' }, async (t) => {
  const dir = t.testdir({ nested: {} });
  const file = join(dir, 'deeper', 'audit.log');
  const audit = openAuditLog(file);
  audit.record({ action: 'login', user: 'zhang', via: 'form', client: '10.1.2.3', outcome: 'ok' });
  audit.close();
  t.equal(statSync(file).mode & 0o777, 0o600);
  chmodSync(file, 0o644);
  t.throws(() => openAuditLog(file), { code: 'STATUS_AUDIT_FILE_UNSAFE', message: /mode 644: run chmod 600/ });
  writeFileSync(join(dir, 'nested', 'blocker'), '');
  t.throws(() => openAuditLog(join(dir, 'nested', 'blocker', 'audit.log')), { code: 'STATUS_AUDIT_FILE_UNWRITABLE', action: /status\.auditFile/ });
});

t.test('a line says who, how, from where, what, on what and with what outcome; identity numbers masked', async (t) => {
  const file = join(t.testdir({}), 'audit.log');
  const previous = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'error';
  t.teardown(() => (previous === undefined ? delete process.env.LOG_LEVEL : (process.env.LOG_LEVEL = previous)));
  const audit = openAuditLog(file);
  const id = idNumber('42020219800101002');
  audit.record({ action: 'file.upload', user: 'li\nforged line', via: 'session', client: '10.1.2.3', target: `P07-002_${id}.xlsx`, outcome: 'ok' });
  audit.record({ action: 'rejection.resend', user: 'x'.repeat(500), via: 'token', client: '10.1.2.4', target: 'rejection 7', outcome: 'RESEND_NEEDS_FILE', detail: `row of ${id}` });
  audit.close();
  audit.record({ action: 'logout', user: 'late', via: 'session', outcome: 'ok' });
  const lines = read(file);
  t.equal(lines.length, 2, 'LOG_LEVEL does not quiet the audit log; a closed log records nothing');
  t.match(lines[0], { action: 'file.upload', user: 'li?forged line', via: 'session', client: '10.1.2.3', target: `P07-002_${maskIdNumber(id)}.xlsx`, outcome: 'ok' });
  t.ok(Date.parse(lines[0]!.at) > 0, 'with the time');
  t.equal(lines[1]!.user?.length, 64, 'a name is cut to a sane length');
  t.equal(lines[1]!.detail, `row of ${maskIdNumber(id)}`);
  t.notOk(containsIdNumber(readFileSync(file, 'utf8')));
  t.doesNotThrow(() => NO_AUDIT.record(lines[0]!));
});

t.test('a repeated fact is recorded once per period', async (t) => {
  const once = new OncePerPeriod(1000);
  t.equal(once.first('a', 0), true);
  t.equal(once.first('a', 999), false);
  t.equal(once.first('b', 999), true, 'per key');
  t.equal(once.first('a', 1000), true, 'again when the period is over');
});

const ADMIN_PASSWORD = 'Audit-admin-pass-7f3e';
const ADMIN_TOKEN = 'Audit-admin-token-5d2a9c';
const VIEWER_TOKEN = 'Audit-viewer-token-11b8';

t.test('logins, token use, every admin action and every bundle leave one line each, and no secret', async (t) => {
  const dir = t.testdir({ drop: {}, bundles: {} });
  const business = createPenaltyDb(dir, 5, { invalid: [3] });
  t.teardown(() => business.db.close());
  const keys = generateKeys();
  writeFileSync(join(dir, 'center.pem'), keys.publicKeyPem);
  const file = writeTestConfig({ dir, businessDb: business.file, platformUrl: 'http://127.0.0.1:9/exchange' });
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown> & { sources?: unknown[] }>;
  config.gateway = { ...config.gateway, department: '市人社局', provider: 'P07' };
  config.status = {
    host: '127.0.0.1', port: 0, requireLogin: true,
    users: [{ name: 'zhang', role: 'admin', secretRef: 'zhang_pw' }, { name: 'ops-script', role: 'admin', secretRef: 'ops_token' }, { name: 'monitor', role: 'viewer', secretRef: 'monitor_token' }],
  };
  config.control = { publicKeyFile: 'center.pem', bundleFolder: './bundles' };
  (config as unknown as { sources: unknown[] }).sources.push({ name: 'drop', kind: 'folder', path: './drop', stableMs: 100 });
  writeFileSync(file, JSON.stringify(config));
  const loaded = loadConfigFile(file, {
    CREDIT_GATEWAY_SECRET_PLATFORM: 'x',
    CREDIT_GATEWAY_SECRET_ZHANG_PW: await hashPassword(ADMIN_PASSWORD),
    CREDIT_GATEWAY_SECRET_OPS_TOKEN: await hashPassword(ADMIN_TOKEN),
    CREDIT_GATEWAY_SECRET_MONITOR_TOKEN: await hashPassword(VIEWER_TOKEN),
  });
  const gateway = await Gateway.start(loaded, { logger: pino({ level: 'silent' }), softwareVersion: 'test', deliver: false });
  t.teardown(() => gateway.stop());
  await gateway.runJob('penalties');
  const auditFile = join(dir, 'data', 'audit.log');
  const base = gateway.statusUrl!.replace(/\/$/, '');
  const html = { accept: 'text/html' };
  const adminToken = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const viewerToken = { authorization: `Bearer ${VIEWER_TOKEN}` };
  const cookieOf = (res: Awaited<ReturnType<typeof fetch>>, earlier = '') =>
    [earlier, ...res.headers.getSetCookie().map((c) => c.split(';')[0]!)].filter(Boolean).join('; ');

  // --- logins: a wrong password, an unknown name, then the right one ---
  const loginPage = await fetch(`${base}/login`, { headers: html });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1]!;
  let cookies = cookieOf(loginPage);
  const login = (name: string, password: string) =>
    fetch(`${base}/login`, {
      method: 'POST', redirect: 'manual',
      headers: { ...html, cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name, password, next: '/', _csrf: csrf }).toString(),
    });
  t.equal((await login('zhang', 'not-the-password')).status, 401);
  t.equal((await login('nobody', ADMIN_PASSWORD)).status, 401);
  const ok = await login('zhang', ADMIN_PASSWORD);
  t.equal(ok.status, 303);
  cookies = cookieOf(ok, cookies);
  const sessionId = /cg_session=([^;]+)/.exec(cookies)![1]!;

  // --- token reads: recorded once per user and address; a wrong token every time ---
  for (let i = 0; i < 3; i++) t.equal((await fetch(`${base}/api/status`, { headers: viewerToken })).status, 200);
  t.equal((await fetch(`${base}/api/status`, { headers: { authorization: 'Bearer wrong-token-0000' } })).status, 401);
  t.equal((await fetch(`${base}/api/jobs/penalties/run`, { method: 'POST', headers: viewerToken })).status, 403, 'a viewer cannot act');

  // --- admin actions by the logged-in person, with the page's form token ---
  const uploadPage = await (await fetch(`${base}/upload`, { headers: { ...html, cookie: cookies } })).text();
  const formToken = decodeURIComponent(/name="_csrf" value="([^"]+)"/.exec(uploadPage)?.[1] ?? /_csrf=([^"&]+)/.exec(uploadPage)![1]!);
  const form = (path: string, fields: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST', redirect: 'manual',
      headers: { ...html, cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: formToken, ...fields }).toString(),
    });
  t.equal((await form('/jobs/penalties/run')).status, 303);
  t.equal((await form('/jobs/no-such-job/run')).status, 303);
  const person = idNumber('42020219700205031');
  const upload = new FormData();
  upload.append('category', 'P07-002');
  upload.append('file', new Blob([readFileSync(await fillTemplate(dir, 'P07-002', UPLOAD_ROWS, 'filled.xlsx'))]), `P07-002_${person}.xlsx`);
  const uploaded = await fetch(`${base}/upload?_csrf=${encodeURIComponent(formToken)}`, { method: 'POST', redirect: 'manual', headers: { ...html, cookie: cookies }, body: upload });
  t.equal(uploaded.status, 303);
  t.equal((await fetch(`${base}/jobs/penalties/run`, { method: 'POST', redirect: 'manual', headers: { cookie: cookies } })).status, 403, 'no form token: refused');

  // --- admin actions by a script's token ---
  const rejections = (await (await fetch(`${base}/api/rejections`, { headers: adminToken })).json()) as { items: { id: number }[] };
  const rejection = rejections.items[0]!.id;
  t.equal((await fetch(`${base}/api/rejections/${rejection}/resend`, { method: 'POST', headers: adminToken })).status, 200);
  t.equal((await fetch(`${base}/api/coverage/P07-002/declare`, { method: 'POST', headers: { ...adminToken, 'content-type': 'application/json' }, body: JSON.stringify({ note: '本期无新增' }) })).status, 200);
  const bundle = Buffer.from(JSON.stringify({ gatewayId: 'hs-test', version: 1, issuedAt: new Date().toISOString(), sources: loaded.config.sources, jobs: loaded.config.jobs }));
  const put = await fetch(`${base}/api/config/bundle`, { method: 'PUT', headers: { ...adminToken, 'content-type': 'application/json' }, body: JSON.stringify(envelopeFor(bundle, keys.privateKeyPem)) });
  t.equal(put.status, 200, 'the bundle is applied');

  // --- a bundle by the folder, with a signature that does not verify ---
  const forged = { ...envelopeFor(Buffer.from(JSON.stringify({ gatewayId: 'hs-test', version: 2, issuedAt: new Date().toISOString(), sources: [], jobs: [] })), generateKeys().privateKeyPem) };
  mkdirSync(join(dir, 'bundles'), { recursive: true });
  writeFileSync(join(dir, 'bundles', 'v2.json'), JSON.stringify(forged));

  // --- logout ---
  t.equal((await fetch(`${base}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: cookies } })).status, 303);

  const lines = await until(() => read(auditFile), (ls) => ls.some((l) => l.action === 'bundle' && l.via === 'folder'), 30_000);
  t.equal(statSync(auditFile).mode & 0o777, 0o600, 'the audit log is private');
  const find = (action: string, match: Partial<Line> = {}) => lines.filter((l) => l.action === action && Object.entries(match).every(([k, v]) => (l as unknown as Record<string, unknown>)[k] === v));
  const one = (action: string, match: Partial<Line>, what: string) => {
    const found = find(action, match);
    t.equal(found.length, 1, `${what}: one line`);
    // A bundle's outcome comes from the controller, which serves no client; the request that put it has its line.
    const fromRequest = match.via !== 'folder' && match.via !== 'admin';
    t.equal(found[0]?.client, fromRequest ? '127.0.0.1' : undefined, `${what}: ${fromRequest ? "from the client's address" : 'no client'}`);
    t.ok(Date.parse(found[0]?.at ?? '') > 0, `${what}: with the time`);
    return found[0];
  };

  one('login', { user: 'zhang', outcome: 'refused', detail: 'wrong password' }, 'a wrong password, with the name');
  one('login', { user: 'nobody', outcome: 'refused', detail: 'no such user' }, 'an unknown name, as typed');
  one('login', { user: 'zhang', outcome: 'ok', via: 'form' }, 'a login');
  one('token', { user: 'monitor', outcome: 'ok', via: 'token', target: 'GET /api/status' }, 'three reads by one token');
  one('token', { user: null, outcome: 'STATUS_TOKEN_INVALID' } as Partial<Line>, 'a wrong token');
  one('access', { user: 'monitor', outcome: 'STATUS_ADMIN_ONLY', target: 'POST /api/jobs/:name/run' }, 'a viewer trying an admin action');
  one('access', { user: 'zhang', outcome: 'STATUS_CSRF' }, 'a post without the form token');
  one('job.run', { user: 'zhang', via: 'session', target: 'penalties', outcome: 'ok' }, 'run now');
  one('job.run', { user: 'zhang', target: 'no-such-job', outcome: 'JOB_UNKNOWN' }, 'run now of a job that is not there');
  const up = one('file.upload', { user: 'zhang', via: 'session', outcome: 'ok' }, 'an upload');
  t.match(up?.target, new RegExp(maskIdNumber(person).replace(/\*/g, '\\*')), 'named by its file, the ID in the name masked');
  one('rejection.resend', { user: 'ops-script', via: 'token', target: `rejection ${rejection}`, outcome: 'ok' }, 'resend after fix');
  one('coverage.declare', { user: 'ops-script', via: 'token', target: 'P07-002', outcome: 'ok' }, 'no data this period');
  one('bundle.put', { user: 'ops-script', via: 'token', target: 'version 1', outcome: 'ok' }, 'a bundle put by the admin API');
  one('bundle', { via: 'admin', target: 'version 1', outcome: 'applied' }, 'what came of it');
  const folder = one('bundle', { user: 'bundle folder', via: 'folder', target: 'version 2', outcome: 'rejected' }, 'a bundle from the folder');
  t.match(folder?.detail, /signature/i, 'with the reason');
  one('logout', { user: 'zhang', outcome: 'ok' }, 'a logout');

  const text = readFileSync(auditFile, 'utf8');
  for (const secret of [ADMIN_PASSWORD, ADMIN_TOKEN, VIEWER_TOKEN, 'not-the-password', 'wrong-token-0000', sessionId, csrf, formToken]) {
    t.notOk(text.includes(secret), `never holds ${secret.slice(0, 6)}…`);
  }
  t.notOk(text.includes(person), 'never a whole ID number');
  t.notOk(containsIdNumber(text));
});

t.test('a bundle the platform offers in a heartbeat answer is recorded with the platform as who brought it', async (t) => {
  const dir = t.testdir({});
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const keys = generateKeys();
  writeFileSync(join(dir, 'center.pem'), keys.publicKeyPem);
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, JSON.stringify({
    gateway: { id: 'hs-test', department: '测试部门', dataDir: './data' },
    platform: { url, secretRef: 'platform', heartbeatIntervalSecs: 5 },
    status: { port: 0 },
    control: { publicKeyFile: 'center.pem' },
  }));
  const gateway = await Gateway.start(loadConfigFile(file, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET }), { logger: pino({ level: 'silent' }), softwareVersion: 'test', schedule: false });
  t.teardown(() => gateway.stop());
  // Signed with a key the gateway does not hold: the platform's channel is not trusted for what it carries.
  receiver.setPendingConfig(envelopeFor(Buffer.from(JSON.stringify({ gatewayId: 'hs-test', version: 3, issuedAt: new Date().toISOString(), sources: [], jobs: [] })), generateKeys().privateKeyPem));
  const auditFile = join(dir, 'data', 'audit.log');
  const lines = await until(() => read(auditFile), (ls) => ls.some((l) => l.action === 'bundle'), 30_000);
  const bundles = lines.filter((l) => l.action === 'bundle');
  t.equal(bundles.length, 1, 'one line');
  t.match(bundles[0], { user: 'platform', via: 'heartbeat', target: 'version 3', outcome: 'rejected', detail: /BUNDLE_SIGNATURE_INVALID/ });
});

t.test('on a full disk the request is not failed, the failure is reported once, and lines resume when space frees', { skip: process.getuid?.() !== 0 && 'mounting a small tmpfs needs root (as in CI)' }, async (t) => {
  const mnt = mkdtempSync(join(tmpdir(), 'audit-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=700', 'tmpfs', mnt]);
  const failures: unknown[] = [];
  const file = join(mnt, 'audit.log');
  const audit = openAuditLog(file, (err) => failures.push(err));
  t.teardown(() => {
    audit.close();
    execFileSync('umount', [mnt]);
    rmdirSync(mnt);
  });
  audit.record({ action: 'login', user: 'before', via: 'form', outcome: 'ok' });
  const filler = join(mnt, 'filler');
  try {
    for (;;) appendFileSync(filler, Buffer.alloc(4096, 1));
  } catch (err) {
    t.equal((err as NodeJS.ErrnoException).code, 'ENOSPC', 'the disk is full');
  }
  // The log's last page may still have room for a few lines: record until the disk says no.
  t.doesNotThrow(() => {
    for (let i = 0; i < 100 && failures.length === 0; i++) audit.record({ action: 'login', user: `during-${i}`, via: 'form', outcome: 'ok' });
    for (let i = 0; i < 5; i++) audit.record({ action: 'login', user: 'still full', via: 'form', outcome: 'ok' });
  }, 'recording never fails the caller');
  t.equal(failures.length, 1, 'reported once, not per line');
  t.match(failures[0], { code: 'ENOSPC' });
  rmSync(filler);
  audit.record({ action: 'login', user: 'after', via: 'form', outcome: 'ok' });
  const users = read(file).map((l) => l.user);
  t.same([users[0], users.at(-1)], ['before', 'after'], 'lines resume once there is space');
});
