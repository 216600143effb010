import t from 'tap';
import { checkBundleDocument, secretReferences, secretValuePaths } from '../../config/bundle.js';
import { validBundle } from '../gateway/control/bundle-fixtures.js';

t.test('a bundle gets the defaults a local configuration gets, and the document given is left alone', async (t) => {
  const doc = validBundle();
  const before = JSON.stringify(doc);
  const { bundle, problems } = checkBundleDocument(doc);
  t.same(problems, []);
  t.equal(bundle?.jobs[0]?.mode, 'incremental');
  t.equal(bundle?.sources[0]?.kind === 'mysql' && bundle.sources[0].connectTimeoutMs > 0, true);
  t.equal(JSON.stringify(doc), before);
});

t.test('sources and jobs are checked per kind and mode, with paths', async (t) => {
  const doc = validBundle();
  (doc.sources as Record<string, unknown>[]).push({ name: 'files', kind: 'ftp' });
  (doc.jobs as Record<string, unknown>[]).push({ ...(doc.jobs as object[])[0], name: 'snap', mode: 'snapshot', cursor: ['id'] });
  const { bundle, problems } = checkBundleDocument(doc);
  t.equal(bundle, null);
  t.same(problems.map((p) => p.path).sort(), ['jobs[1].cursor', 'sources[1].kind']);
  t.match(problems.find((p) => p.path === 'sources[1].kind')?.message, /must be one of sqlite, mysql/);
});

t.test('names and references are checked once the schema holds', async (t) => {
  const doc = validBundle();
  (doc.jobs as Record<string, unknown>[]).push({ ...(doc.jobs as object[])[0], cursor: ['updated_at'] });
  const { problems } = checkBundleDocument(doc);
  t.same(problems.map((p) => p.path).sort(), ['jobs[0].name', 'jobs[1].cursor', 'jobs[1].name']);
});

t.test('the top level is the bundle’s, not a local configuration’s', async (t) => {
  const { problems } = checkBundleDocument({ ...validBundle(), version: 0, gateway: { id: 'x' } });
  t.same(problems.map((p) => p.path).sort(), ['gateway', 'version']);
  t.same(checkBundleDocument([]).problems, [{ path: '', message: 'expected a JSON object at the top level' }]);
  t.same(checkBundleDocument(validBundle({ issuedAt: '2026-02-31T25:00:00Z' })).problems.map((p) => p.path), ['issuedAt']);
});

t.test('secret values are found by member name at any depth; references are not values', async (t) => {
  const doc = { a: { Password: 'x', passwordRef: 'ok', nested: [{ api_key: 'k' }, { privateKey: 'p' }] }, pwd: 1, clientToken: 't', secret_ref: 's' };
  t.same(secretValuePaths(doc), ['a.Password', 'a.nested[0].api_key', 'a.nested[1].privateKey', 'pwd', 'clientToken']);
  t.same(secretReferences(doc), [{ path: 'a.passwordRef', name: 'ok' }, { path: 'secret_ref', name: 's' }]);
  t.same(secretReferences({ passwordRef: 'not a name!' }), [], 'a malformed name is never taken for a name');
});
