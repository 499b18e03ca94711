import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseExpression } from '../../../../../services/broker/index.ts';
import { ev, parseFailure } from './support.ts';

describe('parsing matchmaking expressions', () => {
  it('reads literals of every type', () => {
    assert.equal(ev('42'), '42');
    assert.equal(ev('2.5'), '2.5');
    assert.equal(ev('.5'), '0.5');
    assert.equal(ev('1e3'), '1000.0');
    assert.equal(ev('"say \\"hi\\"\\n"'), '"say \\"hi\\"\\n"');
    assert.equal(ev('TRUE'), 'true');
    assert.equal(ev('False'), 'false');
    assert.equal(ev('UNDEFINED'), 'undefined');
    assert.equal(ev('error'), 'error');
    assert.equal(ev('{1, "a", {2.0}, {}}'), '{1, "a", {2.0}, {}}');
  });

  it('binds operators as ClassAds do', () => {
    assert.equal(ev('1 + 2 * 3'), '7');
    assert.equal(ev('(1 + 2) * 3'), '9');
    assert.equal(ev('10 - 4 - 3'), '3', 'left-associative');
    assert.equal(ev('-2 * -3'), '6');
    assert.equal(ev('1 < 2 == 2 > 1'), 'true', 'relational binds tighter than equality');
    assert.equal(ev('true || false && false'), 'true', '&& binds tighter than ||');
    assert.equal(ev('false ? 1 : true ? 2 : 3'), '2', '?: is right-associative');
    assert.equal(ev('!false && true'), 'true');
    assert.equal(ev('1 is 1'), 'true');
    assert.equal(ev('1 isnt 1.0'), 'true');
  });

  it('reads my., other., target. and bare names, case-insensitively', () => {
    const site = { FreeCpus: 4, Name: 'beta' };
    assert.equal(ev('other.freecpus', site), '4');
    assert.equal(ev('OTHER.FREECPUS', site), '4');
    assert.equal(ev('TARGET.FreeCpus', site), '4');
    assert.equal(ev('my.N'), '3');
    assert.equal(ev('n'), '3', 'bare names look in my first');
    assert.equal(ev('Name', site), '"beta"', 'then in other');
    assert.equal(ev('other.n', site), 'undefined', 'other. does not fall back to my');
    assert.equal(ev('my.Name', site), 'undefined');
    assert.equal(ev('nosuch'), 'undefined');
  });

  it('names functions case-insensitively', () => {
    assert.equal(ev('TOLOWER("A")'), '"a"');
    assert.equal(ev('IfThenElse(true, 1, 2)'), '1');
  });

  const syntax: Array<[string, number, RegExp]> = [
    ['other.Name == "beta" &&', 24, /column 24: expected an operand after '&&', found the end of the expression/],
    ['other.Name = "beta"', 12, /column 12: '=' is not an operator here; compare with '=='/],
    ['other.FreeCpus >= 2 & true', 21, /column 21: '&' is not an operator here; write '&&'/],
    ['a | b', 3, /write '\|\|'/],
    ["other.Name == 'beta'", 15, /single quotes do not make a string/],
    ['other.Tags[0]', 11, /subscripts such as list\[0\] are not supported/],
    ['(1 + 2', 7, /column 7: expected '\)' to close the '\(' at column 1, found the end of the expression/],
    ['1 +', 4, /expected an operand after '\+'/],
    ['* 2', 1, /column 1: expected an operand/],
    ['other.', 7, /expected an attribute name after 'other\.'/],
    ['my Name', 4, /expected '\.' and an attribute name after 'my'/],
    ['a b', 3, /expected an operator or the end of the expression, found 'b' \(is an operator such as && missing\?\)/],
    ['{1, 2', 6, /expected ',' or '}' in the list/],
    ['member(1, {2}', 14, /expected ',' or '\)' in the arguments of member\(\)/],
    ['true ? 1', 9, /expected ':' after the 'then' part/],
    ['"never closed', 1, /column 1: the string starting here is never closed/],
    ['"\\d+"', 2, /unknown escape '\\d' in a string; write '\\\\d'/],
    ['2GB', 2, /the number 2 is followed by 'G'; numbers carry no units/],
    ['1e', 2, /exponent 'e' without digits/],
    ['99999999999999999999', 1, /the integer 99999999999999999999 is too large/],
    ['other.Name == "x" # comment', 19, /unexpected character '#'/],
    ['', 1, /is empty/],
  ];
  for (const [text, column, message] of syntax) {
    it(`refuses ${JSON.stringify(text)} at column ${column}`, () => {
      const error = parseFailure(text);
      assert.equal(error.code, 'BROKER_EXPRESSION_SYNTAX');
      assert.match(error.message, message);
      assert.equal(error.details.column, column);
      assert.equal(error.details.position, column);
      assert.equal(error.side, 'client');
    });
  }

  it('names the line too when the expression spans lines, and uses the label it is given', () => {
    const error = parseFailure('other.FreeCpus >= 2 &&\n  other.Name == ', 'the requirements expression');
    assert.match(error.message, /^the requirements expression has a syntax error at line 2, column 17: expected an operand after '=='/);
    assert.deepEqual({ ...error.details }, { position: 40, line: 2, column: 17 });
  });

  it('refuses unknown functions and wrong argument counts when parsing, not when matching', () => {
    const unknown = parseFailure('strcm(other.Name, "a") == 0');
    assert.equal(unknown.code, 'BROKER_EXPRESSION_UNKNOWN_FUNCTION');
    assert.match(unknown.message, /unknown function 'strcm' at column 1 \(did you mean strcmp\?\); the functions are member, regexp/);
    assert.doesNotMatch(parseFailure('foo(1)').message, /did you mean/);
    const arity = parseFailure('other.FreeCpus > 1 && member("x")');
    assert.equal(arity.code, 'BROKER_EXPRESSION_ARITY');
    assert.match(arity.message, /calls member\(\) at column 23 with 1 argument, but it takes 2: member\(x, list\)/);
    assert.match(parseFailure('regexp("a")').message, /takes 2 or 3/);
    assert.match(parseFailure('min()').message, /takes at least 1/);
    assert.equal(parseFailure('ifThenElse(true, 1)').code, 'BROKER_EXPRESSION_ARITY');
  });

  it('refuses parts that are ERROR whatever the sites say', () => {
    const error = parseFailure('other.FreeCpus > 1 && (1 + "a") > 0');
    assert.equal(error.code, 'BROKER_EXPRESSION_ALWAYS_ERROR');
    assert.match(error.message, /always ERROR in '\(1 \+ "a"\)' at column 26: '\+' needs numbers, not integer and string/);
    assert.match(parseFailure('"a" < 2').message, /cannot compare string with integer/);
    assert.match(parseFailure('1 / 0').message, /division by zero/);
    // ERROR written on purpose is not a mistake.
    assert.equal(ev('isError(error)'), 'true');
    assert.equal(ev('error =?= error'), 'true');
  });

  it('bounds the text to 8 KiB and the nesting to 64 levels', () => {
    const long = parseFailure(`other.Name == "${'x'.repeat(9000)}"`);
    assert.equal(long.code, 'BROKER_EXPRESSION_TOO_COMPLEX');
    assert.match(long.message, /is 9016 bytes long, more than the 8192 bytes \(8 KiB\) allowed/);
    assert.doesNotThrow(() => parseExpression(`${'('.repeat(63)}1${')'.repeat(63)}`));
    const deep = parseFailure(`${'('.repeat(100_000)}1${')'.repeat(100_000)}`.slice(0, 8000));
    assert.equal(deep.code, 'BROKER_EXPRESSION_TOO_COMPLEX');
    assert.match(deep.message, /nested more than 64 levels deep at column 65/);
    assert.equal(parseFailure(`${'!'.repeat(70)}true`).code, 'BROKER_EXPRESSION_TOO_COMPLEX');
    assert.equal(parseFailure(Array.from({ length: 70 }, () => '1').join(' + ')).code, 'BROKER_EXPRESSION_TOO_COMPLEX');
    // A long && or || chain is one level, however long.
    const chain = Array.from({ length: 300 }, (_, i) => `other.A${i} > ${i}`).join(' && ');
    assert.doesNotThrow(() => parseExpression(chain));
  });
});
