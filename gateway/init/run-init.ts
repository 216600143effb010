/**
 * `credit-gateway init`, start to end: the answers, the department's
 * categories, the database's tables and columns, one proposed job per
 * category, then the files: the configuration (checked by the loader
 * before it is written, and loaded back after), the secrets file (created
 * 600, the platform secret and the database password), the data folder
 * (700). Existing files are refused unless `force`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseConfigText, type LoadedConfig } from '../../config/load.js';
import { writeSecret } from '../../config/secrets.js';
import { validateConfig } from '../../config/validate.js';
import { quoteIdentifierFor } from '../../connectors/registry.js';
import { CatalogError, loadCatalog, requireDepartment } from '../catalog/index.js';
import type { CatalogCategory } from '../catalog/types.js';
import { standardFor } from '../standards/index.js';
import { loadCheckedConfig } from '../preflight/preflight.js';
import { preparePrivateFolder } from '../store/private-files.js';
import { AnswerSource, type Answers, type InitFlags } from './answers.js';
import { DATABASE_SECRET, PLATFORM_SECRET, starterConfigText, type StarterConfig } from './config-document.js';
import { findTable, openDatabaseListing, type DatabaseListing } from './database-listing.js';
import { InitError } from './errors.js';
import { describeProposal, proposeJob } from './propose-job.js';
import type { Prompter } from './prompter.js';

export interface InitOptions extends InitFlags {
  /** CATEGORY=TABLE, repeatable. */
  table: string[];
  out: string;
  secrets?: string;
  dataDir: string;
  force?: boolean;
}

export interface InitResult {
  configFile: string;
  secretsFile: string;
  dataDir: string;
  /** Jobs written ready to run. */
  jobs: number;
  /** The written configuration as start loads it. */
  loaded: LoadedConfig;
}

/** Rows read from each chosen table to judge its date formats. */
const SAMPLE_ROWS = 50;

interface Io {
  prompter: Prompter | null;
  env: NodeJS.ProcessEnv;
  /** Lines for the person (stdout). */
  say(line: string): void;
}

function parseTables(pairs: readonly string[], categories: readonly Readonly<CatalogCategory>[]): Map<string, string> {
  const tables = new Map<string, string>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const code = at < 0 ? '' : pair.slice(0, at).trim().toUpperCase();
    const table = at < 0 ? '' : pair.slice(at + 1).trim();
    if (code === '' || table === '') throw new InitError('INIT_ANSWER_INVALID', `--table "${pair}": write it as CATEGORY=TABLE, e.g. P07-002=t_xzcf`);
    if (!categories.some((c) => c.code === code)) {
      throw new InitError('INIT_ANSWER_INVALID', `--table "${pair}": ${code} is not a category of this department; its categories: ${categories.map((c) => c.code).join(', ')}`);
    }
    tables.set(code, table);
  }
  return tables;
}

/** Files init would write that exist already: refused unless --force. */
function refuseExisting(files: readonly string[], force: boolean | undefined): void {
  const existing = files.filter((f) => existsSync(f));
  if (existing.length > 0 && !force) throw new InitError('INIT_FILE_EXISTS', existing.join(', '));
}

/** A table name suggested for a category: one whose name holds its standard's code (`t_xzcf` for 行政处罚). */
function suggestTable(tables: readonly string[], standardCode: string, taken: ReadonlySet<string>): string | undefined {
  const hits = tables.filter((t) => t.toLowerCase().includes(standardCode) && !taken.has(t));
  return hits.length === 1 ? hits[0] : undefined;
}

async function chooseTables(answers: AnswerSource, listing: DatabaseListing, categories: readonly Readonly<CatalogCategory>[], given: Map<string, string>, io: Io): Promise<Map<string, string>> {
  const names = listing.tables.map((t) => t.name);
  const chosen = new Map<string, string>();
  for (const [code, table] of given) chosen.set(code, findTable(listing.tables, table, `--table ${code}`).name);
  const open = categories.filter((c) => !chosen.has(c.code));
  if (io.prompter && open.length > 0) {
    io.say(`数据库中的表和视图 / tables and views of the database:`);
    names.forEach((n, i) => io.say(`  ${i + 1}. ${n}${listing.tables[i]!.kind === 'view' ? ' (view)' : ''}`));
    for (const category of open) {
      const suggestion = suggestTable(names, standardFor(category).code, new Set(chosen.values()));
      for (;;) {
        const answer = await answers.table(`${category.code} ${category.name} 的表 / table`, names, suggestion);
        if (answer === null) break;
        try {
          chosen.set(category.code, findTable(listing.tables, answer, category.code).name);
          break;
        } catch (err) {
          if (!(err instanceof InitError)) throw err;
          io.prompter.tell(`  ${err.message}`);
        }
      }
    }
  }
  return chosen;
}

export async function runInit(options: InitOptions, io: Io): Promise<InitResult> {
  const configFile = resolve(options.out);
  const baseDir = dirname(configFile);
  const secretsFile = options.secrets ? resolve(options.secrets) : join(baseDir, 'secrets.yaml');
  const dataDir = resolve(baseDir, options.dataDir);
  refuseExisting([configFile, secretsFile], options.force);

  const catalog = loadCatalog();
  const answers = new AnswerSource(options, io.prompter, io.env);
  const known = (name: string) => {
    try {
      requireDepartment(catalog, name);
      return null;
    } catch (err) {
      if (err instanceof CatalogError) return err.message;
      throw err;
    }
  };
  const collected: Answers = await answers.collect(known);
  // The department of today a name means, and every 2017 provider it absorbed: its name goes into the file and onto its records.
  const found = requireDepartment(catalog, collected.department);
  const { categories, providers } = found;
  io.say(`${collected.department} → ${found.name}: ${providers.map((p) => `${p.code} ${p.name}`).join(', ')}, ${categories.length} categories`);
  if (found.assumed) io.say(`  (the mapping of today's name to these providers is assumed from ${found.source}: check it with the credit center)`);
  const given = parseTables(options.table, categories);
  if (collected.source.kind === 'sqlite') collected.source.file = resolve(collected.source.file!);

  const query = (table: string) => `SELECT * FROM ${quoteIdentifierFor(collected.source.kind, table)}`;
  const listing = await openDatabaseListing(collected.source, collected.password);
  let jobs: StarterConfig['jobs'];
  try {
    const tables = await chooseTables(answers, listing, categories, given, io);
    jobs = [];
    for (const category of categories) {
      const standard = standardFor(category);
      const table = tables.get(category.code);
      const department = { name: found.name, ...(collected.departmentCode ? { creditCode: collected.departmentCode } : {}) };
      const columns = table === undefined ? [] : await listing.columns(table);
      const firstPass = table === undefined ? null : proposeJob({ category, standard, table, columns, department });
      // The first rows, read as the job would read them, show how the dates are written.
      const sample = firstPass?.columns.key ? await listing.sample(query(table!), firstPass.columns.key.columns, SAMPLE_ROWS) : [];
      const proposal = firstPass && proposeJob({ category, standard, table: table!, columns, department, sample });
      if (proposal) for (const line of describeProposal(proposal)) io.say(line);
      jobs.push({ category, standard, proposal });
    }
  } finally {
    await listing.close();
  }
  const skipped = jobs.filter((j) => !j.proposal).map((j) => j.category.code);
  if (skipped.length > 0) io.say(`no table given for ${skipped.join(', ')}: written commented out`);

  const relativeTo = (file: string) => {
    const r = relative(baseDir, file);
    return r === '' || isAbsolute(r) || r.startsWith('..') ? file : `./${r}`;
  };
  const text = starterConfigText({
    gatewayId: collected.gatewayId,
    department: found.name,
    platformUrl: collected.platformUrl,
    source: collected.source,
    secretsFile: relativeTo(secretsFile),
    dataDir: relativeTo(dataDir),
    jobs,
    query,
    writtenAt: new Date().toISOString().slice(0, 10),
  });
  // What is written must load: a proposal the schema refuses is a bug here, not the department's problem.
  validateConfig(parseConfigText(text, configFile));

  mkdirSync(baseDir, { recursive: true });
  refuseExisting([configFile, secretsFile], options.force);
  // First, so a data folder others can read is refused before anything is written.
  preparePrivateFolder(dataDir);
  writeFileSync(configFile, text, { flag: options.force ? 'w' : 'wx' });
  writeSecret(secretsFile, PLATFORM_SECRET, collected.platformSecret);
  if (collected.password !== undefined) writeSecret(secretsFile, DATABASE_SECRET, collected.password);
  // Loaded back as `config check` and `start` take it, with the secrets from the file alone (not this shell's environment).
  const loaded = await loadCheckedConfig(configFile, { env: {} });
  const ready = jobs.filter((j) => j.proposal && j.proposal.incomplete.length === 0).length;
  return { configFile, secretsFile, dataDir, jobs: ready, loaded };
}
