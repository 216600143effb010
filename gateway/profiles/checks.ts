/**
 * Everything that keeps a profile from reading its files, found before any
 * file arrives: the same check for `config check`, start, run and a
 * bundle's trial (gateway/preflight, control/trial.ts), every problem at
 * once, each at its member's path (`profiles[2].fields.ZZ_FZRQ`).
 */
import { ConfigError, type ConfigProblem } from '../../config/errors.js';
import type { ProfileConfig } from '../../config/schema.js';
import type { Catalog } from '../catalog/index.js';
import { closeIdentifiers } from '../catalog/close-matches.js';
import { closeCategories } from '../control/job-checks.js';
import type { Standard, Standards } from '../standards/index.js';
import { normaliseFieldCodes } from '../validation/field-codes.js';
import { compileProfile, profileKey, type CompiledProfile } from './compile.js';
import { globProblem } from './glob.js';

export interface ProfileCheckContext {
  catalog: Catalog;
  standards: Standards;
  /** Names of the folder sources profiles may name; null when not known here (a bundle's own folders are checked with it). */
  folders: readonly string[] | null;
  /** Names taken by the other set (local beside a bundle's): a profile of either set may not reuse one. */
  taken?: ReadonlySet<string>;
  /** The list's path, `profiles` by default. */
  path?: string;
  usable?: (path: string) => boolean;
}

export function profileProblems(profiles: readonly ProfileConfig[], ctx: ProfileCheckContext): ConfigProblem[] {
  const list = ctx.path ?? 'profiles';
  const usable = ctx.usable ?? (() => true);
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  profiles.forEach((profile, i) => {
    const at = `${list}[${i}]`;
    if (!usable(at) || typeof profile !== 'object' || profile === null) return;
    if (seen.has(profile.name) || ctx.taken?.has(profile.name)) {
      problems.push({ path: `${at}.name`, code: 'CONFIG_NAME_DUPLICATE', message: `another profile is named "${profile.name}"${ctx.taken?.has(profile.name) ? ' (in the local configuration and the bundle both)' : ''}` });
    }
    seen.add(profile.name);
    problems.push(...shapeProblems(profile, at, ctx.folders));
    problems.push(...standardProblems(profile, at, ctx));
  });
  return problems;
}

function shapeProblems(profile: ProfileConfig, at: string, folders: readonly string[] | null): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!profile.match.name && !profile.match.headers) {
    problems.push({ path: `${at}.match`, code: 'CONFIG_PROFILE_INCOMPLETE', message: 'give match.name (file name patterns) or match.headers (headers the export always has), or both' });
  }
  const origin = profile.origin ?? 'system';
  if (origin !== 'own' && profile.system === undefined) {
    problems.push({ path: `${at}.system`, code: 'CONFIG_PROFILE_INCOMPLETE', message: origin === 'returned' ? 'name the upper department or system the data came back from' : 'name the system the files are exported from, e.g. 全国教师资格信息系统' });
  }
  const patterns = [
    ...(profile.match.name ?? []).map((p, j) => [`${at}.match.name[${j}]`, p] as const),
    ...(profile.sheets?.include ?? []).map((p, j) => [`${at}.sheets.include[${j}]`, p] as const),
    ...(profile.sheets?.exclude ?? []).map((p, j) => [`${at}.sheets.exclude[${j}]`, p] as const),
  ];
  for (const [path, pattern] of patterns) {
    const why = globProblem(pattern);
    if (why) problems.push({ path, code: 'CONFIG_PROFILE_PATTERN', message: `"${pattern}" ${why}` });
  }
  if (folders !== null) problems.push(...sourceProblems(profile, at, folders));
  return problems;
}

function sourceProblems(profile: ProfileConfig, at: string, folders: readonly string[]): ConfigProblem[] {
  return (profile.sources ?? []).flatMap((name, j) =>
    folders.includes(name)
      ? []
      : [{ path: `${at}.sources[${j}]`, code: 'CONFIG_REFERENCE', message: `no folder source named "${name}" (folder sources: ${folders.join(', ') || 'none'})`, candidates: [...folders], given: name }],
  );
}

/**
 * The folder sources profiles name that the configuration in effect lacks:
 * the one check of `sources` for `config check` (the local file's folders,
 * or a warning where a bundle may bring the folder), a bundle's trial (the
 * bundle's folders, which replace the local file's) and start (the folders
 * of the configuration that runs).
 */
export function profileSourceProblems(profiles: readonly ProfileConfig[], folders: readonly string[], list = 'profiles'): ConfigProblem[] {
  return profiles.flatMap((profile, i) => (typeof profile === 'object' && profile !== null ? sourceProblems(profile, `${list}[${i}]`, folders) : []));
}

function standardProblems(profile: ProfileConfig, at: string, ctx: ProfileCheckContext): ConfigProblem[] {
  const category = ctx.catalog.byCode(profile.category);
  if (!category) {
    return [{
      path: `${at}.category`,
      code: 'CONFIG_CATEGORY_UNKNOWN',
      message: `"${profile.category}" is not in the information catalog (see credit-gateway catalog)`,
      suggestions: closeCategories(profile.category, ctx.catalog).map((c) => `${c.code} ${c.providerName} ${c.name}`),
    }];
  }
  const standard: Readonly<Standard> = ctx.standards.standardFor(category);
  const problems: ConfigProblem[] = [];
  const codes = normaliseFieldCodes(profile.fields, standard);
  const fieldNames = standard.fields.flatMap((f) => [f.code, ...(f.aliases ?? [])]);
  for (const e of codes.errors) {
    const unknown = e.code === 'FIELD_UNKNOWN';
    problems.push({
      path: `${at}.fields.${e.field}`,
      code: unknown ? 'CONFIG_FIELD_UNKNOWN' : 'CONFIG_FIELD_DUPLICATE',
      message: unknown ? `"${e.field}" is not a field of ${category.name}: ${e.message}` : `${e.message} (${e.code})`,
      suggestions: unknown ? closeIdentifiers(e.field, fieldNames).map((c) => `${c} (${standard.fields.find((f) => f.code === c || f.aliases?.includes(c))?.name ?? ''})`) : [],
    });
  }
  for (const [field, rule] of Object.entries(profile.fields)) {
    if (typeof rule !== 'string' && typeof rule.codes === 'string' && !ctx.standards.codeTables[rule.codes]) {
      problems.push({ path: `${at}.fields.${field}.codes`, code: 'CONFIG_CODE_TABLE_UNKNOWN', message: `no code table "${rule.codes}" in the data standards; or give the codes inline`, suggestions: closeIdentifiers(rule.codes, Object.keys(ctx.standards.codeTables)) });
    }
  }
  const missing = standard.fields.filter((f) => f.required && !Object.hasOwn(codes.values, f.code));
  if (missing.length > 0) {
    problems.push({
      path: `${at}.fields`,
      code: 'CONFIG_PROFILE_INCOMPLETE',
      message: `required fields of ${category.name} are not mapped: ${missing.map((f) => `${f.code} (${f.name})`).join(', ')}; map each to an export header, or give a const`,
    });
  }
  if (codes.errors.length === 0 && !profileKey(profile, standard)) {
    const unmapped = standard.key.filter((k) => !Object.hasOwn(codes.values, k));
    problems.push({ path: `${at}.key`, code: 'CONFIG_PROFILE_INCOMPLETE', message: `the key cannot be told: map the standard's key fields (${unmapped.join(', ') || standard.key.join(', ')}) to one column each, or give key: [export headers]` });
  }
  return problems;
}

/** The profiles compiled, or a ConfigError with every problem (CONFIG_REFERENCE). */
export function compileProfiles(profiles: readonly ProfileConfig[], ctx: ProfileCheckContext): CompiledProfile[] {
  const problems = profileProblems(profiles, ctx);
  if (problems.length > 0) throw new ConfigError('CONFIG_REFERENCE', problems);
  return profiles.map((p) => compileProfile(p, ctx.standards.standardFor(ctx.catalog.byCode(p.category)!), ctx.standards.codeTables));
}
