/**
 * `credit-gateway store backup` and `store restore` (issue 11 item 4) on
 * real processes and real files: a backup taken while a gateway reads and
 * delivers is whole, private and restorable with no seq going back; one
 * that cannot be written (a full disk, a missing folder) fails with its
 * code and leaves nothing behind.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { createReceiver } from '../../../scripts/receiver/index.js';
import { recordId } from '../../../gateway/records/record-id.js';
import { backupStore } from '../../../gateway/store/backup.js';
import { Store } from '../../../gateway/store/store.js';
import { page, rec } from './helpers.js';
import { unpackLine } from '../../../gateway/store/outbox-lines.js';
import { createPenaltyDb, TEST_SECRET, updateRows, writeTestConfig } from '../../helpers/business-db.js';
import { CLI, expectConserved, startGatewayProcess } from '../../helpers/conservation.js';
import { fillDisk, mountTmpfs } from '../../helpers/tmpfs.js';
import { until, untilOrFail } from '../../helpers/wait.js';

const run = promisify(execFile);

/** The CLI as an operator runs it; never throws, so a failure's output can be asserted. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliWith({}, ...args);
}

async function cliWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function readOnly(file: string): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true });
}

function count(file: string, table: string): number {
  const db = readOnly(file);
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

t.test('a backup taken while the gateway reads and delivers is whole, private, and restores with no seq going back', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 2000, { invalid: [7] });
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(async () => {
    business.db.close();
    await receiver.close();
  });
  // Small pages and slow, small batches: the store is being written and delivered from during the whole copy.
  receiver.injectFault({ path: 'batches', delayMs: 20, times: 1_000_000 });
  const configFile = writeTestConfig({ dir, businessDb: business.file, platformUrl: url, pageSize: 50, batchMaxRecords: 40, pollSecs: 1 });
  const storeFile = join(dir, 'data', 'gateway.sqlite');

  const gw = startGatewayProcess(configFile);
  t.teardown(async () => {
    gw.child.kill('SIGKILL');
    await gw.exited;
  });
  await untilOrFail(() => receiver.stats().accepted, (n) => n >= 200, 'the platform accepted 200 records');
  const committedBefore = count(storeFile, 'record_state');
  t.ok(committedBefore > 0, 'the gateway has committed pages before the backup starts');
  updateRows(business.db, Array.from({ length: 40 }, (_, i) => 100 + i), 'v2');

  const copy = join(dir, 'copy.sqlite');
  const backup = await cli('store', 'backup', copy, '--config', configFile);
  t.equal(backup.code, 0, `store backup succeeds while the gateway runs: ${backup.stderr}`);
  t.match(backup.stdout, /quick_check ok/);
  t.equal(statSync(copy).mode & 0o777, 0o600, 'the copy is private to the gateway user');
  t.equal(statSync(`${copy}.json`).mode & 0o777, 0o600, 'and so is its restore information');
  const db = readOnly(copy);
  t.equal((db.pragma('quick_check', { simple: true }) as string), 'ok', 'the copy passes quick_check');
  db.close();
  t.ok(count(copy, 'record_state') >= committedBefore, 'the copy holds every record committed before it started');
  t.same(readdirSync(dir).filter((f) => f.includes('partial')), [], 'no temp file is left');
  const info = JSON.parse(readFileSync(`${copy}.json`, 'utf8')) as { storeId: string; highWater: number };
  t.match(info, { storeId: /^[0-9a-f]{32}$/, highWater: Number });

  // The gateway goes on after the copy: the platform gets seqs the copy never saw. Rows changed now
  // make sure of it: a loaded machine may have delivered the whole table while the copy was made.
  updateRows(business.db, Array.from({ length: 40 }, (_, i) => 1500 + i), 'v2b');
  const sentAfterCopy = await until(() => receiver.records().filter((r) => r.seq > info.highWater).length, (n) => n >= 40);
  t.ok(sentAfterCopy >= 40, `the platform got seqs above the copy's high-water mark ${info.highWater}`);
  gw.child.kill('SIGTERM');
  t.equal(await gw.exited, 0, 'the gateway stops cleanly');
  const highestSent = Math.max(...receiver.records().map((r) => r.seq));

  const changedLater = Array.from({ length: 30 }, (_, i) => 1000 + i);
  updateRows(business.db, changedLater, 'v3');
  const restore = await cli('store', 'restore', copy, '--config', configFile);
  t.equal(restore.code, 0, `store restore succeeds with the gateway stopped: ${restore.stderr}`);
  t.match(restore.stdout, /kept as .*gateway\.sqlite\.before-restore-/);
  const aside = readdirSync(join(dir, 'data')).filter((f) => f.startsWith('gateway.sqlite.before-restore-') && !/-(wal|shm)$/.test(f));
  t.equal(aside.length, 1, 'the store it replaced is kept aside, not deleted');
  t.equal(statSync(storeFile).mode & 0o777, 0o600, 'the restored store is private');

  receiver.clearFaults();
  const again = startGatewayProcess(configFile);
  t.teardown(async () => {
    again.child.kill('SIGKILL');
    await again.exited;
  });
  await expectConserved(t, { receiver, business: business.db, invalid: [7] });
  const later = new Set(changedLater.map((id) => recordId('hs-test', 'P07-002', String(id))));
  const laterSeqs = receiver.records().filter((r) => later.has(r.id)).map((r) => r.seq);
  t.equal(laterSeqs.length, changedLater.length);
  t.ok(laterSeqs.every((s) => s > highestSent), 'what the restored store sends carries seqs above every seq sent before the restore');
  again.child.kill('SIGTERM');
  t.equal(await again.exited, 0);
});

t.test('a backup to a full disk fails with its code and leaves no partial file', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 300);
  t.teardown(() => business.db.close());
  const configFile = writeTestConfig({ dir, businessDb: business.file, platformUrl: 'http://127.0.0.1:9' });
  const queued = await cli('run', 'penalties', '--no-deliver', '--config', configFile);
  t.equal(queued.code, 0, `a store with records to copy: ${queued.stderr}`);

  const disk = mountTmpfs(t, 1);
  if (!disk) return;
  fillDisk(disk);
  const target = join(disk, 'copy.sqlite');
  const result = await cli('store', 'backup', target, '--config', configFile);
  t.not(result.code, 0, 'the command fails');
  t.match(result.stderr, /^STORE_BACKUP_FAILED: .*copy\.sqlite/m, 'with the catalogued code and the file');
  t.match(result.stderr, /what to do: .*room for a copy/);
  t.same(readdirSync(disk), ['filler.bin'], 'no backup, no temp file, no restore information is left on the disk');
});

t.test('a backup into a folder that does not exist fails with its code', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 10);
  t.teardown(() => business.db.close());
  const configFile = writeTestConfig({ dir, businessDb: business.file, platformUrl: 'http://127.0.0.1:9' });
  t.equal((await cli('run', 'penalties', '--no-deliver', '--config', configFile)).code, 0);
  const result = await cli('store', 'backup', join(dir, 'missing', 'copy.sqlite'), '--config', configFile);
  t.not(result.code, 0);
  t.match(result.stderr, /^STORE_BACKUP_FAILED: /m);
  t.notOk(existsSync(join(dir, 'missing')), 'nothing was created in its place');
});

t.test('restore refuses while the gateway runs, and changes nothing', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 20);
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(async () => {
    business.db.close();
    await receiver.close();
  });
  const configFile = writeTestConfig({ dir, businessDb: business.file, platformUrl: url });
  const gw = startGatewayProcess(configFile);
  t.teardown(async () => {
    gw.child.kill('SIGKILL');
    await gw.exited;
  });
  await untilOrFail(() => receiver.stats().accepted, (n) => n >= 20, 'the platform accepted 20 records');
  const copy = join(dir, 'copy.sqlite');
  t.equal((await cli('store', 'backup', copy, '--config', configFile)).code, 0);
  const result = await cli('store', 'restore', copy, '--config', configFile);
  t.not(result.code, 0);
  t.match(result.stderr, /^STORE_LOCKED: .*credit-gateway start/m, 'the running gateway is named');
  t.same(readdirSync(join(dir, 'data')).filter((f) => f.includes('before-restore') || f.includes('restoring')), [], 'the store was not touched');
});

t.test('with store.encryption the copy stays sealed; without it, it holds what the store holds', async (t) => {
  const name = Buffer.from('黄石测试企业42有限公司', 'utf8');
  const copies: Record<string, Buffer> = {};
  const lines: Record<string, string[]> = {};
  const readableLines = (file: string): string[] => {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare('SELECT line, form FROM outbox').all() as { line: string | Buffer; form: number }[]).flatMap((r) => {
        try {
          return [unpackLine(r.line, r.form, null)];
        } catch {
          return [];
        }
      });
    } finally {
      db.close();
    }
  };
  for (const sealed of [false, true]) {
    const dir = t.testdir({});
    const business = createPenaltyDb(dir, 50);
    t.teardown(() => business.db.close());
    const configFile = writeTestConfig({ dir, businessDb: business.file, platformUrl: 'http://127.0.0.1:9' });
    const env = sealed ? { CREDIT_GATEWAY_SECRET_STORE_KEY: randomBytes(32).toString('hex') } : {};
    if (sealed) {
      const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
      writeFileSync(configFile, JSON.stringify({ ...config, store: { encryption: { keyRef: 'store_key' } } }));
    }
    t.equal((await cliWith(env, 'run', 'penalties', '--no-deliver', '--config', configFile)).code, 0);
    const copy = join(dir, 'copy.sqlite');
    const result = await cliWith(env, 'store', 'backup', copy, '--config', configFile);
    t.equal(result.code, 0, result.stderr);
    t.match(result.stdout, sealed ? /stay sealed/ : /in the clear/, 'the operator is told what the copy holds');
    copies[sealed ? 'sealed' : 'plain'] = readFileSync(copy);
    lines[sealed ? 'sealed' : 'plain'] = readableLines(copy);
  }
  // Outbox lines are compressed, so the name is looked for in what the copy gives anyone who opens it without a key.
  t.ok(lines.plain!.some((l) => l.includes(name.toString('utf8'))), 'a plaintext store\'s copy holds the party names (so the checks below can fail)');
  t.same(lines.sealed, [], 'no line of a sealed store\'s copy can be read without the key');
  t.notOk(copies.sealed!.includes(name), 'nor does the name appear anywhere in its bytes');
});

t.test('a backup finishes while another connection writes to the store between every step of the copy', async (t) => {
  const dir = t.testdir({});
  const storeFile = join(dir, 'gateway.sqlite');
  const store = Store.open({ file: storeFile });
  // About 2 MB: the copy takes many of SQLite's 100-page steps unless it is made in one.
  for (let p = 0; p < 4; p++) store.commitPage(page('penalties', Array.from({ length: 500 }, (_, i) => rec(`k${p}-${i}`, { NAME: randomBytes(400).toString('hex') }))));
  store.close();
  // A gateway writing all the time: a write lands between any two steps of the copy, which makes
  // SQLite restart a stepwise copy from its first page, again and again.
  const writer = new Database(storeFile);
  writer.pragma('journal_mode = WAL');
  let writing = true;
  let writes = 0;
  const write = () => {
    if (!writing) return;
    writer.prepare('UPDATE seq_counter SET last_seq = last_seq WHERE id = 1').run();
    writer.prepare(`INSERT OR REPLACE INTO job_passes (job, pass) VALUES ('writer', ?)`).run(++writes);
    setImmediate(write);
  };
  setImmediate(write);
  t.teardown(() => {
    writing = false;
    writer.close();
  });
  const copy = join(dir, 'copy.sqlite');
  const info = await backupStore(storeFile, copy);
  writing = false;
  t.ok(writes > 0, 'the store was written while it was copied');
  t.equal(count(copy, 'outbox'), 2000, 'and the copy is whole');
  t.match(info, { storeVersion: Number });
});
