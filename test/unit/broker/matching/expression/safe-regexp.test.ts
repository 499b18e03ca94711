import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RegexpRefusal,
  checkWrittenRegexp,
  planRegexp,
  regexpCost,
} from '../../../../../services/broker/matching/expression/safe-regexp.ts';
import { ev, parseFailure } from './support.ts';

function refusal(pattern: string, options = ''): string {
  try {
    checkWrittenRegexp(pattern, options);
  } catch (error) {
    if (error instanceof RegexpRefusal) return error.reason;
    throw error;
  }
  throw new Error(`expected /${pattern}/ to be refused`);
}

describe('regexp() safety', () => {
  it('accepts the patterns people write for names, tags and versions', () => {
    for (const pattern of [
      '^x86_64$', 'blast', '^blast-2\\.\\d+', '^(x86_64|amd64)$', '(foo|bar)?baz', '[A-Za-z0-9_.-]+',
      '^site-[0-9]{1,3}\\.example\\.org$', '(ab)+c', '^.*foo.*$', 'a+?b', '[]]', '\\bword\\b', '(?:v|version)\\s*\\d+',
    ]) {
      assert.doesNotThrow(() => checkWrittenRegexp(pattern), pattern);
    }
  });

  it('refuses nested and alternated repetition, back-references and look-arounds', () => {
    assert.match(refusal('(a+)+$'), /repeated by '\+' but itself holds a quantifier; nested repetition/);
    assert.match(refusal('(a|aa)*b'), /holds an alternation/);
    assert.match(refusal('(\\w+\\s?)*$'), /nested repetition/);
    assert.match(refusal('((ab)*c)+'), /nested repetition/);
    assert.doesNotThrow(() => checkWrittenRegexp('(a){2,}'), '{n,} on a plain group is fine');
    assert.match(refusal('(a)\\1'), /back-references such as \\1 are not supported/);
    assert.match(refusal('\\k<x>'), /back-references/);
    assert.match(refusal('a(?=b)'), /look-arounds are not supported/);
    assert.match(refusal('(?<!a)b'), /look-arounds/);
    assert.match(refusal('(?<n>a)'), /named groups are not supported/);
    assert.match(refusal('a{2,1}'), /bounds/);
    assert.match(refusal('a{1,5000}'), /bounds/);
    assert.match(refusal('x{'), /\\\{ for a literal brace/);
    assert.match(refusal('*a'), /nothing to repeat/);
    assert.match(refusal('^*'), /nothing to repeat/);
    assert.match(refusal('(a'), /never closed/);
    assert.match(refusal('a)'), /unmatched '\)'/);
    assert.match(refusal('[a'), /never closed with '\]'/);
    assert.match(refusal('\\x41'), /the escape \\x is not supported/);
    assert.match(refusal('a', 'g'), /unknown option 'g'/);
    assert.match(refusal('a'.repeat(257)), /257 characters long, more than the 256 allowed/);
  });

  it('refuses patterns whose estimated work is too high even on short strings', () => {
    assert.match(refusal('a*a*a*b'), /could take too long: .* 3 unbounded repetitions and is not anchored/);
    assert.match(refusal('^a*a*a*a*b'), /could take too long: .* 4 unbounded repetitions\)/);
    assert.doesNotThrow(() => checkWrittenRegexp('^a*a*a*b'), 'anchoring removes a factor');
    assert.match(refusal('a?'.repeat(20)), /could take too long/);
  });

  it('estimates work as starts × choices × (L+1)^unbounded', () => {
    assert.equal(regexpCost(planRegexp('abc'), 10), 11);
    assert.equal(regexpCost(planRegexp('^abc'), 10), 1);
    assert.equal(regexpCost(planRegexp('a*b'), 10), 121);
    assert.equal(regexpCost(planRegexp('^a?b{2,4}(c|d|e)'), 10), 2 * 3 * 3);
    assert.equal(planRegexp('^a', 'm').anchored, false, 'with m, ^ matches after every newline');
    assert.equal(planRegexp('^a|b').anchored, false);
  });

  it('answers quickly for every pattern it accepts, even on hostile input', () => {
    for (const pattern of ['^a*a*a*c', 'a*a*c', '^(a|b)?a*a*c', 'a*c', '^.*a.*a.*c$', '[a-z]+c', '(?:a|aa)a*c']) {
      for (const length of [64, 100, 999, 4096]) {
        const started = performance.now();
        const result = ev(`regexp("${pattern}", other.Input)`, { Input: 'a'.repeat(length) });
        const elapsed = performance.now() - started;
        assert.ok(['false', 'error'].includes(result), pattern);
        assert.ok(elapsed < 50, `${pattern} on ${length} characters took ${elapsed.toFixed(0)} ms`);
      }
    }
  });

  it('applies the same rules to patterns that come from ads, as ERROR at evaluation', () => {
    const site = { Pattern: '(a+)+$', Cheap: 'a*c', Long: 'x'.repeat(5000) };
    assert.equal(ev('regexp(other.Pattern, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")', site), 'error');
    assert.equal(ev('regexp(other.Cheap, "aac")', site), 'true');
    assert.equal(ev('regexp("x", other.Long)', site), 'error', 'strings longer than 4096 characters');
    assert.equal(ev(`regexp(other.Cheap, "${'a'.repeat(980)}c")`, site), 'true');
    assert.equal(ev(`regexp(other.Cheap, "${'a'.repeat(1100)}")`, site), 'error', 'too costly for that length');
    assert.equal(ev('regexp("a", "a", other.Cheap)', site), 'error', 'unknown options');
  });

  it('refuses an unsafe pattern written in an expression when parsing, pointing at it', () => {
    const error = parseFailure('other.OpSys == "linux" && regexp("(a+)+", other.Name)', 'the requirements expression');
    assert.equal(error.code, 'BROKER_EXPRESSION_REGEXP');
    assert.match(error.message, /^the requirements expression has a regexp\(\) pattern at column 34 that is refused \(character 5 of the pattern\): .*nested repetition/);
    assert.equal(parseFailure('regexp("a", other.Name, "q")').details.column, 25, 'a bad option points at the options');
  });
});
