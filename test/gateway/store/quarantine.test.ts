/**
 * A queued record whose line cannot be read (bytes damaged in the store
 * file, a sealed value that no longer authenticates) costs that record, not
 * the queue: it leaves the outbox as a local rejection STORE_LINE_DAMAGED,
 * everything readable around and behind it reaches the platform once, and
 * when its source row is read again it is queued and sent like a changed
 * record. A damaged chunk costs exactly the records whose lines it held. A
 * value sealed with a key the gateway does not have still stops delivery:
 * that is a configuration to fix, not damage.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { monotonicFactory } from 'ulid';
import t, { type Test } from 'tap';
import type { CandidateRecord, Page } from '../../../gateway/model.js';
import { queuedForm } from '../../../gateway/jobs/queued-form.js';
import { parseKey, PayloadCipher } from '../../../gateway/store/payload-crypto.js';
import { Store } from '../../../gateway/store/store.js';
import { expand } from '../../../gateway/store/record-ids.js';
import { programBesideTest } from '../../helpers/beside.js';
import { deliverer, page, platformClient, rec, startReceiver } from '../delivery/helpers.js';

const JOB = 'penalties';
const cipherOf = (hex: string) => new PayloadCipher(parseKey(hex), 'aes-256-gcm');

/** A page as a mapping thread sends it: its lines kept as one chunk. */
const threadPage = (records: CandidateRecord[], job = JOB): Page => ({ ...page(records, job), ...queuedForm(records) });
const records = (from: number, n: number, version = 'v1') =>
  Array.from({ length: n }, (_, i) => rec(`k${from + i}`, { NAME: `黄石市某某商贸有限公司${from + i}`, NOTE: version }));

function fileIn(t: Test): string {
  return join(t.testdir({}), 'gateway.sqlite');
}

/** A second connection to the store file, as damage would come: not through the gateway. */
function alter(file: string, fn: (db: Database.Database) => void): void {
  const db = new Database(file);
  try {
    fn(db);
  } finally {
    db.close();
  }
}

const count = (file: string, sql: string): number => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** The bytes of a deflate stream overwritten in its middle: inflating them fails or yields the wrong number of lines. */
function garbled(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy.fill(0x55, 10, 40);
  return copy;
}

/** A sealed value with one byte of its ciphertext flipped: it no longer authenticates. */
function flipped(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy[copy.length - 20]! ^= 0x01;
  return copy;
}

async function deliverAll(t: Test, store: Store, url: string, maxRecords = 15) {
  const h = deliverer(t, store, platformClient(t, url), { limits: { maxRecords, maxBytes: 8 * 1024 * 1024 } });
  await h.drain();
  await h.deliverer.stop();
  return h;
}

const damagedRejections = (store: Store) => store.listRejections({ code: 'STORE_LINE_DAMAGED', limit: 1000 });

t.test('a damaged chunk costs exactly the records whose lines it held; the rest reach the platform once, and the lost ones arrive once read again', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const file = fileIn(t);
  let store = Store.open({ file });
  const pages = [records(0, 10), records(10, 10), records(20, 10)];
  for (const p of pages) store.commitPage(threadPage(p));
  store.close();
  t.equal(count(file, 'SELECT count(*) AS n FROM outbox_chunks'), 3, 'three pages, three chunks');
  alter(file, (db) => {
    const { lines } = db.prepare('SELECT lines FROM outbox_chunks WHERE first_seq = 11').get() as { lines: Buffer };
    db.prepare('UPDATE outbox_chunks SET lines = ? WHERE first_seq = 11').run(garbled(lines));
  });

  store = Store.open({ file });
  t.teardown(() => store.close());
  // Batches of 15 span the damaged chunk and both of its neighbours.
  await deliverAll(t, store, url);

  const delivered = receiver.records().map((r) => r.id).sort();
  t.same(delivered, [...pages[0]!, ...pages[2]!].map((r) => r.id).sort(), 'every record of the other chunks reached the platform');
  t.equal(receiver.stats().accepted, 20, 'each of them once');
  t.ok(receiver.batches().every((b) => b.status === 200), 'no batch was refused');
  const lost = damagedRejections(store);
  t.same(lost.map((r) => r.recordId).sort(), pages[1]!.map((r) => r.id).sort(), 'the damaged chunk\'s records are rejections, and only they');
  t.match(lost[0], { source: 'local', job: JOB, category: 'P07-002', field: null, resolvedAt: null });
  t.match(lost.find((r) => r.key === 'k12')!.message, /seq 13\b.*已损坏.*修正后重发.*credit-gateway run penalties --snapshot/);
  t.equal(count(file, 'SELECT count(*) AS n FROM outbox'), 0, 'none of them stays in the outbox');
  t.equal(count(file, 'SELECT count(*) AS n FROM outbox_chunks'), 0, 'no chunk is left without rows');
  t.same(store.queueStats(), { pending: 0, oldestPendingAt: null, openBatches: 0, lastAttemptError: null });
  t.equal(store.recordState(pages[0]![0]!.id)!.status, 'delivered');

  // The job reads its rows again (a snapshot run): only the lost ones are queued, as changed records.
  const again = pages.map((p) => store.commitPage(threadPage(p)));
  t.same(again.map((r) => [r.queued, r.unchanged]), [[0, 10], [10, 0], [0, 10]]);
  await deliverAll(t, store, url);
  t.equal(receiver.stats().accepted, 30, 'the lost ten arrived, and nothing else was sent again');
  t.same(receiver.records().map((r) => r.id).sort(), pages.flat().map((r) => r.id).sort());
  t.same(store.listRejections({ code: 'STORE_LINE_DAMAGED', openOnly: true }), [], 'and their rejections are resolved');
});

t.test('a single damaged line (lines kept one by one) costs its record only', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const file = fileIn(t);
  let store = Store.open({ file });
  const all = records(0, 12);
  store.commitPage(page(all));
  store.close();
  t.same(count(file, 'SELECT count(DISTINCT form) AS n FROM outbox WHERE form = 1'), 1, 'kept one by one, deflated (form 1)');
  // A stream cut short: zlib refuses it.
  alter(file, (db) => db.prepare('UPDATE outbox SET line = substr(line, 1, 8) WHERE seq = 5').run());

  store = Store.open({ file });
  t.teardown(() => store.close());
  await deliverAll(t, store, url, 5);
  t.same(receiver.records().map((r) => r.id).sort(), all.filter((_, i) => i !== 4).map((r) => r.id).sort());
  t.equal(receiver.stats().accepted, 11);
  t.same(damagedRejections(store).map((r) => r.key), ['k4']);
  t.equal(count(file, 'SELECT count(*) AS n FROM outbox'), 0);

  t.match(store.commitPage(page(all)), { queued: 1, unchanged: 11, rejected: 0 }, 'read again, the lost record is queued');
  await deliverAll(t, store, url, 5);
  t.equal(receiver.stats().accepted, 12);
});

/** What zlib does not notice: a deflate stream has no checksum, so bytes damaged on disk can inflate into other text. Made here by deflating altered text. */
function inflatingTo(bytes: Buffer, alter: (text: string) => string): Buffer {
  return deflateRawSync(alter(inflateRawSync(bytes).toString('utf8')));
}

t.test('a line damaged so that it still inflates is quarantined like an unreadable one, never sent to have the platform refuse its whole batch', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const file = fileIn(t);
  let store = Store.open({ file });
  const oneByOne = records(0, 8);
  const chunked = records(8, 6);
  store.commitPage(page(oneByOne));
  store.commitPage(threadPage(chunked));
  store.close();
  alter(file, (db) => {
    const set = db.prepare('UPDATE outbox SET line = ? WHERE seq = ?');
    const lineOf = (seq: number) => (db.prepare('SELECT line FROM outbox WHERE seq = ?').get(seq) as { line: Buffer }).line;
    // Another record's id, the same size: the platform would take it as that record's version.
    set.run(inflatingTo(lineOf(2), (l) => l.replace(oneByOne[1]!.id, oneByOne[5]!.id)), 2);
    // Another seq.
    set.run(inflatingTo(lineOf(3), (l) => l.replace('"seq":3,', '"seq":9,')), 3);
    // Cut short: no longer one JSON object.
    set.run(inflatingTo(lineOf(4), (l) => l.slice(0, l.length - 20)), 4);
    // A value of other length: still JSON, but not what was queued.
    set.run(inflatingTo(lineOf(5), (l) => l.replace('"v1"', '"v1 altered"')), 5);
    // A chunk whose second line lost a byte in its data and whose third lost its closing brace, newlines kept.
    const { lines } = db.prepare('SELECT lines FROM outbox_chunks').get() as { lines: Buffer };
    db.prepare('UPDATE outbox_chunks SET lines = ?').run(inflatingTo(lines, (text) => {
      const l = text.split('\n');
      l[1] = l[1]!.replace('"v1"', '"v"');
      l[2] = l[2]!.slice(0, -1);
      return l.join('\n');
    }));
  });

  store = Store.open({ file });
  t.teardown(() => store.close());
  await deliverAll(t, store, url, 5);
  t.ok(receiver.batches().length > 0 && receiver.batches().every((b) => b.status === 200), 'no batch was refused');
  const lost = [oneByOne[1]!, oneByOne[2]!, oneByOne[3]!, oneByOne[4]!, chunked[1]!, chunked[2]!];
  t.same(damagedRejections(store).map((r) => r.recordId).sort(), lost.map((r) => r.id).sort(), 'each damaged line is a rejection');
  t.same(receiver.records().map((r) => r.id).sort(), [...oneByOne, ...chunked].filter((r) => !lost.includes(r)).map((r) => r.id).sort(), 'the others arrived');
  t.ok(receiver.records().every((r) => (r.data as { NOTE?: string }).NOTE === 'v1'), 'as they were queued');

  for (const p of [oneByOne, chunked]) store.commitPage(page(p));
  await deliverAll(t, store, url, 5);
  t.same(receiver.records().map((r) => r.id).sort(), [...oneByOne, ...chunked].map((r) => r.id).sort(), 'read again, they arrive');
});

t.test('a quarantined record is a local rejection wherever it is counted: its state is rejected_local, never queued, and the day\'s counters count it once', async (t) => {
  const { url } = await startReceiver(t);
  const file = fileIn(t);
  let store = Store.open({ file });
  const all = records(0, 6);
  store.commitPage(page(all));
  store.close();
  alter(file, (db) => db.prepare('UPDATE outbox SET line = substr(line, 1, 8) WHERE seq IN (2, 5)').run());

  store = Store.open({ file });
  t.teardown(() => store.close());
  await deliverAll(t, store, url, 3);
  t.equal(store.recordState(all[1]!.id)!.status, 'rejected_local', 'not shown as waiting to be sent: it never will be');
  t.equal(store.recordState(all[4]!.id)!.status, 'rejected_local');
  t.equal(store.recordState(all[0]!.id)!.status, 'delivered');
  const counted = { queued: 6, rejectedLocal: 2, delivered: 4 };
  t.match(store.totals().total, counted, 'the status page\'s totals');
  t.match(store.totals().today, counted, 'and today\'s');
  t.match(store.jobStats().find((j) => j.job === JOB)!.total, counted, 'the job\'s counts');
  t.match(store.categoryStats().find((c) => c.category === 'P07-002')!.total, counted, 'the category\'s, which reports use');
  t.equal(store.nextBatch({ maxRecords: 100, maxBytes: 1 << 20 }, () => 'b-none'), null);
  t.equal(store.totals().total.rejectedLocal, 2, 'looking at the queue again counts nothing again');

  store.commitPage(page(all));
  t.equal(store.recordState(all[1]!.id)!.status, 'queued', 'read again, it is queued');
  await deliverAll(t, store, url, 3);
  t.equal(store.recordState(all[1]!.id)!.status, 'delivered', 'and delivered');
  t.match(store.totals().total, { queued: 8, rejectedLocal: 2, delivered: 6 }, 'its rejection, resolved, stays counted, as a fixed row\'s does');
});

t.test('sealed: a line or a chunk whose bytes were altered no longer authenticates, and costs its records only', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const file = fileIn(t);
  const cipher = cipherOf(randomBytes(32).toString('hex'));
  let store = Store.open({ file, cipher });
  const oneByOne = records(0, 6);
  const chunked = [records(6, 8), records(14, 8)];
  store.commitPage(page(oneByOne));
  for (const p of chunked) store.commitPage(threadPage(p));
  store.close();
  alter(file, (db) => {
    t.same(db.prepare('SELECT DISTINCT form FROM outbox ORDER BY form').all(), [{ form: 2 }, { form: 5 }], 'sealed lines (form 2) and sealed chunks');
    const { line } = db.prepare('SELECT line FROM outbox WHERE seq = 2').get() as { line: Buffer };
    db.prepare('UPDATE outbox SET line = ? WHERE seq = 2').run(flipped(line));
    const { lines } = db.prepare('SELECT lines FROM outbox_chunks WHERE first_seq = 7').get() as { lines: Buffer };
    db.prepare('UPDATE outbox_chunks SET lines = ? WHERE first_seq = 7').run(flipped(lines));
  });

  store = Store.open({ file, cipher });
  t.teardown(() => store.close());
  await deliverAll(t, store, url, 5);
  const lostIds = [oneByOne[1]!, ...chunked[0]!].map((r) => r.id).sort();
  t.same(damagedRejections(store).map((r) => r.recordId).sort(), lostIds);
  t.same(damagedRejections(store).find((r) => r.recordId === oneByOne[1]!.id)!.key, 'k1', 'the rejection\'s key opens: it was not damaged');
  t.equal(receiver.stats().accepted, 6 + 8 - 1);
  t.equal(count(file, 'SELECT count(*) AS n FROM outbox') + count(file, 'SELECT count(*) AS n FROM outbox_chunks'), 0);

  store.commitPage(page(oneByOne));
  for (const p of chunked) store.commitPage(threadPage(p));
  await deliverAll(t, store, url, 5);
  t.equal(receiver.stats().accepted, 6 + 16, 'read again, they arrive');
});

t.test('a value sealed with a key the gateway does not have stops delivery as before: a configuration is fixed, not quarantined', async (t) => {
  const file = fileIn(t);
  const cipher = cipherOf(randomBytes(32).toString('hex'));
  let store = Store.open({ file, cipher });
  store.commitPage(threadPage(records(0, 5)));
  store.close();
  // Bytes 2-9 of a sealed value name its key.
  alter(file, (db) => {
    const { lines } = db.prepare('SELECT lines FROM outbox_chunks').get() as { lines: Buffer };
    const other = Buffer.from(lines);
    other.fill(0xab, 2, 10);
    db.prepare('UPDATE outbox_chunks SET lines = ?').run(other);
  });
  store = Store.open({ file, cipher });
  t.teardown(() => store.close());
  t.throws(() => store.nextBatch({ maxRecords: 100, maxBytes: 1 << 20 }, () => 'b1'), { code: 'STORE_KEY_MISSING' });
  t.equal(store.queueStats().pending, 5, 'every record stays queued');
  t.same(damagedRejections(store), []);
});

t.test('an open batch whose line is damaged after it was sent is never resent: a retried batch keeps its exact records, so all of them are read again', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const file = fileIn(t);
  let store = Store.open({ file });
  const all = records(0, 6);
  store.commitPage(page(all));
  const newId = monotonicFactory();
  const first = store.nextBatch({ maxRecords: 3, maxBytes: 1 << 20 }, newId)!;
  t.equal(first.records.length, 3);
  store.close();
  alter(file, (db) => db.prepare('UPDATE outbox SET line = substr(line, 1, 8) WHERE seq = 2').run());

  store = Store.open({ file });
  t.teardown(() => store.close());
  const again = store.nextBatch({ maxRecords: 3, maxBytes: 1 << 20 }, newId)!;
  t.not(again.batchId, first.batchId, 'a new batch');
  t.same(again.records.map((r) => r.seq), [4, 5, 6], 'of the records behind it');
  await deliverAll(t, store, url, 3);
  t.equal(receiver.stats().accepted, 3);
  t.notOk(receiver.batches().some((b) => b.batchId === first.batchId), 'the batch with the damaged line never went out with other records');
  t.same(damagedRejections(store).map((r) => r.key).sort(), ['k0', 'k1', 'k2'], 'each of its records is to be read again');
  t.match(damagedRejections(store).find((r) => r.key === 'k0'), { message: /同一批次/ }, 'the readable ones say why');
  t.equal(store.totals().total.rejectedLocal, 3, 'each counted once as a local rejection');

  // Read again, they go out as new versions under new seqs.
  store.commitPage(page(all));
  await deliverAll(t, store, url, 3);
  const seqs = receiver.records().filter((r) => all.slice(0, 3).some((a) => a.id === r.id)).map((r) => r.seq);
  t.equal(seqs.length, 3);
  t.ok(seqs.every((s) => s > 6), 'above every seq the lost batch held');
});

t.test('a damaged line whose record has a newer version queued is dropped without a rejection: the newer one stands for it', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const file = fileIn(t);
  let store = Store.open({ file });
  store.commitPage(page(records(0, 3)));
  store.commitPage(page(records(0, 1, 'v2')));
  store.close();
  alter(file, (db) => db.prepare('UPDATE outbox SET line = substr(line, 1, 8) WHERE seq = 1').run());
  store = Store.open({ file });
  t.teardown(() => store.close());
  await deliverAll(t, store, url);
  t.same(damagedRejections(store), []);
  t.equal(store.totals().total.rejectedLocal, 0, 'nor a count');
  t.equal(receiver.stats().accepted, 3);
  t.match(receiver.records().find((r) => r.id === records(0, 1)[0]!.id), { seq: 4, data: { NOTE: 'v2' } });
  t.match(store.commitPage(page(records(0, 1, 'v2'))), { queued: 0, unchanged: 1, rejected: 0 }, 'and the newer version counts as sent');
});

const quarantining = programBesideTest(import.meta.url, './fixtures/quarantine-deliverer.ts');
// The TypeScript loader this test runs under; the process-tracking hook would only get in the way of kill -9.
const loader = process.execArgv.filter((arg) => !arg.includes('@tapjs/processinfo'));

/** Starts the deliverer on the store and kills it without warning `killAfterMs` after it opened it (null: lets it finish); false when it emptied the queue first. */
async function deliverAndKill(file: string, killAfterMs: number | null): Promise<boolean> {
  const child = spawn(process.execPath, [...loader, quarantining, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready')) resolve();
    });
    void exited.then(({ code }) => reject(new Error(`the deliverer exited (${code}) before it was ready: ${stderr}`)));
  });
  if (killAfterMs !== null) {
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    child.kill('SIGKILL');
  }
  const { code, signal } = await exited;
  if (signal !== 'SIGKILL' && (code !== 0 || !stdout.includes('empty'))) throw new Error(`the deliverer failed: ${stderr}`);
  return signal === 'SIGKILL';
}

interface Accounted {
  queued: number;
  delivered: number;
  quarantined: number;
}

/** Every record is queued, delivered or quarantined: exactly one of them, and never a readable one quarantined nor a damaged one delivered. */
function checkAccounted(t: Test, file: string, damaged: ReadonlySet<string>): Accounted {
  const db = new Database(file, { readonly: true });
  try {
    t.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
    const queued = new Set((db.prepare('SELECT record_id AS id FROM outbox').all() as { id: Buffer }[]).map((r) => expand(r.id)));
    const states = db.prepare('SELECT id, status, length(fingerprint) AS fp FROM record_state').all() as { id: Buffer; status: string; fp: number }[];
    const rejected = new Set((db.prepare(`SELECT record_id AS id FROM rejections WHERE code = 'STORE_LINE_DAMAGED' AND resolved_at IS NULL`).all() as { id: string }[]).map((r) => r.id));
    const counts = { queued: 0, delivered: 0, quarantined: 0 };
    const wrong: string[] = [];
    for (const s of states) {
      const id = expand(s.id);
      const isQueued = queued.has(id);
      const isDelivered = s.status === 'delivered';
      const isQuarantined = rejected.has(id) && s.fp === 0 && s.status === 'rejected_local';
      if (Number(isQueued) + Number(isDelivered) + Number(isQuarantined) !== 1) wrong.push(`${id}: queued ${isQueued}, delivered ${isDelivered}, quarantined ${isQuarantined}`);
      else if ((damaged.has(id) && isDelivered) || (!damaged.has(id) && isQuarantined)) wrong.push(`${id}: damaged ${damaged.has(id)}, delivered ${isDelivered}`);
      counts.queued += Number(isQueued);
      counts.delivered += Number(isDelivered);
      counts.quarantined += Number(isQuarantined);
    }
    t.same(wrong.slice(0, 5), [], 'every record is queued, delivered or quarantined: one of them, the right one');
    t.equal(rejected.size, counts.quarantined, 'a rejection only for a quarantined record');
    t.equal(db.prepare('SELECT count(*) AS n FROM outbox_chunks c WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE seq BETWEEN c.first_seq AND c.last_seq)').pluck().get(), 0, 'no chunk without rows');
    return counts;
  } finally {
    db.close();
  }
}

t.test('kill -9 while damaged lines are being quarantined: each record ends queued, delivered or quarantined, exactly one of them', async (t) => {
  const file = fileIn(t);
  const store = Store.open({ file });
  const pages = [0, 1, 2, 3].map((p) => records(p * 3000, 3000));
  for (const p of pages) store.commitPage(threadPage(p));
  store.close();
  // The second and the fourth page's chunks are damaged: 6000 records to quarantine, two transactions of 3000.
  alter(file, (db) => {
    for (const first of [3001, 9001]) {
      const { lines } = db.prepare('SELECT lines FROM outbox_chunks WHERE first_seq = ?').get(first) as { lines: Buffer };
      db.prepare('UPDATE outbox_chunks SET lines = ? WHERE first_seq = ?').run(garbled(lines), first);
    }
  });
  const damaged = new Set([...pages[1]!, ...pages[3]!].map((r) => r.id));

  let kills = 0;
  let midway = 0;
  // Each kill later than the one before, from before the first commit to after the last: forming a batch that
  // quarantines thousands of rows takes most of each run, so kills land in those transactions, whatever the machine's speed.
  for (let round = 0, delayMs = 25; round < 12; round++, delayMs *= 1.6) {
    if (await deliverAndKill(file, delayMs)) kills++;
    const now = checkAccounted(t, file, damaged);
    if (now.queued === 0) break;
    if (now.queued < 12000) midway++;
  }
  await deliverAndKill(file, null);
  t.ok(kills > 0 && midway > 0, `killed ${kills} times on the way, ${midway} of them with part of the queue quarantined or delivered`);
  t.same(checkAccounted(t, file, damaged), { queued: 0, delivered: 6000, quarantined: 6000 }, 'in the end every readable record was delivered and every damaged one quarantined');
});
