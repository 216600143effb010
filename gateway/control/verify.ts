/**
 * Whether a configuration bundle may be applied (platform-api.md section 4).
 * Pure but for the signature check. The checks run in a fixed order, each
 * with its own code (errors.ts):
 *
 * 1. envelope shape, 2. Ed25519 signature over the exact bundle bytes,
 * 3. the bytes are a UTF-8 JSON object — each of these stops the rest: bytes
 *    nobody signed are never looked into;
 * 4. envelope and bundle versions agree, the bundle is this gateway's, its
 *    version is above the running one — a bundle not meant for this gateway
 *    now is not checked further;
 * 5. no secret values inside, schema and references exactly as a local
 *    configuration, every referenced secret defined locally, every source's
 *    secret bound for where the source connects (config/secret-bindings.ts)
 *    and every local file or folder a source names allowed by the local
 *    configuration (config/local-paths.ts) — all problems of this stage are
 *    reported together, and all before the trial opens anything.
 */
import { Secrets } from '../../config/secrets.js';
import { describeRefusal, type SecretBindings } from '../../config/secret-bindings.js';
import { describePathRefusal, type LocalPaths } from '../../config/local-paths.js';
import { checkBundleDocument, isMapping, secretReferences, secretValuePaths } from '../../config/bundle.js';
import type { Bundle, BundleEnvelope, VerifyContext, VerifyResult } from './contract.js';
import { controlProblem, type ControlProblem } from './errors.js';
import { verifyBytes } from './keys.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isBase64(value: unknown): value is string {
  return typeof value === 'string' && BASE64.test(value);
}

/** The envelope's shape, or why it is not one. */
export function envelopeProblem(envelope: unknown): string | null {
  if (!isMapping(envelope)) return 'expected a JSON object';
  const extra = Object.keys(envelope).filter((k) => !['version', 'bundle', 'signature'].includes(k));
  if (extra.length > 0) return `unexpected member ${extra.map((k) => `"${k}"`).join(', ')}`;
  if (!Number.isSafeInteger(envelope.version)) return '"version" is not a whole number';
  if (!isBase64(envelope.bundle) || envelope.bundle.length === 0) return '"bundle" is not base64 text';
  if (!isBase64(envelope.signature) || envelope.signature.length === 0) return '"signature" is not base64 text';
  return null;
}

const fatal = (version: number | null, ...problems: ControlProblem[]): VerifyResult => ({ ok: false, version, problems });

/** Parses signed bytes as a UTF-8 JSON object, or says why not. */
export function parseBundleBytes(bytes: Buffer): { doc: Record<string, unknown> } | { problem: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: 'not valid UTF-8' };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { problem: (err as Error).message };
  }
  return isMapping(doc) ? { doc } : { problem: 'the JSON is not an object' };
}

/**
 * Stage 5 alone: secrets inside, schema, and (given `hasSecret`) secrets
 * missing. `credit-gateway bundle sign` runs it without `hasSecret`, so the
 * center signs only what a gateway would accept.
 */
export function contentProblems(
  doc: Record<string, unknown>,
  hasSecret?: (name: string) => boolean,
  bindings?: SecretBindings | null,
  paths?: LocalPaths | null,
): { bundle: Bundle | null; problems: ControlProblem[] } {
  const inside = secretValuePaths(doc);
  const problems: ControlProblem[] = inside.map((path) => controlProblem('BUNDLE_SECRET_INSIDE', {}, path));
  const checked = checkBundleDocument(doc);
  // A secret member is also an unknown member to the schema; saying so twice helps nobody.
  const insideSet = new Set(inside);
  for (const p of checked.problems) {
    if (!insideSet.has(p.path)) problems.push(controlProblem('BUNDLE_SCHEMA_INVALID', { detail: p.message }, p.path));
  }
  if (hasSecret) {
    for (const ref of secretReferences(doc)) {
      if (!hasSecret(ref.name)) problems.push(controlProblem('BUNDLE_SECRET_MISSING', { name: ref.name, env: Secrets.envName(ref.name) }, ref.path));
    }
  }
  if (bindings && checked.bundle) problems.push(...bindingProblems(checked.bundle, bindings));
  if (paths && checked.bundle) problems.push(...pathProblems(checked.bundle, paths));
  return { bundle: problems.length === 0 ? (checked.bundle as Bundle) : null, problems };
}

/** Every source that would send a secret where the local configuration does not let it go. */
export function bindingProblems(bundle: Pick<Bundle, 'sources'>, bindings: SecretBindings): ControlProblem[] {
  const problems: ControlProblem[] = [];
  bundle.sources.forEach((source, i) => {
    if (source.kind === 'sqlite' || source.kind === 'folder') return;
    const refusal = bindings.refusal(source.passwordRef, source);
    if (!refusal) return;
    const code = refusal.kind === 'reserved' ? 'BUNDLE_SECRET_RESERVED' : 'BUNDLE_SECRET_NOT_ALLOWED';
    problems.push(controlProblem(code, { source: source.name, name: source.passwordRef, detail: describeRefusal(source.passwordRef, refusal) }, `sources[${i}].passwordRef`));
  });
  return problems;
}

/** Every source that names a local file or folder the local configuration does not let a source use. */
export function pathProblems(bundle: Pick<Bundle, 'sources'>, paths: LocalPaths): ControlProblem[] {
  return bundle.sources.flatMap((source, i) => {
    const refusal = paths.refusal(source);
    if (!refusal) return [];
    const path = `sources[${i}].${refusal.member}`;
    return [controlProblem('BUNDLE_PATH_NOT_ALLOWED', { source: source.name, member: refusal.member, detail: describePathRefusal(source.name, refusal) }, path)];
  });
}

export function verifyEnvelope(envelope: unknown, ctx: VerifyContext): VerifyResult {
  const shape = envelopeProblem(envelope);
  const claimed = isMapping(envelope) && Number.isSafeInteger(envelope.version) ? (envelope.version as number) : null;
  if (shape) return fatal(claimed, controlProblem('BUNDLE_ENVELOPE_INVALID', { detail: shape }));
  const env = envelope as unknown as BundleEnvelope;

  const bytes = Buffer.from(env.bundle, 'base64');
  let signed: boolean;
  try {
    signed = verifyBytes(bytes, env.signature, ctx.publicKeyPem);
  } catch {
    // A key that cannot be read verifies nothing; the gateway checks its key file at start.
    signed = false;
  }
  if (!signed) return fatal(env.version, controlProblem('BUNDLE_SIGNATURE_INVALID'));

  const parsed = parseBundleBytes(bytes);
  if ('problem' in parsed) return fatal(env.version, controlProblem('BUNDLE_NOT_JSON', { detail: parsed.problem }));
  const doc = parsed.doc;

  const identity: ControlProblem[] = [];
  if (doc.version !== env.version) {
    identity.push(controlProblem('BUNDLE_VERSION_MISMATCH', { envelope: env.version, bundle: JSON.stringify(doc.version ?? null) }, 'version'));
  }
  if (doc.gatewayId !== ctx.gatewayId) {
    identity.push(controlProblem('BUNDLE_WRONG_GATEWAY', { bundle: String(doc.gatewayId ?? ''), gateway: ctx.gatewayId }, 'gatewayId'));
  }
  let override = false;
  if (identity.length === 0 && env.version <= ctx.runningVersion) {
    if (ctx.allowOlderVersion) override = true;
    else identity.push(controlProblem('BUNDLE_VERSION_NOT_NEWER', { version: env.version, running: ctx.runningVersion }, 'version'));
  }
  if (identity.length > 0) return fatal(env.version, ...identity);

  const content = contentProblems(doc, (name) => ctx.hasSecret(name), ctx.bindings, ctx.paths);
  if (!content.bundle) return fatal(env.version, ...content.problems);
  return override ? { ok: true, bundle: content.bundle, bytes, override: true } : { ok: true, bundle: content.bundle, bytes };
}
