/**
 * The delivery thread's side (wire-thread.ts): the platform client, its
 * connections and its clock live here, so that a request goes out and its
 * answer comes in while the main thread commits pages. It keeps nothing
 * durable: every decision about an answer is the main thread's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PlatformClient } from './client.js';
import type { BatchBody } from './batch-body.js';
import type { DeliveryLogger } from './contract.js';
import type { WireInit, WireReply, WireRequest } from './wire-protocol.js';

const port = parentPort!;
const send = (reply: WireReply) => port.postMessage(reply);
const log = (level: 'debug' | 'info' | 'warn' | 'error') => (obj: object, msg?: string) => send({ type: 'log', level, obj, ...(msg === undefined ? {} : { msg }) });
const logger: DeliveryLogger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };

const init = workerData as WireInit;
// The main thread made a client from the same options before starting this thread: they are valid.
const client = new PlatformClient({ ...init, logger });
const prepared = new Map<number, Promise<BatchBody>>();
const inFlight = new Map<number, AbortController>();

port.on('message', (request: WireRequest) => {
  switch (request.op) {
    case 'prepare': {
      const body = client.compress(Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength));
      // Awaited by its post; a body never posted must not leave a rejection unhandled.
      body.catch(() => undefined);
      prepared.set(request.token, body);
      return;
    }
    case 'forget':
      prepared.delete(request.token);
      return;
    case 'post': {
      const body = prepared.get(request.token);
      prepared.delete(request.token);
      answer(request.id, (signal) => body
        ? client.postBody(request.batchId, request.records, body, signal)
        : Promise.resolve({ error: { code: 'DELIVERY_THREAD_FAILED', message: `the body of batch ${request.batchId} was not made on the delivery thread` } }));
      return;
    }
    case 'heartbeat':
      answer(request.id, (signal) => client.heartbeat(request.body, signal));
      return;
    case 'abort':
      inFlight.get(request.id)?.abort();
      return;
    case 'close':
      void client.close().finally(() => send({ type: 'closed' }));
      return;
  }
});

function answer(id: number, call: (signal: AbortSignal) => Promise<Extract<WireReply, { type: 'answer' }>['response']>): void {
  const controller = new AbortController();
  inFlight.set(id, controller);
  void call(controller.signal)
    .catch((err: unknown) => ({ error: { code: 'DELIVERY_THREAD_FAILED', message: err instanceof Error ? err.message : String(err) } }))
    .then((response) => {
      inFlight.delete(id);
      send({ type: 'answer', id, response, clock: client.clock() });
    });
}
