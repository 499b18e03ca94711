import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  adFromRecord,
  evaluate,
  explainRejection,
  matches,
  parseExpression,
  rankValue,
  requirementClauses,
  toPlain,
  type AttributeInput,
} from '../../../../../services/broker/index.ts';

const ctx = (other: Record<string, AttributeInput>, my: Record<string, AttributeInput> = { Count: 2 }) => ({
  my: adFromRecord(my),
  other: adFromRecord(other),
});

describe('evaluating against a job and a site', () => {
  it('matches only when the value is exactly true', () => {
    const requirement = parseExpression('other.FreeCpus >= my.Count');
    assert.equal(matches(requirement, ctx({ FreeCpus: 4 })), true);
    assert.equal(matches(requirement, ctx({ FreeCpus: 1 })), false);
    assert.equal(matches(requirement, ctx({})), false, 'UNDEFINED does not match');
    assert.equal(matches(parseExpression('other.FreeCpus + "x" > 1 || true'), ctx({ FreeCpus: 1 })), false, 'ERROR does not match');
    assert.equal(matches(parseExpression('1'), ctx({})), false, 'a number is not true');
  });

  it('ranks numbers as they are, booleans as 1/0, everything else as 0', () => {
    assert.equal(rankValue(parseExpression('other.FreeCpus * 2'), ctx({ FreeCpus: 4 })), 8);
    assert.equal(rankValue(parseExpression('-other.Price'), ctx({ Price: 0.5 })), -0.5);
    assert.equal(rankValue(parseExpression('other.OpSys == "linux"'), ctx({ OpSys: 'LINUX' })), 1);
    assert.equal(rankValue(parseExpression('other.OpSys == "linux"'), ctx({ OpSys: 'aix' })), 0);
    assert.equal(rankValue(parseExpression('other.Missing'), ctx({})), 0);
    assert.equal(rankValue(parseExpression('other.Name'), ctx({ Name: 'alpha' })), 0);
    assert.equal(rankValue(parseExpression('other.Name + 1'), ctx({ Name: 'alpha' })), 0);
  });

  it('gives plain values to callers outside the language', () => {
    assert.deepEqual(toPlain(evaluate(parseExpression('{1, 2.5, "a", true, undefined}'), ctx({}))), [1, 2.5, 'a', true, null]);
    assert.deepEqual(toPlain(evaluate(parseExpression('other.x / 0'), ctx({ x: 1 }))), { error: 'division by zero' });
  });

  it('stops an evaluation that runs out of steps, as ERROR', () => {
    const big = Array.from({ length: 50_000 }, (_, i) => i);
    const expression = parseExpression('member(-1, other.Big) || member(-1, other.Big) || member(-1, other.Big) || member(-1, other.Big) || member(-1, other.Big)');
    const result = evaluate(expression, ctx({ Big: big }));
    assert.equal(result.type, 'error');
    assert.match(String(result.value), /more than 200000 steps/);
    assert.equal(evaluate(parseExpression('member(-1, other.Big)'), ctx({ Big: big })).type, 'boolean');
  });
});

describe('explaining which requirement rejected a site', () => {
  const requirements = parseExpression(
    'other.OpSys == "linux" && (other.FreeCpus >= 8 || other.Queue == "big") && member("blast", other.Tags)',
  );

  it('splits the top-level && chain into numbered clauses, as written', () => {
    assert.deepEqual(
      requirementClauses(requirements).map(({ index, text }) => [index, text]),
      [
        [1, 'other.OpSys == "linux"'],
        [2, '(other.FreeCpus >= 8 || other.Queue == "big")'],
        [3, 'member("blast", other.Tags)'],
      ],
    );
    assert.deepEqual(requirementClauses(parseExpression('a || b')).map((c) => c.text), ['a || b']);
  });

  it('names the first clause that does not hold, and how it came out', () => {
    const linux = { OpSys: 'linux', FreeCpus: 2, Tags: ['blast'] };
    const rejection = explainRejection(requirements, ctx(linux));
    assert.equal(rejection?.clause.index, 2);
    assert.equal(rejection?.value.type, 'undefined', 'FreeCpus < 8 || Queue missing');
    assert.equal(explainRejection(requirements, ctx({ ...linux, OpSys: 'aix' }))?.clause.index, 1);
    assert.equal(explainRejection(requirements, ctx({ ...linux, FreeCpus: 8, Tags: [] }))?.clause.index, 3);
    assert.equal(explainRejection(requirements, ctx({ ...linux, FreeCpus: 8 })), undefined, 'a match has nothing to explain');
    assert.equal(explainRejection(requirements, ctx({}))?.value.type, 'undefined');
  });
});
