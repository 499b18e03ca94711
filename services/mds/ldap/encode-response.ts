/**
 * Search answers as bytes. An entry's attributes are encoded once and kept with it (entries are
 * immutable, so the cache never goes stale); an answer is then the cached bytes under a small
 * per-request header, every entry and the final SearchResultDone in one buffer and one write.
 */
import type { Attribute, Entry } from '../directory/entry.ts';
import type { AttributeSelection } from './attribute-selection.ts';
import { enumerated, integer, lengthBytes, lengthSize, octetString, sequence, tlv } from './ber.ts';
import { OP } from './result-codes.ts';

interface EncodedEntry {
  readonly dn: Buffer;
  /** PartialAttribute TLVs, in `entry.attributeList` order. */
  readonly attributes: readonly Buffer[];
  /** Same, with no values (typesOnly). */
  typesOnly?: readonly Buffer[];
  /** The whole SearchResultEntry op for "all attributes", built on first use. */
  allOp?: Buffer;
  allTypesOnlyOp?: Buffer;
}

const cache = new WeakMap<Entry, EncodedEntry>();

function partialAttribute(attribute: Attribute, withValues: boolean): Buffer {
  const values = withValues ? attribute.values.map((value) => octetString(value)) : [];
  return sequence(octetString(attribute.name), tlv(0x31, ...values));
}

function encoded(entry: Entry): EncodedEntry {
  let found = cache.get(entry);
  if (!found) {
    found = { dn: octetString(entry.dn), attributes: entry.attributeList.map((a) => partialAttribute(a, true)) };
    cache.set(entry, found);
  }
  return found;
}

function entryOp(dn: Buffer, attributes: readonly Buffer[]): Buffer {
  return tlv(OP.searchResultEntry, dn, sequence(...attributes));
}

/** The SearchResultEntry protocol op for `entry` with the chosen attributes. */
export function encodeEntryOp(entry: Entry, selection: AttributeSelection, typesOnly: boolean): Buffer {
  const e = encoded(entry);
  if (typesOnly && !e.typesOnly) e.typesOnly = entry.attributeList.map((a) => partialAttribute(a, false));
  const parts = typesOnly ? (e.typesOnly as readonly Buffer[]) : e.attributes;
  if (selection.all) {
    if (typesOnly) return (e.allTypesOnlyOp ??= entryOp(e.dn, parts));
    return (e.allOp ??= entryOp(e.dn, parts));
  }
  const chosen: Buffer[] = [];
  entry.attributeList.forEach((attribute, index) => {
    if (selection.names.has(attribute.name.toLowerCase())) chosen.push(parts[index] as Buffer);
  });
  return entryOp(e.dn, chosen);
}

/** One control of an answer. */
export interface ResponseControl {
  readonly oid: string;
  readonly value?: Buffer;
}

/** An LDAPResult-shaped op (SearchResultDone, BindResponse, …). */
export function resultOp(tag: number, code: number, matchedDn = '', message = '', extra: Buffer[] = []): Buffer {
  return tlv(tag, enumerated(code), octetString(matchedDn), octetString(message), ...extra);
}

function controlsTlv(controls: readonly ResponseControl[]): Buffer {
  return tlv(0xa0, ...controls.map((c) => sequence(octetString(c.oid), ...(c.value ? [octetString(c.value)] : []))));
}

/** A whole LDAPMessage. */
export function message(messageId: number, op: Buffer, controls: readonly ResponseControl[] = []): Buffer {
  const id = integer(messageId);
  return controls.length > 0 ? sequence(id, op, controlsTlv(controls)) : sequence(id, op);
}

/**
 * Every entry op as its own LDAPMessage followed by `done`, as one buffer. Built with one
 * allocation: a one-level search over a thousand sites is one copy of cached bytes.
 */
export function searchAnswer(messageId: number, entryOps: readonly Buffer[], done: Buffer): Buffer {
  const id = integer(messageId);
  let total = done.length;
  for (const op of entryOps) {
    const body = id.length + op.length;
    total += 1 + lengthSize(body) + body;
  }
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const op of entryOps) {
    const body = id.length + op.length;
    out[offset] = 0x30;
    offset += 1;
    offset += lengthBytes(body).copy(out, offset);
    offset += id.copy(out, offset);
    offset += op.copy(out, offset);
  }
  done.copy(out, offset);
  return out;
}
