/**
 * Which data standard each category follows, by keywords of its name. The
 * rules are ordered and the first match wins, so a name that mentions two
 * things follows the more specific or more consequential standard:
 * 行政许可、处罚信息 is a penalty, 执业药师注册信息 a professional
 * qualification rather than a registration. Anything unmatched is 通用.
 */
import type { InfoType } from '../../gateway/catalog/types.js';

export interface InfoTypeRule {
  infoType: InfoType;
  pattern: RegExp;
  /** Why this rule sits where it does, for reviewers. */
  why: string;
}

export const INFO_TYPE_RULES: readonly InfoTypeRule[] = [
  { infoType: '失信被执行人', pattern: /失信被执行人|执行案件|诉讼失信/, why: 'court enforcement records, before 黑名单 and 欠费违约' },
  { infoType: '黑名单', pattern: /黑榜|黑名单/, why: 'published blacklists' },
  { infoType: '主体标识', pattern: /主体标识/, why: 'the legal-person identity rows (主体标识信息, 企业主体标识信息)' },
  { infoType: '个人身份标识', pattern: /身份|个人基本信息/, why: 'natural-person identity and its changes' },
  { infoType: '纳税信用', pattern: /纳税信用/, why: 'tax credit ratings, before the generic 评定/评价 of 分类监管' },
  { infoType: '欠费违约', pattern: /欠费|拖欠|欠税|欠缴|违约|未履行法定义务/, why: 'arrears and breaches, before 处罚 so unpaid fees are not read as penalties' },
  { infoType: '行政处罚', pattern: /处罚/, why: 'penalties, before 许可 (行政许可、处罚信息 is treated as a penalty)' },
  { infoType: '行政强制', pattern: /行政强制/, why: 'administrative coercion (行政征收/行政强制 included)' },
  { infoType: '表彰荣誉', pattern: /表彰|荣誉|红榜|奖励|称号|守信用|诚信示范|著名商标/, why: 'commendations and honour titles' },
  { infoType: '职业资格', pattern: /资格|执业药师|职业技能|专业技术职务/, why: 'personal qualifications, before 注册 so 资格注册 is a qualification' },
  { infoType: '行政许可', pattern: /许可|审批|行政确认/, why: 'licences and approvals; the notice pairs 行政许可/行政确认 as one category' },
  { infoType: '资质', pattern: /资质|认证|认定/, why: 'organisation qualifications and certifications (GSP/GMP, 高新技术企业认定)' },
  { infoType: '登记注册备案', pattern: /登记|注册|备案|注销|吊销|注[（(][^）)]*[）)]销/, why: 'registration and its end (注销, 吊销, 注（撤）销)' },
  { infoType: '分类监管', pattern: /分类监管|监管|年检|年审|检验|检测|检疫|信用评价/, why: 'supervision ratings and periodic inspections' },
];

/** The information type of a category name (normalised, as in the catalog). */
export function infoTypeOf(name: string): InfoType {
  return INFO_TYPE_RULES.find((rule) => rule.pattern.test(name))?.infoType ?? '通用';
}
