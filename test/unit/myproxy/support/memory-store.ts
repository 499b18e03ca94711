/**
 * A CredentialRepositoryService store in memory, for unit tests of the operations: the same
 * owner-guarded put and lock-out counting as the Redis store (repository-store.ts), which the
 * integration tests exercise for real.
 */
import type { RepositoryEntry, RepositoryStore } from '../../../../services/myproxy/index.ts';

export function memoryStore(): RepositoryStore & { entries: Map<string, RepositoryEntry> } {
  const entries = new Map<string, RepositoryEntry>();
  const failures = new Map<string, { count: number; until: number }>();
  return {
    entries,
    get: async (name) => entries.get(name),
    put: async (name, entry, replacing) => {
      if (entries.has(name) && entries.get(name)!.owner !== replacing) return false;
      entries.set(name, entry);
      return true;
    },
    remove: async (name) => entries.delete(name),
    lockedFor: async (name, now) => Math.max(0, Math.ceil(((failures.get(name)?.until ?? 0) - now) / 1000)),
    async failed(name, lock, now) {
      const count = (failures.get(name)?.count ?? 0) + 1;
      failures.set(name, { count, until: now + lock(count) * 1000 });
      return count;
    },
    succeeded: async (name) => void failures.delete(name),
  };
}
