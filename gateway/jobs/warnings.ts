/**
 * Conditions found when a job starts that do not stop it but can cost rows
 * or correctness, shown on the status page beside the job or source with
 * what to do. One table of codes; the messages are for a department's
 * technical contact, in Chinese. Decisions are pure: facts and probe results
 * come in as values.
 */
import type { CursorProbe, SourceFacts } from '../../connectors/contract.js';
import { zonesDiffer } from './time-zone.js';
import type { CursorKind, ReadWindow } from './window.js';

export interface Warning {
  code: WarningCode;
  message: string;
  action: string;
  /** The values the message was made from, so the status page can say it in another language too. */
  params: Record<string, string | number | string[]>;
}

export const WARNINGS = {
  NULL_CURSOR_ROWS: {
    message: (p: { rows: number; columns: string[] }) =>
      `有 ${p.rows} 行的游标列（${p.columns.join('、')}）为空：增量读取按游标定位，看不到这些行，它们不会被发送`,
    action: '在源库为这些行补上游标列的值（例如更新时间）；或为该任务配置 snapshotSchedule，由定期全量比对发送它们',
  },
  NULL_KEY_ROWS: {
    message: (p: { rows: number; columns: string[] }) =>
      `有 ${p.rows} 行的主键列（${p.columns.join('、')}）为空：全量读取按主键定位，看不到这些行，它们不会被发送`,
    action: '在源库为这些行补上主键值，或在任务查询中排除它们',
  },
  WHOLE_SECOND_CURSOR: {
    message: (p: { column: string; lagSecs: number }) =>
      `游标列 ${p.column} 只精确到秒：与某次读取同一秒、但在读取之后才提交的行，只靠安全延迟（当前 ${p.lagSecs} 秒）才不会漏读`,
    action: '保持 safetyLagSecs 不小于 1（网关已按至少 1 秒执行）；如可能，把该列改为带小数秒的时间类型',
  },
  NUMERIC_CURSOR: {
    message: (p: { column: string }) =>
      `游标列 ${p.column} 是数值，无法按数据库时钟留出安全延迟：编号较小、但在读取之后才提交的行会被漏读`,
    action: '改用更新时间列作游标的第一列；或为该任务配置 snapshotSchedule，由定期全量比对补上漏读的行',
  },
  HELD_BY_OPEN_TRANSACTION: {
    message: (p: { secs: number; since: string }) =>
      `源库中最早的未提交事务从 ${p.since} 起已持续约 ${p.secs} 秒：读取停在它开始之前，它提交或回滚之后才读取之后的变更（不会漏读，但会滞后）`,
    action: '在源库查找并结束长时间未提交的事务（MySQL/MariaDB：information_schema.innodb_trx；PostgreSQL：pg_stat_activity 中 xact_start 最早的会话）；长报表、备份请放在业务低峰期',
  },
  LOOKBACK_IGNORED: {
    message: (p: { column: string }) => `回看窗口（lookbackSecs）只适用于时间戳游标；游标列 ${p.column} 不是时间戳，本次未回看`,
    action: '删除该任务的 lookbackSecs，或改用时间戳列作游标的第一列',
  },
  TIME_ZONE_MISMATCH: {
    message: (p: { database: string; configured: string; columns: string[] | null }) =>
      `数据库报告的时区为 ${p.database}，与配置的 timeZone（${p.configured}）不一致：不带时区的时间值${p.columns ? `（列 ${p.columns.join('、')}）` : ''}按 ${p.configured} 解读，若配置有误，这些时间都会整体偏移，增量游标的安全延迟也随之失效`,
    action: '核实业务数据中时间值所用的时区，并据此修改该数据源的 timeZone',
  },
  WRITABLE_ACCOUNT: {
    message: (_: object) => '数据库账号具有写权限，建议改用只读账号',
    action: '为网关创建只授予查询（SELECT）权限的数据库账号，并在配置中改用它',
  },
} as const;

export type WarningCode = keyof typeof WARNINGS;

function warning<C extends WarningCode>(code: C, params: Parameters<(typeof WARNINGS)[C]['message']>[0]): Warning {
  const spec = WARNINGS[code];
  const values = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null && v !== undefined)) as Warning['params'];
  return { code, message: (spec.message as (p: typeof params) => string)(params), action: spec.action, params: values };
}

/**
 * A read held back longer than this by an open transaction is worth a look:
 * ordinary transactions last milliseconds, a forgotten one or a long report
 * (PostgreSQL cannot tell whether its transaction will write) for ever.
 */
export const HELD_WARNING_SECS = 60;

/** What an incremental job's probe and window say about its cursor. */
export function incrementalWarnings(input: {
  cursor: string[];
  probe: CursorProbe;
  kind: CursorKind;
  window: ReadWindow;
  lookbackSecs: number;
  snapshotScheduled: boolean;
}): Warning[] {
  const { cursor, probe, kind } = input;
  const column = cursor[0]!;
  const out: Warning[] = [];
  if (probe.nullCursorRows > 0) out.push(warning('NULL_CURSOR_ROWS', { rows: probe.nullCursorRows, columns: cursor }));
  if (kind === 'timestamp' && probe.fractionalDigits === 0) out.push(warning('WHOLE_SECOND_CURSOR', { column, lagSecs: Math.round(input.window.lagSecs * 100) / 100 }));
  if (kind === 'number' && !input.snapshotScheduled) out.push(warning('NUMERIC_CURSOR', { column }));
  if (kind !== 'timestamp' && input.lookbackSecs > 0) out.push(warning('LOOKBACK_IGNORED', { column }));
  const bound = input.window.bound;
  if (bound?.kind === 'open-transactions' && bound.oldestStart && input.window.lagSecs > HELD_WARNING_SECS) {
    out.push(warning('HELD_BY_OPEN_TRANSACTION', { secs: Math.round(input.window.lagSecs), since: bound.oldestStart }));
  }
  return out;
}

/** What a snapshot job's probe of its key says. */
export function snapshotWarnings(input: { key: string[]; probe: CursorProbe }): Warning[] {
  return input.probe.nullCursorRows > 0 ? [warning('NULL_KEY_ROWS', { rows: input.probe.nullCursorRows, columns: input.key })] : [];
}

/** What the database's facts say about the source as a whole. */
export function sourceWarnings(input: { facts: SourceFacts }): Warning[] {
  return input.facts.canWrite === true ? [warning('WRITABLE_ACCOUNT', {})] : [];
}

/**
 * A database zone that differs from the configured one matters only for
 * the job's columns without a zone (timestamp, DATETIME, DATE in Oracle):
 * instants (timestamptz, DATETIMEOFFSET …) read the same whatever either
 * zone says. So a job warns only when its query has such columns, or when
 * the source cannot tell.
 */
export function zoneWarnings(input: { facts: SourceFacts; timeZone?: string; probe: CursorProbe }): Warning[] {
  const naive = input.probe.naiveTimeColumns;
  if (!input.timeZone || (naive && naive.length === 0)) return [];
  if (!zonesDiffer(input.facts.timeZone, input.timeZone, new Date(input.facts.now))) return [];
  return [warning('TIME_ZONE_MISMATCH', { database: input.facts.timeZone!, configured: input.timeZone, columns: naive ?? null })];
}
