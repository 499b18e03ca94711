import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJobCommandLine } from '../../../services/cli/commands/job-command-line.ts';
import { rslToJobSpec } from '../../../services/gram/rsl/index.ts';

describe('globus-job-run command lines become RSL that means exactly what was typed', () => {
  it('keeps each argument whole, whatever characters it holds', () => {
    const args = ['hello grid', 'say "hi"', "it's", '$(rm -rf /)', 'a;b|c', ''];
    const { contact, rsl } = parseJobCommandLine('globus-job-run', ['localhost', '/bin/echo', ...args]);
    assert.equal(contact, 'localhost');
    const spec = rslToJobSpec(rsl);
    assert.equal(spec.executable, '/bin/echo');
    assert.deepEqual(spec.arguments, args);
  });

  it('turns GT flags into RSL attributes', () => {
    const { rsl } = parseJobCommandLine('globus-job-run', [
      'https://localhost:8443', '-np', '2', '-env', 'A=1=2', '-maxtime', '5', '-q', 'short', '/bin/true',
    ]);
    const spec = rslToJobSpec(rsl);
    assert.equal(spec.count, 2);
    assert.deepEqual(spec.environment, { A: '1=2' });
    assert.equal(spec.maxWallTime, 5);
    assert.equal(spec.queue, 'short');
  });

  it('says what is missing', () => {
    assert.throws(() => parseJobCommandLine('globus-job-run', []), { code: 'CLI_USAGE', message: /resource contact/ });
    assert.throws(() => parseJobCommandLine('globus-job-run', ['localhost']), { code: 'CLI_USAGE', message: /program to run/ });
    assert.throws(() => parseJobCommandLine('globus-job-run', ['localhost', '-bogus', 'x', '/bin/true']), {
      code: 'CLI_USAGE',
      message: /-bogus/,
    });
  });
});
