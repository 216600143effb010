import t from 'tap';
import { classifyName } from '../../../connectors/files/naming.js';
import { routeFile, type RoutedProfile } from '../../../gateway/files/file-route.js';

const isCategory = (code: string) => code.toUpperCase() === 'P07-002';
const route = (name: string, profiles: RoutedProfile[]) => {
  const verdict = classifyName(name);
  if (verdict.kind !== 'data') throw new Error(`${name} is not data`);
  return routeFile(name, verdict, profiles, isCategory);
};
const byName: RoutedProfile = { matchesName: (f) => f.startsWith('教师资格认定'), signature: [] };
const bySignature: RoutedProfile = { matchesName: () => false, signature: ['证书号码'] };

t.test('with no profile, a name must start with a category code, as before profiles', async (t) => {
  t.same(route('P07-002_11.xlsx', []), { way: 'template', format: 'xlsx', category: 'P07-002' });
  t.same(route('P99-999_11.xlsx', []), { way: 'template', format: 'xlsx', category: 'P99-999' }, 'an unknown code is the template way\'s FILE_CATEGORY_UNKNOWN');
  t.same(route('教师资格认定2017.xls', []), { way: 'unnamed' });
});

t.test('a profile\'s name pattern comes first, then a catalog code, then header signatures', async (t) => {
  t.match(route('教师资格认定2017.xls', [byName, bySignature]), { way: 'profiles', format: 'xls', byName: true, candidates: [byName] });
  t.match(route('P07-002_11.xlsx', [byName, bySignature]), { way: 'template', category: 'P07-002' });
  t.match(route('导出.xls', [byName, bySignature]), { way: 'profiles', byName: false, candidates: [bySignature] });
  t.match(route('jszg_2017.xls', [byName, bySignature]), { way: 'profiles', byName: false }, 'a code the catalog lacks is offered to the signatures');
  t.same(route('导出.xls', [byName]), { way: 'none' }, 'no profile can claim it by its headers: FILE_PROFILE_NONE');
});
