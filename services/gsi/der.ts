/**
 * A minimal DER reader and writer, plus PEM framing.
 *
 * Why not node-forge's parser: it is untyped, re-encodes what it reads, and by default tries to
 * decode BIT STRING contents as nested ASN.1. Hashing a name the way OpenSSL does and checking a
 * CRL signature both need the exact bytes that were signed, so reading is done here, over
 * Buffers, keeping every element's raw slice. Building certificates and CRLs stays with forge.
 */

/** Universal tag bytes used by X.509 (class, constructed bit and number in one byte). */
export const DerTag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** One DER element: its tag byte, its contents and the raw bytes (tag + length + contents). */
export interface DerNode {
  /** The whole identifier octet, e.g. 0x30 for SEQUENCE, 0xa0 for [0] constructed. */
  readonly tag: number;
  readonly constructed: boolean;
  readonly contents: Buffer;
  readonly raw: Buffer;
}

/** Reads the element starting at `offset`; throws a plain Error on malformed input. */
export function readDerAt(buf: Buffer, offset: number): DerNode {
  const tag = buf[offset];
  const first = buf[offset + 1];
  if (tag === undefined || first === undefined) throw new Error('DER: truncated element');
  // Multi-byte tag numbers never occur in X.509 and would need a different reader.
  if ((tag & 0x1f) === 0x1f) throw new Error('DER: high tag numbers are not supported');
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    // Indefinite lengths (0x80) are BER, not DER; more than 4 length bytes is absurd here.
    if (count === 0 || count > 4) throw new Error('DER: unsupported length encoding');
    length = 0;
    for (let i = 0; i < count; i += 1) {
      const byte = buf[offset + 2 + i];
      if (byte === undefined) throw new Error('DER: truncated length');
      length = length * 256 + byte;
    }
    header += count;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new Error('DER: element runs past the end of its container');
  return {
    tag,
    constructed: (tag & 0x20) !== 0,
    contents: buf.subarray(offset + header, end),
    raw: buf.subarray(offset, end),
  };
}

/** Parses a buffer that must hold exactly one element. */
export function parseDer(buf: Buffer): DerNode {
  const node = readDerAt(buf, 0);
  if (node.raw.length !== buf.length) throw new Error('DER: trailing bytes after the element');
  return node;
}

/** The elements inside a constructed element, in order. */
export function derChildren(node: DerNode): DerNode[] {
  if (!node.constructed) throw new Error('DER: element is not constructed');
  const children: DerNode[] = [];
  let offset = 0;
  while (offset < node.contents.length) {
    const child = readDerAt(node.contents, offset);
    children.push(child);
    offset += child.raw.length;
  }
  return children;
}

/** The nth child, or a plain Error naming what was expected (malformed input, not a GSI fault). */
export function derChild(node: DerNode, index: number, what: string): DerNode {
  const child = derChildren(node)[index];
  if (child === undefined) throw new Error(`DER: missing ${what}`);
  return child;
}

/** Encodes one element from its tag byte and contents. */
export function encodeDer(tag: number, contents: Buffer): Buffer {
  const n = contents.length;
  let lengthBytes: Buffer;
  if (n < 0x80) {
    lengthBytes = Buffer.from([n]);
  } else {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    lengthBytes = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), lengthBytes, contents]);
}

/** Dotted-decimal form of an OBJECT IDENTIFIER's contents. */
export function decodeOid(contents: Buffer): string {
  const first = contents[0];
  if (first === undefined) throw new Error('DER: empty OID');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of contents) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  const head = arcs.shift() ?? 0;
  const top = head < 40 ? 0 : head < 80 ? 1 : 2;
  return [top, head - top * 40, ...arcs].join('.');
}

/** The contents of an OBJECT IDENTIFIER for a dotted-decimal OID (the inverse of `decodeOid`). */
export function encodeOid(oid: string): Buffer {
  const arcs = oid.split('.').map((arc) => {
    if (!/^\d+$/.test(arc)) throw new Error(`DER: malformed OID ${oid}`);
    return BigInt(arc);
  });
  const [top, second, ...rest] = arcs;
  if (top === undefined || second === undefined) throw new Error(`DER: malformed OID ${oid}`);
  const bytes: number[] = [];
  for (const arc of [top * 40n + second, ...rest]) {
    const group = [Number(arc & 0x7fn)];
    for (let rest7 = arc >> 7n; rest7 > 0n; rest7 >>= 7n) group.unshift(Number(rest7 & 0x7fn) | 0x80);
    bytes.push(...group);
  }
  return Buffer.from(bytes);
}

/** An INTEGER's contents as upper-case hex without leading zeros (Node's `serialNumber` form). */
export function integerToHex(contents: Buffer): string {
  const hex = contents.toString('hex').toUpperCase().replace(/^0+/, '');
  return hex === '' ? '0' : hex;
}

/** Reads a UTCTime or GeneralizedTime in the Zulu forms RFC 5280 allows. */
export function decodeTime(node: DerNode): Date {
  const text = node.contents.toString('latin1');
  let match: RegExpExecArray | null;
  if (node.tag === DerTag.UTC_TIME) {
    match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
    if (match) {
      const yy = Number(match[1]);
      match[1] = String(yy < 50 ? 2000 + yy : 1900 + yy); // RFC 5280 4.1.2.5.1
    }
  } else if (node.tag === DerTag.GENERALIZED_TIME) {
    match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text);
  } else {
    throw new Error('DER: expected a time');
  }
  if (!match) throw new Error(`DER: malformed time ${JSON.stringify(text)}`);
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = match.slice(1, 7).map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/** One `-----BEGIN <label>-----` block of a PEM file. */
export interface PemBlock {
  readonly label: string;
  /** The block as it appeared, headers included (encrypted keys keep their Proc-Type lines). */
  readonly pem: string;
  readonly der: Buffer;
}

/** Every PEM block in a text, in order; text outside blocks is ignored, as OpenSSL does. */
export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  const pattern = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
  for (const match of text.matchAll(pattern)) {
    const label = match[1] ?? '';
    const body = (match[2] ?? '')
      .split(/\r?\n/)
      .filter((line) => !line.includes(':')) // RFC 1421 headers such as Proc-Type
      .join('');
    blocks.push({ label, pem: `${match[0]}\n`, der: Buffer.from(body, 'base64') });
  }
  return blocks;
}

/** Frames DER bytes as PEM with 64-character lines, the way OpenSSL writes them. */
export function derToPem(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
