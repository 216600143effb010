/**
 * 登记管理部门代码 (1st character of a 统一社会信用代码) and, per department,
 * its 机构类别代码 (2nd character): GB 32100-2015 表 2/表 3 with the codes the
 * registration authorities assigned since (基层群众性自治组织 54/55, 非法人
 * 工会 82, 境外非政府组织代表机构 G1, 业主大会 J1, 侨联组织 Q1–Q3 …).
 *
 * The category list keeps growing by notice rather than by revising the
 * standard, so an unlisted category is only a warning; an unlisted department
 * refuses the code.
 */
export interface RegistrationAuthority {
  name: string;
  /** 机构类别代码 → name */
  categories: Readonly<Record<string, string>>;
}

export const REGISTRATION_AUTHORITIES: Readonly<Record<string, RegistrationAuthority>> = {
  '1': { name: '机构编制', categories: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { name: '外交', categories: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    categories: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '6': '商事调解组织', '9': '其他' },
  },
  '4': { name: '文化', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': {
    name: '民政',
    categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '4': '村民委员会', '5': '居民委员会', '9': '其他' },
  },
  '6': { name: '旅游', categories: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { name: '宗教', categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', categories: { '1': '基层工会', '2': '非法人工会组织', '9': '其他' } },
  '9': { name: '工商', categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社', '9': '其他' } },
  A: { name: '中央军委改革和编制办公室', categories: { '1': '军队事业单位', '9': '其他' } },
  G: { name: '公安', categories: { '1': '境外非政府组织代表机构', '9': '其他' } },
  J: { name: '住房和城乡建设', categories: { '1': '业主大会', '9': '其他' } },
  N: { name: '农业农村', categories: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Q: { name: '侨联', categories: { '1': '区县级侨联组织', '2': '乡镇级侨联组织', '3': '村级侨联组织', '9': '其他' } },
  Y: { name: '其他', categories: { '1': '其他' } },
};
