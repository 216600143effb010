/** What the control plane says of the configuration in effect and of each bundle's outcome; the status page shows it as it is. */

export interface ConfigOutcomeView {
  version: number;
  status: 'applied' | 'rejected' | 'rolled_back';
  message: string;
  at: string;
  /** heartbeat, admin, folder. */
  via: string;
}

export interface ConfigView {
  /** 0 while the local configuration file is in effect. */
  version: number;
  source: 'file' | 'bundle';
  appliedAt: string | null;
  issuedAt: string | null;
  /** Whether a credit center public key is configured: without it every bundle is refused. */
  publicKey: boolean;
  lastOutcome: ConfigOutcomeView | null;
  history: ConfigOutcomeView[];
}

