/**
 * Weft's extension elements for XML job descriptions, in the namespace
 * `http://weft.grid/ns/2026/job-extensions`: what RSL says with `requirements`, `rank`, `budget`,
 * `deadline` and `optimise` (and, for JSDL, which has no queue, `queue`). A GT4 description puts
 * them inside `<extensions>` (where GT4 put site-specific things); a JSDL document puts them
 * inside `JobDescription` (JSDL's `##other` extension point). Each is read by the same rule as
 * its RSL attribute.
 */
import type { JobSpec } from '../../common/job.ts';
import * as rule from './job-values.ts';
import { readByRule, textOf, unsupported, type SeenOnce, type XmlSource } from './read-xml-values.ts';
import type { XmlElement } from './read-xml.ts';

export const JOB_EXTENSIONS_NAMESPACE = 'http://weft.grid/ns/2026/job-extensions';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type ExtensionName = 'requirements' | 'rank' | 'budget' | 'deadline' | 'optimise' | 'queue';

/**
 * Reads one extension element into `spec` (a deadline against `now`). Refuses a name outside
 * `accepted` with GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT, one given twice, or a bad value.
 */
export function readExtension(
  source: XmlSource,
  element: XmlElement,
  accepted: readonly ExtensionName[],
  seen: SeenOnce,
  spec: Mutable<JobSpec>,
  now: number,
): void {
  const name = accepted.find((n) => n === element.local);
  if (!name) {
    throw unsupported(
      source,
      element,
      `is not a Weft job extension; the extensions are ${accepted.map((n) => `<${n}>`).join(', ')} ` +
        `in ${JOB_EXTENSIONS_NAMESPACE}`,
    );
  }
  seen.check(element, `extension:${name}`);
  switch (name) {
    case 'requirements':
      // Kept as written: the expression parser reports its own columns within this text.
      spec.requirements = textOf(source, element);
      return;
    case 'rank':
      spec.rank = textOf(source, element);
      return;
    case 'budget':
      spec.budget = readByRule(source, element, rule.budget);
      return;
    case 'optimise':
      spec.optimise = readByRule(source, element, rule.optimise);
      return;
    case 'queue':
      spec.queue = readByRule(source, element, nonEmpty);
      return;
    case 'deadline':
      spec.deadline = readByRule(source, element, (raw) => rule.deadline(raw, now));
      return;
  }
}

const nonEmpty = (raw: string): rule.Reading<string> => (raw === '' ? { ok: false, why: 'is empty' } : { ok: true, value: raw });
