/** Choosing the LRMS by WEFT_SITE_LRMS: fork or slurm, with the Slurm knobs; anything else refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../services/common/config.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import { SITE_KNOBS, createSiteAgentService, type SiteAgentDeps } from '../../../services/site/index.ts';

// The agent touches none of these before start(); choosing the LRMS happens when it is made.
const deps = { logger: silentLogger(), home: '/nonexistent' } as unknown as SiteAgentDeps;

describe('the LRMS knob', () => {
  it('makes a Slurm site agent from WEFT_SITE_LRMS=slurm with its partition and poll interval', () => {
    const config = loadConfig(SITE_KNOBS, { WEFT_SITE_LRMS: 'slurm', WEFT_SLURM_PARTITION: 'long', WEFT_SLURM_POLL_MS: '250' });
    assert.equal(config.slurmPartition, 'long');
    assert.equal(config.slurmPollMs, 250);
    assert.doesNotThrow(() => createSiteAgentService(deps, config));
  });

  it('refuses a poll interval below 100 ms, naming the variable', () => {
    assert.throws(() => loadConfig(SITE_KNOBS, { WEFT_SLURM_POLL_MS: '10' }), { code: 'WEFT_CONFIG_INVALID', message: /WEFT_SLURM_POLL_MS/ });
  });

  it('refuses an LRMS it does not have with WEFT_CONFIG_INVALID, saying which it has', () => {
    const config = loadConfig(SITE_KNOBS, { WEFT_SITE_LRMS: 'pbs' });
    assert.throws(() => createSiteAgentService(deps, config), {
      code: 'WEFT_CONFIG_INVALID',
      message: 'the setting WEFT_SITE_LRMS is "pbs", but this site agent supports fork and slurm',
    });
  });
});
