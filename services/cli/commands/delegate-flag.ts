/**
 * `-delegate` (or `-D`) for globus-job-run and globus-job-submit: delegate a proxy to the
 * container's DelegationService before submitting, and name it in the job, whose program then
 * finds it in X509_USER_PROXY. A flag without a value, among the options before the program.
 * `-renew-from NAME` (implies -delegate) names a credential stored with `weft myproxy-init -R`
 * from which the grid renews the delegated proxy while the job needs it.
 */
import type { CliContext } from '../cli-context.ts';
import { delegate } from '../delegation-client.ts';
import { flagValue } from '../flag-value.ts';
import type { ClientCredentials } from '../gram-client.ts';

const DELEGATE_FLAGS = new Set(['-delegate', '-D']);

/** The arguments without the delegate flag, and whether it was there. */
export function takeDelegateFlag(args: readonly string[]): { args: string[]; delegate: boolean; renewFrom?: string } {
  const kept = args.slice(0, 1);
  let found = false;
  let renewFrom: string | undefined;
  let index = 1;
  while (index < args.length) {
    const arg = args[index]!;
    if (DELEGATE_FLAGS.has(arg)) {
      found = true;
      index += 1;
      continue;
    }
    if (arg === '-renew-from') {
      renewFrom = flagValue(args, index + 1, arg);
      found = true;
      index += 2;
      continue;
    }
    if (arg === '--' || !arg.startsWith('-')) break; // the program and its arguments from here
    kept.push(...args.slice(index, index + 2)); // a flag and its value
    index += 2;
  }
  return { args: [...kept, ...args.slice(index)], delegate: found, ...(renewFrom === undefined ? {} : { renewFrom }) };
}

export async function delegateForJob(baseUrl: string, credentials: ClientCredentials, cli: CliContext, renewFrom?: string): Promise<string> {
  cli.output.progress('delegating a proxy …');
  const delegated = await delegate(baseUrl, credentials, renewFrom === undefined ? {} : { renewFrom });
  cli.output.progress(`delegated ${delegated.subject} until ${delegated.terminationTime}: ${delegated.epr}`);
  return delegated.epr;
}
