/**
 * Secrets as start reads them: the secrets file there, private and a
 * mapping of names to strings, and every secret the configuration refers to
 * defined in it or the environment, with the nearest defined names when one
 * is not. Names only, never values.
 */
import type { GatewayConfig } from '../../config/schema.js';
import { secretsFileOf } from '../../config/load.js';
import { inspectSecretsFile, Secrets } from '../../config/secrets.js';
import { secretReferences } from '../../config/source-options.js';
import { closeIdentifiers } from '../catalog/close-matches.js';
import type { FoundProblem } from './problem.js';

/** The secrets file read as far as it can be, with what is wrong with it: a check goes on to the references whatever the file's state. */
export function readSecretsForCheck(config: Readonly<GatewayConfig>, baseDir: string, env: NodeJS.ProcessEnv): { secrets: Secrets; problems: FoundProblem[] } {
  const file = secretsFileOf(config, baseDir);
  if (!file) return { secrets: new Secrets({}, env), problems: [] };
  const { values, problem } = inspectSecretsFile(file);
  return { secrets: new Secrets(values, env), problems: problem ? [problem] : [] };
}

/** Every referenced secret that is not defined, at the member that refers to it. */
export function missingSecretProblems(config: Readonly<GatewayConfig>, baseDir: string, secrets: Secrets, usable: (path: string) => boolean): FoundProblem[] {
  const defined = secrets.names();
  // The command to run names the file as found from anywhere, not relative to the configuration's folder.
  const file = secretsFileOf(config, baseDir);
  const where = file ? `the secrets file (${file})` : 'a secrets file (secrets.file)';
  return secretReferences(config)
    .filter((ref) => usable(ref.path) && !secrets.has(ref.name))
    .map((ref) => ({
      path: ref.path,
      code: 'CONFIG_SECRET_MISSING',
      message: `secret "${ref.name}" is not defined: add it to ${where} with credit-gateway secrets set ${ref.name} --file ${file ?? 'FILE'}, or set ${Secrets.envName(ref.name)}`,
      given: ref.name,
      suggestions: closeIdentifiers(ref.name, defined),
    }));
}
