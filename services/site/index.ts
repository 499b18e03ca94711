/** The site agent's public surface. */
export { createSiteAgentService, type SiteAgentDeps } from './create-site-agent.ts';
export { SITE_KNOBS } from './config.ts';
