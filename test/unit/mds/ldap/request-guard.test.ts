import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { integer, octetString, sequence, tlv, enumerated, boolean } from '../../../../services/mds/ldap/ber.ts';
import { MessageReader, judgeMessage, type GuardLimits } from '../../../../services/mds/ldap/request-guard.ts';

const LIMITS: GuardLimits = { maxMessageBytes: 4096, maxFilterDepth: 8, maxFilterBytes: 512 };

const equality = (attribute: string, value: string) => tlv(0xa3, octetString(attribute), octetString(value));
const and = (...filters: Buffer[]) => tlv(0xa0, ...filters);
const not = (filter: Buffer) => tlv(0xa2, filter);

function search(messageId: number, filter: Buffer, base = 'o=glue', scope = 2): Buffer {
  const op = tlv(0x63, octetString(base), enumerated(scope), enumerated(0), integer(0), integer(0), boolean(false), filter, sequence());
  return sequence(integer(messageId), op);
}

function nested(depth: number): Buffer {
  let filter = equality('cn', 'x');
  for (let i = 1; i < depth; i += 1) filter = i % 2 ? and(filter) : not(filter);
  return filter;
}

/** `(&(&(&…(cn=x)…)))` `depth` deep, built in one pass (4-byte lengths, valid BER). */
function veryDeep(depth: number): Buffer {
  const leaf = equality('cn', 'x');
  const out = Buffer.alloc((depth - 1) * 6 + leaf.length);
  for (let level = 0; level < depth - 1; level += 1) {
    const offset = level * 6;
    out[offset] = 0xa0;
    out[offset + 1] = 0x84;
    out.writeUInt32BE(out.length - offset - 6, offset + 2);
  }
  leaf.copy(out, (depth - 1) * 6);
  return out;
}

describe('the request guard', () => {
  it('passes ordinary searches with the base DN as sent', () => {
    const verdict = judgeMessage(search(7, and(equality('objectClass', 'GLUE2Share'), equality('GLUE2ShareID', 'a'))), LIMITS);
    assert.equal(verdict.kind, 'pass');
    assert.equal(verdict.kind === 'pass' && verdict.dn, 'o=glue');
  });

  it('refuses filters nested past the bound without recursing, and long ones', () => {
    assert.equal(judgeMessage(search(1, nested(8)), LIMITS).kind, 'pass');
    const deep = judgeMessage(search(2, nested(9)), LIMITS);
    assert.deepEqual(deep.kind === 'refuse' && [deep.messageId, deep.code], [2, 53]);
    // 100,000 levels: measured iteratively, stopped at the bound.
    const huge = judgeMessage(search(3, veryDeep(100_000)), { ...LIMITS, maxFilterBytes: 10_000_000, maxMessageBytes: 10_000_000 });
    assert.deepEqual(huge.kind === 'refuse' && huge.code, 53);
    const long = judgeMessage(search(4, equality('cn', 'x'.repeat(600))), LIMITS);
    assert.deepEqual(long.kind === 'refuse' && [long.code, /600|6\d\d bytes/.test(long.reason)], [11, true]);
  });

  it('answers a malformed base DN or an unknown scope itself', () => {
    const check = (text: string) => (text.includes('=') || text === '' ? undefined : `the DN "${text}" is not valid`);
    const dn = judgeMessage(search(5, equality('cn', 'x'), 'garbage'), LIMITS, check);
    assert.deepEqual(dn.kind === 'refuse' && [dn.code, dn.reason], [34, 'MDS_INVALID_DN: the DN "garbage" is not valid']);
    const scope = judgeMessage(search(6, equality('cn', 'x'), 'o=glue', 3), LIMITS, check);
    assert.deepEqual(scope.kind === 'refuse' && scope.code, 53);
  });

  it('refuses SASL binds with authMethodNotSupported', () => {
    const bind = sequence(integer(1), tlv(0x60, integer(3), octetString(''), tlv(0xa3, octetString('EXTERNAL'))));
    const verdict = judgeMessage(bind, LIMITS);
    assert.deepEqual(verdict.kind === 'refuse' && [verdict.op, verdict.code], ['bind', 7]);
  });

  it('cuts a byte stream into whole messages, however it arrives', () => {
    const reader = new MessageReader(LIMITS);
    const stream = Buffer.concat([search(1, equality('a', 'b')), search(2, equality('c', 'd')), search(3, equality('e', 'f'))]);
    const verdicts = [];
    for (let i = 0; i < stream.length; i += 5) verdicts.push(...reader.push(stream.subarray(i, i + 5)));
    assert.deepEqual(verdicts.map((v) => v.kind === 'pass' && v.messageId), [1, 2, 3]);
    assert.equal(reader.pending, false);
    reader.push(search(4, equality('a', 'b')).subarray(0, 10));
    assert.equal(reader.pending, true);
  });

  it('closes on bytes that are not LDAP and on messages over the size bound, without buffering them', () => {
    assert.deepEqual(new MessageReader(LIMITS).push(Buffer.from('GET / HTTP/1.1\r\n\r\n')).map((v) => v.kind), ['close']);
    const big = new MessageReader(LIMITS).push(Buffer.from([0x30, 0x84, 0x10, 0x00, 0x00, 0x00]));
    assert.deepEqual(big.map((v) => v.kind === 'close' && v.notify), [true]);
  });
});
