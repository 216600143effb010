// npm test's pretest, after `npm run build`: the tests and the programs they
// start, transpiled to dist/test so that no test process loads a TypeScript
// loader (about a second apiece, with 250 files). Transpiled only, like the
// loader did: imports of the gateway resolve to its tsc build in dist/.
// dist/test is rebuilt whole, so a removed test cannot linger there.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist/test', { recursive: true, force: true });
await build({
  entryPoints: ['test/**/*.ts'],
  outdir: 'dist/test',
  outbase: 'test',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
