import t from 'tap';
import { closeIdentifiers, closeMatches, editDistance, nameCore, similarity } from '../../../gateway/catalog/close-matches.js';

t.test('the 市…局 frame of department names is set aside', async (t) => {
  t.equal(nameCore('市地税局'), '地税');
  t.equal(nameCore('黄石市中级人民法院'), '中级人民法院');
  t.equal(nameCore('市城乡建设委员会'), '城乡建设');
});

t.test('similarity: containment is full, otherwise shared characters of the cores', async (t) => {
  t.equal(similarity('红十字', '市红十字会'), 1);
  t.equal(similarity('市税务局', '市地税局'), 0.5);
  t.equal(similarity('市公安局', '市工商局'), 0);
  t.equal(similarity('', '市工商局'), 0);
});

t.test('closeMatches ranks best first, drops weak ones and caps the list', async (t) => {
  const candidates = ['市公安局', '市安监局', '市工商局'].map((name) => ({ item: name, names: [name] }));
  t.same(closeMatches('公安', candidates), ['市公安局', '市安监局']);
  t.same(closeMatches('公安', candidates, 1), ['市公安局']);
  t.same(closeMatches('气象', candidates), []);
});

t.test('identifiers: the nearest by edit distance, in order, case aside', async (t) => {
  t.equal(editDistance('CF_NRR', 'CF_NR'), 1);
  t.equal(editDistance('处罚内容', '处罚类容'), 1);
  t.same(closeIdentifiers('CF_NRR', ['CF_NR', 'CF_FR', 'CF_RN', 'CF_WSH']), ['CF_NR'], 'only the nearest: one letter off, not two');
  t.same(closeIdentifiers('cursr', ['cursor', 'key', 'query']), ['cursor']);
  t.same(closeIdentifiers('Cursor', ['cursor']), ['cursor'], 'a name that differs only in case is offered');
  t.same(closeIdentifiers('tyshxydmm', ['tyshxydm', 'xm', 'id']), ['tyshxydm']);
  t.same(closeIdentifiers('zzzz', ['cursor', 'key']), [], 'nothing near: nothing offered');
  t.same(closeIdentifiers('key', ['key']), [], 'the name itself is not offered');
});
