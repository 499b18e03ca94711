import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FUNCTIONS } from '../../../../../services/broker/index.ts';
import { ev } from './support.ts';

const site = { Name: 'beta', Tags: ['blast', 'Python3'], FreeCpus: 4, Price: 0.25, Empty: [] as string[] };
const at = (text: string) => ev(text, site);

describe('expression functions', () => {
  it('member(x, list): == against each element, UNDEFINED when either side is', () => {
    assert.equal(at('member("blast", other.Tags)'), 'true');
    assert.equal(at('member("python3", other.Tags)'), 'true', 'strings compare ignoring case');
    assert.equal(at('member("gromacs", other.Tags)'), 'false');
    assert.equal(at('member(2, {1, 2.0, "x"})'), 'true');
    assert.equal(at('member("x", other.Missing)'), 'undefined');
    assert.equal(at('member(other.Missing, other.Tags)'), 'undefined');
    assert.equal(at('member("x", other.Name)'), 'error');
    assert.equal(at('member(other.Tags, other.Tags)'), 'error');
    assert.equal(at('member(my.e, other.Tags)'), 'error');
  });

  it('regexp(pattern, string[, options])', () => {
    assert.equal(at('regexp("^be", other.Name)'), 'true');
    assert.equal(at('regexp("^BE", other.Name)'), 'false');
    assert.equal(at('regexp("^BE", other.Name, "i")'), 'true');
    assert.equal(at('regexp("ta$", "be\\nta", "m")'), 'true');
    assert.equal(at('regexp("e.t", "be\\nta", "s")'), 'true');
    assert.equal(at('regexp("^blast-2\\\\.\\\\d+$", "blast-2.14")'), 'true');
    assert.equal(at('regexp("x", other.Missing)'), 'undefined');
    assert.equal(at('regexp("x", other.FreeCpus)'), 'error');
    assert.equal(at('regexp(other.Name, "beta-site")'), 'true', 'patterns may come from ads');
  });

  it('strcmp and stricmp order as C does: -1, 0 or 1', () => {
    assert.equal(at('strcmp("a", "b")'), '-1');
    assert.equal(at('strcmp("b", "a")'), '1');
    assert.equal(at('strcmp("a", "A")'), '1');
    assert.equal(at('stricmp("a", "A")'), '0');
    assert.equal(at('strcmp(12, "12")'), '0', 'numbers are compared as their text');
    assert.equal(at('strcmp(other.Missing, "a")'), 'undefined');
    assert.equal(at('strcmp(my.e, "a")'), 'error');
  });

  it('toLower, toUpper, size, string', () => {
    assert.equal(at('toLower(other.Tags)'), '"{\\"blast\\", \\"python3\\"}"');
    assert.equal(at('toUpper(other.Name)'), '"BETA"');
    assert.equal(at('toLower("MiXeD 42")'), '"mixed 42"');
    assert.equal(at('toUpper(other.Missing)'), 'undefined');
    assert.equal(at('size(other.Tags)'), '2');
    assert.equal(at('size(other.Empty)'), '0');
    assert.equal(at('size(other.Name)'), '4');
    assert.equal(at('size(other.FreeCpus)'), 'error');
    assert.equal(at('size(other.Missing)'), 'undefined');
    assert.equal(at('string(other.FreeCpus)'), '"4"');
    assert.equal(at('string(other.Price)'), '"0.25"');
    assert.equal(at('string(2.0)'), '"2.0"');
    assert.equal(at('string(my.t)'), '"true"');
    assert.equal(at('string(other.Missing)'), 'undefined');
  });

  it('int and real convert numbers, booleans and numeric strings', () => {
    assert.equal(at('int(3.9)'), '3');
    assert.equal(at('int(-3.9)'), '-3');
    assert.equal(at('int(" 42 ")'), '42');
    assert.equal(at('int("4.7")'), '4');
    assert.equal(at('int(my.t)'), '1');
    assert.equal(at('int(other.Name)'), 'error');
    assert.equal(at('int(other.Missing)'), 'undefined');
    assert.equal(at('real(3)'), '3.0');
    assert.equal(at('real("2.5e1")'), '25.0');
    assert.equal(at('real(other.Tags)'), 'error');
  });

  it('isUndefined, isError and ifThenElse', () => {
    assert.equal(at('isUndefined(other.Missing)'), 'true');
    assert.equal(at('isUndefined(other.Name)'), 'false');
    assert.equal(at('isError(other.Name + 1)'), 'true');
    assert.equal(at('isError(other.Missing + 1)'), 'false');
    assert.equal(at('ifThenElse(other.FreeCpus > 2, "big", "small")'), '"big"');
    assert.equal(at('ifThenElse(other.Missing, 1, 2)'), 'undefined');
    assert.equal(at('ifThenElse(other.Name, 1, 2)'), 'error');
    assert.equal(at('ifThenElse(other.FreeCpus, 1, 1 / my.zero)'), '1', 'only the branch taken is evaluated');
  });

  it('min and max over a list (ClassAds) or over arguments', () => {
    assert.equal(at('min({3, 1.5, 2})'), '1.5');
    assert.equal(at('max({3, 1.5, 2})'), '3');
    assert.equal(at('max(other.FreeCpus, 8)'), '8');
    assert.equal(at('min(other.FreeCpus, 8, 6)'), '4');
    assert.equal(at('min(other.Empty)'), 'undefined');
    assert.equal(at('min(other.Missing, 8)'), 'undefined');
    assert.equal(at('min(other.Tags)'), 'error');
    assert.equal(at('max(other.FreeCpus)'), 'error');
  });

  it('floor, ceiling and round give integers; round takes halves to even, as C rint', () => {
    assert.equal(at('floor(2.7)'), '2');
    assert.equal(at('floor(-2.1)'), '-3');
    assert.equal(at('ceiling(2.1)'), '3');
    assert.equal(at('ceil(2.1)'), '3');
    assert.equal(at('round(2.4)'), '2');
    assert.equal(at('round(2.5)'), '2');
    assert.equal(at('round(3.5)'), '4');
    assert.equal(at('round(-2.5)'), '-2');
    assert.equal(at('floor(7)'), '7');
    assert.equal(at('floor("2.5")'), '2');
    assert.equal(at('floor(other.Missing)'), 'undefined');
    assert.equal(at('floor(other.Name)'), 'error');
  });

  it('has the functions the README lists and no others', () => {
    assert.deepEqual(
      [...FUNCTIONS.values()].map((spec) => spec.name).sort(),
      ['ceil', 'ceiling', 'floor', 'ifThenElse', 'int', 'isError', 'isUndefined', 'max', 'member', 'min', 'real',
        'regexp', 'round', 'size', 'strcmp', 'stricmp', 'string', 'toLower', 'toUpper'].sort(),
    );
  });
});
