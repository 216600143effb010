import t from 'tap';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { keyOrder, sortedCopyOf } from '../../../gateway/records/key-order.js';

/** Keys a configuration could hold that mean something to JavaScript source, each with a value of its own. */
const ODD_KEYS = ['b"q', "a'q", 'back\\slash', 'line\nbreak', 'sep\u2028arator', '${x}', '*/ }); throw 1; ({', 'constructor', 'toString', '中文字段', 'Z', 'a'];

function sample(): Record<string, unknown> {
  return Object.fromEntries(ODD_KEYS.map((key, i) => [key, i % 3 === 0 ? null : i % 3 === 1 ? `值${i}` : i + 0.5]));
}

t.test('a sorted copy has the object\'s keys in sorted order and its values, whatever the keys say', async (t) => {
  const object = sample();
  const copy = sortedCopyOf(keyOrder(Object.keys(object)))(object);
  t.same(Object.keys(copy!), [...ODD_KEYS].sort());
  for (const key of ODD_KEYS) t.equal(copy![key], object[key], JSON.stringify(key).replace(/[^\x20-\x7e]/g, '?'));
  t.equal(Object.getPrototypeOf(copy), Object.prototype);
});

t.test('an object with a value that is itself an object or array has no flat copy', async (t) => {
  const copy = sortedCopyOf(keyOrder(['a', 'b']));
  t.equal(copy({ a: 1, b: { c: 1 } }), undefined);
  t.equal(copy({ a: [], b: 1 }), undefined);
  t.same(copy({ a: null, b: undefined }), { a: null, b: undefined });
});

t.test('where code may not be made from text, the copy is the same', async (t) => {
  const module = fileURLToPath(new URL('../../../gateway/records/key-order.js', import.meta.url));
  const script = `
    const { keyOrder, sortedCopyOf } = await import(${JSON.stringify(module)});
    const object = ${JSON.stringify(sample())};
    const copy = sortedCopyOf(keyOrder(Object.keys(object)))(object);
    let refused = false;
    try { new Function('return 1'); } catch { refused = true; }
    process.stdout.write(JSON.stringify({ refused, copy, nested: sortedCopyOf(keyOrder(['a']))({ a: {} }) === undefined }));
  `;
  const out = JSON.parse(execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script], { encoding: 'utf8' })) as Record<string, unknown>;
  t.ok(out.refused, 'the flag refuses new Function');
  const object = sample();
  t.equal(JSON.stringify(out.copy), JSON.stringify(sortedCopyOf(keyOrder(Object.keys(object)))(object)));
  t.ok(out.nested);
});
