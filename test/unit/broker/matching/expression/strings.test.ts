import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ev } from './support.ts';

describe('strings, as ClassAds compare them', () => {
  it('== and != ignore the case of letters; =?= and =!= do not', () => {
    const site = { Name: 'Beta', OpSys: 'LINUX' };
    assert.equal(ev('other.Name == "beta"', site), 'true');
    assert.equal(ev('other.Name != "BETA"', site), 'false');
    assert.equal(ev('other.Name =?= "beta"', site), 'false');
    assert.equal(ev('other.Name =?= "Beta"', site), 'true');
    assert.equal(ev('other.Name =!= "beta"', site), 'true');
    assert.equal(ev('other.OpSys == "linux" && other.OpSys isnt "linux"', site), 'true');
  });

  it('orders strings without regard to case', () => {
    assert.equal(ev('"apple" < "Banana"'), 'true');
    assert.equal(ev('"B" > "a"'), 'true');
    assert.equal(ev('"abc" <= "ABC"'), 'true');
    assert.equal(ev('"ab" < "abc"'), 'true');
  });

  it('refuses to compare strings with other types (ERROR, found when the parts come from ads)', () => {
    assert.equal(ev('other.Name == 1', { Name: '1' }), 'error');
    assert.equal(ev('other.Name < my.t', { Name: 'x' }), 'error');
    assert.equal(ev('other.Tags == "a"', { Tags: ['a'] }), 'error');
  });

  it('keeps escapes and non-ASCII text', () => {
    assert.equal(ev('size("tab\\there")'), '8');
    assert.equal(ev('"Zürich" == "zürich"'), 'true');
    assert.equal(ev('"ÉTÉ" == "été"'), 'false', 'only ASCII letters fold, as strcasecmp');
  });
});
