/**
 * The checks a configuration's jobs pass before anything runs: the category
 * is in the catalog, every field code is in its data standard, every code
 * table named exists. The same checks refuse a local file at start (and in
 * `config check`) and a bundle in its trial; each finds every problem, with
 * the member's path and the nearest real names.
 */
import type { Logger } from 'pino';
import type { JobConfig } from '../../config/schema.js';
import { ConfigError, type ConfigProblem } from '../../config/errors.js';
import type { Catalog, CatalogCategory } from '../catalog/index.js';
import { closeIdentifiers, editDistance } from '../catalog/close-matches.js';
import type { Standard, Standards } from '../standards/index.js';
import { normaliseFieldCodes } from '../validation/field-codes.js';
import type { Finding } from '../model.js';

/** Categories whose code is nearest the one given, the same provider's first: `P39-020` → P39-002 …. */
export function closeCategories(code: string, catalog: Catalog, limit = 3): CatalogCategory[] {
  const provider = code.slice(0, 3).toUpperCase();
  return catalog.categories
    .map((c) => ({ c, score: editDistance(code.toUpperCase(), c.code) + (c.provider === provider ? 0 : 1) }))
    .filter((s) => s.score <= 2)
    .sort((a, b) => a.score - b.score || a.c.code.localeCompare(b.c.code))
    .slice(0, limit)
    .map((s) => s.c);
}

export interface JobCheck {
  problems: ConfigProblem[];
  /** Retired field codes: accepted, not sent. */
  warnings: { job: string; finding: Finding }[];
  /** Each job's standard, in order; undefined where the category is not in the catalog or was not checked. */
  standards: (Readonly<Standard> | undefined)[];
}

/**
 * Every problem of the jobs' categories, field codes and code tables. Only
 * the jobs (and members) `usable` passes are read: a job whose `fields` the
 * schema refused has nothing here to check.
 */
export function jobReferenceProblems(jobs: readonly JobConfig[], catalog: Catalog, standards: Standards, usable: (path: string) => boolean = () => true): JobCheck {
  const problems: ConfigProblem[] = [];
  const warnings: JobCheck['warnings'] = [];
  const found = jobs.map((job, i) => {
    const at = `jobs[${i}]`;
    if (!usable(`${at}.category`)) return undefined;
    const category = catalog.byCode(job.category);
    if (!category) {
      const near = closeCategories(job.category, catalog);
      problems.push({
        path: `${at}.category`,
        code: 'CONFIG_CATEGORY_UNKNOWN',
        message: `"${job.category}" is not in the information catalog (see credit-gateway catalog)`,
        suggestions: near.map((c) => `${c.code} ${c.providerName} ${c.name}`),
      });
      return undefined;
    }
    const standard = standards.standardFor(category);
    if (!usable(`${at}.fields`)) return standard;
    const fieldNames = standard.fields.flatMap((f) => [f.code, ...(f.aliases ?? [])]);
    const codes = normaliseFieldCodes(job.fields, standard);
    for (const e of codes.errors) {
      const unknown = e.code === 'FIELD_UNKNOWN';
      const near = unknown ? closeIdentifiers(e.field, fieldNames) : [];
      problems.push({
        path: `${at}.fields.${e.field}`,
        code: unknown ? 'CONFIG_FIELD_UNKNOWN' : 'CONFIG_FIELD_DUPLICATE',
        message: unknown ? `"${e.field}" is not a field of ${category.name}: ${e.message}` : `${e.message} (${e.code})`,
        suggestions: near.map((code) => {
          const field = standard.fields.find((f) => f.code === code || f.aliases?.includes(code));
          return field ? `${code} (${field.name})` : code;
        }),
      });
    }
    for (const w of codes.warnings) warnings.push({ job: job.name, finding: w });
    for (const [field, rule] of Object.entries(job.fields)) {
      if (typeof rule !== 'string' && typeof rule.codes === 'string' && !standards.codeTables[rule.codes]) {
        const own = Object.keys(standard.codeTables);
        problems.push({
          path: `${at}.fields.${field}.codes`,
          code: 'CONFIG_CODE_TABLE_UNKNOWN',
          message: `no code table "${rule.codes}" in the data standards (e.g. ${own.join(', ') || Object.keys(standards.codeTables).slice(0, 5).join(', ')}); or give the codes inline`,
          suggestions: closeIdentifiers(rule.codes, [...own, ...Object.keys(standards.codeTables)]),
        });
      }
    }
    return standard;
  });
  return { problems, warnings, standards: found };
}

/**
 * Both checks at once, throwing one ConfigError (CONFIG_REFERENCE) with
 * every problem; retired fields are logged. The standards of the jobs, in order.
 */
export function checkJobs(jobs: readonly JobConfig[], catalog: Catalog, standards: Standards, logger: Logger): Readonly<Standard>[] {
  const checked = jobReferenceProblems(jobs, catalog, standards);
  if (checked.problems.length > 0) throw new ConfigError('CONFIG_REFERENCE', checked.problems);
  for (const w of checked.warnings) logger.warn({ job: w.job, field: w.finding.field, code: w.finding.code }, w.finding.message);
  return checked.standards as Readonly<Standard>[];
}
