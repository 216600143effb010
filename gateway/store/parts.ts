import type { Cursors } from './cursors.js';
import type { Outbox } from './outbox.js';
import type { Records } from './records.js';
import type { Rejections } from './rejections.js';
import type { Stats } from './stats.js';

/** The table owners a transaction spans; each holds its own prepared statements. */
export interface StoreParts {
  records: Records;
  outbox: Outbox;
  rejections: Rejections;
  cursors: Cursors;
  stats: Stats;
}
