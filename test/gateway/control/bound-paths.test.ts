/**
 * Issue 10, the hostile bundle, continued: a bundle signed with the credit
 * center's own key names local paths — the gateway's own store, another
 * department's SQLite file reached by `..` or through a link, the data folder
 * as a drop folder, an Oracle client folder of its choosing. A real gateway
 * with a real store refuses each in verification, naming the source, the
 * member and the path; the platform hears `rejected`; and the targets are
 * untouched (same inode and mtime, same folder contents, dropped files still
 * where they were). A path inside `control.allowPaths` works end to end.
 */
import t from 'tap';
import { copyFileSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../../config/load.js';
import { LocalPaths } from '../../../config/local-paths.js';
import { SecretBindings } from '../../../config/secret-bindings.js';
import { Secrets } from '../../../config/secrets.js';
import type { DatabaseSourceConfig, SourceConfig } from '../../../config/schema.js';
import { Gateway } from '../../../gateway/gateway.js';
import { envelopeFor, generateKeys } from '../../../gateway/control/keys.js';
import { openSource } from '../../../gateway/control/runtime.js';
import { tryConfiguration } from '../../../gateway/control/trial.js';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import { createReceiver } from '../../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_PENALTY_FIELDS, TEST_SECRET } from '../../helpers/business-db.js';
import { until } from '../../helpers/wait.js';

const logger = pino({ level: 'silent' });

const job = (name: string, source: string) => ({
  name, source, category: 'P07-002', query: 'SELECT * FROM t_penalty', cursor: ['updated_at', 'id'], key: ['id'],
  subject: { kind: 'legal', name: 'party_name', code: 'credit_code' }, fields: TEST_PENALTY_FIELDS,
});

/** What could show that something was opened, written or moved. */
function fingerprint(path: string): string {
  const s = statSync(path);
  const inside = s.isDirectory() ? readdirSync(path, { recursive: true }).map(String).sort().join(',') : '';
  return `${s.ino}:${s.mtimeMs}:${s.size}:${inside}`;
}

t.test('bundles naming local paths the local configuration does not allow are refused before anything is opened; an allowed path works', async (t) => {
  const dir = t.testdir({ etc: {}, biz: {}, exports: {}, other: {}, 'other-drop': { incoming: {} }, opt: { instantclient: {}, evilclient: {} } });
  const etc = join(dir, 'etc');
  const local = createPenaltyDb(join(dir, 'biz'), 12);
  local.db.close();
  // Another department's system, which a job's query would read and ship whole.
  const other = createPenaltyDb(join(dir, 'other'), 9);
  other.db.close();
  // The department's exports: the one folder the gateway's operator allows.
  const exported = createPenaltyDb(join(dir, 'exports'), 30);
  exported.db.close();
  symlinkSync(join(dir, 'other'), join(dir, 'exports', 'shared'));
  writeFileSync(join(dir, 'other-drop', 'incoming', 'P07-002_penalties.csv'), 'CF_WSH,CF_XDR_MC\n1,x\n');

  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const keys = generateKeys();
  writeFileSync(join(etc, 'center-public.pem'), keys.publicKeyPem);
  const biz = { name: 'biz', kind: 'sqlite', file: local.file, pageSize: 500 };
  const file = join(etc, 'gateway.yaml');
  writeFileSync(file, JSON.stringify({
    gateway: { id: 'hs-test', department: '测试部门', dataDir: './data' },
    platform: { url, secretRef: 'platform', heartbeatIntervalSecs: 3600, backoffBaseMs: 50, backoffMaxMs: 200 },
    status: { host: '127.0.0.1', port: 0 },
    control: { publicKeyFile: 'center-public.pem', trialRows: 5, probationSecs: 1, allowPaths: ['../exports'] },
    secrets: { allow: { ora: ['10.9.9.9'] } },
    sources: [biz],
    jobs: [job('penalties', 'biz')],
  }));
  const gateway = await Gateway.start(loadConfigFile(file, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET, CREDIT_GATEWAY_SECRET_ORA: 'ora-password' }), { logger, softwareVersion: 'test', schedule: false });
  t.teardown(() => gateway.stop());
  t.equal((await gateway.runJob('penalties')).rowsRead, 12, 'the local source reads');
  t.equal((await gateway.flush()).pending, 0);
  t.equal(receiver.records().length, 12);

  const sign = (version: number, sources: Record<string, unknown>[], jobs: Record<string, unknown>[]) => envelopeFor(Buffer.from(JSON.stringify({
    gatewayId: 'hs-test', version, issuedAt: '2026-03-01T08:00:00.000Z',
    sources: [biz, ...sources], jobs: [job('penalties', 'biz'), ...jobs],
  })), keys.privateKeyPem);
  const evil = (source: Record<string, unknown>) => ({ name: 'evil', ...source });
  const store = join(etc, 'data', 'gateway.sqlite');
  const hostile: [string, Record<string, unknown>, RegExp, string][] = [
    ["the gateway's own store", { kind: 'sqlite', file: './data/gateway.sqlite' },
      new RegExp(`BUNDLE_PATH_NOT_ALLOWED at sources\\[1\\]\\.file: .*source "evil" may not use file "${store}": it is, holds or lies inside the gateway's data folder`), join(etc, 'data')],
    ["another department's file by `..` out of the allowed folder", { kind: 'sqlite', file: '../exports/../other/business.sqlite' },
      new RegExp(`BUNDLE_PATH_NOT_ALLOWED.*source "evil" may not use file "${join(dir, 'other', 'business.sqlite')}": it lies outside the allowed folders; the local configuration allows only paths inside ${join(dir, 'exports')}`), join(dir, 'other')],
    ['the same file through a link inside the allowed folder', { kind: 'sqlite', file: '../exports/shared/business.sqlite' },
      new RegExp(`BUNDLE_PATH_NOT_ALLOWED.*source "evil" may not use file "${join(dir, 'other', 'business.sqlite')}": .*\\(it leads there through a symbolic link\\)`), join(dir, 'other')],
    ['the data folder as a drop folder', { kind: 'folder', path: './data' },
      new RegExp(`BUNDLE_PATH_NOT_ALLOWED at sources\\[1\\]\\.path: .*source "evil" may not use path "${join(etc, 'data')}": it is, holds or lies inside the gateway's data folder`), join(etc, 'data')],
    ["another system's drop folder", { kind: 'folder', path: join(dir, 'other-drop') },
      /BUNDLE_PATH_NOT_ALLOWED.*source "evil" may not use path ".*other-drop": it lies outside the allowed folders/, join(dir, 'other-drop')],
    ['an Oracle client folder no local source uses', { kind: 'oracle', host: '10.9.9.9', database: 'orcl', user: 'ro', passwordRef: 'ora', thickLibDir: join(dir, 'opt', 'evilclient') },
      /BUNDLE_PATH_NOT_ALLOWED at sources\[1\]\.thickLibDir: .*source "evil" may not use thickLibDir ".*opt\/evilclient": native client libraries are loaded only from a folder a local Oracle source names \(none does\)/, join(dir, 'opt')],
  ];
  const storeBefore = statSync(store).ino;
  let version = 1;
  for (const [what, source, reason, target] of hostile) {
    version += 1;
    const before = target === join(etc, 'data') ? readdirSync(target).sort().join(',') : fingerprint(target);
    const withJob = source.kind === 'folder' || source.kind === 'oracle' ? [] : [job('evil-job', 'evil')];
    const outcome = await gateway.applyBundle(sign(version, [evil(source)], withJob), 'admin');
    t.match(outcome, { version, status: 'rejected', message: reason }, `${what}: refused naming the source, the member and the path`);
    t.notMatch(outcome.message, /CONTROL_TRIAL/, `${what}: refused in verification, never tried`);
    // The store itself is written by the gateway all the time: its folder's names (no drop-folder subfolders, no trial probe) are what must not change.
    const after = target === join(etc, 'data') ? readdirSync(target).sort().join(',') : fingerprint(target);
    t.equal(after, before, `${what}: the target is untouched`);
    const beat = await until(() => receiver.heartbeats().at(-1)?.body as Record<string, unknown> | undefined, (h) => (h?.configApply as { version?: number } | null)?.version === version);
    t.match(beat, { configVersion: 0, configApply: { version, status: 'rejected', message: reason } }, `${what}: the next heartbeat reports it rejected`);
  }
  t.equal(statSync(store).ino, storeBefore, 'the store is the same file');
  t.ok(readdirSync(join(dir, 'other-drop', 'incoming')).includes('P07-002_penalties.csv'), "the other system's dropped file was not moved");
  t.equal(gateway.configView().version, 0, 'the local configuration still runs');
  t.notOk(gateway.store.jobStats().some((j) => j.job === 'evil-job'), 'no hostile job ever ran');
  t.equal(receiver.records().length, 12, 'nothing of theirs reached the platform');

  const allowed = await gateway.applyBundle(sign(20, [{ name: 'exports', kind: 'sqlite', file: '../exports/business.sqlite' }], [job('exports-job', 'exports')]), 'admin');
  t.equal(allowed.status, 'applied', `a file inside control.allowPaths is allowed: ${allowed.message}`);
  await gateway.configSettled();
  // The swap runs a changed job at once; running it again reads whatever that run left.
  await gateway.runJob('exports-job');
  const read = new Map(gateway.store.jobStats().map((j) => [j.job, j.total]));
  t.equal(read.get('exports-job')?.rowsRead, 30, 'and its job reads it');
  t.equal((await gateway.flush()).pending, 0, 'what was read reached the platform');
  // The exported rows share ids 1–12 with the local table in the same category: the platform holds their newer versions.
  t.equal(receiver.records().length, 30, 'all 30 records are at the platform');
});

t.test('where a source or drop folder is opened the rule is checked again: a link changed after verification is caught there', async (t) => {
  const dir = t.testdir({ etc: { data: { 'gateway.sqlite': 'the store' } }, exports: { real: {} }, other: {} });
  const etc = join(dir, 'etc');
  const other = createPenaltyDb(join(dir, 'other'), 3);
  other.db.close();
  copyFileSync(other.file, join(dir, 'exports', 'real', 'business.sqlite'));
  symlinkSync(join(dir, 'exports', 'real'), join(dir, 'exports', 'current'));
  const localConfig = { gateway: { dataDir: './data' }, platform: {}, control: { allowPaths: ['../exports'] }, sources: [] };
  const paths = new LocalPaths(localConfig, etc);
  const secrets = new Secrets({ platform: TEST_SECRET });
  const deps = {
    gatewayId: 'hs-test', baseDir: etc, secrets: () => secrets, bindings: new SecretBindings({ platform: { secretRef: 'platform' }, sources: [] }), paths,
    catalog: loadCatalog(), standards: loadStandards(), logger,
  };
  const source = { name: 'exports', kind: 'sqlite', file: '../exports/current/business.sqlite', pageSize: 500, queryTimeoutMs: 1000, connectTimeoutMs: 1000 } as DatabaseSourceConfig;
  t.equal(paths.refusal(source), null, 'while the link points inside the allowed folder, the source is allowed');
  const opened = await openSource(source, 0, deps);
  await opened.close();

  // Someone repoints the link at another department's folder after the bundle was verified.
  const { rmSync } = await import('node:fs');
  rmSync(join(dir, 'exports', 'current'));
  symlinkSync(join(dir, 'other'), join(dir, 'exports', 'current'));
  const before = fingerprint(join(dir, 'other'));
  await t.rejects(openSource(source, 0, deps), { code: 'CONFIG_PATH_NOT_ALLOWED', message: /sources\[0\]\.file: source "exports" may not use file ".*other\/business\.sqlite": .*symbolic link/ }, 'opening is refused');
  t.equal(fingerprint(join(dir, 'other')), before, 'and the file behind it is untouched');

  const onData: SourceConfig = { name: 'drop', kind: 'folder', path: './data', stableMs: 0, usePolling: false };
  const dataBefore = fingerprint(join(etc, 'data'));
  const problems = await tryConfiguration({ sources: [], jobs: [] }, { sources: [onData], jobs: [] }, 5, deps);
  t.match(problems, [{ code: 'CONTROL_TRIAL_FOLDER', message: /CONFIG_PATH_NOT_ALLOWED[\s\S]*source "drop" may not use path ".*etc\/data": .*data folder/ }], 'trying a drop folder on the data folder is refused');
  t.equal(fingerprint(join(etc, 'data')), dataBefore, 'and nothing was created there');
  mkdirSync(join(dir, 'exports', 'drop'));
  t.same(await tryConfiguration({ sources: [], jobs: [] }, { sources: [{ ...onData, path: '../exports/drop' }], jobs: [] }, 5, deps), [], 'a drop folder inside the allowed folder is tried as before');
});
