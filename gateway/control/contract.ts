/**
 * Configuration from the credit center (platform-api.md sections 3 and 4).
 *
 * One signed file format travels every way a bundle can reach the gateway
 * (heartbeat answer, admin API `PUT /api/config/bundle`, bundle folder):
 * the envelope `{"version":13,"bundle":"<base64 of bundle bytes>","signature":"<base64>"}`,
 * exactly the `config` member of a heartbeat answer. `credit-gateway bundle sign`
 * writes it; the signature is Ed25519 over the exact bundle bytes.
 */
import type { BundleDocument } from '../../config/bundle.js';
import type { SecretBindings } from '../../config/secret-bindings.js';
import type { LocalPaths } from '../../config/local-paths.js';

export interface BundleEnvelope {
  version: number;
  /** Base64 of the bundle's exact UTF-8 JSON bytes. */
  bundle: string;
  /** Base64 Ed25519 signature of those bytes. */
  signature: string;
}

/**
 * The bundle document once verified (spec section 4), as config/bundle.ts
 * validates it; `catalog` is accepted and kept, while the gateway runs on the
 * catalog it ships (see README).
 */
export type Bundle = BundleDocument;

export type BundleVia = 'heartbeat' | 'admin' | 'folder' | 'startup';

/** Why a bundle was refused: one stable code per check, a message that says what to do. */
export interface BundleProblem {
  code: string;
  message: string;
  /** Config path, e.g. jobs[0].query, when the problem is in one member. */
  path?: string;
}

/**
 * `override`: accepted only because control.allowOlderVersion let a version
 * that is not newer through; the caller logs a warning each time.
 */
export type VerifyResult =
  | { ok: true; bundle: Bundle; bytes: Buffer; override?: true }
  | { ok: false; version: number | null; problems: BundleProblem[] };

export interface VerifyContext {
  /** PEM of the credit center's Ed25519 public key. */
  publicKeyPem: string;
  gatewayId: string;
  runningVersion: number;
  allowOlderVersion: boolean;
  /** Whether a secret of that name exists locally. */
  hasSecret(name: string): boolean;
  /**
   * Where the local configuration lets each secret go: a source sending one
   * elsewhere is refused here, before any trial connects. Null only in the
   * center's tool when no gateway configuration is given (not checked).
   */
  bindings: SecretBindings | null;
  /**
   * Which local files and folders the local configuration lets a source
   * name: a source naming another is refused here, before anything is
   * opened. Null only in the center's tool without a gateway configuration.
   */
  paths: LocalPaths | null;
}

export type ApplyStatus = 'applied' | 'rejected' | 'rolled_back';

/** One outcome, as stored, shown and reported in the next heartbeat's configApply. */
export interface ApplyOutcome {
  version: number;
  status: ApplyStatus;
  message: string;
  at: string;
  via: BundleVia;
}

/**
 * What the store keeps of bundles (gateway/store/bundles.ts): every outcome,
 * and the bytes and signature of each applied bundle, so a restart runs the
 * last applied one (verified again) and a rollback can return to the one
 * before.
 */
export interface StoredBundle {
  version: number;
  bytes: Buffer;
  signature: string;
  appliedAt: string;
}
