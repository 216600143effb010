/**
 * Which layer may import which: the control plane and the probe sit below
 * the status page (the page shows them; they never reach into it for words
 * or verdicts, which live in gateway/i18n), and connectors know nothing of
 * the gateway (catalog, store, platform). Read from the sources, so a new
 * import across a line fails here, named.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import t from 'tap';
import { packageRoot } from '../../gateway/paths.js';

const root = packageRoot();

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

/** Every file `file` imports (static, dynamic and type-only), as a path from the package root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!);
  return specs.map((s) => relative(root, resolve(join(root, dirname(file)), s)));
}

function crossings(dirs: string[], forbidden: string): string[] {
  return dirs.flatMap(sources).flatMap((file) => importsOf(file).filter((target) => target.startsWith(forbidden)).map((target) => `${file} → ${target}`));
}

t.test('the control plane and the probe never import the status page', async (t) => {
  t.ok(sources('gateway/probe').length > 0 && sources('gateway/control').length > 0, 'the sources are read');
  t.same(crossings(['gateway/control', 'gateway/probe'], 'gateway/status/'), []);
});

t.test('connectors never import the gateway', async (t) => {
  t.ok(sources('connectors').length > 0);
  t.same(crossings(['connectors'], 'gateway/'), []);
});
