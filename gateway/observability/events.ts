/**
 * What happened in the gateway, as typed events: the logs, the Prometheus
 * metrics and the status page count the same facts. The composition root
 * emits them; subscribers (log-events.ts, metrics.ts) never reach back.
 */
import type { DeliveryEvent } from '../delivery/events.js';

export type GatewayEvent =
  /**
   * One page of rows committed by a job or a dropped file (one category each):
   * read = Page.rowsRead; queued, unchanged, rejected = the store's PageResult
   * (queued counts deletes too); deleted = how many of the queued are deletes.
   */
  | { type: 'page_committed'; job: string; source: string; category: string; read: number; queued: number; unchanged: number; rejected: number; deleted: number }
  /** A job run ended; code (a catalogue code) when it failed. */
  | { type: 'job_finished'; job: string; source: string; ok: boolean; durationMs: number; code?: string }
  /** A source failed to answer: a catalogue code, never the driver's message (it may hold a host or a user). */
  | { type: 'source_error'; source: string; code: string }
  /** A drop-folder file done with; file is its name (logged, never a metric label). */
  | { type: 'file_processed'; source: string; file: string; status: 'processed' | 'rejected'; code?: string }
  /** A configuration bundle's fate; via says where it came from (e.g. 'platform', 'admin', 'local'). */
  | { type: 'config_outcome'; version: number; status: 'applied' | 'rejected' | 'rolled_back'; via: string }
  | { type: 'heartbeat'; ok: boolean; clockOffsetMs: number | null }
  /**
   * Reading paused for lack of room on disk, or resumed (reason null); code is
   * the catalogue code of the pause (STORE_DISK_FULL, STORE_LOW_SPACE,
   * STORE_SIZE_CAP), was the reason before. Delivery never pauses for it.
   */
  | { type: 'disk_pressure'; paused: boolean; reason: 'disk_full' | 'low_space' | 'size_cap' | null; was: 'disk_full' | 'low_space' | 'size_cap' | null; code: string | null; freeBytes: number; storeBytes: number }
  /**
   * Delivery's own events, passed on as they come (`onEvent: (e) => bus.emit(e)`):
   * batch_delivered carries durationMs (the POST's round trip) and the categories it held.
   */
  | DeliveryEvent;

export type GatewayEventType = GatewayEvent['type'];

export type EventListener = (event: GatewayEvent) => void;

/** A synchronous fan-out: a listener that throws is logged by the caller and never stops the others. */
export class EventBus {
  readonly #listeners: EventListener[] = [];
  readonly #onListenerError: (err: unknown, event: GatewayEvent) => void;

  constructor(onListenerError: (err: unknown, event: GatewayEvent) => void = () => undefined) {
    this.#onListenerError = onListenerError;
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }

  emit(event: GatewayEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (err) {
        this.#onListenerError(err, event);
      }
    }
  }
}
