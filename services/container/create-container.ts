/**
 * The grid container: one HTTPS port hosting the SOAP services at /wsrf/services/<name>, like
 * the Globus WS container. Every POST passes the same gate before a service sees it: a bounded
 * body, an authenticated caller (client certificate chain or WS-Security signature), XML
 * without a DTD that is well-formed and names an operation of that service. Refusals are SOAP
 * faults with a stable code.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { CallContext, HostedService } from '../common/call-context.ts';
import type { ConfigOf } from '../common/config.ts';
import type { Logger } from '../common/logger.ts';
import type { Service } from '../common/service.ts';
import type { ReplayCache, TrustStore } from '../gsi/index.ts';
import type { CONTAINER_KNOBS } from './config.ts';
import { containerError } from './errors.ts';
import { SERVICES_PATH, mountService } from './host-service.ts';
import { authenticateRequest } from './message-identity.ts';
import { soapFaultEnvelope, toGridError } from './soap-fault.ts';
import { checkSoapXml } from './xml-guard.ts';

export interface ContainerDeps {
  readonly logger: Logger;
  readonly trust: TrustStore;
  /** Signatures already accepted (WS-Security replay protection), shared by every container. */
  readonly replay: ReplayCache;
  /** PEM of the host certificate (and any chain) and its key. */
  readonly hostCertPem: string;
  readonly hostKeyPem: string;
  /** PEMs of the trusted CAs, offered to clients as acceptable issuers. */
  readonly caPems: readonly string[];
  /** Every service this build knows; the config picks which ones run. */
  readonly services: readonly HostedService[];
  readonly wsdlDir: string;
}

export interface ContainerService extends Service {
  /** The port actually bound (useful with port 0). */
  port(): number;
}

const XSD_FILE = /^[A-Za-z0-9-]+\.xsd$/;

export function createContainerService(
  deps: ContainerDeps,
  config: ConfigOf<typeof CONTAINER_KNOBS>,
): ContainerService {
  const logger = deps.logger.child({ service: 'container' });
  const wanted = config.services.split(',').map((name) => name.trim()).filter(Boolean);
  const known = new Map(deps.services.map((service) => [service.name, service]));
  for (const name of wanted) {
    if (!known.has(name)) {
      throw new Error(`WEFT_CONTAINER_SERVICES names ${name}, but this container knows ${[...known.keys()].join(', ')}`);
    }
  }
  const hosted = wanted.map((name) => known.get(name)!);
  const contexts = new WeakMap<IncomingMessage, CallContext>();
  let server: Server | undefined;

  function refuse(response: Response, error: unknown, requestId: string) {
    const fault = toGridError(error, requestId);
    response.status(fault.code === 'WEFT_REQUEST_TOO_LARGE' ? 413 : 500);
    response.type('text/xml').send(soapFaultEnvelope(fault));
  }

  function gate(service: HostedService) {
    return async (request: Request, response: Response, next: NextFunction) => {
      const requestId = randomUUID();
      try {
        const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
        // Either level authenticates: the TLS chain, or a WS-Security signature (message-identity.ts).
        const caller = await authenticateRequest(request.socket as TLSSocket, body, deps);
        const identity = caller.identity;
        const operation = checkSoapXml(body);
        if (operation === undefined || !(operation in service.operations)) {
          throw containerError(
            'WEFT_NOT_SOAP',
            `the request asks for ${operation ?? 'no operation'}, but ${service.name} offers ${Object.keys(service.operations).join(', ')}`,
          );
        }
        contexts.set(request, {
          identity,
          limitedProxy: caller.limited,
          requestId,
          baseUrl: `https://${request.headers.host ?? `localhost:${config.port}`}`,
          logger: logger.child({ service: service.name, reqId: requestId, dn: identity }),
        });
        next();
      } catch (error) {
        logger.info({ reqId: requestId, service: service.name, err: error }, 'request refused');
        refuse(response, error, requestId);
      }
    };
  }

  async function buildApp() {
    const app = express();
    app.disable('x-powered-by');
    app.get(`${SERVICES_PATH}/:file`, (request, response, next) => {
      const file = request.params.file;
      if (!file || !XSD_FILE.test(file)) return next();
      response.sendFile(join(deps.wsdlDir, file), (error) => error && next());
    });
    for (const service of hosted) {
      app.post(
        `${SERVICES_PATH}/${service.name}`,
        express.raw({ type: () => true, limit: config.maxRequestBytes }),
        gate(service),
      );
      await mountService(app, service, deps.wsdlDir, (request) => contexts.get(request));
    }
    app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
      const requestId = randomUUID();
      const tooLarge = (error as { type?: string }).type === 'entity.too.large';
      if (!tooLarge) logger.error({ reqId: requestId, err: error }, 'request failed');
      refuse(
        response,
        tooLarge
          ? containerError('WEFT_REQUEST_TOO_LARGE', `the request is larger than ${config.maxRequestBytes} bytes`)
          : error,
        requestId,
      );
    });
    app.use((_request, response) => {
      response
        .status(404)
        .type('text/plain')
        .send(`No such service. This container hosts: ${hosted.map((s) => `${SERVICES_PATH}/${s.name}`).join(' ')}\n`);
    });
    return app;
  }

  return {
    async start() {
      const app = await buildApp();
      server = createServer(
        {
          cert: deps.hostCertPem,
          key: deps.hostKeyPem,
          ca: [...deps.caPems],
          requestCert: true,
          // Node cannot verify proxy chains: ask for the chain and let GSI decide (client-identity.ts).
          rejectUnauthorized: false,
        },
        app,
      );
      await new Promise<void>((resolve, reject) => {
        server!.once('error', (error: NodeJS.ErrnoException) =>
          reject(
            error.code === 'EADDRINUSE'
              ? containerError('WEFT_PORT_IN_USE', `port ${config.port} on ${config.host} is already in use`)
              : error,
          ),
        );
        server!.listen(config.port, config.host, () => resolve());
      });
      logger.info({ port: this.port(), services: wanted }, 'container listening');
    },
    async stop() {
      if (!server) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
    port() {
      return (server?.address() as AddressInfo | null)?.port ?? config.port;
    },
  };
}
