/**
 * Opens a PEM private key, encrypted or not (PKCS#8 `ENCRYPTED PRIVATE KEY`, or the older
 * OpenSSL `Proc-Type: 4,ENCRYPTED` form that `grid-cert-request` writes). The pass phrase is
 * used once and never kept, logged or put in an error.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { gsiError } from '../errors.ts';

/** Whether a PEM key needs a pass phrase. */
export function isEncryptedKeyPem(pem: string): boolean {
  return pem.includes('BEGIN ENCRYPTED PRIVATE KEY') || pem.includes('Proc-Type: 4,ENCRYPTED');
}

/** The key as a KeyObject; `file` names it in errors. */
export function unlockPrivateKey(
  pem: string,
  passphrase: string | undefined,
  file: string,
): KeyObject {
  const encrypted = isEncryptedKeyPem(pem);
  if (encrypted && passphrase === undefined) {
    throw gsiError(
      'GSI_BAD_PASS_PHRASE',
      `the private key ${file} is encrypted and no pass phrase was given`,
      { file },
    );
  }
  try {
    return encrypted ? createPrivateKey({ key: pem, passphrase }) : createPrivateKey(pem);
  } catch {
    if (encrypted) {
      const message = `the pass phrase does not unlock the private key ${file}`;
      throw gsiError('GSI_BAD_PASS_PHRASE', message, { file });
    }
    const message = `${file} holds a private key that cannot be read`;
    throw gsiError('GSI_CREDENTIAL_UNREADABLE', message, { file });
  }
}
