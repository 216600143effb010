/**
 * One check of a configuration for everything start refuses, all at once:
 * `config check` runs it on a file, start and run run it before anything
 * opens (Gateway.start calls requirePreflight), so what the check passes
 * starts and what it refuses does not.
 *
 * Layers: the configuration layer finds the file's own problems (syntax,
 * schema, references, secret and path misuse: config/load.ts); this adds
 * what needs the gateway's layers (catalog and standards, secrets, status
 * security, platform, keys, the data folder), each in a file of its own.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkLoaded, loadConfigFile, type LoadedConfig } from '../../config/load.js';
import { parseLocated, type Location } from '../../config/locate.js';
import type { GatewayConfig } from '../../config/schema.js';
import { Secrets } from '../../config/secrets.js';
import { loadCatalog, type Catalog } from '../catalog/index.js';
import { loadStandards, type Standards } from '../standards/index.js';
import { jobReferenceProblems } from '../control/job-checks.js';
import { profileProblems, profileSourceProblems } from '../profiles/checks.js';
import { dataFolderProblems } from './data-folder-checks.js';
import { departmentWarnings } from './department-checks.js';
import { missingSecretProblems, readSecretsForCheck } from './secret-checks.js';
import { platformProblems, publicKeyProblems, statusProblems, storeKeyProblems } from './security-checks.js';
import { isLoopback } from '../status/security/options.js';
import { ConfigCheckError, located, type CheckProblem, type CheckReport, type FoundProblem } from './problem.js';

export interface PreflightOptions {
  /** Where `CREDIT_GATEWAY_SECRET_*` come from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Check the status page's setup (false for `run`, which serves none). Default true. */
  serveStatus?: boolean;
  catalog?: Catalog;
  standards?: Standards;
}

export interface Findings {
  problems: FoundProblem[];
  warnings: FoundProblem[];
}

/** What needs the gateway's layers, on the members `usable` passes: what start refuses, and what it lets through but warns of. */
export function gatewayFindings(
  config: Readonly<GatewayConfig>,
  baseDir: string,
  secrets: Secrets,
  usable: (path: string) => boolean,
  options: PreflightOptions = {},
): Findings {
  const catalog = options.catalog ?? loadCatalog();
  const standards = options.standards ?? loadStandards();
  const warnings: FoundProblem[] = [];
  const jobs = (): FoundProblem[] => {
    if (!Array.isArray(config.jobs)) return [];
    const checked = jobReferenceProblems(config.jobs, catalog, standards, usable);
    for (const w of checked.warnings) {
      const i = config.jobs.findIndex((j) => j.name === w.job);
      warnings.push({ path: `jobs[${i}].fields.${w.finding.field}`, code: 'CONFIG_FIELD_RETIRED', message: w.finding.message });
    }
    return checked.problems as FoundProblem[];
  };
  const serveStatus = options.serveStatus !== false;
  // Only with the center's key can a bundle apply, and bring sources this file lacks.
  const bundlesApply = usable('control') && typeof config.control === 'object' && config.control !== null && config.control.publicKeyFile !== undefined;
  const profiles = (): FoundProblem[] => {
    if (!Array.isArray(config.profiles)) return [];
    const found = profileProblems(config.profiles, { catalog, standards, folders: null, usable }) as FoundProblem[];
    if (!usable('sources') || !Array.isArray(config.sources)) return found;
    const folders = config.sources.filter((s) => s.kind === 'folder').map((s) => s.name);
    const unknown = profileSourceProblems(config.profiles, folders).filter((p) => usable(p.path)) as FoundProblem[];
    // A signed bundle replaces sources: a folder this file lacks may be one the bundle brings, checked at its trial.
    if (!bundlesApply) return [...found, ...unknown];
    warnings.push(...unknown.map((p) => ({ ...p, code: 'CONFIG_PROFILE_SOURCE_UNKNOWN', message: `${p.message}; a profile reads it only once a bundle brings that folder` })));
    return found;
  };
  const checks: (() => FoundProblem[])[] = [
    jobs,
    profiles,
    () => missingSecretProblems(config, baseDir, secrets, usable),
    () => (serveStatus ? statusProblems(config, baseDir, secrets, usable) : []),
    () => platformProblems(config, usable),
    () => publicKeyProblems(config, baseDir, usable),
    () => storeKeyProblems(config, secrets, usable),
    () => dataFolderProblems(config, baseDir, usable),
  ];
  // A configuration the schema refused in places may hold members a check cannot read: that check is skipped, its members' problems are already reported.
  const whole = usable('');
  const problems = checks.flatMap((check) => {
    if (whole) return check();
    try {
      return check().filter((p) => usable(p.path));
    } catch {
      return [];
    }
  });
  if (config.gateway && typeof config.gateway === 'object') warnings.push(...departmentWarnings(config, catalog, usable));
  const upload = serveStatus && usable('status') && usable('sources') && Array.isArray(config.sources) ? config.status.uploadSource : undefined;
  const folders = Array.isArray(config.sources) ? config.sources.filter((s) => s.kind === 'folder').map((s) => s.name) : [];
  // A warning, not a refusal: a bundle may bring the folder the local file names.
  if (upload !== undefined && !folders.includes(upload)) {
    warnings.push({ path: 'status.uploadSource', code: 'CONFIG_UPLOAD_SOURCE_UNKNOWN', message: `no drop folder source named "${upload}" in this file (folder sources: ${folders.join(', ') || 'none'})`, given: upload, candidates: folders });
  }
  if (serveStatus && usable('status') && config.status.allowPlainHttp && !config.status.tls && !isLoopback(config.status.host)) {
    warnings.push({ path: 'status.allowPlainHttp', code: 'CONFIG_PLAIN_HTTP_EXPOSED', message: `the status page on ${config.status.host} is served over plain HTTP` });
  }
  return { problems, warnings };
}

/** What start refuses, of what needs the gateway's layers. */
export function gatewayProblems(
  config: Readonly<GatewayConfig>,
  baseDir: string,
  secrets: Secrets,
  usable: (path: string) => boolean,
  options: PreflightOptions = {},
): FoundProblem[] {
  return gatewayFindings(config, baseDir, secrets, usable, options).problems;
}

function place(found: FoundProblem[], file: string, locate: (path: string) => Location): CheckProblem[] {
  return found
    .map((p) => located(p, file, locate(p.path)))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * A secrets file that does not exist is one problem, not one more for every
 * secret it should hold: those secrets are named in the file's problem.
 */
function withoutFileConsequences(fileProblems: FoundProblem[], others: FoundProblem[]): FoundProblem[] {
  const missing = fileProblems.find((p) => p.code === 'CONFIG_SECRETS_FILE_MISSING');
  if (!missing) return [...fileProblems, ...others];
  const owed = others.filter((p) => p.code === 'CONFIG_SECRET_MISSING');
  const names = [...new Set(owed.map((p) => p.given!))];
  const said = names.length > 0 ? { ...missing, message: `${missing.message}; it is to hold ${names.join(', ')} (or set ${names.map((n) => Secrets.envName(n)).join(', ')})` } : missing;
  return [...fileProblems.map((p) => (p === missing ? said : p)), ...others.filter((p) => !owed.includes(p))];
}

/** Every problem of a configuration file that start would refuse, each at its line and column. */
export async function checkConfigFile(file: string, options: PreflightOptions = {}): Promise<CheckReport> {
  const env = options.env ?? process.env;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const problem = located({ path: '', code: 'CONFIG_FILE_UNREADABLE', message: `${file}: ${(err as Error).message}` }, file, { line: 0, column: 0 });
    return { file, problems: [problem], warnings: [], sources: 0, jobs: 0 };
  }
  const doc = parseLocated(text);
  if (doc.doc.errors.length > 0) {
    const problems = doc.doc.errors.map((e) => {
      const start = doc.lines.linePos(e.pos[0]);
      return located({ path: '', code: 'CONFIG_SYNTAX', message: e.message.split('\n')[0]! }, file, { line: start.line, column: start.col });
    });
    return { file, problems, warnings: [], sources: 0, jobs: 0 };
  }
  const baseDir = dirname(resolve(file));
  const checked = checkLoaded(doc.doc.toJS(), baseDir);
  const found: FoundProblem[] = checked.problems.map((p) => ({ ...p, code: p.code ?? 'CONFIG_INVALID' }));
  const config = checked.config;
  const warnings: FoundProblem[] = [];
  if (config) {
    const read = checked.usable('secrets.file') ? readSecretsForCheck(config, baseDir, env) : { secrets: new Secrets({}, env), problems: [] };
    const findings = gatewayFindings(config, baseDir, read.secrets, checked.usable, options);
    found.push(...withoutFileConsequences(read.problems, findings.problems));
    warnings.push(...findings.warnings);
  }
  const count = (list: unknown) => (Array.isArray(list) ? list.length : 0);
  return { file, problems: place(found, file, doc.locate), warnings: place(warnings, file, doc.locate), sources: count(config?.sources), jobs: count(config?.jobs) };
}

/**
 * Gateway.start's check of a loaded configuration: throws ConfigCheckError
 * with every problem (at its line when the file is known) before anything
 * opens.
 */
export function requirePreflight(loaded: LoadedConfig, options: PreflightOptions = {}): void {
  const found = gatewayProblems(loaded.config, loaded.baseDir, loaded.secrets, () => true, options);
  if (found.length === 0) return;
  let locate = (_path: string): Location => ({ line: 0, column: 0 });
  if (loaded.file) {
    try {
      locate = parseLocated(readFileSync(loaded.file, 'utf8')).locate;
    } catch {
      // Changed or gone since it was loaded: the problems are still named by their paths.
    }
  }
  throw new ConfigCheckError(place(found, loaded.file ?? '<configuration>', locate));
}

/** The configuration start and run take: checked whole first, so a refusal lists every problem, then loaded. */
export async function loadCheckedConfig(file: string, options: PreflightOptions = {}): Promise<LoadedConfig> {
  const report = await checkConfigFile(file, options);
  if (report.problems.length > 0) throw new ConfigCheckError(report.problems, report.warnings);
  return loadConfigFile(file, options.env ?? process.env);
}
