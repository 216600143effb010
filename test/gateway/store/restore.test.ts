/**
 * Putting a backup back (store/restore.ts) on real files: seqs continue
 * above every seq the folder sent, the store replaced is kept, and a
 * restore run as root leaves files the service user can open.
 */
import Database from 'better-sqlite3';
import t from 'tap';
import { chmodSync, chownSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { queuedForm } from '../../../gateway/jobs/queued-form.js';
import { backupStore } from '../../../gateway/store/backup.js';
import { dataFolderFiles, openDataFolder } from '../../../gateway/store/data-folder.js';
import { restoreBackup } from '../../../gateway/store/restore.js';
import { BIG, idFor, newId, page, rec } from './helpers.js';

const logger = pino({ level: 'silent' });

/** Commits `keys` as one page and has the platform acknowledge them; returns the highest seq sent. */
function send(dir: string, keys: string[], version: string): number {
  const folder = openDataFolder(dir, { logger, lockFor: 'start' });
  try {
    folder.store.commitPage(page('penalties', keys.map((k) => rec(k, { NAME: `${k} ${version}` }))));
    const batch = folder.store.nextBatch(BIG, newId)!;
    folder.store.acknowledge(batch.batchId, { rejected: [], at: new Date().toISOString() });
    return batch.records.at(-1)!.seq;
  } finally {
    folder.close();
  }
}

t.test('a restored store continues above every seq sent after its backup, and the replaced store is kept', async (t) => {
  const dir = t.testdir({ data: {} });
  const dataDir = join(dir, 'data');
  chmodSync(dataDir, 0o700);
  send(dataDir, ['1', '2'], 'v1');
  const files = dataFolderFiles(dataDir);
  const copy = join(dir, 'copy.sqlite');
  await backupStore(files.store, copy, { markerFile: files.marker });
  const sentAfter = send(dataDir, ['1', '3'], 'v2');

  const outcome = restoreBackup(dataDir, copy, { logger });
  t.equal(outcome.seqAbove, sentAfter, 'seqs continue above the last one sent after the backup');
  t.ok(readdirSync(dataDir).some((f) => f.startsWith('gateway.sqlite.before-restore-')), 'the replaced store is kept aside');
  const folder = openDataFolder(dataDir, { logger, lockFor: 'start' });
  t.teardown(() => folder.close());
  folder.store.commitPage(page('penalties', [rec('4')]));
  t.ok(folder.store.nextBatch(BIG, newId)!.records.every((r) => r.seq > sentAfter), 'the next seq handed out is above them');
});

t.test('a restore run as root leaves the store and its marker to the folder\'s owner (the service user)', async (t) => {
  if (process.getuid?.() !== 0) {
    t.pass('needs root, as CI runs', { skip: true });
    return;
  }
  const dir = t.testdir({ data: {} });
  const dataDir = join(dir, 'data');
  chmodSync(dataDir, 0o700);
  send(dataDir, ['1'], 'v1');
  const files = dataFolderFiles(dataDir);
  const copy = join(dir, 'copy.sqlite');
  await backupStore(files.store, copy, { markerFile: files.marker });
  const service = 65534; // nobody: stands for the credit-gateway user
  chownSync(dataDir, service, service);
  restoreBackup(dataDir, copy, { logger });
  for (const file of [files.store, files.marker]) {
    t.equal(statSync(file).uid, service, `${file} belongs to the service user`);
    t.equal(statSync(file).mode & 0o777, 0o600);
  }
});

t.test('lines a backup kept a page at a time leave with their rows when the platform acknowledged them since', async (t) => {
  const dir = t.testdir({ data: {} });
  const dataDir = join(dir, 'data');
  chmodSync(dataDir, 0o700);
  const records = ['1', '2', '3'].map((k) => rec(k, { NAME: `${k} v1` }));
  let folder = openDataFolder(dataDir, { logger, lockFor: 'start' });
  folder.store.commitPage({ ...page('penalties', records), ...queuedForm(records) });
  folder.close();
  const files = dataFolderFiles(dataDir);
  const copy = join(dir, 'copy.sqlite');
  await backupStore(files.store, copy, { markerFile: files.marker });
  t.same(chunkCount(copy), 1, 'the backup holds the page\'s chunk');
  folder = openDataFolder(dataDir, { logger, lockFor: 'start' });
  const batch = folder.store.nextBatch(BIG, newId)!;
  folder.store.acknowledge(batch.batchId, { rejected: [], at: new Date().toISOString() });
  folder.close();

  restoreBackup(dataDir, copy, { logger });
  t.equal(chunkCount(files.store), 0, 'the restored store keeps no chunk whose rows were acknowledged');
  folder = openDataFolder(dataDir, { logger, lockFor: 'start' });
  t.teardown(() => folder.close());
  t.equal(folder.store.nextBatch(BIG, newId), null, 'and sends none of them again');
});

t.test('a record the replaced store quarantined (its line damaged there) is sent from the backup, not taken for acknowledged', async (t) => {
  const dir = t.testdir({ data: {} });
  const dataDir = join(dir, 'data');
  chmodSync(dataDir, 0o700);
  let folder = openDataFolder(dataDir, { logger, lockFor: 'start' });
  folder.store.commitPage(page('penalties', [rec('1'), rec('2')]));
  folder.close();
  const files = dataFolderFiles(dataDir);
  const copy = join(dir, 'copy.sqlite');
  await backupStore(files.store, copy, { markerFile: files.marker });
  const db = new Database(files.store);
  db.prepare('UPDATE outbox SET line = substr(line, 1, 8) WHERE seq = (SELECT max(seq) FROM outbox)').run();
  db.close();
  folder = openDataFolder(dataDir, { logger, lockFor: 'start' });
  const batch = folder.store.nextBatch(BIG, newId)!;
  t.same(batch.records.map((r) => r.id), [idFor('1')], 'the replaced store sent record 1 and quarantined record 2');
  folder.store.acknowledge(batch.batchId, { rejected: [], at: new Date().toISOString() });
  folder.close();

  restoreBackup(dataDir, copy, { logger });
  folder = openDataFolder(dataDir, { logger, lockFor: 'start' });
  t.teardown(() => folder.close());
  t.same(folder.store.nextBatch(BIG, newId)?.records.map((r) => r.id), [idFor('2')], 'the backup\'s readable line of record 2 goes out; record 1 does not again');
  t.equal(folder.store.recordState(idFor('2'))!.status, 'queued');
});

function chunkCount(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM outbox_chunks').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
