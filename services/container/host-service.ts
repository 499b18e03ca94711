/**
 * Mounts one SOAP service on the container's express app at /wsrf/services/<name>: the WSDL
 * (with its soap:address rewritten to where the caller reached us) at `?wsdl`, and node-soap
 * for the operations, each wrapped so that it receives a typed request and a CallContext and
 * can only answer with a result or a well-formed fault.
 */
import type { IncomingMessage } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Express } from 'express';
import * as soap from 'soap';
import { isGridError } from '../common/errors.ts';
import type { CallContext, HostedService } from '../common/call-context.ts';
import { toGridError, toSoapFault } from './soap-fault.ts';

export const SERVICES_PATH = '/wsrf/services';

/** Where every hosted operation finds the context the container's middleware made for it. */
export type ContextLookup = (request: IncomingMessage) => CallContext | undefined;

/** The WSDL text with its soap:address pointing at `baseUrl`. */
export function wsdlFor(xml: string, baseUrl: string): string {
  return xml.replace(
    /(<soap:address\s+location=")https?:\/\/[^/"]+/,
    (_, prefix: string) => `${prefix}${baseUrl}`,
  );
}

function portName(wsdlXml: string, file: string): string {
  const match = /<wsdl:port\s+name="([^"]+)"/.exec(wsdlXml);
  if (!match?.[1]) throw new Error(`${file} declares no wsdl:port`);
  return match[1];
}

export async function mountService(
  app: Express,
  service: HostedService,
  wsdlDir: string,
  contextOf: ContextLookup,
): Promise<void> {
  const wsdlPath = join(wsdlDir, service.wsdlFile);
  const xml = await readFile(wsdlPath, 'utf8');
  const path = `${SERVICES_PATH}/${service.name}`;

  app.get(path, (request, response, next) => {
    if (!('wsdl' in request.query)) return next();
    const host = request.headers.host ?? 'localhost';
    response.type('text/xml').send(wsdlFor(xml, `https://${host}`));
  });

  const handlers: Record<string, (args: unknown, callback: unknown, headers: unknown, req: IncomingMessage) => Promise<unknown>> = {};
  for (const [name, operation] of Object.entries(service.operations)) {
    handlers[name] = async (args, _callback, _headers, req) => {
      const context = contextOf(req);
      if (!context) throw new Error(`no call context for ${service.name}.${name}`);
      const logger = context.logger.child({ op: name });
      try {
        return await operation(args ?? {}, { ...context, logger });
      } catch (error) {
        const fault = toGridError(error, context.requestId);
        if (isGridError(error)) logger.info({ code: fault.code }, fault.message);
        else logger.error({ err: error }, 'operation failed unexpectedly');
        throw toSoapFault(fault);
      }
    };
  }

  await new Promise<void>((resolve, reject) => {
    soap.listen(app, {
      path,
      xml,
      uri: wsdlPath,
      services: { [service.name]: { [portName(xml, service.wsdlFile)]: handlers } },
      suppressStack: true,
      callback: (error: unknown) => (error ? reject(error) : resolve()),
    } as soap.IServerOptions);
  });
}
