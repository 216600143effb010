/** A bundle a gateway would accept, and helpers to sign variations of it. */
import { envelopeFor, generateKeys, type KeyPair } from '../../../gateway/control/keys.js';
import type { BundleEnvelope, VerifyContext } from '../../../gateway/control/contract.js';
import { SecretBindings } from '../../../config/secret-bindings.js';

export const GATEWAY_ID = 'gw-rsj-01';

export function validBundle(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    gatewayId: GATEWAY_ID,
    version: 13,
    issuedAt: '2026-03-01T09:00:00+08:00',
    sources: [{ name: 'hr_db', kind: 'mysql', host: '10.1.2.3', database: 'hr', user: 'credit_reader', passwordRef: 'hr_db_password' }],
    jobs: [
      {
        name: 'penalties',
        source: 'hr_db',
        category: 'P07-002',
        query: 'SELECT * FROM t_xzcf',
        cursor: ['updated_at', 'id'],
        key: ['id'],
        subject: { kind: 'legal', name: 'party_name', code: 'credit_code' },
        fields: { CF_XDR_MC: 'party_name', CF_WSH: 'decision_no' },
        schedule: { cron: '*/10 * * * *' },
      },
    ],
    ...over,
  };
}

export const bytesOf = (doc: unknown): Buffer => Buffer.from(JSON.stringify(doc, null, 2), 'utf8');

export function signed(doc: unknown, keys: KeyPair): BundleEnvelope {
  return envelopeFor(bytesOf(doc), keys.privateKeyPem);
}

export function context(keys: KeyPair, over: Partial<VerifyContext> = {}): VerifyContext {
  const secrets = new Set(['hr_db_password']);
  // The gateway's own configuration lets hr_db_password go to the host validBundle names.
  const bindings = new SecretBindings({ platform: { secretRef: 'platform' }, secrets: { allow: { hr_db_password: ['10.1.2.3:3306'] } }, sources: [] });
  return { publicKeyPem: keys.publicKeyPem, gatewayId: GATEWAY_ID, runningVersion: 12, allowOlderVersion: false, hasSecret: (n) => secrets.has(n), bindings, paths: null, ...over };
}

export { generateKeys };
