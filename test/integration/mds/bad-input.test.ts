/**
 * Hostile and broken clients: absurdly deep and megabyte-long filters, garbage bytes, SASL
 * binds, slow and silent connections, oversized requests. Each gets a clear LDAP answer or its
 * own connection closed, and the index keeps answering everyone else.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { boolean, enumerated, integer, octetString, readHeader, sequence, tlv } from '../../../services/mds/ldap/ber.ts';
import { dnsOf, ldapsearch, site, startTestIndex, type TestIndex } from './support.ts';

interface RawClient {
  readonly socket: Socket;
  /** Resolves with the first complete LDAPMessage's op tag and result code, or 'closed'. */
  nextResult(): Promise<{ tag: number; code: number } | 'closed'>;
  closed: Promise<void>;
}

function rawClient(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buffer = Buffer.alloc(0);
    let waiting: ((value: { tag: number; code: number } | 'closed') => void) | undefined;
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    const tryParse = () => {
      const envelope = readHeader(buffer, 0);
      if (!envelope || envelope === 'invalid' || buffer.length < envelope.contentStart + envelope.length) return;
      const id = readHeader(buffer, envelope.contentStart);
      if (!id || id === 'invalid') return;
      const op = readHeader(buffer, id.contentStart + id.length);
      if (!op || op === 'invalid') return;
      const code = buffer[op.contentStart + 2] as number; // ENUMERATED resultCode, one byte
      buffer = buffer.subarray(envelope.contentStart + envelope.length);
      waiting?.({ tag: op.tag, code });
      waiting = undefined;
    };
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      tryParse();
    });
    void closed.then(() => waiting?.('closed'));
    socket.once('error', () => undefined);
    socket.once('connect', () =>
      resolve({
        socket,
        closed,
        nextResult: () =>
          new Promise((r) => {
            waiting = r;
            tryParse();
            if (socket.destroyed) r('closed');
          }),
      }),
    );
    socket.once('error', reject);
  });
}

function searchRequest(messageId: number, filter: Buffer): Buffer {
  const op = tlv(0x63, octetString('o=glue'), enumerated(2), enumerated(0), integer(0), integer(0), boolean(false), filter, sequence());
  return sequence(integer(messageId), op);
}

describe('the index under bad input', () => {
  let grid: TestIndex;
  let port: number;

  before(async () => {
    grid = await startTestIndex({ requestTimeoutSeconds: 1, idleTimeoutSeconds: 2, maxMessageBytes: 4_194_304 });
    port = grid.index.port();
    await grid.sites.publish(site('alpha'));
    await grid.index.settled();
  });
  after(async () => grid?.stop());

  const stillAnswers = async () => {
    const result = await ldapsearch(grid.url, '-b', 'o=glue', '(GLUE2DomainID=alpha)', '1.1');
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(dnsOf(result.stdout), ['GLUE2DomainID=alpha,GLUE2GroupID=grid,o=glue']);
  };

  it('refuses a filter nested 2,000 deep with unwillingToPerform, and keeps answering', async () => {
    const deep = `${'(&'.repeat(2000)}(objectClass=*)${')'.repeat(2000)}`;
    const result = await ldapsearch(grid.url, '-b', 'o=glue', deep, '1.1');
    assert.equal(result.status, 53, result.stderr);
    assert.match(result.stderr, /Server is unwilling to perform \(53\)[\s\S]*nests more than 32 levels/);
    await stillAnswers();
  });

  it('refuses a 2 MB filter with adminLimitExceeded on the same connection, which stays usable', async () => {
    const client = await rawClient(port);
    client.socket.write(searchRequest(1, tlv(0xa3, octetString('cn'), octetString('x'.repeat(2_000_000)))));
    assert.deepEqual(await client.nextResult(), { tag: 0x65, code: 11 });
    client.socket.write(searchRequest(2, tlv(0xa3, octetString('GLUE2DomainID'), octetString('nobody'))));
    assert.deepEqual(await client.nextResult(), { tag: 0x65, code: 0 });
    client.socket.destroy();
  });

  it('answers a SASL bind with authMethodNotSupported', async () => {
    const client = await rawClient(port);
    client.socket.write(sequence(integer(1), tlv(0x60, integer(3), octetString(''), tlv(0xa3, octetString('EXTERNAL')))));
    assert.deepEqual(await client.nextResult(), { tag: 0x61, code: 7 });
    client.socket.destroy();
  });

  it('closes only the connection that sends garbage BER', async () => {
    const bystander = await rawClient(port);
    const client = await rawClient(port);
    client.socket.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await client.closed;
    const inner = await rawClient(port);
    inner.socket.write(Buffer.from([0x30, 0x05, 0x02, 0x01, 0x01, 0xff, 0xff])); // a message with a nonsense op
    await inner.closed;
    bystander.socket.write(searchRequest(9, tlv(0x87, Buffer.from('objectClass'))));
    assert.equal(((await bystander.nextResult()) as { tag: number }).tag, 0x64); // an entry: still served
    bystander.socket.destroy();
    await stillAnswers();
  });

  it('closes a request larger than the message bound with a notice of disconnection', async () => {
    const client = await rawClient(port);
    client.socket.write(Buffer.from([0x30, 0x84, 0x10, 0x00, 0x00, 0x00, 0x02, 0x01, 0x01]));
    assert.deepEqual(await client.nextResult(), { tag: 0x78, code: 2 });
    await client.closed;
  });

  it('drops slow-loris and idle connections on time, and no others', async () => {
    const slow = await rawClient(port);
    const idle = await rawClient(port);
    const started = Date.now();
    slow.socket.write(searchRequest(1, tlv(0x87, Buffer.from('objectClass'))).subarray(0, 6)); // never finished
    await slow.closed;
    const slowAfter = Date.now() - started;
    assert.ok(slowAfter >= 900 && slowAfter < 1900, `slow connection closed after ${slowAfter} ms`);
    await idle.closed;
    const idleAfter = Date.now() - started;
    assert.ok(idleAfter >= 1900 && idleAfter < 3500, `idle connection closed after ${idleAfter} ms`);
    await stillAnswers();
  });
});
