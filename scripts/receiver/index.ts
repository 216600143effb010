/** The reference platform receiver: the receiving side of spec/platform-api.md, for demos and tests. */
export { createReceiver, type Receiver } from './receiver.js';
export type {
  Algorithm, BatchLogEntry, BatchResult, Fault, HeartbeatEntry, PendingConfig, ReceiverOptions, RejectRule, Rejection, Stats,
  StoredRecord,
} from './types.js';
