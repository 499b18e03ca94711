import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../services/common/config.ts';
import { CONTAINER_KNOBS } from '../../../services/container/config.ts';

describe('configuration', () => {
  it('takes defaults, then the environment, then explicit values, and freezes the result', () => {
    assert.equal(loadConfig(CONTAINER_KNOBS, {}).port, 8443);
    assert.equal(loadConfig(CONTAINER_KNOBS, { WEFT_CONTAINER_PORT: '9443' }).port, 9443);
    const config = loadConfig(CONTAINER_KNOBS, { WEFT_CONTAINER_PORT: '9443' }, { port: 10443 });
    assert.equal(config.port, 10443);
    assert.ok(Object.isFrozen(config));
  });

  it('names the variable and the allowed range when a value is wrong', () => {
    assert.throws(() => loadConfig(CONTAINER_KNOBS, { WEFT_CONTAINER_PORT: 'eighty' }), {
      code: 'WEFT_CONFIG_INVALID',
      message: /WEFT_CONTAINER_PORT.*from 0 to 65535/,
    });
    assert.throws(() => loadConfig(CONTAINER_KNOBS, {}, { colour: 'blue' }), { code: 'WEFT_CONFIG_INVALID' });
  });
});
