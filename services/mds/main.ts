/** `node --import tsx services/mds/main.ts`: one index (MDS) process, LDAP on WEFT_MDS_PORT. */
import { loadConfig } from '../common/config.ts';
import { runProcess } from '../common/run-process.ts';
import { MDS_KNOBS, createIndexService } from './index.ts';

await runProcess('mds', ({ redis, logger, env }) => createIndexService({ redis, logger }, loadConfig(MDS_KNOBS, env)));
