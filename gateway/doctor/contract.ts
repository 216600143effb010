/**
 * What `credit-gateway doctor` finds, as values: every check returns
 * findings that name a message key and its parameters, never finished text,
 * so the same finding prints in Chinese or English (messages.ts) and as JSON
 * for scripts. Parameters are paths, numbers, names and the database's or
 * platform's own words; never a secret's value or an unmasked ID number.
 */
import type { MessageKey } from './messages.js';

/** pass 通过, warn 警告 (works, but look at it), fail 失败 (broken), skip 未检查 (an earlier failure hides it). */
export type CheckState = 'pass' | 'warn' | 'fail' | 'skip';

export type Params = Record<string, string | number>;

export interface Finding {
  /** Stable for scripts: `config`, `secrets`, `source:<name>`, `platform`, `auth`, … */
  id: string;
  /** The check's title key; `subject` (e.g. a source name) goes into it. */
  title: MessageKey;
  subject?: string;
  state: CheckState;
  message: MessageKey;
  /** The fix, for anything not passing. */
  fix?: MessageKey;
  params?: Params;
}

/** Beyond these the clock is wrong enough to warn, and to fail (the platform refuses requests 300 s off). */
export const CLOCK_WARN_MS = 60_000;
export const CLOCK_FAIL_MS = 300_000;
