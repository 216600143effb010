/**
 * Issue 10 case 4: a bundle signed with the credit center's own key tries to
 * send a local secret to a host of its choosing. A real TCP listener stands
 * in for the attacker's host and records every connection; a real
 * PostgreSQL server is the department's database, asking for the password.
 */
import t, { type Test } from 'tap';
import { createServer, type Server } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../../config/load.js';
import { Secrets } from '../../../config/secrets.js';
import { SecretBindings } from '../../../config/secret-bindings.js';
import { LocalPaths } from '../../../config/local-paths.js';
import type { DatabaseSourceConfig } from '../../../config/schema.js';
import { Gateway } from '../../../gateway/gateway.js';
import { envelopeFor, generateKeys } from '../../../gateway/control/keys.js';
import { tryConfiguration } from '../../../gateway/control/trial.js';
import { openSource } from '../../../gateway/control/runtime.js';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import { hashPassword } from '../../../gateway/status/security/password.js';
import { createReceiver } from '../../../scripts/receiver/index.js';
import { createPenaltyDb, readRows, TEST_PENALTY_FIELDS, TEST_SECRET } from '../../helpers/business-db.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres.js';
import { until } from '../../helpers/wait.js';

const logger = pino({ level: 'silent' });
const DB_PASSWORD = 'ro-Passw0rd-of-the-department';

/** A host that records who connects and what they sent, and answers nothing. */
async function attackerHost(t: Test, host: string): Promise<{ port: number; connections: () => number; received: () => string }> {
  let connections = 0;
  let received = '';
  const server: Server = createServer((socket) => {
    connections += 1;
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as { port: number }).port, connections: () => connections, received: () => received };
}

async function penaltyTable(t: Test, pg: PostgresServer): Promise<number> {
  const business = createPenaltyDb(t.testdir({}), 20);
  const rows = readRows(business.db);
  business.db.close();
  await pg.admin(`CREATE TABLE ${pg.schema}.t_penalty (id integer PRIMARY KEY, party_name text, credit_code text, content text, punish_date text, updated_at timestamp(3) NOT NULL)`);
  for (const r of rows) {
    await pg.admin(`INSERT INTO ${pg.schema}.t_penalty VALUES ($1, $2, $3, $4, '20260102', $5)`, [r.id, r.party_name, r.credit_code, r.content, r.updated_at.replace('Z', '')]);
  }
  return rows.length;
}

const job = (name: string, source: string) => ({
  name, source, category: 'P07-002', query: 'SELECT * FROM t_penalty', cursor: ['updated_at', 'id'], key: ['id'],
  subject: { kind: 'legal', name: 'party_name', code: 'credit_code' }, fields: TEST_PENALTY_FIELDS,
});

t.test('bundles that point a local secret at another host are refused before anything connects; allowed hosts work', async (t) => {
  const pg = await startPostgres(t);
  await pg.requirePassword(pg.readOnlyUser, DB_PASSWORD, 'scram-sha-256');
  const rows = await penaltyTable(t, pg);
  const elsewhere = await attackerHost(t, '127.0.0.2');
  const sameHost = await attackerHost(t, '127.0.0.1');

  const dir = t.testdir({});
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const keys = generateKeys();
  writeFileSync(join(dir, 'center-public.pem'), keys.publicKeyPem);
  const db = { kind: 'postgres', host: '127.0.0.1', port: pg.port, database: pg.database, user: pg.readOnlyUser, timeZone: 'UTC', connectTimeoutMs: 2000 };
  const local = { name: 'pg', ...db, passwordRef: 'pg_ro' };
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, JSON.stringify({
    gateway: { id: 'hs-test', department: '测试部门', dataDir: join(dir, 'data') },
    platform: { url, secretRef: 'platform', heartbeatIntervalSecs: 3600, backoffBaseMs: 50, backoffMaxMs: 200 },
    status: { host: '127.0.0.1', port: 0, users: [{ name: 'admin', role: 'admin', secretRef: 'admin_pw' }] },
    control: { publicKeyFile: 'center-public.pem', trialRows: 5, probationSecs: 1 },
    secrets: { allow: { pg_alt: [`127.0.0.1:${pg.port}`] } },
    sources: [local],
    jobs: [job('penalties', 'pg')],
  }));
  const env = {
    CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET,
    CREDIT_GATEWAY_SECRET_PG_RO: DB_PASSWORD,
    CREDIT_GATEWAY_SECRET_PG_ALT: DB_PASSWORD,
    CREDIT_GATEWAY_SECRET_ADMIN_PW: await hashPassword('admin-password'),
  };
  const gateway = await Gateway.start(loadConfigFile(file, env), { logger, softwareVersion: 'test', schedule: false });
  t.teardown(() => gateway.stop());
  t.equal((await gateway.runJob('penalties')).rowsRead, rows, 'the local source reads with its secret');

  const sign = (version: number, source: Record<string, unknown>) => envelopeFor(Buffer.from(JSON.stringify({
    gatewayId: 'hs-test', version, issuedAt: '2026-03-01T08:00:00.000Z',
    sources: [local, { name: 'evil', ...db, ...source }],
    jobs: [job('penalties', 'pg'), job('evil-job', 'evil')],
  })), keys.privateKeyPem);

  const hostile: [string, Record<string, unknown>, RegExp][] = [
    ['the platform secret to the attacker', { host: '127.0.0.2', port: elsewhere.port, passwordRef: 'platform' }, new RegExp(`BUNDLE_SECRET_RESERVED.*secret "platform" may not be sent to 127\\.0\\.0\\.2:${elsewhere.port}: it is the platform secret`)],
    ['the database secret to another host', { host: '127.0.0.2', port: elsewhere.port, passwordRef: 'pg_ro' }, new RegExp(`BUNDLE_SECRET_NOT_ALLOWED.*secret "pg_ro" may not be sent to 127\\.0\\.0\\.2:${elsewhere.port}: the local configuration allows it only for 127\\.0\\.0\\.1:${pg.port}`)],
    ['the database secret to the same host at another port', { host: '127.0.0.1', port: sameHost.port, passwordRef: 'pg_ro' }, new RegExp(`BUNDLE_SECRET_NOT_ALLOWED.*secret "pg_ro" may not be sent to 127\\.0\\.0\\.1:${sameHost.port}`)],
    ['the allowed secret to the same host at another port', { host: '127.0.0.1', port: sameHost.port, passwordRef: 'pg_alt' }, new RegExp(`BUNDLE_SECRET_NOT_ALLOWED.*secret "pg_alt" may not be sent to 127\\.0\\.0\\.1:${sameHost.port}`)],
    ["a status user's secret as a password", { host: '127.0.0.2', port: elsewhere.port, passwordRef: 'admin_pw' }, /BUNDLE_SECRET_RESERVED.*secret "admin_pw" .*status page user's secret/],
  ];
  let version = 1;
  for (const [what, source, reason] of hostile) {
    version += 1;
    const outcome = await gateway.applyBundle(sign(version, source), 'admin');
    t.match(outcome, { version, status: 'rejected', message: reason }, `${what}: refused with the secret and the host`);
    const beat = await until(() => receiver.heartbeats().at(-1)?.body as Record<string, unknown> | undefined, (h) => (h?.configApply as { version?: number } | null)?.version === version);
    t.match(beat, { configVersion: 0, configApply: { version, status: 'rejected', message: reason } }, `${what}: the next heartbeat reports it rejected`);
  }
  t.equal(elsewhere.connections(), 0, 'nothing connected to the other host');
  t.equal(sameHost.connections(), 0, 'nothing connected to the other port');
  t.equal(gateway.configView().version, 0, 'the local configuration still runs');

  const implicit = await gateway.applyBundle(sign(10, { name: 'evil', passwordRef: 'pg_ro', host: '127.0.0.1', port: pg.port }), 'admin');
  t.equal(implicit.status, 'applied', `the host of the local source that uses the secret is allowed: ${implicit.message}`);
  await gateway.configSettled();
  await gateway.runJob('evil-job');
  const read = new Map(gateway.store.jobStats().map((j) => [j.job, j.total.rowsRead]));
  t.equal(read.get('evil-job'), rows, 'and the new source reads with it');
  const explicit = await gateway.applyBundle(sign(11, { passwordRef: 'pg_alt', host: '127.0.0.1', port: pg.port, pageSize: 7 }), 'admin');
  t.equal(explicit.status, 'applied', `a host in secrets.allow is allowed: ${explicit.message}`);
  await gateway.configSettled();
  t.equal(gateway.snapshot().sources.find((s) => s.name === 'evil')?.state, 'ok', 'and the source opened with that secret works');
  t.equal(elsewhere.connections() + sameHost.connections(), 0, 'still nothing reached the attacker');
  t.equal((await gateway.flush()).pending, 0);
  t.equal(receiver.records().length, rows, 'what was read reached the platform');
});

t.test('the code that hands a password to a connector checks the binding itself, so no path around verification leaks it', async (t) => {
  const attacker = await attackerHost(t, '127.0.0.2');
  const bindings = new SecretBindings({
    platform: { secretRef: 'platform' },
    sources: [{ name: 'hr', kind: 'mysql', host: '10.1.2.3', database: 'hr', user: 'ro', passwordRef: 'hr_db', pageSize: 500, queryTimeoutMs: 1000, connectTimeoutMs: 1000, timeZone: 'UTC' }],
  });
  const secrets = new Secrets({ platform: TEST_SECRET, hr_db: DB_PASSWORD });
  const baseDir = t.testdir({});
  const deps = { gatewayId: 'hs-test', baseDir, secrets: () => secrets, bindings, paths: new LocalPaths({ gateway: { dataDir: './data' }, platform: {}, sources: [] }, baseDir), catalog: loadCatalog(), standards: loadStandards(), logger };
  for (const [kind, passwordRef] of [['mysql', 'hr_db'], ['postgres', 'platform'], ['mysql', 'platform']] as const) {
    const hostile = { name: 'evil', kind, host: '127.0.0.2', port: attacker.port, database: 'x', user: 'u', passwordRef, pageSize: 500, queryTimeoutMs: 1000, connectTimeoutMs: 1000, timeZone: 'UTC' } as DatabaseSourceConfig;
    await t.rejects(openSource(hostile, 0, deps), { code: 'CONFIG_SECRET_NOT_ALLOWED', message: new RegExp(`secret "${passwordRef}" may not be sent to 127\\.0\\.0\\.2:${attacker.port}`) }, `${kind} with ${passwordRef}: opening is refused`);
    const problems = await tryConfiguration({ sources: [], jobs: [] }, { sources: [hostile], jobs: [] }, 5, deps);
    t.match(problems, [{ code: 'CONTROL_TRIAL_SOURCE', message: /CONFIG_SECRET_NOT_ALLOWED/ }], `${kind} with ${passwordRef}: the trial reports it`);
  }
  t.equal(attacker.connections(), 0, 'nothing connected');
  t.notMatch(attacker.received(), DB_PASSWORD);
});
