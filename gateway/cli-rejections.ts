/**
 * `credit-gateway rejections`: the rows the gateway would not send and the
 * records the platform refused, from the store, masked: the same search, the
 * same views and the same CSV as the status page's /rejections and
 * /rejections.csv (gateway/rejections/). Opens the store without the
 * folder's lock, so it works beside a running gateway.
 */
import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { closeMatches } from './catalog/close-matches.js';
import { installedConfigFile } from './doctor/default-config.js';
import { queryRejections, searchParams, type RejectionQuery, type RejectionSearch } from './rejections/query.js';
import { rejectionState, type RejectionView } from './rejections/view.js';
import type { Store } from './store/store.js';

interface RejectionsOptions {
  config?: string;
  job?: string;
  reason?: string;
  category?: string;
  source?: string;
  open?: boolean;
  limit?: string;
  csv?: boolean;
}

/** Rows listed when --limit is not given (the CSV then has them all). */
const DEFAULT_LIMIT = 50;

const STATE_WORDS = { open: 'to fix', requested: 'resend requested', resolved: 'resolved' } as const;

export function registerRejectionsCommand(program: Command, fail: (err: unknown) => never): void {
  program
    .command('rejections')
    .description('list rejected rows and records, newest first, masked (like the status page\'s /rejections); --csv for the whole list as the page exports it')
    .option('-c, --config <file>', 'configuration file (YAML); installed: the release\'s own')
    .option('--job <job>', 'only rows this job read')
    .option('--reason <code>', 'only this reason code, e.g. REQUIRED_MISSING or a platform code')
    .option('--category <code>', 'only this catalog category, e.g. P07-002')
    .option('--source <stage>', 'local (this gateway\'s checks) or platform')
    .option('--open', 'only those still to fix')
    .option('--limit <n>', `at most N rows (default ${DEFAULT_LIMIT}; with --csv: all)`)
    .option('--csv', 'CSV for Excel/WPS (UTF-8 with BOM), the same columns as the status page\'s export')
    .action(async (opts: RejectionsOptions) => {
      let store: Store | null = null;
      try {
        const { openStoreOf } = await import('./cli-open-store.js');
        const { rejectionsCsv } = await import('./rejections/csv.js');
        const { loadCatalog } = await import('./catalog/index.js');
        const search = searchOf(opts);
        const limit = limitOf(opts);
        const configFile = opts.config ?? installedConfigFile(process.env);
        if (!configFile) {
          throw new ConfigError('CONFIG_FILE_UNREADABLE', [{ path: '--config', message: 'no --config FILE given, and not started from an installed release (CREDIT_GATEWAY_HOME is not set)' }]);
        }
        const opened = openStoreOf(configFile);
        store = opened.store;
        const query = (q: RejectionQuery) => queryRejections(store!, q);
        if (opts.csv) {
          const catalog = loadCatalog();
          const names = new Map<string, string>();
          const named = (q: RejectionQuery) => {
            const result = capped(query, limit)(q);
            for (const r of result.items) if (!names.has(r.category)) names.set(r.category, catalog.byCode(r.category)?.name ?? '');
            return result;
          };
          for await (const chunk of rejectionsCsv(named, search, names, 'zh')) process.stdout.write(chunk);
        } else {
          const shown = limit ?? DEFAULT_LIMIT;
          const result = query({ ...search, limit: shown, offset: 0 });
          process.stdout.write(listing(result.items, result.total, shown));
          if (result.total === 0) process.stdout.write(hints(store, search, opened.config.jobs.map((j) => j.name)));
          else if (opened.statusUrl) process.stdout.write(`on the status page: ${opened.statusUrl}rejections${searchParams(search).size > 0 ? `?${searchParams(search).toString()}` : ''}\n`);
        }
        store.close();
      } catch (err) {
        store?.close();
        fail(err);
      }
    });
}

function searchOf(opts: RejectionsOptions): RejectionSearch {
  if (opts.source !== undefined && opts.source !== 'local' && opts.source !== 'platform') {
    throw new ConfigError('CONFIG_INVALID', [{ path: '--source', message: `"${opts.source}" is not local or platform` }]);
  }
  return {
    ...(opts.job ? { job: opts.job } : {}),
    ...(opts.reason ? { code: opts.reason } : {}),
    ...(opts.category ? { category: opts.category.toUpperCase() } : {}),
    ...(opts.source ? { source: opts.source } : {}),
    ...(opts.open ? { openOnly: true } : {}),
  };
}

function limitOf(opts: RejectionsOptions): number | undefined {
  if (opts.limit === undefined) return undefined;
  const n = Number(opts.limit);
  if (!Number.isSafeInteger(n) || n < 1) throw new ConfigError('CONFIG_INVALID', [{ path: '--limit', message: `"${opts.limit}" is not a whole number of rows (1 or more)` }]);
  return n;
}

/** The query, never past `limit` rows in all. */
function capped(query: (q: RejectionQuery) => ReturnType<typeof queryRejections>, limit: number | undefined) {
  return (q: RejectionQuery) => {
    if (limit === undefined) return query(q);
    if (q.offset >= limit) return { total: limit, items: [] };
    return query({ ...q, limit: Math.min(q.limit, limit - q.offset) });
  };
}

/** One rejection per line: when, job, category, key, field, reason, state; everything masked by the view. */
function listing(items: readonly RejectionView[], total: number, limit: number): string {
  if (total === 0) return 'no rejections match\n';
  const lines = items.map((r) => [
    localTime(r.at), r.job ?? '-', r.category, r.key, r.field ?? '-', `${r.source === 'platform' ? 'platform ' : ''}${r.code}: ${r.message.replace(/\s+/g, ' ')}`, STATE_WORDS[rejectionState(r)],
  ].join('  '));
  const head = total > limit ? `${total} rejections match, the newest ${items.length} shown (--limit N for more, --csv for all)` : `${total} ${total === 1 ? 'rejection matches' : 'rejections match'}`;
  return `${head}\n${lines.join('\n')}\n`;
}

/** Why nothing matched, when a filter names something the store or the configuration does not know. */
function hints(store: Store, search: RejectionSearch, jobs: readonly string[]): string {
  const out: string[] = [];
  if (search.job && !jobs.includes(search.job)) {
    const near = closeMatches(search.job, jobs.map((j) => ({ item: j, names: [j] })), 3);
    out.push(`no job "${search.job}" in the configuration${near.length > 0 ? `: did you mean ${near.join(', ')}?` : `; jobs: ${jobs.join(', ') || 'none'}`}`);
  }
  if (search.code) {
    const codes = [...new Set(store.rejectionReasons(search.job && jobs.includes(search.job) ? { job: search.job } : {}, 1000).map((r) => r.code))];
    if (!codes.includes(search.code)) {
      const near = closeMatches(search.code.toUpperCase(), codes.map((c) => ({ item: c, names: [c] })), 3);
      out.push(`no rejection has reason ${search.code}${near.length > 0 ? `: did you mean ${near.join(', ')}?` : codes.length > 0 ? `; reasons there are: ${codes.slice(0, 10).join(', ')}` : ''}`);
    }
  }
  return out.map((l) => `${l}\n`).join('');
}

/** The machine's wall-clock time, as the status page shows it. */
function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
