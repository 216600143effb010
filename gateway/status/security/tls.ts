/**
 * How the status page travels: HTTPS with the department's certificate, or
 * plain HTTP where that is safe (loopback) or where the operator said so in
 * as many words (`status.allowPlainHttp`). Every certificate problem is a
 * refusal at start with its code and action, never a server that listens
 * and then fails each handshake.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { StatusSecurityError, type StatusSecurityCode } from './errors.js';

/** The members of `status` this module reads, file paths already resolved against the config file. */
export interface StatusTransportConfig {
  tls?: { certFile: string; keyFile: string; caFile?: string };
  allowPlainHttp: boolean;
}

/** What fastify's `https` option takes, and what the log and the page say about it. */
export interface StatusTls {
  key: string;
  /** The certificate followed by the CA's, so clients that trust the CA can build the chain. */
  cert: string;
  subject: string;
  validTo: Date;
}

export interface StatusTransport {
  /** null: plain HTTP. */
  tls: StatusTls | null;
  /** Plain HTTP on a non-loopback address, allowed by `status.allowPlainHttp`: warn wherever the setup is shown. */
  plainHttpExposed: boolean;
}

/**
 * The transport of the status page, refusing a page exposed without TLS
 * (unless allowed) and any certificate that would not work or not be safe.
 * `now` is the clock certificates are checked against.
 */
export function statusTransport(config: StatusTransportConfig, exposed: boolean, now: Date = new Date()): StatusTransport {
  if (config.tls) return { tls: loadStatusTls(config.tls, now), plainHttpExposed: false };
  if (exposed && !config.allowPlainHttp) throw new StatusSecurityError('STATUS_TLS_REQUIRED', 'status.host is not a loopback address and status.tls is not set');
  return { tls: null, plainHttpExposed: exposed };
}

function loadStatusTls(files: NonNullable<StatusTransportConfig['tls']>, now: Date): StatusTls {
  const certPem = read(files.certFile, 'STATUS_TLS_CERT_UNREADABLE', 'status.tls.certFile');
  const cert = parseCertificate(certPem, 'STATUS_TLS_CERT_INVALID', `status.tls.certFile ${files.certFile}`);
  const keyPem = read(files.keyFile, 'STATUS_TLS_KEY_UNREADABLE', 'status.tls.keyFile');
  requirePrivate(files.keyFile);
  const key = parseKey(keyPem, files.keyFile);
  if (!cert.checkPrivateKey(key)) throw new StatusSecurityError('STATUS_TLS_KEY_MISMATCH', `status.tls.keyFile ${files.keyFile} and status.tls.certFile ${files.certFile}`);
  const validFrom = new Date(cert.validFrom);
  const validTo = new Date(cert.validTo);
  if (validTo.getTime() <= now.getTime()) throw new StatusSecurityError('STATUS_TLS_CERT_EXPIRED', `status.tls.certFile ${files.certFile} expired ${validTo.toISOString()}`);
  if (validFrom.getTime() > now.getTime()) throw new StatusSecurityError('STATUS_TLS_CERT_NOT_YET_VALID', `status.tls.certFile ${files.certFile} is valid from ${validFrom.toISOString()}`);
  let chain = certPem;
  if (files.caFile) {
    const caPem = read(files.caFile, 'STATUS_TLS_CA_UNREADABLE', 'status.tls.caFile');
    const ca = parseCertificate(caPem, 'STATUS_TLS_CA_UNREADABLE', `status.tls.caFile ${files.caFile} is not a PEM certificate`);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) throw new StatusSecurityError('STATUS_TLS_CA_MISMATCH', `status.tls.certFile ${files.certFile} was issued by "${cert.issuer}", status.tls.caFile is "${ca.subject}"`);
    // A self-signed CA sent again costs a few hundred bytes; a missing intermediate costs the connection.
    chain = `${certPem.trimEnd()}\n${caPem}`;
  }
  return { key: keyPem, cert: chain, subject: cert.subject, validTo };
}

function read(file: string, code: StatusSecurityCode, member: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new StatusSecurityError(code, `${member} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function parseCertificate(pem: string, code: StatusSecurityCode, detail: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new StatusSecurityError(code, detail);
  }
}

/** Like the secrets file: anyone else who can read the key can pose as this page. */
function requirePrivate(file: string): void {
  if (process.platform === 'win32') return;
  const mode = statSync(file).mode;
  if ((mode & 0o077) !== 0) throw new StatusSecurityError('STATUS_TLS_KEY_UNSAFE', `status.tls.keyFile ${file} has mode ${(mode & 0o777).toString(8)}: run chmod 600 ${file}`);
}

function parseKey(pem: string, file: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (err) {
    // OpenSSL's words for a missing passphrase vary by key format; the PEM header does not.
    const encrypted = (err as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE' || /BEGIN ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(pem);
    // The key's text is never quoted: it is the secret.
    throw new StatusSecurityError('STATUS_TLS_KEY_INVALID', `status.tls.keyFile ${file}${encrypted ? ' is encrypted with a passphrase' : ''}`);
  }
}
