/**
 * The one place where errors become SOAP faults (node-soap, left alone, sends stack traces to
 * clients). A `GridError` keeps its code, message and hint; anything else becomes WEFT_INTERNAL
 * with the request id and nothing from inside.
 */
import { GridError, isGridError } from '../common/errors.ts';
import { containerError } from './errors.ts';

export const GRAM_TYPES_NAMESPACE = 'http://weft.grid/ns/2026/gram';
const SOAP11_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/';

/** Any thrown value as a GridError fit to show the caller. */
export function toGridError(error: unknown, requestId: string): GridError {
  if (isGridError(error)) return error;
  return containerError('WEFT_INTERNAL', `the container failed while handling request ${requestId}`, {
    requestId,
  });
}

function faultDetail(error: GridError) {
  return {
    code: error.code,
    message: error.message,
    hint: error.hint,
    retryable: error.retryable,
    ...(error.gramProtocolCode === undefined ? {} : { gramProtocolCode: error.gramProtocolCode }),
  };
}

/** The person-readable fault string: what happened, then what to do. */
export function faultString(error: GridError): string {
  return `${error.code}: ${error.message}. ${error.hint}`;
}

/** The object node-soap turns into a SOAP 1.1 fault when a handler throws it. */
export function toSoapFault(error: GridError) {
  return {
    Fault: {
      faultcode: error.side === 'client' ? 'soap:Client' : 'soap:Server',
      faultstring: faultString(error),
      detail: {
        gridFault: { attributes: { xmlns: GRAM_TYPES_NAMESPACE }, ...faultDetail(error) },
      },
      statusCode: 500,
    },
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A complete SOAP 1.1 fault envelope, for refusals made before node-soap sees the request. */
export function soapFaultEnvelope(error: GridError): string {
  const detail = Object.entries(faultDetail(error))
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<soap:Envelope xmlns:soap="${SOAP11_NAMESPACE}"><soap:Body><soap:Fault>` +
    `<faultcode>${error.side === 'client' ? 'soap:Client' : 'soap:Server'}</faultcode>` +
    `<faultstring>${escapeXml(faultString(error))}</faultstring>` +
    `<detail><gridFault xmlns="${GRAM_TYPES_NAMESPACE}">${detail}</gridFault></detail>` +
    `</soap:Fault></soap:Body></soap:Envelope>`
  );
}
