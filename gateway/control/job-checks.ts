/**
 * The checks a configuration's jobs pass before anything runs: the category
 * is in the catalog and every field code is in its data standard. The same
 * checks refuse a local file at start and a bundle in its trial.
 */
import type { Logger } from 'pino';
import type { JobConfig } from '../../config/schema.js';
import { ConfigError, type ConfigProblem } from '../../config/errors.js';
import type { Catalog } from '../catalog/index.js';
import type { Standard, Standards } from '../standards/index.js';
import { normaliseFieldCodes } from '../validation/field-codes.js';

export function checkCategories(jobs: readonly JobConfig[], catalog: Catalog): void {
  const problems = jobs.flatMap((job, i) =>
    catalog.byCode(job.category) ? [] : [{ path: `jobs[${i}].category`, message: `"${job.category}" is not in the information catalog (see credit-gateway catalog)` }],
  );
  if (problems.length > 0) throw new ConfigError('CONFIG_REFERENCE', problems);
}

/**
 * Each job's standard, by its category. A field code the standard does not
 * know (or names twice), or a code table it does not have, refuses the
 * configuration with the member's path; retired fields are logged.
 */
export function checkFieldCodes(jobs: readonly JobConfig[], catalog: Catalog, standards: Standards, logger: Logger): Readonly<Standard>[] {
  const problems: ConfigProblem[] = [];
  const result = jobs.map((job, i) => {
    const standard = standards.standardFor(catalog.byCode(job.category)!);
    const codes = normaliseFieldCodes(job.fields, standard);
    for (const e of codes.errors) problems.push({ path: `jobs[${i}].fields.${e.field}`, message: `${e.message} (${e.code})` });
    for (const w of codes.warnings) logger.warn({ job: job.name, field: w.field, code: w.code }, w.message);
    for (const [field, rule] of Object.entries(job.fields)) {
      if (typeof rule !== 'string' && typeof rule.codes === 'string' && !standards.codeTables[rule.codes]) {
        problems.push({
          path: `jobs[${i}].fields.${field}.codes`,
          message: `no code table "${rule.codes}" in the data standards (e.g. ${Object.keys(standard.codeTables).join(', ') || Object.keys(standards.codeTables).slice(0, 5).join(', ')}); or give the codes inline`,
        });
      }
    }
    return standard;
  });
  if (problems.length > 0) throw new ConfigError('CONFIG_REFERENCE', problems);
  return result;
}

/** Both checks, in the order start-up has always run them; the standards of the jobs, in order. */
export function checkJobs(jobs: readonly JobConfig[], catalog: Catalog, standards: Standards, logger: Logger): Readonly<Standard>[] {
  checkCategories(jobs, catalog);
  return checkFieldCodes(jobs, catalog, standards, logger);
}
