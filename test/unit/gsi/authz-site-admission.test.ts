/**
 * Grid-mapfile authorization as the broker applies it: sites publish digests of the DNs their
 * maps list, and the broker keeps a job off every site whose digests leave its owner out —
 * comparing DNs as the GSI does — saying so in the Pending reason and in `weft job analyze`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeJob, matchSites, type MatchJob, type MatchSite } from '../../../services/broker/index.ts';
import { admittedOwners } from '../../../services/common/site-registry.ts';
import { globusDnKey, parseGridMapfile } from '../../../services/gsi/index.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const DEV = '/O=Grid/OU=Weft/CN=Dev User';
const ANN = '/O=Grid/OU=Weft/CN=Ann Other';

/** What a site with this grid-mapfile publishes. */
const admitsOf = (mapText: string) => admittedOwners(parseGridMapfile(mapText).byKey.keys());

const site = (name: string, extra: Partial<MatchSite> = {}): MatchSite => ({
  name,
  contact: `${name}.example.org:8443`,
  lrms: 'fork',
  totalSlots: 4,
  reservedSlots: 0,
  updatedAt: new Date(NOW - 2_000).toISOString(),
  ttlSeconds: 15,
  ...extra,
});

const job = (owner: string): MatchJob => ({ owner, spec: { executable: '/bin/echo', arguments: [], environment: {}, count: 1 } });
const names = (sites: readonly { name: string }[]) => sites.map((s) => s.name).sort();

describe('site admission by grid-mapfile digests', () => {
  const sites = [
    site('open'),
    site('devonly', { admits: admitsOf(`"${DEV}" weft\n`) }),
    site('annonly', { admits: admitsOf(`"${ANN}" ann,shared\n`) }),
    site('nobody', { admits: admitsOf('') }),
  ];

  it('publishes digests, never the DNs or the accounts', () => {
    const admits = admitsOf(`"${DEV}" weft\n`);
    assert.equal(admits.digests.size, 1);
    const [digest] = admits.digests;
    assert.match(digest ?? '', /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify([...admits.digests, admits.version]).includes('Dev User'));
  });

  it('changes the version exactly when the set of DNs changes', () => {
    assert.equal(admitsOf(`"${DEV}" weft\n"${ANN}" ann\n`).version, admitsOf(`"${ANN}" other\n"${DEV}" x\n`).version);
    assert.notEqual(admitsOf(`"${DEV}" weft\n`).version, admitsOf(`"${DEV}" weft\n"${ANN}" ann\n`).version);
  });

  it('sends a job only to sites without a map or whose map lists its owner', () => {
    assert.deepEqual(names(matchSites(job(DEV), sites, { now: NOW }).ranked), ['devonly', 'open']);
    assert.deepEqual(names(matchSites(job(ANN), sites, { now: NOW }).ranked), ['annonly', 'open']);
  });

  it('compares the owner as the GSI compares DNs: case and Email spellings do not matter', () => {
    const mail = site('mail', { admits: admitsOf('"/DC=org/CN=Mail Person/Email=m@example.org" mailer\n') });
    assert.equal(globusDnKey('/dc=org/cn=mail person/emailAddress=m@example.org'), globusDnKey('/DC=org/CN=Mail Person/Email=m@example.org'));
    assert.deepEqual(names(matchSites(job('/dc=org/cn=mail person/emailAddress=m@example.org'), [mail], { now: NOW }).ranked), ['mail']);
    assert.deepEqual(names(matchSites(job('/o=grid/ou=weft/cn=dev user'), sites, { now: NOW }).ranked), ['devonly', 'open']);
  });

  it('says how many sites the grid-mapfiles turned down', () => {
    const choice = matchSites(job('/O=Grid/CN=Stranger'), sites.slice(1), { now: NOW });
    assert.deepEqual(choice.ranked, []);
    assert.equal(choice.reason, "the site's grid-mapfile rejected 3 of 3 sites");
    const mixed = matchSites(job(DEV), [site('annonly', { admits: admitsOf(`"${ANN}" ann\n`) }), site('atlas', { vos: ['atlas'] })], { now: NOW });
    assert.equal(mixed.reason, "the site's VO list rejected 1 of 2 sites, the site's grid-mapfile rejected 1");
  });

  it('shows the check in weft job analyze, with the sites it rejected', () => {
    const analysis = analyzeJob(job(DEV), sites, { now: NOW });
    assert.deepEqual(
      analysis.checks.map((check) => [check.check, check.rejected, check.sites]),
      [["the site's grid-mapfile", 2, ['annonly', 'nobody']]],
    );
    assert.deepEqual(analysis.sites.find((s) => s.name === 'annonly')?.rejectedBy, [`the site's grid-mapfile: it does not list ${DEV}`]);
    assert.equal(analysis.summary, '4 sites considered, 2 remain (devonly, open)');
  });
});
