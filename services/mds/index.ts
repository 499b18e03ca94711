/** The index's (MDS) public surface. */
export { createIndexService, INDEXED_ATTRIBUTES, type IndexService, type IndexServiceDeps } from './create-index-service.ts';
export { MDS_KNOBS } from './config.ts';
export { mdsError, type MdsErrorCode } from './errors.ts';
