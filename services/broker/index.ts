/** The broker's public surface. */
export { createBrokerService, type BrokerDeps } from './create-broker.ts';
export { BROKER_KNOBS } from './config.ts';
