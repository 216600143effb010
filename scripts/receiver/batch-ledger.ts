import type { BatchLogEntry, BatchResult } from './types.js';

/**
 * What the receiver remembers of batches: the result of each processed batch
 * id (per gateway), to answer a resend with `duplicate: true`, and a log of
 * every batch request. Both are bounded, oldest first out, so a long demo does
 * not grow without limit; the dedup bound is far above any realistic retry span.
 */
export class BatchLedger {
  private readonly results = new Map<string, BatchResult>();
  private readonly entries: BatchLogEntry[] = [];

  constructor(
    private readonly maxBatchIds: number,
    private readonly maxLogEntries: number,
  ) {}

  processed(gatewayId: string, batchId: string): BatchResult | undefined {
    return this.results.get(`${gatewayId}\n${batchId}`);
  }

  remember(gatewayId: string, result: BatchResult): void {
    this.results.set(`${gatewayId}\n${result.batchId}`, result);
    if (this.results.size > this.maxBatchIds) {
      this.results.delete(this.results.keys().next().value!);
    }
  }

  log(entry: BatchLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.maxLogEntries) this.entries.splice(0, this.entries.length - this.maxLogEntries);
  }

  list(): BatchLogEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.results.clear();
    this.entries.length = 0;
  }
}
