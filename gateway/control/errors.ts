/**
 * The control layer's error catalogue: why a configuration bundle was refused
 * (one stable code per check of verify.ts) and what goes wrong in the
 * credit center's tools. Messages are templates: `{name}` is filled from the
 * problem's details; a secret's value is never one of them.
 */
import type { BundleProblem } from './contract.js';

export interface ControlErrorSpec {
  message: string;
  /** What to do about it: the credit center's staff for a bundle, the gateway's operator for a missing secret. */
  action: string;
}

export const CONTROL_ERRORS = {
  // --- verifying a bundle (in the order verify.ts checks) ---
  BUNDLE_ENVELOPE_INVALID: {
    message: 'the envelope is not {"version":<whole number>,"bundle":"<base64>","signature":"<base64>"}: {detail}',
    action: 'deliver the file written by `credit-gateway bundle sign` unchanged',
  },
  BUNDLE_SIGNATURE_INVALID: {
    message: "the signature does not match the bundle's bytes and the credit center's public key",
    action: "the bundle was changed, cut short or signed with another key: sign it again with the center's key; if it was, compare `credit-gateway keys fingerprint` of the center's key and of the gateway's control.publicKeyFile",
  },
  BUNDLE_NOT_JSON: {
    message: 'the signed bytes are not a UTF-8 JSON object: {detail}',
    action: 'sign a bundle file that holds one JSON object (UTF-8)',
  },
  BUNDLE_VERSION_MISMATCH: {
    message: 'the envelope says version {envelope} but the bundle inside says {bundle}',
    action: 'sign the bundle again with `credit-gateway bundle sign`, which takes the version from the bundle',
  },
  BUNDLE_WRONG_GATEWAY: {
    message: 'the bundle is for gateway "{bundle}", not this gateway ("{gateway}")',
    action: 'send this gateway the bundle written for it, or correct gatewayId and sign again',
  },
  BUNDLE_VERSION_NOT_NEWER: {
    message: 'version {version} is not newer than the running version {running}',
    action: 'give the bundle a version above {running} and sign again; to go back to an older configuration in an emergency set control.allowOlderVersion on the gateway (every use is logged)',
  },
  BUNDLE_SECRET_INSIDE: {
    message: 'a secret value is inside the bundle at {path}',
    action: 'remove the value, put it in the gateway\'s local secrets and name it instead (e.g. "passwordRef": "hr_db"), then sign again',
  },
  BUNDLE_SCHEMA_INVALID: {
    message: '{path}: {detail}',
    action: 'fix the bundle member named by the path and sign again',
  },
  BUNDLE_SECRET_MISSING: {
    message: 'secret "{name}" named at {path} is not defined on this gateway',
    action: 'on the gateway run `credit-gateway secrets set {name} --file SECRETS.yaml` (or set {env}), then deliver the bundle again',
  },
  BUNDLE_SECRET_RESERVED: {
    message: 'source "{source}" would use a secret that never goes to a database: {detail}',
    action: "do not apply it: a bundle may name only a database account's own secret; if the center did not write this, its signing key is misused: tell the credit center at once",
  },
  BUNDLE_SECRET_NOT_ALLOWED: {
    message: 'source "{source}" would send a secret where the local configuration does not allow it: {detail}',
    action: "if the host is right, the gateway's operator adds it to secrets.allow.{name} in the gateway's configuration file and restarts the gateway, then the bundle is delivered again; otherwise correct the bundle (if the center did not write it, its signing key is misused: tell the credit center at once)",
  },
  BUNDLE_PATH_NOT_ALLOWED: {
    message: 'a source names a local {member} the local configuration does not allow: {detail}',
    action: "if the path is right, the gateway's operator adds its folder to control.allowPaths in the gateway's configuration file and restarts the gateway (a thickLibDir only as a local Oracle source's own; never the gateway's own data, bundle or configuration folder), then the bundle is delivered again; otherwise correct the bundle (if the center did not write it, its signing key is misused: tell the credit center at once)",
  },
  // --- trying, swapping and watching an applied bundle (controller.ts, trial.ts) ---
  CONTROL_NO_PUBLIC_KEY: {
    message: 'no credit center public key is configured (control.publicKeyFile), so no bundle can be trusted{detail}',
    action: 'ask the credit center for center-public.pem, set control.publicKeyFile to it and restart the gateway',
  },
  CONTROL_TRIAL_CONFIG: { message: 'the bundle names something this gateway does not have: {detail}', action: 'correct the member named and sign again (credit-gateway catalog lists the category codes)' },
  CONTROL_TRIAL_SOURCE: { message: 'a changed source could not be opened: {detail}', action: "check the source's host, port, database and account with the department's IT, and that its secret is set on the gateway" },
  CONTROL_TRIAL_FOLDER: { message: 'a drop folder cannot be created or written: {detail}', action: 'create the folder on the gateway machine and give the gateway\'s user write access, or change its path' },
  CONTROL_TRIAL_QUERY: { message: "a changed job's query failed on the database: {detail}", action: "run the query by hand on the department's database with the gateway's account and correct it" },
  CONTROL_TRIAL_COLUMN_MISSING: { message: "a column the job's mapping names is not in its query's result: {detail}", action: 'add the column to the query or correct the mapping' },
  CONTROL_TRIAL_ALL_REJECTED: { message: 'every sampled row of a changed job was rejected: {detail}', action: 'check the mapping against the data standard (field codes, date formats, code tables) before sending the bundle again' },
  CONTROL_SWAP_FAILED: { message: 'the new configuration could not be started; the previous one runs again: {detail}', action: 'read the gateway log around the time of the swap and send a corrected bundle' },
  CONTROL_ROLLED_BACK: { message: 'a source that worked before failed after the swap; the previous configuration runs again: {detail}', action: 'fix what the source error names (or the bundle) and send the bundle again with a higher version' },
  // --- files and tools ---
  BUNDLE_FILE_UNREADABLE: { message: 'the file cannot be read: {detail}', action: 'check the path and that this user may read it' },
  BUNDLE_FILE_NOT_ENVELOPE: { message: 'the file is not a signed envelope: {detail}', action: 'give the .signed.json file written by `credit-gateway bundle sign`' },
  BUNDLE_FILE_UNWRITABLE: { message: 'the file cannot be written: {detail}', action: 'check the folder exists and this user may write it' },
  KEY_INVALID: { message: 'the key file does not hold an Ed25519 key of the expected kind: {detail}', action: 'use center-private.pem to sign and center-public.pem to verify, as written by `credit-gateway keys generate`' },
  KEY_FILE_EXISTS: { message: 'a key file already exists: {detail}', action: 'keep the existing keys (every gateway holds the public key), or give --force to replace them and send the new public key to every gateway' },
  SECRETS_FILE_UNSAFE: { message: 'the secrets file can be read by other users: {detail}', action: 'run chmod 600 on it' },
  SECRETS_FILE_INVALID: { message: 'the secrets file is not a YAML mapping of names to strings: {detail}', action: 'fix the file by hand (it holds name: value lines)' },
  SECRET_NAME_INVALID: { message: 'the secret name is not usable: {detail}', action: 'use letters, digits, _ . - (max 64), the name a bundle or configuration refers to' },
  SECRET_VALUE_EMPTY: { message: 'no value was given', action: 'type the value (it is not shown) and press Enter, or pipe it in' },
} as const satisfies Record<string, ControlErrorSpec>;

export type ControlErrorCode = keyof typeof CONTROL_ERRORS;

/** A bundle problem as verify.ts returns it: the contract's fields plus what to do. */
export interface ControlProblem extends BundleProblem {
  action: string;
}

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}

export function controlProblem(code: ControlErrorCode, vars: Record<string, string | number> = {}, path?: string): ControlProblem {
  const spec = CONTROL_ERRORS[code];
  const all = path === undefined ? vars : { path, ...vars };
  return { code, message: fill(spec.message, all), ...(path !== undefined ? { path } : {}), action: fill(spec.action, all) };
}

/** The action of any bundle problem, whether or not it carries its own. */
export function actionOf(problem: BundleProblem): string {
  const own = (problem as Partial<ControlProblem>).action;
  if (own) return own;
  return (CONTROL_ERRORS as Record<string, ControlErrorSpec>)[problem.code]?.action ?? 'report this with the log to support';
}

export class ControlError extends Error {
  readonly code: ControlErrorCode;
  readonly action: string;
  constructor(code: ControlErrorCode, vars: Record<string, string | number> = {}, options?: { cause?: unknown }) {
    const problem = controlProblem(code, vars);
    super(problem.message, options);
    this.name = 'ControlError';
    this.code = code;
    this.action = problem.action;
  }
}
