/**
 * The anchor of bench/ldap-search.ts: OpenLDAP's slapd (Debian package `slapd`) on a private
 * port with a private config and data directory, holding the same entries as Weft's index, with
 * the GLUE 2.0 schema from Debian's glue-schema and the equality indexes a BDII sets (objectClass,
 * every GLUE2 ID and foreign key, the Mds host name). Back end mdb, as current BDIIs use.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Entry } from '../../services/mds/directory/entry.ts';
import { toLdif } from './ldif.ts';

const SCHEMA_DIR = '/etc/ldap/schema';
/** Mds attributes that Glue-MDS.schema already defines. */
const GLUE_MDS_ATTRIBUTES = new Set(['mds-validfrom', 'mds-validto', 'mds-keepto', 'mds-vo-name']);

export interface Slapd {
  readonly port: number;
  stop(): Promise<void>;
}

/** Why slapd cannot be the anchor here, or undefined when it can. */
export function slapdMissing(): string | undefined {
  if (!existsSync('/usr/sbin/slapd') || !existsSync('/usr/sbin/slapadd')) return 'slapd is not installed (apt-get install slapd)';
  if (!existsSync(join(SCHEMA_DIR, 'GLUE20.schema'))) return 'the GLUE 2.0 schema is not installed (apt-get install glue-schema)';
  return undefined;
}

/** A schema for the Mds-* attributes and classes Weft publishes that no Debian schema defines. */
function weftMdsSchema(entries: readonly Entry[]): string {
  const attributes = new Map<string, string>();
  const classes = new Set<string>();
  for (const entry of entries) {
    for (const attribute of entry.attributeList) {
      const key = attribute.name.toLowerCase();
      if (key.startsWith('mds-') && !GLUE_MDS_ATTRIBUTES.has(key)) attributes.set(key, attribute.name);
      if (key === 'objectclass') for (const value of attribute.values) if (/^Mds./.test(value) && value !== 'MdsVo') classes.add(value);
    }
  }
  // OIDs under an arc kept for examples (RFC 5612's 32473): private to this benchmark.
  const names = [...attributes.values()];
  const types = names.map(
    (name, i) =>
      `attributetype ( 1.3.6.1.4.1.32473.1.1.${i + 1} NAME '${name}' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch ORDERING caseIgnoreOrderingMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )`,
  );
  const objectClasses = [...classes].map(
    (name, i) => `objectclass ( 1.3.6.1.4.1.32473.1.2.${i + 1} NAME '${name}' AUXILIARY MAY ( ${names.join(' $ ')} ) )`,
  );
  return [...types, ...objectClasses].join('\n').concat('\n');
}

const BDII_INDEXES = [
  'objectClass eq,pres',
  'Mds-Host-hn eq',
  'GLUE2GroupID,GLUE2DomainID,GLUE2ServiceID,GLUE2EndpointID,GLUE2ShareID,GLUE2ManagerID,GLUE2ResourceID eq',
  'GLUE2PolicyID,GLUE2ApplicationEnvironmentID,GLUE2LocationID,GLUE2ContactID,GLUE2ActivityID,GLUE2BenchmarkID eq',
  'GLUE2ServiceAdminDomainForeignKey,GLUE2EndpointServiceForeignKey,GLUE2ShareServiceForeignKey eq',
  'GLUE2ManagerServiceForeignKey,GLUE2ResourceManagerForeignKey,GLUE2AccessPolicyEndpointForeignKey eq',
  'GLUE2MappingPolicyShareForeignKey,GLUE2ApplicationEnvironmentComputingManagerForeignKey eq',
];

function config(dir: string): string {
  const database = (suffix: string, sub: string) =>
    [`database mdb`, `suffix "${suffix}"`, `directory ${join(dir, sub)}`, `maxsize 1073741824`, ...BDII_INDEXES.map((i) => `index ${i}`)].join('\n');
  return [
    ...['core.schema', 'cosine.schema', 'Glue-MDS.schema', 'GLUE20.schema'].map((f) => `include ${join(SCHEMA_DIR, f)}`),
    `include ${join(dir, 'weft-mds.schema')}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    'sizelimit unlimited',
    'loglevel 0',
    database('o=grid', 'grid'),
    database('o=glue', 'glue'),
  ].join('\n').concat('\n');
}

function slapadd(conf: string, suffix: string, ldif: string): void {
  const result = spawnSync('/usr/sbin/slapadd', ['-q', '-f', conf, '-b', suffix, '-l', ldif], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`slapadd into ${suffix} failed: ${result.stderr}`);
}

/** Loads `entries` (the root DSE excepted) into a fresh slapd and starts it on `port`. */
export async function startSlapd(dir: string, port: number, entries: readonly Entry[]): Promise<Slapd> {
  for (const sub of ['grid', 'glue']) mkdirSync(join(dir, sub), { recursive: true });
  const stored = entries.filter((entry) => entry.ndn !== '');
  writeFileSync(join(dir, 'weft-mds.schema'), weftMdsSchema(stored));
  const conf = join(dir, 'slapd.conf');
  writeFileSync(conf, config(dir));
  for (const suffix of ['o=grid', 'o=glue']) {
    const file = join(dir, `${suffix.slice(2)}.ldif`);
    writeFileSync(file, toLdif(stored.filter((entry) => entry.ndn === suffix || entry.ndn.endsWith(`,${suffix}`))));
    slapadd(conf, suffix, file);
  }
  // -d keeps slapd in the foreground, so that this process owns it and stops it by pid.
  const child: ChildProcess = spawn('/usr/sbin/slapd', ['-f', conf, '-h', `ldap://127.0.0.1:${port}/`, '-d', '0'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = spawnSync('ldapsearch', ['-x', '-H', `ldap://127.0.0.1:${port}`, '-s', 'base', '-b', 'o=glue', '1.1'], { encoding: 'utf8' });
    if (probe.status === 0) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`slapd did not answer on port ${port}: ${probe.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
