/**
 * Which keys a store's sealed values need, checked when the store opens, and
 * the reseal that brings every value under the current key.
 *
 * store_keys holds every key id that may have sealed a value here; a row's
 * resealed_at is set once every value was found sealed under that key.
 *   - A store with any key id is never opened without encryption, nor with
 *     keys that lack one of its ids (STORE_KEY_MISSING, naming the ids).
 *   - The current key's row is written before it seals anything.
 *   - A new current key (encryption just turned on: plaintext rows; or a
 *     rotation: rows of a previous key) reseals every value, a chunk per
 *     transaction, then drops the other ids and stamps resealed_at, then
 *     VACUUMs so no page keeps the bytes it replaced. A kill in between
 *     leaves the ids in place and the next open reseals the rest.
 * When nothing is pending the cost is one small query per open.
 *
 * Not sealed: record ids (record_state.id, outbox.record_id,
 * rejections.record_id) are the spec's sha256(gatewayId, category, key),
 * joined on by every answer and sent as they are; for a key that is an ID
 * number alone they can be reversed by guessing (about 10^9 candidates), so
 * file permissions, not encryption, protect those. Fingerprints hash whole
 * records. Error texts of runs, batches and bundles are the gateway's own.
 */
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { GatewayError } from '../errors.js';
import { CHUNK_PURPOSE } from './outbox-chunks.js';
import { packLine, unpackLine } from './outbox-lines.js';
import { type PayloadCipher, sealedKeyId } from './payload-crypto.js';

/** Every column holding a value from a source row, by table and primary key; the purpose binds a value to its column. */
const SEALED = [
  // outbox.line is resealed by resealLines and outbox_chunks.lines by resealChunks: they are compressed first (outbox-lines.ts, outbox-chunks.ts).
  { table: 'outbox', pk: 'seq', below: -1, columns: [['key', 'key']] },
  { table: 'record_state', pk: 'rid', below: -1, columns: [['key', 'key']] },
  { table: 'rejections', pk: 'id', below: -1, columns: [['key', 'key'], ['message', 'rejections.message'], ['subject_code', 'rejections.subject_code']] },
  { table: 'cursors', pk: 'job', below: '', columns: [['position', 'cursors.position']] },
] as const;

const CHUNK = 500;

export function prepareKeys(db: Database.Database, cipher: PayloadCipher | null, now: () => Date, logger: Logger): void {
  const rows = db.prepare('SELECT key_id AS id, resealed_at AS resealedAt FROM store_keys ORDER BY first_used_at').all() as { id: string; resealedAt: string | null }[];
  const missing = rows.map((r) => r.id).filter((id) => !cipher?.has(id));
  if (missing.length > 0) {
    throw new GatewayError('STORE_KEY_MISSING', cipher
      ? `values are sealed with key id(s) ${missing.join(', ')}; the configured keys have id(s) ${cipher.ids().join(', ')}`
      : `values are sealed with key id(s) ${missing.join(', ')} but store.encryption is not configured`);
  }
  if (!cipher) return;
  const current = rows.find((r) => r.id === cipher.current.id);
  if (current?.resealedAt && rows.length === 1) return;
  if (!current) {
    db.prepare('INSERT INTO store_keys (key_id, algorithm, first_used_at) VALUES (?, ?, ?)').run(cipher.current.id, cipher.algorithm, now().toISOString());
  }
  // Only while resealing: afterwards deleted values are sealed already, and zeroing them costs every delete.
  db.pragma('secure_delete = ON');
  const resealed = reseal(db, cipher);
  db.pragma('secure_delete = OFF');
  db.transaction(() => {
    db.prepare('DELETE FROM store_keys WHERE key_id <> ?').run(cipher.current.id);
    db.prepare('UPDATE store_keys SET resealed_at = ? WHERE key_id = ?').run(now().toISOString(), cipher.current.id);
  }).immediate();
  if (resealed > 0) {
    // secure_delete zeroes deleted cells, but a page split can leave old bytes in a page's unused
    // space: VACUUM rewrites every page, and the truncated WAL drops the frames that held them.
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
  logger.info({ keyId: cipher.current.id, resealed, earlierKeys: rows.filter((r) => r.id !== cipher.current.id).map((r) => r.id) }, 'store values sealed under the current key');
}

/** Reseals every value that is plaintext or sealed with another key; returns how many. Keyset paging: bounded memory. */
function reseal(db: Database.Database, cipher: PayloadCipher): number {
  let count = 0;
  for (const { table, pk, below, columns } of SEALED) {
    const names = columns.map(([c]) => c);
    const select = db.prepare(`SELECT ${pk} AS pk, ${names.join(', ')} FROM ${table} WHERE ${pk} > ? ORDER BY ${pk} LIMIT ${CHUNK}`);
    const update = db.prepare(`UPDATE ${table} SET ${names.map((c) => `${c} = @${c}`).join(', ')} WHERE ${pk} = @pk`);
    const chunk = db.transaction((after: unknown): unknown => {
      const page = select.all(after) as Record<string, unknown>[];
      for (const row of page) {
        let changed = false;
        const values: Record<string, unknown> = { pk: row.pk };
        for (const [column, purpose] of columns) {
          const value = row[column] as string | Buffer | null;
          values[column] = value;
          if (value === null || sealedKeyId(value) === cipher.current.id) continue;
          values[column] = cipher.seal(cipher.open(value, purpose), purpose);
          changed = true;
        }
        if (changed) {
          update.run(values);
          count++;
        }
      }
      return page.length === CHUNK ? page[page.length - 1]!.pk : null;
    });
    let after: unknown = below;
    while (after !== null) after = chunk.immediate(after);
  }
  return count + resealLines(db, cipher) + resealChunks(db, cipher);
}

/** Every outbox line not yet compressed and sealed under the current key becomes so (form 2; form 4 already is). */
function resealLines(db: Database.Database, cipher: PayloadCipher): number {
  let count = 0;
  const select = db.prepare(`SELECT seq, line, form FROM outbox WHERE seq > ? ORDER BY seq LIMIT ${CHUNK}`);
  const update = db.prepare('UPDATE outbox SET line = ?, form = ? WHERE seq = ?');
  const chunk = db.transaction((after: number): number | null => {
    const page = select.all(after) as { seq: number; line: string | Buffer; form: number }[];
    for (const row of page) {
      if ((row.form === 2 || row.form === 4) && sealedKeyId(row.line) === cipher.current.id) continue;
      // Its line is in its page's chunk.
      if (row.form === 5) continue;
      const packed = packLine(unpackLine(row.line, row.form, cipher, row.seq), cipher);
      update.run(packed.line, packed.form, row.seq);
      count++;
    }
    return page.length === CHUNK ? page[page.length - 1]!.seq : null;
  });
  let after: number | null = -1;
  while (after !== null) after = chunk.immediate(after);
  return count;
}

/** Every chunk of outbox lines (outbox-chunks.ts) sealed under the current key; one per transaction, as a chunk holds a page's lines. */
function resealChunks(db: Database.Database, cipher: PayloadCipher): number {
  let count = 0;
  const select = db.prepare('SELECT first_seq AS first, lines, sealed FROM outbox_chunks WHERE first_seq > ? ORDER BY first_seq LIMIT 1');
  const update = db.prepare('UPDATE outbox_chunks SET lines = ?, sealed = 1 WHERE first_seq = ?');
  const one = db.transaction((after: number): number | null => {
    const chunk = select.get(after) as { first: number; lines: Buffer; sealed: number } | undefined;
    if (!chunk) return null;
    if (!chunk.sealed || sealedKeyId(chunk.lines) !== cipher.current.id) {
      const deflated = chunk.sealed ? cipher.openBytes(chunk.lines, CHUNK_PURPOSE) : chunk.lines;
      update.run(cipher.sealBytes(deflated, CHUNK_PURPOSE), chunk.first);
      count++;
    }
    return chunk.first;
  });
  let after: number | null = -1;
  while (after !== null) after = one.immediate(after);
  return count;
}
