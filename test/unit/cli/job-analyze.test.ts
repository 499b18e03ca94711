/** `weft job analyze`: its usage errors and how an analysis reads on a terminal. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CliContext } from '../../../services/cli/cli-context.ts';
import { formatAnalysis, job } from '../../../services/cli/commands/job.ts';
import { isGridError } from '../../../services/common/errors.ts';

const noCli = {} as CliContext; // usage errors are found before anything is used

describe('weft job analyze', () => {
  it('refuses a missing or unknown subcommand and a missing contact as usage errors', async () => {
    for (const [args, pattern] of [
      [[], /needs a subcommand: analyze/],
      [['explain', 'x'], /has no subcommand explain/],
      [['analyze'], /takes one job contact/],
    ] as const) {
      await assert.rejects(job(args, noCli), (error: unknown) => isGridError(error, 'CLI_USAGE') && pattern.test(error.message));
    }
  });

  it('prints the counts per check and each site with its age, cost and reasons', () => {
    const text = formatAnalysis({
      jobKey: 'k1',
      state: 'Pending',
      summary: '2 sites considered, 1 remains (b)',
      sitesConsidered: 2,
      checks: [{ name: "the site's VO list", rejected: 1, siteNames: ['a'] }],
      remaining: ['b'],
      sites: [
        { name: 'a', ageSeconds: 4, totalSlots: 2, freeSlots: 1, remains: false, estimatedCost: 2, expectedCompletion: 'T1', rejectedBy: ["the site's VO list: it admits cms, not atlas"] },
        { name: 'b', ageSeconds: 1, totalSlots: 4, freeSlots: 4, remains: true, rank: 3, estimatedCost: 0.5, expectedCompletion: 'T2', rejectedBy: [] },
      ],
    });
    assert.equal(
      text,
      [
        'job k1: Pending',
        '2 sites considered, 1 remains (b)',
        '',
        'rejected by:',
        "  the site's VO list  1 site (a)",
        '',
        'sites:',
        '  a  info 4s old  1/2 free  cost 2  done by T1  rejected',
        "       - the site's VO list: it admits cms, not atlas",
        '  b  info 1s old  4/4 free  cost 0.5  done by T2  rank 3  remains',
      ].join('\n'),
    );
  });
});
