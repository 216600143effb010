/**
 * Fault suite, issue 10 case 4: a running gateway, delivering, is handed
 * bundles signed with the credit center's own key that point local secrets
 * at a host of the bundle's choosing, or a source at the gateway's own
 * store. They are refused with the secret and the host (or the path),
 * reported to the platform as rejected, nothing reaches the attacker's host,
 * nothing of the store is read, and delivery goes on: the conservation
 * check holds.
 */
import t from 'tap';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envelopeFor, generateKeys } from '../../../gateway/control/keys.js';
import { hashPassword } from '../../../gateway/status/security/password.js';
import { createReceiver } from '../../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_PENALTY_FIELDS, updateRows, writeTestConfig } from '../../helpers/business-db.js';
import { expectConserved, startGatewayProcess } from '../../helpers/conservation.js';
import { sleep, until, untilOrFail } from '../../helpers/wait.js';

const DB_PASSWORD = 'hr-db-Passw0rd-never-leaves';

t.test('hostile bundles arriving while the gateway delivers are rejected, reach nobody, and lose nothing', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 400);
  t.teardown(() => business.db.close());
  const receiver = createReceiver({ gateways: { 'hs-test': 'hs-credit-test-secret' } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());

  // The attacker's host: records every connection and every byte.
  let connections = 0;
  let received = '';
  const attacker = createServer((socket) => {
    connections += 1;
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.2', resolve));
  t.teardown(() => new Promise<void>((resolve) => attacker.close(() => resolve())));
  const attackerPort = (attacker.address() as { port: number }).port;

  const keys = generateKeys();
  writeFileSync(join(dir, 'center-public.pem'), keys.publicKeyPem);
  const file = writeTestConfig({ dir, businessDb: business.file, platformUrl: url, batchMaxRecords: 25 });
  const config = JSON.parse(readFileSync(file, 'utf8')) as { status: Record<string, unknown>; sources: unknown[]; jobs: unknown[] };
  writeFileSync(file, JSON.stringify({
    ...config,
    status: { ...config.status, users: [{ name: 'admin', role: 'admin', secretRef: 'admin_pw' }] },
    control: { publicKeyFile: 'center-public.pem', bundleFolder: 'bundles', trialRows: 5 },
    secrets: { allow: { hr_db: ['10.1.2.3:3306'] } },
  }));

  const gateway = startGatewayProcess(file, {
    env: { CREDIT_GATEWAY_SECRET_HR_DB: DB_PASSWORD, CREDIT_GATEWAY_SECRET_ADMIN_PW: await hashPassword('admin-password') },
  });
  t.teardown(async () => {
    if (gateway.child.exitCode === null) gateway.child.kill('SIGTERM');
    await gateway.exited;
  });
  await untilOrFail(() => receiver.records().length, (n) => n > 0, 'the gateway delivered records', 60_000);

  // The department keeps changing rows the whole time: the gateway is delivering when the bundles arrive.
  let writing = true;
  let round = 0;
  const writer = (async () => {
    while (writing) {
      round += 1;
      updateRows(business.db, [1 + (round * 37) % 400, 1 + (round * 101) % 400], `v${round + 1}`);
      await sleep(150);
    }
  })();
  t.teardown(async () => {
    writing = false;
    await writer;
  });

  const toAttacker = (passwordRef: string) => ({ kind: 'mysql', host: '127.0.0.2', port: attackerPort, database: 'x', user: 'root', passwordRef, connectTimeoutMs: 2000 });
  const hostile: [string, Record<string, unknown>, RegExp][] = [
    ['platform', toAttacker('platform'), /BUNDLE_SECRET_RESERVED.*secret "platform" may not be sent to 127\.0\.0\.2:\d+: it is the platform secret/],
    ['database', toAttacker('hr_db'), /BUNDLE_SECRET_NOT_ALLOWED.*secret "hr_db" may not be sent to 127\.0\.0\.2:\d+: the local configuration allows it only for 10\.1\.2\.3:3306/],
    ['status', toAttacker('admin_pw'), /BUNDLE_SECRET_RESERVED.*secret "admin_pw" may not be sent to 127\.0\.0\.2:\d+: it is a status page user's secret/],
    // The gateway's own store holds full ID numbers and cursors: a job reading it would ship them to the platform.
    ['store', { kind: 'sqlite', file: join(dir, 'data', 'gateway.sqlite') }, /BUNDLE_PATH_NOT_ALLOWED at sources\[1\]\.file: .*source "evil" may not use file ".*data\/gateway\.sqlite": it is, holds or lies inside the gateway's data folder/],
  ];
  const folder = join(dir, 'bundles');
  mkdirSync(folder, { recursive: true });
  const drop = ([name, source]: (typeof hostile)[number], i: number) => {
    const bundle = {
      gatewayId: 'hs-test', version: i + 1, issuedAt: '2026-03-01T08:00:00.000Z',
      sources: [
        ...config.sources,
        { name: 'evil', ...source },
      ],
      jobs: [
        ...config.jobs,
        { name: 'evil-job', source: 'evil', category: 'P07-002', query: 'SELECT * FROM t', cursor: ['updated_at', 'id'], key: ['id'], subject: { kind: 'legal', name: 'party_name', code: 'credit_code' }, fields: TEST_PENALTY_FIELDS },
      ],
    };
    writeFileSync(join(folder, `${i + 1}-${name}.json`), JSON.stringify(envelopeFor(Buffer.from(JSON.stringify(bundle)), keys.privateKeyPem)));
  };

  // One at a time: a heartbeat carries the latest outcome only, so two refused together could hide the first from the platform.
  for (const [i, entry] of hostile.entries()) {
    const [name, , reason] = entry;
    const version = i + 1;
    drop(entry, i);
    const result = join(folder, 'rejected', `${version}-${name}.json.result.txt`);
    // The bundle file is moved only once its result is written in full.
    await until(() => existsSync(join(folder, 'rejected', `${version}-${name}.json`)), (ok) => ok, 60_000);
    t.match(readFileSync(result, 'utf8'), reason, `${name}: the bundle file is rejected with the reason`);
    const beat = await until(
      () => receiver.heartbeats().map((h) => h.body as { configApply?: { version: number; status: string; message: string } | null }).find((b) => b.configApply?.version === version),
      (b) => b !== undefined, 30_000,
    );
    t.match(beat, { configVersion: 0, configApply: { version, status: 'rejected', message: reason } }, `${name}: the platform is told it was rejected`);
  }
  const applied = join(folder, 'applied');
  t.same(existsSync(applied) ? readdirSync(applied).filter((f) => f.endsWith('.json')) : [], [], 'no hostile bundle was applied');

  writing = false;
  await writer;
  t.equal(gateway.child.exitCode, null, 'the gateway is still running');
  t.equal(connections, 0, "nothing connected to the attacker's host");
  t.notMatch(received, /hs-credit-test-secret|hr-db-Passw0rd/, 'and no secret reached it');
  await expectConserved(t, { receiver, business: business.db });
  t.notMatch(gateway.output(), new RegExp(DB_PASSWORD), 'the log never holds the password');
});
