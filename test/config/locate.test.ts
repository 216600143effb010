import t from 'tap';
import { parseLocated, pathSegments } from '../../config/locate.js';

const YAML = `gateway:
  id: hs-test
jobs:
  - name: penalties
    fields:
      CF_NR: content
      CF_JDRQ: { column: punish_date, date: YYYYMMDD }
`;

t.test('a member path is split into names and indexes', async (t) => {
  t.same(pathSegments('jobs[0].fields.CF_NR'), ['jobs', 0, 'fields', 'CF_NR']);
  t.same(pathSegments('control.allowPaths[2]'), ['control', 'allowPaths', 2]);
  t.same(pathSegments(''), []);
});

t.test('a written member is found at its name; an item at its first member', async (t) => {
  const { locate } = parseLocated(YAML);
  t.same(locate('gateway.id'), { line: 2, column: 3 });
  t.same(locate('jobs[0].fields.CF_NR'), { line: 6, column: 7 });
  t.same(locate('jobs[0].fields.CF_JDRQ.date'), { line: 7, column: 39 });
  t.same(locate('jobs[0]'), { line: 4, column: 5 });
});

t.test('a member not written points at the nearest written member around it', async (t) => {
  const { locate } = parseLocated(YAML);
  t.same(locate('gateway.department'), { line: 1, column: 1 }, 'a missing member: its parent');
  t.same(locate('jobs[0].cursor'), { line: 4, column: 5 }, 'a missing member of an item: the item');
  t.same(locate('jobs[3].name'), { line: 3, column: 1 }, 'an item that is not there: the list');
  t.same(locate('status.host'), { line: 1, column: 1 }, 'a section left to its defaults: the start of the file');
});

t.test('JSON is located too', async (t) => {
  const { locate } = parseLocated('{\n  "gateway": {\n    "id": "hs-test"\n  }\n}\n');
  t.same(locate('gateway.id'), { line: 3, column: 5 });
});
