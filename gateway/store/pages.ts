import type { Page, PageResult } from '../model.js';
import type { StoreParts } from './parts.js';
import { compact } from './record-ids.js';
import { sameFingerprint } from './records.js';
import type { CategoryPageCounts } from './stats.js';
import { StoreError } from './store-error.js';

/**
 * A page's ids and fingerprints in their stored form (PageLines.stored), checked against its first and
 * last record: a page whose forms are not its records' would store other ids than it sends.
 */
function storedForms(forms: Uint8Array, page: Page): Buffer {
  const stored = Buffer.from(forms.buffer, forms.byteOffset, forms.byteLength);
  const n = page.records.length;
  const agrees = (index: number) => {
    const record = page.records[index]!;
    return stored.toString('hex', index * 64, index * 64 + 32) === record.id && stored.toString('hex', index * 64 + 32, index * 64 + 64) === record.fingerprint;
  };
  if (stored.length !== n * 64 || (n > 0 && (!agrees(0) || !agrees(n - 1)))) {
    throw new StoreError('STORE_PAGE_INVALID', `a page of job ${page.job} brings stored ids and fingerprints that are not its records'`);
  }
  return stored;
}

/**
 * The body of the page transaction (the caller runs it inside one): records
 * whose fingerprint changed are queued with the next seq, local rejections
 * are kept, the cursor advances, counters follow. Seqs start at `seqFloor` at least.
 */
export function commitPage(parts: StoreParts, page: Page, now: Date, seqFloor = 0): PageResult {
  const { records, outbox, rejections, cursors, stats } = parts;
  const at = now.toISOString();
  const pass = records.currentPass(page.job);
  const seen = new Set<string>();
  const categories = new Map<string, CategoryPageCounts>();
  const countsFor = (category: string): CategoryPageCounts => {
    let counts = categories.get(category);
    if (!counts) categories.set(category, (counts = { rowsMapped: 0, queued: 0, unchanged: 0, rejectedLocal: 0 }));
    return counts;
  };
  // Two versions of one record in one page would make "changed" depend on their order.
  const once = (id: string) => {
    if (seen.has(id)) throw new StoreError('STORE_PAGE_INVALID', `record ${id} appears twice in one page of job ${page.job}`);
    seen.add(id);
  };
  const result: PageResult = { queued: 0, unchanged: 0, rejected: 0 };
  const deletes = new Map<string, number>();
  const seqs = records.seqBlock(seqFloor);

  // Records that pass now: their open local rejections are resolved, in one statement for the page.
  rejections.resolveLocalOf(page.records, at);
  // Lines made on a mapping thread: each queued record's is kept in one chunk for the page, under its consecutive seqs.
  const lines = page.lines;
  if (lines && lines.bytes.length !== page.records.length) {
    throw new StoreError('STORE_PAGE_INVALID', `a page of job ${page.job} brings ${lines.bytes.length} lines for ${page.records.length} records`);
  }
  // Ids and fingerprints already in their stored form (a mapping thread's page): views, not decoded here.
  const stored = lines?.stored ? storedForms(lines.stored, page) : null;
  const inChunk: number[] = [];
  let firstSeq = 0;
  for (let index = 0; index < page.records.length; index++) {
    const record = page.records[index]!;
    once(record.id);
    const counts = countsFor(record.category);
    counts.rowsMapped++;
    const id = stored ? stored.subarray(index * 64, index * 64 + 32) : compact(record.id);
    const state = records.version(id);
    if (state ? sameFingerprint(state.fingerprint, record.fingerprint) : record.op === 'delete') {
      if (state && state.seenPass !== pass) records.seeRow(state.rid, pass);
      counts.unchanged++;
      result.unchanged++;
      continue;
    }
    const seq = seqs.take();
    const rid = records.save(record, page.job, seq, at, pass, state?.rid, id, stored ? stored.subarray(index * 64 + 32, index * 64 + 64) : undefined);
    if (lines) {
      if (inChunk.length === 0) firstSeq = seq;
      inChunk.push(index);
      outbox.addInChunk(record, page.job, seq, at, rid, id, lines.bytes[index]!);
    } else {
      outbox.add(record, page.job, seq, at, rid, id);
    }
    counts.queued++;
    result.queued++;
    if (record.op === 'delete') deletes.set(record.category, (deletes.get(record.category) ?? 0) + 1);
  }

  if (lines && inChunk.length > 0) outbox.addChunk(firstSeq, lines, inChunk.length === page.records.length ? null : inChunk);

  for (const rejection of page.rejections) {
    once(rejection.recordId);
    const counts = countsFor(rejection.category);
    counts.rowsMapped++;
    counts.rejectedLocal++;
    rejections.addLocal(page.job, rejection);
    // Still at the source, only invalid now: a snapshot pass must not send a delete for it.
    records.see(rejection.recordId, pass);
    result.rejected++;
  }

  if (result.queued > 0) records.advanceSeq(seqs.last());

  result.categories = Object.fromEntries(
    [...categories].map(([category, c]) => [
      category,
      { read: c.rowsMapped, queued: c.queued, unchanged: c.unchanged, rejected: c.rejectedLocal, deleted: deletes.get(category) ?? 0 },
    ]),
  );

  if (page.cursor !== null) cursors.set(page.job, page.cursor, at);
  stats.page(page.job, page.rowsRead, categories, now);
  return result;
}
