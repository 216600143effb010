/**
 * The disk guard on a real small filesystem (tmpfs): the reserve is made,
 * given up only for a write delivery needs on a full disk, and made again
 * once there is room; the store's WAL is checkpointed away, and its free
 * pages given back once the queue drained.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { DiskGuard, RESERVE_FILE, type DiskState } from '../../../gateway/store/disk.js';
import { Store } from '../../../gateway/store/store.js';
import { fillDisk, freeBytes, freeDisk, mountTmpfs } from '../../helpers/tmpfs.js';
import { idFor, page, rec } from './helpers.js';

const MiB = 1024 * 1024;
const silent = pino({ level: 'silent' });
const sqliteFull = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

function guardOn(dir: string, store: { checkpoint(): boolean; usage(): { usedBytes: number; walBytes: number } }, changes: DiskState[] = []) {
  const guard = new DiskGuard({
    dataDir: dir, store, limits: { minFreeBytes: 2 * MiB, maxStoreBytes: null }, reserveBytes: 1 * MiB, logger: silent,
    onChange: (s) => changes.push(s), tickMs: 3_600_000,
  });
  return guard;
}

t.test('the reserve is held while there is room, given up for a delivery write on a full disk, and made again once space returns', async (t) => {
  const dir = mountTmpfs(t, 8);
  if (!dir) return;
  let checkpoints = 0;
  const changes: DiskState[] = [];
  const guard = guardOn(dir, { checkpoint: () => (checkpoints++, true), usage: () => ({ usedBytes: 0, walBytes: 0 }) }, changes);
  guard.start();
  t.teardown(() => guard.stop());
  const reserve = join(dir, RESERVE_FILE);
  t.equal(statSync(reserve).size, 1 * MiB, 'the reserve is a real file of reserveMiB');
  t.equal(statSync(reserve).mode & 0o777, 0o600, 'private to the gateway user');
  t.equal(guard.paused(), false);

  const filler = fillDisk(dir);
  t.equal(guard.check().reason, 'low_space', 'below the floor: reading pauses');

  let tries = 0;
  const answer = guard.mustWrite(() => {
    tries += 1;
    if (tries === 1) throw sqliteFull();
    return 'recorded';
  });
  t.equal(answer, 'recorded', 'the write went through on its second try');
  t.equal(checkpoints, 1, 'after a WAL checkpoint');
  t.notOk(existsSync(reserve), 'and with the reserve given up');
  t.ok(freeBytes(dir) >= 1 * MiB, 'its room is free for the store');
  t.equal(guard.check().reason, 'disk_full', 'reading stays paused: the disk is full');

  t.throws(() => guard.mustWrite(() => { throw sqliteFull(); }), { code: 'SQLITE_FULL' }, 'a write that still does not fit fails to the caller, which keeps it');
  t.throws(() => guard.mustWrite(() => { throw Object.assign(new Error('locked'), { code: 'SQLITE_BUSY' }); }), { code: 'SQLITE_BUSY' }, 'other errors pass through');

  freeDisk(filler);
  const after = guard.check();
  t.equal(after.paused, false, 'space returned: reading resumes');
  t.equal(statSync(reserve).size, 1 * MiB, 'with the reserve made again first');
  t.same(changes.map((c) => c.reason), ['low_space', 'disk_full', null], 'each change of pause reported once');
});

t.test('a reserve that cannot be made keeps reading paused until there is room for it', async (t) => {
  const dir = mountTmpfs(t, 4);
  if (!dir) return;
  const filler = fillDisk(dir);
  const guard = guardOn(dir, { checkpoint: () => true, usage: () => ({ usedBytes: 0, walBytes: 0 }) });
  guard.start();
  t.teardown(() => guard.stop());
  const state = guard.check();
  t.equal(state.reason, 'low_space', 'too little room: reading waits, and the disk was never full for the store');
  t.equal(state.minFreeBytes, 3 * MiB, 'it waits for the floor and the reserve');
  t.notOk(existsSync(join(dir, RESERVE_FILE)), 'no half-made reserve is left behind');
  freeDisk(filler);
  t.equal(guard.check().paused, false);
});

t.test('the store reports its size in used pages plus WAL, and a checkpoint empties the WAL', async (t) => {
  const dir = t.testdir({});
  const store = Store.open({ file: join(dir, 'gateway.sqlite') });
  t.teardown(() => store.close());
  const records = Array.from({ length: 2000 }, (_, i) => rec(String(i), { NAME: 'x'.repeat(500) }));
  for (let i = 0; i < records.length; i += 200) store.commitPage(page('penalties', records.slice(i, i + 200), { cursor: [i] }));
  const full = store.usage();
  t.ok(full.walBytes > 0, 'writes went to the WAL');
  t.ok(full.usedBytes > 1 * MiB, `the queued records count (${full.usedBytes} bytes)`);

  t.equal(store.checkpoint(), true, 'no reader held the WAL');
  t.equal(statSync(join(dir, 'gateway.sqlite-wal')).size, 0, 'the WAL file is truncated');

  for (;;) {
    const batch = store.nextBatch({ maxRecords: 500, maxBytes: 8 * MiB }, () => `b${Math.random()}`);
    if (!batch) break;
    store.acknowledge(batch.batchId, { rejected: [], at: new Date().toISOString() });
  }
  store.checkpoint();
  const drained = store.usage();
  t.ok(drained.usedBytes < full.usedBytes / 2, `delivered records no longer count, though the file keeps its pages for reuse (${drained.usedBytes} bytes)`);
  t.ok(statSync(join(dir, 'gateway.sqlite')).size > drained.usedBytes, 'the file itself did not shrink');
});

/** 2000 queued records of about 500 bytes that hardly compress, all delivered; returns the file's size before and after the guard saw the queue drain. */
function fillAndDrain(dir: string, file: string): { full: number; drained: number } {
  const store = Store.open({ file });
  try {
    const records = Array.from({ length: 2000 }, (_, i) => rec(String(i), { NAME: randomBytes(250).toString('hex') }));
    for (let i = 0; i < records.length; i += 200) store.commitPage(page('penalties', records.slice(i, i + 200), { cursor: [i] }));
    store.checkpoint();
    const full = statSync(file).size;
    for (;;) {
      const batch = store.nextBatch({ maxRecords: 500, maxBytes: 8 * MiB }, () => `b${Math.random()}`);
      if (!batch) break;
      store.acknowledge(batch.batchId, { rejected: [], at: new Date().toISOString() });
    }
    const guard = new DiskGuard({ dataDir: dir, store, limits: { minFreeBytes: 0, maxStoreBytes: null }, reserveBytes: 0, logger: silent, tickMs: 3_600_000 });
    guard.drained();
    return { full, drained: statSync(file).size };
  } finally {
    store.close();
  }
}

t.test('once the queue drained, the pages delivered records held go back to the disk, and the store stays sound', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'gateway.sqlite');
  const { full, drained } = fillAndDrain(dir, file);
  t.ok(drained < full / 3, `the file shrank from ${full} to ${drained} bytes`);
  const store = Store.open({ file });
  t.teardown(() => store.close());
  t.same(store.integrityCheck(), []);
  t.equal(store.recordState(idFor('1999'))?.status, 'delivered', 'what stays after delivery is still there');
  t.equal(store.queueStats().pending, 0);
});

t.test('a store made before free pages were given back keeps its pages for reuse: it is never vacuumed unasked', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'gateway.sqlite');
  // A file that already has pages keeps SQLite's default (no auto_vacuum), as every older store has.
  const db = new Database(file);
  db.exec('CREATE TABLE before_the_gateway (a); DROP TABLE before_the_gateway');
  db.close();
  const { full, drained } = fillAndDrain(dir, file);
  t.ok(drained >= full, `the file keeps its size (${full}, then ${drained} bytes)`);
  const store = Store.open({ file });
  t.teardown(() => store.close());
  t.same(store.integrityCheck(), []);
  t.ok(store.usage().usedBytes < full / 3, 'its free pages are not counted as used');
});

t.test('a data folder that cannot be measured any more costs a warning at the next tick, never the process', async (t) => {
  const dir = t.testdir({ data: {} });
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => { warnings.push((JSON.parse(line) as { msg: string }).msg); } });
  const guard = new DiskGuard({
    dataDir: join(dir, 'data'), store: { checkpoint: () => true, usage: () => ({ usedBytes: 0, walBytes: 0 }) },
    limits: { minFreeBytes: 0, maxStoreBytes: null }, reserveBytes: 0, logger, tickMs: 20,
  });
  guard.start();
  t.teardown(() => guard.stop());
  rmSync(join(dir, 'data'), { recursive: true });
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.same(warnings, ["the data folder's disk could not be measured; trying again at the next tick"], 'one warning for a lasting failure, however many ticks');
  t.equal(guard.state().paused, false, 'the last measurement stands');
});

t.test('a data folder that cannot be measured any more leaves reading to the last measurement, with one warning however often it is asked', async (t) => {
  const dir = t.testdir({ data: {} });
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => { warnings.push((JSON.parse(line) as { msg: string }).msg); } });
  let usedBytes = 0;
  const guard = new DiskGuard({
    dataDir: join(dir, 'data'), store: { checkpoint: () => true, usage: () => ({ usedBytes, walBytes: 0 }) },
    limits: { minFreeBytes: 0, maxStoreBytes: 1 * MiB }, reserveBytes: 0, logger, tickMs: 3_600_000,
  });
  t.equal(guard.paused(), false, 'measured: room to read');
  rmSync(join(dir, 'data'), { recursive: true });
  t.equal(guard.paused(), false, 'gone: the last measurement stands, and a job run does not fail on it');
  t.equal(guard.paused(), false, 'asked again');
  t.same(warnings, ["the data folder's disk could not be measured; trying again at the next tick"], 'one warning for a lasting failure');

  mkdirSync(join(dir, 'data'));
  usedBytes = 2 * MiB;
  t.equal(guard.paused(), true, 'back: measured again, and the store over its limit pauses reading');
  rmSync(join(dir, 'data'), { recursive: true });
  t.equal(guard.paused(), true, 'gone again: the last measurement (paused) stands');
  t.equal(warnings.length, 2, 'a new failure after a good measurement is warned about again');
});

t.test('a guard that never measured its data folder does not pause reading for it', async (t) => {
  const dir = t.testdir({});
  const guard = new DiskGuard({
    dataDir: join(dir, 'missing'), store: { checkpoint: () => true, usage: () => ({ usedBytes: 0, walBytes: 0 }) },
    limits: { minFreeBytes: 0, maxStoreBytes: null }, reserveBytes: 0, logger: silent, tickMs: 3_600_000,
  });
  t.equal(guard.paused(), false);
});
