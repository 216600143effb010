import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import { ConfigError } from './errors.js';
import type { GatewayConfig } from './schema.js';
import { Secrets } from './secrets.js';
import { validateConfig } from './validate.js';
import { pathUseProblems } from './local-paths.js';

export interface LoadedConfig {
  config: Readonly<GatewayConfig>;
  secrets: Secrets;
  /** Folder relative paths in the configuration are resolved against. */
  baseDir: string;
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
  return { config, secrets, baseDir };
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
  const config = validateConfig(parseConfigText(text, file));
  // Only here is the configuration's folder known: where the allowed folders lead is checked against it.
  const misplaced = pathUseProblems(config, baseDir);
  if (misplaced.length > 0) throw new ConfigError('CONFIG_PATH_MISUSED', misplaced);
  return { config, baseDir };
}

/** The secrets file the configuration names, resolved; undefined when secrets come from the environment only. */
export function secretsFileOf(config: Readonly<GatewayConfig>, baseDir: string): string | undefined {
  return config.secrets.file ? resolvePath(baseDir, config.secrets.file) : undefined;
}
