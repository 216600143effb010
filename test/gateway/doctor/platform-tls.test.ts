/**
 * doctor's platform check over real TLS: the reference receiver behind an
 * HTTPS front (a test certificate made by openssl), so the heartbeat, the
 * certificate and the CA in use are all real.
 */
import t, { type Test } from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runDoctor } from '../../../gateway/doctor/doctor.js';
import { formatReport } from '../../../gateway/doctor/format.js';
import { createReceiver } from '../../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../../helpers/business-db.js';
import { selfSigned } from '../../helpers/tls.js';


/** The receiver behind HTTPS on 127.0.0.1 with `cert`; resolves with the https base URL. */
async function httpsPlatform(t: Test, cert: { certFile: string; keyFile: string }): Promise<string> {
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  const inner = new URL(url);
  const front = createHttpsServer({ cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) }, (req, res) => {
    const forward = httpRequest({ host: inner.hostname, port: inner.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  t.teardown(async () => {
    front.closeAllConnections();
    await new Promise((resolve) => front.close(resolve));
    await receiver.close();
  });
  return `https://127.0.0.1:${(front.address() as AddressInfo).port}${inner.pathname}`;
}

async function doctorOver(t: Test, caFile: string | null) {
  const dir = t.testdir({});
  const cert = selfSigned(join(dir, 'tls'), 'platform-test', 90);
  const url = await httpsPlatform(t, cert);
  const business = createPenaltyDb(dir, 1);
  business.db.close();
  const config = writeTestConfig({ dir, businessDb: business.file, platformUrl: url });
  const c = JSON.parse(readFileSync(config, 'utf8'));
  if (caFile !== null) c.platform.caFile = caFile === 'own' ? cert.certFile : caFile;
  writeFileSync(config, JSON.stringify(c));
  return runDoctor({ configFile: config, softwareVersion: 'test', env: { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET }, systemd: false });
}

t.test('with the platform\'s CA configured: passes, naming the CA file, the certificate and its expiry', async (t) => {
  const report = await doctorOver(t, 'own');
  const platform = report.checks.find((c) => c.id === 'platform')!;
  t.equal(platform.state, 'pass', formatReport(report, 'en'));
  t.equal(report.checks.find((c) => c.id === 'auth')?.state, 'pass', 'the heartbeat went through TLS');
  const en = formatReport(report, 'en');
  t.match(en, /verified with CA file .*platform-test\.crt; certificate localhost, platform-test, issued by localhost, platform-test, valid until .* \((89|90) days left\)/);
  t.match(formatReport(report, 'zh'), /使用 CA 文件 .*platform-test\.crt 验证，平台证书 localhost, platform-test/);
});

t.test('without that CA (the built-in roots do not know it): fails, naming the CA in use and the certificate shown', async (t) => {
  const report = await doctorOver(t, null);
  t.notOk(report.ok);
  const platform = report.checks.find((c) => c.id === 'platform')!;
  t.equal(platform.state, 'fail');
  const en = formatReport(report, 'en');
  t.match(en, /the TLS connection to https:\/\/127\.0\.0\.1:\d+\/exchange failed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
  t.match(en, /\(DEPTH_ZERO_SELF_SIGNED_CERT\); using Node's built-in root CAs( \(plus NODE_EXTRA_CA_CERTS=[^)]*\))?; certificate localhost, platform-test/);
  t.match(en, /fix: check that platform\.caFile is the government CA certificate/);
});
