/**
 * The site document a site administrator registers, and its validation: every field is checked
 * for type and bounds before anything is written, and the first bad field is named in an
 * MDS_BAD_REGISTRATION fault. Values come from SOAP (where numbers arrive as text) or from the
 * command line's site file, so numeric text is accepted where a number is expected.
 */
import { parseExpression } from '../../broker/index.ts';
import { isGridError } from '../../common/errors.ts';
import type { SiteDescription, SiteRecord } from '../../common/site-registry.ts';
import { mdsError } from '../errors.ts';

/** Letters, digits, `.`, `_`, `-`; starts with a letter or digit; at most 63 (a DNS label). */
export const SITE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const MIN_TTL_SECONDS = 10;
export const MAX_TTL_SECONDS = 86_400;
export const DEFAULT_TTL_SECONDS = 300;
export const LRMS_TYPES: readonly string[] = ['fork', 'slurm', 'pbs', 'torque', 'sge', 'lsf', 'condor'];

/** A validated registration: the static part of a site record plus its TTL. */
export interface SiteDocument extends SiteDescription {
  readonly name: string;
  readonly contact: string;
  readonly lrms: string;
  readonly totalCpus: number;
  readonly ttlSeconds: number;
}

/** Every field a document may carry; `tag`/`vo` are the SOAP spellings of `tags`/`vos`. */
export const SITE_DOCUMENT_FIELDS: readonly string[] = [
  'name', 'contact', 'lrms', 'totalCpus', 'memoryMB', 'opSys', 'arch', 'tags', 'tag',
  'maxWallTimeMinutes', 'pricePerCpuHour', 'vos', 'vo', 'policy', 'ttlSeconds',
];

const WORD = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;

function bad(field: string, why: string): never {
  throw mdsError('MDS_BAD_REGISTRATION', `the field ${field} ${why}`, { field });
}

/** Checks a site name (also for refresh, unregister, getSite). */
export function checkSiteName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || value === '') bad(field, 'is missing; give the site name');
  if (value.length > 63) bad(field, `is ${value.length} characters long; a site name has at most 63`);
  if (!SITE_NAME_PATTERN.test(value)) {
    bad(field, `is "${printable(value)}"; a site name has only letters, digits, ".", "_" and "-", and starts with a letter or digit`);
  }
  return value;
}

function printable(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') bad(field, `must be text, not ${describe(value)}`);
  if (value.trim() === '') bad(field, 'is empty');
  if (value.length > max) bad(field, `is ${value.length} characters long; at most ${max}`);
  if (/[\x00-\x1f\x7f]/.test(value)) bad(field, 'contains control characters (line breaks, tabs, …)');
  return value;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'nothing';
  return typeof value === 'object' ? 'a structure' : `${typeof value} ${JSON.stringify(value)}`;
}

/** An integer within bounds, from a number or decimal text. */
export function wholeNumber(value: unknown, field: string, min: number, max: number): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number)) bad(field, `must be a whole number, not ${describe(value)}`);
  if (number < min || number > max) bad(field, `is ${number}; it must be from ${min} to ${max}`);
  return number;
}

function decimal(value: unknown, field: string, min: number, max: number): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(number)) bad(field, `must be a number, not ${describe(value)}`);
  if (number < min || number > max) bad(field, `is ${number}; it must be from ${min} to ${max}`);
  return number;
}

/** A policy the broker can parse: one that cannot would only ever keep every job away. */
function policy(value: string): string {
  try {
    parseExpression(value, { label: 'the site policy' });
  } catch (error) {
    if (!isGridError(error)) throw error;
    bad('policy', `does not parse: ${error.message}`);
  }
  return value;
}

/** A list of words: an array, one string (SOAP's single element), or comma-separated text. */
function words(value: unknown, field: string, maxItems: number): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  if (!items) bad(field, `must be a list of names, not ${describe(value)}`);
  if (items.length > maxItems) bad(field, `has ${items.length} entries; at most ${maxItems}`);
  return items.map((item, i) => {
    if (typeof item !== 'string' || !WORD.test(item)) {
      bad(field, `entry ${i + 1} is ${typeof item === 'string' ? `"${printable(item)}"` : describe(item)}; use letters, digits, ".", "_", "+" and "-", at most 64`);
    }
    return item;
  });
}

/**
 * Validates a site document from any source; throws MDS_BAD_REGISTRATION naming the first bad
 * field, including a field the document must not have.
 */
export function validateSiteDocument(input: unknown): SiteDocument {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw mdsError('MDS_BAD_REGISTRATION', 'the site document is missing or not a structure', { field: 'site' });
  }
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (key === 'attributes' || key === '$xml') continue; // node-soap's bookkeeping, not a field
    if (!SITE_DOCUMENT_FIELDS.includes(key)) bad(key, `is not a site document field (fields: ${SITE_DOCUMENT_FIELDS.filter((f) => f !== 'tag' && f !== 'vo').join(', ')})`);
  }
  if (raw.tags !== undefined && raw.tag !== undefined) bad('tag', 'and tags are given both; give one');
  if (raw.vos !== undefined && raw.vo !== undefined) bad('vo', 'and vos are given both; give one');
  const document: { -readonly [K in keyof SiteDocument]: SiteDocument[K] } = {
    name: checkSiteName(raw.name),
    contact: text(raw.contact, 'contact', 512),
    lrms: text(raw.lrms, 'lrms', 32),
    totalCpus: wholeNumber(raw.totalCpus, 'totalCpus', 1, 1_000_000),
    ttlSeconds: raw.ttlSeconds === undefined ? DEFAULT_TTL_SECONDS : wholeNumber(raw.ttlSeconds, 'ttlSeconds', MIN_TTL_SECONDS, MAX_TTL_SECONDS),
  };
  if (!LRMS_TYPES.includes(document.lrms)) bad('lrms', `is "${printable(document.lrms)}"; it must be one of ${LRMS_TYPES.join(', ')}`);
  if (raw.memoryMB !== undefined) document.memoryMB = wholeNumber(raw.memoryMB, 'memoryMB', 1, 1 << 30);
  if (raw.opSys !== undefined) document.opSys = words([text(raw.opSys, 'opSys', 64)], 'opSys', 1)[0];
  if (raw.arch !== undefined) document.arch = words([text(raw.arch, 'arch', 64)], 'arch', 1)[0];
  const tags = raw.tags ?? raw.tag;
  if (tags !== undefined) document.tags = words(tags, raw.tags === undefined ? 'tag' : 'tags', 256);
  if (raw.maxWallTimeMinutes !== undefined) document.maxWallTimeMinutes = wholeNumber(raw.maxWallTimeMinutes, 'maxWallTimeMinutes', 1, 525_600);
  if (raw.pricePerCpuHour !== undefined) document.pricePerCpuHour = decimal(raw.pricePerCpuHour, 'pricePerCpuHour', 0, 1_000_000);
  const vos = raw.vos ?? raw.vo;
  if (vos !== undefined) document.vos = words(vos, raw.vos === undefined ? 'vo' : 'vos', 64);
  if (raw.policy !== undefined) document.policy = policy(text(raw.policy, 'policy', 4096));
  return document;
}

/** The record the registry stores for a document, stamped now. */
export function recordOf(document: SiteDocument, now: Date, dynamic: Partial<Pick<SiteRecord, 'runningJobs' | 'waitingJobs'>> = {}): SiteRecord {
  const { totalCpus, ...rest } = document;
  return { ...rest, totalSlots: totalCpus, updatedAt: now.toISOString(), ...dynamic };
}

/** The document a stored record was registered from (for forwarding it to a parent index). */
export function documentOf(record: SiteRecord): SiteDocument {
  const { totalSlots, updatedAt: _updatedAt, runningJobs: _running, waitingJobs: _waiting, ...rest } = record;
  return { ...rest, totalCpus: totalSlots };
}

/** A document as the registerSite element carries it (XSD order; lists as repeated tag/vo). */
export function soapSiteDocument(document: SiteDocument): Record<string, unknown> {
  const { name, contact, lrms, totalCpus, memoryMB, opSys, arch, tags, maxWallTimeMinutes, pricePerCpuHour, vos, policy, ttlSeconds } = document;
  const entries = Object.entries({ name, contact, lrms, totalCpus, memoryMB, opSys, arch, tag: tags, maxWallTimeMinutes, pricePerCpuHour, vo: vos, policy, ttlSeconds });
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined).map(([key, value]) => [key, Array.isArray(value) ? [...value] : value]));
}
