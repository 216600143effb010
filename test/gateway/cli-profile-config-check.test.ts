/**
 * What `profile suggest` prints is a configuration: pasted under profiles:,
 * `config check` passes it (for a CSV, an .xlsx and a real .xls), so a
 * clerk's first paste never stops the gateway.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { BOM, licencesCsv, penaltiesMixedCsv, penaltiesMixedXlsx, teachersXls, teachersXlsx } from '../helpers/profile-samples.js';

t.test('the YAML printed, pasted under profiles: of a configuration, passes config check (CSV, .xlsx, .xls; one kind of subject or both)', async (t) => {
  const dir = t.testdir({ '许可信息_20170605.csv': BOM + licencesCsv });
  const samples: [string, string][] = [
    [join(dir, '许可信息_20170605.csv'), 'P06-010'],
    [await teachersXlsx(dir), 'P13-002'],
    [teachersXls(dir), 'P13-002'],
    // Companies and people in one export, each with its own code column: subject.code names both.
    [penaltiesMixedCsv(dir), 'P07-002'],
    [await penaltiesMixedXlsx(dir), 'P07-002'],
  ];
  for (const [file, category] of samples) {
    const run = await runCli(['profile', 'suggest', file, '--category', category]);
    t.equal(run.code, 0, run.stderr);
    const config = join(dir, 'gateway.yaml');
    writeFileSync(config, [
      'gateway: { id: hs-test, department: 市食品药品监督管理局, dataDir: ./data }',
      'platform: { url: "http://127.0.0.1:9/", secretRef: platform }',
      'sources: []',
      'jobs: []',
      'profiles:',
      ...run.stdout.split('\n').map((l) => `  ${l}`),
    ].join('\n'));
    const check = await runCli(['config', 'check', config], { CREDIT_GATEWAY_SECRET_PLATFORM: 'platform-secret' });
    t.equal(check.code, 0, `${file}: ${check.stderr}`);
    t.match(check.stdout, /ok/);
  }
});
