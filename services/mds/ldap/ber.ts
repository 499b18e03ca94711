/**
 * The little BER the index writes and pre-reads itself (RFC 4511 over X.690 definite lengths),
 * so that search answers are built from cached bytes and hostile requests are measured before
 * any parser recurses into them.
 */

/** The bytes of a definite length. */
export function lengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x100) return Buffer.from([0x81, length]);
  if (length < 0x10000) return Buffer.from([0x82, length >> 8, length & 0xff]);
  if (length < 0x1000000) return Buffer.from([0x83, length >> 16, (length >> 8) & 0xff, length & 0xff]);
  return Buffer.from([0x84, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff]);
}

/** How many bytes `lengthBytes(length)` takes. */
export function lengthSize(length: number): number {
  return length < 0x80 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : length < 0x1000000 ? 4 : 5;
}

/** A TLV from a tag and already-encoded contents. */
export function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const length = contents.reduce((sum, part) => sum + part.length, 0);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(length), ...contents], 1 + lengthSize(length) + length);
}

export function octetString(value: string | Buffer, tag = 0x04): Buffer {
  return tlv(tag, typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
}

/** A non-negative INTEGER (message IDs, sizes, result codes) with the given tag. */
export function integer(value: number, tag = 0x02): Buffer {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  return Buffer.from([tag, bytes.length, ...bytes]);
}

export function enumerated(value: number): Buffer {
  return integer(value, 0x0a);
}

export function boolean(value: boolean): Buffer {
  return Buffer.from([0x01, 0x01, value ? 0xff : 0x00]);
}

export function sequence(...contents: Buffer[]): Buffer {
  return tlv(0x30, ...contents);
}

/** One tag-length header read from `buffer` at `offset`. */
export interface Header {
  readonly tag: number;
  /** Where the contents start. */
  readonly contentStart: number;
  readonly length: number;
}

/**
 * Reads a tag and definite length at `offset`. Returns undefined when more bytes are needed,
 * and 'invalid' for what is not BER an LDAP peer may send (multi-byte tags, indefinite or
 * over-long lengths).
 */
export function readHeader(buffer: Buffer, offset: number, end = buffer.length): Header | undefined | 'invalid' {
  if (offset + 2 > end) return undefined;
  const tag = buffer[offset] as number;
  if ((tag & 0x1f) === 0x1f) return 'invalid';
  const first = buffer[offset + 1] as number;
  if (first < 0x80) return { tag, contentStart: offset + 2, length: first };
  const count = first & 0x7f;
  if (count === 0 || count > 4) return 'invalid';
  if (offset + 2 + count > end) return undefined;
  let length = 0;
  for (let i = 0; i < count; i += 1) length = length * 256 + (buffer[offset + 2 + i] as number);
  return { tag, contentStart: offset + 2 + count, length };
}

/** Reads an INTEGER's value (up to 4 bytes, as message IDs are) at a header already read. */
export function readSmallInteger(buffer: Buffer, header: Header): number {
  let value = 0;
  for (let i = 0; i < header.length && i < 4; i += 1) value = value * 256 + (buffer[header.contentStart + i] as number);
  return value;
}
