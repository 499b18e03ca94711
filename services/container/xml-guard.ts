/**
 * Checks a request body before any SOAP processing: no DTD (so no entity expansion or external
 * entities can ever reach a parser), and well-formed XML. Size is bounded earlier, by the body
 * reader.
 */
import sax from 'sax';
import { containerError } from './errors.ts';

const DTD_MARKERS = /<!(DOCTYPE|ENTITY)/i;

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/**
 * Throws a GridError when `xml` must be refused; otherwise returns the local name of the first
 * element inside the SOAP Body (the operation asked for), or undefined when there is none.
 */
export function checkSoapXml(xml: string): string | undefined {
  if (DTD_MARKERS.test(xml)) {
    throw containerError(
      'WEFT_XML_DTD_FORBIDDEN',
      'the request carries a DOCTYPE or ENTITY declaration, which this service never accepts',
    );
  }
  if (xml.trim() === '') {
    throw containerError('WEFT_NOT_SOAP', 'the request body is empty');
  }
  const parser = sax.parser(true, { xmlns: false });
  let failure: string | undefined;
  const open: string[] = [];
  let operation: string | undefined;
  parser.onopentag = (tag) => {
    const parent = open[open.length - 1];
    if (operation === undefined && parent === 'Body' && open.length === 2) operation = localName(tag.name);
    open.push(localName(tag.name));
  };
  parser.onclosetag = () => {
    open.pop();
  };
  parser.onerror = (error) => {
    failure ??= error.message.replace(/\s*\n\s*/g, ', ');
    parser.resume(); // keep the first error only; sax would otherwise throw again
  };
  parser.write(xml).close();
  if (failure !== undefined) {
    throw containerError('WEFT_XML_MALFORMED', `the request is not well-formed XML (${failure})`);
  }
  return operation;
}
