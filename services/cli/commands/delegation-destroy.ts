/** `weft delegation-destroy EPR`: remove a delegation (its key and chain) from the container now. */
import type { CliContext } from '../cli-context.ts';
import { destroyDelegation } from '../delegation-client.ts';
import { cliError } from '../errors.ts';

export async function delegationDestroy(args: readonly string[], cli: CliContext): Promise<number> {
  const [epr, ...extra] = args;
  if (!epr || extra.length > 0) throw cliError('CLI_USAGE', 'delegation-destroy takes one delegation EPR, as globus-job-submit -delegate printed it');
  await destroyDelegation(epr, await cli.credentials());
  cli.output.result(`destroyed ${epr}`);
  return 0;
}
