import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { JobConfig } from '../../../config/schema.js';
import type { Row } from '../../../connectors/contract.js';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { mapRowFor } from '../../../gateway/jobs/job-mapper.js';
import { mapQueued, queuedForm, storedForms } from '../../../gateway/jobs/queued-form.js';
import { mapRows } from '../../../gateway/jobs/runner.js';
import { recordLine } from '../../../gateway/records/serialize.js';
import { unpackPageLines } from '../../../gateway/store/outbox-chunks.js';
import { withSeq } from '../../../gateway/store/outbox-lines.js';
import { compact } from '../../../gateway/store/record-ids.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import { createPenaltyDb, TEST_PENALTY_FIELDS } from '../../helpers/business-db.js';
import { GATEWAY_ID, openSqlite, openStore, PENALTIES, QUERY, queued } from './helpers.js';

const standards = loadStandards();
const JOB = { ...PENALTIES, fields: TEST_PENALTY_FIELDS, source: 'biz', query: QUERY, cursor: ['updated_at', 'id'] } as unknown as JobConfig;
const mapRow = mapRowFor(JOB, standards.standardFor(loadCatalog().byCode('P07-002')!), { gatewayId: GATEWAY_ID, standards });
const OBSERVED_AT = '2026-12-07T08:00:00.000Z';

async function pageOf(t: Test, rows: number): Promise<Row[]> {
  const business = createPenaltyDb(t.testdir({}), rows, { invalid: [13] });
  t.teardown(() => business.db.close());
  const source = await openSqlite(business.file);
  t.teardown(() => source.close());
  return source.readPage({ query: QUERY, cursorColumns: ['updated_at', 'id'], after: null, limit: rows });
}

/** The page as the store would queue it: each record's identity, and its line with the seq it would get. */
function asQueued(page: { records: { id: string; fingerprint: string }[]; lines?: { deflated: Uint8Array; bytes: number[] } }) {
  const lines = unpackPageLines(page.lines!.deflated, page.records.length);
  return { ids: page.records.map((r) => [r.id, r.fingerprint]), lines: lines.map((text, i) => withSeq(text, i + 1)), bytes: page.lines!.bytes };
}

t.test('a page mapped and queued at once is the page mapped, then queued', async (t) => {
  const rows = await pageOf(t, 300);
  const mapped = mapRows(mapRow, rows, OBSERVED_AT);
  const page = mapQueued(mapRow, rows, OBSERVED_AT);
  t.same(page.rejections, mapped.rejections);
  t.same(asQueued(page), asQueued({ ...mapped, ...queuedForm(mapped.records) }));
  t.same(asQueued(page).lines, mapped.records.map((r, i) => recordLine(r, i + 1)), 'the lines are those the store writes');
  t.notOk(page.records.some((r) => 'data' in r || 'subject' in r), 'no record keeps its content beside its line');
  const bare = mapped.records.map(({ subject: _s, data: _d, provenance: _p, ...rest }) => rest);
  t.equal(JSON.stringify(page.records), JSON.stringify(bare), 'and every other member, in its order');
});

t.test('a key read twice in a page keeps the later row only, its line where mapRows puts its record', async (t) => {
  const rows = await pageOf(t, 40);
  // Row 5 comes back changed at the end of the page; row 9 comes back broken, so its record is withdrawn for a rejection.
  const again = [{ ...rows[4]!, content: '警告（复核后）' }, { ...rows[8]!, credit_code: 'not a code' }];
  const page = mapQueued(mapRow, [...rows, ...again], OBSERVED_AT);
  const mapped = mapRows(mapRow, [...rows, ...again], OBSERVED_AT);
  t.equal(page.records.length, mapped.records.length);
  t.same(asQueued(page).lines, mapped.records.map((r, i) => recordLine(r, i + 1)));
  t.match(asQueued(page).lines.at(-1), /警告（复核后）/, 'the changed row is the page\'s last record');
  t.same(page.rejections.map((r) => r.key), mapped.rejections.map((r) => r.key));
});

t.test('a record queued keeps every member but its content, warnings too, in its order', async (t) => {
  const rows = await pageOf(t, 3);
  const [first, second] = mapRows(mapRow, rows, OBSERVED_AT).records;
  const warned = { ...first!, warnings: [{ field: 'CF_YXQ', code: 'DATE_LONG_TERM', message: '长期' }] };
  const sourced = { ...second!, provenance: { kind: 'own' as const, profile: 'x' } };
  const { records } = queuedForm([warned, sourced]);
  t.equal(JSON.stringify(records), JSON.stringify([warned, sourced].map(({ subject: _s, data: _d, provenance: _p, ...rest }) => rest)));
});

t.test('ids and fingerprints made in their stored form on the mapping thread store the records exactly as decoding them in the page transaction does', async (t) => {
  const rows = await pageOf(t, 300);
  const page = mapQueued(mapRow, rows, OBSERVED_AT);
  t.ok(page.lines.stored, 'a page of sha256 ids carries them stored');
  t.same(Buffer.from(page.lines.stored!), Buffer.concat(page.records.flatMap((r) => [compact(r.id) as Buffer, compact(r.fingerprint) as Buffer])), 'each id, then its fingerprint, 32 bytes each');
  const dir = t.testdir({ with: {}, without: {} });
  const tables = (folder: string, lines: typeof page.lines) => {
    const store = openStore(join(dir, folder));
    try {
      store.commitPage({ job: 'penalties', records: page.records, rejections: page.rejections, lines, cursor: null, rowsRead: rows.length });
      return queued(store);
    } finally {
      store.close();
    }
  };
  const { stored: _stored, ...withoutStored } = page.lines;
  const decoded = tables('without', withoutStored);
  t.equal(decoded.length, page.records.length);
  t.same(tables('with', page.lines), decoded, 'the same records, ids and seqs');
});

t.test('a page whose stored forms are not its records\' is refused whole', async (t) => {
  const rows = await pageOf(t, 20);
  const page = mapQueued(mapRow, rows, OBSERVED_AT);
  const stored = Buffer.from(page.lines.stored!);
  // The first record's forms swapped with the last's: every byte is an id of the page, in the wrong place.
  const swapped = Buffer.concat([stored.subarray(-64), stored.subarray(64, -64), stored.subarray(0, 64)]);
  const store = openStore(t.testdir({}));
  t.teardown(() => store.close());
  t.throws(() => store.commitPage({ job: 'penalties', records: page.records, rejections: page.rejections, lines: { ...page.lines, stored: swapped }, cursor: null, rowsRead: rows.length }), { code: 'STORE_PAGE_INVALID' });
  t.throws(() => store.commitPage({ job: 'penalties', records: page.records, rejections: page.rejections, lines: { ...page.lines, stored: stored.subarray(64) }, cursor: null, rowsRead: rows.length }), { code: 'STORE_PAGE_INVALID' }, 'or one record short');
  t.equal(store.queueStats().pending, 0, 'nothing of it was kept');
});

t.test('a page with an id that is not sha256 hex keeps them all as text', async (t) => {
  const records = mapRows(mapRow, await pageOf(t, 5), OBSERVED_AT).records;
  t.ok(storedForms(records));
  t.equal(storedForms([...records, { ...records[0]!, id: 'legacy-1' }]), undefined);
  t.equal(storedForms([{ ...records[0]!, fingerprint: records[0]!.fingerprint.toUpperCase() }]), undefined, 'upper-case hex is not the stored form of it');
});
