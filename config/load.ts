import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import { ConfigError } from './errors.js';
import type { GatewayConfig } from './schema.js';
import { Secrets } from './secrets.js';
import { checkDocument, configErrorOf } from './validate.js';
import { pathUseProblems } from './local-paths.js';
import type { ConfigProblem } from './errors.js';

export interface LoadedConfig {
  config: Readonly<GatewayConfig>;
  secrets: Secrets;
  /** Folder relative paths in the configuration are resolved against. */
  baseDir: string;
  /** The file it was read from, so refusals can point at lines; absent for a configuration built in code (the demo). */
  file?: string;
}

/** Parses YAML (JSON is YAML too) and reports syntax errors with their line. */
export function parseConfigText(text: string, file = '<config>'): unknown {
  try {
    return parse(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` (line ${err.linePos[0].line})` : '';
    throw new ConfigError('CONFIG_SYNTAX', [{ path: '', message: `${file}${where}: ${(err as Error).message}` }], { cause: err });
  }
}

/** Resolves a path from the configuration against the configuration's folder. */
export function resolvePath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** Reads, validates and freezes a configuration file and loads its secrets. */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const { config, baseDir } = loadConfigOnly(file);
  const secrets = Secrets.load({ file: secretsFileOf(config, baseDir), env });
  return { config, secrets, baseDir, file };
}

/** The configuration as loadConfigFile takes it, secrets not read: `doctor` checks them on their own. */
export function loadConfigOnly(file: string): Omit<LoadedConfig, 'secrets'> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('CONFIG_FILE_UNREADABLE', [{ path: '', message: `${file}: ${(err as Error).message}` }], { cause: err });
  }
  const baseDir = dirname(resolve(file));
  const { config, problems } = checkLoaded(parseConfigText(text, file), baseDir);
  if (problems.length > 0 || !config) throw configErrorOf(problems);
  return { config: deepFreeze(config), baseDir };
}

/**
 * Every problem of a parsed configuration that the configuration layer can
 * find, its folder known: the document's (config/validate.ts) and where the
 * allowed folders lead, which only the folder tells.
 */
export function checkLoaded(doc: unknown, baseDir: string): ReturnType<typeof checkDocument> {
  const checked = checkDocument(doc);
  const { config, usable } = checked;
  if (!config || !usable('control.allowPaths') || !usable('gateway.dataDir')) return checked;
  let misplaced: ConfigProblem[] = [];
  try {
    misplaced = pathUseProblems(config, baseDir).map((p) => ({ ...p, code: 'CONFIG_PATH_MISUSED' as const }));
  } catch {
    // Members it reads are malformed: the schema's problems say which.
  }
  return { ...checked, problems: [...checked.problems, ...misplaced] };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The secrets file the configuration names, resolved; undefined when secrets come from the environment only. */
export function secretsFileOf(config: Readonly<GatewayConfig>, baseDir: string): string | undefined {
  return config.secrets.file ? resolvePath(baseDir, config.secrets.file) : undefined;
}
