import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { createSource } from '../../connectors/registry.js';
import type { Source, SourceFacts } from '../../connectors/contract.js';
import { SOURCE_DEFAULTS } from '../../connectors/options.js';
import { ConfigError } from '../../config/errors.js';
import { LocalPaths } from '../../config/local-paths.js';
import { resolvePath } from '../../config/load.js';
import type { GatewayConfig, SourceConfig } from '../../config/schema.js';
import { SecretBindings } from '../../config/secret-bindings.js';
import type { Secrets } from '../../config/secrets.js';
import { connectorOptions, requireAllowedPath } from '../../config/source-options.js';
import { maskIdNumbersIn } from '../identifiers/mask.js';
import { CLOCK_WARN_MS, type Finding } from './contract.js';
import { zoneOffsetMinutes } from './zone.js';

/**
 * Each source reachable and read-only, and its clock and zone: opened the
 * way a job opens it (config/source-options.ts, the connector's own open,
 * read-only session and facts), so a wrong password fails here in the
 * database's own words, and an account that can write is a warning (the
 * gateway reads only, but an account that could write is one credential
 * leak away from changing the department's data).
 */
export interface SourceCheckContext {
  /** The local configuration: it alone says where secrets and local paths may go. */
  config: Readonly<GatewayConfig>;
  /** The sources in effect: the local file's, or those of the bundle the gateway runs. */
  sources: readonly SourceConfig[];
  baseDir: string;
  secrets: Secrets;
  now: () => number;
  /** Longest wait for one source to open and answer. */
  timeoutMs?: number;
}

export async function checkSources(ctx: SourceCheckContext): Promise<Finding[]> {
  if (ctx.sources.length === 0) return [{ id: 'sources', title: 'title.sources', state: 'pass', message: 'sources.none' }];
  const bindings = new SecretBindings(ctx.config);
  const paths = new LocalPaths(ctx.config, ctx.baseDir);
  const results = await Promise.all(ctx.sources.map((source, index) => checkOne(ctx, source, index, { bindings, paths })));
  return results.flat();
}

async function checkOne(ctx: SourceCheckContext, source: SourceConfig, index: number, refs: { bindings: SecretBindings; paths: LocalPaths }): Promise<Finding[]> {
  const base = { id: `source:${source.name}`, title: 'title.source', subject: source.name } as const;
  if (source.kind === 'folder') return [checkFolder(ctx, source, index, refs.paths)];
  let options;
  try {
    options = connectorOptions(source, index, { baseDir: ctx.baseDir, secrets: ctx.secrets, bindings: refs.bindings, paths: refs.paths });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [{ ...base, state: 'fail', message: 'source.refused', fix: 'source.refused.fix', params: { detail: err.problems.map((p) => `${p.path}: ${p.message}`).join('; ') } }];
  }
  let opened: Source | null = null;
  let facts: SourceFacts;
  try {
    opened = await createSource(options);
    const s = opened;
    facts = await withDeadline(ctx.timeoutMs ?? 30_000, async () => {
      await s.open();
      return s.facts();
    });
  } catch (err) {
    return [{ ...base, state: 'fail', message: 'source.unreachable', fix: 'source.unreachable.fix', params: { kind: source.kind, detail: wordsOf(err) } }];
  } finally {
    await opened?.close().catch(() => undefined);
  }
  const reach: Finding = facts.canWrite === true
    ? { ...base, state: 'warn', message: 'source.writable', fix: 'source.writable.fix', params: { version: facts.serverVersion, user: 'user' in source ? source.user : '' } }
    : { ...base, state: 'pass', message: source.kind === 'sqlite' ? 'source.okFile' : facts.canWrite === false ? 'source.ok' : 'source.okUnknownWrite', params: { version: facts.serverVersion } };
  // A SQLite file is read on this machine, by this machine's clock: there is no other clock or zone to compare.
  return source.kind === 'sqlite' ? [reach] : [reach, clockFinding(ctx, source, facts)];
}

function clockFinding(ctx: SourceCheckContext, source: SourceConfig, facts: SourceFacts): Finding {
  const base = { id: `source-clock:${source.name}`, title: 'title.sourceClock', subject: source.name } as const;
  const offsetMs = Date.parse(facts.now) - ctx.now();
  const configured = ('timeZone' in source && source.timeZone) || SOURCE_DEFAULTS.timeZone;
  const params = { offsetSecs: Math.round(offsetMs / 1000), dbZone: facts.timeZone ?? '?', zone: configured };
  if (Number.isFinite(offsetMs) && Math.abs(offsetMs) > CLOCK_WARN_MS) {
    return { ...base, state: 'warn', message: 'sourceClock.off', fix: 'sourceClock.off.fix', params };
  }
  // 'SYSTEM' names no zone: only a zone the database states is compared.
  const at = ctx.now();
  const db = facts.timeZone ? zoneOffsetMinutes(facts.timeZone, at) : null;
  const mine = zoneOffsetMinutes(configured, at);
  if (db !== null && mine !== null && db !== mine) {
    return { ...base, state: 'warn', message: 'sourceClock.zoneDiffers', fix: 'sourceClock.zoneDiffers.fix', params };
  }
  return { ...base, state: 'pass', message: 'sourceClock.ok', params };
}

function checkFolder(ctx: SourceCheckContext, source: Extract<SourceConfig, { kind: 'folder' }>, index: number, paths: LocalPaths): Finding {
  const base = { id: `source:${source.name}`, title: 'title.source', subject: source.name } as const;
  try {
    requireAllowedPath(source, index, paths);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { ...base, state: 'fail', message: 'source.refused', fix: 'source.refused.fix', params: { detail: err.problems.map((p) => `${p.path}: ${p.message}`).join('; ') } };
  }
  const folder = resolvePath(ctx.baseDir, source.path);
  const incoming = join(folder, 'incoming');
  try {
    if (!statSync(incoming).isDirectory()) throw new Error(`${incoming} is not a folder`);
    accessSync(incoming, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (err) {
    return { ...base, state: 'fail', message: 'source.folderMissing', fix: 'source.folderMissing.fix', params: { folder, detail: (err as Error).message } };
  }
  return { ...base, state: 'pass', message: 'source.folderOk', params: { folder } };
}

/** The database's own words: the connector's message and its cause, masked (a query error may quote a row). */
export function wordsOf(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (!parts.some((p) => p.includes(e instanceof Error ? e.message : ''))) parts.push(e.message);
  }
  return maskIdNumbersIn(parts.join(' — ') || String(err));
}

async function withDeadline<T>(ms: number, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([run(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
