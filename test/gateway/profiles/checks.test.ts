import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { validateConfig } from '../../../config/validate.js';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { profileProblems, profileSourceProblems } from '../../../gateway/profiles/checks.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import { besideTest } from '../../helpers/beside.js';

/** The profile the README's drop-folder section shows, as a clerk would paste it. */
function readmeProfiles(): unknown {
  const readme = readFileSync(besideTest(import.meta.url, '../../../README.md'), 'utf8');
  const start = readme.indexOf('```yaml\nprofiles:\n');
  const end = readme.indexOf('```\n', start + 8);
  return (parse(readme.slice(start + 8, end)) as { profiles: unknown }).profiles;
}

t.test('the README\'s profile for a provincial system\'s export passes every check config check makes', async (t) => {
  const config = validateConfig({
    gateway: { id: 'hs-sjj', department: '市食品药品监督管理局' },
    platform: { url: 'https://platform.example/exchange', secretRef: 'platform' },
    sources: [{ name: 'drop', kind: 'folder', path: './drop' }],
    profiles: readmeProfiles(),
  });
  t.same(profileProblems(config.profiles, { catalog: loadCatalog(), standards: loadStandards(), folders: ['drop'] }), []);
});

t.test('a profile\'s folders are checked against the folders in effect', async (t) => {
  const config = validateConfig({
    gateway: { id: 'hs-sjj', department: '市食品药品监督管理局' },
    platform: { url: 'https://platform.example/exchange', secretRef: 'platform' },
    sources: [{ name: 'drop', kind: 'folder', path: './drop' }],
    profiles: readmeProfiles(),
  });
  t.same(profileSourceProblems(config.profiles, ['drop']), []);
  t.match(profileSourceProblems(config.profiles, ['exports'], 'bundle.profiles'), [{ path: 'bundle.profiles[0].sources[0]', code: 'CONFIG_REFERENCE', given: 'drop', candidates: ['exports'] }]);
});
