/**
 * `profile suggest` for a file the drop folder could not place (no profile
 * matched, no category code in its name): the status page's 生成导出方案.
 * The file is read where the drop folder put it (rejected/), by a name that
 * came from a URL and is trusted for nothing: a plain file name of a format
 * the gateway reads, opened as the drop folder opens files. Nothing is
 * stored or sent; the proposal and its trial are what the CLI prints.
 */
import { FileError } from '../../../connectors/files/file-error.js';
import type { CatalogCategory } from '../../catalog/types.js';
import { GatewayError } from '../../errors.js';
import { reasonText } from '../../files/file-reasons.js';
import type { Standard } from '../../standards/types.js';
import { suggestionYaml } from './profile-yaml.js';
import { suggestProfiles } from './propose.js';
import { readSampleIn } from './read-sample.js';
import { isSampleName, type ProfileOffer } from './offer-ref.js';
import { trialProposal } from './trial.js';

export interface OfferInput {
  /** The drop folder's rejected/ folder. */
  folder: string;
  name: string;
  candidates: readonly Readonly<CatalogCategory>[];
  standardFor: (category: Readonly<CatalogCategory>) => Readonly<Standard>;
  department?: string;
  /** Names the configuration's profiles have already. */
  taken?: readonly string[];
  now: Date;
  gatewayId?: string;
}

/** The proposal for a rejected file; null when the name is none or no such file is there. */
export async function offerProfile(input: OfferInput): Promise<ProfileOffer | null> {
  if (!isSampleName(input.name)) return null;
  const empty = { file: input.name, yaml: null, proposals: [] };
  let sample;
  try {
    sample = await readSampleIn(input.folder, input.name);
  } catch (err) {
    // Not there, or not a plain file of the folder: nothing to offer, as for a report.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (!(err instanceof FileError)) throw err;
    if (err.code === 'FILE_NOT_REGULAR' || err.code === 'FILE_OUTSIDE_FOLDER') return null;
    return { ...empty, problem: { code: err.code, message: reasonText(err.code, err.params) } };
  }
  try {
    const suggestion = suggestProfiles({
      sample,
      candidates: input.candidates,
      standardFor: input.standardFor,
      ...(input.department ? { department: input.department } : {}),
      ...(input.taken ? { taken: input.taken } : {}),
    });
    const ctx = { observedAt: input.now.toISOString(), ...(input.gatewayId ? { gatewayId: input.gatewayId } : {}) };
    return {
      file: input.name,
      yaml: suggestionYaml(suggestion),
      proposals: suggestion.proposals.map((p) => ({ profile: p.profile.name, category: p.category.code, categoryName: p.category.name, trial: trialProposal(p, sample, ctx) })),
      problem: null,
    };
  } catch (err) {
    if (err instanceof GatewayError && err.code === 'SUGGEST_NO_CATEGORY') {
      return { ...empty, problem: { code: err.code, message: '文件的表头与本部门任何信息类的数据标准都对不上，无法生成导出方案：请确认文件是数据导出表，或用 credit-gateway profile suggest --category 指定类别' } };
    }
    throw err;
  }
}
