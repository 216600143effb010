import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import cron from 'node-cron';
import { ConfigSchema, JOB_SCHEMAS, SOURCE_SCHEMAS, type DatabaseSourceConfig, type GatewayConfig, type JobConfig, type ScheduleConfig, type SourceConfig } from './schema.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import { queryProblem } from './query.js';
import { secretUseProblems } from './secret-bindings.js';

/** `/jobs/0/cursor` → `jobs[0].cursor` */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

/**
 * Sources and jobs are unions chosen by one member (`kind`, `mode`). A union
 * that fails reports only "expected union value" for the whole entry, so each
 * entry is checked against the schema its discriminator names instead, and
 * its problems keep their full paths.
 */
const BRANCHED: { list: 'sources' | 'jobs'; member: string; fallback?: string; schemas: Record<string, TSchema> }[] = [
  { list: 'sources', member: 'kind', schemas: SOURCE_SCHEMAS },
  { list: 'jobs', member: 'mode', fallback: 'incremental', schemas: JOB_SCHEMAS },
];

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function errorsOf(schema: TSchema, value: unknown, prefix: string, seen: Set<string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const error of Value.Errors(schema, value)) {
    const path = pointerToPath(`${prefix}${error.path}`);
    // A union reports one error per branch; the first per path is the useful one.
    if (seen.has(path)) continue;
    seen.add(path);
    const hint = (error.schema as { description?: string }).description;
    problems.push({ path, message: hint ? `${error.message} (${hint})` : error.message });
  }
  return problems;
}

/** Fills defaults: each source and job by the schema of its kind or mode, then the rest. */
function withDefaults(doc: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(doc);
  for (const { list, member, fallback, schemas } of BRANCHED) {
    const items = copy[list];
    if (!Array.isArray(items)) continue;
    copy[list] = items.map((item) => {
      if (!isMapping(item)) return item;
      if (item[member] === undefined && fallback) item[member] = fallback;
      const schema = schemas[item[member] as string];
      return schema ? Value.Default(schema, item) : item;
    });
  }
  return Value.Default(ConfigSchema, copy) as Record<string, unknown>;
}

function schemaProblems(doc: Record<string, unknown>): ConfigProblem[] {
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const { list, member, schemas } of BRANCHED) {
    const items = doc[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      const at = `/${list}/${i}`;
      // The entry's own union error is replaced by what follows.
      seen.add(pointerToPath(at));
      const schema = isMapping(item) ? schemas[item[member] as string] : undefined;
      if (!isMapping(item)) {
        problems.push({ path: pointerToPath(at), message: 'expected a mapping' });
      } else if (!schema) {
        const path = pointerToPath(`${at}/${member}`);
        seen.add(path);
        problems.push({ path, message: `must be one of ${Object.keys(schemas).join(', ')}` });
      } else {
        problems.push(...errorsOf(schema, item, at, seen));
      }
    });
  }
  return [...problems, ...errorsOf(ConfigSchema, doc, '', seen)];
}

function duplicates(names: string[]): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) (seen.has(n) ? dup : seen).add(n);
  return dup;
}

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

function scheduleProblem(schedule: ScheduleConfig | undefined, path: string): ConfigProblem[] {
  return schedule && 'cron' in schedule && !cron.validate(schedule.cron)
    ? [{ path: `${path}.cron`, message: `"${schedule.cron}" is not a valid cron expression` }]
    : [];
}

function sourceProblems(source: SourceConfig, i: number): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const at = `sources[${i}]`;
  if (source.kind === 'folder') return problems;
  if (source.timeZone !== undefined && !isIanaZone(source.timeZone)) {
    problems.push({ path: `${at}.timeZone`, message: `"${source.timeZone}" is not an IANA time zone (e.g. Asia/Shanghai, UTC)` });
  }
  if (source.kind === 'oracle' && !source.connectString && !(source.host && source.database)) {
    problems.push({ path: `${at}.connectString`, message: 'give connectString, or host and database (the service name)' });
  }
  return problems;
}

function jobProblems(job: JobConfig, i: number, source: DatabaseSourceConfig | undefined): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const at = `jobs[${i}]`;
  problems.push(...scheduleProblem(job.schedule, `${at}.schedule`));
  const query = queryProblem(job.query, source?.kind);
  if (query) problems.push({ path: `${at}.query`, message: query });
  if (duplicates(job.key).size > 0) problems.push({ path: `${at}.key`, message: 'a column is named twice' });
  if (job.mode === 'incremental') {
    problems.push(...scheduleProblem(job.snapshotSchedule, `${at}.snapshotSchedule`));
    if (duplicates(job.cursor).size > 0) problems.push({ path: `${at}.cursor`, message: 'a column is named twice' });
    const missing = job.key.filter((k) => !job.cursor.includes(k));
    if (missing.length > 0) {
      problems.push({
        path: `${at}.cursor`,
        message: `must end with the key column(s) ${missing.join(', ')}, which break ties between rows sharing a change time, e.g. [${[job.cursor[0], ...job.key].join(', ')}]`,
      });
    }
  }
  return problems;
}

/** Checks the schema cannot express: references between members, cron syntax, SQL, zones. */
function crossProblems(config: GatewayConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const sourceNames = config.sources.map((s) => s.name);
  const dupSources = duplicates(sourceNames);
  config.sources.forEach((s, i) => {
    if (dupSources.has(s.name)) problems.push({ path: `sources[${i}].name`, message: `duplicate source name "${s.name}"` });
    problems.push(...sourceProblems(s, i));
  });
  const dupJobs = duplicates(config.jobs.map((j) => j.name));
  config.jobs.forEach((job, i) => {
    if (dupJobs.has(job.name)) problems.push({ path: `jobs[${i}].name`, message: `duplicate job name "${job.name}"` });
    if (!sourceNames.includes(job.source)) {
      problems.push({ path: `jobs[${i}].source`, message: `no source named "${job.source}" (sources: ${sourceNames.join(', ') || 'none'})` });
    }
    const source = config.sources.find((s) => s.name === job.source);
    if (source?.kind === 'folder') {
      problems.push({ path: `jobs[${i}].source`, message: `"${job.source}" is a drop folder: it needs no job (each file's name gives its category); remove this job` });
      return;
    }
    problems.push(...jobProblems(job, i, source));
  });
  return problems;
}

/**
 * Validates a parsed document once: defaults applied, schema checked,
 * references checked; returns a frozen configuration or throws ConfigError
 * listing every problem with its path.
 */
export function validateConfig(doc: unknown): Readonly<GatewayConfig> {
  if (!isMapping(doc)) {
    throw new ConfigError('CONFIG_INVALID', [{ path: '', message: 'expected a mapping at the top level' }]);
  }
  const defaulted = withDefaults(doc);
  const problems = schemaProblems(defaulted);
  if (problems.length > 0) throw new ConfigError('CONFIG_INVALID', problems);
  const config = defaulted as unknown as GatewayConfig;
  const refs = crossProblems(config);
  if (refs.length > 0) throw new ConfigError('CONFIG_REFERENCE', refs);
  const misused = secretUseProblems(config);
  if (misused.length > 0) throw new ConfigError('CONFIG_SECRET_MISUSED', misused);
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * The checks of `sources` and `jobs` alone, exactly as a local configuration
 * gets them, for signed bundles (config/bundle.ts), which carry the same two
 * lists under another top level: defaults by kind and mode, schema problems
 * with full paths, then (only when the schema holds) references between
 * members, queries, cron and zones. A list left out stays left out (and is
 * reported as missing) rather than defaulting to empty.
 */
export function checkSourcesAndJobs(lists: { sources?: unknown; jobs?: unknown }): {
  sources: unknown;
  jobs: unknown;
  problems: ConfigProblem[];
} {
  const given = { sources: lists.sources, jobs: lists.jobs };
  const defaulted = withDefaults({ sources: given.sources ?? null, jobs: given.jobs ?? null });
  const checked = { sources: given.sources === undefined ? undefined : defaulted.sources, jobs: given.jobs === undefined ? undefined : defaulted.jobs };
  const ownPath = /^(sources|jobs)(\[|\.|$)/;
  // Only the two lists are checked here: the local top level (gateway, platform, …) is not a bundle's.
  const problems = schemaProblems(checked).filter((p) => ownPath.test(p.path));
  if (problems.length > 0) return { ...checked, problems };
  return { ...checked, problems: crossProblems(checked as unknown as GatewayConfig) };
}
