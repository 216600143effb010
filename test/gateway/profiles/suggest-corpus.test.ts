/**
 * `profile suggest` on exports of the corpus, as the national and provincial
 * systems write them: for every field whose header in the export is the data
 * standard's own name, code or alias, the proposal maps it to that header,
 * as the hand-written profile of the corpus does.
 */
import t from 'tap';
import { buildCorpus } from '../../helpers/exports/corpus.js';
import { gspCertificates } from '../../helpers/exports/exports-csv.js';
import { taxCredit } from '../../helpers/exports/exports-tax.js';
import { labourPenalties } from '../../helpers/exports/exports-xls.js';
import type { Profile } from '../../helpers/exports/spec.js';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { readSample } from '../../../gateway/profiles/suggest/read-sample.js';
import { suggestProfiles } from '../../../gateway/profiles/suggest/index.js';
import { lookupHeader } from '../../../gateway/standards/headers.js';
import { standardFor } from '../../../gateway/standards/index.js';

const catalog = loadCatalog();

/** The export header a profile's field rule reads, when it reads exactly one column as it is. */
function columnOf(rule: Profile['fields'][string]): string | null {
  if (typeof rule === 'string') return rule;
  return typeof rule.column === 'string' && rule.const === undefined && rule.firstOf === undefined && rule.concat === undefined ? rule.column : null;
}

/** The header as the part the standard names: the lower cell of a `上/下` two-row header. */
const lowerOf = (header: string): string => header.slice(header.lastIndexOf('/') + 1);

for (const make of [labourPenalties, taxCredit, gspCertificates]) {
  const spec = make(0);
  t.test(`${spec.what}: the fields the standard names are mapped as the hand-written profile maps them`, async (t) => {
    const [built] = await buildCorpus(t.testdir({}), 0, [make]);
    const expected = spec.profiles[0]!;
    const category = catalog.byCode(expected.category)!;
    const standard = standardFor(category);
    const sample = await readSample(built!.path);
    const suggestion = suggestProfiles({ sample, candidates: [category], standardFor: (c) => standardFor(c) });
    t.equal(suggestion.proposals.length, 1, 'one profile for the export');
    const proposed = suggestion.proposals[0]!.profile;
    t.equal(proposed.category, expected.category);

    const named = Object.entries(expected.fields).flatMap(([field, rule]) => {
      const header = columnOf(rule);
      if (header === null) return [];
      const match = lookupHeader(standard, lowerOf(header));
      return match.kind === 'field' && match.field.code === field ? [[field, header] as const] : [];
    });
    t.ok(named.length >= 3, `${named.length} fields of the export are headed by the standard's own names`);
    for (const [field, header] of named) {
      const rule = proposed.fields[field];
      t.equal(rule === undefined ? undefined : typeof rule === 'string' ? rule : rule.column, header, `${field} ← ${header}`);
    }
  });
}
