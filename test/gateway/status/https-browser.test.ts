/**
 * A person logs in to the status page over HTTPS in a real Chromium: the
 * browser keeps the session only as a Secure cookie, and the same page asked
 * for over plain HTTP does not load.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../../config/load.js';
import { Gateway } from '../../../gateway/gateway.js';
import { hashPassword } from '../../../gateway/status/security/password.js';
import { openBrowser } from '../../helpers/browser.js';
import { selfSigned } from '../../helpers/tls.js';

t.setTimeout(120_000);
const PASSWORD = 'browser-https-password-3';

t.test('a person logs in over HTTPS and the browser holds the session as a Secure cookie', async (t) => {
  const dir = t.testdir({});
  const cert = selfSigned(join(dir, 'certs'));
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, JSON.stringify({
    gateway: { id: 'hs-test', department: '测试部门', dataDir: './data' },
    platform: { url: 'http://127.0.0.1:9/exchange', secretRef: 'platform' },
    status: { host: '0.0.0.0', port: 0, users: [{ name: 'zhang', role: 'admin', secretRef: 'zhang_pw' }], tls: cert },
  }));
  const loaded = loadConfigFile(file, { CREDIT_GATEWAY_SECRET_PLATFORM: 'x', CREDIT_GATEWAY_SECRET_ZHANG_PW: await hashPassword(PASSWORD) });
  const gateway = await Gateway.start(loaded, { logger: pino({ level: 'silent' }), softwareVersion: 'test', schedule: false, deliver: false });
  t.teardown(() => gateway.stop());
  const port = new URL(gateway.statusUrl!).port;

  const session = await openBrowser(t, 'status-https', { ignoreHTTPSErrors: true });
  const { page, context } = session;
  await page.goto(`https://127.0.0.1:${port}/`);
  t.match(page.url(), /^https:\/\/127\.0\.0\.1:\d+\/login/, 'sent to the login page, over HTTPS');
  await page.fill('#name', 'zhang');
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`https://127.0.0.1:${port}/`), page.click('button[type=submit]')]);
  await session.screenshot('logged-in');
  t.match(await page.textContent('body'), /hs-test/, 'the overview opens');
  const cookie = (await context.cookies()).find((c) => c.name === 'cg_session');
  t.ok(cookie, 'the browser holds a session');
  t.equal(cookie?.secure, true, 'as a Secure cookie');
  t.equal(cookie?.httpOnly, true, 'out of reach of scripts');

  await t.rejects(page.goto(`http://127.0.0.1:${port}/`), 'the same page over plain HTTP does not load');
});
