/**
 * PostgreSQL's text form of an array ('{1,2,NULL}', '{{a,b},{c,d}}',
 * '[0:1]={x,y}', '{"a,b","say \"hi\""}') parsed into nested arrays of the
 * elements' own text forms. Elements are not converted further: an array of
 * timestamps yields the server's text of each timestamp, so a job that needs
 * normalised elements converts them in SQL (e.g. array_to_json, unnest).
 */
export type PgArray = (string | null | PgArray)[];

export function parsePostgresArray(text: string, delimiter = ','): PgArray {
  // Explicit lower bounds ('[0:1]=') say where indexing starts; the elements are the same.
  const body = text.startsWith('[') ? text.slice(text.indexOf('=') + 1) : text;
  let i = 0;

  const fail = (): never => {
    throw new Error(`not a PostgreSQL array literal: ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`);
  };

  const parseArray = (): PgArray => {
    if (body[i] !== '{') fail();
    i++;
    const out: PgArray = [];
    if (body[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      out.push(parseElement());
      const c = body[i++];
      if (c === '}') return out;
      if (c !== delimiter) fail();
    }
  };

  const parseElement = (): string | null | PgArray => {
    if (body[i] === '{') return parseArray();
    if (body[i] === '"') {
      i++;
      let value = '';
      for (;;) {
        const c = body[i++];
        if (c === undefined) fail();
        if (c === '"') return value;
        value += c === '\\' ? (body[i++] ?? fail()) : c;
      }
    }
    const start = i;
    while (i < body.length && body[i] !== delimiter && body[i] !== '}') i++;
    const bare = body.slice(start, i).trim();
    // Only an unquoted NULL is the null element; "NULL" in quotes is the word.
    return bare.toUpperCase() === 'NULL' ? null : bare;
  };

  const parsed = parseArray();
  if (i !== body.length) fail();
  return parsed;
}
