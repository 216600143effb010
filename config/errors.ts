/**
 * The configuration layer's error catalogue. Every error names the path of
 * the offending member (e.g. `jobs[2].cursor`) so it can be fixed without
 * reading code.
 */
export const CONFIG_ERRORS = {
  CONFIG_FILE_UNREADABLE: 'the configuration file cannot be read',
  CONFIG_SYNTAX: 'the configuration file is not valid YAML/JSON',
  CONFIG_INVALID: 'the configuration does not match the schema',
  CONFIG_REFERENCE: 'the configuration refers to something that does not exist',
  CONFIG_SECRET_MISSING: 'a referenced secret is not defined locally',
  CONFIG_SECRETS_FILE_UNSAFE: 'the secrets file is readable by other users',
  CONFIG_SECRETS_FILE_INVALID: 'the secrets file is not a YAML mapping of names to strings',
  CONFIG_SECRET_MISUSED: 'a local secret is used, or allowed, where it may never go (config/secret-bindings.ts)',
  CONFIG_SECRET_NOT_ALLOWED: 'a source would send a local secret to a host the local configuration does not allow it for (secrets.allow)',
  CONFIG_PATH_MISUSED: 'control.allowPaths names a folder no source may use (config/local-paths.ts)',
  CONFIG_PATH_NOT_ALLOWED: 'a source names a local file or folder the local configuration does not allow (control.allowPaths)',
} as const;

export type ConfigErrorCode = keyof typeof CONFIG_ERRORS;

export interface ConfigProblem {
  /** Dotted path of the member, e.g. `jobs[0].schedule.cron`; '' for the whole document. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  readonly problems: ConfigProblem[];
  constructor(code: ConfigErrorCode, problems: ConfigProblem[], options?: { cause?: unknown }) {
    const lines = problems.map((p) => (p.path ? `  ${p.path}: ${p.message}` : `  ${p.message}`));
    super([`${code}: ${CONFIG_ERRORS[code]}`, ...lines].join('\n'), options);
    this.name = 'ConfigError';
    this.code = code;
    this.problems = problems;
  }
}
