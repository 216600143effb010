/**
 * A queued record whose line cannot be read (a damaged page of the file, a
 * sealed value that does not authenticate) leaves the queue instead of
 * stopping it: its outbox row goes, it is kept as a local rejection
 * (STORE_LINE_DAMAGED) saying how to have it read again, and its record
 * state no longer counts it as sent unchanged, so the next read of its
 * source row queues it anew. Until then its state is rejected_local, never
 * queued: it will not be sent as it is. It counts once among the day's local
 * rejections, as a row that fails a check does. Runs inside the transaction
 * that forms the batch (store.ts), so a kill leaves the record either
 * queued or quarantined, counted with it.
 *
 * A key the gateway lacks is not damage: every sealed value would fail
 * alike, and quarantining them all would empty the queue for a wrong
 * configuration. It stays STORE_KEY_MISSING and stops delivery (outbox.ts).
 */
import type { DamagedLine } from './outbox.js';
import type { StoreParts } from './parts.js';

export const LINE_DAMAGED = 'STORE_LINE_DAMAGED';

/** What was taken out, for the log: no key, which may hold an identity number. */
export interface QuarantinedLine {
  seq: number;
  recordId: string;
  job: string;
  category: string;
  reason: string;
  /** False when a newer version of the record is queued: it stands for this one, and no rejection is kept. */
  rejected: boolean;
}

export function quarantineLines(parts: Pick<StoreParts, 'outbox' | 'records' | 'rejections' | 'stats'>, damaged: readonly DamagedLine[], now: Date): QuarantinedLine[] {
  const at = now.toISOString();
  const taken: QuarantinedLine[] = [];
  for (const { seq, reason, sentWithDamaged } of damaged) {
    const row = parts.outbox.take(seq);
    if (!row) continue;
    const newest = parts.records.forget(row.id, seq, at);
    const message = sentWithDamaged === undefined ? damagedMessage(row.job, seq) : sentWithDamagedMessage(row.job, seq);
    if (newest) parts.rejections.addDamaged({ job: row.job, category: row.category, recordId: row.id, key: row.key, seq }, LINE_DAMAGED, message, at);
    taken.push({ seq, recordId: row.id, job: row.job, category: row.category, reason, rejected: newest });
  }
  if (taken.length === 0) return taken;
  // Seqs are read in order: the first and the last span every chunk a taken row was in.
  parts.outbox.dropEmptyChunks({ from: taken[0]!.seq, to: taken[taken.length - 1]!.seq });
  // Each rejection kept is counted once, in this transaction: a kill before it commits keeps the record queued, uncounted.
  parts.stats.rejectedAfterQueueing(countRejected(taken), now);
  return taken;
}

function countRejected(taken: readonly QuarantinedLine[]): { job: string; category: string; n: number }[] {
  const counts = new Map<string, { job: string; category: string; n: number }>();
  for (const t of taken) {
    if (!t.rejected) continue;
    const key = `${t.job}\n${t.category}`;
    const c = counts.get(key);
    if (c) c.n++;
    else counts.set(key, { job: t.job, category: t.category, n: 1 });
  }
  return [...counts.values()];
}

function rereadAction(job: string): string {
  return job.endsWith(':folder')
    ? '请重新上传该记录所在的文件（或重新放入 incoming/ 目录）'
    : `请在状态页该行点击「修正后重发」，或运行 credit-gateway run ${job} --snapshot`;
}

/** The reason and what to do, for the technical contact (Chinese, as every rejection reason). */
export function damagedMessage(job: string, seq: number): string {
  return `该记录排队待发送的内容（seq ${seq}）在本地存储中已损坏，无法读取，已移出发送队列，其后的记录照常发送。源数据无需修改：${rereadAction(job)}，重新读取后即作为新版本发送。若此类记录较多，请检查磁盘（credit-gateway doctor），必要时从备份恢复数据目录。`;
}

/** For a readable record of a batch already sent with a damaged line: that batch can only be resent whole, so it is not resent. */
export function sentWithDamagedMessage(job: string, seq: number): string {
  return `该记录（seq ${seq}）与一条已损坏的记录在同一批次中发送过；按平台接口，重发的批次必须与首次发送完全相同，该批次因此无法重发，该记录已移出发送队列（平台可能已收到，也可能没有），其后的记录照常发送。源数据无需修改：${rereadAction(job)}，重新读取后即作为新版本发送。若此类记录较多，请检查磁盘（credit-gateway doctor），必要时从备份恢复数据目录。`;
}
