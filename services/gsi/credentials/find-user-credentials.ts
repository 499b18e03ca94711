/**
 * Finds the caller's credentials where Globus tools look, in this order:
 *   1. X509_USER_CERT / X509_USER_KEY (either one set; the other defaults to ~/.globus);
 *   2. X509_USER_PROXY, a proxy file holding certificate, key and chain;
 *   3. /tmp/x509up_u<uid>, the default proxy grid-proxy-init writes;
 *   4. ~/.globus/usercert.pem and ~/.globus/userkey.pem;
 *   5. the project's dev PKI (`<fallback>/user/`), when the caller gives one.
 * and the trusted CAs from X509_CERT_DIR, ~/.globus/certificates,
 * /etc/grid-security/certificates, then `<fallback>/grid-security/certificates`.
 * A location named by an environment variable must exist: it is an error, not a fall-through.
 * Like Globus, a key (or proxy) file that its group or others can read, or that another user
 * owns, is refused. Nothing here logs, and no message carries file contents.
 */
import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pemBlocks } from '../der.ts';
import { gsiError } from '../errors.ts';

export interface FindUserCredentialsOptions {
  /** The environment to read X509_* from (pass `process.env` at the entry point). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** Defaults to `process.getuid()`; names the default proxy and owns the key files. */
  readonly uid?: number;
  /** The project's dev certs directory (holding `user/` and `grid-security/`), used last. */
  readonly fallbackCertsDir?: string;
  /** Where the default proxy lives; Globus uses /tmp. */
  readonly tmpDir?: string;
  /** The system trust directory; Globus uses /etc/grid-security/certificates. */
  readonly systemCertDir?: string;
}

/** Where the certificate and key were found. */
export type CredentialSource =
  'X509_USER_CERT' | 'X509_USER_PROXY' | 'default-proxy' | 'home' | 'dev-pki';

export interface UserCredentials {
  readonly certPem: string;
  /** PEM as found; may be encrypted (see `keyEncrypted`): the caller asks for the pass phrase. */
  readonly keyPem: string;
  readonly keyEncrypted: boolean;
  /** Further certificates after the first (a proxy's signers), leaf side first. */
  readonly chainPems: readonly string[];
  readonly certDir: string;
  readonly source: CredentialSource;
  readonly certFile: string;
  readonly keyFile: string;
}

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );
const isDir = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );

/** Refuses a key (or proxy) file that others can read or that another user owns, as Globus does. */
export async function checkKeyFile(file: string, uid: number | undefined): Promise<void> {
  const info = await stat(file);
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    throw gsiError(
      'GSI_KEY_PERMISSIONS',
      `the private key file ${file} can be read by others (mode ${mode})`,
      { file, mode },
    );
  }
  if (uid !== undefined && info.uid !== uid) {
    throw gsiError(
      'GSI_KEY_PERMISSIONS',
      `the private key file ${file} belongs to uid ${info.uid}, not to you`,
      { file },
    );
  }
}

async function readPem(file: string): Promise<ReturnType<typeof pemBlocks>> {
  try {
    return pemBlocks(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw gsiError('GSI_CREDENTIAL_UNREADABLE', `${file} could not be read (${code})`, { file });
  }
}

async function load(
  certFile: string,
  keyFile: string,
  source: CredentialSource,
  uid: number | undefined,
) {
  for (const file of new Set([certFile, keyFile])) {
    if (!(await exists(file))) {
      throw gsiError('GSI_CREDENTIAL_NOT_FOUND', `the credential file ${file} does not exist`, {
        file,
      });
    }
  }
  await checkKeyFile(keyFile, uid);
  const certs = (await readPem(certFile)).filter((b) => b.label === 'CERTIFICATE');
  const key = (await readPem(keyFile)).find((b) => /PRIVATE KEY$/.test(b.label));
  const first = certs[0];
  if (!first) {
    const message = `${certFile} holds no PEM certificate`;
    throw gsiError('GSI_CREDENTIAL_UNREADABLE', message, { file: certFile });
  }
  if (!key) {
    const message = `${keyFile} holds no PEM private key`;
    throw gsiError('GSI_CREDENTIAL_UNREADABLE', message, { file: keyFile });
  }
  for (const cert of certs) {
    try {
      new X509Certificate(cert.der);
    } catch {
      throw gsiError(
        'GSI_CREDENTIAL_UNREADABLE',
        `${certFile} holds a certificate that does not parse`,
        { file: certFile },
      );
    }
  }
  return {
    certPem: first.pem,
    keyPem: key.pem,
    keyEncrypted:
      key.label === 'ENCRYPTED PRIVATE KEY' || key.pem.includes('Proc-Type: 4,ENCRYPTED'),
    chainPems: certs.slice(1).map((b) => b.pem),
    source,
    certFile,
    keyFile,
  };
}

async function findCertDir(options: FindUserCredentialsOptions): Promise<string> {
  const fromEnv = options.env['X509_CERT_DIR'];
  if (fromEnv) {
    if (await isDir(fromEnv)) return fromEnv;
    throw gsiError(
      'GSI_TRUST_DIR_NOT_FOUND',
      `X509_CERT_DIR names ${fromEnv}, which is not a directory`,
      { certDir: fromEnv },
    );
  }
  const candidates = [
    join(options.homeDir, '.globus', 'certificates'),
    options.systemCertDir ?? '/etc/grid-security/certificates',
    ...(options.fallbackCertsDir
      ? [join(options.fallbackCertsDir, 'grid-security', 'certificates')]
      : []),
  ];
  for (const dir of candidates) if (await isDir(dir)) return dir;
  throw gsiError(
    'GSI_TRUST_DIR_NOT_FOUND',
    `no trusted certificates directory was found (looked in X509_CERT_DIR, ${candidates.join(', ')})`,
  );
}

/** Finds the caller's certificate, key, chain and trusted CAs (see the file comment). */
export async function findUserCredentials(
  options: FindUserCredentialsOptions,
): Promise<UserCredentials> {
  const { env, homeDir } = options;
  const uid = options.uid ?? process.getuid?.();
  const homeCert = join(homeDir, '.globus', 'usercert.pem');
  const homeKey = join(homeDir, '.globus', 'userkey.pem');
  const certDir = findCertDir(options);
  certDir.catch(() => undefined); // awaited below; keeps an early rejection from going unhandled

  let found: Omit<UserCredentials, 'certDir'>;
  const defaultProxy =
    uid === undefined ? undefined : join(options.tmpDir ?? '/tmp', `x509up_u${uid}`);
  const devCert =
    options.fallbackCertsDir && join(options.fallbackCertsDir, 'user', 'usercert.pem');
  const devKey = options.fallbackCertsDir && join(options.fallbackCertsDir, 'user', 'userkey.pem');
  if (env['X509_USER_CERT'] || env['X509_USER_KEY']) {
    found = await load(
      env['X509_USER_CERT'] || homeCert,
      env['X509_USER_KEY'] || homeKey,
      'X509_USER_CERT',
      uid,
    );
  } else if (env['X509_USER_PROXY']) {
    found = await load(env['X509_USER_PROXY'], env['X509_USER_PROXY'], 'X509_USER_PROXY', uid);
  } else if (defaultProxy && (await exists(defaultProxy))) {
    found = await load(defaultProxy, defaultProxy, 'default-proxy', uid);
  } else if ((await exists(homeCert)) || (await exists(homeKey))) {
    found = await load(homeCert, homeKey, 'home', uid);
  } else if (devCert && devKey && (await exists(devCert))) {
    found = await load(devCert, devKey, 'dev-pki', uid);
  } else {
    const looked = [
      'X509_USER_CERT/X509_USER_KEY',
      'X509_USER_PROXY',
      defaultProxy,
      homeCert,
      devCert,
    ];
    throw gsiError(
      'GSI_CREDENTIAL_NOT_FOUND',
      `no credentials were found (looked at ${looked.filter(Boolean).join(', ')})`,
    );
  }
  return { ...found, certDir: await certDir };
}

/**
 * The user's long-lived certificate and key, the ones a proxy is made from (grid-proxy-init):
 * steps 1, 4 and 5 above, never a proxy. No trusted-certificates directory is needed for that.
 */
export async function findUserCertificate(
  options: Pick<FindUserCredentialsOptions, 'env' | 'homeDir' | 'uid' | 'fallbackCertsDir'>,
): Promise<Omit<UserCredentials, 'certDir'>> {
  const { env, homeDir } = options;
  const uid = options.uid ?? process.getuid?.();
  const homeCert = join(homeDir, '.globus', 'usercert.pem');
  const homeKey = join(homeDir, '.globus', 'userkey.pem');
  if (env['X509_USER_CERT'] || env['X509_USER_KEY']) {
    const certFile = env['X509_USER_CERT'] || homeCert;
    return load(certFile, env['X509_USER_KEY'] || homeKey, 'X509_USER_CERT', uid);
  }
  if ((await exists(homeCert)) || (await exists(homeKey))) {
    return load(homeCert, homeKey, 'home', uid);
  }
  const dev = options.fallbackCertsDir && join(options.fallbackCertsDir, 'user');
  if (dev && (await exists(join(dev, 'usercert.pem')))) {
    return load(join(dev, 'usercert.pem'), join(dev, 'userkey.pem'), 'dev-pki', uid);
  }
  throw gsiError(
    'GSI_CREDENTIAL_NOT_FOUND',
    `no user certificate was found (looked at X509_USER_CERT/X509_USER_KEY, ${homeCert}${dev ? `, ${join(dev, 'usercert.pem')}` : ''})`,
  );
}
