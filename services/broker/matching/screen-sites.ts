/**
 * Resource discovery, before the job's own requirements: the checks a site makes of the job.
 *
 * - **VO (authorization filtering).** A site that publishes a VO list admits only jobs whose VO
 *   (RSL `project`) is on it, compared exactly; a site with no list (or an empty one) admits
 *   every job. A job that names no VO goes only to sites without a VO list.
 * - **Grid-mapfile (authorization filtering).** A site with a grid-mapfile publishes, beside its
 *   record, the SHA-256 digests of the DNs it lists (services/common/site-registry.ts): the map
 *   itself, with its local accounts, stays private to the site. The job's owner, normalised as
 *   the GSI compares DNs (`globusDnKey`), must be among them. A site without a map admits every
 *   owner. (A site's policy can still admit or refuse DNs openly: `member(other.Owner, {…})`.)
 * - **RSL limits.** `maxWallTime` ≤ the site's MaxWallTime and `maxMemory` ≤ its MemoryMB, each
 *   only when both sides give a value. `count` ≤ the site's slots is checked by rank-sites.ts
 *   (which says how large the largest site is). `queue` is not checked: sites publish no queues.
 * - **Site policy (symmetric matchmaking).** The site's `policy` expression is evaluated with
 *   the site as `my` and the job as `other`, as HTCondor evaluates a machine's START; it must be
 *   exactly true. A policy that does not parse rejects the site, saying so.
 */
import { describeOutcome } from './expression/explain.ts';
import { evaluate, parseExpression, type Expression } from './expression/expression.ts';
import type { Ad } from './expression/ad.ts';
import type { GridError } from '../../common/errors.ts';
import { isGridError } from '../../common/errors.ts';
import { ownerDigest } from '../../common/site-registry.ts';
import { globusDnKey } from '../../gsi/index.ts';
import type { MatchJob } from './job-ad.ts';
import type { MatchSite } from './site-ad.ts';

/** One check that turned a site down. */
export interface Screening {
  /** Which check: the same key at every site, so rejections can be counted per check. */
  readonly check: 'vo' | 'gridmap' | 'maxWallTime' | 'maxMemory' | 'policy' | 'policy-invalid';
  /** The check in words, the same at every site ("the site's VO list"). */
  readonly label: string;
  /** What happened at this site ("it admits atlas, cms, not lhcb"). */
  readonly detail: string;
}

/** The order checks are made and reported in. */
const CHECK_ORDER: readonly Screening['check'][] = ['vo', 'gridmap', 'maxWallTime', 'maxMemory', 'policy-invalid', 'policy'];

const POLICY_CACHE_SIZE = 1000;
const policyCache = new Map<string, Expression | GridError>();

/** The site's policy parsed, or the parser's error; cached by text (sites rarely change it). */
export function parseSitePolicy(text: string): Expression | GridError {
  let parsed = policyCache.get(text);
  if (!parsed) {
    try {
      parsed = parseExpression(text, { label: 'the site policy' });
    } catch (error) {
      if (!isGridError(error)) throw error;
      parsed = error;
    }
    if (policyCache.size >= POLICY_CACHE_SIZE) policyCache.clear();
    policyCache.set(text, parsed);
  }
  return parsed;
}

function isExpression(parsed: Expression | GridError): parsed is Expression {
  return 'run' in parsed;
}

/** Whether the site's VO list admits the job's VO (the rule in the file comment). */
export function voAdmits(site: MatchSite, vo: string | undefined): boolean {
  const list = site.vos ?? [];
  if (list.length === 0) return true;
  return vo !== undefined && list.includes(vo);
}

const OWNER_DIGEST_CACHE_SIZE = 1000;
const ownerDigests = new Map<string, string>();

/** The digest sites publish for this owner; cached, as the same owners submit job after job. */
export function ownerDigestOf(owner: string): string {
  let digest = ownerDigests.get(owner);
  if (digest === undefined) {
    digest = ownerDigest(globusDnKey(owner));
    if (ownerDigests.size >= OWNER_DIGEST_CACHE_SIZE) ownerDigests.clear();
    ownerDigests.set(owner, digest);
  }
  return digest;
}

/** Whether the site's grid-mapfile admits the job's owner (the rule in the file comment). */
export function gridMapAdmits(site: MatchSite, owner: string): boolean {
  return site.admits === undefined || site.admits.digests.has(ownerDigestOf(owner));
}

/**
 * Every check of this file that the site fails (empty when it takes the job). `jobAsOther` is
 * the job's ad, `siteAsMy` the site's (or a function making it, called only for a policy); both
 * as jobAd/siteAd make them.
 */
const NONE: readonly Screening[] = Object.freeze([]);

export function screenSite(job: MatchJob, site: MatchSite, jobAsOther: Ad, siteAsMy: Ad | (() => Ad)): readonly Screening[] {
  const { spec } = job;
  // The common case — no VO list, a map (if any) that lists the owner, no limits in the way, no
  // policy — allocates nothing: this runs once per site per decision.
  const hasPolicy = site.policy !== undefined && site.policy.trim() !== '';
  if (
    !hasPolicy &&
    (site.vos === undefined || site.vos.length === 0) &&
    gridMapAdmits(site, job.owner) &&
    (spec.maxWallTime === undefined || site.maxWallTimeMinutes === undefined || spec.maxWallTime <= site.maxWallTimeMinutes) &&
    (spec.maxMemory === undefined || site.memoryMB === undefined || spec.maxMemory <= site.memoryMB)
  ) {
    return NONE;
  }
  const found: Screening[] = [];
  if (!voAdmits(site, spec.project)) {
    found.push({
      check: 'vo',
      label: "the site's VO list",
      detail:
        spec.project === undefined
          ? `it admits only ${(site.vos ?? []).join(', ')} and the job names no VO (project)`
          : `it admits ${(site.vos ?? []).join(', ')}, not ${spec.project}`,
    });
  }
  if (!gridMapAdmits(site, job.owner)) {
    found.push({ check: 'gridmap', label: "the site's grid-mapfile", detail: `it does not list ${job.owner}` });
  }
  if (spec.maxWallTime !== undefined && site.maxWallTimeMinutes !== undefined && spec.maxWallTime > site.maxWallTimeMinutes) {
    found.push({
      check: 'maxWallTime',
      label: 'maxWallTime ≤ the site\'s MaxWallTime',
      detail: `the job asks for ${spec.maxWallTime} minutes, the site allows ${site.maxWallTimeMinutes}`,
    });
  }
  if (spec.maxMemory !== undefined && site.memoryMB !== undefined && spec.maxMemory > site.memoryMB) {
    found.push({
      check: 'maxMemory',
      label: "maxMemory ≤ the site's MemoryMB",
      detail: `the job asks for ${spec.maxMemory} MB, the site has ${site.memoryMB} MB a slot`,
    });
  }
  if (hasPolicy && site.policy !== undefined) {
    const policy = parseSitePolicy(site.policy);
    if (!isExpression(policy)) {
      found.push({ check: 'policy-invalid', label: 'a site policy that does not parse', detail: policy.message });
    } else {
      const my = typeof siteAsMy === 'function' ? siteAsMy() : siteAsMy;
      const value = evaluate(policy, { my, other: jobAsOther });
      if (!(value.type === 'boolean' && value.value)) {
        found.push({ check: 'policy', label: "the site's policy", detail: `${shortPolicy(policy.text)} was ${describeOutcome(value)}` });
      }
    }
  }
  return found;
}

function shortPolicy(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine;
}

/**
 * Why every site was turned down, counting each check once per site (the first that failed
 * there): "the site's VO list rejected 2 of 3 sites, the site's policy rejected 1".
 */
export function screeningReason(firstFailures: readonly Screening[], of: number): string {
  const counts = new Map<string, number>();
  // In a fixed order, not the order sites came in: the reason is said once and compared.
  const sorted = [...firstFailures].sort((a, b) => CHECK_ORDER.indexOf(a.check) - CHECK_ORDER.indexOf(b.check));
  for (const screening of sorted) counts.set(screening.label, (counts.get(screening.label) ?? 0) + 1);
  return [...counts]
    .map(([label, n], i) => `${label} rejected ${i === 0 ? `${n} of ${of} site${of === 1 ? '' : 's'}` : n}`)
    .join(', ');
}
