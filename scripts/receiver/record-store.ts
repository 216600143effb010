import type { RawRecord, StoredRecord, Subject } from './types.js';

/**
 * The platform's view of the records: per id, the version with the highest
 * seq (last writer wins, spec section 2). A delete is kept as the latest
 * version too, so a late upsert with a lower seq cannot bring a record back.
 * Members the spec does not name are ignored, as a platform would, except
 * `provenance`, kept so tests can see where a record came from.
 */
export class RecordStore {
  private readonly byId = new Map<string, StoredRecord>();

  /** keepData false: subject and data are not kept (StoredRecord holds null), only what decides staleness. */
  constructor(private readonly keepData = true) {}

  /** Stores a record that passed the checks; 'stale' when an equal or newer seq is already held. */
  apply(r: RawRecord): 'stored' | 'stale' {
    const id = r.id as string;
    const seq = r.seq as number;
    const held = this.byId.get(id);
    if (held && held.seq >= seq) return 'stale';
    if (!this.keepData) {
      this.byId.set(id, { id, category: r.category as string, op: r.op as 'upsert' | 'delete', seq, observedAt: r.observedAt as string, subject: null, data: null });
      return 'stored';
    }
    this.byId.set(id, {
      id,
      category: r.category as string,
      op: r.op as 'upsert' | 'delete',
      seq,
      observedAt: r.observedAt as string,
      subject: r.op === 'upsert' ? (r.subject as Subject) : null,
      data: r.op === 'upsert' ? (r.data as StoredRecord['data']) : null,
      ...(r.op === 'upsert' && isObject(r.provenance) ? { provenance: r.provenance } : {}),
    });
    return 'stored';
  }

  get(id: string): StoredRecord | undefined {
    return this.byId.get(id);
  }

  /** Sorted by id so that listings compare equal across runs. */
  list(): StoredRecord[] {
    return [...this.byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get size(): number {
    return this.byId.size;
  }

  clear(): void {
    this.byId.clear();
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
