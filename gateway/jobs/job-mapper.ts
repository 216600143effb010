/**
 * The runner's row function for a job: map, check against the category's
 * standard, and give the record or the rejection. Built from data only (the
 * job's configuration, its standard, the code tables), so a mapping thread
 * (map-thread.ts) builds the very same function from a copy of them.
 */
import type { JobConfig } from '../../config/schema.js';
import type { Standard, Standards } from '../standards/index.js';
import { mapAndValidate } from '../validation/map-and-validate.js';
import type { MapRow } from './runner.js';

export interface JobMapperDeps {
  gatewayId: string;
  standards: Pick<Standards, 'codeTables'>;
}

export function mapRowFor(job: JobConfig, standard: Readonly<Standard>, deps: JobMapperDeps): MapRow {
  const codeTables = deps.standards.codeTables;
  return (row, observedAt) => {
    const outcome = mapAndValidate(job, row, { gatewayId: deps.gatewayId, observedAt, codeTables }, { standard });
    return outcome.ok ? { record: outcome.record } : { rejection: outcome.rejection };
  };
}
