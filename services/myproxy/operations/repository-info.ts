/** The description of a stored credential that put and info answer (never its key). */
export interface RepositoryInfo {
  username: string;
  owner: string;
  notAfter: string;
  maxLifetimeHours: number;
  /** Who may renew from it (myproxy-init -R), when stored for renewal. */
  renewer?: string;
}

/** node-soap gives one repeated element as a scalar, none as undefined. */
export function pemList(value: unknown): string[] {
  const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string' && item.includes('BEGIN CERTIFICATE'));
}
