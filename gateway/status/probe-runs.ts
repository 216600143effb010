/**
 * The status page's 试运行检查: one probe at a time (a second click while
 * one runs is told so instead of opening the department's databases twice),
 * and the last report kept for the configuration page until the next one.
 */
import type { ProbeReport } from '../probe/report.js';

export interface ProbeRun {
  report: ProbeReport;
  /** Who asked for it; null on a loopback page without login. */
  by: string | null;
}

export class ProbeRuns {
  readonly #run: () => Promise<ProbeReport>;
  #running: Promise<ProbeRun> | null = null;
  #last: ProbeRun | null = null;

  constructor(run: () => Promise<ProbeReport>) {
    this.#run = run;
  }

  get running(): boolean {
    return this.#running !== null;
  }

  get last(): ProbeRun | null {
    return this.#last;
  }

  /** The finished run, or null when another is still running. */
  async start(by: string | null): Promise<ProbeRun | null> {
    if (this.#running) return null;
    this.#running = this.#run().then((report) => (this.#last = { report, by }));
    try {
      return await this.#running;
    } finally {
      this.#running = null;
    }
  }
}
