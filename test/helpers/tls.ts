/**
 * Certificates for tests, made by the real openssl command line (installed
 * here and in CI) into a folder of the test: self-signed, issued by a test
 * CA, or valid only in the past. Keys are written 0600, as an operator must.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificate {
  certFile: string;
  keyFile: string;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const SAN = 'subjectAltName=DNS:localhost,IP:127.0.0.1';

function openssl(cwd: string, args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A self-signed certificate for localhost and 127.0.0.1, valid from now for `days`. */
export function selfSigned(dir: string, name = 'status', days = 30): TestCertificate {
  mkdirSync(dir, { recursive: true });
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  openssl(dir, ['req', '-x509', ...EC, '-keyout', keyFile, '-out', certFile, '-days', String(days), '-subj', `/CN=localhost/O=${name}`, '-addext', SAN]);
  chmodSync(keyFile, 0o600);
  return { certFile, keyFile };
}

/** A CA certificate and key, and a certificate for localhost it issued. */
export function issuedByCa(dir: string): TestCertificate & { caFile: string } {
  mkdirSync(dir, { recursive: true });
  const ca = selfSigned(dir, 'test-ca', 30);
  const keyFile = join(dir, 'leaf.key');
  const csr = join(dir, 'leaf.csr');
  const certFile = join(dir, 'leaf.crt');
  const ext = join(dir, 'leaf.ext');
  writeFileSync(ext, `${SAN}\n`);
  openssl(dir, ['req', '-new', ...EC, '-keyout', keyFile, '-out', csr, '-subj', '/CN=localhost/O=leaf']);
  openssl(dir, ['x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-out', certFile, '-days', '30', '-extfile', ext]);
  chmodSync(keyFile, 0o600);
  return { certFile, keyFile, caFile: ca.certFile };
}

/** A self-signed certificate whose validity ended long ago (openssl ca lets the dates be chosen). */
export function expired(dir: string): TestCertificate {
  mkdirSync(dir, { recursive: true });
  const keyFile = join(dir, 'old.key');
  const csr = join(dir, 'old.csr');
  const certFile = join(dir, 'old.crt');
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(join(dir, 'ca.cnf'), [
    '[ca]', 'default_ca = test', '[test]', `dir = ${dir}`, 'database = $dir/index.txt', 'new_certs_dir = $dir',
    'serial = $dir/serial', 'default_md = sha256', 'policy = any', 'email_in_dn = no', '[any]', 'commonName = supplied', '',
  ].join('\n'));
  openssl(dir, ['req', '-new', ...EC, '-keyout', keyFile, '-out', csr, '-subj', '/CN=localhost/O=old']);
  openssl(dir, ['ca', '-batch', '-selfsign', '-config', join(dir, 'ca.cnf'), '-keyfile', keyFile, '-in', csr, '-out', certFile, '-startdate', '20200101000000Z', '-enddate', '20200201000000Z']);
  chmodSync(keyFile, 0o600);
  return { certFile, keyFile };
}
