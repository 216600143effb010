import type Database from 'better-sqlite3';
import type { CursorPosition } from '../../connectors/contract.js';
import type { PayloadCipher } from './payload-crypto.js';

/**
 * Where each job's next read starts. Kept as JSON: positions hold strings,
 * numbers (big integers arrive as strings) and nulls, all of which JSON
 * round-trips exactly.
 *
 * Beside it, each job's identity: an opaque hash its caller computes from
 * what makes a cursor meaningful (source, query, cursor columns …). A
 * configuration swap keeps a job's cursor only when the identity is unchanged.
 *
 * A position holds the last row's cursor columns, which may be a key such as
 * an ID number: sealed like the other row values when the store encrypts.
 */
/** A job's stored position and when a committed page last set it. */
export interface CursorEntry {
  job: string;
  position: CursorPosition;
  setAt: string;
}

export class Cursors {
  readonly #get: Database.Statement<[string], { position: string | Buffer }>;
  readonly #all: Database.Statement<[], { job: string; position: string | Buffer; setAt: string }>;
  readonly #set: Database.Statement<[{ job: string; position: string | Buffer; at: string }]>;
  readonly #reset: Database.Statement<[string]>;
  readonly #identity: Database.Statement<[string], { identity: string }>;
  readonly #setIdentity: Database.Statement<[{ job: string; identity: string }]>;

  readonly #cipher: PayloadCipher | null;

  constructor(db: Database.Database, cipher: PayloadCipher | null = null) {
    this.#cipher = cipher;
    this.#get = db.prepare('SELECT position FROM cursors WHERE job = ?');
    this.#set = db.prepare(`
      INSERT INTO cursors (job, position, updated_at) VALUES (@job, @position, @at)
      ON CONFLICT (job) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`);
    this.#reset = db.prepare('DELETE FROM cursors WHERE job = ?');
    this.#all = db.prepare('SELECT job, position, updated_at AS setAt FROM cursors ORDER BY job');
    this.#identity = db.prepare('SELECT identity FROM job_identities WHERE job = ?');
    this.#setIdentity = db.prepare(`
      INSERT INTO job_identities (job, identity) VALUES (@job, @identity)
      ON CONFLICT (job) DO UPDATE SET identity = excluded.identity`);
  }

  get(job: string): CursorPosition | null {
    const row = this.#get.get(job);
    return row ? this.#parse(row.position) : null;
  }

  all(): CursorEntry[] {
    return this.#all.all().map((row) => ({ job: row.job, position: this.#parse(row.position), setAt: row.setAt }));
  }

  set(job: string, position: CursorPosition, at: string): void {
    const json = JSON.stringify(position);
    this.#set.run({ job, position: this.#cipher ? this.#cipher.seal(json, 'cursors.position') : json, at });
  }

  #parse(stored: string | Buffer): CursorPosition {
    return JSON.parse(this.#cipher ? this.#cipher.open(stored, 'cursors.position') : (stored as string)) as CursorPosition;
  }

  reset(job: string): void {
    this.#reset.run(job);
  }

  identity(job: string): string | null {
    return this.#identity.get(job)?.identity ?? null;
  }

  setIdentity(job: string, identity: string): void {
    this.#setIdentity.run({ job, identity });
  }
}
