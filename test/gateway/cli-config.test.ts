/**
 * The built command line: `config check` prints every problem on a line of
 * its own (file:line:column, member, code, message, did you mean, what to
 * do) and exits 1; start and run refuse with the same lines. Most cases run
 * in-process (test/gateway/preflight/preflight.test.ts); these few prove
 * the exit status and the output.
 */
import t from 'tap';
import { runCli } from '../helpers/cli.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';


async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, env);
}

/** Three mistakes of three kinds that used to take four runs to find. */
const BROKEN = `gateway:
  id: hs-test
  department: 市人社局
  dataDir: ./data
platform:
  url: https://gw:s3cret@platform.example/exchange
  secretRef: platform
sources:
  - name: biz
    kind: sqlite
    file: ./biz.sqlite
jobs:
  - name: penalties
    source: biz
    category: P07-002
    query: SELECT * FROM t_penalty
    cursor: [updated_at, id]
    key: [id]
    subject: { kind: legal, name: party_name, code: credit_code }
    fields:
      CF_XDR_MC: party_name
      CF_NRR: content
  - name: licences
    source: biz
    category: P39-020
    query: SELECT * FROM t_licence
    mode: snapshot
    key: [id]
    subject: { kind: legal, name: party_name, code: credit_code }
    fields:
      CF_XDR_MC: party_name
`;

const env = { CREDIT_GATEWAY_SECRET_PLATFORM: 'platform-secret' };

t.test('config check lists every problem at its line with its code, what to do and the nearest names, and exits 1', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'demo.yaml');
  writeFileSync(file, BROKEN);
  const text = await cli(['config', 'check', file], env);
  t.equal(text.code, 1);
  t.equal(text.stdout, '');
  const lines = text.stderr.trimEnd().split('\n');
  t.match(lines, [
    /demo\.yaml:6:3 platform\.url CONFIG_PLATFORM_URL_CREDENTIALS: /,
    /^ {2}what to do: remove user:pass@ from platform\.url/,
    /demo\.yaml:22:7 jobs\[0\]\.fields\.CF_NRR CONFIG_FIELD_UNKNOWN: "CF_NRR" is not a field of 行政处罚信息.* — did you mean CF_NR \(处罚内容\)\?$/,
    /^ {2}what to do: /,
    /demo\.yaml:25:5 jobs\[1\]\.category CONFIG_CATEGORY_UNKNOWN: "P39-020" is not in the information catalog.* — did you mean P39-00\d /,
    /^ {2}what to do: use a code of the catalog/,
    /demo\.yaml: 3 problems; the gateway does not start with this configuration$/,
  ]);
  t.notMatch(text.stderr, /s3cret/, 'the password in the URL is not repeated');

  const json = await cli(['config', 'check', '--json', file], env);
  t.equal(json.code, 1);
  const report = JSON.parse(json.stdout) as { ok: boolean; problems: { line: number; column: number; path: string; code: string; suggestions: string[] }[] };
  t.equal(report.ok, false);
  t.same(report.problems.map((p) => [p.line, p.column, p.path, p.code]), [
    [6, 3, 'platform.url', 'CONFIG_PLATFORM_URL_CREDENTIALS'],
    [22, 7, 'jobs[0].fields.CF_NRR', 'CONFIG_FIELD_UNKNOWN'],
    [25, 5, 'jobs[1].category', 'CONFIG_CATEGORY_UNKNOWN'],
  ]);
  t.same(report.problems[1]!.suggestions, ['CF_NR (处罚内容)']);
});

t.test('start and run refuse with the same list, before anything opens', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'demo.yaml');
  writeFileSync(file, BROKEN);
  const checked = await cli(['config', 'check', file], env);
  const started = await cli(['start', '--config', file], env);
  t.equal(started.code, 1);
  t.equal(started.stderr, checked.stderr, 'start prints what config check prints');
  const ran = await cli(['run', 'penalties', '--config', file], env);
  t.equal(ran.code, 1);
  t.equal(ran.stderr, checked.stderr, 'run too (its status page checks aside: it serves none)');
});

t.test('a template format that does not exist is an option error naming the allowed values, not a configuration error', async (t) => {
  const dir = t.testdir({});
  const r = await cli(['template', 'P07-002', '--format', 'xls', '--out', join(dir, 'x.xls')]);
  t.equal(r.code, 1);
  t.match(r.stderr, /^CONFIG_OPTION_INVALID: a command-line option has a value it does not take\n {2}--format: "xls" is not one of: xlsx, csv/);
  t.notMatch(r.stderr, /CONFIG_INVALID|schema/);
});
