import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rslToJobSpec, SUPPORTED_RSL_ATTRIBUTES } from '../../../../services/gram/rsl/index.ts';
import { isGridError } from '../../../../services/common/errors.ts';

/** Asserts `text` is refused with `code`, a message matching every pattern, and returns it. */
function refused(text: string, code: string, ...patterns: RegExp[]) {
  let caught: unknown;
  assert.throws(
    () => rslToJobSpec(text),
    (error: unknown) => {
      caught = error;
      assert.ok(isGridError(error, code), `expected ${code}, got ${String(error)}`);
      for (const pattern of patterns) assert.match(error.message, pattern);
      return true;
    },
  );
  assert.ok(isGridError(caught));
  return caught;
}

const job = (rest = '') => `&(executable=/bin/echo)${rest}`;

describe('rslToJobSpec: real-world descriptions', () => {
  it('splits unquoted arguments on white space only', () => {
    assert.deepEqual(rslToJobSpec('&(executable=/bin/echo)(arguments=hello grid)(count=1)'), {
      executable: '/bin/echo',
      arguments: ['hello', 'grid'],
      environment: {},
      count: 1,
    });
  });

  it('keeps a quoted argument whole', () => {
    const spec = rslToJobSpec('&(executable="/bin/echo")(arguments="hello grid")');
    assert.deepEqual(spec.arguments, ['hello grid']);
    assert.equal(spec.executable, '/bin/echo');
  });

  it('passes shell metacharacters and quoted $(x) through literally', () => {
    const spec = rslToJobSpec(job(`(arguments='a;rm -rf /' "$(x)" "|&;<>()$\`\\*?~")`));
    assert.deepEqual(spec.arguments, ['a;rm -rf /', '$(x)', '|&;<>()$`\\*?~']);
  });

  it('reads a full multi-line GT2-style description with comments', () => {
    const text = [
      '& (* a typical globusrun job *)',
      '  (executable = /usr/bin/octave)',
      '  (arguments = test_sor.m 20 "1.5")',
      '  (directory = /home/ccgc/run)',
      '  (stdin = /dev/null) (stdout = out.txt) (stderr = err.txt)',
      '  (environment = (OMP_NUM_THREADS 4) (LANG "C.UTF-8"))',
      '  (count = 8) (host_count = 2) (jobType = multiple)',
      '  (maxWallTime = 90) (max_cpu_time = 600) (maxMemory = 2048) (minMemory = 512)',
      '  (queue = batch) (project = "atlas-prod") (dryRun = no)',
    ].join('\n');
    assert.deepEqual(rslToJobSpec(text), {
      executable: '/usr/bin/octave',
      arguments: ['test_sor.m', '20', '1.5'],
      environment: { OMP_NUM_THREADS: '4', LANG: 'C.UTF-8' },
      directory: '/home/ccgc/run',
      stdin: '/dev/null',
      stdout: 'out.txt',
      stderr: 'err.txt',
      count: 8,
      maxWallTime: 90,
      maxMemory: 2048,
      queue: 'batch',
      project: 'atlas-prod',
    });
  });

  it('keeps requirements and rank as text, collapsing doubled quotes', () => {
    const spec = rslToJobSpec(
      job('(requirements="other.FreeCpus >= 2 && member(""blast"", other.Tags)")') +
        '(rank=other.FreeCpus)',
    );
    assert.equal(spec.requirements, 'other.FreeCpus >= 2 && member("blast", other.Tags)');
    assert.equal(spec.rank, 'other.FreeCpus');
  });

  it('compares attribute names ignoring case and underscores', () => {
    const spellings = ['maxWallTime', 'max_wall_time', 'MAXWALLTIME', 'Max_Wall_Time', 'MAX_WALLTIME'];
    for (const name of spellings) {
      assert.equal(rslToJobSpec(job(`(${name}=30)`)).maxWallTime, 30, name);
    }
    assert.equal(rslToJobSpec('&(EXECUTABLE=/bin/date)(Count=2)').count, 2);
  });

  it('uses maxTime as the wall-time limit unless maxWallTime is given', () => {
    assert.equal(rslToJobSpec(job('(maxTime=15)')).maxWallTime, 15);
    assert.equal(rslToJobSpec(job('(max_time=15)(maxWallTime=20)')).maxWallTime, 20);
  });

  it('accepts jobType single and multiple, hostCount, maxCpuTime and minMemory', () => {
    assert.deepEqual(
      rslToJobSpec(job('(jobType=single)(hostCount=1)(maxCpuTime=5)(minMemory=1)(count=100000)')),
      { executable: '/bin/echo', arguments: [], environment: {}, count: 100000 },
    );
    assert.equal(rslToJobSpec(job('(job_type=MULTIPLE)')).count, 1);
  });

  it('accepts an environment variable called __proto__ as a plain entry', () => {
    const spec = rslToJobSpec(job('(environment=(__proto__ x)(A ""))'));
    assert.deepEqual(Object.entries(spec.environment), [
      ['__proto__', 'x'],
      ['A', ''],
    ]);
  });
});

describe('rslToJobSpec: rsl_substitution', () => {
  it('substitutes variables defined earlier, including implicit concatenation', () => {
    const spec = rslToJobSpec(
      '&(rsl_substitution=(BASE /scratch/run)(TAG v1))' +
        '(executable=$(BASE)/bin/app)(arguments="--tag="#$(TAG) $(BASE)/in "$(TAG)")' +
        '(rslSubstitution=(OUT $(BASE)/out))(stdout=$(OUT))',
    );
    assert.equal(spec.executable, '/scratch/run/bin/app');
    assert.deepEqual(spec.arguments, ['--tag=v1', '/scratch/run/in', '$(TAG)']);
    assert.equal(spec.stdout, '/scratch/run/out');
  });

  it('uses a default value when the variable is not defined', () => {
    assert.equal(rslToJobSpec(job('(directory=$(SCRATCH /tmp))')).directory, '/tmp');
  });

  it('refuses a variable used before any definition, naming it and where', () => {
    const error = refused(
      '&(executable=$(APP))(rsl_substitution=(APP /bin/true))',
      'GRAM_RSL_BAD_VALUE',
      /refers to \$\(APP\) at column 14, but no rsl_substitution before it defines APP/,
    );
    assert.equal(error.details.variable, 'APP');
    assert.equal(error.details.attribute, 'executable');
  });

  it('refuses malformed definitions and runaway expansion', () => {
    refused(job('(rsl_substitution=A b)'), 'GRAM_RSL_BAD_VALUE', /takes \(NAME value\) pairs/);
    refused(job('(rsl_substitution=("" b))'), 'GRAM_RSL_BAD_VALUE', /empty name/);
    let text = '&(rsl_substitution=(V0 xxxxxxxxxxxxxxxx))';
    for (let i = 1; i <= 40; i++) text += `(rsl_substitution=(V${i} $(V${i - 1})$(V${i - 1})))`;
    refused(`${text}(executable=$(V40))`, 'GRAM_RSL_BAD_VALUE', /substitutions grow past 1048576/);
  });
});

describe('rslToJobSpec: refusals', () => {
  it('refuses empty and blank text as an empty description (GRAM 42)', () => {
    for (const text of ['', '  \n\t ', '(* just a comment *)']) {
      const error = refused(text, 'GRAM_EMPTY_DESCRIPTION', /empty/);
      assert.equal(error.gramProtocolCode, 42);
    }
  });

  it('refuses a description without an executable (GRAM 81, UNDEFINED_EXE)', () => {
    const error = refused(
      '&(arguments=a)(count=2)',
      'GRAM_RSL_MISSING_EXECUTABLE',
      /no \(executable=…\)/,
    );
    assert.equal(error.gramProtocolCode, 81);
  });

  it('refuses an empty executable or one with NUL', () => {
    refused('&(executable="")', 'GRAM_RSL_BAD_VALUE', /'executable' at column 3 is empty/);
    refused(
      '&(executable="/bin/e\0cho")',
      'GRAM_RSL_BAD_VALUE',
      /'executable' at column 14 contains a NUL/,
    );
    refused('&(executable=/bin/a /bin/b)', 'GRAM_RSL_BAD_VALUE', /takes one value but was given 2/);
  });

  it('refuses NUL in arguments and environment values', () => {
    refused(
      job('(arguments=ok "b\0d")'),
      'GRAM_RSL_BAD_VALUE',
      /'arguments' at column 38 contains a NUL/,
    );
    refused(
      job('(environment=(A "x\0"))'),
      'GRAM_RSL_BAD_VALUE',
      /'environment' .* contains a NUL/,
    );
  });

  it('refuses multi-requests, disjunctions, bare relations and nested booleans', () => {
    refused(
      '+(&(executable=/bin/a))(&(executable=/bin/b))',
      'GRAM_RSL_SYNTAX',
      /multi-request.*not supported yet/,
    );
    refused('|(&(executable=/bin/a))(&(executable=/bin/b))', 'GRAM_RSL_SYNTAX', /disjunction/);
    refused('executable=/bin/a', 'GRAM_RSL_SYNTAX', /bare relation .*&\(executable=…\)/);
    refused(
      job('(+(count=1))'),
      'GRAM_RSL_SYNTAX',
      /nests a '\+' at column 25.*multi-requests are not supported/,
    );
    refused(job('(|(queue=a)(queue=b))'), 'GRAM_RSL_SYNTAX', /nests a '\|' at column 25/);
  });

  it('passes syntax errors through with their position', () => {
    refused(
      job('(arguments="hello)'),
      'GRAM_RSL_SYNTAX',
      /unterminated quoted string starting at column 35/,
    );
  });

  it('refuses unknown attributes, listing the supported ones', () => {
    const error = refused(
      job('(colour=blue)'),
      'GRAM_RSL_UNKNOWN_ATTRIBUTE',
      /'colour' \(at column 25\) is not an attribute Weft knows/,
    );
    assert.match(error.message, new RegExp(SUPPORTED_RSL_ATTRIBUTES.join(', ')));
    assert.equal(error.details.attribute, 'colour');
    assert.equal(error.gramProtocolCode, 1);
  });

  it('refuses GRAM attributes Weft does not implement, by name', () => {
    for (const name of ['save_state', 'two_phase', 'restart', 'file_stage_in', 'scratchDir']) {
      refused(
        job(`(${name}=yes)`),
        'GRAM_RSL_UNKNOWN_ATTRIBUTE',
        new RegExp(`'${name}' .*is a GRAM attribute that Weft does not support`),
        /the supported attributes are executable, arguments, environment/,
      );
    }
  });

  it('refuses a repeated attribute, also when spelt differently', () => {
    refused(
      job('(count=1)(count=2)'),
      'GRAM_RSL_BAD_VALUE',
      /'count' twice, at column 25 and again at column 34/,
    );
    refused(job('(maxWallTime=1)(max_wall_time=2)'), 'GRAM_RSL_BAD_VALUE', /'max_wall_time' twice/);
  });

  it('refuses relation operators other than =', () => {
    for (const op of ['<', '<=', '>', '>=', '!=']) {
      refused(
        job(`(count${op}2)`),
        'GRAM_RSL_BAD_VALUE',
        new RegExp(`'count${op}…' at column 25 uses '${op}'`),
      );
    }
  });

  it('refuses counts and limits that are not whole numbers in range', () => {
    const cases: [string, string][] = [
      ['count', '0'],
      ['count', '100001'],
      ['count', '-1'],
      ['count', '1.5'],
      ['count', 'abc'],
      ['count', '5abc'],
      ['hostCount', '0'],
      ['maxWallTime', '0'],
      ['maxTime', 'soon'],
      ['maxCpuTime', '99999999999'],
      ['maxMemory', '-5'],
      ['minMemory', ''],
    ];
    for (const [name, value] of cases) {
      const error = refused(
        job(`(${name}="${value}")`),
        'GRAM_RSL_BAD_VALUE',
        new RegExp(`'${name}' at column 25 must be a whole number`),
      );
      assert.equal(error.details.value, value);
    }
    refused(
      job('(count=1 2)'),
      'GRAM_RSL_BAD_VALUE',
      /'count' at column 25 takes one value but was given 2/,
    );
    refused(
      job('(minMemory=600)(maxMemory=500)'),
      'GRAM_RSL_BAD_VALUE',
      /minMemory=600 .* more than its maxMemory=500/,
    );
  });

  it('refuses job types other than single and multiple', () => {
    refused(
      job('(jobType=mpi)'),
      'GRAM_RSL_BAD_VALUE',
      /jobType "mpi" .* Weft does not run yet; use single or multiple/,
    );
    refused(job('(jobType=condor)'), 'GRAM_RSL_BAD_VALUE', /"condor"/);
    refused(job('(jobType=parallel)'), 'GRAM_RSL_BAD_VALUE', /"parallel" .* is not a job type/);
  });

  it('answers dryRun=yes with GRAM_DRY_RUN (GRAM 41) and refuses other values', () => {
    const error = refused(job('(dryRun=yes)'), 'GRAM_DRY_RUN', /dry run/);
    assert.equal(error.gramProtocolCode, 41);
    assert.equal(rslToJobSpec(job('(dry_run=NO)')).executable, '/bin/echo');
    refused(
      job('(dryRun=maybe)'),
      'GRAM_RSL_BAD_VALUE',
      /'dryRun' at column 25 must be yes or no, but is "maybe"/,
    );
  });

  it('refuses malformed environments', () => {
    const example = /takes \(NAME value\) pairs/;
    refused(job('(environment=A 1)'), 'GRAM_RSL_BAD_VALUE', example);
    refused(job('(environment=(A))'), 'GRAM_RSL_BAD_VALUE', example);
    refused(job('(environment=(A 1 2))'), 'GRAM_RSL_BAD_VALUE', example);
    refused(job('(environment=((A) 1))'), 'GRAM_RSL_BAD_VALUE', example);
    refused(
      job('(environment=(1A x))'),
      'GRAM_RSL_BAD_VALUE',
      /name "1A" at column 38 is not a valid name/,
    );
    refused(job('(environment=("A-B" x))'), 'GRAM_RSL_BAD_VALUE', /name "A-B"/);
    refused(
      job('(environment=(A 1)(A 2))'),
      'GRAM_RSL_BAD_VALUE',
      /sets the environment variable A twice/,
    );
  });

  it('refuses a parenthesised list where plain values belong', () => {
    refused(
      job('(arguments=a (b c))'),
      'GRAM_RSL_BAD_VALUE',
      /'arguments' takes plain values, but has a parenthesised list at column 37/,
    );
    refused(job('(stdout=(a))'), 'GRAM_RSL_BAD_VALUE', /'stdout' takes plain values/);
  });
});
