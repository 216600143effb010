/**
 * What the status page needs to offer 生成导出方案 for a recent file
 * without loading the readers: which rejections it is offered for, the
 * rejected file behind a report, the check on a name from a URL, and the
 * shape of the answer. Pure.
 */
import type { TrialResult } from './trial.js';

/** Why the drop folder could not place a file, when a profile would: the reasons the page offers a proposal for. */
export const OFFER_REASONS: ReadonlySet<string> = new Set(['FILE_PROFILE_NONE', 'FILE_CATEGORY_UNKNOWN', 'FILE_NAME_INVALID']);

const SAMPLE_NAME = /^[^./\\\u0000-\u001f\u007f][^/\\\u0000-\u001f\u007f]{0,250}\.(csv|xlsx|xls)$/i;

/** Whether `name` can only be a data file's own name in one folder (no path, no hidden file, a readable format). Pure. */
export function isSampleName(name: string): boolean {
  return SAMPLE_NAME.test(name) && !name.includes('..');
}

export interface ProfileOffer {
  /** The file's name in rejected/. */
  file: string;
  /** The proposed profiles as YAML to paste under `profiles:`; null when none could be proposed. */
  yaml: string | null;
  proposals: { profile: string; category: string; categoryName: string; trial: TrialResult }[];
  /** Why nothing could be proposed (the file cannot be read, no category fits), in Chinese. */
  problem: { code: string; message: string } | null;
}

/** The rejected file a report in rejected/ is about: the report's name without `.errors.csv`; null when that is no sample's name. */
export function reportedFile(reportName: string): string | null {
  const name = reportName.replace(/\.errors\.csv$/, '');
  return name !== reportName && isSampleName(name) ? name : null;
}
