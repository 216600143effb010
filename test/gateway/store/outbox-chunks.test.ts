/**
 * Lines made on a mapping thread are kept a page at a time (form 5, one
 * deflate stream per page in outbox_chunks): the store puts each seq back,
 * so a batch, a platform rejection and a key rotation read them exactly as
 * lines queued whole; a page's unchanged records leave nothing in its chunk;
 * a chunk leaves with the last of its rows; sealed, nothing of a line is in
 * the file. Lines kept one by one before migration 11 (forms 3 and 4) still read.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { pino } from 'pino';
import { ndjson } from '../../../gateway/delivery/batch-body.js';
import { queuedForm } from '../../../gateway/jobs/queued-form.js';
import type { CandidateRecord, Page } from '../../../gateway/model.js';
import { recordLineParts } from '../../../gateway/records/serialize.js';
import { MIGRATIONS, migrate } from '../../../gateway/store/migrations.js';
import { parseKey, PayloadCipher } from '../../../gateway/store/payload-crypto.js';
import { Store } from '../../../gateway/store/store.js';
import { BIG, newId, page, rec } from './helpers.js';

const RECORDS = Array.from({ length: 30 }, (_, i) => rec(`k${i}`, { CF_XDR_MC: `黄石市秘密测试企业${i}有限公司`, CF_NR: `"seq":${i} 引号\u001f\n换行` }));
const cipherOf = (hex: string, previous: string[] = []) => new PayloadCipher(parseKey(hex), 'aes-256-gcm', previous.map((h) => parseKey(h)));
const newKey = () => randomBytes(32).toString('hex');

/** A page as a mapping thread sends it. */
function threadPage(job: string, records: CandidateRecord[]): Page {
  return { ...page(job, records), ...queuedForm(records) };
}

const dirs = new WeakMap<Test, string>();
/** One folder per test: t.testdir empties the test's folder each time it is called. */
function fileIn(t: Test, name: string): string {
  let dir = dirs.get(t);
  if (!dir) dirs.set(t, (dir = t.testdir({})));
  return join(dir, `${name}.sqlite`);
}

/** A fresh store in the test's folder, closed when the test ends. */
function openIn(t: Test, name: string): { file: string; store: Store } {
  const file = fileIn(t, name);
  const store = Store.open({ file });
  t.teardown(() => store.close());
  return { file, store };
}

function queue(t: Test, name: string, onThread: boolean, cipher?: PayloadCipher): { file: string; lines: string[]; body: Buffer } {
  const file = fileIn(t, name);
  const store = Store.open({ file, cipher });
  store.commitPage(onThread ? threadPage('penalties', RECORDS) : page('penalties', RECORDS));
  const batch = store.nextBatch(BIG, newId)!;
  store.close();
  return { file, lines: batch.records.map((r) => r.line), body: ndjson(batch.records) };
}

function query<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}
const forms = (file: string) => query<{ form: number }>(file, 'SELECT DISTINCT form FROM outbox').map((r) => r.form);
const chunks = (file: string) => query<{ first: number; last: number }>(file, 'SELECT first_seq AS first, last_seq AS last FROM outbox_chunks ORDER BY first_seq');

t.test('a page mapped on a thread is kept as one chunk, and its batch reads byte for byte as the same lines queued whole', async (t) => {
  const whole = queue(t, 'whole', false);
  const chunked = queue(t, 'chunked', true);
  t.same(forms(whole.file), [1], 'lines mapped here are kept one by one');
  t.same(forms(chunked.file), [5]);
  t.same(chunks(chunked.file), [{ first: 1, last: 30 }], 'one chunk for the page, under its seqs');
  t.same(chunked.lines, whole.lines);
  t.ok(chunked.body.equals(whole.body), 'and the batch body, made from the chunk\'s bytes, is byte for byte the same');
  t.match(chunked.lines[4]!, /^\{"id":"[0-9a-f]{64}","category":"P07-002","op":"upsert","seq":5,"observedAt"/);
  t.ok(query<{ n: number }>(chunked.file, 'SELECT sum(length(line)) AS n FROM outbox')[0]!.n === 0, 'no row keeps a line of its own');
});

t.test('a page whose other records are unchanged keeps only the changed lines, under consecutive seqs', async (t) => {
  const { file, store } = openIn(t, 'partial');
  store.commitPage(threadPage('penalties', RECORDS));
  const first = store.nextBatch(BIG, newId)!;
  store.acknowledge(first.batchId, { rejected: [], at: '2026-12-07T01:00:00.000Z' });
  t.same(chunks(file), [], 'the delivered page left no chunk');

  const changed = new Set([2, 3, 17, 29]);
  const again = RECORDS.map((r, i) => (changed.has(i) ? rec(r.key, { CF_XDR_MC: `改名${i}` }) : r));
  const result = store.commitPage(threadPage('penalties', again));
  t.same([result.queued, result.unchanged], [4, 26]);
  t.same(chunks(file), [{ first: 31, last: 34 }], 'one chunk of the four changed lines');
  const batch = store.nextBatch(BIG, newId)!;
  t.same(batch.records.map((r) => r.seq), [31, 32, 33, 34]);
  const wholeFile = fileIn(t, 'whole');
  const whole = Store.open({ file: wholeFile });
  t.teardown(() => whole.close());
  whole.commitPage(page('penalties', RECORDS));
  whole.acknowledge(whole.nextBatch(BIG, newId)!.batchId, { rejected: [], at: '2026-12-07T01:00:00.000Z' });
  whole.commitPage(page('penalties', again));
  t.same(batch.records.map((r) => r.line), whole.nextBatch(BIG, newId)!.records.map((r) => r.line), 'the same lines as queued whole');
});

t.test('a chunk stays while any of its rows waits, and leaves with the last', async (t) => {
  const { file, store } = openIn(t, 'leave');
  store.commitPage(threadPage('a', RECORDS.slice(0, 10)));
  store.commitPage(threadPage('b', RECORDS.slice(10, 20)));
  t.same(chunks(file), [{ first: 1, last: 10 }, { first: 11, last: 20 }]);
  const limits = { ...BIG, maxRecords: 15 };
  const one = store.nextBatch(limits, newId)!;
  t.same([one.records[0]!.seq, one.records.at(-1)!.seq], [1, 15], 'a batch spans two chunks');
  store.acknowledge(one.batchId, { rejected: [], at: '2026-12-07T01:00:00.000Z' });
  t.same(chunks(file), [{ first: 11, last: 20 }], 'the second chunk still holds seqs 16..20');
  const two = store.nextBatch(limits, newId)!;
  t.same(two.records.map((r) => r.seq), [16, 17, 18, 19, 20]);
  t.same(two.records.map((r) => r.line), queue(t, 'whole', false).lines.slice(15, 20), 'read from the chunk after part of it left');
  store.acknowledge(two.batchId, { rejected: [], at: '2026-12-07T01:00:00.000Z' });
  t.same(chunks(file), []);
});

t.test('sealed, nothing of a line is in the file, the batch reads the same, and a key rotation reseals the chunk', async (t) => {
  const key = newKey();
  const whole = queue(t, 'whole', false);
  const sealed = queue(t, 'sealed', true, cipherOf(key));
  t.same(forms(sealed.file), [5]);
  t.same(sealed.lines, whole.lines);
  t.same(query<{ sealed: number }>(sealed.file, 'SELECT sealed FROM outbox_chunks'), [{ sealed: 1 }]);
  t.notOk(readFileSync(sealed.file).includes(Buffer.from('秘密测试企业')), 'no name in the file');

  const fresh = newKey();
  const rotated = Store.open({ file: sealed.file, cipher: cipherOf(fresh, [key]) });
  const again = rotated.nextBatch(BIG, newId)!;
  rotated.close();
  t.same(again.records.map((r) => r.line), whole.lines, 'the open batch reads the same under the new key');
  const reopened = Store.open({ file: sealed.file, cipher: cipherOf(fresh) });
  t.same(reopened.nextBatch(BIG, newId)!.records.map((r) => r.line), whole.lines, 'and without the old key');
  reopened.close();
});

t.test('turning encryption on seals the chunks already queued', async (t) => {
  const plain = queue(t, 'plain', true);
  t.ok(readFileSync(plain.file).length > 0);
  const store = Store.open({ file: plain.file, cipher: cipherOf(newKey()) });
  t.same(store.nextBatch(BIG, newId)!.records.map((r) => r.line), plain.lines);
  store.close();
  t.same(query<{ sealed: number }>(plain.file, 'SELECT sealed FROM outbox_chunks'), [{ sealed: 1 }]);
  t.notOk(readFileSync(plain.file).includes(Buffer.from('"CF_XDR_MC"')), 'no line text is left in the file');
});

t.test('a record the platform refuses is kept with its subject, read from its chunk', async (t) => {
  const { file, store } = openIn(t, 'refused');
  store.commitPage(threadPage('penalties', RECORDS));
  const batch = store.nextBatch(BIG, newId)!;
  store.acknowledge(batch.batchId, { rejected: [{ id: batch.records[2]!.id, code: 'DATA_INVALID', message: '字段不合规' }], at: '2026-12-07T01:00:00.000Z' });
  const refused = store.listRejections().filter((r) => r.source === 'platform');
  t.equal(refused.length, 1);
  t.equal(refused[0]!.recordId, batch.records[2]!.id);
  t.equal(refused[0]!.subjectKind, 'legal', 'the subject came from the line');
});

t.test('a page that brings a line count other than its records is refused whole', async (t) => {
  const { file, store } = openIn(t, 'bad');
  const bad = threadPage('penalties', RECORDS);
  bad.lines = { ...bad.lines!, bytes: bad.lines!.bytes.slice(1) };
  t.throws(() => store.commitPage(bad), { code: 'STORE_PAGE_INVALID' });
  t.equal(query<{ n: number }>(file, 'SELECT count(*) AS n FROM outbox')[0]!.n, 0, 'nothing of it was kept');
});

t.test('lines kept one by one without their seqs before migration 11 (form 3) read the same after it', async (t) => {
  const file = fileIn(t, 'v10');
  const db = new Database(file);
  migrate(db, pino({ level: 'silent' }), MIGRATIONS.filter((m) => m.version <= 10));
  const record = RECORDS[0]!;
  const [head, tail] = recordLineParts(record);
  db.prepare(`INSERT INTO outbox (seq, record_id, job, category, key, op, line, form, bytes, queued_at) VALUES (7, ?, 'penalties', ?, ?, 'upsert', ?, 3, ?, ?)`)
    .run(Buffer.from(record.id, 'hex'), record.category, record.key, deflateRawSync(head + tail), Buffer.byteLength(`${head}7${tail}`), record.observedAt);
  db.prepare('UPDATE seq_counter SET last_seq = 7 WHERE id = 1').run();
  db.close();
  const store = Store.open({ file });
  t.teardown(() => store.close());
  const wholeLine = queue(t, 'whole', false).lines[0]!.replace('"seq":1,', '"seq":7,');
  t.same(store.nextBatch(BIG, newId)!.records.map((r) => r.line), [wholeLine]);
});

t.test('a damaged or missing chunk is never sent as garbage: its records leave the queue as rejections (quarantine.test.ts)', async (t) => {
  const damaged = queue(t, 'damaged', true);
  const db = new Database(damaged.file);
  const lines = (db.prepare('SELECT lines FROM outbox_chunks').get() as { lines: Buffer }).lines;
  lines.fill(0x55, 10, 40);
  db.prepare('UPDATE outbox_chunks SET lines = ?').run(lines);
  db.close();
  let store = Store.open({ file: damaged.file });
  t.equal(store.nextBatch(BIG, newId), null, 'nothing readable is left to send');
  t.equal(store.countRejections({ code: 'STORE_LINE_DAMAGED' }), RECORDS.length);
  t.match(store.listRejections({ limit: 1 })[0]!.message, /seq 30\b/);
  t.same(chunks(damaged.file), [], 'the chunk went with its rows');
  store.close();

  const missing = queue(t, 'missing', true);
  const db2 = new Database(missing.file);
  db2.exec('DELETE FROM outbox_chunks');
  db2.close();
  store = Store.open({ file: missing.file });
  t.teardown(() => store.close());
  t.equal(store.nextBatch(BIG, newId), null);
  t.equal(store.countRejections({ code: 'STORE_LINE_DAMAGED' }), RECORDS.length);
});
