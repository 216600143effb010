/** `credit-gateway profile suggest`: a profile proposed from a sample export, and the sample tried with it. */
export { suggestProfiles, FILL_IN } from './propose.js';
export type { Proposal, ProposalNotes, ProposedProfile, ProposedRule, SheetVerdict, Suggestion, SuggestInput } from './propose.js';
export { suggestionYaml } from './profile-yaml.js';
export { trialProposal, TRIAL_EXAMPLES } from './trial.js';
export type { TrialContext, TrialExample, TrialReason, TrialResult } from './trial.js';
export type { Sample, SampleSheet } from './sample.js';
