/** Writes docs/errors.md from the error tables (see scripts/error-tables.ts). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../services/common/grid-config.ts';
import { renderErrorCodes } from './error-tables.ts';

writeFileSync(join(REPO_ROOT, 'docs', 'errors.md'), renderErrorCodes());
