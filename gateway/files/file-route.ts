/**
 * Which way a dropped file is read, decided from its name and the profiles
 * of its folder before it is opened (issue 13 design, "Reading a dropped
 * file"): a name a profile's pattern fits is that profile's export; a name
 * starting with a catalog code is a template file, as always; any other
 * spreadsheet or CSV is offered to the profiles that know its headers.
 * With no profile configured, everything stays as it was: a name must start
 * with a category code. Pure: the one rule the drop folder and the upload
 * page share.
 */
import type { NameVerdict } from '../../connectors/files/naming.js';
import type { DropFormat } from '../../connectors/files/naming.js';

/** What routing asks of a profile: its pattern and whether it has a header signature. */
export interface RoutedProfile {
  matchesName(file: string): boolean;
  readonly signature: readonly string[];
}

export type FileRoute<P extends RoutedProfile = RoutedProfile> =
  /** `category`: the code in front of the name (in the catalog or not: the template way says which). */
  | { way: 'template'; format: DropFormat; category: string }
  | { way: 'profiles'; format: DropFormat; candidates: readonly P[]; byName: boolean }
  /** No code in front and no profile of this folder at all: FILE_NAME_INVALID, as before profiles. */
  | { way: 'unnamed' }
  /** Neither a template's name nor one any profile knows: FILE_PROFILE_NONE. */
  | { way: 'none' };

/** `verdict` is a data name (ignored and refused names never get this far). */
export function routeFile<P extends RoutedProfile>(
  name: string,
  verdict: Extract<NameVerdict, { kind: 'data' }>,
  profiles: readonly P[],
  isCategory: (code: string) => boolean,
): FileRoute<P> {
  const { format, category } = verdict;
  const byName = profiles.filter((p) => p.matchesName(name));
  if (byName.length > 0) return { way: 'profiles', format, candidates: byName, byName: true };
  if (category !== null && (profiles.length === 0 || isCategory(category))) return { way: 'template', format, category };
  if (profiles.length === 0) return { way: 'unnamed' };
  const bySignature = profiles.filter((p) => p.signature.length > 0);
  return bySignature.length > 0 ? { way: 'profiles', format, candidates: bySignature, byName: false } : { way: 'none' };
}
