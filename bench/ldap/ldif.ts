/** Directory entries as LDIF (RFC 2849), to load the same entries into slapd. */
import type { Entry } from '../../services/mds/directory/entry.ts';

/** A value LDIF may write as it is; anything else goes base64 (`attr:: …`). */
function safe(value: string): boolean {
  return value === '' || (/^[\x01-\x09\x0b\x0c\x0e-\x7f]*$/.test(value) && !/^[ :<]/.test(value) && !value.endsWith(' '));
}

function line(name: string, value: string): string {
  return safe(value) ? `${name}: ${value}` : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
}

/** Parents before children, as slapadd wants them. */
export function toLdif(entries: Iterable<Entry>): string {
  const sorted = [...entries].sort((a, b) => a.ndn.split(',').length - b.ndn.split(',').length);
  return sorted
    .map((entry) => [line('dn', entry.dn), ...entry.attributeList.flatMap((a) => a.values.map((v) => line(a.name, v)))].join('\n'))
    .join('\n\n')
    .concat('\n');
}
