/** The name the store keeps a drop folder's records, counters and rejections under (':' is not allowed in job names). */
export const folderJobName = (source: string): string => `${source}:folder`;
