/** HTTP pieces of the status page's downloads (the rejection CSV itself is gateway/rejections/csv.ts). */
import { StringDecoder } from 'node:string_decoder';
import { maskIdNumbersIn } from '../identifiers/mask.js';

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * A CSV file's text, masked line by line on its way out (an identity
 * number never spans lines), so a report of any size streams and no
 * number leaves whole: a drop folder's report quotes the file's values.
 */
export async function* maskedLines(bytes: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of bytes) {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    const end = rest.lastIndexOf('\n');
    if (end < 0) continue;
    yield maskIdNumbersIn(rest.slice(0, end + 1));
    rest = rest.slice(end + 1);
  }
  rest += decoder.end();
  if (rest !== '') yield maskIdNumbersIn(rest);
}
