/** Builds a display DN from `[type, value]` pairs, child first, escaping every value. */
import { formatDn } from '../directory/dn.ts';

export function dnOf(...parts: ReadonlyArray<readonly [string, string]>): string {
  return formatDn(parts.map(([type, value]) => [{ type, value }]));
}

/** Appends already-formatted parent DN text to a child RDN built from `[type, value]`. */
export function childDn(type: string, value: string, parentDn: string): string {
  return `${dnOf([type, value])},${parentDn}`;
}
