import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';

export type Schedule = { intervalSecs: number } | { cron: string };

/** A job's schedule as configured, and whether it came from the catalog's reporting frequency (no `schedule` of its own). */
export interface JobSchedule {
  schedule: Schedule;
  fromCatalog: boolean;
}

/** A job's regular runs, or the slower complete snapshot an incremental job can run beside them. */
export type TriggerKind = 'regular' | 'snapshot';

export interface TriggerSpec {
  schedule: Schedule;
  /** One run; rejects when the run failed. */
  run: () => Promise<void>;
  /** When this kind of run last succeeded (from the store), for catch-up after downtime. */
  lastSuccessAt?: Date | null;
}

export interface ScheduledJob extends TriggerSpec {
  name: string;
  /** A second schedule of the same job (a snapshot beside incremental reads); it never overlaps the first. */
  snapshot?: TriggerSpec;
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

export interface TriggerState {
  schedule: Schedule;
  running: boolean;
  nextRunAt: string | null;
  consecutiveFailures: number;
}

export interface JobScheduleState extends TriggerState {
  name: string;
  /** The snapshot schedule's own state, when the job has one. */
  snapshot?: TriggerState;
}

interface Trigger {
  kind: TriggerKind;
  spec: TriggerSpec;
  timer: unknown;
  task: ScheduledTask | null;
  nextRunAt: number | null;
  failures: number;
  /** Fired while the other trigger's run was going: runs as soon as that ends. */
  waiting: boolean;
  /** A one-off run asked for by a person (e.g. a complete re-read after a fix): never re-armed. */
  once?: boolean;
}

interface Entry {
  name: string;
  triggers: Trigger[];
  running: { trigger: Trigger; done: Promise<void> } | null;
}

/**
 * Runs jobs on their schedules. A job never overlaps itself, whichever of its
 * schedules fired: a tick of the trigger already running is dropped, because
 * the next run reads from the job's cursor (or, for a snapshot, reads
 * everything) and so takes in whatever that tick would have; a tick of the
 * job's other trigger waits and runs right after, so a snapshot is never lost
 * behind a busy incremental schedule. For the same reason a gateway that was
 * down does not replay missed ticks: it runs each due trigger once at start
 * and carries on. A failed run is retried with exponential back-off, never
 * later than the trigger's next regular tick.
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
      const trigger = (kind: TriggerKind, spec: TriggerSpec): Trigger => ({ kind, spec, timer: null, task: null, nextRunAt: null, failures: 0, waiting: false });
      const triggers = [trigger('regular', job)];
      if (job.snapshot) triggers.push(trigger('snapshot', job.snapshot));
      this.#entries.set(job.name, { name: job.name, triggers, running: null });
    }
  }

  start(): void {
    this.#stopped = false;
    for (const entry of this.#entries.values()) {
      for (const trigger of entry.triggers) {
        const { schedule } = trigger.spec;
        if ('cron' in schedule) {
          trigger.task = cron.createTask(schedule.cron, () => void this.#fire(entry, trigger), { name: `${entry.name}:${trigger.kind}` });
          void trigger.task.start();
          if (this.#missedCronTick(trigger)) this.#arm(entry, trigger, 0);
          else trigger.nextRunAt = trigger.task.getNextRun()?.getTime() ?? null;
        } else {
          this.#arm(entry, trigger, 0);
        }
      }
    }
  }

  /** Stops scheduling and waits for runs in progress to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const running: Promise<void>[] = [];
    for (const entry of this.#entries.values()) {
      for (const trigger of entry.triggers) {
        if (trigger.timer) this.#timers.clearTimeout(trigger.timer);
        trigger.timer = null;
        if (trigger.task) await trigger.task.destroy();
        trigger.task = null;
        trigger.nextRunAt = null;
        trigger.waiting = false;
      }
      if (entry.running) running.push(entry.running.done.catch(() => undefined));
    }
    await Promise.all(running);
  }

  /**
   * Runs a job now unless that kind of run is already going (then waits for
   * it); while its other kind runs, waits for that and runs after it.
   */
  async runNow(name: string, kind: TriggerKind = 'regular'): Promise<void> {
    const entry = this.#entries.get(name);
    const trigger = entry?.triggers.find((t) => t.kind === kind);
    if (!entry || !trigger) throw new Error(`unknown job ${name}${kind === 'snapshot' ? ' snapshot schedule' : ''}`);
    for (;;) {
      const running = entry.running;
      if (!running) return this.#start(entry, trigger);
      if (running.trigger === trigger) return running.done;
      await running.done.catch(() => undefined);
    }
  }

  /**
   * A one-off run of the job outside its schedules (e.g. a complete re-read
   * asked for on the status page), under the same no-overlap rule: it waits
   * for a run in progress, and scheduled ticks wait for it.
   */
  async runOnce(name: string, run: () => Promise<void>): Promise<void> {
    const entry = this.#entries.get(name);
    if (!entry) throw new Error(`unknown job ${name}`);
    const trigger: Trigger = {
      kind: 'snapshot', spec: { schedule: entry.triggers[0]!.spec.schedule, run }, timer: null, task: null, nextRunAt: null, failures: 0, waiting: false, once: true,
    };
    while (entry.running) await entry.running.done.catch(() => undefined);
    return this.#start(entry, trigger);
  }

  states(): JobScheduleState[] {
    return [...this.#entries.values()].map((e) => {
      const [regular, snapshot] = e.triggers as [Trigger, Trigger | undefined];
      return { name: e.name, ...this.#state(e, regular), ...(snapshot ? { snapshot: this.#state(e, snapshot) } : {}) };
    });
  }

  #state(entry: Entry, trigger: Trigger): TriggerState {
    return {
      schedule: trigger.spec.schedule,
      running: entry.running?.trigger === trigger,
      nextRunAt: trigger.nextRunAt === null ? null : new Date(trigger.nextRunAt).toISOString(),
      consecutiveFailures: trigger.failures,
    };
  }

  /** A cron trigger is due at start when its last success is older than one period. */
  #missedCronTick(trigger: Trigger): boolean {
    const last = trigger.spec.lastSuccessAt;
    if (!last) return true;
    const [a, b] = trigger.task!.getNextRuns(2);
    if (!a || !b) return false;
    return this.#timers.now() - last.getTime() > b.getTime() - a.getTime();
  }

  #arm(entry: Entry, trigger: Trigger, delayMs: number): void {
    if (this.#stopped) return;
    if (trigger.timer) this.#timers.clearTimeout(trigger.timer);
    trigger.nextRunAt = this.#timers.now() + delayMs;
    trigger.timer = this.#timers.setTimeout(() => {
      trigger.timer = null;
      void this.#fire(entry, trigger);
    }, delayMs);
  }

  #fire(entry: Entry, trigger: Trigger): Promise<void> {
    if (entry.running) {
      if (entry.running.trigger === trigger) {
        this.#logger.debug({ job: entry.name, trigger: trigger.kind }, 'tick skipped: previous run still going');
      } else {
        trigger.waiting = true;
        this.#logger.debug({ job: entry.name, trigger: trigger.kind }, 'tick waits for the other run of the job');
      }
      return entry.running.done;
    }
    return this.#start(entry, trigger);
  }

  #start(entry: Entry, trigger: Trigger): Promise<void> {
    trigger.waiting = false;
    const done = (async () => {
      let ok = false;
      try {
        await trigger.spec.run();
        ok = true;
      } catch (err) {
        this.#logger.warn({ job: entry.name, trigger: trigger.kind, err }, 'job run failed');
      } finally {
        entry.running = null;
        trigger.failures = ok ? 0 : trigger.failures + 1;
        this.#afterRun(entry, trigger);
      }
    })();
    entry.running = { trigger, done };
    return done;
  }

  #afterRun(entry: Entry, trigger: Trigger): void {
    if (this.#stopped) return;
    if (trigger.once) {
      const waiting = entry.triggers.find((t) => t.waiting);
      if (waiting) this.#arm(entry, waiting, 0);
      return;
    }
    const { schedule } = trigger.spec;
    const regularMs = 'intervalSecs' in schedule ? schedule.intervalSecs * 1000 : null;
    if (trigger.failures > 0) {
      const retryMs = Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** (trigger.failures - 1));
      const nextTickMs = regularMs ?? (trigger.task?.msToNext() ?? retryMs);
      this.#arm(entry, trigger, Math.min(retryMs, nextTickMs));
    } else if (regularMs !== null) {
      this.#arm(entry, trigger, regularMs);
    } else {
      trigger.nextRunAt = trigger.task?.getNextRun()?.getTime() ?? null;
    }
    const waiting = entry.triggers.find((t) => t.waiting);
    if (waiting) this.#arm(entry, waiting, 0);
  }
}
