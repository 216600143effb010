// Run before the suite (npm's pretest): tap rebuilds itself for the plugin
// list in package.json on its first run, but the test processes of that run
// are still started with the loaders of the build it began with: on a fresh
// install (CI), every test file loaded tap's TypeScript and mock loaders,
// which package.json leaves out and test-process.mjs then had to shed,
// about a second a file. Rebuilding first (about 10 s) spares the suite
// that, and costs nothing once the build matches.
import { spawnSync } from 'node:child_process';
import { TapConfig } from '@tapjs/config';
import { signature } from '@tapjs/test';

const config = await TapConfig.load();
if (config.pluginSignature !== signature) {
  const tap = spawnSync(process.execPath, [new URL('../../node_modules/tap/dist/esm/run.mjs', import.meta.url).pathname, 'build'], { stdio: 'inherit' });
  process.exit(tap.status ?? 1);
}
