/**
 * Lines deflated on a mapping thread before their records have seqs (forms 3
 * and 4): the store puts the seq back, so a batch, a platform rejection and a
 * key rotation read them exactly as lines queued whole; sealed, nothing of
 * them is readable in the file.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { queuedForm } from '../../../gateway/jobs/queued-form.js';
import type { Batch } from '../../../gateway/model.js';
import { parseKey, PayloadCipher } from '../../../gateway/store/payload-crypto.js';
import { Store } from '../../../gateway/store/store.js';
import { BIG, newId, page, rec } from './helpers.js';

const RECORDS = Array.from({ length: 30 }, (_, i) => rec(`k${i}`, { CF_XDR_MC: `黄石市秘密测试企业${i}有限公司`, CF_NR: `"seq":${i} 引号\u001f` }));
const cipherOf = (hex: string, previous: string[] = []) => new PayloadCipher(parseKey(hex), 'aes-256-gcm', previous.map((h) => parseKey(h)));
const newKey = () => randomBytes(32).toString('hex');

function queue(t: Test, name: string, seqless: boolean, cipher?: PayloadCipher): { file: string; batch: Batch } {
  const file = join(t.testdir({}), `${name}.sqlite`);
  const store = Store.open({ file, cipher });
  store.commitPage(page('penalties', seqless ? RECORDS.map(queuedForm) : RECORDS));
  const batch = store.nextBatch(BIG, newId)!;
  store.close();
  return { file, batch };
}

const outboxForms = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT DISTINCT form FROM outbox').all().map((r) => (r as { form: number }).form);
  } finally {
    db.close();
  }
};

t.test('a batch of lines deflated without their seqs reads byte for byte as the same lines queued whole', async (t) => {
  const whole = queue(t, 'whole', false);
  const seqless = queue(t, 'seqless', true);
  t.same(outboxForms(seqless.file), [3]);
  t.same(seqless.batch.records.map((r) => r.line), whole.batch.records.map((r) => r.line));
  t.same(seqless.batch.records.map((r) => r.seq), RECORDS.map((_, i) => i + 1));
  t.match(seqless.batch.records[4]!.line, /^\{"id":"[0-9a-f]{64}","category":"P07-002","op":"upsert","seq":5,"observedAt"/);
});

t.test('sealed (form 4), nothing of a line is in the file, the batch reads the same, and a key rotation reseals it', async (t) => {
  const key = newKey();
  const whole = queue(t, 'whole', false);
  const sealed = queue(t, 'sealed', true, cipherOf(key));
  t.same(outboxForms(sealed.file), [4]);
  t.same(sealed.batch.records.map((r) => r.line), whole.batch.records.map((r) => r.line));
  t.notOk(readFileSync(sealed.file).includes(Buffer.from('秘密测试企业')), 'no name in the file');

  const fresh = newKey();
  const rotated = Store.open({ file: sealed.file, cipher: cipherOf(fresh, [key]) });
  const again = rotated.nextBatch(BIG, newId)!;
  rotated.close();
  t.same(again.records.map((r) => r.line), whole.batch.records.map((r) => r.line), 'the open batch reads the same under the new key');
  const reopened = Store.open({ file: sealed.file, cipher: cipherOf(fresh) });
  t.same(reopened.nextBatch(BIG, newId)!.records.map((r) => r.line), whole.batch.records.map((r) => r.line), 'and without the old key');
  reopened.close();
});

t.test('a record the platform refuses is kept with its subject, read from a line kept without its seq', async (t) => {
  const { file, batch } = queue(t, 'refused', true);
  const store = Store.open({ file });
  t.teardown(() => store.close());
  store.acknowledge(batch.batchId, { rejected: [{ id: batch.records[2]!.id, code: 'DATA_INVALID', message: '字段不合规' }], at: '2026-12-07T01:00:00.000Z' });
  const refused = store.listRejections().filter((r) => r.source === 'platform');
  t.equal(refused.length, 1);
  t.equal(refused[0]!.recordId, batch.records[2]!.id);
  t.equal(refused[0]!.subjectKind, 'legal', 'the subject came from the line');
});
