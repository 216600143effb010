import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';

export type Schedule = { intervalSecs: number } | { cron: string };

export interface ScheduledJob {
  name: string;
  schedule: Schedule;
  /** One run of the job; rejects when the run failed. */
  run: () => Promise<void>;
  /** When the job last succeeded (from the store), for catch-up after downtime. */
  lastSuccessAt?: Date | null;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  now: () => Date.now(),
};

export interface JobScheduleState {
  name: string;
  schedule: Schedule;
  running: boolean;
  nextRunAt: string | null;
  consecutiveFailures: number;
}

interface Entry {
  job: ScheduledJob;
  running: Promise<void> | null;
  timer: unknown;
  task: ScheduledTask | null;
  nextRunAt: number | null;
  failures: number;
}

/**
 * Runs jobs on their schedules. A job never overlaps itself: a tick that
 * arrives while the job runs is dropped, because the next run reads from the
 * job's cursor and so takes in whatever that tick would have. For the same
 * reason a gateway that was down does not replay missed ticks: it runs each
 * due job once at start and carries on. A failed run is retried with
 * exponential back-off, never later than the next regular tick.
 */
export class Scheduler {
  readonly #entries = new Map<string, Entry>();
  readonly #logger: Logger;
  readonly #timers: Timers;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  #stopped = true;

  constructor(options: { jobs: ScheduledJob[]; logger: Logger; timers?: Timers; retryBaseSecs?: number; retryMaxSecs?: number }) {
    this.#logger = options.logger;
    this.#timers = options.timers ?? realTimers;
    this.#retryBaseMs = (options.retryBaseSecs ?? 5) * 1000;
    this.#retryMaxMs = (options.retryMaxSecs ?? 600) * 1000;
    for (const job of options.jobs) {
      this.#entries.set(job.name, { job, running: null, timer: null, task: null, nextRunAt: null, failures: 0 });
    }
  }

  start(): void {
    this.#stopped = false;
    for (const entry of this.#entries.values()) {
      const { schedule } = entry.job;
      if ('cron' in schedule) {
        entry.task = cron.createTask(schedule.cron, () => void this.#trigger(entry), { name: entry.job.name });
        void entry.task.start();
        if (this.#missedCronTick(entry)) this.#arm(entry, 0);
        else entry.nextRunAt = entry.task.getNextRun()?.getTime() ?? null;
      } else {
        this.#arm(entry, 0);
      }
    }
  }

  /** Stops scheduling and waits for runs in progress to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const running: Promise<void>[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.timer) this.#timers.clearTimeout(entry.timer);
      entry.timer = null;
      if (entry.task) await entry.task.destroy();
      entry.task = null;
      entry.nextRunAt = null;
      if (entry.running) running.push(entry.running.catch(() => undefined));
    }
    await Promise.all(running);
  }

  /** Runs a job now unless it is already running (then waits for that run). */
  async runNow(name: string): Promise<void> {
    const entry = this.#entries.get(name);
    if (!entry) throw new Error(`unknown job ${name}`);
    await this.#trigger(entry);
  }

  states(): JobScheduleState[] {
    return [...this.#entries.values()].map((e) => ({
      name: e.job.name,
      schedule: e.job.schedule,
      running: e.running !== null,
      nextRunAt: e.nextRunAt === null ? null : new Date(e.nextRunAt).toISOString(),
      consecutiveFailures: e.failures,
    }));
  }

  /** A cron job is due at start when its last success is older than one period. */
  #missedCronTick(entry: Entry): boolean {
    const last = entry.job.lastSuccessAt;
    if (!last) return true;
    const [a, b] = entry.task!.getNextRuns(2);
    if (!a || !b) return false;
    return this.#timers.now() - last.getTime() > b.getTime() - a.getTime();
  }

  #arm(entry: Entry, delayMs: number): void {
    if (this.#stopped) return;
    if (entry.timer) this.#timers.clearTimeout(entry.timer);
    entry.nextRunAt = this.#timers.now() + delayMs;
    entry.timer = this.#timers.setTimeout(() => {
      entry.timer = null;
      void this.#trigger(entry);
    }, delayMs);
  }

  #trigger(entry: Entry): Promise<void> {
    if (entry.running) {
      this.#logger.debug({ job: entry.job.name }, 'tick skipped: previous run still going');
      return entry.running;
    }
    const run = (async () => {
      let ok = false;
      try {
        await entry.job.run();
        ok = true;
      } catch (err) {
        this.#logger.warn({ job: entry.job.name, err }, 'job run failed');
      } finally {
        entry.running = null;
        entry.failures = ok ? 0 : entry.failures + 1;
        this.#afterRun(entry);
      }
    })();
    entry.running = run;
    return run;
  }

  #afterRun(entry: Entry): void {
    if (this.#stopped) return;
    const { schedule } = entry.job;
    const regularMs = 'intervalSecs' in schedule ? schedule.intervalSecs * 1000 : null;
    if (entry.failures > 0) {
      const retryMs = Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** (entry.failures - 1));
      const nextTickMs = regularMs ?? (entry.task?.msToNext() ?? retryMs);
      this.#arm(entry, Math.min(retryMs, nextTickMs));
    } else if (regularMs !== null) {
      this.#arm(entry, regularMs);
    } else {
      entry.nextRunAt = entry.task?.getNextRun()?.getTime() ?? null;
    }
  }
}
