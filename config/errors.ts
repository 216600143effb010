/**
 * The configuration layer's error catalogue: each code with what went wrong
 * and what the operator should do. Every problem names the path of the
 * offending member (e.g. `jobs[2].cursor`) so it can be fixed without
 * reading code; a problem carries its own code where it is more precise than
 * the error's.
 */
export const CONFIG_CODES = {
  CONFIG_FILE_UNREADABLE: { message: 'the configuration file cannot be read', action: 'check the path given and that the service user may read the file' },
  CONFIG_SYNTAX: { message: 'the configuration file is not valid YAML/JSON', action: 'fix the syntax at the line and column shown (indentation with spaces, a colon and a space after each member name, quotes closed)' },
  CONFIG_INVALID: { message: 'the configuration does not match the schema', action: 'give the member a value of the kind shown (config/examples/ has one of each)' },
  CONFIG_MEMBER_UNKNOWN: { message: 'a member the configuration does not have', action: 'correct its spelling, or remove it: unknown members are refused so a typo never silently becomes a default' },
  CONFIG_MEMBER_MISSING: { message: 'a required member is missing', action: 'add the member (config/examples/ shows each one)' },
  CONFIG_REFERENCE: { message: 'the configuration refers to something that does not exist', action: 'name one that exists, or add what is named' },
  CONFIG_NAME_DUPLICATE: { message: 'two entries have the same name', action: 'give every source and every job its own name' },
  CONFIG_SCHEDULE_INVALID: { message: 'a schedule is not a valid cron expression', action: 'write five fields, minute hour day month weekday, e.g. "*/15 * * * *", or use intervalSecs' },
  CONFIG_TIME_ZONE_INVALID: { message: 'not an IANA time zone', action: 'write a zone like Asia/Shanghai or UTC (leave it out for SQLite unless the values were written in a known zone)' },
  CONFIG_QUERY_INVALID: { message: 'a job\'s query is not one read-only SELECT or WITH statement', action: 'write one SELECT (or WITH … SELECT) statement, without a trailing second statement' },
  CONFIG_CURSOR_INVALID: { message: 'an incremental job\'s cursor cannot order its rows', action: 'list the change column first, then every key column, each once, e.g. [updated_at, id]' },
  CONFIG_FOLDER_JOB: { message: 'a job reads a drop folder', action: 'remove the job: a drop folder needs none, each file\'s name gives its category' },
  CONFIG_SOURCE_INCOMPLETE: { message: 'a source lacks what its connector needs', action: 'give the members named' },
  CONFIG_CATEGORY_UNKNOWN: { message: 'a job names a category that is not in the information catalog', action: 'use a code of the catalog (credit-gateway catalog --provider YOUR-DEPARTMENT)' },
  CONFIG_FIELD_UNKNOWN: { message: 'a field code is not in the category\'s data standard', action: 'use a field code of the standard (credit-gateway template CATEGORY --format csv shows them), or remove the field' },
  CONFIG_FIELD_DUPLICATE: { message: 'a field is given twice under two spellings', action: 'keep one of them' },
  CONFIG_CODE_TABLE_UNKNOWN: { message: 'a field names a code table the data standards do not have', action: 'name a code table of the standard, or give the codes inline as { source value: value to send }' },
  CONFIG_PROFILE_INCOMPLETE: { message: 'an export profile cannot read its files as written', action: 'give what the message names (match.name or match.headers; system for system and returned data; a column for every required field and the key), see README: 导出方案' },
  CONFIG_PROFILE_PATTERN: { message: 'a name pattern of an export profile is not one', action: 'write a file or sheet name with * for any run of characters and ? for one, e.g. "教师资格认定*.xls"' },
  CONFIG_SECRET_MISSING: { message: 'a referenced secret is not defined locally', action: 'add it with credit-gateway secrets set NAME --file SECRETS-FILE, or set the environment variable named' },
  CONFIG_SECRETS_FILE_MISSING: { message: 'the secrets file named by secrets.file does not exist', action: 'create it with credit-gateway secrets set NAME --file FILE (mode 600), or correct secrets.file (relative to the configuration file)' },
  CONFIG_SECRETS_FILE_UNREADABLE: { message: 'the secrets file named by secrets.file cannot be read', action: 'make the service user the owner of the secrets file (chown), mode 600' },
  CONFIG_SECRETS_FILE_UNSAFE: { message: 'the secrets file is readable by other users', action: 'run chmod 600 on the secrets file and make the service user its owner' },
  CONFIG_SECRETS_FILE_INVALID: { message: 'the secrets file is not a YAML mapping of names to strings', action: 'write one `name: value` per line, values quoted when they hold : or #' },
  CONFIG_SECRET_MISUSED: { message: 'a local secret is used, or allowed, where it may never go (config/secret-bindings.ts)', action: 'give each purpose its own secret' },
  CONFIG_SECRET_NOT_ALLOWED: { message: 'a source would send a local secret to a host the local configuration does not allow it for (secrets.allow)', action: 'add the host to secrets.allow for this secret, if it is meant to go there' },
  CONFIG_PATH_MISUSED: { message: 'control.allowPaths names a folder no source may use (config/local-paths.ts)', action: 'name only the folders that hold the department\'s exports' },
  CONFIG_PATH_NOT_ALLOWED: { message: 'a source names a local file or folder the local configuration does not allow (control.allowPaths)', action: 'add the folder to control.allowPaths, if it is meant to be read' },
  CONFIG_PLATFORM_URL_CREDENTIALS: { message: 'platform.url carries a user name or password', action: 'remove user:pass@ from platform.url (a URL ends up in logs and pages); the platform secret belongs in the secrets file, named by platform.secretRef' },
  CONFIG_PUBLIC_KEY_UNREADABLE: { message: 'the credit center\'s public key (control.publicKeyFile) cannot be read or is not an Ed25519 public key', action: 'install center-public.pem from the credit center at that path (relative to the configuration file), or remove control.publicKeyFile to refuse every bundle' },
  // Warnings: start goes ahead, `config check` says so.
  CONFIG_FIELD_RETIRED: { message: 'a field of an older template that is no longer sent', action: 'remove the field from the job (its value is read but not sent)' },
  CONFIG_DEPARTMENT_UNKNOWN: { message: 'the department is not a provider of the information catalog', action: 'write gateway.department as the catalog names it, or set gateway.provider to its code (credit-gateway catalog): until then the status page cannot tell which categories the department owes' },
  CONFIG_PLAIN_HTTP_EXPOSED: { message: 'the status page is served to the network over plain HTTP (status.allowPlainHttp)', action: 'set status.tls (README: making a certificate): passwords, tokens and session cookies cross the network in clear until then' },
  CONFIG_UPLOAD_SOURCE_UNKNOWN: { message: 'status.uploadSource names no drop folder source of this file', action: 'name a folder source of sources (or remove status.uploadSource: uploads then go to the first folder source); until a bundle adds that folder, the upload page has nowhere to put files' },
  CONFIG_PROFILE_SOURCE_UNKNOWN: { message: 'a profile names a folder source this file does not have', action: 'name a folder source of sources; if the credit center\'s bundle brings that folder, the profile reads its files once the bundle is applied (its trial checks it)' },
  CONFIG_OPTION_INVALID: { message: 'a command-line option has a value it does not take', action: 'give one of the values listed (credit-gateway COMMAND --help)' },
} as const satisfies Record<string, { message: string; action: string }>;

export type ConfigErrorCode = keyof typeof CONFIG_CODES;

/** Code → message, as it has always been read. */
export const CONFIG_ERRORS = Object.fromEntries(Object.entries(CONFIG_CODES).map(([code, spec]) => [code, spec.message])) as {
  readonly [K in ConfigErrorCode]: (typeof CONFIG_CODES)[K]['message'];
};

export interface ConfigProblem {
  /** Dotted path of the member, e.g. `jobs[0].schedule.cron`; '' for the whole document. */
  path: string;
  message: string;
  /** More precise than the error's code, where there is such a code. */
  code?: ConfigErrorCode;
  /** Names the member could have meant to be (e.g. the schema's members at that level): "did you mean" is chosen among them. */
  candidates?: readonly string[];
  /** What was written, matched against `candidates`; default the member's own name (a misspelled member). */
  given?: string;
  /** "Did you mean", already chosen (e.g. category codes with their names). */
  suggestions?: readonly string[];
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

  get action(): string {
    return CONFIG_CODES[this.code].action;
  }
}
