/**
 * Distinguished names in the three spellings Weft meets: the Globus slash form users write in
 * grid-mapfiles (`/O=Grid/OU=Weft/CN=Dev User`), Node's `X509Certificate.subject` form
 * (`O=Grid\nOU=Weft\nCN=Dev User`), and attribute lists (node-forge fields, DER names).
 *
 * The Globus form, as printed here and accepted by `parseGlobusDn`:
 * - attributes in certificate order, each written `/TYPE=value`; a multi-valued RDN is flattened
 *   into consecutive attributes, as `X509_NAME_oneline` did before OpenSSL 3;
 * - a `/` inside a value is written bare (`/CN=host/localhost`, the Globus host-certificate
 *   spelling) unless what follows it looks like `TYPE=`, in which case it is written `\/`;
 *   when parsing, an unescaped `/` starts a new attribute only if followed by `TYPE=`, which
 *   is the rule Globus's own parser applies (the value runs to the last `/` before the next `=`);
 * - `=` inside a value needs no escape (the type ends at the first `=`); `\=` is also accepted;
 * - bytes outside printable ASCII are written `\xHH` (upper-case hex of the UTF-8 bytes) and a
 *   backslash as `\\`, matching how Globus parses grid-mapfile DNs; `\+` is read as `+` so that
 *   DNs copied from OpenSSL 3's `-nameopt compat` output still parse.
 */
import forge from 'node-forge';
import { gsiError } from './errors.ts';

/** One attribute of a name, in certificate order. */
export interface DnAttribute {
  /** OpenSSL's short name (`CN`, `emailAddress`) or, for unknown types, the dotted OID. */
  readonly type: string;
  readonly oid: string;
  readonly value: string;
}

const KNOWN: ReadonlyArray<{ oid: string; name: string; aliases: readonly string[] }> = [
  { oid: '2.5.4.6', name: 'C', aliases: ['countryName'] },
  { oid: '2.5.4.8', name: 'ST', aliases: ['S', 'stateOrProvinceName'] },
  { oid: '2.5.4.7', name: 'L', aliases: ['localityName'] },
  { oid: '2.5.4.10', name: 'O', aliases: ['organizationName'] },
  { oid: '2.5.4.11', name: 'OU', aliases: ['organizationalUnitName'] },
  { oid: '2.5.4.3', name: 'CN', aliases: ['commonName'] },
  { oid: '2.5.4.9', name: 'street', aliases: ['streetAddress'] },
  { oid: '2.5.4.5', name: 'serialNumber', aliases: [] },
  { oid: '2.5.4.12', name: 'title', aliases: [] },
  { oid: '2.5.4.4', name: 'SN', aliases: ['surname'] },
  { oid: '2.5.4.42', name: 'GN', aliases: ['givenName'] },
  { oid: '2.5.4.43', name: 'initials', aliases: [] },
  { oid: '2.5.4.17', name: 'postalCode', aliases: [] },
  { oid: '2.5.4.46', name: 'dnQualifier', aliases: [] },
  { oid: '2.5.4.65', name: 'pseudonym', aliases: [] },
  { oid: '0.9.2342.19200300.100.1.25', name: 'DC', aliases: ['domainComponent'] },
  { oid: '0.9.2342.19200300.100.1.1', name: 'UID', aliases: ['USERID', 'userId'] },
  { oid: '1.2.840.113549.1.9.1', name: 'emailAddress', aliases: ['E', 'Email'] },
];
const BY_NAME = new Map(
  KNOWN.flatMap((k) => [k.name, ...k.aliases].map((n) => [n.toLowerCase(), k] as const)),
);
const BY_OID = new Map(KNOWN.map((k) => [k.oid, k]));
const TYPE_AHEAD = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)=/;

/** The short name OpenSSL prints for an attribute OID, or the OID itself. */
export function attributeName(oid: string): string {
  return BY_OID.get(oid)?.name ?? oid;
}

function attribute(type: string, value: string, dn: string): DnAttribute {
  const known = BY_NAME.get(type.toLowerCase());
  if (known) return { type: known.name, oid: known.oid, value };
  if (/^\d+(?:\.\d+)+$/.test(type)) return { type: attributeName(type), oid: type, value };
  throw gsiError('GSI_BAD_DN', `"${type}" in the DN ${dn} is not a known attribute type`, { dn });
}

/** Parses a Globus slash-form DN (see the file comment for the escapes it understands). */
export function parseGlobusDn(dn: string): DnAttribute[] {
  if (!dn.startsWith('/')) {
    throw gsiError('GSI_BAD_DN', `the DN "${dn}" does not start with "/"`, { dn });
  }
  const attrs: DnAttribute[] = [];
  let i = 0;
  while (i < dn.length) {
    const type = TYPE_AHEAD.exec(dn.slice(i + 1))?.[0].slice(0, -1);
    if (type === undefined) {
      throw gsiError('GSI_BAD_DN', `the DN "${dn}" has no TYPE=value at position ${i + 1}`, { dn });
    }
    i += type.length + 2;
    const bytes: number[] = [];
    while (i < dn.length && !(dn[i] === '/' && TYPE_AHEAD.test(dn.slice(i + 1)))) {
      const ch = dn[i] ?? '';
      if (ch !== '\\') {
        const cp = dn.codePointAt(i) ?? 0;
        bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
        i += cp > 0xffff ? 2 : 1;
        continue;
      }
      const hex = /^x([0-9A-Fa-f]{2})/.exec(dn.slice(i + 1));
      if (hex?.[1] !== undefined) {
        bytes.push(parseInt(hex[1], 16));
        i += 4;
      } else if (i + 1 < dn.length) {
        bytes.push(...Buffer.from(dn[i + 1] ?? '', 'utf8'));
        i += 2;
      } else {
        throw gsiError('GSI_BAD_DN', `the DN "${dn}" ends with a lone backslash`, { dn });
      }
    }
    attrs.push(attribute(type, Buffer.from(bytes).toString('utf8'), dn));
  }
  return attrs;
}

function escapeGlobusValue(value: string): string {
  let out = '';
  const bytes = Buffer.from(value, 'utf8');
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i] ?? 0;
    if (b < 0x20 || b > 0x7e) out += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x2f && TYPE_AHEAD.test(bytes.subarray(i + 1).toString('latin1'))) out += '\\/';
    else out += String.fromCharCode(b);
  }
  return out;
}

/** Writes attributes in the Globus slash form. */
export function formatGlobusDn(attrs: ReadonlyArray<Pick<DnAttribute, 'type' | 'value'>>): string {
  return attrs.map((a) => `/${a.type}=${escapeGlobusValue(a.value)}`).join('');
}

/**
 * A key under which two DNs compare equal exactly when Globus's `dn_cmp` would call them equal:
 * ASCII case is ignored and attribute aliases (Email/E/emailAddress, UID/USERID) are unified.
 */
export function globusDnKey(dn: string): string {
  let canonical: string;
  try {
    canonical = formatGlobusDn(parseGlobusDn(dn));
  } catch {
    canonical = dn; // Unparseable DNs can still be compared as text, as Globus does.
  }
  return canonical.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Whether two Globus DNs name the same identity (see `globusDnKey`). */
export function globusDnEquals(a: string, b: string): boolean {
  return globusDnKey(a) === globusDnKey(b);
}

/** Splits on an unescaped separator, keeping escapes in the pieces. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    if (ch === '\\') {
      current += ch + (text[i + 1] ?? '');
      i += 1;
    } else if (ch === separator) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** Undoes RFC 2253 escapes (`\,` and `\0A`) as OpenSSL writes them in Node's subject form. */
function unescapeRfc2253(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    const hex = ch === '\\' ? /^[0-9A-Fa-f]{2}/.exec(text.slice(i + 1))?.[0] : undefined;
    if (hex !== undefined) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      const next = ch === '\\' ? (text[++i] ?? '') : ch;
      bytes.push(...Buffer.from(next, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Converts Node's `X509Certificate.subject`/`.issuer` text to the Globus slash form. */
export function globusDnFromNodeSubject(subject: string): string {
  const attrs: DnAttribute[] = [];
  for (const line of subject.split('\n').filter((l) => l !== '')) {
    // A multi-valued RDN is printed "CN=x + UID=y"; spaces inside values are escaped.
    for (const part of splitUnescaped(line, '+')) {
      const trimmed = part.replace(/^ /, '').replace(/(?<!\\) $/, '');
      const eq = trimmed.indexOf('=');
      if (eq <= 0)
        throw new Error(`unexpected X509Certificate subject line ${JSON.stringify(line)}`);
      attrs.push(attribute(trimmed.slice(0, eq), unescapeRfc2253(trimmed.slice(eq + 1)), subject));
    }
  }
  return formatGlobusDn(attrs);
}

/** Converts a Globus DN to Node's `X509Certificate.subject` text (one attribute a line). */
export function nodeSubjectFromGlobusDn(dn: string): string {
  const escape = (v: string): string =>
    v
      .replace(/[,+"\\<>;]/g, (c) => `\\${c}`)
      .replace(/^[ #]/, (c) => `\\${c}`)
      .replace(/ $/, '\\ ')
      .replace(
        /[\x00-\x1f\x7f]/g,
        (c) => `\\${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
      );
  return parseGlobusDn(dn)
    .map((a) => `${a.type}=${escape(a.value)}`)
    .join('\n');
}

/** node-forge subject/issuer fields for a Globus DN, encoded as OpenSSL's defaults would be. */
export function globusDnToForgeAttributes(dn: string): forge.pki.CertificateField[] {
  return parseGlobusDn(dn).map((a) => {
    // RFC 5280: countryName is PrintableString, emailAddress and DC are IA5String; the rest
    // UTF8String, which is what `openssl req -utf8` and current CAs write.
    const ascii =
      a.oid === '2.5.4.6'
        ? forge.asn1.Type.PRINTABLESTRING
        : a.oid === '1.2.840.113549.1.9.1' || a.oid === '0.9.2342.19200300.100.1.25'
          ? forge.asn1.Type.IA5STRING
          : undefined;
    if (ascii !== undefined && !/^[\x20-\x7e]*$/.test(a.value)) {
      throw gsiError('GSI_BAD_DN', `the ${a.type} value in ${dn} must be plain ASCII`, { dn });
    }
    // @types/node-forge declares valueTagClass as an asn1.Class; forge reads it as the value's
    // universal tag (an asn1.Type), which is what is given here.
    const valueTagClass = (ascii ?? forge.asn1.Type.UTF8) as unknown as forge.asn1.Class;
    return { type: a.oid, value: a.value, valueTagClass };
  });
}

/** The Globus DN of node-forge subject/issuer fields (as read by `certificateFromPem`). */
export function globusDnFromForgeAttributes(attrs: readonly forge.pki.CertificateField[]): string {
  return formatGlobusDn(
    attrs.map((f) => ({ type: attributeName(f.type ?? ''), value: String(f.value ?? '') })),
  );
}
