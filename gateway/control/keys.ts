import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { BundleEnvelope } from './contract.js';

/**
 * Ed25519 keys of the credit center (platform-api.md section 4): the center
 * signs with its private key; each gateway holds only the public key. PEM
 * (PKCS#8 / SPKI) so the files open in any tool.
 */

export interface KeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
}

export function generateKeys(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Throws when the text is not an Ed25519 public key. */
export function publicKeyFrom(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 public key (${key.asymmetricKeyType ?? 'unknown type'})`);
  return key;
}

/** Throws when the text is not an Ed25519 private key. */
export function privateKeyFrom(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 private key (${key.asymmetricKeyType ?? 'unknown type'})`);
  return key;
}

/** Base64 Ed25519 signature of the exact bytes. */
export function signBytes(bytes: Uint8Array, privateKeyPem: string): string {
  return sign(null, bytes, privateKeyFrom(privateKeyPem)).toString('base64');
}

export function verifyBytes(bytes: Uint8Array, signatureBase64: string, publicKeyPem: string): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  // Ed25519 signatures are 64 bytes; anything else (or base64 that decodes short) is not one.
  if (signature.length !== 64) return false;
  return verify(null, bytes, publicKeyFrom(publicKeyPem), signature);
}

/** A short fingerprint of a public key, to compare keys by phone or on the status page. */
export function keyFingerprint(publicKeyPem: string): string {
  const der = publicKeyFrom(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16).replace(/(.{4})(?!$)/g, '$1:');
}

/** The signed envelope of a bundle's exact bytes. The version is read from the bundle so the two cannot disagree. */
export function envelopeFor(bundleBytes: Uint8Array, privateKeyPem: string): BundleEnvelope {
  const doc = JSON.parse(Buffer.from(bundleBytes).toString('utf8')) as { version?: unknown };
  if (!Number.isSafeInteger(doc.version)) throw new Error('the bundle has no integer "version"');
  return { version: doc.version as number, bundle: Buffer.from(bundleBytes).toString('base64'), signature: signBytes(bundleBytes, privateKeyPem) };
}

/** The public half of a private key, to print the fingerprint a signature will be checked against. */
export function publicKeyPemOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyFrom(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}
