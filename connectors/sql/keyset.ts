/**
 * Keyset pagination without OFFSET: rows strictly after a position in the
 * order of the cursor columns. Written as an expanded OR-chain rather than a
 * row-value comparison because not every dialect has row values.
 *
 *   (c1 > ?) OR (c1 = ? AND c2 > ?) OR (c1 = ? AND c2 = ? AND c3 > ?)
 */
export interface KeysetSql {
  where: string;
  params: unknown[];
}

export function keysetPredicate(quotedColumns: string[], after: unknown[], placeholder: (index: number) => string): KeysetSql {
  if (after.length !== quotedColumns.length) {
    throw new Error(`cursor has ${after.length} values for ${quotedColumns.length} columns`);
  }
  const params: unknown[] = [];
  const next = (value: unknown) => {
    params.push(value);
    return placeholder(params.length);
  };
  const terms = quotedColumns.map((column, i) => {
    const equal = quotedColumns.slice(0, i).map((c, j) => `${c} = ${next(after[j])}`);
    return `(${[...equal, `${column} > ${next(after[i])}`].join(' AND ')})`;
  });
  return { where: terms.join(' OR '), params };
}
