/** How a raw value appears in a clerk's message. */
import type { Value } from '../../connectors/contract.js';

/** Enough of a raw value to recognise it, not a whole cell of text. */
export function quoteRaw(value: Value): string {
  const text = String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
