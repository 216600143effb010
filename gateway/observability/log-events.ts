import type { EventBus, GatewayEvent } from './events.js';

/**
 * The log side of the typed events: one structured line per event, with the
 * same fields the metrics count. Routine progress (a page, an answered
 * heartbeat) is debug, so an info log is not a line per page; failures are
 * warn; outcomes someone acts on (a job run, a file, a configuration) are
 * info when they went well.
 *
 * Delivery events are debug here: the deliverer writes its own info/warn/
 * error line for each, with its component binding, and an operator should
 * not read every batch twice. The debug line adds the per-category counts.
 */

/** The logger calls made here; a pino logger (or a child) fits. */
export interface EventLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Subscribes; returns the unsubscribe. */
export function logEvents(bus: EventBus, logger: EventLogger): () => void {
  return bus.subscribe((event) => logEvent(event, logger));
}

export function logEvent(event: GatewayEvent, log: EventLogger): void {
  const { type, ...fields } = event;
  const line = { event: type, ...fields };
  switch (event.type) {
    case 'page_committed':
      return log.debug(line, 'page committed');
    // The runtime writes its own info/warn line for each run, with the run's summary or error.
    case 'job_finished':
      return log.debug(line, event.ok ? 'job run finished' : 'job run failed');
    case 'source_error':
      return log.debug(line, 'source error');
    case 'file_processed':
      return event.status === 'processed' ? log.info(line, 'file processed') : log.warn(line, 'file rejected');
    // Control and the heartbeat write their own lines, with the reasons.
    case 'config_outcome':
      return log.debug(line, `configuration ${event.status}`);
    case 'heartbeat':
      return log.debug(line, event.ok ? 'heartbeat answered' : 'heartbeat failed');
    case 'disk_pressure':
      return event.paused
        ? log.warn(line, 'reading paused: not enough room on disk for the store; delivery and acknowledgements go on')
        : log.info(line, 'reading resumed: there is room on disk again');
    case 'batch_delivered':
      return log.debug(line, event.duplicate ? 'batch delivered (duplicate)' : 'batch delivered');
    case 'batch_rejected':
      return log.debug(line, 'batch rejected by the platform');
    case 'batch_split':
      return log.debug(line, 'batch split');
    case 'attempt_failed':
      return log.debug(line, 'delivery attempt failed');
    default:
      return unknownEvent(event);
  }
}

/** A new event type must get its line here: the compiler says where. */
function unknownEvent(event: never): void {
  void event;
}
