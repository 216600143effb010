import type Database from 'better-sqlite3';
import type { CursorPosition } from '../../connectors/contract.js';

/**
 * Where each job's next read starts. Kept as JSON: positions hold strings,
 * numbers (big integers arrive as strings) and nulls, all of which JSON
 * round-trips exactly.
 */
export class Cursors {
  readonly #get: Database.Statement<[string], { position: string }>;
  readonly #set: Database.Statement<[{ job: string; position: string; at: string }]>;
  readonly #reset: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.#get = db.prepare('SELECT position FROM cursors WHERE job = ?');
    this.#set = db.prepare(`
      INSERT INTO cursors (job, position, updated_at) VALUES (@job, @position, @at)
      ON CONFLICT (job) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`);
    this.#reset = db.prepare('DELETE FROM cursors WHERE job = ?');
  }

  get(job: string): CursorPosition | null {
    const row = this.#get.get(job);
    return row ? (JSON.parse(row.position) as CursorPosition) : null;
  }

  set(job: string, position: CursorPosition, at: string): void {
    this.#set.run({ job, position: JSON.stringify(position), at });
  }

  reset(job: string): void {
    this.#reset.run(job);
  }
}
