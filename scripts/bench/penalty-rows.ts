/**
 * The benchmark's 行政处罚 rows: what a 人社局's case system holds, 15
 * columns and about 600 bytes of Chinese text a row, valid 统一社会信用代码,
 * deterministic for a given id so a kept table and a fresh one are the same.
 */
import { makeCreditCode, PENALTIES } from '../demo/make-demo-data.js';

export const TABLE = 't_penalty';

/** Column order of `penaltyRow` and of the table. */
export const COLUMNS = [
  'id', 'party_name', 'credit_code', 'legal_rep', 'decision_no', 'violation', 'facts', 'basis',
  'punish_type', 'content', 'fine_wan', 'punish_date', 'publish_until', 'authority', 'updated_at',
] as const;

export const CREATE_TABLE = `CREATE TABLE ${TABLE} (
  id BIGINT NOT NULL PRIMARY KEY,
  party_name VARCHAR(200) NOT NULL,
  credit_code CHAR(18) NOT NULL,
  legal_rep VARCHAR(50),
  decision_no VARCHAR(100) NOT NULL,
  violation VARCHAR(200),
  facts VARCHAR(2000),
  basis VARCHAR(500),
  punish_type VARCHAR(20) NOT NULL,
  content VARCHAR(500),
  fine_wan DECIMAL(10, 4),
  punish_date DATE NOT NULL,
  publish_until DATE NOT NULL,
  authority VARCHAR(200) NOT NULL,
  updated_at DATETIME(6) NOT NULL
) DEFAULT CHARSET = utf8mb4`;

/** The gateway's read pattern needs it; added after the load, which is faster. */
export const CURSOR_INDEX = `ALTER TABLE ${TABLE} ADD KEY ${TABLE}_cursor (updated_at, id)`;

const PLACES = ['华新', '东楚', '磁湖', '铁山', '西塞', '鄂东', '黄荆', '青龙', '港湾', '大冶湖', '新港', '团城'];
const TRADES = ['人力资源服务', '劳务派遣', '建筑劳务', '物业管理', '家政服务', '机械制造', '纺织服装', '餐饮管理'];
const PEOPLE = ['张伟', '王芳', '李强', '刘洋', '陈静', '赵磊', '孙丽', '周杰'];
const AUTHORITY = '黄石市人力资源和社会保障局';
/** The department's own code: not a column, the configuration states it (as departments' tables do not repeat it). */
export const AUTHORITY_CODE = '11420200011079463Y';
const DAY = 86_400_000;
/** Rows were changed over about three days, four a second, in id order. */
const FIRST_CHANGE = Date.UTC(2024, 0, 1);

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** 'YYYY-MM-DD hh:mm:ss.ffffff', a naive DATETIME(6) in the server's zone. */
export function datetime6(ms: number, micros = 0): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}.${String((ms % 1000) * 1000 + micros).padStart(6, '0')}`;
}

/** Row `id`, in COLUMNS order; `content` replaced when given (the churn marks its changes there). */
export function penaltyRow(id: number, content?: string): (string | number | null)[] {
  const random = seeded(id * 7919);
  const p = PENALTIES[id % PENALTIES.length]!;
  const place = PLACES[id % PLACES.length]!;
  const trade = TRADES[(id >> 3) % TRADES.length]!;
  const name = `黄石市${place}${trade}有限公司${id}`;
  const decided = Date.UTC(2023, 0, 1) + Math.floor(random() * 700) * DAY;
  const workers = 3 + Math.floor(random() * 40);
  const months = 2 + Math.floor(random() * 10);
  const facts = `经查，${name}在${ymd(decided - months * 30 * DAY)}至${ymd(decided - 15 * DAY)}期间，存在${p.act}的行为，`
    + `涉及劳动者${workers}人，持续${months}个月。有工资支付记录、劳动合同及社会保险缴费明细为证，当事人无异议，依法应当给予行政处罚。`;
  const fine = p.fine ? `罚款人民币${(id % 5) + 1}万元整，并责令当事人于十五日内改正违法行为` : '警告，并责令当事人立即改正违法行为';
  return [
    id, name, makeCreditCode(random, 'company'), PEOPLE[id % PEOPLE.length]!, `黄人社监罚〔${2023 + (id % 2)}〕${id}号`,
    p.act, facts, p.basis, p.type, content ?? fine, p.fine ? `${(id % 5) + 1}.0000` : null, ymd(decided), ymd(decided + 3 * 365 * DAY), AUTHORITY,
    datetime6(FIRST_CHANGE + id * 250),
  ];
}

/** The gateway job's and the naive script's field → column, the same payload for both (with CONSTANT_FIELDS). */
export const FIELD_COLUMNS: Readonly<Record<string, string>> = {
  CF_XDR_MC: 'party_name', CF_XDR_SHXYM: 'credit_code', CF_FRDB: 'legal_rep', CF_WSH: 'decision_no',
  CF_WFXW: 'violation', CF_SY: 'facts', CF_YJ: 'basis', CF_CFLB: 'punish_type', CF_NR: 'content', CF_NR_FK: 'fine_wan',
  CF_JDRQ: 'punish_date', CF_YXQ: 'publish_until', CF_CFJG: 'authority', CF_SJLY: 'authority',
};

/** Fields no column holds: the same for every row. */
export const CONSTANT_FIELDS: Readonly<Record<string, string>> = {
  CF_XDR_LB: '法人及非法人组织', CF_CFJGDM: AUTHORITY_CODE, CF_SJLYDM: AUTHORITY_CODE,
};
