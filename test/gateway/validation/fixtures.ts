/**
 * A 市人社局 penalty job and a row that meets the 2019 行政处罚 standard in
 * every field, for tests that break one thing at a time.
 */
import type { JobMapping } from '../../../gateway/mapping/types.js';

export const ctx = { gatewayId: 'hs-rsj', observedAt: '2026-11-26T08:00:00.000Z' };

export const penaltyJob: JobMapping = {
  name: 'penalties',
  category: 'P07-002',
  key: ['id'],
  subject: {
    kind: { column: 'party_type', values: { 法人及非法人组织: 'legal', 个体工商户: 'individual_business', 自然人: 'natural' } },
    name: 'party_name',
    code: 'credit_code',
  },
  deleted: { column: 'revoked', values: [1] },
  fields: {
    CF_XDR_MC: 'party_name',
    CF_XDR_LB: 'party_type',
    CF_XDR_SHXYM: 'credit_code',
    CF_FRDB: 'legal_rep',
    CF_WSH: 'decision_no',
    CF_WFXW: 'violation',
    CF_SY: 'facts',
    CF_YJ: 'basis',
    CF_CFLB: 'punish_type',
    CF_NR: 'content',
    CF_NR_FK: 'fine_wan',
    CF_JDRQ: { column: 'punish_date', date: 'YYYY-MM-DD' },
    CF_YXQ: { column: 'valid_until', date: 'YYYY-MM-DD' },
    CF_GSJZQ: { column: 'publish_until', date: 'YYYY-MM-DD' },
    CF_CFJG: 'authority',
    CF_CFJGDM: 'authority_code',
    CF_SJLY: 'authority',
    CF_SJLYDM: 'authority_code',
  },
};

export const penaltyRow = {
  id: 1,
  party_name: '黄石港湾人力资源服务股份有限公司',
  credit_code: '91420200846J0URW7B',
  party_type: '法人及非法人组织',
  legal_rep: '孙丽',
  decision_no: '黄人社监罚〔2026〕1号',
  violation: '拖欠农民工工资',
  facts: '经查，该单位存在拖欠农民工工资的行为。',
  basis: '《保障农民工工资支付条例》第五十四条',
  punish_type: '罚款',
  content: '罚款人民币2.1万元',
  fine_wan: '2.1000',
  punish_date: '2026-09-23',
  valid_until: '2027-09-23',
  publish_until: '2027-09-23',
  authority: '黄石市人力资源和社会保障局',
  authority_code: '11420200011079463Y',
  revoked: 0,
};

export type Cells = Record<string, string | number | boolean | null>;
