/**
 * Why applying a verified bundle failed or was undone: the trial on the
 * real local systems, the swap, the probation after it. Codes and actions
 * are in the control catalogue (errors.ts); each message names the member
 * and carries the database's or connector's own code and words.
 */
import type { BundleProblem } from './contract.js';
import { controlProblem, type ControlErrorCode, type ControlProblem } from './errors.js';

export type ApplyErrorCode = Extract<ControlErrorCode, `CONTROL_${string}`>;

/** A problem of the trial, the swap or the probation, with its action from the control catalogue. */
export function applyProblem(code: ApplyErrorCode, detail: string, path?: string): ControlProblem {
  return { ...controlProblem(code, { detail }), message: detail, ...(path ? { path } : {}) };
}

/** One line per problem, as stored, logged and sent in the heartbeat: `CODE at path: message`. */
export function joinProblems(problems: readonly BundleProblem[]): string {
  return problems.map((p) => `${p.code}${p.path ? ` at ${p.path}` : ''}: ${p.message}`).join('; ');
}
