/**
 * The answers `credit-gateway init` needs, each from its flag or, without
 * one, asked (on a terminal, or line by line from a script on stdin). With
 * --yes nothing is asked: a missing required answer is INIT_ANSWER_MISSING
 * naming its flag. Secrets come from an environment variable or are typed
 * hidden; there is no flag that takes a secret's value (it would show in
 * `ps` and the shell's history).
 */
import { Secrets } from '../../config/secrets.js';
import { checkCreditCode } from '../identifiers/credit-code.js';
import { isValidTimeZone } from '../../connectors/sql/time.js';
import type { SourceKind } from '../../connectors/options.js';
import { SOURCE_DEFAULT_PORTS } from '../../connectors/options.js';
import { DATABASE_SECRET, PLATFORM_SECRET, type SourceAnswers } from './config-document.js';
import { InitError } from './errors.js';
import type { Prompter } from './prompter.js';

export interface InitFlags {
  department?: string;
  gatewayId?: string;
  platformUrl?: string;
  platformSecretEnv?: string;
  db?: string;
  file?: string;
  host?: string;
  port?: string;
  database?: string;
  user?: string;
  passwordEnv?: string;
  timeZone?: string;
  departmentCode?: string;
}

export interface Answers {
  department: string;
  gatewayId: string;
  platformUrl: string;
  platformSecret: string;
  source: SourceAnswers;
  /** The database password (network kinds). */
  password?: string;
  departmentCode?: string;
}

/** mariadb is MySQL's connector; the rest are the source kinds. */
const DB_KINDS: Record<string, SourceKind> = { sqlite: 'sqlite', mysql: 'mysql', mariadb: 'mysql', postgres: 'postgres', postgresql: 'postgres', mssql: 'mssql', sqlserver: 'mssql', oracle: 'oracle' };

const checks = {
  gatewayId: (v: string) => (/^[A-Za-z0-9_-]{1,64}$/.test(v) ? null : 'letters, digits, _ and - (max 64), as the credit center issued it'),
  platformUrl: (v: string) => {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      return 'not a URL; e.g. https://platform.example/exchange';
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must start with https:// (or http:// to this machine only)';
    if (url.username || url.password) return 'must not hold a user or password (user:pass@): the gateway signs with the platform secret instead';
    return null;
  },
  db: (v: string) => (DB_KINDS[v.toLowerCase()] ? null : `one of ${Object.keys(DB_KINDS).join(', ')}`),
  port: (v: string) => (/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? null : 'a port number, 1 to 65535'),
  timeZone: (v: string) => (isValidTimeZone(v) ? null : 'an IANA time zone, e.g. Asia/Shanghai'),
  // Checked as every record's codes are, check character included: a typo here would be on every record sent.
  departmentCode: (v: string) => (checkCreditCode(v).ok ? null : 'not a valid 统一社会信用代码 (18 characters, the last a check character)'),
  filled: (v: string) => (v.trim() !== '' ? null : 'may not be empty'),
};

export class AnswerSource {
  readonly #flags: InitFlags;
  readonly #prompter: Prompter | null;
  readonly #env: NodeJS.ProcessEnv;

  constructor(flags: InitFlags, prompter: Prompter | null, env: NodeJS.ProcessEnv) {
    this.#flags = flags;
    this.#prompter = prompter;
    this.#env = env;
  }

  #say(line: string): void {
    this.#prompter?.tell(line);
  }

  /**
   * The flag's value, else the answer to `question` (asked again while it
   * does not pass `check`). `fallback`: taken when nothing is given, also
   * under --yes; without it the answer is required.
   */
  async value(flag: keyof InitFlags, option: string, question: string, check: (v: string) => string | null, fallback?: string): Promise<string> {
    const given = this.#flags[flag];
    if (given !== undefined) {
      const problem = check(given);
      if (problem) throw new InitError('INIT_ANSWER_INVALID', `${option} "${given}": ${problem}`);
      return given;
    }
    if (!this.#prompter) {
      if (fallback !== undefined) return fallback;
      throw new InitError('INIT_ANSWER_MISSING', `${option} (${question})`);
    }
    for (;;) {
      const answer = await this.#prompter.ask(question, fallback);
      const problem = check(answer);
      if (!problem) return answer;
      this.#say(`  ${problem}`);
    }
  }

  /** A secret: from the environment variable (the flag names it, default the gateway's own CREDIT_GATEWAY_SECRET_<NAME>), else typed hidden. */
  async secret(flag: 'platformSecretEnv' | 'passwordEnv', option: string, name: string, question: string): Promise<string> {
    const variable = this.#flags[flag] ?? Secrets.envName(name);
    const fromEnv = this.#env[variable];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    if (this.#flags[flag] !== undefined || !this.#prompter) {
      throw new InitError('INIT_ANSWER_MISSING', `${question}: set the environment variable ${variable}${this.#flags[flag] === undefined ? ` (or name another with ${option} VAR)` : ''}`);
    }
    for (;;) {
      const value = await this.#prompter.askHidden(`${question} (not shown)`);
      if (value !== '') return value;
      this.#say('  may not be empty');
    }
  }

  async collect(checkDepartment: (name: string) => string | null): Promise<Answers> {
    const department = await this.value('department', '--department', '部门现名 / the department\'s current name', (v) => checks.filled(v) ?? checkDepartment(v));
    const gatewayId = await this.value('gatewayId', '--gateway-id', '网关 ID（信用中心分配）/ gateway id issued by the credit center', checks.gatewayId);
    const platformUrl = await this.value('platformUrl', '--platform-url', '平台地址 / platform URL', checks.platformUrl);
    const platformSecret = await this.secret('platformSecretEnv', '--platform-secret-env', PLATFORM_SECRET, '平台密钥 / the platform secret');
    const kind = DB_KINDS[(await this.value('db', '--db', `数据库类型 / database kind (${Object.keys(DB_KINDS).join(', ')})`, checks.db)).toLowerCase()]!;
    const departmentCode = await this.value('departmentCode', '--department-code', '本部门统一社会信用代码（可留空）/ the department\'s 统一社会信用代码 (may be left empty)', (v) => (v === '' ? null : checks.departmentCode(v)), '');
    const optional = departmentCode ? { departmentCode } : {};
    if (kind === 'sqlite') {
      const file = await this.value('file', '--file', 'SQLite 数据库文件 / the SQLite database file', checks.filled);
      const timeZone = this.#flags.timeZone === undefined ? undefined : await this.value('timeZone', '--time-zone', '', checks.timeZone);
      return { department, gatewayId, platformUrl, platformSecret, source: { kind, file, ...(timeZone ? { timeZone } : {}) }, ...optional };
    }
    const host = await this.value('host', '--host', '数据库主机 / database host', checks.filled);
    const port = Number(await this.value('port', '--port', '端口 / port', checks.port, String(SOURCE_DEFAULT_PORTS[kind])));
    const database = await this.value('database', '--database', kind === 'oracle' ? '服务名 / service name' : '数据库名 / database name', checks.filled);
    const user = await this.value('user', '--user', '只读账号 / read-only user', checks.filled);
    const password = await this.secret('passwordEnv', '--password-env', DATABASE_SECRET, `${user} 的密码 / password of ${user}`);
    const timeZone = await this.value('timeZone', '--time-zone', '库中不带时区的时间按哪个时区写入 / zone of the database\'s naive times', checks.timeZone, 'Asia/Shanghai');
    return { department, gatewayId, platformUrl, platformSecret, source: { kind, host, port, database, user, timeZone }, password, ...optional };
  }

  /** The table for a category: from --table, else asked (a number from the list, a name, Enter for the suggestion, - for none). */
  async table(question: string, tables: readonly string[], suggestion: string | undefined): Promise<string | null> {
    if (!this.#prompter) return null;
    for (;;) {
      const answer = await this.#prompter.ask(`${question}（编号或表名，- 跳过 / number or name, - to skip)`, suggestion ?? '-');
      if (answer === '-' || answer === '') return null;
      if (/^\d+$/.test(answer)) {
        const picked = tables[Number(answer) - 1];
        if (picked) return picked;
        this.#say(`  no table number ${answer}: 1 to ${tables.length}`);
        continue;
      }
      return answer;
    }
  }
}
