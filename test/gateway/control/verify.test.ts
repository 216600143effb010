import t from 'tap';
import { verifyEnvelope } from '../../../gateway/control/verify.js';
import { signBytes } from '../../../gateway/control/keys.js';
import { actionOf } from '../../../gateway/control/errors.js';
import type { VerifyResult } from '../../../gateway/control/contract.js';
import { bytesOf, context, generateKeys, signed, validBundle } from './bundle-fixtures.js';

const center = generateKeys();
const stranger = generateKeys();

function codes(result: VerifyResult): string[] {
  return result.ok ? [] : result.problems.map((p) => p.code);
}

t.test('a valid bundle is accepted with the exact bytes and defaults applied', async (t) => {
  const envelope = signed(validBundle(), center);
  const result = verifyEnvelope(envelope, context(center));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  t.equal(result.override, undefined, 'no override when the version is newer');
  t.same(result.bytes, Buffer.from(envelope.bundle, 'base64'));
  t.equal(result.bundle.version, 13);
  const source = result.bundle.sources[0]!;
  t.equal(source.kind === 'mysql' && source.timeZone, 'Asia/Shanghai', 'source defaults filled as in a local config');
  t.equal(source.kind === 'mysql' && source.pageSize > 0, true);
  const job = result.bundle.jobs[0]!;
  t.equal(job.mode, 'incremental', 'job mode defaults to incremental');
  t.equal(job.enabled, true);
  t.equal(job.mode === 'incremental' && job.safetyLagSecs, 5);
});

t.test('a catalog member is accepted and kept', async (t) => {
  const result = verifyEnvelope(signed(validBundle({ catalog: { note: 'kept' } }), center), context(center));
  t.equal(result.ok && result.bundle.catalog?.note, 'kept');
});

t.test('an envelope of the wrong shape is refused before anything else', async (t) => {
  for (const bad of [null, 'text', [], { version: 13, bundle: 'AAAA' }, { version: '13', bundle: 'AAAA', signature: 'AAAA' }, { version: 13, bundle: 'no base64!', signature: 'AAAA' }, { version: 13, bundle: 'AAAA', signature: 'AAAA', extra: 1 }]) {
    const result = verifyEnvelope(bad, context(center));
    t.same(codes(result), ['BUNDLE_ENVELOPE_INVALID'], JSON.stringify(bad));
  }
});

t.test('forged, truncated, re-signed and tampered bundles fail the signature and nothing more', async (t) => {
  const good = signed(validBundle(), center);
  const bytes = Buffer.from(good.bundle, 'base64');
  const forged = { ...good, signature: Buffer.alloc(64, 7).toString('base64') };
  const truncated = { ...good, bundle: bytes.subarray(0, bytes.length - 10).toString('base64') };
  const truncatedSignature = { ...good, signature: good.signature.slice(0, 40) };
  const reSigned = signed(validBundle(), stranger);
  const tamperedBytes = Buffer.from(bytes.toString('utf8').replace('10.1.2.3', '10.6.6.6'));
  const tampered = { ...good, bundle: tamperedBytes.toString('base64') };
  // Bytes that would not even parse must still be refused for their signature, not their content.
  const garbage = { ...good, bundle: Buffer.from('not json').toString('base64') };
  for (const [name, envelope] of Object.entries({ forged, truncated, truncatedSignature, reSigned, tampered, garbage })) {
    const result = verifyEnvelope(envelope, context(center));
    t.same(codes(result), ['BUNDLE_SIGNATURE_INVALID'], name);
    t.equal(!result.ok && result.version, 13, `${name}: the claimed version is reported`);
  }
  t.same(codes(verifyEnvelope(good, context(center, { publicKeyPem: 'not a key' }))), ['BUNDLE_SIGNATURE_INVALID'], 'an unreadable key verifies nothing');
});

t.test('signed bytes that are not a UTF-8 JSON object are refused', async (t) => {
  for (const bytes of [Buffer.from('not json'), Buffer.from('[1,2]'), Buffer.from([0xff, 0xfe, 0x7b, 0x7d])]) {
    const envelope = { version: 13, bundle: bytes.toString('base64'), signature: signBytes(bytes, center.privateKeyPem) };
    t.same(codes(verifyEnvelope(envelope, context(center))), ['BUNDLE_NOT_JSON']);
  }
});

t.test('the envelope version must be the bundle version', async (t) => {
  const envelope = { ...signed(validBundle(), center), version: 99 };
  t.same(codes(verifyEnvelope(envelope, context(center))), ['BUNDLE_VERSION_MISMATCH']);
});

t.test("a bundle for another gateway is refused, naming both", async (t) => {
  const result = verifyEnvelope(signed(validBundle({ gatewayId: 'gw-other' }), center), context(center));
  t.same(codes(result), ['BUNDLE_WRONG_GATEWAY']);
  t.match(!result.ok && result.problems[0]!.message, /gw-other.*gw-rsj-01/);
});

t.test('a version not above the running one is refused, unless the logged override allows it', async (t) => {
  for (const running of [13, 14]) {
    const result = verifyEnvelope(signed(validBundle(), center), context(center, { runningVersion: running }));
    t.same(codes(result), ['BUNDLE_VERSION_NOT_NEWER'], `running ${running}`);
    t.match(!result.ok && result.problems[0]!.message, new RegExp(`not newer than the running version ${running}`));
  }
  const overridden = verifyEnvelope(signed(validBundle(), center), context(center, { runningVersion: 14, allowOlderVersion: true }));
  t.equal(overridden.ok, true);
  t.equal(overridden.ok && overridden.override, true, 'the caller is told to log the override');
});

t.test('a bundle carrying a secret value is refused with the path, never the value', async (t) => {
  const doc = validBundle();
  const sources = doc.sources as Record<string, unknown>[];
  sources[0] = { ...sources[0], password: 'S3cr3t-Value!' };
  sources.push({ name: 'pg', kind: 'postgres', host: 'h', database: 'd', user: 'u', passwordRef: 'hr_db_password', options: { nested: { ApiKey: 'K3y-Value' } } });
  const result = verifyEnvelope(signed(doc, center), context(center));
  t.equal(result.ok, false);
  const inside = !result.ok ? result.problems.filter((p) => p.code === 'BUNDLE_SECRET_INSIDE') : [];
  t.same(inside.map((p) => p.path), ['sources[0].password', 'sources[1].options.nested.ApiKey']);
  const text = JSON.stringify(result);
  t.notMatch(text, /S3cr3t-Value/);
  t.notMatch(text, /K3y-Value/);
});

t.test('a secret value pasted into a …Ref member is never echoed as a secret name', async (t) => {
  const doc = validBundle();
  (doc.sources as Record<string, unknown>[])[0]!.passwordRef = 'pa ss w0rd!';
  const result = verifyEnvelope(signed(doc, center), context(center));
  t.same(codes(result), ['BUNDLE_SCHEMA_INVALID']);
  t.equal(!result.ok && result.problems[0]!.path, 'sources[0].passwordRef');
  t.notMatch(JSON.stringify(result), /pa ss w0rd!/);
});

t.test('schema problems are all reported, each with its path, as for a local configuration', async (t) => {
  const doc = validBundle({ issuedAt: 'yesterday', surprise: true });
  const jobs = doc.jobs as Record<string, unknown>[];
  jobs[0] = { ...jobs[0], query: 'DELETE FROM t_xzcf', source: 'nowhere' };
  const schemaOnly = verifyEnvelope(signed(doc, center), context(center));
  t.ok(codes(schemaOnly).every((c) => c === 'BUNDLE_SCHEMA_INVALID'));
  const paths = !schemaOnly.ok ? schemaOnly.problems.map((p) => p.path) : [];
  t.ok(paths.includes('issuedAt'), 'issuedAt');
  t.ok(paths.includes('surprise'), 'an unknown member');

  // References are checked once the schema holds, as in validate.ts.
  const refs = verifyEnvelope(signed(validBundle({ jobs: [{ ...(validBundle().jobs as object[])[0], query: 'DELETE FROM t_xzcf', source: 'nowhere' }] }), center), context(center));
  const byPath = new Map(!refs.ok ? refs.problems.map((p) => [p.path, p.message]) : []);
  t.match(byPath.get('jobs[0].query'), /single read-only SELECT or WITH/);
  t.match(byPath.get('jobs[0].source'), /no source named "nowhere"/);

  const wrongKind = verifyEnvelope(signed(validBundle({ sources: [{ name: 'x', kind: 'mysql', host: 'h', database: 'd', user: 'u', passwordRef: 'hr_db_password', port: 'many' }] }), center), context(center));
  t.same(!wrongKind.ok && wrongKind.problems.map((p) => p.path), ['sources[0].port'], 'the member of the source kind is named, not the whole union');

  const missing = verifyEnvelope(signed({ gatewayId: 'gw-rsj-01', version: 13 }, center), context(center));
  t.same(!missing.ok && missing.problems.map((p) => p.path).sort(), ['issuedAt', 'jobs', 'sources']);
});

t.test('a reference to a secret this gateway lacks is refused with its name and what to run', async (t) => {
  const result = verifyEnvelope(signed(validBundle(), center), context(center, { hasSecret: () => false }));
  t.same(codes(result), ['BUNDLE_SECRET_MISSING']);
  const problem = !result.ok ? result.problems[0]! : null;
  t.equal(problem?.path, 'sources[0].passwordRef');
  t.match(problem?.message, /"hr_db_password"/);
  t.match(problem && actionOf(problem), /credit-gateway secrets set hr_db_password/);
});

t.test('every problem of the content stage is collected, not just the first', async (t) => {
  const doc = validBundle({ issuedAt: 'soon' });
  (doc.sources as Record<string, unknown>[])[0]!.token = 'abc';
  const result = verifyEnvelope(signed(doc, center), context(center, { hasSecret: () => false }));
  t.same([...new Set(codes(result))].sort(), ['BUNDLE_SCHEMA_INVALID', 'BUNDLE_SECRET_INSIDE', 'BUNDLE_SECRET_MISSING']);
  t.ok(!result.ok && result.problems.every((p) => actionOf(p).length > 0), 'each problem says what to do');
});

t.test('bytesOf keeps the envelope honest', async (t) => {
  t.equal(Buffer.from(signed(validBundle(), center).bundle, 'base64').toString(), bytesOf(validBundle()).toString());
});

t.test('a source that would send a secret where the local configuration does not allow it is refused in verification, naming the secret and the host', async (t) => {
  const hostile = (source: Record<string, unknown>) =>
    verifyEnvelope(signed(validBundle({ sources: [{ name: 'hr_db', kind: 'mysql', database: 'hr', user: 'u', ...source }] }), center), context(center, { hasSecret: () => true }));
  const platform = hostile({ host: 'attacker.example', passwordRef: 'platform' });
  t.same(codes(platform), ['BUNDLE_SECRET_RESERVED']);
  if (!platform.ok) {
    t.equal(platform.problems[0]!.path, 'sources[0].passwordRef');
    t.match(platform.problems[0]!.message, /source "hr_db" .*secret "platform" may not be sent to attacker\.example:3306: it is the platform secret/);
    t.match(actionOf(platform.problems[0]!), /tell the credit center/);
  }
  const elsewhere = hostile({ host: '10.6.6.6', passwordRef: 'hr_db_password' });
  t.same(codes(elsewhere), ['BUNDLE_SECRET_NOT_ALLOWED']);
  if (!elsewhere.ok) {
    t.match(elsewhere.problems[0]!.message, /secret "hr_db_password" may not be sent to 10\.6\.6\.6:3306: the local configuration allows it only for 10\.1\.2\.3:3306/);
    t.match(actionOf(elsewhere.problems[0]!), /secrets\.allow\.hr_db_password/);
  }
  t.same(codes(hostile({ host: '10.1.2.3', port: 3307, passwordRef: 'hr_db_password' })), ['BUNDLE_SECRET_NOT_ALLOWED'], 'the allowed host at another port');
  t.same(codes(hostile({ host: '10.1.2.3', passwordRef: 'hr_db_password' })), [], 'the allowed host is accepted');
});

t.test('without the gateway\'s configuration (the center\'s own tool) bindings are not checked, and say so by being null', async (t) => {
  const doc = validBundle({ sources: [{ name: 'hr_db', kind: 'mysql', host: 'anywhere', database: 'hr', user: 'u', passwordRef: 'platform' }] });
  t.same(codes(verifyEnvelope(signed(doc, center), context(center, { hasSecret: () => true, bindings: null }))), []);
});
