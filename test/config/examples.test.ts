/**
 * Every configuration shipped with the gateway loads, so none can rot: the
 * demo and one example per source kind, each with its secrets by reference.
 */
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigText } from '../../config/load.js';
import { Secrets } from '../../config/secrets.js';
import { connectorOptions, requireSecrets, secretReferences } from '../../config/source-options.js';
import { SecretBindings } from '../../config/secret-bindings.js';
import { LocalPaths } from '../../config/local-paths.js';
import { validateConfig } from '../../config/validate.js';
import { loadCatalog } from '../../gateway/catalog/index.js';
import { packageRoot } from '../../gateway/paths.js';
import { loadStandards } from '../../gateway/standards/index.js';
import { normaliseFieldCodes } from '../../gateway/validation/field-codes.js';

const dir = join(packageRoot(), 'config');
const files = [join(dir, 'demo.yaml'), ...readdirSync(join(dir, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, 'examples', f))];
const catalog = loadCatalog();
const standards = loadStandards();

t.test('there is an example for every source kind', async (t) => {
  const kinds = new Set(files.flatMap((f) => validateConfig(parseConfigText(readFileSync(f, 'utf8'), f)).sources.map((s) => s.kind)));
  t.same([...kinds].sort(), ['folder', 'mssql', 'mysql', 'oracle', 'postgres', 'sqlite']);
});

for (const file of files) {
  t.test(`${file.slice(dir.length + 1)} loads, names catalog categories, and keeps its secrets by reference`, async (t) => {
    const text = readFileSync(file, 'utf8');
    const config = validateConfig(parseConfigText(text, file));
    for (const job of config.jobs) {
      t.ok(catalog.byCode(job.category), `${job.name}: ${job.category} is in the catalog`);
      const codes = normaliseFieldCodes(job.fields, standards.standardFor(catalog.byCode(job.category)!));
      t.same(codes.errors, [], `${job.name}: every field code is in its category's data standard`);
    }
    const refs = secretReferences(config);
    t.throws(() => requireSecrets(config, new Secrets({})), { code: 'CONFIG_SECRET_MISSING' }, 'without secrets it says which are missing');
    const env = Object.fromEntries(refs.map((r) => [Secrets.envName(r.name), `value-of-${r.name}`]));
    const secrets = new Secrets({}, env);
    requireSecrets(config, secrets);
    config.sources.forEach((source, i) => {
      if (source.kind === 'folder') return;
      const options = connectorOptions(source, i, { baseDir: dir, secrets, bindings: new SecretBindings(config), paths: new LocalPaths(config, dir) }) as unknown as Record<string, unknown>;
      if (source.kind !== 'sqlite') {
        t.equal(options.password, `value-of-${source.passwordRef}`, `${source.name}: the password is resolved from its reference`);
        t.notOk('passwordRef' in options, 'and the reference is not passed on');
      }
    });
    t.notMatch(text, /password\s*:/i, 'no password is written in the file');
  });
}
