/**
 * A read bound in words: which upper bound a job's reads follow, why, and
 * the grant that would let them follow the source's open transactions.
 * Said once here for both places that show it, the probe's outline (what a
 * run would take now) and the status page (what the last run took), so the
 * two cannot drift apart. A run that failed before planning its read took
 * no bound: the page says so rather than go on showing the one before.
 */
import type { NoBound, RunBound } from '../jobs/window.js';
import type { Said } from '../i18n/messages.js';
import type { Tone } from './outline.js';

export interface BoundWords {
  said: Said;
  /** good: the open-transaction bound; warn: a fixed lag a grant would lift; plain: a fixed lag nothing here can lift. */
  tone: Tone;
  /** The privilege or role to grant the source's account for the open-transaction bound; null when a grant would not help. */
  grant: string | null;
}

export function boundWords(run: RunBound | NoBound): BoundWords {
  if (run.bound === null) {
    return { said: line({ key: 'bound.none' }, { key: 'bound.why.planFailed', params: { code: run.failed.code } }), tone: 'warn', grant: null };
  }
  const { bound, lagSecs } = run;
  const lag = Math.round(lagSecs * 100) / 100;
  if (bound.kind === 'open-transactions') {
    return { said: line({ key: 'bound.open', params: { how: { data: bound.how } } }, { key: 'bound.why.open', params: { lag } }), tone: 'good', grant: null };
  }
  const grant = bound.why === 'privilege' && bound.detail ? bound.detail : null;
  // SQLite is the one database the gateway reads that has no view of other sessions at all: said in its own words.
  const reason = bound.why === 'unsupported' && bound.detail === 'sqlite' ? 'sqlite' : bound.why;
  const why: Said = { key: `bound.why.${reason}`, params: { detail: { data: bound.detail ?? '' } } };
  return { said: line({ key: 'bound.lag', params: { lag } }, why), tone: grant ? 'warn' : 'plain', grant };
}

function line(bound: Said, why: Said): Said {
  return { key: 'bound.line', params: { bound, why } };
}
