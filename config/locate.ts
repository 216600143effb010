/**
 * Where a member of a configuration file is written: its line and column,
 * found from its path (`jobs[0].fields.CF_NR`) in the YAML document's nodes.
 * A member that is not written (a missing one, or a default) points at the
 * nearest written member around it, so the person fixing it looks in the
 * right place. JSON is YAML too: both are located.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export interface Location {
  line: number;
  column: number;
}

/** `jobs[0].fields.CF_NR` → ['jobs', 0, 'fields', 'CF_NR']. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    segments.push(part.startsWith('[') ? Number(part.slice(1, -1)) : part);
  }
  return segments;
}

export interface LocatedDocument {
  doc: Document;
  lines: LineCounter;
  /** The line and column of the member at `path`, or of the nearest written member around it. */
  locate(path: string): Location;
}

export function parseLocated(text: string): LocatedDocument {
  const lines = new LineCounter();
  // Unique keys are the document's business to report (as syntax problems), not to drop silently.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number): Location => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  return {
    doc,
    lines,
    locate(path: string): Location {
      let node: unknown = doc.contents;
      // The start of the last node found: the key of a member, so the line shows its name.
      let found: number = (doc.contents as Node | null)?.range?.[0] ?? 0;
      for (const segment of pathSegments(path)) {
        if (typeof segment === 'number' && isSeq(node)) {
          const item = node.items[segment] as Node | undefined;
          if (!item?.range) break;
          found = item.range[0];
          node = item;
        } else if (isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
          if (!pair) break;
          const key = pair.key as Node;
          if (key.range) found = key.range[0];
          node = pair.value;
        } else {
          break;
        }
      }
      return at(found);
    },
  };
}
