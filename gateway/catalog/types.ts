/**
 * The information catalog as shipped in seeds/catalog.json: the categories of
 * 附件3 of 黄信用〔2017〕4号, each with the data standard it follows.
 * Pure data, no behaviour.
 */

/**
 * The data standards a category can follow, by name. Names are the credit
 * center's, in Chinese; 通用 is the catch-all for categories no specific
 * standard fits.
 */
export const INFO_TYPES = [
  '行政许可',
  '行政处罚',
  '行政强制',
  '主体标识',
  '个人身份标识',
  '登记注册备案',
  '资质',
  '职业资格',
  '表彰荣誉',
  '黑名单',
  '失信被执行人',
  '分类监管',
  '纳税信用',
  '欠费违约',
  '通用',
] as const;
export type InfoType = (typeof INFO_TYPES)[number];

/**
 * Whom a category's records are about. `both` is for categories the notice
 * lists before any subject section (e.g. a department's generic 行政处罚信息),
 * which may concern a legal or a natural person.
 */
export const CATALOG_SUBJECT_KINDS = ['legal', 'natural', 'both'] as const;
export type CatalogSubjectKind = (typeof CATALOG_SUBJECT_KINDS)[number];

export interface CatalogProvider {
  /** `P01`…`P69`, by 附件3 document order. */
  code: string;
  /** The name exactly as in 附件3, normalised (see names.ts). */
  name: string;
  /** Other names of the same department in the notice (附件2, 附件4, 附件5). */
  aliases: string[];
  /** The department's count in 附件2, or null when 附件2 does not list it. */
  annex2Count: number | null;
  /** Number of categories kept in the catalog (dropped duplicates excluded). */
  categories: number;
}

export interface CatalogCategory {
  /** `Pnn-mmm`: mmm is the row's 1-based position in its provider's list. */
  code: string;
  /** Provider code. */
  provider: string;
  providerName: string;
  name: string;
  frequency: string;
  subjectKind: CatalogSubjectKind;
  infoType: InfoType;
  /** 1-based line of the row in the notice text, for reviewers. */
  row: number;
}

/** A row of 附件3 left out because it repeats an earlier row of its section. */
export interface DroppedDuplicate {
  /** The code the row would have had; it stays unused. */
  code: string;
  provider: string;
  name: string;
  row: number;
  /** Code of the kept row with the same name. */
  duplicateOf: string;
  reason: string;
}

export interface CatalogFile {
  source: string;
  providers: CatalogProvider[];
  categories: CatalogCategory[];
  duplicates: DroppedDuplicate[];
}

/**
 * What happened to a department in the 2018–2019 reorganisation: `renamed`
 * (same provider, new name), `merged` (several providers, or a provider and
 * bodies the 2017 notice did not list), `split` (kept only part of its 2017
 * categories), `new` (feeds no 2017 category), `unchanged`.
 */
export const DEPARTMENT_CHANGES = ['renamed', 'merged', 'split', 'new', 'unchanged'] as const;
export type DepartmentChange = (typeof DEPARTMENT_CHANGES)[number];

/** One 2017 provider a department of today took over: all of it, or only `categories`. */
export interface AbsorbedProviderEntry {
  provider: string;
  /** Only these of its categories; the whole provider when absent. */
  categories?: string[];
  note?: string;
}

/** One department as seeds/departments-2019.json writes it. */
export interface DepartmentEntry {
  /** The full name of today, e.g. 黄石市市场监督管理局. */
  name: string;
  /** Other names people use for it (市场监管局); never a 2017 name that meant less or more. */
  shortForms: string[];
  change: DepartmentChange;
  absorbed: AbsorbedProviderEntry[];
  /** Keys of the file's `sources`: the reorganisation documents the mapping follows. */
  sources: string[];
  /** True where the mapping follows the national or provincial pattern and the city's own document was not checked. */
  assumed: boolean;
  note?: string;
}

export interface DepartmentsFile {
  about?: string;
  /** Document key → the document's name and date, as cited. */
  sources: Record<string, string>;
  departments: DepartmentEntry[];
}

/** The part of one 2017 provider a department feeds. */
export interface DepartmentPart {
  provider: Readonly<CatalogProvider>;
  categories: readonly Readonly<CatalogCategory>[];
  /** All of the provider's categories. */
  whole: boolean;
  note?: string;
}

/**
 * A department as lookups return it: one of today (from departments-2019.json),
 * or a 2017 provider named by its 2017 name when today's department that
 * took it over differs (市工商局 still means P01 alone, as old configurations meant).
 */
export interface Department {
  name: string;
  shortForms: readonly string[];
  /** `2017`: the query named a 2017 provider, which is not a department of today by itself. */
  change: DepartmentChange | '2017';
  parts: readonly DepartmentPart[];
  /** The 2017 providers it feeds, in catalog order. */
  providers: readonly Readonly<CatalogProvider>[];
  /** Every category it feeds, grouped by provider in catalog order. */
  categories: readonly Readonly<CatalogCategory>[];
  /** The documents the mapping follows, as cited. */
  source: string;
  assumed: boolean;
  note?: string;
  /** For a 2017 provider: the departments of today its categories went to. */
  successors: readonly string[];
}

/** The loaded catalog: frozen data plus lookups. */
export interface Catalog {
  readonly source: string;
  readonly providers: readonly Readonly<CatalogProvider>[];
  readonly categories: readonly Readonly<CatalogCategory>[];
  readonly duplicates: readonly Readonly<DroppedDuplicate>[];
  /** The category with this code (e.g. `P07-002`). */
  byCode(code: string): Readonly<CatalogCategory> | undefined;
  /** The provider with this code, name or alias (brackets and spaces do not matter). */
  provider(nameOrAliasOrCode: string): Readonly<CatalogProvider> | undefined;
  /** A provider's categories in notice order; empty for an unknown code. */
  categoriesOf(providerCode: string): readonly Readonly<CatalogCategory>[];
  /** Departments of today (seeds/departments-2019.json); empty when the catalog was built without them. */
  readonly departments: readonly Department[];
  /** The department of today with this full name or short form (not 2017 names: see resolveDepartment). */
  department(nameOrShortForm: string): Department | undefined;
}
