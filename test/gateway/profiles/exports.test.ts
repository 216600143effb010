/**
 * Issue 13's acceptance, end to end: twelve raw exports of national and
 * provincial systems (written by xlwt, SheetJS, exceljs, WPS, as GBK and
 * BOM CSV; test/helpers/exports) dropped into a gateway's folder, each read
 * by its profile from the configuration, delivered to the reference
 * receiver; every bad row reported where the clerk finds it in the export;
 * next month's exports send only the rows that changed.
 *
 * One gateway for the whole corpus, in this process.
 */
import t, { type Test } from 'tap';
import { copyFileSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import pino from 'pino';
import { stringify } from 'yaml';
import { loadConfigFile } from '../../../config/load.js';
import { envelopeFor, generateKeys } from '../../../gateway/control/keys.js';
import { Gateway } from '../../../gateway/gateway.js';
import { createReceiver, type Receiver, type StoredRecord } from '../../../scripts/receiver/index.js';
import { allProfiles, buildCorpus, EXPORTS, expectedOutcome, travelling, type BuiltExport, type ExpectedOutcome } from '../../helpers/exports/corpus.js';
import { until, untilOrFail } from '../../helpers/wait.js';

const GATEWAY = 'hs-exports';
const SECRET = 'hs-credit-exports-secret';
const logger = pino({ level: 'silent' });

/** Providers whose categories the corpus feeds: one gateway stands in for several departments. */
const PROVIDERS = ['P02', 'P06', 'P07', 'P13', 'P36', 'P45'];

interface Running {
  dir: string;
  gateway: Gateway;
  receiver: Receiver;
  folder(sub: string): string;
}

async function start(t: Test): Promise<Running> {
  const dir = t.testdir({ october: {}, november: {} });
  const receiver = createReceiver({ gateways: { [GATEWAY]: SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  const file = join(dir, 'gateway.yaml');
  // The profiles as a clerk pastes them: YAML under `profiles:`.
  writeFileSync(file, stringify({
    gateway: { id: GATEWAY, department: '黄石市测试部门', provider: PROVIDERS, dataDir: './data' },
    platform: { url, secretRef: 'platform', backoffBaseMs: 50, backoffMaxMs: 500, heartbeatIntervalSecs: 3600 },
    status: { host: '127.0.0.1', port: 0 },
    sources: [{ name: 'drop', kind: 'folder', path: './drop', stableMs: 200 }],
    profiles: allProfiles(),
  }));
  const gateway = await Gateway.start(loadConfigFile(file, { CREDIT_GATEWAY_SECRET_PLATFORM: SECRET }), { logger, softwareVersion: 'test' });
  t.teardown(async () => {
    await gateway.stop();
    await receiver.close();
  });
  return { dir, gateway, receiver, folder: (sub) => join(dir, 'drop', sub) };
}

/** Dropped as a careful copy does: under a temporary name, then renamed into place. */
function drop(g: Running, built: BuiltExport): void {
  const incoming = g.folder('incoming');
  copyFileSync(built.path, join(incoming, `${built.spec.file}.part`));
  renameSync(join(incoming, `${built.spec.file}.part`), join(incoming, built.spec.file));
}

function processedFiles(g: Running): number {
  return g.gateway.snapshot().sources[0]?.files?.processed ?? 0;
}

/** The report of one dropped file: 工作表, 行号, 字段, 原因代码, 原因. */
function report(g: Running, file: string): string[][] {
  const name = readdirSync(g.folder('processed')).find((n) => n.endsWith(`_${file}.errors.csv`));
  if (!name) return [];
  return parse(readFileSync(join(g.folder('processed'), name), 'utf8'), { bom: true }) as string[][];
}

function checkDelivered(t: Test, expected: ExpectedOutcome, held: Map<string, StoredRecord>): void {
  for (const r of expected.records) {
    const got = held.get(r.id) as (StoredRecord & { provenance?: unknown }) | undefined;
    const where = `${r.file} ${r.sheet ? `${r.sheet}!` : '行 '}${r.rowNumber}`;
    if (!got) {
      t.fail(`${where}: record ${r.key.replaceAll('\u001f', ' / ')} arrived`);
      continue;
    }
    t.match(got, { category: r.category, op: 'upsert', data: r.data, ...(r.subject ? { subject: r.subject } : {}) }, `${where}: category, values and subject`);
    t.same(got.provenance, r.provenance, `${where}: provenance`);
  }
  for (const u of expected.unread) {
    const leaked = [...held.values()].filter((rec) => u.texts.some((v) => Object.values(rec.data ?? {}).includes(v)));
    t.same(leaked.map((r) => r.data), [], `nothing of sheet ${u.sheet} arrived`);
  }
}

function checkReported(t: Test, g: Running, expected: ExpectedOutcome, file: string, skipped: string[] = []): void {
  const lines = report(g, file);
  for (const sheet of skipped) t.ok(lines.some((l) => l[0] === sheet && l[3] === 'FILE_SHEET_SKIPPED'), `${file}: sheet ${sheet}, read by no profile, is named as skipped`);
  if (expected.rejections.length === 0 && lines.length === 0) return;
  t.same(lines[0], ['工作表', '行号', '字段', '原因代码', '原因'], `${file}: the report's columns`);
  for (const r of expected.rejections) {
    const line = lines.find((l) => l[0] === r.sheet && l[1] === String(r.rowNumber) && l[3] === r.code);
    t.ok(line, `${file}: ${r.sheet ? `${r.sheet}!` : '行 '}${r.rowNumber} reported as ${r.code}`);
    if (!line) continue;
    t.equal(line[2], r.column, `${file} ${r.rowNumber}: the column by its header in the export`);
    t.match(line[4], /[\u4e00-\u9fff]/, `${file} ${r.rowNumber}: the reason in Chinese`);
  }
  const rejected = new Set(expected.rejections.map((r) => `${r.sheet}!${r.rowNumber}`));
  const others = lines.slice(1).filter((l) => l[1] !== '' && !rejected.has(`${l[0]}!${l[1]}`) && l[3] !== 'FILE_SHEET_SKIPPED' && l[3] !== 'FILE_COLUMN_ABSENT');
  t.same(others, [], `${file}: no good row is reported`);
}

t.test('twelve raw exports dropped into the folder: good rows delivered with category, key, values and provenance; bad rows reported where the clerk finds them; next month only the changed rows travel', async (t) => {
  const g = await start(t);
  const october = await buildCorpus(join(g.dir, 'october'), 0);
  const expected = october.map((b) => expectedOutcome(b.spec, GATEWAY));
  const total = expected.reduce((n, e) => n + e.records.length, 0);

  for (const built of october) drop(g, built);
  await until(() => processedFiles(g), (n) => n === october.length, 120_000);
  t.equal(processedFiles(g), october.length, 'every export was read');
  t.same(await g.gateway.flush(), { pending: 0, reason: null }, 'everything queued is delivered');
  const held = g.receiver.records();
  t.same(readdirSync(g.folder('incoming')), [], 'none is left waiting');
  t.equal(held.length, total, `${total} records, no more`);

  const byId = new Map(held.map((r) => [r.id, r]));
  october.forEach((built, i) => {
    t.test(`${built.spec.what}: ${built.spec.file}`, async (t) => {
      checkDelivered(t, expected[i]!, byId);
      // Visible sheets no profile reads (notes) are named in the report; hidden ones are passed over silently.
      const skipped = built.spec.sheets.filter((s) => !s.profile && !s.hidden).map((s) => s.name);
      checkReported(t, g, expected[i]!, built.spec.file, skipped);
      for (const hidden of built.spec.sheets.filter((s) => s.hidden)) t.notOk(report(g, built.spec.file).some((l) => l[0] === hidden.name), `${built.spec.file}: nothing about hidden sheet ${hidden.name}`);
    });
  });

  await t.test('next month: the same exports with a few rows changed, and only those travel', async (t) => {
    const november = await buildCorpus(join(g.dir, 'november'), 1);
    const next = november.map((b) => expectedOutcome(b.spec, GATEWAY));
    const moving = next.flatMap((e, i) => travelling(expected[i]!, e));
    const before = g.receiver.stats().accepted;
    const lastSeq = Math.max(...g.receiver.records().map((r) => r.seq));

    for (const built of november) drop(g, built);
    await untilOrFail(() => processedFiles(g), (n) => n === october.length + november.length, 'every export of both months was read', 120_000);
    t.same(await g.gateway.flush(), { pending: 0, reason: null });

    t.equal(g.receiver.stats().accepted - before, moving.length, `${moving.length} records travelled, no more`);
    const fresh = g.receiver.records().filter((r) => r.seq > lastSeq);
    t.same(fresh.map((r) => r.id).sort(), moving.map((r) => r.id).sort(), 'exactly the changed and the new rows');
    const nowById = new Map(g.receiver.records().map((r) => [r.id, r]));
    november.forEach((built, i) => {
      checkDelivered(t, { records: moving.filter((r) => r.file === built.spec.file), rejections: [], unread: next[i]!.unread }, nowById);
      checkReported(t, g, next[i]!, built.spec.file);
    });
  });
});

t.test('a profile the credit center signs into a bundle reads the export as a local one would, with the same provenance', async (t) => {
  const dir = t.testdir({ exports: {}, bundles: {} });
  const receiver = createReceiver({ gateways: { [GATEWAY]: SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  const keys = generateKeys();
  writeFileSync(join(dir, 'center-public.pem'), keys.publicKeyPem);
  const [teachers] = EXPORTS;
  const spec = teachers!(0);
  const sources = [{ name: 'drop', kind: 'folder', path: join(dir, 'drop'), stableMs: 200 }];
  // The department's own file knows nothing of the national system's export.
  writeFileSync(join(dir, 'gateway.yaml'), stringify({
    gateway: { id: GATEWAY, department: '黄石市测试部门', provider: PROVIDERS, dataDir: './data' },
    platform: { url, secretRef: 'platform', backoffBaseMs: 50, backoffMaxMs: 500, heartbeatIntervalSecs: 3600 },
    status: { host: '127.0.0.1', port: 0 },
    control: { publicKeyFile: 'center-public.pem', trialRows: 5, probationSecs: 30, bundleFolder: 'bundles' },
    sources,
  }));
  const bundle = { gatewayId: GATEWAY, version: 2, issuedAt: '2026-11-01T09:00:00+08:00', sources, jobs: [], profiles: spec.profiles };
  writeFileSync(join(dir, 'bundles', 'jszg.json'), JSON.stringify(envelopeFor(Buffer.from(JSON.stringify(bundle)), keys.privateKeyPem)));
  const gateway = await Gateway.start(loadConfigFile(join(dir, 'gateway.yaml'), { CREDIT_GATEWAY_SECRET_PLATFORM: SECRET }), { logger, softwareVersion: 'test' });
  t.teardown(async () => {
    await gateway.stop();
    await receiver.close();
  });
  await until(() => gateway.configView().version, (v) => v === 2, 30_000);
  t.equal(gateway.configView().version, 2, 'the signed bundle is applied');

  const [built] = await buildCorpus(join(dir, 'exports'), 0, [teachers!]);
  drop({ dir, gateway, receiver, folder: (sub) => join(dir, 'drop', sub) }, built!);
  const expected = expectedOutcome(spec, GATEWAY);
  await untilOrFail(() => gateway.snapshot().sources[0]?.files?.processed ?? 0, (n) => n === 1, 'the export was read', 60_000);
  t.same(await gateway.flush(), { pending: 0, reason: null });
  t.equal(receiver.records().length, expected.records.length, 'every good row arrived');
  checkDelivered(t, expected, new Map(receiver.records().map((r) => [r.id, r])));
});
