/** Raw HTTPS requests to the container, for feeding it what no well-behaved client would send. */
import { request } from 'node:https';

export interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

export interface RawOptions {
  readonly certPem?: string;
  readonly keyPem?: string;
  readonly caPems: readonly string[];
  readonly method?: string;
}

export function rawRequest(url: string, body: string | Buffer, options: RawOptions): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'POST',
        cert: options.certPem,
        key: options.keyPem,
        ca: [...options.caPems],
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The stable fault code in a Weft SOAP fault, or undefined when the answer is not one. */
export function faultCode(body: string): string | undefined {
  return /<(?:\w+:)?gridFault[^>]*>\s*<(?:\w+:)?code>([^<]+)</.exec(body)?.[1];
}

export function envelope(bodyXml: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:g="http://weft.grid/ns/2026/gram">' +
    `<soap:Body>${bodyXml}</soap:Body></soap:Envelope>`
  );
}

export function createJobEnvelope(rsl: string): string {
  const escaped = rsl.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return envelope(`<g:createManagedJob><g:jobDescription>${escaped}</g:jobDescription></g:createManagedJob>`);
}
