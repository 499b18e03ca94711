/**
 * Environment for running bin/weft as the dev user whatever the machine has lying around: the
 * CLI looks for credentials where Globus tools do (a proxy in /tmp/x509up_u<uid> included), so
 * tests name the dev user's files and trust directory explicitly.
 */
import { join } from 'node:path';

export function devUserEnv(certsDir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { X509_USER_PROXY: _proxy, ...rest } = base;
  return {
    ...rest,
    X509_USER_CERT: join(certsDir, 'user', 'usercert.pem'),
    X509_USER_KEY: join(certsDir, 'user', 'userkey.pem'),
    X509_CERT_DIR: join(certsDir, 'grid-security', 'certificates'),
  };
}
