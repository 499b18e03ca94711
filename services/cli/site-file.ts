/**
 * The site file `weft site register FILE` reads: `key = value` lines, `#` comments, lists
 * comma-separated. Keys are the site document's fields (services/mds/README.md):
 *
 *   name = gamma
 *   contact = gamma.example.org:2119
 *   lrms = slurm
 *   totalCpus = 64
 *   tags = blast, gromacs
 *   ttlSeconds = 600
 *
 * Values are checked by the same validation the IndexService runs, so a bad value is reported
 * here, naming the field, before anything is sent.
 */
import { mdsError, validateSiteDocument, type SiteDocument } from '../mds/index.ts';

const KEYS = ['name', 'contact', 'lrms', 'totalCpus', 'memoryMB', 'opSys', 'arch', 'tags', 'maxWallTimeMinutes', 'pricePerCpuHour', 'vos', 'policy', 'ttlSeconds'];

function badLine(source: string, line: number, field: string, why: string): never {
  throw mdsError('MDS_BAD_REGISTRATION', `${source} line ${line}: ${why}`, { field });
}

export function parseSiteFile(text: string, source = 'the site file'): SiteDocument {
  const fields: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    if (equals < 0) badLine(source, index + 1, 'line', `"${line.slice(0, 60)}" is not "key = value"`);
    const key = line.slice(0, equals).trim();
    const value = line.slice(equals + 1).trim();
    if (!KEYS.includes(key)) badLine(source, index + 1, key, `the field ${key} is not a site document field (fields: ${KEYS.join(', ')})`);
    if (key in fields) badLine(source, index + 1, key, `the field ${key} is given twice`);
    fields[key] = value;
  });
  return validateSiteDocument(fields);
}
