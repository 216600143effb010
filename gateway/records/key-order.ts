/**
 * The key lists of a job's records (its data, its subject), each sorted
 * once and kept with what writes an object of that shape in sorted order:
 * canonical JSON (serialize.ts) asks for it once per record and object, and
 * every record of a job has the same few shapes.
 */

export interface KeyOrder {
  given: readonly string[];
  /** By UTF-16 code units, as `<` on strings and the default sort order them. */
  sorted: string[];
  /**
   * Whether an object built in sorted order lists its keys in that order:
   * not when a key is an array index (those come first, in numeric order) or
   * `__proto__` (which sets the prototype rather than a member).
   */
  copyable: boolean;
  /**
   * A copy of a flat object of this shape, its keys in sorted order, or
   * undefined when one of its values is an object or array (which canonical
   * JSON sorts too). Made on first use; only for a copyable shape.
   */
  sortedCopy?: SortedCopy;
}

export type SortedCopy = (object: Record<string, unknown>) => Record<string, unknown> | undefined;

/** The lists kept are few and small; a list not seen lately is sorted anew. */
const SHAPES = 8;
const shapes: KeyOrder[] = [];

/** The order of an object's key list, `given` as Object.keys lists them. */
export function keyOrder(given: readonly string[]): KeyOrder {
  for (const known of shapes) if (sameKeys(known.given, given)) return known;
  const sorted = [...given].sort();
  const order: KeyOrder = { given, sorted, copyable: !sorted.some((key) => key === '__proto__' || isArrayIndex(key)) };
  if (shapes.length === SHAPES) shapes.pop();
  shapes.unshift(order);
  return order;
}

/**
 * The order of a shape already seen, recognised by walking the object's keys in place: every record's data
 * and subject come here, and Object.keys would make a list of them each time.
 */
export function knownOrder(object: Record<string, unknown>): KeyOrder | undefined {
  for (let s = 0; s < shapes.length; s++) if (hasKeys(object, shapes[s]!.given)) return shapes[s];
  return undefined;
}

/**
 * Whether the object's own enumerable keys are `keys`, in that order. for…in lists an object's own keys
 * first, in Object.keys order, then any enumerable ones it inherits: when the last key listed is its
 * own, so are all before it, and one owner check does for all.
 */
export function hasKeys(object: Record<string, unknown>, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in object) {
    if (keys[i] !== key) return false;
    i++;
  }
  return i === keys.length && (i === 0 || Object.hasOwn(object, keys[i - 1]!));
}

/** The same keys in the same order: how a per-shape memo recognises an object's key list. */
export function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isArrayIndex(key: string): boolean {
  return /^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/** The shape's sorted copy, made once: `order` must be copyable. */
export function sortedCopyOf(order: KeyOrder): SortedCopy {
  return (order.sortedCopy ??= compiledCopy(order.sorted) ?? loopCopy(order.sorted));
}

/**
 * The copy written out as one function of the shape's own keys: each value read by its name and the copy
 * made from one object literal, where a loop reads and writes every key through the same two sites, each
 * seeing 20-odd names (V8's slowest kind of property access), and checks its values in a pass of its own.
 * Measured on the benchmark's 行政处罚 data: a record's fingerprint about 2 µs sooner. Keys are written as
 * JSON string literals, which JavaScript reads as the same strings: configuration cannot become code.
 */
function compiledCopy(keys: readonly string[]): SortedCopy | undefined {
  const names = keys.map((key) => JSON.stringify(key));
  const values = keys.map((_, i) => `v${i}`);
  const body = [
    `const ${names.map((name, i) => `${values[i]} = o[${name}]`).join(', ')};`,
    `if (${values.map((v) => `(typeof ${v} === 'object' && ${v} !== null)`).join(' || ') || 'false'}) return undefined;`,
    `return {${names.map((name, i) => `${name}: ${values[i]}`).join(', ')}};`,
  ].join('\n');
  try {
    return new Function('o', body) as SortedCopy;
  } catch {
    // Code generation refused (node --disallow-code-generation-from-strings): the loop gives the same copy.
    return undefined;
  }
}

function loopCopy(keys: readonly string[]): SortedCopy {
  // A copy of the shape's template has its keys already, in order: filling them in keeps it a fast
  // object, where one given 20-odd keys one by one becomes a dictionary that stringifies slower.
  const template: Record<string, unknown> = {};
  for (const key of keys) template[key] = null;
  const fast = { ...template };
  return (object) => {
    const sorted: Record<string, unknown> = { ...fast };
    for (let i = 0; i < keys.length; i++) {
      const value = object[keys[i]!];
      if (typeof value === 'object' && value !== null) return undefined;
      sorted[keys[i]!] = value;
    }
    return sorted;
  };
}
