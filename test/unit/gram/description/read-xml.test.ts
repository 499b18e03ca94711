/** The XML guard for job descriptions: what it refuses before any front door reads an element. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGridError } from '../../../../services/common/errors.ts';
import { readXml, XML_DESCRIPTION_MAX_BYTES, XML_DESCRIPTION_MAX_DEPTH } from '../../../../services/gram/description/read-xml.ts';

function refused(text: string, code: string, pattern: RegExp) {
  assert.throws(
    () => readXml(text),
    (error: unknown) => {
      assert.ok(isGridError(error, code), `expected ${code}, got ${String(error)}`);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('readXml', () => {
  it('reads elements with their namespace, text (entities and CDATA decoded) and position', () => {
    const body =
      '<?xml version="1.0"?>\n<j:job xmlns:j="urn:j" xmlns:x="http://www.w3.org/2001/XMLSchema-instance" x:type="t">' +
      '<j:argument> a &amp; b &#65; </j:argument><!-- note --><j:argument><![CDATA[<not> & markup]]></j:argument></j:job>';
    const root = readXml(`\uFEFF${body}`);
    assert.equal(root.local, 'job');
    assert.equal(root.uri, 'urn:j');
    assert.deepEqual(root.attributes.map((a) => a.local), ['type'], 'xmlns declarations are not attributes');
    assert.deepEqual(root.children.map((c) => c.text), [' a & b A ', '<not> & markup']);
    assert.equal(root.children[0]?.name, 'j:argument');
    assert.equal(root.children[0]?.at, body.indexOf('<j:argument>'));
  });

  it('refuses a DOCTYPE, an internal subset or an ENTITY declaration, so nothing is ever expanded', () => {
    refused('<!DOCTYPE job>\n<job/>', 'GRAM_DESCRIPTION_DTD_FORBIDDEN', /a DOCTYPE declaration at line 1, column 1/);
    refused(
      '<?xml version="1.0"?>\n<!DOCTYPE job [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<job>&lol2;</job>',
      'GRAM_DESCRIPTION_DTD_FORBIDDEN',
      /at line 2, column 1, and a job description may not declare a DTD or entities/,
    );
    refused('<!DOCTYPE job SYSTEM "file:///etc/passwd"><job>&xxe;</job>', 'GRAM_DESCRIPTION_DTD_FORBIDDEN', /DOCTYPE/);
    refused('<!ENTITY x "y"><job/>', 'GRAM_DESCRIPTION_DTD_FORBIDDEN', /an ENTITY declaration/);
  });

  it('refuses an entity it does not know instead of looking it up', () => {
    refused('<job>&xxe;</job>', 'GRAM_DESCRIPTION_MALFORMED', /not well-formed XML near column \d+ \(Invalid character entity\)/);
  });

  it('refuses a huge description before parsing it', () => {
    const huge = `<job>${'<argument>x</argument>'.repeat(4000)}</job>`;
    assert.ok(Buffer.byteLength(huge) > XML_DESCRIPTION_MAX_BYTES);
    refused(huge, 'GRAM_DESCRIPTION_TOO_LARGE', /is \d+ bytes long, more than the 65536 bytes \(64 KiB\) allowed/);
  });

  it('refuses elements nested deeper than the limit, naming where', () => {
    const deep = '<a>'.repeat(XML_DESCRIPTION_MAX_DEPTH + 1) + '</a>'.repeat(XML_DESCRIPTION_MAX_DEPTH + 1);
    refused(deep, 'GRAM_DESCRIPTION_TOO_LARGE', /nests elements more than 16 deep \(at column 49\)/);
    const ok = '<a>'.repeat(XML_DESCRIPTION_MAX_DEPTH) + '</a>'.repeat(XML_DESCRIPTION_MAX_DEPTH);
    assert.equal(readXml(ok).local, 'a');
  });

  it('refuses XML that is not well-formed, with the line and column', () => {
    refused('<job>\n  <executable>/bin/echo</job>', 'GRAM_DESCRIPTION_MALFORMED', /near line 2, column \d+ \(Unexpected close tag\)/);
    refused('<j:job/>', 'GRAM_DESCRIPTION_MALFORMED', /Unbound namespace prefix/);
    refused('<job/><job/>', 'GRAM_DESCRIPTION_MALFORMED', /a second root element <job> at column 7/);
    refused('<job/>trailing', 'GRAM_DESCRIPTION_MALFORMED', /Text data outside of root node/);
    refused('<job>', 'GRAM_DESCRIPTION_MALFORMED', /not well-formed/);
  });
});
