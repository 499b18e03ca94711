/** What every command receives: where to write, and the user's credentials when it needs them. */
import type { ClientCredentials } from './gram-client.ts';
import type { Output } from './output.ts';

/** Where the user's files are, read once at the entry point (main.ts). */
export interface CliEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly uid: number;
  /** The project's dev PKI, used when the user has no credentials of their own. */
  readonly devCertsDir: string;
  /** Where a pass phrase is read from (-pwstdin, or a terminal prompt). */
  readonly stdin: NodeJS.ReadStream;
  /** Where a pass-phrase prompt is written. */
  readonly stderr: NodeJS.WriteStream;
}

export interface CliContext {
  readonly output: Output;
  readonly environment: CliEnvironment;
  /** Loaded on first use, from where Globus tools look. */
  credentials(): Promise<ClientCredentials>;
}
