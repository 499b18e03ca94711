/** The grid container's knobs. */
import type { KnobTable } from '../common/config.ts';

export const CONTAINER_KNOBS = {
  port: {
    env: 'WEFT_CONTAINER_PORT',
    type: 'int',
    default: 8443,
    min: 0,
    max: 65535,
    description: 'HTTPS port of the grid container (0 picks a free one).',
  },
  host: {
    env: 'WEFT_CONTAINER_HOST',
    type: 'string',
    default: '127.0.0.1',
    description: 'Address to listen on; 0.0.0.0 to serve other hosts.',
  },
  services: {
    env: 'WEFT_CONTAINER_SERVICES',
    type: 'string',
    default: 'ManagedJobFactoryService,ManagedJobService,IndexService,CredentialRepositoryService,DelegationService,AccountingService',
    description: 'Comma-separated SOAP services this container hosts.',
  },
  maxRequestBytes: {
    env: 'WEFT_CONTAINER_MAX_REQUEST_BYTES',
    type: 'int',
    default: 1_048_576,
    min: 1024,
    max: 67_108_864,
    description: 'Largest SOAP request accepted; bigger ones get a WEFT_REQUEST_TOO_LARGE fault.',
  },
} as const satisfies KnobTable;
