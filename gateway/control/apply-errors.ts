/**
 * Why applying a verified bundle failed or was undone: the trial on the
 * real local systems, the swap, the probation after it. (To move into the
 * control catalogue, errors.ts, by its owner.) Each message names the
 * member and carries the database's or connector's own code and words.
 */
import type { BundleProblem } from './contract.js';

export const APPLY_ERRORS = {
  CONTROL_NO_PUBLIC_KEY: "no credit center public key is configured (control.publicKeyFile), so no bundle can be trusted: ask the credit center for center-public.pem and set control.publicKeyFile",
  CONTROL_TRIAL_CONFIG: 'the bundle names something this gateway does not have',
  CONTROL_TRIAL_SOURCE: 'a changed source could not be opened',
  CONTROL_TRIAL_FOLDER: 'a drop folder cannot be created or written',
  CONTROL_TRIAL_QUERY: "a changed job's query failed on the database",
  CONTROL_TRIAL_COLUMN_MISSING: "a column the job's mapping names is not in its query's result",
  CONTROL_TRIAL_ALL_REJECTED: "every sampled row of a changed job was rejected",
  CONTROL_SWAP_FAILED: 'the new configuration could not be started; the previous one runs again',
  CONTROL_ROLLED_BACK: 'a source that worked before failed after the swap; the previous configuration runs again',
} as const;

export type ApplyErrorCode = keyof typeof APPLY_ERRORS;

export function applyProblem(code: ApplyErrorCode, detail: string, path?: string): BundleProblem {
  return { code, message: detail, ...(path ? { path } : {}) };
}

/** One line per problem, as stored, logged and sent in the heartbeat: `CODE at path: message`. */
export function joinProblems(problems: readonly BundleProblem[]): string {
  return problems.map((p) => `${p.code}${p.path ? ` at ${p.path}` : ''}: ${p.message}`).join('; ');
}
