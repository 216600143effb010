import t from 'tap';
import pino from 'pino';
import { Scheduler, type Timers } from '../../../gateway/jobs/scheduler.js';

/** Timers driven by the test: time moves only when the test says so. */
class FakeTimers implements Timers {
  time = 1_000_000;
  #next = 1;
  #pending = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#pending.set(id, { at: this.time + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }
  now(): number {
    return this.time;
  }
  /** Advances time, firing due timers in order, letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      const due = [...this.#pending.entries()].filter(([, p]) => p.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#pending.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].fn();
    }
    this.time = end;
    await new Promise((r) => setImmediate(r));
  }
}

const logger = pino({ level: 'silent' });

t.test('an interval job runs at start, then every interval after the previous run ends', async (t) => {
  const timers = new FakeTimers();
  let runs = 0;
  const s = new Scheduler({ jobs: [{ name: 'a', schedule: { intervalSecs: 10 }, run: async () => { runs++; } }], logger, timers });
  s.start();
  await timers.advance(0);
  t.equal(runs, 1, 'ran at start (catch-up from its cursor)');
  await timers.advance(9_999);
  t.equal(runs, 1);
  await timers.advance(1);
  t.equal(runs, 2);
  await timers.advance(30_000);
  t.equal(runs, 5);
  await s.stop();
});

t.test('a run never overlaps the previous run of the same job', async (t) => {
  const timers = new FakeTimers();
  let active = 0;
  let maxActive = 0;
  let release: () => void = () => {};
  const s = new Scheduler({
    jobs: [{
      name: 'slow', schedule: { intervalSecs: 1 },
      run: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((r) => { release = r; });
        active--;
      },
    }],
    logger, timers,
  });
  s.start();
  await timers.advance(5_000);
  const manual = s.runNow('slow');
  await timers.advance(5_000);
  t.equal(maxActive, 1, 'only one run at a time, even with ticks and run-now');
  release();
  await manual;
  t.equal(active, 0);
  await s.stop();
});

t.test('a failing run is retried with back-off, never later than the next tick', async (t) => {
  const timers = new FakeTimers();
  const at: number[] = [];
  const s = new Scheduler({
    jobs: [{ name: 'f', schedule: { intervalSecs: 60 }, run: async () => { at.push(timers.now()); throw new Error('db down'); } }],
    logger, timers, retryBaseSecs: 5, retryMaxSecs: 600,
  });
  s.start();
  await timers.advance(200_000);
  const gaps = at.slice(1).map((v, i) => v - at[i]!);
  t.same(gaps.slice(0, 5), [5_000, 10_000, 20_000, 40_000, 60_000], 'doubling, capped by the 60 s interval');
  t.equal(s.states()[0]!.consecutiveFailures, at.length);
  await s.stop();
});

t.test('a cron job that missed its tick while the gateway was down runs once at start, not once per missed tick', async (t) => {
  const timers = new FakeTimers();
  timers.time = Date.now();
  let runs = 0;
  const dayAgo = new Date(timers.time - 3 * 86_400_000);
  const s = new Scheduler({ jobs: [{ name: 'daily', schedule: { cron: '0 2 * * *' }, run: async () => { runs++; }, lastSuccessAt: dayAgo }], logger, timers });
  s.start();
  await timers.advance(1_000);
  t.equal(runs, 1);
  t.ok(s.states()[0]!.nextRunAt, 'next run is the next cron occurrence');
  await s.stop();

  const recent = new Scheduler({ jobs: [{ name: 'daily', schedule: { cron: '0 2 * * *' }, run: async () => { runs++; }, lastSuccessAt: new Date(timers.time - 60_000) }], logger, timers });
  recent.start();
  await timers.advance(1_000);
  t.equal(runs, 1, 'a job that ran within its period waits for its next tick');
  await recent.stop();
});

t.test('stop waits for a run in progress and schedules nothing after', async (t) => {
  const timers = new FakeTimers();
  let finished = false;
  let runs = 0;
  const s = new Scheduler({ jobs: [{ name: 'a', schedule: { intervalSecs: 1 }, run: async () => { runs++; await new Promise((r) => setTimeout(r, 20)); finished = true; } }], logger, timers });
  s.start();
  await timers.advance(0);
  await s.stop();
  t.ok(finished, 'the run in progress completed before stop returned');
  await timers.advance(10_000);
  t.equal(runs, 1);
});

t.test('a job\'s snapshot schedule runs beside its regular one and never at the same time', async (t) => {
  const timers = new FakeTimers();
  const log: string[] = [];
  let active = 0;
  let maxActive = 0;
  const run = (kind: string, ms: number) => async () => {
    active++;
    maxActive = Math.max(maxActive, active);
    log.push(`${kind}@${timers.now() - 1_000_000}`);
    await new Promise<void>((resolve) => timers.setTimeout(resolve, ms));
    active--;
  };
  const s = new Scheduler({
    jobs: [{ name: 'p', schedule: { intervalSecs: 10 }, run: run('incremental', 4_000), snapshot: { schedule: { intervalSecs: 60 }, run: run('snapshot', 30_000) } }],
    logger, timers,
  });
  s.start();
  await timers.advance(0);
  t.same(log, ['incremental@0'], 'both are due at start: one runs');
  await timers.advance(4_000);
  t.same(log, ['incremental@0', 'snapshot@4000'], 'the snapshot waited and ran right after');
  t.equal(s.states()[0]!.snapshot!.running, true);
  await timers.advance(30_000);
  t.same(log.slice(2), ['incremental@34000'], 'the incremental tick that fell inside the snapshot ran when it ended');
  await timers.advance(100_000);
  t.equal(maxActive, 1, 'never two runs of one job at once');
  t.ok(log.filter((l) => l.startsWith('snapshot')).length >= 2, 'the snapshot keeps its own schedule');
  await s.stop();
});

t.test('run-now of a snapshot waits for a regular run in progress, and a failing snapshot retries on its own', async (t) => {
  const timers = new FakeTimers();
  const log: string[] = [];
  let release: () => void = () => {};
  let snapshotFails = true;
  const s = new Scheduler({
    jobs: [{
      name: 'p', schedule: { intervalSecs: 3600 },
      run: async () => { log.push('incremental'); await new Promise<void>((r) => { release = r; }); },
      snapshot: { schedule: { cron: '0 3 * * *' }, lastSuccessAt: new Date(), run: async () => { log.push('snapshot'); if (snapshotFails) throw new Error('db down'); } },
    }],
    logger, timers, retryBaseSecs: 5,
  });
  s.start();
  await timers.advance(0);
  const manual = s.runNow('p', 'snapshot');
  await timers.advance(0);
  t.same(log, ['incremental'], 'the snapshot waits');
  release();
  await manual;
  t.same(log, ['incremental', 'snapshot']);
  t.equal(s.states()[0]!.snapshot!.consecutiveFailures, 1);
  t.equal(s.states()[0]!.consecutiveFailures, 0, 'the regular schedule is not counted as failing');
  snapshotFails = false;
  await timers.advance(5_000);
  t.same(log, ['incremental', 'snapshot', 'snapshot'], 'retried after the back-off');
  t.equal(s.states()[0]!.snapshot!.consecutiveFailures, 0);
  await s.stop();
});

t.test('a one-off run waits for the run in progress, ticks wait for it, and it is never repeated', async (t) => {
  const timers = new FakeTimers();
  const log: string[] = [];
  let release: () => void = () => {};
  const s = new Scheduler({
    jobs: [{
      name: 'j', schedule: { intervalSecs: 10 },
      run: async () => {
        log.push('regular:start');
        await new Promise<void>((r) => { release = r; });
        log.push('regular:end');
      },
    }],
    logger, timers,
  });
  s.start();
  await timers.advance(0);
  let onceRuns = 0;
  const once = s.runOnce('j', async () => {
    onceRuns++;
    log.push('once');
  });
  await timers.advance(0);
  t.same(log, ['regular:start'], 'the one-off run waits while the regular run reads');
  release();
  await once;
  t.same(log, ['regular:start', 'regular:end', 'once']);
  await timers.advance(10_000);
  release();
  await timers.advance(60_000);
  release();
  await timers.advance(0);
  t.equal(onceRuns, 1, 'the one-off run is not re-armed');
  t.ok(log.filter((l) => l === 'regular:start').length >= 2, 'the regular schedule carries on');
  await t.rejects(s.runOnce('nope', async () => undefined), /unknown job/);
  await s.stop();
});
