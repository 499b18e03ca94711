/**
 * `-delegate` (or `-D`) for globus-job-run and globus-job-submit: delegate a proxy to the
 * container's DelegationService before submitting, and name it in the job, whose program then
 * finds it in X509_USER_PROXY. A flag without a value, among the options before the program.
 */
import type { CliContext } from '../cli-context.ts';
import { delegate } from '../delegation-client.ts';
import type { ClientCredentials } from '../gram-client.ts';

const DELEGATE_FLAGS = new Set(['-delegate', '-D']);

/** The arguments without the delegate flag, and whether it was there. */
export function takeDelegateFlag(args: readonly string[]): { args: string[]; delegate: boolean } {
  const kept = args.slice(0, 1);
  let found = false;
  let index = 1;
  while (index < args.length) {
    const arg = args[index]!;
    if (DELEGATE_FLAGS.has(arg)) {
      found = true;
      index += 1;
      continue;
    }
    if (arg === '--' || !arg.startsWith('-')) break; // the program and its arguments from here
    kept.push(...args.slice(index, index + 2)); // a flag and its value
    index += 2;
  }
  return { args: [...kept, ...args.slice(index)], delegate: found };
}

export async function delegateForJob(baseUrl: string, credentials: ClientCredentials, cli: CliContext): Promise<string> {
  cli.output.progress('delegating a proxy …');
  const delegated = await delegate(baseUrl, credentials);
  cli.output.progress(`delegated ${delegated.subject} until ${delegated.terminationTime}: ${delegated.epr}`);
  return delegated.epr;
}
