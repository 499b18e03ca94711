/**
 * `weft delegation-refresh EPR [-hours H] [-renew-from NAME]`: a fresh proxy (default 12 hours,
 * clipped to the user's credential) replaces the delegation's, so jobs held for a short proxy
 * can start and running ones keep theirs; `-renew-from` names a credential stored with
 * `weft myproxy-init -R` from which the grid renews it from then on.
 */
import type { CliContext } from '../cli-context.ts';
import { refreshDelegation } from '../delegation-client.ts';
import { cliError } from '../errors.ts';
import { flagValue } from '../flag-value.ts';
import { parseWholeNumber } from './proxy-time.ts';

export async function delegationRefresh(args: readonly string[], cli: CliContext): Promise<number> {
  let epr: string | undefined;
  let hours: number | undefined;
  let renewFrom: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '-hours') hours = parseWholeNumber(arg, flagValue(args, (i += 1), arg), 1);
    else if (arg === '-renew-from') renewFrom = flagValue(args, (i += 1), arg);
    else if (!arg.startsWith('-') && epr === undefined) epr = arg;
    else throw cliError('CLI_USAGE', `delegation-refresh does not know ${arg}: give one delegation EPR, -hours H and -renew-from NAME`);
  }
  if (!epr) throw cliError('CLI_USAGE', 'delegation-refresh takes one delegation EPR, as globus-job-submit -delegate printed it');
  const refreshed = await refreshDelegation(epr, await cli.credentials(), {
    ...(hours === undefined ? {} : { lifetimeSeconds: hours * 3600 }),
    ...(renewFrom === undefined ? {} : { renewFrom }),
  });
  cli.output.result(`refreshed ${refreshed.epr} until ${refreshed.terminationTime}`);
  return 0;
}
