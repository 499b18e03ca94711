/** CredentialRepositoryService.info: the owner alone learns owner, expiry and maximum lifetime. */
import type { CallContext } from '../../common/call-context.ts';
import { globusDnEquals } from '../../gsi/index.ts';
import { myproxyError } from '../errors.ts';
import { checkUsername, findEntry, type RepositoryDeps } from '../repository-deps.ts';
import type { RepositoryInfo } from './repository-info.ts';

export function info(deps: RepositoryDeps) {
  return async (request: { username?: unknown }, context: CallContext): Promise<{ info: RepositoryInfo }> => {
    const username = checkUsername(request.username);
    const entry = await findEntry(deps, username);
    if (!globusDnEquals(entry.owner, context.identity)) {
      throw myproxyError('MYPROXY_NOT_OWNER', `the credential stored under ${username} is not yours`, { username });
    }
    return { info: { username, owner: entry.owner, notAfter: entry.notAfter, maxLifetimeHours: entry.maxLifetimeHours, ...(entry.renewer ? { renewer: entry.renewer } : {}) } };
  };
}
