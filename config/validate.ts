import { Value } from '@sinclair/typebox/value';
import cron from 'node-cron';
import { ConfigSchema, type GatewayConfig } from './schema.js';
import { ConfigError, type ConfigProblem } from './errors.js';

/** `/jobs/0/cursor` → `jobs[0].cursor` */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function schemaProblems(doc: unknown): ConfigProblem[] {
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const error of Value.Errors(ConfigSchema, doc)) {
    const path = pointerToPath(error.path);
    // A union reports one error per branch; the first per path is the useful one.
    if (seen.has(path)) continue;
    seen.add(path);
    const hint = (error.schema as { description?: string }).description;
    problems.push({ path, message: hint ? `${error.message} (${hint})` : error.message });
  }
  return problems;
}

function duplicates(names: string[]): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) (seen.has(n) ? dup : seen).add(n);
  return dup;
}

/** Checks the schema cannot express: references between members, cron syntax. */
function crossProblems(config: GatewayConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const sourceNames = config.sources.map((s) => s.name);
  const dupSources = duplicates(sourceNames);
  config.sources.forEach((s, i) => {
    if (dupSources.has(s.name)) problems.push({ path: `sources[${i}].name`, message: `duplicate source name "${s.name}"` });
  });
  const dupJobs = duplicates(config.jobs.map((j) => j.name));
  config.jobs.forEach((job, i) => {
    if (dupJobs.has(job.name)) problems.push({ path: `jobs[${i}].name`, message: `duplicate job name "${job.name}"` });
    if (!sourceNames.includes(job.source)) {
      problems.push({ path: `jobs[${i}].source`, message: `no source named "${job.source}" (sources: ${sourceNames.join(', ') || 'none'})` });
    }
    if (job.schedule && 'cron' in job.schedule && !cron.validate(job.schedule.cron)) {
      problems.push({ path: `jobs[${i}].schedule.cron`, message: `"${job.schedule.cron}" is not a valid cron expression` });
    }
    if (!/^\s*(select|with)\b/i.test(job.query)) {
      problems.push({ path: `jobs[${i}].query`, message: 'must be a single SELECT or WITH statement' });
    }
  });
  return problems;
}

/**
 * Validates a parsed document once: defaults applied, schema checked,
 * references checked; returns a frozen configuration or throws ConfigError
 * listing every problem with its path.
 */
export function validateConfig(doc: unknown): Readonly<GatewayConfig> {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError('CONFIG_INVALID', [{ path: '', message: 'expected a mapping at the top level' }]);
  }
  const withDefaults = Value.Default(ConfigSchema, structuredClone(doc));
  const problems = schemaProblems(withDefaults);
  if (problems.length > 0) throw new ConfigError('CONFIG_INVALID', problems);
  const config = withDefaults as GatewayConfig;
  const refs = crossProblems(config);
  if (refs.length > 0) throw new ConfigError('CONFIG_REFERENCE', refs);
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
