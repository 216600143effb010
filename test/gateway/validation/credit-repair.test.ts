/**
 * How a penalty's later life reaches the platform. Correction, expiry and
 * withdrawal are changes of one record (one key, one record id), never new
 * records: the store gives each change the next seq, and the platform keeps
 * the version with the highest seq of that id.
 */
import t from 'tap';
import type { CandidateRecord } from '../../../gateway/model.js';
import { recordId } from '../../../gateway/records/record-id.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import { mapAndValidate } from '../../../gateway/validation/map-and-validate.js';
import { BIG, newId, openStore } from '../store/helpers.js';
import { penaltyJob, penaltyRow, type Cells } from './fixtures.js';

const standard = loadStandards().byInfoType('行政处罚');
const id = recordId('hs-rsj', 'P07-002', '1');

/** The row as the job reads it at an instant, mapped and checked against the standard. */
function read(row: Cells, observedAt: string): CandidateRecord {
  const result = mapAndValidate(penaltyJob, row, { gatewayId: 'hs-rsj', observedAt }, { standard });
  if (!result.ok) throw new Error(JSON.stringify(result.rejection.findings));
  return result.record;
}

function commit(store: ReturnType<typeof openStore>['store'], record: CandidateRecord) {
  return store.commitPage({ job: 'penalties', records: [record], rejections: [], cursor: null, rowsRead: 1 });
}

/** What the platform would receive next: each line's seq, id, op and data. */
function sent(store: ReturnType<typeof openStore>['store']) {
  const batch = store.nextBatch(BIG, newId);
  if (!batch) return [];
  store.acknowledge(batch.batchId, { rejected: [], at: new Date().toISOString() });
  return batch.records.map((r) => ({ seq: r.seq, ...(JSON.parse(r.line) as { id: string; op: string; data?: Record<string, unknown> }) }));
}

t.test('a corrected penalty is an upsert of the same record with a new seq', async (t) => {
  const { store } = openStore(t);
  commit(store, read(penaltyRow, '2026-11-26T08:00:00.000Z'));
  const [first] = sent(store);
  t.match(first, { id, op: 'upsert', data: { CF_NR_FK: 2.1 } });

  const corrected = read({ ...penaltyRow, fine_wan: '1.8', content: '罚款人民币1.8万元' }, '2026-11-27T08:00:00.000Z');
  t.equal(corrected.id, id, 'same key, same record id');
  t.match(commit(store, corrected), { queued: 1, unchanged: 0, rejected: 0 });
  const [second] = sent(store);
  t.match(second, { id, op: 'upsert', data: { CF_NR_FK: 1.8 } });
  t.ok(second!.seq > first!.seq, 'a new seq, so the platform keeps the correction');

  t.match(commit(store, read({ ...penaltyRow, fine_wan: '1.8000', content: '罚款人民币1.8万元' }, '2026-11-28T08:00:00.000Z')), { queued: 0, unchanged: 1, rejected: 0 },
    'read again unchanged (1.8000 is 1.8), nothing is sent');
});

t.test('an expired penalty changes status on the same record: CF_GSZT becomes 公示期满 on the first reading after CF_GSJZQ', async (t) => {
  const { store } = openStore(t);
  commit(store, read(penaltyRow, '2027-09-23T08:00:00.000Z'));
  t.match(sent(store), [{ id, data: { CF_GSJZQ: '2027-09-23', CF_GSZT: '公示中' } }], 'on its last day of publication');

  // 2027-09-23T16:00Z is already the 24th in China, where publication is counted.
  t.match(commit(store, read(penaltyRow, '2027-09-23T16:00:00.000Z')), { queued: 1, unchanged: 0, rejected: 0 });
  const [expired] = sent(store);
  t.match(expired, { id, op: 'upsert', data: { CF_GSZT: '公示期满', CF_WSH: '黄人社监罚〔2026〕1号' } });

  t.match(commit(store, read(penaltyRow, '2027-10-30T08:00:00.000Z')), { queued: 0, unchanged: 1, rejected: 0 }, 'and stays so: sent once');
});

t.test('a withdrawn penalty (the job\'s deleted rule) is a delete of the same record', async (t) => {
  const { store } = openStore(t);
  commit(store, read(penaltyRow, '2026-11-26T08:00:00.000Z'));
  const [first] = sent(store);
  const withdrawn = read({ ...penaltyRow, revoked: 1 }, '2026-11-27T08:00:00.000Z');
  t.match(withdrawn, { id, op: 'delete' });
  commit(store, withdrawn);
  const [deletion] = sent(store);
  t.match(deletion, { id, op: 'delete' });
  t.notOk('data' in deletion!, 'a delete carries no data');
  t.ok(deletion!.seq > first!.seq);
});
