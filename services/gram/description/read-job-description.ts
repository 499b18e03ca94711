/**
 * The GRAM front door's choice of reader: a description whose first non-space character is `<`
 * is XML — a GT4 `<job>` (in the GT4 job description namespace, or in none, as globusrun-ws
 * wrote it) or a JSDL 1.0 `<JobDefinition>` — and anything else is RSL. All three end as the
 * same JobSpec, checked by the same rules.
 */
import type { JobSpec } from '../../common/job.ts';
import { gramError } from '../errors.ts';
import { rslToJobSpec } from '../rsl/index.ts';
import { GT4_JOB_NAMESPACE, gt4ToJobSpec } from './gt4-to-job-spec.ts';
import { JSDL_NAMESPACE } from './jsdl-namespaces.ts';
import { jsdlToJobSpec } from './jsdl-to-job-spec.ts';
import { readXml } from './read-xml.ts';

export type JobDescriptionFormat = 'rsl' | 'gt4' | 'jsdl';

export interface ReadJobDescription {
  readonly format: JobDescriptionFormat;
  readonly spec: JobSpec;
}

const ACCEPTED =
  `RSL (&(executable=…)), a GT4 job description (<job> in ${GT4_JOB_NAMESPACE}, or in no namespace) ` +
  `or a JSDL 1.0 <JobDefinition> (${JSDL_NAMESPACE})`;

/**
 * Reads a job description in any accepted format. Throws what rslToJobSpec throws for RSL, and
 * GRAM_DESCRIPTION_* faults for XML (GRAM_DESCRIPTION_FORMAT for a root element it does not read).
 */
export function readJobDescription(text: string, now: number = Date.now()): ReadJobDescription {
  if (!text.trimStart().startsWith('<')) return { format: 'rsl', spec: rslToJobSpec(text, now) };
  const root = readXml(text);
  const isGt4 = root.uri === GT4_JOB_NAMESPACE || root.uri === '';
  if (isGt4 && root.local === 'job') return { format: 'gt4', spec: gt4ToJobSpec(root, text, now) };
  if (isGt4 && root.local === 'multiJob') {
    throw gramError(
      'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT',
      'the job description is a GT4 <multiJob>, and multi-jobs are not supported yet; submit each <job> on its own',
      { element: root.name },
    );
  }
  if (root.uri === JSDL_NAMESPACE && root.local === 'JobDefinition') {
    return { format: 'jsdl', spec: jsdlToJobSpec(root, text, now) };
  }
  const namespace = root.uri ? `in the namespace "${root.uri}"` : 'in no namespace';
  throw gramError(
    'GRAM_DESCRIPTION_FORMAT',
    `the job description is XML whose root element <${root.name}> ${namespace} is not one Weft reads; ` +
      `it reads ${ACCEPTED}`,
    { element: root.name, namespace: root.uri },
  );
}
