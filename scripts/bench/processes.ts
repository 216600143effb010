/**
 * Child processes the benchmark times: wall time, peak RSS (VmHWM from
 * /proc, polled; Linux only, null elsewhere) and the RSS peak when a
 * progress line first says a given number of rows were read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Measured {
  seconds: number;
  exitCode: number | null;
  /** Peak resident set of the process, bytes. */
  peakRss: number | null;
  /** Peak RSS when `rowsRead` first reached each mark, bytes. */
  rssAt: Record<number, number>;
  stdout: string;
  stderr: string;
}

export function vmHwm(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export interface Running {
  child: ChildProcess;
  /** Resolves with the measurement once the process exits. */
  done: Promise<Measured>;
  /** The latest peak RSS seen. */
  peak(): number | null;
}

/**
 * Starts `node script args`; `marks` are row counts at which the peak RSS
 * is noted, read from `<n> rows read` in the progress lines on stderr.
 */
export function startMeasured(args: string[], env: NodeJS.ProcessEnv, marks: number[] = []): Running {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  let peak: number | null = null;
  const rssAt: Record<number, number> = {};
  const pending = [...marks].sort((a, b) => a - b);
  const sample = () => {
    const now = vmHwm(child.pid!);
    if (now !== null) peak = Math.max(peak ?? 0, now);
  };
  const timer = setInterval(sample, 100);
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => {
    const text = d.toString('utf8');
    stderr = (stderr + text).slice(-20_000);
    for (const m of text.matchAll(/: ([\d,]+)(?: of [\d,]+)? rows read/g)) {
      const read = Number(m[1]!.replaceAll(',', ''));
      while (pending.length > 0 && read >= pending[0]!) {
        sample();
        rssAt[pending.shift()!] = peak ?? 0;
      }
    }
  });
  const done = new Promise<Measured>((resolve) => {
    child.once('exit', (code) => {
      clearInterval(timer);
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, exitCode: code, peakRss: peak, rssAt, stdout, stderr });
    });
  });
  return { child, done, peak: () => { sample(); return peak; } };
}

export async function runMeasured(args: string[], env: NodeJS.ProcessEnv, marks: number[] = []): Promise<Measured> {
  const measured = await startMeasured(args, env, marks).done;
  if (measured.exitCode !== 0) {
    throw new Error(`${args.slice(0, 3).join(' ')} exited ${measured.exitCode}:\n${measured.stdout.slice(-2000)}${measured.stderr.slice(-3000)}`);
  }
  return measured;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns true; false after `timeoutMs`. */
export async function waitFor(probe: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(everyMs);
  }
  return false;
}
