/** What the DelegationService operations need. */
import type { TrustStore } from '../gsi/index.ts';
import type { DelegationStore } from './store.ts';

export interface DelegationDeps {
  readonly store: DelegationStore;
  /** The AES-256 key from WEFT_DELEGATION_SECRET (secret.ts). */
  readonly secret: Buffer;
  /** Trust anchors to validate delegated chains with. */
  readonly trust: TrustStore;
  readonly now?: () => Date;
}
