/**
 * `weft job analyze [--json] JOB_CONTACT`: why a job waits, or why it went where it did — every
 * broker check at every live site (ManagedJobService.analyze), with each site's record age.
 */
import type { CliContext } from '../cli-context.ts';
import { parseJobContact } from '../contact.ts';
import { cliError } from '../errors.ts';
import { analyzeJobRemote, type JobAnalysisAnswer } from '../gram-client.ts';

export async function job(args: readonly string[], cli: CliContext): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'analyze') {
    throw cliError('CLI_USAGE', subcommand ? `weft job has no subcommand ${subcommand}; try weft job analyze JOB_CONTACT` : 'weft job needs a subcommand: analyze');
  }
  const json = rest.includes('--json');
  const contacts = rest.filter((arg) => arg !== '--json');
  if (contacts.length !== 1) throw cliError('CLI_USAGE', 'weft job analyze takes one job contact');
  const contact = parseJobContact(contacts[0]!);
  const analysis = await analyzeJobRemote(contact.jobServiceUrl, contact.jobKey, await cli.credentials());
  cli.output.result(json ? JSON.stringify(analysis, null, 2) : formatAnalysis(analysis));
  return 0;
}

/** The analysis as lines for a terminal. */
export function formatAnalysis(analysis: JobAnalysisAnswer): string {
  const lines = [
    `job ${analysis.jobKey}: ${analysis.state}${analysis.site ? ` on ${analysis.site}` : ''}`,
    analysis.summary,
  ];
  if (analysis.checks.length > 0) {
    lines.push('', 'rejected by:');
    const width = Math.max(...analysis.checks.map((check) => check.name.length));
    for (const check of analysis.checks) {
      const n = check.rejected;
      lines.push(`  ${check.name.padEnd(width)}  ${n} site${n === 1 ? '' : 's'} (${check.siteNames.join(', ')})`);
    }
  }
  if (analysis.sites.length > 0) {
    lines.push('', 'sites:');
    const width = Math.max(...analysis.sites.map((site) => site.name.length));
    for (const site of analysis.sites) {
      const head =
        `  ${site.name.padEnd(width)}  info ${site.ageSeconds}s old  ${site.freeSlots}/${site.totalSlots} free  ` +
        `cost ${site.estimatedCost}  done by ${site.expectedCompletion}${site.rank === undefined ? '' : `  rank ${site.rank}`}`;
      lines.push(`${head}  ${site.remains ? 'remains' : 'rejected'}`);
      for (const why of site.rejectedBy) lines.push(`  ${' '.repeat(width)}    - ${why}`);
    }
  }
  return lines.join('\n');
}
