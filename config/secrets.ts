import { closeSync, existsSync, fchownSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Document, parse, parseDocument } from 'yaml';
import { ConfigError, type ConfigProblem } from './errors.js';

/**
 * Local secrets: a YAML file of `name: value` (refused when group or world
 * can read it) and environment variables `CREDIT_GATEWAY_SECRET_<NAME>`
 * (name upper-cased, other characters as `_`), which win over the file.
 */
export class Secrets {
  readonly #file: Map<string, string>;
  readonly #env: Map<string, string>;

  constructor(fileValues: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
    this.#file = new Map(Object.entries(fileValues));
    this.#env = new Map(
      Object.entries(env).filter((e): e is [string, string] => e[0].startsWith('CREDIT_GATEWAY_SECRET_') && e[1] !== undefined),
    );
  }

  static envName(name: string): string {
    return `CREDIT_GATEWAY_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  }

  static load(options: { file?: string; env?: NodeJS.ProcessEnv } = {}): Secrets {
    return new Secrets(options.file ? readSecretsFile(options.file) : {}, options.env ?? process.env);
  }

  /** Whether get() would answer: an empty value counts as missing, as it does there. */
  has(name: string): boolean {
    return (this.#env.get(Secrets.envName(name)) ?? this.#file.get(name) ?? '') !== '';
  }

  /** The names defined, for "did you mean" (environment variables by their upper-cased form). */
  names(): string[] {
    return [...this.#file.keys(), ...[...this.#env.keys()].map((k) => k.slice('CREDIT_GATEWAY_SECRET_'.length).toLowerCase())];
  }

  /** The secret's value; `path` names the config member that refers to it. */
  get(name: string, path: string): string {
    const value = this.#env.get(Secrets.envName(name)) ?? this.#file.get(name);
    if (value === undefined || value === '') {
      throw new ConfigError('CONFIG_SECRET_MISSING', [
        { path, message: `secret "${name}" is not defined: add it to the secrets file or set ${Secrets.envName(name)}` },
      ]);
    }
    return value;
  }
}

function readSecretsFile(file: string): Record<string, string> {
  const { values, problem } = inspectSecretsFile(file);
  if (problem) throw new ConfigError(problem.code, [problem]);
  return values;
}

type SecretsFileCode = 'CONFIG_SECRETS_FILE_MISSING' | 'CONFIG_SECRETS_FILE_UNREADABLE' | 'CONFIG_SECRETS_FILE_UNSAFE' | 'CONFIG_SECRETS_FILE_INVALID';

/**
 * The secrets file as far as it can be read, and what is wrong with it:
 * missing, unreadable, readable by others (its values are still given, so a
 * check can go on to say which references they satisfy), or not a mapping.
 */
export function inspectSecretsFile(file: string): { values: Record<string, string>; problem: (ConfigProblem & { code: SecretsFileCode }) | null } {
  const at = (code: SecretsFileCode, message: string) => ({ path: 'secrets.file', code, message });
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      values: {},
      problem: missing
        ? at('CONFIG_SECRETS_FILE_MISSING', `the secrets file ${file} does not exist: create it with credit-gateway secrets set NAME --file ${file}, or correct secrets.file`)
        : at('CONFIG_SECRETS_FILE_UNREADABLE', `the secrets file ${file} cannot be read: ${(err as Error).message}`),
    };
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { values: {}, problem: at('CONFIG_SECRETS_FILE_UNREADABLE', `the secrets file ${file} cannot be read: ${(err as Error).message}`) };
  }
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch {
    doc = null;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    return { values: {}, problem: at('CONFIG_SECRETS_FILE_INVALID', `${file} must map names to string values`) };
  }
  const entries = Object.entries(doc);
  const values = Object.fromEntries(entries.filter((e): e is [string, string] => typeof e[1] === 'string'));
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    return { values, problem: at('CONFIG_SECRETS_FILE_UNSAFE', `${file} has mode ${(mode & 0o777).toString(8)}: run chmod 600 ${file}`) };
  }
  if (entries.length !== Object.keys(values).length) {
    return { values, problem: at('CONFIG_SECRETS_FILE_INVALID', `${file} must map names to string values`) };
  }
  return { values, problem: null };
}

export const SECRET_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Sets one secret in a secrets file (`credit-gateway secrets set`), keeping
 * the other entries and their comments. The file is created with mode 600;
 * an existing one is refused, like Secrets.load refuses it, when group or
 * world can read it. Written to a temporary file (600 from the start) and
 * renamed over, so the gateway never reads half a file and the value is
 * never readable by others, not even for a moment.
 */
export function writeSecret(file: string, name: string, value: string): { created: boolean } {
  if (!SECRET_NAME.test(name)) {
    throw new ConfigError('CONFIG_INVALID', [{ path: 'name', message: `"${name}" is not a secret name: letters, digits, _ . - (max 64)` }]);
  }
  const created = !existsSync(file);
  // Checks the mode and the content; the values read are kept as they are.
  if (!created) readSecretsFile(file);
  const text = created ? '' : readFileSync(file, 'utf8');
  const owner = created ? null : statSync(file);
  const doc: Document = text.trim() === '' ? new Document({}) : parseDocument(text);
  doc.set(name, value);
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(temp, 'wx', 0o600);
    // root setting a secret for the service keeps the file the service's own, or the service could no longer read it.
    if (owner && process.getuid?.() === 0) fchownSync(fd, owner.uid, owner.gid);
    writeSync(fd, doc.toString());
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, file);
  } catch (err) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    throw new ConfigError('CONFIG_FILE_UNREADABLE', [{ path: 'secrets.file', message: `${file} cannot be written: ${(err as Error).message}` }], { cause: err });
  }
  return { created };
}
