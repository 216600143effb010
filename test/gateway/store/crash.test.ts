import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { recordId } from '../../../gateway/records/record-id.js';
import { Store } from '../../../gateway/store/store.js';
import { BIG, newId } from './helpers.js';
import { programBesideTest } from '../../helpers/beside.js';

const writer = programBesideTest(import.meta.url, './fixtures/crash-writer.ts');
// The TypeScript loader this test runs under; the process-tracking hook would only get in the way of kill -9.
const loader = process.execArgv.filter((arg) => !arg.includes('@tapjs/processinfo'));
const ROUNDS = 6;

type Sent = { batchId: string; seqs: number[]; ids: string[] } | { split: string; into: string[] };

/** Starts the writer, lets it work for a random while, then kills it without warning. */
async function runAndKill(dir: string): Promise<void> {
  const child = spawn(process.execPath, [...loader, writer, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('ready')) resolve(); });
    exited.then(({ code }) => reject(new Error(`writer exited (${code}) before it was ready: ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, 30 + Math.random() * 400));
  child.kill('SIGKILL');
  const { signal } = await exited;
  if (signal !== 'SIGKILL') throw new Error(`writer ended on its own: ${stderr}`);
}

/** What must hold after any kill: the store is whole and every record is accounted for exactly once. */
function checkStore(t: Test, store: Store): number {
  t.same(store.integrityCheck(), [], 'integrity_check ok');
  const committed = Number(store.getCursor('crash')?.[0] ?? 0);
  const total = store.totals().total;
  t.equal(store.lastSeq(), committed, 'one seq per committed record: none taken by a lost page');
  t.equal(total.queued, committed, 'the cursor counts exactly the records queued');
  t.equal(total.rowsRead, committed);
  t.equal(store.queueStats().pending + total.delivered + total.rejectedPlatform, committed,
    'every record is in the outbox or answered, never both, never neither');
  t.equal(store.countRejections({ source: 'platform' }), total.rejectedPlatform, 'rejections and counters agree');
  return committed;
}

t.test('kill -9 at random moments loses nothing and reuses no seq', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'gateway.db');
  let committed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    await runAndKill(dir);
    const store = Store.open({ file });
    try {
      const now = checkStore(t, store);
      t.ok(now >= committed, `round ${round}: the cursor never goes back (${committed} → ${now})`);
      committed = now;
    } finally {
      store.close();
    }
  }
  t.ok(committed > 0, 'the writer got work done');

  const sent = readFileSync(join(dir, 'sent.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Sent);
  const parent = new Map<string, string>();
  const seqsOf = new Map<string, string>();
  const batchesOf = new Map<number, Set<string>>();
  for (const entry of sent) {
    if ('split' in entry) {
      for (const id of entry.into) parent.set(id, entry.split);
      continue;
    }
    const seqs = JSON.stringify(entry.seqs);
    if (seqsOf.has(entry.batchId)) t.equal(seqs, seqsOf.get(entry.batchId), `batch ${entry.batchId} is resent with the same records`);
    seqsOf.set(entry.batchId, seqs);
    entry.seqs.forEach((seq, i) => {
      if (entry.ids[i] !== recordId('crash-gw', 'P07-002', String(seq - 1))) t.fail(`seq ${seq} carried another record`);
      if (!batchesOf.has(seq)) batchesOf.set(seq, new Set());
      batchesOf.get(seq)!.add(entry.batchId);
    });
    t.ok(entry.seqs.every((seq, i) => i === 0 || seq > entry.seqs[i - 1]!), 'seq order inside a batch');
  }
  const lineage = (id: string) => {
    const ids = new Set<string>();
    for (let at: string | undefined = id; at; at = parent.get(at)) ids.add(at);
    return ids;
  };
  let stray = 0;
  for (const [, ids] of batchesOf) {
    const list = [...ids];
    for (const a of list) for (const b of list) if (a !== b && !lineage(a).has(b) && !lineage(b).has(a)) stray++;
  }
  t.equal(stray, 0, 'a record travels in a second batch id only when its batch was split');
  t.ok(seqsOf.size > 0, 'batches were sent');

  const store = Store.open({ file });
  t.teardown(() => store.close());
  for (let batch = store.nextBatch(BIG, newId); batch; batch = store.nextBatch(BIG, newId)) {
    store.acknowledge(batch.batchId, { rejected: [], at: new Date().toISOString() });
  }
  const total = store.totals().total;
  t.equal(total.delivered + total.rejectedPlatform, committed, 'after draining, every committed record was answered once');
  t.equal(store.queueStats().pending, 0);
});
