/** The information catalog: what each department delivers, and under which code. */
export { createCatalog, requireProvider } from './catalog.js';
export {
  closeDepartmentNames, departmentCategories, gatewayDepartment, requireDepartment, resolveDepartment,
} from './department-lookup.js';
export { CatalogError } from './errors.js';
export type { CatalogErrorCode } from './errors.js';
export { formatCatalog } from './format.js';
export type { FormatOptions } from './format.js';
export { loadCatalog } from './load.js';
export { normaliseName } from './names.js';
export { CATALOG_FREQUENCIES, frequencyToSchedule } from './schedule.js';
export type { Schedule } from './schedule.js';
export { CATALOG_SUBJECT_KINDS, DEPARTMENT_CHANGES, INFO_TYPES } from './types.js';
export type {
  AbsorbedProviderEntry, Catalog, CatalogCategory, CatalogFile, CatalogProvider, CatalogSubjectKind, Department,
  DepartmentChange, DepartmentEntry, DepartmentPart, DepartmentsFile, DroppedDuplicate, InfoType,
} from './types.js';
