/**
 * The data folder refuses a store it cannot trust (issue 10 cases 2 and 10)
 * and lets one process at a time write it (case 11), on real files: emptied,
 * deleted, cut in half, overwritten, replaced, an old backup put back.
 */
import t, { type Test } from 'tap';
import { chmodSync, chownSync, copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { dataFolderFiles, openDataFolder, recoverDataFolder } from '../../../gateway/store/data-folder.js';
import { seqFloorAt } from '../../../gateway/store/records.js';
import { BIG, newId, page, rec } from './helpers.js';
import { describeError, GATEWAY_ERRORS } from '../../../gateway/errors.js';

/** A data folder as the gateway makes it (and any folders inside): private to the service user (0700), else it is refused before anything else. */
function privateDir(t: Test, folders: readonly string[] = []): string {
  const dir = t.testdir(Object.fromEntries(folders.map((name) => [name, {}])));
  for (const d of [dir, ...folders.map((name) => join(dir, name))]) chmodSync(d, 0o700);
  return dir;
}

const logger = pino({ level: 'silent' });
/** A machine clock fixed at 0: seqs then count from the stored counter alone, so the marker's part shows. */
const stopped = () => 0;

/** A folder whose store sent `n` records in one batch, closed again; returns the highest seq sent. */
function used(dir: string, n: number, clock: () => number = stopped): number {
  const folder = openDataFolder(dir, { logger, lockFor: 'start', clock });
  folder.store.commitPage(page('penalties', Array.from({ length: n }, (_, i) => rec(String(i + 1)))));
  const batch = folder.store.nextBatch(BIG, newId)!;
  folder.store.acknowledge(batch.batchId, { rejected: [], at: new Date().toISOString() });
  folder.close();
  return batch.records.at(-1)!.seq;
}

function refusal(fn: () => unknown): { code: string; message: string; action?: string } {
  try {
    fn();
  } catch (err) {
    return describeError(err);
  }
  return { code: 'NONE', message: 'it was not refused' };
}

t.test('a folder remembers its store: the marker names it and the highest seq batched', async (t) => {
  const dir = privateDir(t);
  const sent = used(dir, 3);
  const marker = JSON.parse(readFileSync(dataFolderFiles(dir).marker, 'utf8')) as { storeId: string; highWater: number };
  t.equal(marker.highWater, sent, 'the highest seq that left in a batch');
  const again = openDataFolder(dir, { logger, lockFor: 'start', clock: stopped });
  t.equal(again.store.identity(), marker.storeId, 'the same store opens as itself');
  again.close();
});

t.test('an emptied or deleted store is refused with STORE_LOST and the way to recover', async (t) => {
  const dir = privateDir(t);
  used(dir, 3);
  const { store } = dataFolderFiles(dir);
  truncateSync(store, 0);
  const emptied = refusal(() => openDataFolder(dir, { logger, lockFor: 'start' }));
  t.equal(emptied.code, 'STORE_LOST');
  t.match(emptied.message, /gateway\.sqlite is empty, but this folder held store [0-9a-f]{32}, which sent seqs up to 3/);
  t.match(emptied.action, /credit-gateway store recover/);
  t.equal(statSync(store).size, 0, 'nothing was written into the emptied file');

  rmSync(store);
  t.match(refusal(() => openDataFolder(dir, { logger, lockFor: 'start' })), { code: 'STORE_LOST', message: /is missing/ });
  t.notOk(existsSync(store), 'no fresh store was made in its place');
  t.match(refusal(() => openDataFolder(dir, { logger, lockFor: null })), { code: 'STORE_LOST' }, 'read-only commands refuse it too');
});

t.test('a store cut in half or overwritten says it is damaged, and how to recover, not "check the folder is writable"', async (t) => {
  const dir = privateDir(t);
  used(dir, 400);
  const { store } = dataFolderFiles(dir);
  truncateSync(store, Math.floor(statSync(store).size / 2));
  const cut = refusal(() => openDataFolder(dir, { logger, lockFor: 'start' }));
  t.equal(cut.code, 'STORE_DAMAGED');
  t.match(cut.message, /damaged.*the file was cut/);
  t.match(cut.action, /store recover.*renamed aside and kept/);
  t.notMatch(cut.action, /writable/);

  writeFileSync(store, Buffer.alloc(8192, 0x41));
  t.match(refusal(() => openDataFolder(dir, { logger, lockFor: 'start' })), { code: 'STORE_DAMAGED', message: /does not start with the SQLite header/ });
});

t.test('SQLite reporting damage while running maps to STORE_DAMAGED too; a missing folder keeps its own hint', async (t) => {
  const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
  t.match(describeError(corrupt), { code: 'STORE_DAMAGED', action: GATEWAY_ERRORS.STORE_DAMAGED.action });
  const missing = refusal(() => openDataFolder(join(privateDir(t), 'no-such-folder'), { logger, lockFor: null }));
  t.equal(missing.code, 'STORE_OPEN_FAILED');
  t.match(missing.action, /data folder exists and is writable/);
});

t.test('another store put in the place of this folder\'s is refused with STORE_REPLACED', async (t) => {
  const dir = privateDir(t, ['a', 'b']);
  used(join(dir, 'a'), 2);
  used(join(dir, 'b'), 2);
  copyFileSync(dataFolderFiles(join(dir, 'b')).store, dataFolderFiles(join(dir, 'a')).store);
  t.match(refusal(() => openDataFolder(join(dir, 'a'), { logger, lockFor: 'start' })), { code: 'STORE_REPLACED', message: /but this folder last used store/ });
});

t.test('an old backup of the same store put back continues above the highest seq ever sent', async (t) => {
  const dir = privateDir(t);
  used(dir, 3);
  const { store } = dataFolderFiles(dir);
  copyFileSync(store, join(dir, 'backup.sqlite'));
  const folder = openDataFolder(dir, { logger, lockFor: 'start', clock: stopped });
  folder.store.commitPage(page('penalties', [rec('1', { NAME: 'v2' }), rec('2', { NAME: 'v2' })]));
  const later = folder.store.nextBatch(BIG, newId)!;
  t.same(later.records.map((r) => r.seq), [4, 5]);
  folder.close();

  copyFileSync(join(dir, 'backup.sqlite'), store);
  const restored = openDataFolder(dir, { logger, lockFor: 'start', clock: stopped });
  t.teardown(() => restored.close());
  t.equal(restored.store.lastSeq(), 5, 'the counter continues above the marker\'s high-water, not from the backup\'s 3');
  restored.store.commitPage(page('penalties', [rec('1', { NAME: 'v2' })]));
  t.same(restored.store.nextBatch(BIG, newId)!.records.map((r) => r.seq), [6], 'the change the backup missed goes out above every seq sent');
});

t.test('seqs carry the clock: a fresh store starts above anything sent while the clock was right', async (t) => {
  const dir = privateDir(t);
  const now = Date.UTC(2026, 11, 6, 12);
  const sent = used(dir, 2, () => now);
  t.equal(sent, seqFloorAt(now) + 1, 'the first page starts at ms x 1000');
  t.ok(Number.isSafeInteger(seqFloorAt(Date.UTC(2200, 0, 1))), 'and stays exact in JSON for two centuries');
  rmSync(dir, { recursive: true });
  t.equal(used(privateDir(t), 1, () => now + 1), seqFloorAt(now + 1), 'a store made a millisecond later on a new machine starts above');
});

t.test('store recover keeps the file aside, never deletes it, and starts a store above every seq sent', async (t) => {
  const dir = privateDir(t);
  used(dir, 400);
  const { store, marker } = dataFolderFiles(dir);
  const half = Math.floor(statSync(store).size / 2);
  truncateSync(store, half);
  const before = JSON.parse(readFileSync(marker, 'utf8')) as { storeId: string; highWater: number };

  const outcome = recoverDataFolder(dir, { logger, clock: stopped });
  t.match(outcome, { recovered: true, problem: 'STORE_DAMAGED', seqAbove: 400 });
  t.equal(statSync(outcome.keptAs!).size, half, 'the damaged file is kept, as it was');
  t.ok(readdirSync(dir).some((f) => f.startsWith('gateway.sqlite.damaged-')));

  const folder = openDataFolder(dir, { logger, lockFor: 'start', clock: stopped });
  t.teardown(() => folder.close());
  t.not(folder.store.identity(), before.storeId, 'a new store, which the marker now names');
  t.same(folder.store.cursors(), [], 'no cursor: every job reads its source again');
  folder.store.commitPage(page('penalties', [rec('1')]));
  t.same(folder.store.nextBatch(BIG, newId)!.records.map((r) => r.seq), [401], 'its seqs continue above the old high-water');
});

t.test('store recover of an emptied store, and of a sound one (nothing changes)', async (t) => {
  const dir = privateDir(t);
  used(dir, 3);
  t.match(recoverDataFolder(dir, { logger }), { recovered: false, problem: null }, 'a sound store is left alone');
  truncateSync(dataFolderFiles(dir).store, 0);
  const outcome = recoverDataFolder(dir, { logger, clock: stopped });
  t.match(outcome, { recovered: true, problem: 'STORE_LOST', seqAbove: 3 });
  t.equal(statSync(outcome.keptAs!).size, 0, 'even an empty file is renamed, not deleted');
  const folder = openDataFolder(dir, { logger, lockFor: 'start', clock: stopped });
  t.equal(folder.store.lastSeq(), 3);
  folder.close();
});

t.test('a recover run as root leaves the new store, its marker and lock to the folder\'s owner (the service user)', async (t) => {
  if (process.getuid?.() !== 0) {
    t.pass('needs root, as CI runs', { skip: true });
    return;
  }
  const dir = privateDir(t);
  used(dir, 3);
  truncateSync(dataFolderFiles(dir).store, 0);
  const service = 65534; // nobody: stands for the credit-gateway user
  chownSync(dir, service, service);
  t.match(recoverDataFolder(dir, { logger, clock: stopped }), { recovered: true });
  const { store, marker, lock } = dataFolderFiles(dir);
  for (const file of [store, marker, lock]) t.equal(statSync(file).uid, service, `${file} belongs to the service user`);
  for (const file of [store, marker]) t.equal(statSync(file).mode & 0o077, 0, `${file} stays private`);
});

t.test('one writer per folder: a second is refused naming the holder, readers still open it, and closing lets go', async (t) => {
  const dir = privateDir(t);
  const first = openDataFolder(dir, { logger, lockFor: 'start' });
  const second = refusal(() => openDataFolder(dir, { logger, lockFor: 'run' }));
  t.equal(second.code, 'STORE_LOCKED');
  t.match(second.message, new RegExp(`process ${process.pid} on .+ \\(credit-gateway start, since \\d{4}-`));
  t.match(refusal(() => recoverDataFolder(dir, { logger })), { code: 'STORE_LOCKED' }, 'store recover waits for the gateway to stop');
  const reader = openDataFolder(dir, { logger, lockFor: null });
  t.equal(reader.store.lastSeq(), 0, 'a read-only command opens the store beside it');
  reader.close();
  first.close();
  const third = openDataFolder(dir, { logger, lockFor: 'run' });
  t.pass('after the first closed, the next takes the folder');
  third.close();
});
