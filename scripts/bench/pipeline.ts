#!/usr/bin/env node
/**
 * The read pipeline's two per-row costs, measured beside the floor any
 * durable store pays, in one run:
 *
 *   a. baseline: each row's JSON inserted into a plain SQLite table (WAL,
 *      synchronous=FULL, as the store runs), one transaction per page;
 *   b. mapAndValidate alone, row by row, for the demo's `penalties` job
 *      against its category's standard (P07-002 行政处罚信息);
 *      b2. what a mapping thread does: pages mapped, records in queued form
 *      (line deflated) as it sends them;
 *   c. Store.commitPage of pages already mapped, into a fresh store;
 *      c2/c3. the same with store.encryption (AES-256-GCM, SM4-CTR+HMAC-SM3);
 *      c4. the same with records in the form a mapping thread sends them
 *      (queued-form.ts: lines already deflated), as a bulk run commits them;
 *   d. both, page by page, as the job runner does.
 *
 * Rows are the demo's t_xzcf table (seeds/demo/business.sql) made large:
 * legal persons, 个体工商户 and natural persons with valid ID numbers, and
 * about 2% rows a clerk has to fix (wrong check characters, no name, an
 * unreadable date, a punishment type not in the code table).
 *
 *   npm run build && node dist/scripts/bench/pipeline.js [--rows 50000] [--page-size 500] [--repeat 3] [--only c,c4]
 *
 * A benchmark, not a test: it asserts nothing and its numbers depend on the machine.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import type { Row } from '../../connectors/contract.js';
import { loadCatalog } from '../../gateway/catalog/index.js';
import { idCardCheckDigit } from '../../gateway/identifiers/id-card.js';
import { mapQueued, queuedForm } from '../../gateway/jobs/queued-form.js';
import { mapRows, type MapRow } from '../../gateway/jobs/runner.js';
import type { JobMapping } from '../../gateway/mapping/types.js';
import type { Page } from '../../gateway/model.js';
import { loadStandards } from '../../gateway/standards/index.js';
import { parseKey, PayloadCipher } from '../../gateway/store/payload-crypto.js';
import { Store } from '../../gateway/store/store.js';
import { mapAndValidate } from '../../gateway/validation/map-and-validate.js';
import { makeCreditCode } from '../demo/make-demo-data.js';
import { PENALTIES } from '../demo/make-demo-data.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '50000' },
    'page-size': { type: 'string', default: '500' },
    repeat: { type: 'string', default: '3' },
    /** Stage letters to run, comma-separated (a is always run: it is what the others are compared with). */
    only: { type: 'string' },
  },
});
const ROWS = Number(args.rows);
const PAGE_SIZE = Number(args['page-size']);
/** Each stage runs this often and its fastest run counts: the machine is shared, and slower runs measure the neighbours. */
const REPEAT = Math.max(1, Number(args.repeat));
const ONLY = args.only === undefined ? null : new Set(args.only.split(','));
const WARMUP_ROWS = Math.min(5_000, ROWS);
const GATEWAY_ID = 'hs-bench';
const OBSERVED_AT = '2026-12-01T02:00:00.000Z';

/**
 * The demo's penalties job as configured, plus what a department that also
 * punishes natural persons maps besides (the ID columns, and the subject's
 * code from whichever number the party has), as the status scenario's
 * penalties job does: the demo table has no natural persons.
 */
function demoPenaltiesJob(): JobMapping {
  const config = parse(readFileSync(new URL('../../../config/demo.yaml', import.meta.url), 'utf8')) as { jobs: JobMapping[] };
  const job = config.jobs.find((j) => j.name === 'penalties');
  if (!job) throw new Error('config/demo.yaml has no penalties job');
  return {
    ...job,
    subject: { ...job.subject, code: 'party_code' },
    fields: { ...job.fields, CF_XDR_ZJLX: 'id_type', CF_XDR_ZJHM: 'id_no' },
  };
}

const JOB = demoPenaltiesJob();
const standards = loadStandards();
const STANDARD = standards.standardFor(loadCatalog().byCode(JOB.category)!);
const CTX = { gatewayId: GATEWAY_ID, observedAt: OBSERVED_AT, codeTables: standards.codeTables };
const mapRow: MapRow = (row, observedAt) => {
  const outcome = mapAndValidate(JOB, row, { ...CTX, observedAt }, { standard: STANDARD });
  return outcome.ok ? { record: outcome.record } : { rejection: outcome.rejection };
};

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const PLACES = ['华新', '东楚', '磁湖', '铁山', '西塞', '鄂东', '黄荆', '青龙', '港湾', '大冶湖'];
const TRADES = ['人力资源服务', '劳务派遣', '建筑劳务', '物业管理', '家政服务', '机械制造'];
const PEOPLE = ['张伟', '王芳', '李强', '刘洋', '陈静', '赵磊', '孙丽', '周杰'];
const AUTHORITY = '黄石市人力资源和社会保障局';
const AUTHORITY_CODE = '11420200011079463Y';

function idNumber(random: () => number): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + Math.floor(random() * 40 * 365) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `420202${birth}${String(Math.floor(random() * 1000)).padStart(3, '0')}`;
  return first17 + idCardCheckDigit(first17);
}

const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Row `id` of the department's table; about one in fifty has something a clerk must fix. */
function makeRow(id: number, random: () => number): Row {
  const p = PENALTIES[id % PENALTIES.length]!;
  const pick = random();
  const kind = pick < 0.7 ? '法人及非法人组织' : pick < 0.85 ? '个体工商户' : '自然人';
  const place = PLACES[id % PLACES.length]!;
  const name = kind === '自然人' ? PEOPLE[id % PEOPLE.length]! : `黄石${place}${TRADES[id % TRADES.length]}${kind === '个体工商户' ? '部' : '有限公司'}${id}`;
  const code = kind === '自然人' ? idNumber(random) : makeCreditCode(random, kind === '个体工商户' ? 'individual' : 'company');
  const decided = Date.UTC(2026, 0, 1) + Math.floor(random() * 300) * 86_400_000;
  const natural = kind === '自然人';
  const row: Row = {
    id, party_name: name, party_code: code, credit_code: natural ? null : code, id_type: natural ? '身份证' : null, id_no: natural ? code : null, party_type: kind, legal_rep: kind === '自然人' ? null : PEOPLE[(id + 3) % PEOPLE.length]!,
    decision_no: `黄人社监罚〔2026〕${id}号`, violation: p.act, facts: `经查，该单位存在${p.act}的行为。`, basis: p.basis,
    punish_type: p.type, content: p.fine ? `罚款人民币${(id % 5) + 1}万元` : '警告', fine_wan: p.fine ? `${(id % 5) + 1}.${id % 10}000` : null,
    punish_date: ymd(decided), publish_until: ymd(decided + 365 * 86_400_000),
    authority: AUTHORITY, authority_code: AUTHORITY_CODE, revoked: 0, updated_at: new Date(decided + (id % 86_400) * 1000).toISOString(),
  };
  if (id % 50 === 7) {
    switch ((id / 50) % 4 | 0) {
      case 0: row.party_code = `${code.slice(0, 17)}${code[17] === '0' ? '1' : '0'}`; break;
      case 1: row.party_name = ''; break;
      case 2: row.punish_date = '2026-02-30'; break;
      case 3: row.punish_type = '罚没'; break;
    }
  }
  return row;
}

function makeRows(count: number, seed: number): Row[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, i) => makeRow(i + 1, random));
}

function pagesOf<T>(items: readonly T[]): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += PAGE_SIZE) pages.push(items.slice(i, i + PAGE_SIZE));
  return pages;
}

function cursorOf(rows: readonly Row[]): Page['cursor'] {
  const last = rows[rows.length - 1]!;
  return [last.updated_at ?? null, last.id ?? null];
}

function mappedPages(rows: readonly Row[]): Page[] {
  return pagesOf(rows).map((page) => ({ job: JOB.name, ...mapRows(mapRow, page, OBSERVED_AT), cursor: cursorOf(page), rowsRead: page.length }));
}

/** (a) The floor: the rows' JSON, one plain table, one transaction per page, the store's durability. */
function baseline(dir: string, rows: readonly Row[]): void {
  const db = new Database(join(dir, 'baseline.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, json TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO rows (json) VALUES (?)');
  const page = db.transaction((items: readonly Row[]) => {
    for (const row of items) insert.run(JSON.stringify(row));
  });
  for (const items of pagesOf(rows)) page.immediate(items);
  db.close();
}

/** (b) Mapping and checking alone. */
function mapOnly(rows: readonly Row[]): number {
  let ok = 0;
  for (const row of rows) if (mapAndValidate(JOB, row, CTX, { standard: STANDARD }).ok) ok++;
  return ok;
}

/** (b2) What a mapping thread does per page (map-worker.ts): map it into the form it sends, each record's line made as it is mapped. */
function mapThread(rows: readonly Row[]): number {
  let sent = 0;
  for (const page of pagesOf(rows)) sent += mapQueued(mapRow, page, OBSERVED_AT).records.length;
  return sent;
}

/** (c) The page transaction alone, into a fresh store; sealed at rest with a cipher. */
function commitOnly(dir: string, pages: readonly Page[], cipher?: PayloadCipher): void {
  const store = Store.open({ file: join(dir, 'commit.sqlite'), cipher });
  for (const page of pages) store.commitPage(page);
  store.close();
}

/** (d) What the runner does per page: map it, commit it. */
function mapAndCommit(dir: string, rows: readonly Row[]): void {
  const store = Store.open({ file: join(dir, 'both.sqlite') });
  for (const page of pagesOf(rows)) {
    store.commitPage({ job: JOB.name, ...mapRows(mapRow, page, OBSERVED_AT), cursor: cursorOf(page), rowsRead: page.length });
  }
  store.close();
}

const BENCH_KEY = parseKey('00'.repeat(32));

interface Stage {
  label: string;
  run: (dir: string) => void;
}

function time(stage: Stage): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
  try {
    const started = performance.now();
    stage.run(dir);
    return performance.now() - started;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether a stage runs: --only names stages by their label's prefix (b, c4 …); the baseline always runs. */
function selected(label: string): boolean {
  const id = label.slice(0, label.indexOf('.'));
  return ONLY === null || id === 'a' || ONLY.has(id);
}

function stages(rows: readonly Row[], pages: readonly Page[]): Stage[] {
  // c4's pages as a mapping thread sends them: made before its timing, and only when it runs.
  const queued = selected('c4.') ? pages.map((page) => ({ ...page, ...queuedForm(page.records) })) : [];
  const all: Stage[] = [
    { label: 'a. baseline: JSON into SQLite', run: (dir) => baseline(dir, rows) },
    { label: 'b. mapAndValidate', run: () => mapOnly(rows) },
    { label: 'b2. mapping thread (+ queued form)', run: () => mapThread(rows) },
    { label: 'c. Store.commitPage', run: (dir) => commitOnly(dir, pages) },
    { label: 'c2. commitPage, AES-256-GCM', run: (dir) => commitOnly(dir, pages, new PayloadCipher(BENCH_KEY, 'aes-256-gcm')) },
    { label: 'c3. commitPage, SM4', run: (dir) => commitOnly(dir, pages, new PayloadCipher(BENCH_KEY, 'sm4')) },
    { label: 'c4. commitPage, queued form', run: (dir) => commitOnly(dir, queued) },
    { label: 'd. map + commit (runner)', run: (dir) => mapAndCommit(dir, rows) },
  ];
  return all.filter((stage) => selected(stage.label));
}

function main(): void {
  // Warm up every path on rows of their own, so the measured run is not the JIT's first sight of it.
  const warmRows = makeRows(WARMUP_ROWS, 3);
  for (const stage of stages(warmRows, mappedPages(warmRows))) time(stage);

  const rows = makeRows(ROWS, 7);
  const pages = mappedPages(rows);
  const rejected = pages.reduce((n, p) => n + p.rejections.length, 0);
  const results = stages(rows, pages).map((stage) => ({
    label: stage.label,
    ms: Math.min(...Array.from({ length: REPEAT }, () => time(stage))),
  }));

  const base = results[0]!.ms;
  const out = [
    `node ${process.version}, ${ROWS.toLocaleString('en-US')} rows of job ${JOB.name} (${JOB.category}), pages of ${PAGE_SIZE}, best of ${REPEAT}, ${rejected} rejected (${((rejected / ROWS) * 100).toFixed(1)}%)`,
    '',
    `${'stage'.padEnd(32)}${'rows/s'.padStart(10)}${'µs/row'.padStart(10)}${'× baseline'.padStart(12)}`,
    ...results.map(({ label, ms }) =>
      `${label.padEnd(32)}${Math.round(ROWS / (ms / 1000)).toLocaleString('en-US').padStart(10)}${((ms * 1000) / ROWS).toFixed(1).padStart(10)}${(ms / base).toFixed(2).padStart(12)}`),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
