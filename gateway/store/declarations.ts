import type Database from 'better-sqlite3';
import type { NoDataDeclaration } from './types.js';

/**
 * "No data this period" statements, one per category and reporting period:
 * a department with nothing to report says so, and coverage stops counting
 * the category as overdue. A second statement for the same period replaces
 * the first (a corrected note, another clerk); they are few, so all are read.
 */
export class Declarations {
  readonly #declare: Database.Statement<[NoDataDeclaration]>;
  readonly #all: Database.Statement<[], NoDataDeclaration>;

  constructor(db: Database.Database) {
    this.#declare = db.prepare(`
      INSERT INTO no_data_declarations (category, period, at, declared_by, note) VALUES (@category, @period, @at, @by, @note)
      ON CONFLICT (category, period) DO UPDATE SET at = excluded.at, declared_by = excluded.declared_by, note = excluded.note`);
    this.#all = db.prepare(`
      SELECT category, period, at, declared_by AS by, note FROM no_data_declarations ORDER BY category, period`);
  }

  declare(d: NoDataDeclaration): void {
    this.#declare.run({ category: d.category, period: d.period, at: d.at, by: d.by, note: d.note });
  }

  all(): NoDataDeclaration[] {
    return this.#all.all();
  }
}
