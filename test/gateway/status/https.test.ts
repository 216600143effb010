/**
 * The status page of a real gateway over real HTTPS: a certificate made by
 * openssl in the test, a client that trusts only that certificate, a browser
 * login whose session cookie must be `Secure`, and the refusals at start
 * that keep passwords and tokens off a plain-HTTP network.
 */
import t, { type Test } from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Agent, fetch } from 'undici';
import { loadConfigFile } from '../../../config/load.js';
import { Gateway } from '../../../gateway/gateway.js';
import { hashPassword } from '../../../gateway/status/security/password.js';
import type { StatusSnapshot } from '../../../gateway/status/snapshot.js';
import { selfSigned, type TestCertificate } from '../../helpers/tls.js';

const PASSWORD = 'https-admin-password-1';
let hash = '';
t.before(async () => {
  hash = await hashPassword(PASSWORD);
});

/** A gateway with no sources, its status page on `host` with one admin, written into `dir`. */
function writeConfig(dir: string, status: Record<string, unknown>): string {
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, JSON.stringify({
    gateway: { id: 'hs-test', department: '测试部门', dataDir: './data' },
    platform: { url: 'http://127.0.0.1:9/exchange', secretRef: 'platform' },
    status: { port: 0, users: [{ name: 'zhang', role: 'admin', secretRef: 'zhang_pw' }], ...status },
  }));
  return file;
}

function collectingLogger(lines: string[]) {
  return pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
}

/** Starts the gateway of `writeConfig` in the test's folder (one per test: tap wipes it when asked again). */
async function start(t: Test, status: Record<string, unknown>, lines: string[] = []): Promise<Gateway> {
  const dir = folder(t);
  const loaded = loadConfigFile(writeConfig(dir, status), { CREDIT_GATEWAY_SECRET_PLATFORM: 'x', CREDIT_GATEWAY_SECRET_ZHANG_PW: hash });
  const gateway = await Gateway.start(loaded, { logger: collectingLogger(lines), softwareVersion: 'test', schedule: false, deliver: false });
  t.teardown(() => gateway.stop());
  return gateway;
}

/** The page's port on 127.0.0.1 (the gateway listens on every address). */
function port(gateway: Gateway): number {
  return Number(new URL(gateway.statusUrl!).port);
}

const folders = new WeakMap<Test, string>();
function folder(t: Test): string {
  if (!folders.has(t)) folders.set(t, t.testdir({}));
  return folders.get(t)!;
}

function certs(t: Test, name = 'status'): TestCertificate {
  return selfSigned(join(folder(t), 'certs'), name);
}

t.test('a browser logs in over HTTPS and gets a Secure, HttpOnly session cookie and HSTS', async (t) => {
  const cert = certs(t);
  const gateway = await start(t, { host: '0.0.0.0', tls: cert });
  t.match(gateway.statusUrl, /^https:\/\//, 'the URL the gateway reports says https');
  const base = `https://127.0.0.1:${port(gateway)}`;
  const dispatcher = new Agent({ connect: { ca: readFileSync(cert.certFile, 'utf8') } });
  t.teardown(() => dispatcher.close());
  const html = { accept: 'text/html' };

  const loginPage = await fetch(`${base}/login`, { dispatcher, headers: html });
  t.equal(loginPage.status, 200);
  const token = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())?.[1];
  t.ok(token, 'the login form carries its CSRF token');
  const preCookies = loginPage.headers.getSetCookie();
  t.ok(preCookies.length > 0 && preCookies.every((c) => /;\s*Secure/i.test(c)), 'even the pre-login cookie is Secure');
  t.match(loginPage.headers.get('strict-transport-security'), /max-age=\d+/, 'HSTS is sent');

  const res = await fetch(`${base}/login`, {
    dispatcher,
    method: 'POST',
    redirect: 'manual',
    headers: { ...html, 'content-type': 'application/x-www-form-urlencoded', cookie: preCookies.map((c) => c.split(';')[0]).join('; ') },
    body: new URLSearchParams({ name: 'zhang', password: PASSWORD, next: '/api/status', _csrf: token! }).toString(),
  });
  t.equal(res.status, 303, 'logged in');
  const session = res.headers.getSetCookie().find((c) => c.startsWith('cg_session='));
  t.ok(session, 'a session cookie is set');
  t.match(session, /;\s*Secure/i, 'Secure: never sent over plain HTTP');
  t.match(session, /;\s*HttpOnly/i);

  const api = await fetch(`${base}/api/status`, { dispatcher, headers: { cookie: session!.split(';')[0]! } });
  t.equal(api.status, 200, 'the session opens the API');
  const status = (await api.json()) as StatusSnapshot;
  t.equal(status.gateway.id, 'hs-test');
  t.same(status.statusPage, { https: true, plainHttpExposed: false });
});

t.test('plain HTTP to the HTTPS port gets no page, and a client that does not trust the certificate gets nothing', async (t) => {
  const gateway = await start(t, { host: '0.0.0.0', tls: certs(t) });
  const plain = await new Promise<{ status?: number; error?: string }>((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port: port(gateway), path: '/healthz' }, (res) => {
      res.resume();
      resolve({ status: res.statusCode });
    });
    req.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end();
  });
  t.notOk(plain.status === 200, `no page over plain HTTP (${JSON.stringify(plain)})`);
  await t.rejects(fetch(`https://127.0.0.1:${port(gateway)}/healthz`), 'a self-signed certificate is not trusted without its CA');
});

t.test('an exposed page without tls is refused at start with the code and its action', async (t) => {
  await t.rejects(start(t, { host: '0.0.0.0' }), { code: 'STATUS_TLS_REQUIRED', action: /status\.tls\.certFile/ });
});

t.test('status.allowPlainHttp serves an exposed page over HTTP, with a warning in the log', async (t) => {
  const lines: string[] = [];
  const gateway = await start(t, { host: '0.0.0.0', allowPlainHttp: true }, lines);
  t.match(gateway.statusUrl, /^http:\/\//);
  const warning = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => /allowPlainHttp/.test(l.msg));
  t.equal(warning?.level, 40, 'logged as a warning at start');
  t.match(warning?.msg, /in clear/);
  const health = await fetch(`http://127.0.0.1:${port(gateway)}/healthz`);
  t.equal(health.status, 200);
  const status = (await (await fetch(`http://127.0.0.1:${port(gateway)}/api/status`, { headers: { authorization: `Bearer ${PASSWORD}` } })).json()) as StatusSnapshot;
  t.same(status.statusPage, { https: false, plainHttpExposed: true });
  t.equal(status.verdict.level, 'attention', 'the page does not call this setup healthy');
  t.match(status.verdict.reasons.join('\n'), /明文 HTTP[\s\S]*status\.tls/, 'and says what to do');
  const page = await (await fetch(`http://127.0.0.1:${port(gateway)}/`, { headers: { authorization: `Bearer ${PASSWORD}` } })).text();
  t.match(page, /status\.allowPlainHttp/, 'shown on the overview');
});

t.test('a bad certificate or key stops the start, by its code', async (t) => {
  const cert = certs(t);
  const other = certs(t, 'other');
  await t.rejects(start(t, { host: '0.0.0.0', tls: { ...cert, keyFile: other.keyFile } }), { code: 'STATUS_TLS_KEY_MISMATCH' });
  await t.rejects(start(t, { host: '0.0.0.0', tls: { ...cert, certFile: join(cert.certFile, '..', 'absent.crt') } }), { code: 'STATUS_TLS_CERT_UNREADABLE' });
});

t.test('tls on loopback works too, and its paths are relative to the configuration file', async (t) => {
  const dir = folder(t);
  certs(t);
  const loaded = loadConfigFile(writeConfig(dir, { host: '127.0.0.1', tls: { certFile: 'certs/status.crt', keyFile: 'certs/status.key' } }), {
    CREDIT_GATEWAY_SECRET_PLATFORM: 'x', CREDIT_GATEWAY_SECRET_ZHANG_PW: hash,
  });
  const gateway = await Gateway.start(loaded, { logger: pino({ level: 'silent' }), softwareVersion: 'test', schedule: false, deliver: false });
  t.teardown(() => gateway.stop());
  t.match(gateway.statusUrl, /^https:\/\/127\.0\.0\.1:/);
  const dispatcher = new Agent({ connect: { ca: readFileSync(join(dir, 'certs', 'status.crt'), 'utf8') } });
  t.teardown(() => dispatcher.close());
  t.equal((await fetch(new URL('healthz', gateway.statusUrl!), { dispatcher })).status, 200);
});

t.test('a certificate close to its end is warned about at start, while the page can still say so', async (t) => {
  const lines: string[] = [];
  const cert = selfSigned(join(folder(t), 'certs'), 'soon', 10);
  await start(t, { host: '0.0.0.0', tls: cert }, lines);
  const warning = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => /certificate/.test(l.msg));
  t.equal(warning?.level, 40);
  t.match(warning?.msg, /expires in (9|10) days: issue a new one/);
});
