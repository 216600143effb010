import type Database from 'better-sqlite3';
import type { JobState, RunOutcome } from './types.js';

interface RunRow {
  job: string;
  lastRunStartedAt: string;
  lastRunAt: string;
  lastRunOk: number;
  lastSuccessAt: string | null;
  code: string | null;
  message: string | null;
  errorAt: string | null;
}

/**
 * How each job's last run went, for the status page, and when it first ran:
 * coverage does not count a category overdue for a period nobody fed it in.
 */
export class Runs {
  readonly #record: Database.Statement<[RunParams]>;
  readonly #all: Database.Statement<[], RunRow>;
  readonly #firstRun: Database.Statement<[string], { at: string | null }>;

  constructor(db: Database.Database) {
    // A success does not erase the last error: the contact should still see last night's failure.
    this.#record = db.prepare(`
      INSERT INTO job_runs (job, last_run_started_at, last_run_at, last_run_ok, last_success_at,
                            last_error_code, last_error_message, last_error_at, first_run_started_at)
      VALUES (@job, @startedAt, @finishedAt, @ok, CASE WHEN @ok = 1 THEN @finishedAt END,
              @code, @message, CASE WHEN @code IS NOT NULL THEN @finishedAt END, @startedAt)
      ON CONFLICT (job) DO UPDATE SET
        first_run_started_at = min(coalesce(first_run_started_at, excluded.first_run_started_at), excluded.first_run_started_at),
        last_run_started_at = excluded.last_run_started_at,
        last_run_at = excluded.last_run_at,
        last_run_ok = excluded.last_run_ok,
        last_success_at = coalesce(excluded.last_success_at, last_success_at),
        last_error_code = coalesce(excluded.last_error_code, last_error_code),
        last_error_message = CASE WHEN excluded.last_error_code IS NULL THEN last_error_message ELSE excluded.last_error_message END,
        last_error_at = CASE WHEN excluded.last_error_code IS NULL THEN last_error_at ELSE excluded.last_error_at END`);
    this.#all = db.prepare(`
      SELECT job, last_run_started_at AS lastRunStartedAt, last_run_at AS lastRunAt, last_run_ok AS lastRunOk,
             last_success_at AS lastSuccessAt, last_error_code AS code, last_error_message AS message,
             last_error_at AS errorAt
      FROM job_runs ORDER BY job`);
    this.#firstRun = db.prepare('SELECT first_run_started_at AS at FROM job_runs WHERE job = ?');
  }

  record(job: string, run: RunOutcome): void {
    this.#record.run({
      job, startedAt: run.startedAt, finishedAt: run.finishedAt, ok: run.ok ? 1 : 0,
      code: run.error?.code ?? null, message: run.error?.message ?? null,
    });
  }

  /** When the job first started, as far as this store knows; null for a job that never ran. */
  firstRunAt(job: string): string | null {
    return this.#firstRun.get(job)?.at ?? null;
  }

  all(): JobState[] {
    return this.#all.all().map((row) => ({
      job: row.job,
      lastRunStartedAt: row.lastRunStartedAt,
      lastRunAt: row.lastRunAt,
      lastRunOk: row.lastRunOk === 1,
      lastSuccessAt: row.lastSuccessAt,
      lastError: row.code !== null ? { code: row.code, message: row.message ?? '', at: row.errorAt ?? row.lastRunAt } : null,
    }));
  }
}

interface RunParams {
  job: string;
  startedAt: string;
  finishedAt: string;
  ok: number;
  code: string | null;
  message: string | null;
}
