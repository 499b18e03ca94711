/** What every command receives: where to write, and the user's credentials when it needs them. */
import type { ClientCredentials } from './gram-client.ts';
import type { Output } from './output.ts';

export interface CliContext {
  readonly output: Output;
  /** Loaded on first use, from where Globus tools look. */
  credentials(): Promise<ClientCredentials>;
}
