/** Delegation endpoint references: `https://host:port/wsrf/services/DelegationService?id=<uuid>`. */
import { delegationError } from './errors.ts';

export const DELEGATION_SERVICE = 'DelegationService';
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function delegationEpr(baseUrl: string, id: string): string {
  return `${baseUrl}/wsrf/services/${DELEGATION_SERVICE}?id=${id}`;
}

/** The delegation id in an EPR, or a bare id. */
export function delegationIdOf(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  let id = text;
  if (text.includes('://')) {
    try {
      const url = new URL(text);
      if (!url.pathname.endsWith(`/${DELEGATION_SERVICE}`)) throw new Error('not a DelegationService address');
      id = url.searchParams.get('id') ?? '';
    } catch {
      id = '';
    }
  }
  if (!ID.test(id)) throw delegationError('DELEGATION_BAD_ID', `"${text.slice(0, 200)}" is not a delegation id or EPR`);
  return id;
}
