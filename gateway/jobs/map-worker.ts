/**
 * The mapping thread's side (map-thread.ts): the job's row function built
 * from copies of its configuration and standard, then one page at a time.
 * With the source's options it also reads the pages it maps (a session of
 * its own, opened at its first read): the rows are then made where they
 * are mapped, and neither the driver's work nor a structured copy of the
 * rows falls on the main thread, which commits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { markUnreadable, type Row, type Source } from '../../connectors/contract.js';
import { openCreatedSource } from '../../connectors/registry.js';
import { mapQueued } from './queued-form.js';
import { mapRowFor } from './job-mapper.js';
import { positionOf } from './runner.js';
import type { MapReply, MapThreadInit, ThreadRequest } from './map-thread.js';

const init = workerData as MapThreadInit;
const mapRow = mapRowFor(init.job, init.standard, { gatewayId: init.gatewayId, standards: { codeTables: init.codeTables } });
const port = parentPort!;
/** Pages read here and not yet mapped, by the id of the read. */
const held = new Map<number, Row[]>();
let source: Promise<Source> | null = null;

function openSource(): Promise<Source> {
  source ??= openCreatedSource(init.source!);
  return source;
}

function failure(err: unknown): { name: string; message: string; code?: string } {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
}

async function read(request: Extract<ThreadRequest, { op: 'read' }>): Promise<MapReply> {
  let opened: Source;
  try {
    if (!init.source) throw new Error('no source was given to this thread');
    opened = await openSource();
  } catch (err) {
    source = null;
    return { id: request.id, openFailed: failure(err) };
  }
  try {
    const rows = await opened.readPage(request.request);
    const lastRow = rows[rows.length - 1];
    const columns = request.request.cursorColumns;
    const last = lastRow ? opened.positionOf?.(lastRow, columns) ?? positionOf(lastRow, columns) : null;
    held.set(request.id, rows);
    return { id: request.id, read: { count: rows.length, last } };
  } catch (err) {
    return { id: request.id, readFailed: failure(err) };
  }
}

function map(request: Exclude<ThreadRequest, { op: 'read' } | { op: 'close' }>): MapReply {
  try {
    let rows: Row[];
    if ('rowsOf' in request) {
      const kept = held.get(request.rowsOf);
      held.delete(request.rowsOf);
      if (!kept) throw new Error(`no page read under ${request.rowsOf} is held here`);
      rows = kept;
    } else {
      rows = request.rows;
      // A structured copy keeps a row's values, not the symbol-keyed marks of values the source could not read.
      for (const [index, marks] of request.unreadable) for (const mark of marks) markUnreadable(rows[index]!, mark);
    }
    return { id: request.id, page: mapQueued(mapRow, rows, request.observedAt) };
  } catch (err) {
    return { id: request.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

port.on('message', (request: ThreadRequest) => {
  if ('op' in request && request.op === 'read') {
    void read(request).then((reply) => port.postMessage(reply));
  } else if ('op' in request && request.op === 'close') {
    held.clear();
    const closing = source ? source.then((s) => s.close()).catch(() => undefined) : Promise.resolve();
    source = null;
    void closing.then(() => port.postMessage({ id: request.id, closed: true } satisfies MapReply));
  } else {
    port.postMessage(map(request));
  }
});
