/** The grid container's public surface. */
export { createContainerService, type ContainerDeps, type ContainerService } from './create-container.ts';
export { CONTAINER_KNOBS } from './config.ts';
export { SERVICES_PATH } from './host-service.ts';
