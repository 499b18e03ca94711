/** Site documents: what is accepted, and every refusal names the field that is wrong. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateSiteDocument } from '../../../../services/mds/index.ts';
import { compileSiteQuery } from '../../../../services/mds/registration/site-query.ts';
import { parseSiteFile } from '../../../../services/cli/site-file.ts';

const good = { name: 'gamma', contact: 'gamma.example.org:2119', lrms: 'slurm', totalCpus: 64 };

function refused(document: unknown, field: string, message: RegExp) {
  assert.throws(() => validateSiteDocument(document), (error: { code: string; details: { field: string }; message: string }) => {
    assert.equal(error.code, 'MDS_BAD_REGISTRATION');
    assert.equal(error.details.field, field);
    assert.match(error.message, message);
    return true;
  });
}

describe('validateSiteDocument', () => {
  it('accepts a whole document, numbers as text (SOAP) and lists as one element or comma text', () => {
    const document = validateSiteDocument({
      ...good, totalCpus: '64', memoryMB: '4096', opSys: 'linux', arch: 'x86_64', tag: 'blast', maxWallTimeMinutes: '120',
      pricePerCpuHour: '0.05', vo: ['atlas', 'cms'], policy: 'my.Count <= 4', ttlSeconds: '600',
    });
    assert.deepEqual(document, {
      name: 'gamma', contact: 'gamma.example.org:2119', lrms: 'slurm', totalCpus: 64, ttlSeconds: 600, memoryMB: 4096,
      opSys: 'linux', arch: 'x86_64', tags: ['blast'], maxWallTimeMinutes: 120, pricePerCpuHour: 0.05, vos: ['atlas', 'cms'],
      policy: 'my.Count <= 4',
    });
    assert.deepEqual(validateSiteDocument({ ...good, tags: 'blast, gromacs' }).tags, ['blast', 'gromacs']);
    assert.equal(validateSiteDocument(good).ttlSeconds, 300);
  });

  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['a missing name', { ...good, name: undefined }, 'name', /missing/],
    ['a name with DN-special characters', { ...good, name: 'a,b=c' }, 'name', /only letters, digits/],
    ['a name over 63 characters', { ...good, name: 'x'.repeat(64) }, 'name', /64 characters long/],
    ['a negative CPU count', { ...good, totalCpus: -4 }, 'totalCpus', /is -4; it must be from 1/],
    ['an absurd CPU count', { ...good, totalCpus: 1e12 }, 'totalCpus', /from 1 to 1000000/],
    ['a CPU count that is not a number', { ...good, totalCpus: 'many' }, 'totalCpus', /whole number/],
    ['a fractional CPU count', { ...good, totalCpus: 2.5 }, 'totalCpus', /whole number/],
    ['an unknown LRMS', { ...good, lrms: 'magic' }, 'lrms', /one of fork, slurm/],
    ['a contact that is a structure', { ...good, contact: { a: 1 } }, 'contact', /must be text/],
    ['an unknown field', { ...good, colour: 'blue' }, 'colour', /not a site document field/],
    ['a TTL too short', { ...good, ttlSeconds: 1 }, 'ttlSeconds', /from 10 to 86400/],
    ['a TTL too long', { ...good, ttlSeconds: 86_401 }, 'ttlSeconds', /from 10 to 86400/],
    ['a negative price', { ...good, pricePerCpuHour: -1 }, 'pricePerCpuHour', /from 0/],
    ['a tag with a comma-free but odd character', { ...good, tags: ['ok', 'no way'] }, 'tags', /entry 2/],
    ['a policy with a line break', { ...good, policy: 'a\nb' }, 'policy', /control characters/],
    ['a policy that does not parse', { ...good, policy: 'my.Count <=' }, 'policy', /does not parse: the site policy has a syntax error/],
  ];
  for (const [what, document, field, message] of cases) {
    it(`refuses ${what}, naming ${field}`, () => refused(document, field, message));
  }
  it('refuses a document that is not a structure', () => refused('name=x', 'site', /not a structure/));
});

describe('parseSiteFile', () => {
  it('reads key = value lines with comments and comma lists', () => {
    const document = parseSiteFile('# a site\nname = gamma\ncontact = g.example.org:2119\nlrms = fork\ntotalCpus = 8\ntags = blast, gromacs\n');
    assert.deepEqual(document.tags, ['blast', 'gromacs']);
    assert.equal(document.totalCpus, 8);
  });
  it('names the line and field of an unknown key, a repeated key, a line without =', () => {
    assert.throws(() => parseSiteFile('name = a\ncolour = blue\n', 'site.conf'), /site.conf line 2: the field colour is not/);
    assert.throws(() => parseSiteFile('name = a\nname = b\n'), /line 2: the field name is given twice/);
    assert.throws(() => parseSiteFile('name a\n'), /line 1: "name a" is not "key = value"/);
  });
  it('names the field of a bad value', () => {
    assert.throws(() => parseSiteFile('name = a\ncontact = c\nlrms = fork\ntotalCpus = -3\n'), { code: 'MDS_BAD_REGISTRATION', message: /totalCpus is -3/ });
  });
});

describe('compileSiteQuery', () => {
  it('treats an empty filter as every site and refuses a deep, long or broken one', () => {
    assert.equal(typeof compileSiteQuery(''), 'function');
    assert.throws(() => compileSiteQuery(`${'(!'.repeat(9)}(a=1)${')'.repeat(9)}`), { code: 'MDS_BAD_QUERY', message: /8 levels/ });
    assert.throws(() => compileSiteQuery(`(a=${'x'.repeat(2000)})`), { code: 'MDS_BAD_QUERY', message: /at most 1024/ });
    assert.throws(() => compileSiteQuery('(a=1'), { code: 'MDS_BAD_QUERY', message: /not an LDAP filter/ });
  });
});
