/** Faults the container raises itself, before a request reaches a service. */
import { errorTable } from '../common/errors.ts';

export const containerError = errorTable({
  WEFT_REQUEST_TOO_LARGE: {
    side: 'client',
    retryable: false,
    hint: 'Send a smaller request; job descriptions and SOAP envelopes must stay under the limit.',
  },
  WEFT_XML_MALFORMED: {
    side: 'client',
    retryable: false,
    hint: 'Send a well-formed SOAP envelope (check the XML at the position given).',
  },
  WEFT_XML_DTD_FORBIDDEN: {
    side: 'client',
    retryable: false,
    hint: 'Remove the DOCTYPE/ENTITY declarations; SOAP messages must not carry a DTD.',
  },
  WEFT_NOT_SOAP: {
    side: 'client',
    retryable: false,
    hint: 'POST a SOAP envelope (Content-Type text/xml) naming one of the operations in the WSDL.',
  },
  WEFT_PORT_IN_USE: {
    side: 'server',
    retryable: false,
    hint: 'Stop what uses that port, or choose another with WEFT_CONTAINER_PORT.',
  },
  WEFT_INTERNAL: {
    side: 'server',
    retryable: true,
    hint: 'Something went wrong inside the grid container; try again, and tell the operator the request id.',
  },
});
