import type { EndpointKind, Fault } from './types.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function nonNegative(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** Why a fault cannot be queued, or null; the control API answers 400 with it. */
export function faultProblem(f: unknown): string | null {
  if (!isPlainObject(f)) return 'a fault must be an object';
  const actions = ['status', 'drop', 'hang'].filter((k) => f[k] !== undefined);
  if (actions.length > 1) return 'a fault has at most one of status, drop, hang';
  if (actions.length === 0 && f.delayMs === undefined) return 'a fault needs status, drop, hang or delayMs';
  if (f.status !== undefined && !(Number.isInteger(f.status) && (f.status as number) >= 400 && (f.status as number) <= 599)) {
    return 'status must be an HTTP error status (400-599)';
  }
  if (f.retryAfter !== undefined && !nonNegative(f.retryAfter)) return 'retryAfter must be seconds (>= 0)';
  if (f.delayMs !== undefined && !nonNegative(f.delayMs)) return 'delayMs must be >= 0';
  if (f.drop !== undefined && f.drop !== 'before' && f.drop !== 'after') return 'drop must be "before" or "after"';
  if (f.hang !== undefined && f.hang !== true) return 'hang must be true';
  if (f.times !== undefined && !(Number.isInteger(f.times) && (f.times as number) > 0)) return 'times must be a positive integer';
  if (f.path !== undefined && f.path !== 'batches' && f.path !== 'heartbeat') return 'path must be "batches" or "heartbeat"';
  return null;
}

/** A short name for the batch log and the CLI's lines. */
export function faultLabel(f: Fault): string {
  const parts: string[] = [];
  if (f.delayMs !== undefined) parts.push(`delay:${f.delayMs}`);
  if (f.status !== undefined) parts.push(`status:${f.status}`);
  if (f.drop !== undefined) parts.push(`drop:${f.drop}`);
  if (f.hang) parts.push('hang');
  return parts.join('+');
}

/**
 * Faults wait in order; a request takes the first one meant for its endpoint,
 * which fires `times` times (once by default) before leaving the queue.
 */
export class FaultQueue {
  private readonly queue: { fault: Fault; left: number }[] = [];

  add(fault: Fault): void {
    const problem = faultProblem(fault);
    if (problem) throw new TypeError(problem);
    this.queue.push({ fault: { ...fault }, left: fault.times ?? 1 });
  }

  take(kind: EndpointKind): Fault | undefined {
    const i = this.queue.findIndex((q) => q.fault.path === undefined || q.fault.path === kind);
    if (i < 0) return undefined;
    const q = this.queue[i]!;
    q.left -= 1;
    if (q.left === 0) this.queue.splice(i, 1);
    return q.fault;
  }

  list(): (Fault & { left: number })[] {
    return this.queue.map((q) => ({ ...q.fault, left: q.left }));
  }

  clear(): void {
    this.queue.length = 0;
  }
}
