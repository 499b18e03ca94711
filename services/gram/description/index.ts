/**
 * Job descriptions as the GRAM front door reads them: RSL (rsl/), GT4 WS-GRAM job descriptions
 * and JSDL 1.0, all normalised to one JobSpec by the same value rules.
 */
export { readJobDescription, type JobDescriptionFormat, type ReadJobDescription } from './read-job-description.ts';
export { GT4_JOB_NAMESPACE, SUPPORTED_GT4_ELEMENTS } from './gt4-to-job-spec.ts';
export { JOB_EXTENSIONS_NAMESPACE } from './job-extensions.ts';
export { JSDL_HPCPA_NAMESPACE, JSDL_NAMESPACE, JSDL_POSIX_NAMESPACE } from './jsdl-namespaces.ts';
export { XML_DESCRIPTION_MAX_BYTES, XML_DESCRIPTION_MAX_DEPTH } from './read-xml.ts';
