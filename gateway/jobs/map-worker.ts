/**
 * The mapping thread's side (map-thread.ts): the job's row function built
 * from copies of its configuration and standard, then one page at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { markUnreadable } from '../../connectors/contract.js';
import { mapQueued } from './queued-form.js';
import { mapRowFor } from './job-mapper.js';
import type { MapReply, MapRequest, MapThreadInit } from './map-thread.js';

const init = workerData as MapThreadInit;
const mapRow = mapRowFor(init.job, init.standard, { gatewayId: init.gatewayId, standards: { codeTables: init.codeTables } });
const port = parentPort!;

port.on('message', (request: MapRequest) => {
  let reply: MapReply;
  try {
    // A structured copy keeps a row's values, not the symbol-keyed marks of values the source could not read.
    for (const [index, marks] of request.unreadable) for (const mark of marks) markUnreadable(request.rows[index]!, mark);
    reply = { id: request.id, page: mapQueued(mapRow, request.rows, request.observedAt) };
  } catch (err) {
    reply = { id: request.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  port.postMessage(reply);
});
