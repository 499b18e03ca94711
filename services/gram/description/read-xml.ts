/**
 * Reads an XML job description into a small element tree, safely. The container's xml-guard
 * checked the SOAP envelope, but the description inside it is a separate string (escaped text),
 * so it is guarded again here: at most 64 KiB and 16 elements deep, no DOCTYPE or ENTITY
 * declaration (so no entity expansion, no external entity), only the five predefined entities
 * and character references, well-formed with every namespace prefix declared. sax (strict, with
 * namespaces) does the reading; nothing here fetches or expands anything.
 */
import sax from 'sax';
import { describeTextLocation, locateInText } from '../../common/text-location.ts';
import { gramError } from '../errors.ts';

export const XML_DESCRIPTION_MAX_BYTES = 64 * 1024;
export const XML_DESCRIPTION_MAX_DEPTH = 16;

export interface XmlAttribute {
  /** As written, prefix included. */
  readonly name: string;
  readonly local: string;
  /** Namespace URI; '' for an unprefixed attribute. */
  readonly uri: string;
  readonly value: string;
}

export interface XmlElement {
  /** As written, prefix included (what messages show). */
  readonly name: string;
  readonly local: string;
  /** Namespace URI; '' when the element is in no namespace. */
  readonly uri: string;
  /** Attributes, without the xmlns declarations. */
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** The character data directly inside (CDATA included), as written. */
  readonly text: string;
  /** 0-based offset of the element's `<` in the description. */
  readonly at: number;
}

const XMLNS_URI = 'http://www.w3.org/2000/xmlns/';

interface Building {
  name: string;
  local: string;
  uri: string;
  attributes: XmlAttribute[];
  children: Building[];
  text: string;
  at: number;
}

/** The root element of `text`; throws GRAM_DESCRIPTION_TOO_LARGE, _DTD_FORBIDDEN or _MALFORMED. */
export function readXml(text: string): XmlElement {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > XML_DESCRIPTION_MAX_BYTES) {
    throw gramError(
      'GRAM_DESCRIPTION_TOO_LARGE',
      `the job description is ${bytes} bytes long, more than the ${XML_DESCRIPTION_MAX_BYTES} bytes (64 KiB) allowed`,
    );
  }
  // A byte-order mark is not content; sax would call it text outside the root.
  const body = text.replace(/^\uFEFF/, '');
  const where = (offset: number) => ({ where: describeTextLocation(body, offset), ...locateInText(body, offset) });
  const parser = sax.parser(true, { xmlns: true, position: true });
  let failure: Error | undefined;
  let root: Building | undefined;
  const open: Building[] = [];
  const fail = (error: Error) => {
    failure ??= error;
  };
  // Refused before parsing, as the container's xml-guard does: literal `<!DOCTYPE` or `<!ENTITY`
  // can only be markup, or sit in a comment or CDATA section, where refusing it costs nothing.
  const dtd = /<!(DOCTYPE|ENTITY)/i.exec(body);
  if (dtd) {
    const { where: w, ...location } = where(dtd.index);
    throw gramError(
      'GRAM_DESCRIPTION_DTD_FORBIDDEN',
      `the job description carries ${/^d/i.test(dtd[1]!) ? 'a DOCTYPE' : 'an ENTITY'} declaration at ${w}, and a job ` +
        'description may not declare a DTD or entities',
      location,
    );
  }
  parser.ondoctype = () => fail(gramError('GRAM_DESCRIPTION_DTD_FORBIDDEN', 'the job description carries a DOCTYPE declaration'));
  parser.onopentag = (tag) => {
    if (failure) return;
    const qualified = tag as sax.QualifiedTag;
    const at = Math.max(0, parser.startTagPosition - 1);
    if (open.length >= XML_DESCRIPTION_MAX_DEPTH) {
      const { where: w, ...location } = where(at);
      fail(
        gramError(
          'GRAM_DESCRIPTION_TOO_LARGE',
          `the job description nests elements more than ${XML_DESCRIPTION_MAX_DEPTH} deep (at ${w})`,
          location,
        ),
      );
      return;
    }
    if (open.length === 0 && root) {
      const { where: w, ...location } = where(at);
      fail(gramError('GRAM_DESCRIPTION_MALFORMED', `the job description has a second root element <${qualified.name}> at ${w}`, location));
      return;
    }
    const element: Building = {
      name: qualified.name,
      local: qualified.local,
      uri: qualified.uri,
      attributes: Object.values(qualified.attributes)
        .filter((a) => a.uri !== XMLNS_URI && a.name !== 'xmlns')
        .map((a) => ({ name: a.name, local: a.local, uri: a.uri, value: a.value })),
      children: [],
      text: '',
      at,
    };
    open[open.length - 1]?.children.push(element);
    root ??= element;
    open.push(element);
  };
  parser.onclosetag = () => {
    if (!failure) open.pop();
  };
  const addText = (data: string) => {
    const current = open[open.length - 1];
    if (current && !failure) current.text += data;
  };
  parser.ontext = addText;
  parser.oncdata = addText;
  parser.onerror = (error) => {
    const { where: w, ...location } = where(Math.max(0, parser.position - 1));
    const why = error.message.split('\n')[0]?.replace(/\.$/, '') ?? 'not well-formed';
    fail(gramError('GRAM_DESCRIPTION_MALFORMED', `the job description is not well-formed XML near ${w} (${why})`, location));
    parser.resume(); // keep the first error only; sax would otherwise throw again
  };
  parser.write(body).close();
  if (failure) throw failure;
  if (!root) throw gramError('GRAM_DESCRIPTION_MALFORMED', 'the job description has no root element');
  return root;
}
