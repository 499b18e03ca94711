import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messageSecurityFrom } from '../../../services/cli/ws-security.ts';

describe('WEFT_WSSEC', () => {
  it('chooses TLS only, signature and TLS, or signature only', () => {
    assert.equal(messageSecurityFrom(undefined), 'off');
    assert.equal(messageSecurityFrom('0'), 'off');
    assert.equal(messageSecurityFrom('1'), 'sign');
    assert.equal(messageSecurityFrom('only'), 'sign-only');
  });

  it('refuses anything else with a usage error that lists the choices', () => {
    assert.throws(() => messageSecurityFrom('yes'), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'CLI_USAGE');
      assert.match(error.message, /use 1 .* only .* or 0/);
      return true;
    });
  });
});
