/**
 * With store.encryption on, no value read from a source row is readable in
 * the raw store file or its WAL, while everything the store hands out
 * (batches, rejections, record keys for deletes) is whole; a wrong or
 * missing key refuses to open, a rotation reseals under the new key, a
 * flipped byte is refused rather than decrypted, and a store that held
 * plaintext before encryption was turned on is read and then sealed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { idCardCheckDigit } from '../../../gateway/identifiers/id-card.js';
import type { CandidateRecord, LocalRejection } from '../../../gateway/model.js';
import { recordId } from '../../../gateway/records/record-id.js';
import { fingerprint } from '../../../gateway/records/serialize.js';
import { parseKey, PayloadCipher, type PayloadAlgorithm } from '../../../gateway/store/payload-crypto.js';
import { Store } from '../../../gateway/store/store.js';
import { BIG, Clock, GATEWAY, newId, page, T0 } from './helpers.js';

const CATEGORY = 'P07-002';
const SEP = '\u001f';

function idNumber(n: number): string {
  const first17 = `42020219900215${String(n).padStart(3, '0')}`;
  return first17 + idCardCheckDigit(first17);
}

const PEOPLE = Array.from({ length: 40 }, (_, i) => ({ id: idNumber(100 + i), name: `测试人员${String.fromCharCode(0x4e00 + i)}甲` }));

function person(i: number): CandidateRecord {
  const p = PEOPLE[i]!;
  const key = `黄人社罚〔2026〕${i}号${SEP}${p.id}`;
  const subject = { kind: 'natural' as const, name: p.name, code: p.id };
  const data = { CF_WSH: `黄人社罚〔2026〕${i}号`, CF_XDR_ZJHM: p.id, CF_XDR_MC: p.name };
  return { id: recordId(GATEWAY, CATEGORY, key), category: CATEGORY, key, op: 'upsert', subject, data, observedAt: T0, fingerprint: fingerprint({ op: 'upsert', subject, data }) };
}

function refusedPerson(i: number): LocalRejection {
  const p = PEOPLE[i]!;
  const key = `黄人社罚〔2026〕${i}号${SEP}${p.id}`;
  return {
    category: CATEGORY, key, recordId: recordId(GATEWAY, CATEGORY, key), observedAt: T0,
    subject: { kind: 'natural', code: p.id },
    findings: [{ field: 'CF_JDRQ', code: 'DATE_INVALID', message: `“ID${p.id}”不是日期（${p.name}）` }],
  };
}

const cipherOf = (hex: string, algorithm: PayloadAlgorithm = 'aes-256-gcm', previous: string[] = []) =>
  new PayloadCipher(parseKey(hex), algorithm, previous.map((h) => parseKey(h)));
const newKey = () => randomBytes(32).toString('hex');

/** Which of the people's ID numbers and names appear in the raw bytes of the store file and its WAL. */
function readable(file: string): string[] {
  const bytes = Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
  return PEOPLE.flatMap((p) => [p.id, p.name]).filter((text) => bytes.includes(Buffer.from(text, 'utf8')));
}

function open(t: Test, file: string, cipher?: PayloadCipher, clock = new Clock()): Store {
  const store = Store.open({ file, cipher, now: clock.now });
  t.teardown(() => store.close());
  return store;
}

/** A person table read by [updated_at, id number]: the cursor holds an ID number too. */
const CURSOR = ['2026-11-26T12:00:00.000Z', PEOPLE[35]!.id];

/** Queues people 0-19, refuses 20-29 locally, delivers with one platform refusal quoting an ID. */
function fill(store: Store): void {
  store.commitPage(page('people', PEOPLE.slice(0, 20).map((_, i) => person(i)), { rejections: PEOPLE.slice(20, 30).map((_, i) => refusedPerson(20 + i)), cursor: CURSOR }));
  const batch = store.nextBatch({ maxRecords: 10, maxBytes: BIG.maxBytes }, newId)!;
  store.acknowledge(batch.batchId, { rejected: [{ id: person(3).id, code: 'P_FIELD', message: `证件号码 ${PEOPLE[3]!.id} 与姓名不符` }], at: T0 });
}

for (const algorithm of ['aes-256-gcm', 'sm4'] as const) {
  t.test(`${algorithm}: no ID number or name is readable in the raw store, the store hands them out whole`, async (t) => {
    const file = `${t.testdir({})}/gateway.sqlite`;
    const key = newKey();
    const store = open(t, file, cipherOf(key, algorithm));
    fill(store);
    t.same(readable(file), [], 'nothing readable in gateway.sqlite and gateway.sqlite-wal while open');
    t.ok(existsSync(`${file}-wal`), 'the WAL was looked at');

    const batch = store.nextBatch(BIG, newId)!;
    t.equal(batch.records.length, 10, 'the rest of the queue');
    t.same(batch.records.map((r) => JSON.parse(r.line).subject.code), PEOPLE.slice(10, 20).map((p) => p.id), 'lines are whole');
    const local = store.listRejections({ source: 'local' });
    t.equal(local.length, 10);
    t.match(local.at(-1), { key: `黄人社罚〔2026〕20号${SEP}${PEOPLE[20]!.id}`, subjectCode: PEOPLE[20]!.id, message: `“ID${PEOPLE[20]!.id}”不是日期（${PEOPLE[20]!.name}）` });
    t.match(store.listRejections({ source: 'platform' }), [{ key: person(3).key, subjectKind: 'natural', subjectCode: PEOPLE[3]!.id, message: `证件号码 ${PEOPLE[3]!.id} 与姓名不符` }]);
    t.equal(store.countRejections({ q: PEOPLE[25]!.id.slice(12) }), 1, 'search by part of a key still works');
    t.match(store.listRejections({ q: PEOPLE[25]!.id }), [{ key: `黄人社罚〔2026〕25号${SEP}${PEOPLE[25]!.id}` }]);
    t.equal(store.getRejection(local[0]!.id)!.subjectCode, local[0]!.subjectCode);
    t.same(store.getCursor('people'), CURSOR, 'the cursor is whole');
    t.same(store.cursors().map((c) => c.position), [CURSOR]);

    store.acknowledge(batch.batchId, { rejected: [], at: T0 });
    const pass = store.beginPass('people');
    t.same(store.unseenRecords('people', pass).map((r) => r.key).sort(), PEOPLE.slice(0, 20).map((_, i) => person(i).key).sort(), 'keys for snapshot deletes are whole');
    t.same(store.commitPage(page('people', [person(0)], { rejections: [refusedPerson(20)] })), { queued: 0, unchanged: 1, rejected: 1, categories: { [CATEGORY]: { read: 2, queued: 0, unchanged: 1, rejected: 1, deleted: 0 } } }, 'unchanged records and repeated rejections are recognised');
    t.equal(store.countRejections({ source: 'local', openOnly: true }), 10);
    store.close();
    t.same(readable(file), [], 'nothing readable after close either');
  });
}

t.test('with encryption off the same data is readable: the test can see what it looks for', async (t) => {
  const file = `${t.testdir({})}/gateway.sqlite`;
  const store = open(t, file);
  fill(store);
  store.close();
  t.ok(readable(file).length >= 20);
});

t.test('a store with sealed values does not open without its key, nor with a wrong one', async (t) => {
  const file = `${t.testdir({})}/gateway.sqlite`;
  const key = newKey();
  fill(open(t, file, cipherOf(key)));
  const id = parseKey(key).id;
  t.throws(() => Store.open({ file }), { code: 'STORE_KEY_MISSING', message: new RegExp(`${id}.*store.encryption is not configured`) });
  t.throws(() => Store.open({ file, cipher: cipherOf(newKey()) }), { code: 'STORE_KEY_MISSING', message: new RegExp(id) });
  const again = open(t, file, cipherOf(key));
  t.equal(again.listRejections().length, 11, 'the right key opens it');
});

t.test('rotation: the new key reads the old values, reseals them, and the old key is then no longer needed', async (t) => {
  const file = `${t.testdir({})}/gateway.sqlite`;
  const oldKey = newKey();
  const freshKey = newKey();
  fill(open(t, file, cipherOf(oldKey, 'sm4')));
  const before = Store.open({ file, cipher: cipherOf(oldKey, 'sm4') });
  const expected = before.listRejections();
  before.close();

  const rotated = Store.open({ file, cipher: cipherOf(freshKey, 'aes-256-gcm', [oldKey]) });
  t.same(rotated.listRejections(), expected, 'every rejection reads the same');
  t.same(rotated.getCursor('people'), CURSOR);
  rotated.close();
  const raw = new Database(file, { readonly: true });
  const ids = raw.prepare(`
    SELECT hex(substr(line, 3, 8)) AS id FROM outbox UNION SELECT hex(substr(key, 3, 8)) FROM record_state
    UNION SELECT hex(substr(message, 3, 8)) FROM rejections UNION SELECT hex(substr(subject_code, 3, 8)) FROM rejections WHERE subject_code IS NOT NULL
    UNION SELECT hex(substr(position, 3, 8)) FROM cursors UNION SELECT hex(substr(key, 3, 8)) FROM outbox`).all() as { id: string }[];
  raw.close();
  t.same(ids.map((r) => r.id.toLowerCase()), [parseKey(freshKey).id], 'every value is sealed under the new key');

  const without = open(t, file, cipherOf(freshKey));
  t.same(without.listRejections(), expected, 'the old key can be dropped from previousKeyRefs');
  const batch = without.nextBatch(BIG, newId)!;
  t.equal(JSON.parse(batch.records[0]!.line).subject.code, PEOPLE[10]!.id);
});

t.test('a flipped byte in a sealed value is refused when read, never decrypted into garbage', async (t) => {
  const file = `${t.testdir({})}/gateway.sqlite`;
  const key = newKey();
  const store = Store.open({ file, cipher: cipherOf(key) });
  fill(store);
  store.close();
  const raw = new Database(file);
  const row = raw.prepare("SELECT id, message FROM rejections WHERE source = 'local' ORDER BY id LIMIT 1").get() as { id: number; message: Buffer };
  const flipped = Buffer.from(row.message);
  flipped[flipped.length - 5] ^= 0x01;
  raw.prepare('UPDATE rejections SET message = ? WHERE id = ?').run(flipped, row.id);
  const line = raw.prepare('SELECT seq, line FROM outbox ORDER BY seq LIMIT 1').get() as { seq: number; line: Buffer };
  const badLine = Buffer.from(line.line);
  badLine[20] ^= 0x40;
  raw.prepare('UPDATE outbox SET line = ? WHERE seq = ?').run(badLine, line.seq);
  raw.close();

  const reopened = open(t, file, cipherOf(key));
  t.throws(() => reopened.getRejection(row.id), { code: 'STORE_VALUE_UNREADABLE' });
  t.throws(() => reopened.listRejections(), { code: 'STORE_VALUE_UNREADABLE' });
  const batch = reopened.nextBatch(BIG, newId);
  t.notOk(batch?.records.some((r) => r.seq === line.seq), 'a damaged line is never sent: its record leaves the queue (quarantine.test.ts)');
  t.equal(reopened.countRejections({ code: 'STORE_LINE_DAMAGED' }), 1);
});

t.test('turning encryption on for a store with plaintext rows: they are read, then sealed', async (t) => {
  const file = `${t.testdir({})}/gateway.sqlite`;
  const plain = Store.open({ file });
  fill(plain);
  const expected = plain.listRejections();
  plain.close();
  t.ok(readable(file).length > 0, 'plaintext before');

  const key = newKey();
  const sealed = Store.open({ file, cipher: cipherOf(key) });
  t.same(sealed.listRejections(), expected, 'the old rows read the same');
  t.same(sealed.getCursor('people'), CURSOR);
  const batch = sealed.nextBatch(BIG, newId)!;
  t.same(batch.records.map((r) => JSON.parse(r.line).subject.code), PEOPLE.slice(10, 20).map((p) => p.id));
  sealed.close();
  t.same(readable(file), [], 'nothing readable once resealed: the replaced plaintext is not left in free pages either');
  t.throws(() => Store.open({ file }), { code: 'STORE_KEY_MISSING' }, 'and it no longer opens without the key');
});

t.test('the commonest rejection reasons of a sealed store carry their message opened', async (t) => {
  const store = open(t, `${t.testdir({})}/gateway.sqlite`, cipherOf(newKey()));
  fill(store);
  const reasons = store.rejectionReasons({});
  t.match(reasons, [
    { source: 'local', code: 'DATE_INVALID', field: 'CF_JDRQ', count: 10, example: `“ID${PEOPLE[29]!.id}”不是日期（${PEOPLE[29]!.name}）` },
    { source: 'platform', code: 'P_FIELD', field: null, count: 1, example: /^证件号码 / },
  ]);
});
