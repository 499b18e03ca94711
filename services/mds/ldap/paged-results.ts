/**
 * The paged-results control (RFC 2696): the first request runs the search and keeps what is
 * left for the connection under an opaque cookie; each later request with that cookie takes the
 * next page. Cursors hold immutable entries, so a page shows the directory as it was when the
 * search began. A connection keeps a bounded number of cursors (oldest dropped first).
 */
import { randomBytes } from 'node:crypto';
import type { Entry } from '../directory/entry.ts';
import type { AttributeSelection } from './attribute-selection.ts';
import { integer, octetString, sequence } from './ber.ts';

export interface PagedCursor {
  readonly entries: readonly Entry[];
  position: number;
  readonly selection: AttributeSelection;
  readonly typesOnly: boolean;
  /** The final status of the whole search, reported with its last page. */
  readonly finalCode: number;
}

export interface PagedRequest {
  readonly size: number;
  readonly cookie: Buffer;
}

export class PagedCursors {
  readonly #cursors = new Map<string, PagedCursor>();

  constructor(private readonly max: number) {}

  /** Keeps `cursor`; returns its cookie. */
  keep(cursor: PagedCursor): Buffer {
    const cookie = randomBytes(12);
    this.#cursors.set(cookie.toString('hex'), cursor);
    while (this.#cursors.size > this.max) {
      const oldest = this.#cursors.keys().next().value as string;
      this.#cursors.delete(oldest);
    }
    return cookie;
  }

  take(cookie: Buffer): PagedCursor | undefined {
    const key = cookie.toString('hex');
    const cursor = this.#cursors.get(key);
    this.#cursors.delete(key);
    return cursor;
  }
}

/** Reads the control's value as ldapjs parsed it ({ size, cookie }). */
export function pagedRequestOf(value: unknown): PagedRequest {
  const raw = (value ?? {}) as { size?: unknown; cookie?: unknown };
  const size = typeof raw.size === 'number' && raw.size > 0 ? raw.size : 0;
  const cookie = Buffer.isBuffer(raw.cookie) ? raw.cookie : typeof raw.cookie === 'string' ? Buffer.from(raw.cookie) : Buffer.alloc(0);
  return { size, cookie };
}

/** The control value of an answer: realSearchControlValue ::= SEQUENCE { size, cookie }. */
export function pagedResponseValue(estimate: number, cookie: Buffer): Buffer {
  return sequence(integer(estimate), octetString(cookie));
}
