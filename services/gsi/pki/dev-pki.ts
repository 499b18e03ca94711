/**
 * The development PKI, laid out as a grid site lays out its files so that Globus tools work
 * on it unchanged (DESIGN.md, "The dev PKI"):
 *
 *   certs/ca/cacert.pem, cakey.pem                  the dev CA (dir 0700, key 0600)
 *   certs/grid-security/certificates/               trust dir: <hash>.0, .signing_policy, .r0
 *   certs/grid-security/hostcert.pem, hostkey.pem   host/localhost (key 0600)
 *   certs/grid-security/grid-mapfile                "/O=Grid/OU=Weft/CN=Dev User" weft
 *   certs/grid-security/site-admins                 who administers which site (IndexService)
 *   certs/grid-security/accounting-admins           who reads everyone's usage (AccountingService)
 *   certs/user/usercert.pem, userkey.pem            the dev user (dir 0700, key 0600, unencrypted)
 *
 * `ensureDevPki` is idempotent: it makes only what is missing or no longer usable (expired,
 * key not matching, not issued by the current CA), and when it has to make a new CA it reissues
 * everything that CA signs. `certs/grid-security/` stays 0755 like `/etc/grid-security`, since
 * the trust directory and grid-mapfile in it are public; the host key inside it is 0600.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmod, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createCertificateAuthority, type CertificateAuthority } from './certificate-authority.ts';
import { issueHostCertificate, issueUserCertificate } from './issue-certificate.ts';
import type { PemCredential } from './mint-certificate.ts';
import { writeFileAtomic } from './write-file-atomic.ts';
import { writeTrustDirectory } from './trust-directory.ts';

export const DEV_CA_DN = '/O=Grid/OU=Weft/CN=Weft Dev CA';
export const DEV_USER_DN = '/O=Grid/OU=Weft/CN=Dev User';
export const DEV_USER_ACCOUNT = 'weft';
const CA_DAYS = 3650;
const LEAF_DAYS = 365;
/** Certificates this close to expiry are reissued rather than left to fail mid-session. */
const RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000;

/** Where every file of the dev PKI lives. */
export interface DevPkiPaths {
  readonly certsDir: string;
  readonly caCertFile: string;
  readonly caKeyFile: string;
  readonly trustDir: string;
  readonly hostCertFile: string;
  readonly hostKeyFile: string;
  readonly gridMapfile: string;
  /** grid-mapfile syntax, `"<DN>" site1,site2` or `"<DN>" *`: who may register which site. */
  readonly siteAdminsFile: string;
  /** grid-mapfile syntax, `"<DN>" *`: who reads everyone's usage through AccountingService. */
  readonly accountingAdminsFile: string;
  readonly userCertFile: string;
  readonly userKeyFile: string;
  /** Files written by this call; empty when everything was already in place. */
  readonly made: readonly string[];
}

export interface EnsureDevPkiOptions {
  /** Receives one line per file made or repaired (never any key material). */
  readonly log?: (line: string) => void;
  readonly now?: Date;
}

/** The paths of the dev PKI under `certsDir`, without touching the disk. */
export function devPkiPaths(certsDir: string): Omit<DevPkiPaths, 'made'> {
  const root = resolve(certsDir);
  const gridSecurity = join(root, 'grid-security');
  return {
    certsDir: root,
    caCertFile: join(root, 'ca', 'cacert.pem'),
    caKeyFile: join(root, 'ca', 'cakey.pem'),
    trustDir: join(gridSecurity, 'certificates'),
    hostCertFile: join(gridSecurity, 'hostcert.pem'),
    hostKeyFile: join(gridSecurity, 'hostkey.pem'),
    gridMapfile: join(gridSecurity, 'grid-mapfile'),
    siteAdminsFile: join(gridSecurity, 'site-admins'),
    accountingAdminsFile: join(gridSecurity, 'accounting-admins'),
    userCertFile: join(root, 'user', 'usercert.pem'),
    userKeyFile: join(root, 'user', 'userkey.pem'),
  };
}

type Inspection = { credential: PemCredential } | { problem: string };

/** Reads a cert/key pair and says whether it can still be used, and if not, why. */
async function inspect(
  certFile: string,
  keyFile: string,
  issuer: X509Certificate | undefined,
  now: Date,
): Promise<Inspection> {
  let certPem: string;
  let keyPem: string;
  try {
    [certPem, keyPem] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  } catch {
    return { problem: 'missing' };
  }
  try {
    const cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return { problem: 'key does not match' };
    if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_BEFORE_MS)
      return { problem: 'expiring' };
    if (issuer && !(cert.checkIssued(issuer) && cert.verify(issuer.publicKey))) {
      return { problem: 'not issued by the current CA' };
    }
    return { credential: { certPem, keyPem } };
  } catch {
    return { problem: 'unreadable' };
  }
}

/** Serialises concurrent runs (say `npm start` and `npm test`) so they cannot mint two CAs. */
async function withLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await (await open(lockFile, 'wx', 0o600)).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = await stat(lockFile).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > 60_000) {
        await unlink(lockFile).catch(() => undefined); // left behind by a crashed run
      } else if (Date.now() > deadline) {
        throw new Error(`ensureDevPki: ${lockFile} is held by another process`);
      } else {
        await delay(100);
      }
    }
  }
  try {
    return await work();
  } finally {
    await unlink(lockFile).catch(() => undefined);
  }
}

/**
 * Makes the dev PKI under `certsDir` where anything is missing or unusable, and returns where
 * everything is. Safe to run on every start.
 */
export async function ensureDevPki(
  certsDir: string,
  options: EnsureDevPkiOptions = {},
): Promise<DevPkiPaths> {
  const paths = devPkiPaths(certsDir);
  const now = options.now ?? new Date();
  const made: string[] = [];
  const record = (file: string, why: string): void => {
    made.push(file);
    options.log?.(`${why === 'missing' ? 'made' : `remade (${why})`} ${file}`);
  };
  await mkdir(paths.certsDir, { recursive: true, mode: 0o755 });
  await mkdir(join(paths.certsDir, 'grid-security'), { recursive: true, mode: 0o755 });
  for (const keyDir of [join(paths.certsDir, 'ca'), join(paths.certsDir, 'user')]) {
    await mkdir(keyDir, { recursive: true, mode: 0o700 });
    await chmod(keyDir, 0o700); // tighten a directory someone made by hand
  }

  return withLock(join(paths.certsDir, '.dev-pki.lock'), async () => {
    const writePair = async (
      certFile: string,
      keyFile: string,
      pair: PemCredential,
      why: string,
    ) => {
      // Key first: a crash between the two leaves a missing cert, which the next run repairs.
      await writeFileAtomic(keyFile, pair.keyPem, 0o600);
      await writeFileAtomic(certFile, pair.certPem, 0o644);
      record(keyFile, why);
      record(certFile, why);
    };

    const caCheck = await inspect(paths.caCertFile, paths.caKeyFile, undefined, now);
    let ca: CertificateAuthority;
    if ('credential' in caCheck) {
      ca = caCheck.credential;
    } else {
      ca = await createCertificateAuthority({ subjectDn: DEV_CA_DN, days: CA_DAYS, now });
      await writePair(paths.caCertFile, paths.caKeyFile, ca, caCheck.problem);
    }
    const caCert = new X509Certificate(ca.certPem);

    const trustFiles = await writeTrustDirectory(paths.trustDir, ca, { now });
    for (const file of trustFiles) record(file, 'missing');

    const leaves = [
      {
        cert: paths.hostCertFile,
        key: paths.hostKeyFile,
        issue: () => issueHostCertificate(ca, { hostname: 'localhost', days: LEAF_DAYS, now }),
      },
      {
        cert: paths.userCertFile,
        key: paths.userKeyFile,
        issue: () => issueUserCertificate(ca, { subjectDn: DEV_USER_DN, days: LEAF_DAYS, now }),
      },
    ];
    // Key generation runs on the thread pool, so the two leaves are made side by side.
    await Promise.all(
      leaves.map(async (leaf) => {
        const check = await inspect(leaf.cert, leaf.key, caCert, now);
        if ('problem' in check) {
          await writePair(leaf.cert, leaf.key, await leaf.issue(), check.problem);
        } else if (((await stat(leaf.key)).mode & 0o077) !== 0) {
          await chmod(leaf.key, 0o600); // Globus tools refuse keys others can read
          options.log?.(`tightened to 0600 ${leaf.key}`);
        }
      }),
    );

    // An existing grid-mapfile is the administrator's: it is never overwritten.
    const mapfileExists = await stat(paths.gridMapfile).then(
      () => true,
      () => false,
    );
    if (!mapfileExists) {
      const text = [
        '# Globus grid-mapfile for the Weft dev PKI: "<certificate DN>" <local account>[,<account>...]',
        '# Made by scripts/make-dev-pki.ts; edit freely, it is not overwritten.',
        `"${DEV_USER_DN}" ${DEV_USER_ACCOUNT}`,
        '',
      ].join('\n');
      await writeFileAtomic(paths.gridMapfile, text, 0o644);
      record(paths.gridMapfile, 'missing');
    }
    // Likewise the site-admins file: the dev user administers every site, and so does the dev
    // host, so that a container forwarding to a parent index (WEFT_MDS_PARENT) is accepted there.
    const adminsExist = await stat(paths.siteAdminsFile).then(
      () => true,
      () => false,
    );
    if (!adminsExist) {
      const text = [
        '# Who may register, refresh and unregister which site through IndexService:',
        '# "<certificate DN>" <site>[,<site>...]  or  "<certificate DN>" *  (every site).',
        '# Made by scripts/make-dev-pki.ts; edit freely, it is not overwritten.',
        `"${DEV_USER_DN}" *`,
        '"/O=Grid/OU=Weft/CN=host/localhost" *',
        '',
      ].join('\n');
      await writeFileAtomic(paths.siteAdminsFile, text, 0o644);
      record(paths.siteAdminsFile, 'missing');
    }
    // Likewise the accounting administrators: the dev user, who runs the dev grid, reads everyone's usage.
    const accountingAdminsExist = await stat(paths.accountingAdminsFile).then(
      () => true,
      () => false,
    );
    if (!accountingAdminsExist) {
      const text = [
        '# Who may read everyone\'s usage through AccountingService (others see only their own):',
        '# "<certificate DN>" *',
        '# Made by scripts/make-dev-pki.ts; edit freely, it is not overwritten.',
        `"${DEV_USER_DN}" *`,
        '',
      ].join('\n');
      await writeFileAtomic(paths.accountingAdminsFile, text, 0o644);
      record(paths.accountingAdminsFile, 'missing');
    }
    return { ...paths, made };
  });
}
