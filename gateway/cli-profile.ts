/**
 * `credit-gateway profile suggest FILE`: reads a sample export the way the
 * drop folder reads files, proposes a profile for it (gateway/profiles/
 * suggest/) and prints it as YAML to paste under `profiles:`, followed by
 * the sample tried with it, as YAML comments so the whole output can be
 * saved and pasted as it is. Nothing is stored or sent; no gateway need run.
 *
 * The configuration is optional: with --config the candidates are the
 * department's categories, its name fills 数据来源单位, and the names of its
 * profiles are not proposed again; without it every category is a candidate.
 * Exit 0 when a profile was proposed; 1 when no category fits or an option
 * is wrong (SUGGEST_*, CONFIG_*); 2 when the file cannot be read (FILE_*).
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { gatewayDepartment, loadCatalog, type Catalog, type CatalogCategory } from './catalog/index.js';
import { GatewayError } from './errors.js';
import { installedConfigFile } from './doctor/default-config.js';
import type { Suggestion, TrialResult } from './profiles/suggest/index.js';

interface SuggestOptions {
  category?: string;
  sheet?: string;
  config?: string;
  json?: boolean;
}

export interface SuggestSetting {
  candidates: readonly Readonly<CatalogCategory>[];
  taken: string[];
  department?: string;
}

/** What the configuration (if any) says of the department, and the categories to choose from. */
export async function suggestSetting(catalog: Catalog, opts: Pick<SuggestOptions, 'category' | 'config'>): Promise<SuggestSetting> {
  let department: string | undefined;
  let taken: string[] = [];
  let theirs: readonly Readonly<CatalogCategory>[] | null = null;
  if (opts.config) {
    const { loadConfigOnly } = await import('../config/load.js');
    const { config } = loadConfigOnly(opts.config);
    department = config.gateway.department;
    taken = ((config as { profiles?: readonly { name: string }[] }).profiles ?? []).map((p) => p.name);
    theirs = gatewayDepartment(catalog, config.gateway)?.categories ?? null;
  }
  if (opts.category) {
    const category = catalog.byCode(opts.category);
    if (!category) throw new GatewayError('SUGGEST_CATEGORY_UNKNOWN', opts.category);
    return { candidates: [category], taken, ...(department ? { department } : {}) };
  }
  return { candidates: theirs && theirs.length > 0 ? theirs : catalog.categories, taken, ...(department ? { department } : {}) };
}

/** One comment line per count and per reason, with up to three rows each as the clerk finds them. */
export function trialComment(name: string, trial: TrialResult): string {
  const lines = [
    `Trial of ${name} on the sample (nothing stored, nothing sent): ${trial.rows} data rows, ${trial.sent} would be sent, ${trial.rejected} rejected${trial.notData > 0 ? `; ${trial.notData} row(s) below the data (合计, 注 …) passed over` : ''}`,
  ];
  for (const r of trial.reasons) {
    lines.push(`  ${r.code} × ${r.count}`);
    for (const e of r.examples) lines.push(`    ${e.at}${e.column ? ` ${e.column}` : ''}${e.value !== undefined ? `=${e.value}` : ''}: ${e.message.replace(/\s+/g, ' ')}`);
  }
  return lines.map((l) => `# ${l}`).join('\n');
}

export function registerProfileCommands(program: Command, fail: (err: unknown) => never): void {
  const profile = program.command('profile').description('export profiles: how the drop folder reads a national or provincial system\'s exports (导出方案)');
  profile
    .command('suggest')
    .description('propose a profile for a sample export (.xls, .xlsx, .csv) and show how its rows would fare; prints YAML to paste under profiles:')
    .argument('<file>', 'a sample export, as the system wrote it')
    .option('--category <code>', 'the catalog category of the export, e.g. P13-002 (default: the one whose standard the header fits best)')
    .option('--sheet <name>', 'only this sheet of the workbook')
    .option('-c, --config <file>', 'configuration file: the department\'s categories are the candidates, its existing profiles are kept in mind; installed: the release\'s own')
    .option('--json', 'print JSON for scripts (see below)')
    .addHelpText('after', `
A workbook whose sheets are of several categories gets one profile per group of sheets
of one category and header (each naming its sheets under sheets.include).

--json prints one object:
  file                  the sample's name
  profiles[]            one per proposed profile:
    profile             the profile as YAML would give it (paste under profiles:)
    categoryName        the category's name; standard: its data standard's code
    sheets[]            { sheet, headerRow, headerRows } the sheets it was proposed from
    notes               approximate matches, dates seen, constants, missingRequired, missingKey, unused, hidden, alternatives
    trial               the sample read with the profile as the drop folder reads it:
                        { rows, sent, rejected, notData, reasons[]: { code, count, examples[]: { at, column?, value? (masked), message } } }
  sheets[]              every sheet: { sheet, hidden, profile?, skipped?: hidden | no-header | not-asked }
Columns the export lacks are written <fill in: field name>: the configuration check passes,
and the drop folder refuses such a file (FILE_COLUMN_MISSING) until they are filled in.`)
    .action(async (file: string, opts: SuggestOptions) => {
      try {
        const { standardFor } = await import('./standards/index.js');
        const catalog = loadCatalog();
        const config = opts.config ?? installedConfigFile(process.env) ?? undefined;
        const setting = await suggestSetting(catalog, { ...opts, ...(config ? { config } : {}) });
        // Loaded here only: the workbook readers (exceljs, SheetJS) are for this command alone.
        const { readSample } = await import('./profiles/suggest/read-sample.js');
        const { suggestProfiles, suggestionYaml, trialProposal } = await import('./profiles/suggest/index.js');
        const sample = await readSample(resolve(file));
        const suggestion = suggestProfiles({ sample, standardFor: (c) => standardFor(c), ...setting, ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}) });
        const observedAt = new Date().toISOString();
        const trials = suggestion.proposals.map((p) => trialProposal(p, sample, { observedAt }));
        process.stdout.write(opts.json ? `${JSON.stringify(suggestionJson(sample.fileName, suggestion, trials), null, 2)}\n` : `${suggestionYaml(suggestion)}\n${trials.map((t, i) => trialComment(suggestion.proposals[i]!.profile.name, t)).join('\n')}\n`);
      } catch (err) {
        fail(err);
      }
    });
}

/** The proposals for scripts: each profile with its notes and trial, and what became of every sheet. */
export function suggestionJson(file: string, suggestion: Suggestion, trials: readonly TrialResult[]) {
  return {
    file,
    profiles: suggestion.proposals.map((p, i) => ({
      profile: p.profile,
      categoryName: p.category.name,
      standard: p.standard.code,
      sheets: p.sheets.map(({ sheet, header }) => ({ sheet: sheet.info.name, headerRow: header.row, headerRows: header.rows })),
      notes: p.notes,
      trial: trials[i],
    })),
    sheets: suggestion.sheets,
  };
}
