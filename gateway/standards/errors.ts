/**
 * The one error of the standards: a seed file the gateway cannot trust.
 * It names the file and the member, so whoever edited it finds the line.
 * Branch on `err.code`; `action` is what describeError shows.
 */
export interface StandardsProblem {
  /** The seed file, e.g. `xzcf.json`. */
  file: string;
  /** The member, e.g. `fields[3].codeTable`; empty for the file as a whole. */
  path: string;
  message: string;
}

export class StandardsError extends Error {
  readonly code = 'STANDARDS_INVALID';
  readonly action = 'reinstall the gateway, or fix the named member of the file in seeds/standards';
  readonly problems: readonly StandardsProblem[];
  constructor(problems: readonly StandardsProblem[]) {
    super(`the data standards are invalid: ${problems.map(describe).join('; ')}`);
    this.name = 'StandardsError';
    this.problems = problems;
  }
}

function describe(p: StandardsProblem): string {
  return p.path ? `${p.file} ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
}
