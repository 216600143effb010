import { Value, ValueErrorType } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import cron from 'node-cron';
import { ConfigSchema, JOB_SCHEMAS, SOURCE_SCHEMAS, type DatabaseSourceConfig, type GatewayConfig, type JobConfig, type ScheduleConfig, type SourceConfig } from './schema.js';
import { ConfigError, type ConfigErrorCode, type ConfigProblem } from './errors.js';
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
    const member = path.slice(path.lastIndexOf('.') + 1);
    if (error.type === ValueErrorType.ObjectAdditionalProperties) {
      const known = Object.keys((error.schema as { properties?: Record<string, unknown> }).properties ?? {});
      problems.push({ path, code: 'CONFIG_MEMBER_UNKNOWN', message: `"${member}" is not a member here${known.length ? ` (members: ${known.join(', ')})` : ''}`, candidates: known });
      continue;
    }
    if (error.type === ValueErrorType.ObjectRequiredProperty) {
      problems.push({ path, code: 'CONFIG_MEMBER_MISSING', message: `"${member}" is required here` });
      continue;
    }
    if (error.type === ValueErrorType.Union) {
      problems.push(...unionProblems(error.schema, error.value, `${prefix}${error.path}`, seen));
      continue;
    }
    const hint = (error.schema as { description?: string }).description;
    problems.push({ path, code: 'CONFIG_INVALID', message: hint ? `${error.message} (${hint})` : error.message });
  }
  return problems;
}

/** What a branch of a union takes, in words: `"legal"`, `a mapping`, `text`. */
function describeBranch(branch: TSchema): string {
  if ('const' in branch) return JSON.stringify(branch.const);
  const kinds: Record<string, string> = { object: 'a mapping', string: 'text', number: 'a number', integer: 'a whole number', boolean: 'true or false', null: 'null', array: 'a list' };
  return kinds[String(branch.type)] ?? 'another form';
}

/**
 * A value that fits no branch of a union ("Expected union value" says
 * nothing): a mapping is checked against the mapping branch it comes
 * nearest to, so a misspelled member inside it is named; anything else is
 * told the forms it may take, with the nearest of the values it may be.
 */
function unionProblems(schema: TSchema, value: unknown, pointer: string, seen: Set<string>): ConfigProblem[] {
  // A union of unions (a subject kind: one of three words, or a mapping) is one list of forms.
  const flat = (s: TSchema): TSchema[] => ((s as { anyOf?: TSchema[] }).anyOf ?? [s]).flatMap((b) => ((b as { anyOf?: TSchema[] }).anyOf ? flat(b) : [b]));
  const branches = flat(schema);
  const path = pointerToPath(pointer);
  if (isMapping(value)) {
    const nearest = branches
      .filter((b) => b.type === 'object')
      .map((b) => ({ b, errors: [...Value.Errors(b, value)].length }))
      .sort((x, y) => x.errors - y.errors)[0];
    if (nearest) return errorsOf(nearest.b, value, pointer, seen);
  }
  const literals = branches.filter((b) => 'const' in b).map((b) => String(b.const));
  const hint = (schema as { description?: string }).description;
  return [{
    path,
    code: 'CONFIG_INVALID',
    message: `must be ${[...new Set(branches.map(describeBranch))].join(', or ')}${hint ? ` (${hint})` : ''}`,
    ...(literals.length > 0 ? { candidates: literals, given: String(value) } : {}),
  }];
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
        problems.push({ path: pointerToPath(at), code: 'CONFIG_INVALID', message: 'expected a mapping' });
      } else if (!schema) {
        const path = pointerToPath(`${at}/${member}`);
        seen.add(path);
        problems.push({ path, code: item[member] === undefined ? 'CONFIG_MEMBER_MISSING' : 'CONFIG_INVALID', message: `must be one of ${Object.keys(schemas).join(', ')}`, candidates: Object.keys(schemas), given: String(item[member] ?? '') });
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
    ? [{ path: `${path}.cron`, code: 'CONFIG_SCHEDULE_INVALID', message: `"${schedule.cron}" is not a valid cron expression` }]
    : [];
}

function sourceProblems(source: SourceConfig, i: number): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const at = `sources[${i}]`;
  if (source.kind === 'folder') return problems;
  if (source.timeZone !== undefined && !isIanaZone(source.timeZone)) {
    problems.push({ path: `${at}.timeZone`, code: 'CONFIG_TIME_ZONE_INVALID', message: `"${source.timeZone}" is not an IANA time zone (e.g. Asia/Shanghai, UTC)` });
  }
  if (source.kind === 'oracle' && !source.connectString && !(source.host && source.database)) {
    problems.push({ path: `${at}.connectString`, code: 'CONFIG_SOURCE_INCOMPLETE', message: 'give connectString, or host and database (the service name)' });
  }
  return problems;
}

function jobProblems(job: JobConfig, i: number, source: DatabaseSourceConfig | undefined): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const at = `jobs[${i}]`;
  problems.push(...scheduleProblem(job.schedule, `${at}.schedule`));
  const query = queryProblem(job.query, source?.kind);
  if (query) problems.push({ path: `${at}.query`, code: 'CONFIG_QUERY_INVALID', message: query });
  if (duplicates(job.key).size > 0) problems.push({ path: `${at}.key`, code: 'CONFIG_CURSOR_INVALID', message: 'a column is named twice' });
  if (job.mode === 'incremental') {
    problems.push(...scheduleProblem(job.snapshotSchedule, `${at}.snapshotSchedule`));
    if (duplicates(job.cursor).size > 0) problems.push({ path: `${at}.cursor`, code: 'CONFIG_CURSOR_INVALID', message: 'a column is named twice' });
    const missing = job.key.filter((k) => !job.cursor.includes(k));
    if (missing.length > 0) {
      problems.push({
        path: `${at}.cursor`,
        code: 'CONFIG_CURSOR_INVALID',
        message: `must end with the key column(s) ${missing.join(', ')}, which break ties between rows sharing a change time, e.g. [${[job.cursor[0], ...job.key].join(', ')}]`,
      });
    }
  }
  return problems;
}

/** Checks the schema cannot express: references between members, cron syntax, SQL, zones. `usable` says which entries the schema passed. */
function crossProblems(config: GatewayConfig, usable: (path: string) => boolean = () => true): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const sources = Array.isArray(config.sources) ? config.sources : [];
  const jobs = Array.isArray(config.jobs) ? config.jobs : [];
  // Every source that has a name is a target for jobs, even one with other problems: they are reported on their own.
  const sourceNames = sources.flatMap((s) => (isMapping(s) && typeof s.name === 'string' ? [s.name] : []));
  const dupSources = duplicates(sourceNames);
  sources.forEach((s, i) => {
    if (!isMapping(s)) return;
    if (dupSources.has(s.name) && usable(`sources[${i}].name`)) problems.push({ path: `sources[${i}].name`, code: 'CONFIG_NAME_DUPLICATE', message: `duplicate source name "${s.name}"` });
    problems.push(...guarded(() => sourceProblems(s, i), usable));
  });
  const dupJobs = duplicates(jobs.flatMap((j) => (isMapping(j) && typeof j.name === 'string' ? [j.name] : [])));
  jobs.forEach((job, i) => {
    if (!isMapping(job)) return;
    if (dupJobs.has(job.name) && usable(`jobs[${i}].name`)) problems.push({ path: `jobs[${i}].name`, code: 'CONFIG_NAME_DUPLICATE', message: `duplicate job name "${job.name}"` });
    if (!usable(`jobs[${i}].source`)) return;
    if (!sourceNames.includes(job.source)) {
      problems.push({ path: `jobs[${i}].source`, code: 'CONFIG_REFERENCE', message: `no source named "${job.source}" (sources: ${sourceNames.join(', ') || 'none'})`, candidates: sourceNames, given: job.source });
    }
    const source = sources.find((s) => isMapping(s) && s.name === job.source);
    if (source?.kind === 'folder') {
      problems.push({ path: `jobs[${i}].source`, code: 'CONFIG_FOLDER_JOB', message: `"${job.source}" is a drop folder: it needs no job (each file's name gives its category); remove this job` });
      return;
    }
    problems.push(...guarded(() => jobProblems(job, i, source && usable(`sources[${sources.indexOf(source)}]`) ? source : undefined), usable));
  });
  return problems;
}

/**
 * A check run over an entry the schema found problems in: what it finds on
 * members the schema already refused is left out, and a member so malformed
 * that the check cannot read it stops only that check.
 */
function guarded(check: () => ConfigProblem[], usable: (path: string) => boolean): ConfigProblem[] {
  try {
    return check().filter((p) => usable(p.path));
  } catch {
    return [];
  }
}

/** Whether `path` is `prefix` or a member inside it (`jobs[1]` holds `jobs[1].name`, not `jobs[10]`). */
function holds(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`) || prefix === '';
}

/** The stage a problem belongs to, for the code of an error that lists problems of several. */
const STAGE: Partial<Record<ConfigErrorCode, ConfigErrorCode>> = {
  CONFIG_MEMBER_UNKNOWN: 'CONFIG_INVALID',
  CONFIG_MEMBER_MISSING: 'CONFIG_INVALID',
  CONFIG_NAME_DUPLICATE: 'CONFIG_REFERENCE',
  CONFIG_SCHEDULE_INVALID: 'CONFIG_REFERENCE',
  CONFIG_TIME_ZONE_INVALID: 'CONFIG_REFERENCE',
  CONFIG_QUERY_INVALID: 'CONFIG_REFERENCE',
  CONFIG_CURSOR_INVALID: 'CONFIG_REFERENCE',
  CONFIG_FOLDER_JOB: 'CONFIG_REFERENCE',
  CONFIG_SOURCE_INCOMPLETE: 'CONFIG_REFERENCE',
  CONFIG_PROFILE_INCOMPLETE: 'CONFIG_REFERENCE',
  CONFIG_PROFILE_PATTERN: 'CONFIG_REFERENCE',
};

/** One error for every problem found; its code is the first problem's stage (CONFIG_INVALID, CONFIG_REFERENCE, …). */
export function configErrorOf(problems: ConfigProblem[], fallback: ConfigErrorCode = 'CONFIG_INVALID'): ConfigError {
  const first = problems[0]?.code ?? fallback;
  return new ConfigError(STAGE[first] ?? first, problems);
}

export interface DocumentCheck {
  /** The document with defaults applied, typed as far as `usable` says. */
  config: GatewayConfig | null;
  problems: ConfigProblem[];
  /** Whether the schema passed the member at this path and everything in it. */
  usable: (path: string) => boolean;
}

/**
 * Every problem of a parsed document at once: the schema's, and the checks
 * the schema cannot express on every entry the schema passed, so one run
 * shows a misspelled member beside a duplicate name and a bad cron.
 */
export function checkDocument(doc: unknown): DocumentCheck {
  if (!isMapping(doc)) {
    return { config: null, problems: [{ path: '', code: 'CONFIG_INVALID', message: 'expected a mapping at the top level' }], usable: () => false };
  }
  const defaulted = withDefaults(doc);
  const schema = schemaProblems(defaulted);
  // A member the schema refused, or one holding a refused member, is not read further; an unknown member beside others spoils only itself.
  const usable = (path: string) => !schema.some((p) => holds(p.path, path) || (holds(path, p.path) && !(p.code === 'CONFIG_MEMBER_UNKNOWN' && p.path !== path)));
  const config = defaulted as unknown as GatewayConfig;
  const problems = [...schema, ...crossProblems(config, usable)];
  problems.push(...guarded(() => secretUseProblems(config), usable).map((p) => ({ ...p, code: 'CONFIG_SECRET_MISUSED' as const })));
  return { config, problems, usable };
}

/**
 * Validates a parsed document once: defaults applied, schema checked,
 * references checked; returns a frozen configuration or throws ConfigError
 * listing every problem with its path.
 */
export function validateConfig(doc: unknown): Readonly<GatewayConfig> {
  const { config, problems } = checkDocument(doc);
  if (problems.length > 0 || !config) throw configErrorOf(problems);
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
export function checkSourcesAndJobs(lists: { sources?: unknown; jobs?: unknown; profiles?: unknown }): {
  sources: unknown;
  jobs: unknown;
  /** Undefined when the bundle has none (it is optional). */
  profiles: unknown;
  problems: ConfigProblem[];
} {
  const given = { sources: lists.sources, jobs: lists.jobs };
  const defaulted = withDefaults({ sources: given.sources ?? null, jobs: given.jobs ?? null, ...(lists.profiles !== undefined ? { profiles: lists.profiles } : {}) });
  const checked = {
    sources: given.sources === undefined ? undefined : defaulted.sources,
    jobs: given.jobs === undefined ? undefined : defaulted.jobs,
    profiles: lists.profiles === undefined ? undefined : defaulted.profiles,
  };
  const ownPath = /^(sources|jobs|profiles)(\[|\.|$)/;
  // Only the two lists are checked here: the local top level (gateway, platform, …) is not a bundle's.
  // `profiles` may be left out of a bundle; `sources` and `jobs` may not.
  const problems = schemaProblems(checked).filter((p) => ownPath.test(p.path) && !(p.path === 'profiles' && checked.profiles === undefined));
  if (problems.length > 0) return { ...checked, problems };
  return { ...checked, problems: crossProblems(checked as unknown as GatewayConfig) };
}
