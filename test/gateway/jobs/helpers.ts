/**
 * A penalty job over the test business table (test/helpers/business-db.ts),
 * read through the real SQLite source into a real store, and a source whose
 * connection can be made to drop after a number of pages.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { PageRequest, Row, Source } from '../../../connectors/contract.js';
import { createSqliteSource } from '../../../connectors/sqlite/index.js';
import type { MapRow } from '../../../gateway/jobs/runner.js';
import type { JobMapping } from '../../../gateway/mapping/types.js';
import type { Batch } from '../../../gateway/model.js';
import { fingerprint } from '../../../gateway/records/serialize.js';
import { Store } from '../../../gateway/store/store.js';
import { mapAndValidate } from '../../../gateway/validation/map-and-validate.js';

export const GATEWAY_ID = 'hs-test';

export const PENALTIES: JobMapping = {
  name: 'penalties',
  category: 'P07-002',
  key: ['id'],
  subject: { kind: 'legal', name: 'party_name', code: 'credit_code' },
  fields: { CF_XDR_MC: 'party_name', CF_XDR_SHXYM: 'credit_code', CF_NR: 'content', CF_JDRQ: { column: 'punish_date', date: 'YYYYMMDD' } },
};

export const QUERY = 'SELECT * FROM t_penalty';

export const mapPenalty: MapRow = (row, observedAt) => {
  const outcome = mapAndValidate(PENALTIES, row, { gatewayId: GATEWAY_ID, observedAt });
  return outcome.ok ? { record: outcome.record } : { rejection: outcome.rejection };
};

export const DELETE_FINGERPRINT = fingerprint({ op: 'delete' });

export function openStore(dir: string): Store {
  return Store.open({ file: join(dir, 'gateway.sqlite') });
}

export async function openSqlite(file: string): Promise<Source> {
  const source = createSqliteSource({ name: 'biz', file });
  await source.open();
  return source;
}

/** Everything queued since the last call, taken as one batch and acknowledged, as delivery would. */
export function queued(store: Store): { id: string; op: string; seq: number }[] {
  const batch: Batch | null = store.nextBatch({ maxRecords: 1_000_000, maxBytes: 1 << 30 }, () => randomUUID());
  if (!batch) return [];
  store.acknowledge(batch.batchId, { rejected: [], at: new Date().toISOString() });
  return batch.records.map((r) => ({ id: r.id, op: r.op, seq: r.seq }));
}

/**
 * A real source whose connection drops after `pages` successful pages: the
 * underlying database handle is closed, so the next read fails the way a
 * lost session does, from inside the connector.
 */
export class DroppingSource implements Source {
  readonly name: string;
  readonly kind: string;
  readonly requests: PageRequest[] = [];
  readonly #inner: Source;
  #pagesLeft: number;

  constructor(inner: Source, pages: number) {
    this.#inner = inner;
    this.name = inner.name;
    this.kind = inner.kind;
    this.#pagesLeft = pages;
  }

  open(): Promise<void> {
    return this.#inner.open();
  }

  async readPage(request: PageRequest): Promise<Row[]> {
    this.requests.push(request);
    if (this.#pagesLeft-- === 0) await this.#inner.close();
    return this.#inner.readPage(request);
  }

  facts() {
    return this.#inner.facts();
  }

  probe(query: string, columns: string[]) {
    return this.#inner.probe(query, columns);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
