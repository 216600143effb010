/**
 * What a new bundle changes for the department, in plain English sentences
 * the credit center's staff can read aloud on the phone before sending it
 * (`credit-gateway bundle diff`). Sources and jobs are matched by name.
 * Only members are compared, never secret values: a bundle holds only the
 * names of local secrets.
 *
 * Both sides are expected with defaults applied (a verified bundle, a loaded
 * local configuration), so a member written out and the same default left
 * out are not reported as a change.
 */
import type { JobConfig, ScheduleConfig, SourceConfig } from '../../config/schema.js';
import { loadCatalog } from '../catalog/index.js';
import type { Bundle } from './contract.js';

export interface DiffOptions {
  /** The catalog name of a category code; by default from the catalog the gateway ships. */
  categoryName?: (code: string) => string | undefined;
}

type Lists = { sources: readonly SourceConfig[]; jobs: readonly JobConfig[]; version?: number };

/** The members whose change makes a job read from the beginning: they decide which rows the cursor stands for. */
export const JOB_IDENTITY = ['source', 'query', 'cursor', 'key', 'category', 'mode'] as const;

const KIND_NAMES: Record<string, string> = {
  sqlite: 'SQLite',
  mysql: 'MySQL',
  postgres: 'PostgreSQL',
  mssql: 'SQL Server',
  oracle: 'Oracle',
  folder: 'drop folder',
};

let shippedCatalog: ((code: string) => string | undefined) | undefined;
function catalogName(code: string): string | undefined {
  shippedCatalog ??= ((catalog) => (c: string) => catalog.byCode(c)?.name)(loadCatalog());
  return shippedCatalog(code);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const quote = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));
const list = (items: string[]): string => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

function byName<T extends { name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.name, item]));
}

function describeValue(member: string, value: unknown): string {
  if (value === undefined) return 'not set';
  if (/(Ref|_ref)$/.test(member)) return `local secret ${quote(value)}`;
  return quote(value);
}

function whereSourceIs(source: SourceConfig): string {
  switch (source.kind) {
    case 'folder':
      return `a drop folder at ${quote(source.path)}`;
    case 'sqlite':
      return `a SQLite file ${quote(source.file)}`;
    case 'oracle':
      return `an Oracle database ${quote(source.connectString ?? `${source.host}/${source.database}`)} (user ${quote(source.user)}, password from local secret ${quote(source.passwordRef)})`;
    default:
      return `a ${KIND_NAMES[source.kind]} database ${quote(source.database)} on ${source.host}${source.port ? `:${source.port}` : ''} (user ${quote(source.user)}, password from local secret ${quote(source.passwordRef)})`;
  }
}

function sourceChanges(old: SourceConfig, next: SourceConfig): string[] {
  const members = [...new Set([...Object.keys(old), ...Object.keys(next)])].filter((m) => m !== 'name');
  const changes = members
    .filter((m) => !same((old as Record<string, unknown>)[m], (next as Record<string, unknown>)[m]))
    .map((m) => {
      const before = (old as Record<string, unknown>)[m];
      const after = (next as Record<string, unknown>)[m];
      if (m === 'kind') return `its kind from ${KIND_NAMES[String(before)] ?? before} to ${KIND_NAMES[String(after)] ?? after}`;
      return `${m} from ${describeValue(m, before)} to ${describeValue(m, after)}`;
    });
  return changes.length > 0 ? [`Source "${next.name}" changes ${list(changes)}.`] : [];
}

function describeSchedule(schedule: ScheduleConfig | undefined): string {
  if (!schedule) return 'the default schedule';
  if ('cron' in schedule) return `cron ${quote(schedule.cron)}`;
  return `every ${schedule.intervalSecs} seconds`;
}

function describeRule(rule: unknown): string {
  if (typeof rule === 'string') return `column ${quote(rule)}`;
  const r = rule as { column?: string };
  const rest = Object.entries(r).filter(([k]) => k !== 'column');
  const base = r.column ? `column ${quote(r.column)}` : 'no column';
  return rest.length > 0 ? `${base} with ${rest.map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ')}` : base;
}

function fieldChanges(job: string, old: JobConfig['fields'], next: JobConfig['fields']): string[] {
  const sentences: string[] = [];
  for (const [code, rule] of Object.entries(next)) {
    if (!(code in old)) sentences.push(`Job "${job}" adds field ${code}, from ${describeRule(rule)}.`);
    else if (!same(old[code], rule)) sentences.push(`Job "${job}" changes field ${code} from ${describeRule(old[code])} to ${describeRule(rule)}.`);
  }
  for (const code of Object.keys(old)) if (!(code in next)) sentences.push(`Job "${job}" no longer sends field ${code}.`);
  return sentences;
}

function jobChanges(old: JobConfig, next: JobConfig, name: (code: string) => string): string[] {
  const sentences: string[] = [];
  const job = next.name;
  const o = old as Record<string, unknown>;
  const n = next as Record<string, unknown>;
  const changed = (m: string) => !same(o[m], n[m]);
  if (changed('source')) sentences.push(`Job "${job}" reads source "${next.source}" instead of "${old.source}".`);
  if (changed('query')) sentences.push(`Job "${job}" changes its query to: ${next.query.replace(/\s+/g, ' ').trim()}`);
  if (changed('category')) sentences.push(`Job "${job}" sends to category ${name(next.category)} instead of ${name(old.category)}.`);
  if (changed('mode')) sentences.push(`Job "${job}" changes from ${old.mode} to ${next.mode} reading.`);
  if (changed('cursor')) sentences.push(`Job "${job}" changes its cursor columns from ${quote(o.cursor ?? [])} to ${quote(n.cursor ?? [])}.`);
  if (changed('key')) sentences.push(`Job "${job}" changes its key columns from ${quote(old.key)} to ${quote(next.key)}.`);
  if (changed('schedule')) sentences.push(`Job "${job}" changes its schedule from ${describeSchedule(old.schedule)} to ${describeSchedule(next.schedule)}.`);
  if (changed('enabled')) sentences.push(next.enabled ? `Job "${job}" is switched on again.` : `Job "${job}" is switched off: it stops reading until a later bundle switches it on.`);
  sentences.push(...fieldChanges(job, old.fields, next.fields));
  const handled = new Set<string>(['name', 'source', 'query', 'category', 'mode', 'cursor', 'key', 'schedule', 'enabled', 'fields']);
  for (const m of [...new Set([...Object.keys(o), ...Object.keys(n)])]) {
    if (handled.has(m) || !changed(m)) continue;
    const what = m === 'snapshotSchedule' ? (s: unknown) => (s === undefined ? 'none' : describeSchedule(s as ScheduleConfig)) : (v: unknown) => describeValue(m, v);
    sentences.push(`Job "${job}" changes ${m} from ${what(o[m])} to ${what(n[m])}.`);
  }
  const identity = JOB_IDENTITY.filter((m) => changed(m));
  if (identity.length > 0) {
    sentences.push(`Job "${job}": its cursor will restart from the beginning, because its ${list(identity.map(String))} changed.`);
  }
  return sentences;
}

function describeJob(job: JobConfig, name: (code: string) => string): string {
  const enabled = job.enabled === false ? ' It is switched off for now.' : '';
  return `Job "${job.name}" is added: it reads source "${job.source}" into category ${name(job.category)}, ${job.mode ?? 'incremental'}, on ${describeSchedule(job.schedule)}, sending ${Object.keys(job.fields).length} fields; it starts reading from the beginning.${enabled}`;
}

export function describeBundleChange(old: Bundle | Lists | null, next: Bundle, options: DiffOptions = {}): string[] {
  const lookup = options.categoryName ?? catalogName;
  const name = (code: string) => {
    const found = lookup(code);
    return found ? `${code} (${found})` : `${code} (not in the catalog)`;
  };
  const sentences: string[] = [];
  if (!old) {
    sentences.push(`This is the first configuration from the credit center for gateway ${next.gatewayId} (version ${next.version}).`);
  } else if (old.version !== undefined) {
    sentences.push(`Gateway ${next.gatewayId} goes from version ${old.version} to version ${next.version}.`);
  } else {
    sentences.push(`Gateway ${next.gatewayId} goes from its local configuration to version ${next.version}.`);
  }
  const oldSources = byName(old?.sources ?? []);
  const newSources = byName(next.sources);
  const oldJobs = byName(old?.jobs ?? []);
  const newJobs = byName(next.jobs);
  const before = sentences.length;

  for (const [n, source] of oldSources) if (!newSources.has(n)) sentences.push(`Source "${n}" is removed (${whereSourceIs(source)}).`);
  for (const [n, source] of newSources) if (!oldSources.has(n)) sentences.push(`Source "${n}" is added: ${whereSourceIs(source)}.`);
  for (const [n, source] of newSources) {
    const was = oldSources.get(n);
    if (was) sentences.push(...sourceChanges(was, source));
  }
  for (const [n, job] of oldJobs) {
    if (!newJobs.has(n)) sentences.push(`Job "${n}" is removed: it stops reading category ${name(job.category)}; records it already queued are still delivered.`);
  }
  for (const [n, job] of newJobs) if (!oldJobs.has(n)) sentences.push(describeJob(job, name));
  for (const [n, job] of newJobs) {
    const was = oldJobs.get(n);
    if (was) sentences.push(...jobChanges(was, job, name));
  }
  if (sentences.length === before) sentences.push('Nothing changes for the department: the sources and jobs are the same.');
  return sentences;
}
