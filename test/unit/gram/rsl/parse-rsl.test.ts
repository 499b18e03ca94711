import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRsl, RSL_MAX_BYTES, RSL_MAX_DEPTH } from '../../../../services/gram/rsl/index.ts';
import type { RslNode, RslRelation, RslValue } from '../../../../services/gram/rsl/index.ts';
import { isGridError } from '../../../../services/common/errors.ts';

/** Asserts `fn` throws a GridError with `code` whose message matches every pattern. */
function assertRslError(fn: () => unknown, code: string, ...patterns: RegExp[]) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isGridError(error, code), `expected ${code}, got ${String(error)}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

function relations(node: RslNode): RslRelation[] {
  assert.equal(node.kind, 'boolean');
  return node.operands.map((operand) => {
    assert.equal(operand.kind, 'relation');
    return operand;
  });
}

/** The relation's values as plain data: strings, nested arrays, `$NAME` for references. */
function plain(value: RslValue): unknown {
  switch (value.kind) {
    case 'literal':
      return value.text;
    case 'sequence':
      return value.values.map(plain);
    case 'variable':
      const fallback = value.fallback ? `|${String(plain(value.fallback))}` : '';
      return `$${String(plain(value.name))}${fallback}`;
    case 'concatenation':
      return { concat: value.parts.map(plain) };
  }
}

function valuesOf(text: string, index = 0): unknown[] {
  const relation = relations(parseRsl(text))[index];
  assert.ok(relation);
  return relation.values.map(plain);
}

describe('parseRsl: structure', () => {
  it('parses a conjunction of relations, keeping attribute names as written', () => {
    const node = parseRsl('&(executable=/bin/echo)(arguments=hello grid)(count=1)');
    assert.equal(node.kind, 'boolean');
    assert.equal(node.operator, '&');
    const [exe, args, count] = relations(node);
    assert.deepEqual(
      [exe?.attribute, args?.attribute, count?.attribute],
      ['executable', 'arguments', 'count'],
    );
    assert.deepEqual(args?.values.map(plain), ['hello', 'grid']);
    assert.equal(exe?.at, 2);
  });

  it('accepts every relation operator', () => {
    const text = '&(a=1)(b!=2)(c<3)(d<=4)(e>5)(f>=6)';
    assert.deepEqual(
      relations(parseRsl(text)).map((r) => r.operator),
      ['=', '!=', '<', '<=', '>', '>='],
    );
  });

  it('parses | and + and nested booleans', () => {
    const node = parseRsl('+(&(executable=a))(|(queue=x)(queue=y))');
    assert.equal(node.kind, 'boolean');
    assert.equal(node.operator, '+');
    assert.deepEqual(
      node.operands.map((o) => (o.kind === 'boolean' ? o.operator : o.kind)),
      ['&', '|'],
    );
  });

  it('parses a bare relation as the whole specification', () => {
    const node = parseRsl('executable = /bin/date');
    assert.equal(node.kind, 'relation');
    assert.deepEqual(node.values.map(plain), ['/bin/date']);
  });

  it('allows white space, tabs, newlines and CRLF between tokens', () => {
    const text = '&\r\n  ( executable = /bin/echo )\n\t(arguments =\ta  b )\r\n';
    assert.deepEqual(valuesOf(text, 1), ['a', 'b']);
  });

  it('keeps + & | inside a word, as Globus does', () => {
    assert.deepEqual(valuesOf('&(arguments=a+b c&d e|f)'), ['a+b', 'c&d', 'e|f']);
  });
});

describe('parseRsl: quoting', () => {
  it('reads double quotes, with "" standing for one "', () => {
    assert.deepEqual(valuesOf('&(arguments="hello grid" "say ""hi""" "")'), [
      'hello grid',
      'say "hi"',
      '',
    ]);
  });

  it("reads single quotes, with '' standing for one '", () => {
    assert.deepEqual(valuesOf(`&(arguments='it''s' 'a "b"')`), ["it's", 'a "b"']);
  });

  it('reads ^X…X user-delimited quotes', () => {
    assert.deepEqual(valuesOf('&(arguments=^|a "b" (c)|| d|)'), ['a "b" (c)| d']);
  });

  it('keeps shell metacharacters and $(…) inside quotes as plain text', () => {
    const literal = relations(parseRsl(`&(arguments='a;rm -rf /' "$(x)" "(* no *)")`))[0];
    assert.deepEqual(literal?.values.map(plain), ['a;rm -rf /', '$(x)', '(* no *)']);
    assert.ok(literal?.values.every((v) => v.kind === 'literal' && v.quoted));
  });
});

describe('parseRsl: sequences, variables, concatenation, comments', () => {
  it('parses nested value sequences', () => {
    assert.deepEqual(valuesOf('&(environment=(A 1)(B "two words"))'), [
      ['A', '1'],
      ['B', 'two words'],
    ]);
  });

  it('parses $(NAME) outside quotes as a variable reference, with an optional default', () => {
    assert.deepEqual(valuesOf('&(arguments=$(HOME) $(SCRATCH /tmp))'), [
      '$HOME',
      '$SCRATCH|/tmp',
    ]);
  });

  it('joins # and the implicit concatenations Globus makes', () => {
    assert.deepEqual(valuesOf('&(stdout=$(GASS)/out a#b pre$(X) $(X)post $(A)$(B))'), [
      { concat: ['$GASS', '/out'] },
      { concat: ['a', 'b'] },
      { concat: ['pre', '$X'] },
      { concat: ['$X', 'post'] },
      { concat: ['$A', '$B'] },
    ]);
  });

  it('does not join a quoted string touching a reference (two values, as in Globus)', () => {
    assert.deepEqual(valuesOf('&(arguments="q"$(X) $(X)"q")'), ['q', '$X', '$X', 'q']);
  });

  it('does not join across white space or a comment', () => {
    assert.deepEqual(valuesOf('&(arguments=a $(X) b(* c *)$(Y))'), ['a', '$X', 'b', '$Y']);
  });

  it('skips comments anywhere between tokens', () => {
    const text = '(* job *)&(* one *)(executable=/bin/date)(* two *)(count = (* n *) 2)';
    assert.deepEqual(relations(parseRsl(text)).map((r) => r.values.map(plain)), [
      ['/bin/date'],
      ['2'],
    ]);
  });
});

describe('parseRsl: errors', () => {
  it('names the column of an unterminated quoted string', () => {
    assertRslError(
      () => parseRsl('&(executable=/bin/echo)(arguments="hello)'),
      'GRAM_RSL_SYNTAX',
      /unterminated quoted string starting at column 35/,
    );
    assertRslError(() => parseRsl("&(a='x)"), 'GRAM_RSL_SYNTAX', /unterminated.*column 5/);
    assertRslError(() => parseRsl('&(a=^|x)'), 'GRAM_RSL_SYNTAX', /unterminated.*column 5.*'\|'/);
  });

  it('reports position, line and column in the details', () => {
    assert.throws(
      () => parseRsl('&(executable=/bin/echo)\n  (arguments="oops)'),
      (error: unknown) => {
        assert.ok(isGridError(error, 'GRAM_RSL_SYNTAX'));
        assert.match(error.message, /line 2, column 14/);
        assert.deepEqual(
          { ...error.details },
          { position: 38, line: 2, column: 14 },
        );
        assert.equal(error.gramProtocolCode, 48);
        return true;
      },
    );
  });

  it('rejects a comment that is never closed, and a stray *)', () => {
    assertRslError(
      () => parseRsl('&(a=b)(* no end'),
      'GRAM_RSL_SYNTAX',
      /comment starting at column 7.*never closed/,
    );
    assertRslError(() => parseRsl('&(a=b*)'), 'GRAM_RSL_SYNTAX', /'\*\)' at column 6/);
  });

  it('rejects characters Globus reserves unless quoted', () => {
    for (const ch of ['*', '?', '~']) {
      assertRslError(
        () => parseRsl(`&(a=x${ch} y)`),
        'GRAM_RSL_SYNTAX',
        /unexpected .* at column 6/,
        /double quotes/,
      );
    }
    assertRslError(() => parseRsl('&(a=!x)'), 'GRAM_RSL_SYNTAX', /'!' at column 5/);
    assertRslError(() => parseRsl('&(a=^'), 'GRAM_RSL_SYNTAX', /'\^' at column 5/);
    assertRslError(() => parseRsl('&(a=\u0001?)'), 'GRAM_RSL_SYNTAX', /'\?'/);
  });

  it('says what it expected when the structure is wrong', () => {
    const cases: [string, RegExp][] = [
      ['&(executable /bin/date)', /word '\/bin\/date' at column 14 where it expected '='/],
      ['&(executable=)', /'\)' at column 14 where it expected a value after 'executable='/],
      ['&(arguments=())', /'\)' at column 14 where it expected a value inside/],
      ['&(executable=/bin/date', /ends at column 23 where it expected '\)' to close the '\(' at/],
      ['&(executable=/bin/date))', /'\)' at column 24 where it expected the end of the RSL/],
      ['(executable=/bin/date)', /'\(' at column 1 where it expected '&' before the first '\('/],
      ['&', /ends at column 2 where it expected '\(' after '&'/],
      ['&(a=b=c)', /'=' at column 6 where it expected a value or '\)'/],
      ['&(a=$HOME)', /word 'HOME' at column 6 where it expected '\(' after '\$'/],
      ['&(a=$())', /'\)' at column 7 where it expected a variable name/],
      ['&(a=$(X y z))', /word 'z' at column 11 .*takes a name and at most one default/],
      ['&(a=b#)', /'\)' at column 7 where it expected a value after '#'/],
      ['&((a=b))', /'\(' at column 3 where it expected '&', '\|', '\+' or an attribute name/],
      ['&("a=b)', /unterminated quoted string starting at column 3/],
    ];
    for (const [text, pattern] of cases) {
      assertRslError(() => parseRsl(text), 'GRAM_RSL_SYNTAX', pattern);
    }
  });

  it('treats empty, blank and comment-only text as an empty description', () => {
    for (const text of ['', '   \n\t', '(* nothing here *)']) {
      assertRslError(() => parseRsl(text), 'GRAM_EMPTY_DESCRIPTION', /empty/);
    }
  });

  it(`accepts ${RSL_MAX_DEPTH} levels of parentheses and refuses one more`, () => {
    const nest = (depth: number) =>
      `&(a=${'('.repeat(depth - 1)}x${')'.repeat(depth - 1)})`;
    assert.doesNotThrow(() => parseRsl(nest(RSL_MAX_DEPTH)));
    assertRslError(
      () => parseRsl(nest(RSL_MAX_DEPTH + 1)),
      'GRAM_RSL_SYNTAX',
      /more than 32 deep \(at column 36\)/,
    );
    assertRslError(
      () => parseRsl('&(a=' + '$('.repeat(40)),
      'GRAM_RSL_SYNTAX',
      /more than 32 deep/,
    );
  });

  it('refuses descriptions over 64 KiB, counting UTF-8 bytes', () => {
    const fits = `&(executable=/bin/echo)(arguments="${'x'.repeat(RSL_MAX_BYTES - 40)}")`;
    assert.ok(Buffer.byteLength(fits) <= RSL_MAX_BYTES);
    assert.doesNotThrow(() => parseRsl(fits));
    const multiByte = `&(arguments="${'é'.repeat(RSL_MAX_BYTES / 2)}")`;
    assertRslError(
      () => parseRsl(multiByte),
      'GRAM_RSL_SYNTAX',
      /bytes long, more than the 65536 bytes \(64 KiB\)/,
    );
  });

  it('stays fast on hostile input', () => {
    const hostile = [
      '&(a="' + '""'.repeat(30_000),
      '(*'.repeat(30_000),
      '&(a=' + 'x#'.repeat(30_000) + 'y)',
      '&' + '('.repeat(60_000),
    ];
    const started = performance.now();
    for (const text of hostile) {
      try {
        parseRsl(text);
      } catch (error) {
        assert.ok(isGridError(error, 'GRAM_RSL_SYNTAX'));
      }
    }
    assert.ok(performance.now() - started < 2000);
  });
});
