/**
 * Where progress lines go: on a terminal one line redrawn in place (cleared
 * at the end, so the summary stands alone); elsewhere a plain line every
 * `everyMs` (a line per page when 0), which a log or a scheduler keeps.
 */
import { progressLine, type RunProgress } from './progress.js';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOutput {
  /** A page was committed (after RunProgress counted it). */
  pageCommitted(): void;
  /** The run ended: the timer stops and a terminal's live line is cleared. */
  stop(): void;
}

/** How often the terminal's live line is redrawn at most. */
const REDRAW_MS = 250;

export function showProgress(progress: RunProgress, stream: ProgressStream, everyMs: number, now: () => number = Date.now): ProgressOutput {
  const line = () => progressLine(progress.facts(now()));
  if (stream.isTTY) {
    let drawnAt = -Infinity;
    let drawn = false;
    const draw = (force: boolean) => {
      if (!force && now() - drawnAt < REDRAW_MS) return;
      drawnAt = now();
      drawn = true;
      stream.write(`\r${line()}\x1b[K`);
    };
    // The elapsed time moves even while a slow query returns nothing.
    const timer = setInterval(() => draw(true), 1000);
    timer.unref();
    return {
      pageCommitted: () => draw(false),
      stop: () => {
        clearInterval(timer);
        if (drawn) stream.write('\r\x1b[K');
      },
    };
  }
  if (everyMs <= 0) {
    return { pageCommitted: () => stream.write(`${line()}\n`), stop: () => undefined };
  }
  const timer = setInterval(() => stream.write(`${line()}\n`), everyMs);
  timer.unref();
  return { pageCommitted: () => undefined, stop: () => clearInterval(timer) };
}
