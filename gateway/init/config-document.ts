/**
 * The starter configuration `credit-gateway init` writes: YAML whose
 * comments say, section by section, what it is and what to change (in
 * Chinese first, the department's language, then English). Pure: answers
 * and job proposals in, text out. Secrets are never in it, only their names.
 *
 * Every category of the department gets a job: a proposed one where a table
 * was named, otherwise (or when the proposal cannot run) the job written
 * commented out with what is missing, so the file always loads.
 */
import { stringify } from 'yaml';
import type { SourceKind } from '../../connectors/options.js';
import type { CatalogCategory } from '../catalog/types.js';
import type { Standard } from '../standards/types.js';
import type { JobProposal } from './propose-job.js';

export const PLATFORM_SECRET = 'platform';
export const DATABASE_SECRET = 'db_password';
export const SOURCE_NAME = 'db';

export interface SourceAnswers {
  kind: SourceKind;
  /** sqlite: the database file (absolute). */
  file?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  /** The zone the database's naive times are written in (network kinds; SQLite only when stated). */
  timeZone?: string;
}

export interface StarterConfig {
  gatewayId: string;
  department: string;
  platformUrl: string;
  source: SourceAnswers;
  secretsFile: string;
  dataDir: string;
  /** Every category of the department, with its proposal when a table was named. */
  jobs: { category: Readonly<CatalogCategory>; standard: Readonly<Standard>; proposal: JobProposal | null }[];
  /** The job query for a table, quoted in the source's SQL. */
  query: (table: string) => string;
  writtenAt: string;
}

/** A YAML scalar or flow collection, quoted only where YAML needs it. */
function y(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
}

const MATCH_NOTES: Record<string, string> = {
  'chinese-name': '按中文字段名 / Chinese field name',
  'field-code': '按字段代码 / field code',
  'standard-alias': '按标准别名 / alias in the standard',
  'code-initials': '按代码拼音首字母 / code initials',
  'common-name': '按常用列名 / common column name',
  'close-match': '相近列名，请核对 / CLOSE MATCH: check it',
};

function sourceLines(c: StarterConfig): string[] {
  const s = c.source;
  const lines = [
    '# sources: 部门的业务数据库，网关只读（请用只读账号）。密码不写在这里：在 secrets 文件的',
    `# ${DATABASE_SECRET} 项（credit-gateway secrets set ${DATABASE_SECRET} -f ${c.secretsFile}）。`,
    "# sources: the department's database, read only (use a read-only account); its password is",
    `# the secret ${DATABASE_SECRET}, never written here.`,
    'sources:',
    `  - name: ${SOURCE_NAME}`,
    `    kind: ${s.kind}`,
  ];
  if (s.kind === 'sqlite') {
    lines.push(`    file: ${y(s.file)}`);
    if (s.timeZone) lines.push(`    timeZone: ${y(s.timeZone)}       # 库中不带时区的时间按此时区 / zone of naive times`);
    else lines.push('    # timeZone: Asia/Shanghai   # 仅当库中时间为北京时间文本时填写 / only if naive times are local');
    return lines;
  }
  lines.push(`    host: ${y(s.host)}`);
  if (s.port !== undefined) lines.push(`    port: ${s.port}`);
  lines.push(`    database: ${y(s.database)}`, `    user: ${y(s.user)}`, `    passwordRef: ${DATABASE_SECRET}`);
  lines.push(`    timeZone: ${y(s.timeZone ?? 'Asia/Shanghai')}       # 库中不带时区的时间（DATETIME）按此时区 / zone of naive DATETIME values`);
  return lines;
}

function jobLines(c: StarterConfig, job: StarterConfig['jobs'][number]): string[] {
  const { category, standard, proposal } = job;
  const head = `  # ${category.code} ${category.name}（${category.frequency}，数据标准 ${standard.name} ${standard.code}）`;
  if (!proposal) {
    return [
      head,
      '  #   未指定表：填写表名后去掉下面各行的 #，再按 credit-gateway config check --probe 的提示补全字段。',
      '  #   No table given: name the table, uncomment, then complete the fields as `config check --probe` says.',
      ...commented([
        `- name: ${category.code.toLowerCase()}`,
        `  source: ${SOURCE_NAME}`,
        `  category: ${category.code}`,
        '  query: SELECT * FROM <表名 table>',
        '  mode: snapshot',
        '  key: [<主键列 key column>]',
        `  subject: { kind: ${category.subjectKind === 'natural' ? 'natural' : 'legal'}, name: <名称列>, code: <代码列> }`,
        '  fields:',
        ...standard.fields.filter((f) => f.required).map((f) => `    ${f.code}: <${f.name}>`),
      ]),
    ];
  }
  const p = proposal;
  const body: string[] = [
    `- name: ${p.name}`,
    `  source: ${SOURCE_NAME}`,
    `  category: ${category.code}`,
    `  query: ${y(c.query(p.table))}`,
    `  mode: ${p.mode}`,
  ];
  if (p.cursor) body.push(`  cursor: ${y(p.cursor)}       # 更新时间列在前，其后为主键 / change time first, then the key`);
  else body.push('  # 表中没有更新时间列：每次整表读取，只发送变化 / no change-time column: every run reads the whole table, only changes are sent');
  body.push(`  key: ${y(p.columns.key?.columns ?? ['TODO'])}       # 唯一标识一行的列 / the columns that identify a row (${p.columns.key?.rule ?? 'not found'})`);
  const subject = { kind: p.subject.kind, name: p.subject.name ?? 'TODO', code: p.subject.code ?? 'TODO' };
  body.push(`  subject: ${y(subject)}${p.subject.kindAssumed ? '       # 本类别也可能涉及自然人：如有相对人类别列，kind 改为 { column: 列名, values: { 值: natural } }' : ''}`);
  body.push('  fields:');
  const rule = (m: JobProposal['columns']['matches'][number]) => {
    const date = p.dateFormats[m.field.code];
    return date ? y({ column: m.column, date: date.format }) : y(m.column);
  };
  const width = Math.max(0, ...p.columns.matches.map((m) => m.field.code.length + rule(m).length));
  for (const m of p.columns.matches) {
    const date = p.dateFormats[m.field.code];
    const dateNote = date ? `；日期格式按 ${date.sampled} 行样本判断 / date format from ${date.sampled} sampled rows` : '';
    body.push(`    ${m.field.code}: ${rule(m)}${' '.repeat(width - m.field.code.length - rule(m).length)}   # ${m.field.name} ← ${MATCH_NOTES[m.rule]}${m.via !== m.column ? ` (${m.via})` : ''}${dateNote}`);
  }
  for (const k of p.constants) {
    const note = k.rule === 'department' ? '本部门，请写机关全称 / the department itself: write its full official name' : `本类别的主体类别 / the category's subject kind${p.subject.kindAssumed ? '（假定，请核对 / ASSUMED: check it）' : ''}`;
    body.push(`    ${k.field.code}: ${y({ const: k.value })}   # ${k.field.name} ← ${note}`);
  }
  for (const f of p.todo) body.push(`    # TODO ${f.code}: ${f.name}（必填，未找到对应列 / required, no column matched）`);
  const unused = p.columns.unused.length > 0 ? [`  #   未使用的列 / columns not used: ${p.columns.unused.join(', ')}`] : [];
  if (p.incomplete.length > 0) {
    return [
      head,
      `  #   表 ${p.table}：以下任务尚不能运行，补全后去掉 # / the job below cannot run yet; complete it, then uncomment:`,
      ...p.incomplete.map((r) => `  #   - ${r}`),
      ...unused,
      ...commented(body),
    ];
  }
  return [head, ...unused, ...body.map((l) => `  ${l}`)];
}

function commented(lines: string[]): string[] {
  return lines.map((l) => `  # ${l}`);
}

export function starterConfigText(c: StarterConfig): string {
  const runnable = c.jobs.filter((j) => j.proposal && j.proposal.incomplete.length === 0).length;
  const lines = [
    `# credit-gateway 配置文件：由 credit-gateway init 于 ${c.writtenAt} 生成。`,
    '# 先检查：credit-gateway config check --probe <本文件>；无误后：credit-gateway start --config <本文件>。',
    `# Written by credit-gateway init on ${c.writtenAt}. Check it with \`credit-gateway config check --probe FILE\`,`,
    '# then run `credit-gateway start --config FILE`. Relative paths are relative to this file.',
    '',
    '# gateway: 本网关。id 由信用中心分配；department 为部门现名；dataDir 存放队列和游标（权限 700）。',
    '# gateway: id as issued by the credit center; the department by its current name; dataDir holds the queue (mode 700).',
    'gateway:',
    `  id: ${y(c.gatewayId)}`,
    `  department: ${y(c.department)}`,
    `  dataDir: ${y(c.dataDir)}`,
    '',
    '# platform: 中心平台地址（信用中心提供）。平台密钥在 secrets 文件的 platform 项，不写在这里。',
    '# platform: the address the credit center gave; its secret is the secret "platform", never written here.',
    'platform:',
    `  url: ${y(c.platformUrl)}`,
    `  secretRef: ${PLATFORM_SECRET}`,
    '',
    '# secrets: 本地密钥文件（权限 600，只有运行网关的用户可读）：平台密钥、数据库密码。',
    '# secrets: the local secrets file (mode 600): the platform secret and the database password.',
    'secrets:',
    `  file: ${y(c.secretsFile)}`,
    '',
    '# status: 状态页默认只在本机 http://127.0.0.1:8650/ 提供；要对其他机器开放，须配置 users 和 tls（见 README）。',
    '# status: the status page listens on this machine only (127.0.0.1:8650); other addresses need users and tls.',
    '',
    ...sourceLines(c),
    '',
    '# jobs: 本部门每个目录类别一个任务：从哪张表读、哪一列是哪个字段。字段后的注释说明按什么规则匹配；',
    '# 标有“请核对”和 TODO 的行需要人工确认或补全。',
    '# jobs: one per catalog category of the department: which table, which column is which field. The comment',
    '# after each field says how it was matched; check lines marked CLOSE MATCH or ASSUMED, and fill in each TODO.',
    runnable > 0 ? 'jobs:' : 'jobs: []',
  ];
  for (const job of c.jobs) lines.push(...jobLines(c, job), '');
  return `${lines.join('\n').trimEnd()}\n`;
}
