/**
 * CredentialRepositoryService.destroy: the owner, with the pass phrase, removes the credential
 * (a renewable one has no pass phrase: the owner alone suffices).
 */
import type { CallContext } from '../../common/call-context.ts';
import { globusDnEquals } from '../../gsi/index.ts';
import { myproxyError } from '../errors.ts';
import { checkPassphrase, checkUsername, findEntry, openEntry, type RepositoryDeps } from '../repository-deps.ts';

export function destroy(deps: RepositoryDeps) {
  return async (request: { username?: unknown; passphrase?: unknown }, context: CallContext): Promise<{ removed: boolean }> => {
    const username = checkUsername(request.username);
    const entry = await findEntry(deps, username);
    if (!globusDnEquals(entry.owner, context.identity)) {
      throw myproxyError('MYPROXY_NOT_OWNER', `the credential stored under ${username} is not yours`, { username });
    }
    if (!entry.renewer) await openEntry(deps, username, checkPassphrase(request.passphrase));
    const removed = await deps.store.remove(username);
    context.logger.info({ username }, 'credential destroyed');
    return { removed };
  };
}
