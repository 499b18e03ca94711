/** GT4 WS-GRAM job descriptions: every element Weft maps, and every refusal, by name. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJobExpressions } from '../../../../services/broker/index.ts';
import { isGridError } from '../../../../services/common/errors.ts';
import { readJobDescription } from '../../../../services/gram/description/index.ts';
import { rslToJobSpec } from '../../../../services/gram/rsl/index.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const GT4 = 'http://www.globus.org/namespaces/2004/10/gram/job/description';
const EXT = 'http://weft.grid/ns/2026/job-extensions';
const job = (inner: string) => `<job xmlns="${GT4}" xmlns:w="${EXT}">\n  <executable>/bin/echo</executable>\n  ${inner}\n</job>`;
const read = (text: string) => readJobDescription(text, NOW);

function refused(text: string, code: string, ...patterns: RegExp[]) {
  assert.throws(
    () => read(text),
    (error: unknown) => {
      assert.ok(isGridError(error, code), `expected ${code}, got ${String(error)}`);
      for (const pattern of patterns) assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('GT4 job description', () => {
  it('maps every supported element to the JobSpec the same RSL gives', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<job xmlns="${GT4}" xmlns:w="${EXT}">
  <executable> /bin/echo </executable>
  <directory>/tmp</directory>
  <argument>hello  grid</argument>
  <argument>$HOME; rm -rf / &amp; "quoted"</argument>
  <argument></argument>
  <environment><name>LANG</name><value>C</value></environment>
  <environment><name>EMPTY</name><value/></environment>
  <stdin>/dev/null</stdin>
  <stdout>out.txt</stdout>
  <stderr>err.txt</stderr>
  <count>2</count>
  <hostCount>1</hostCount>
  <project>biomed</project>
  <queue>short</queue>
  <maxWallTime>30</maxWallTime>
  <maxTime>45</maxTime>
  <maxCpuTime>20</maxCpuTime>
  <maxMemory>512</maxMemory>
  <minMemory>256</minMemory>
  <jobType>multiple</jobType>
  <extensions>
    <w:requirements>other.FreeCpus &gt;= my.Count &amp;&amp; member("blast", other.Tags)</w:requirements>
    <w:rank>-other.Price</w:rank>
    <w:budget>2.5</w:budget>
    <w:deadline>90</w:deadline>
    <w:optimise>COST</w:optimise>
  </extensions>
</job>`;
    const rsl =
      '&(executable=/bin/echo)(directory=/tmp)(arguments="hello  grid" "$HOME; rm -rf / & ""quoted""" "")' +
      '(environment=(LANG C)(EMPTY ""))(stdin=/dev/null)(stdout=out.txt)(stderr=err.txt)(count=2)(hostCount=1)' +
      '(project=biomed)(queue=short)(maxWallTime=30)(maxTime=45)(maxCpuTime=20)(maxMemory=512)(minMemory=256)' +
      '(jobType=multiple)(requirements="other.FreeCpus >= my.Count && member(""blast"", other.Tags)")' +
      '(rank="-other.Price")(budget=2.5)(deadline=90)(optimise=COST)';
    const { format, spec } = read(xml);
    assert.equal(format, 'gt4');
    assert.deepEqual(spec, rslToJobSpec(rsl, NOW));
    assert.equal(spec.deadline, '2026-01-01T13:30:00.000Z');
    assert.deepEqual(spec.arguments, ['hello  grid', '$HOME; rm -rf / & "quoted"', '']);
  });

  it('reads a <job> in no namespace, as globusrun-ws wrote it, with unqualified extensions', () => {
    const { spec } = read(
      '<job><executable>/bin/hostname</executable><maxTime>5</maxTime>' +
        '<extensions><requirements>other.Name == "beta"</requirements></extensions></job>',
    );
    assert.deepEqual(spec, {
      executable: '/bin/hostname',
      arguments: [],
      environment: {},
      count: 1,
      maxWallTime: 5,
      requirements: 'other.Name == "beta"',
    });
  });

  it('refuses what Weft does not run by name, never dropping it', () => {
    refused(job('<fileStageIn><transfer/></fileStageIn>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /element <fileStageIn> at line 3, column 3 asks for file staging/);
    refused(job('<fileStageOut/>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /<fileStageOut>/);
    refused(job('<fileCleanUp/>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /<fileCleanUp> .* file clean-up/);
    refused(job('<libraryPath>/opt/lib</libraryPath>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /<libraryPath>.*LD_LIBRARY_PATH/);
    refused(job('<factoryEndpoint/>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /the Weft broker chooses the site/);
    refused(job('<jobCredentialEndpoint/>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /delegatedCredentialEpr/);
    refused(job('<holdState>Pending</holdState>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /<holdState>/);
    refused(job('<colour>blue</colour>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /<colour> .* is not an element of the GT4 job description; the supported ones are executable, directory/);
    refused(job('<x:count xmlns:x="urn:other">2</x:count>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /<x:count> .* is not in the namespace of <job>/);
    refused(job('<count units="cpus">2</count>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /has the attribute units, which Weft does not read/);
    refused(
      `<multiJob xmlns="${GT4}"><job><executable>/bin/true</executable></job></multiJob>`,
      'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT',
      /a GT4 <multiJob>, and multi-jobs are not supported yet/,
    );
  });

  it('refuses extension elements that are not Weft\'s', () => {
    refused(job('<extensions><w:colour>red</w:colour></extensions>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /<w:colour> .* is not a Weft job extension; the extensions are <requirements>, <rank>/);
    refused(job('<extensions><requirements>true</requirements></extensions>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /is in the namespace "http:\/\/www.globus.org/);
    refused(job('<extensions><w:queue>q</w:queue></extensions>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /<w:queue>/);
  });

  it('checks values with the RSL rules, naming the element and where it is', () => {
    refused(job('<count>two</count>'), 'GRAM_DESCRIPTION_BAD_VALUE', /the GT4 job description element <count> at line 3, column 3 must be a whole number from 1 to 100000, but is "two"/);
    refused(job('<count>0</count>'), 'GRAM_DESCRIPTION_BAD_VALUE', /from 1 to 100000/);
    refused(job('<maxWallTime>5abc</maxWallTime>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<maxWallTime> .* must be a whole number from 1 to 2147483647/);
    refused(job('<hostCount>-1</hostCount>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<hostCount>/);
    refused(job('<maxCpuTime>x</maxCpuTime>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<maxCpuTime>/);
    refused(job('<maxMemory>100</maxMemory><minMemory>200</minMemory>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<minMemory> .* asks for 200 MB, more than its <maxMemory> of 100 MB/);
    refused(job('<jobType>mpi</jobType>'), 'GRAM_DESCRIPTION_BAD_VALUE', /is a GRAM job type that Weft does not run yet; use single or multiple/);
    refused(job('<environment><name>1BAD</name><value>x</value></environment>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<name> .* is not a valid name/);
    refused(job('<environment><name>A</name><value>1</value></environment><environment><name>A</name><value>2</value></environment>'), 'GRAM_DESCRIPTION_BAD_VALUE', /sets the environment variable A a second time/);
    refused(job('<environment><name>A</name></environment>'), 'GRAM_DESCRIPTION_BAD_VALUE', /needs both a <name> and a <value>/);
    refused(job('<queue>  </queue>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<queue> .* is empty/);
    refused(job('<project><x/></project>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<project> .* holds the element <x>, but takes text only/);
    refused(job('<argument>a&#0;b</argument>'), 'GRAM_DESCRIPTION_MALFORMED', /line 3, column \d+ \(Invalid character entity\)/);
    refused(job('<count>1</count><count>2</count>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<count> at line 3, column 19 repeats <count> \(first at line 3, column 3\), which may be given once/);
    refused(job('<stdout>${GLOBUS_USER_HOME}/out</stdout>'), 'GRAM_DESCRIPTION_BAD_VALUE', /uses the GT4 variable \$\{GLOBUS_USER_HOME\}, which Weft does not substitute/);
    refused(job('<extensions><w:budget>-1</w:budget></extensions>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<w:budget> .* is negative; give a non-negative amount/);
    refused(job('<extensions><w:deadline>2020-01-01T00:00:00Z</w:deadline></extensions>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<w:deadline> .* is in the past/);
    refused(job('<extensions><w:optimise>speed</w:optimise></extensions>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<w:optimise> .* is not cost or time/);
    refused(job('<extensions><w:rank>1</w:rank><w:rank>2</w:rank></extensions>'), 'GRAM_DESCRIPTION_BAD_VALUE', /repeats <w:rank>/);
  });

  it('needs an executable', () => {
    refused(`<job xmlns="${GT4}"><count>1</count></job>`, 'GRAM_DESCRIPTION_MISSING_EXECUTABLE', /has no <executable>, so there is nothing to run/);
    refused(`<job xmlns="${GT4}"><executable> </executable></job>`, 'GRAM_DESCRIPTION_BAD_VALUE', /<executable> .* is empty/);
  });

  it('keeps requirements as written, so a syntax error names its column as in RSL', () => {
    const { spec } = read(job('<extensions><w:requirements>other.FreeCpus &gt;= 2 &amp;&amp;</w:requirements></extensions>'));
    assert.throws(
      () => parseJobExpressions(spec),
      (error: unknown) => {
        assert.ok(isGridError(error, 'BROKER_EXPRESSION_SYNTAX'), String(error));
        assert.match(error.message, /the requirements expression has a syntax error at column 23: expected an operand after '&&'/);
        return true;
      },
    );
  });
});
