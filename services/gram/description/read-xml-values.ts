/**
 * Typed readers for the elements of an XML job description (GT4 or JSDL): "text only", "once",
 * "a value the shared rule accepts", "no attributes but these". Each refuses with a
 * GRAM_DESCRIPTION_* fault naming the element as written and where it starts, so the two
 * front doors read as tables — the XML side of `rsl/read-rsl-values.ts`.
 */
import type { ErrorDetails, GridError } from '../../common/errors.ts';
import { describeTextLocation, locateInText } from '../../common/text-location.ts';
import { gramError, type GramErrorCode } from '../errors.ts';
import { plainText, type Reading } from './job-values.ts';
import type { XmlElement } from './read-xml.ts';

/** The document being read: its text (for line and column) and how messages name it. */
export interface XmlSource {
  readonly text: string;
  /** e.g. "GT4 job description", "JSDL document". */
  readonly format: string;
}

const XSI_URI = 'http://www.w3.org/2001/XMLSchema-instance';

/** A fault about `element`: "the JSDL document element <jsdl:Foo> at line 3, column 5 …". */
export function elementError(
  source: XmlSource,
  element: XmlElement,
  code: GramErrorCode,
  rest: string,
  details: ErrorDetails = {},
): GridError {
  const where = describeTextLocation(source.text, element.at);
  return gramError(code, `the ${source.format} element <${element.name}> at ${where} ${rest}`, {
    element: element.name,
    ...details,
    ...locateInText(source.text, element.at),
  });
}

export const badValue = (source: XmlSource, element: XmlElement, why: string, details: ErrorDetails = {}) =>
  elementError(source, element, 'GRAM_DESCRIPTION_BAD_VALUE', why, details);

export const unsupported = (source: XmlSource, element: XmlElement, why: string) =>
  elementError(source, element, 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', why);

/** Refuses attributes other than `allowed` (local names, unqualified) and xsi:type and the like. */
export function checkAttributes(source: XmlSource, element: XmlElement, allowed: readonly string[] = []): void {
  for (const attribute of element.attributes) {
    if (attribute.uri === XSI_URI) continue;
    if (attribute.uri === '' && allowed.includes(attribute.local)) continue;
    throw elementError(
      source,
      element,
      'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT',
      `has the attribute ${attribute.name}, which Weft does not read` +
        (allowed.length ? ` (it reads ${allowed.join(', ')})` : ''),
      { attribute: attribute.name },
    );
  }
}

/**
 * The element's text, which must hold no elements: as written (arguments, environment values,
 * expressions) or, with `trim`, without the white space around it (paths, names, numbers).
 */
export function textOf(source: XmlSource, element: XmlElement, options: { trim?: boolean } = {}): string {
  const [child] = element.children;
  if (child) {
    throw badValue(source, element, `holds the element <${child.name}>, but takes text only`);
  }
  const text = plainText(options.trim ? element.text.trim() : element.text);
  if (!text.ok) throw badValue(source, element, text.why);
  return text.value;
}

/** Trimmed text that is not empty. */
export function nonEmptyText(source: XmlSource, element: XmlElement): string {
  const text = textOf(source, element, { trim: true });
  if (text === '') throw badValue(source, element, 'is empty');
  return text;
}

/** Trimmed text read by one of the shared rules in job-values.ts. */
export function readByRule<T>(source: XmlSource, element: XmlElement, rule: (raw: string) => Reading<T>): T {
  const raw = textOf(source, element, { trim: true });
  const reading = rule(raw);
  if (!reading.ok) throw badValue(source, element, reading.why, { value: raw });
  return reading.value;
}

/** Remembers single-valued elements, refusing one given twice (as RSL refuses an attribute twice). */
export class SeenOnce {
  private readonly seen = new Map<string, XmlElement>();
  constructor(private readonly source: XmlSource) {}

  check(element: XmlElement, key = element.local): void {
    const earlier = this.seen.get(key);
    if (earlier) {
      throw badValue(
        this.source,
        element,
        `repeats <${earlier.name}> (first at ${describeTextLocation(this.source.text, earlier.at)}), which may be given once`,
      );
    }
    this.seen.set(key, element);
  }

  has(key: string): boolean {
    return this.seen.has(key);
  }

  get(key: string): XmlElement | undefined {
    return this.seen.get(key);
  }
}
