/** JSDL 1.0 job descriptions: every element Weft maps, the clauses resources become, every refusal. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matches, parseJobExpressions, siteAd, jobAd } from '../../../../services/broker/index.ts';
import { isGridError } from '../../../../services/common/errors.ts';
import { readJobDescription } from '../../../../services/gram/description/index.ts';
import { rslToJobSpec } from '../../../../services/gram/rsl/index.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const NS =
  'xmlns:jsdl="http://schemas.ggf.org/jsdl/2005/11/jsdl" xmlns:posix="http://schemas.ggf.org/jsdl/2005/11/jsdl-posix" ' +
  'xmlns:w="http://weft.grid/ns/2026/job-extensions"';
const APP = '<jsdl:Application><posix:POSIXApplication><posix:Executable>/bin/echo</posix:Executable></posix:POSIXApplication></jsdl:Application>';
const definition = (description: string) => `<jsdl:JobDefinition ${NS}>\n<jsdl:JobDescription>\n${description}\n</jsdl:JobDescription>\n</jsdl:JobDefinition>`;
const withApp = (rest: string) => definition(`${APP}\n${rest}`);
const posix = (inner: string) =>
  definition(`<jsdl:Application><posix:POSIXApplication><posix:Executable>/bin/echo</posix:Executable>${inner}</posix:POSIXApplication></jsdl:Application>`);
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

describe('JSDL 1.0 job description', () => {
  it('maps every supported element to the JobSpec the equivalent RSL gives', () => {
    const xml = `<?xml version="1.0"?>
<jsdl:JobDefinition ${NS} id="job-1">
  <jsdl:JobDescription>
    <jsdl:JobIdentification>
      <jsdl:JobName>blast run</jsdl:JobName>
      <jsdl:Description>for people</jsdl:Description>
      <jsdl:JobAnnotation>note</jsdl:JobAnnotation>
      <jsdl:JobProject>biomed</jsdl:JobProject>
    </jsdl:JobIdentification>
    <jsdl:Application>
      <jsdl:ApplicationName>echo</jsdl:ApplicationName>
      <posix:POSIXApplication name="echo">
        <posix:Executable>/bin/echo</posix:Executable>
        <posix:Argument>hello  grid</posix:Argument>
        <posix:Argument>$HOME;|&amp;</posix:Argument>
        <posix:Input>/dev/null</posix:Input>
        <posix:Output>out.txt</posix:Output>
        <posix:Error>err.txt</posix:Error>
        <posix:WorkingDirectory>/tmp</posix:WorkingDirectory>
        <posix:Environment name="LANG">C</posix:Environment>
        <posix:WallTimeLimit>3601</posix:WallTimeLimit>
        <posix:MemoryLimit>536870912</posix:MemoryLimit>
        <posix:CPUTimeLimit>60</posix:CPUTimeLimit>
      </posix:POSIXApplication>
    </jsdl:Application>
    <jsdl:Resources>
      <jsdl:TotalCPUCount><jsdl:Exact>2.0</jsdl:Exact></jsdl:TotalCPUCount>
      <jsdl:IndividualPhysicalMemory><jsdl:Exact>536870912</jsdl:Exact></jsdl:IndividualPhysicalMemory>
    </jsdl:Resources>
    <w:requirements>member("blast", other.Tags)</w:requirements>
    <w:rank>other.FreeCpus</w:rank>
    <w:budget>10</w:budget>
    <w:deadline>2026-01-01T18:00:00Z</w:deadline>
    <w:optimise>time</w:optimise>
    <w:queue>short</w:queue>
  </jsdl:JobDescription>
</jsdl:JobDefinition>`;
    const rsl =
      '&(executable=/bin/echo)(arguments="hello  grid" "$HOME;|&")(stdin=/dev/null)(stdout=out.txt)(stderr=err.txt)' +
      '(directory=/tmp)(environment=(LANG C))(maxWallTime=61)(maxMemory=512)(count=2)(project=biomed)(queue=short)' +
      '(requirements="member(""blast"", other.Tags)")(rank="other.FreeCpus")(budget=10)' +
      '(deadline="2026-01-01T18:00:00Z")(optimise=time)';
    const { format, spec } = read(xml);
    assert.equal(format, 'jsdl');
    assert.deepEqual(spec, rslToJobSpec(rsl, NOW));
  });

  it('reads the HPC Basic Profile application and a bare TotalCPUCount value', () => {
    const { spec } = read(
      definition(
        '<jsdl:Application><hpcpa:HPCProfileApplication xmlns:hpcpa="http://schemas.ggf.org/jsdl/2006/07/jsdl-hpcpa">' +
          '<hpcpa:Executable>/bin/true</hpcpa:Executable><hpcpa:Argument>x</hpcpa:Argument></hpcpa:HPCProfileApplication></jsdl:Application>' +
          '<jsdl:Resources><jsdl:TotalCPUCount>3</jsdl:TotalCPUCount></jsdl:Resources>',
      ),
    );
    assert.deepEqual(spec, { executable: '/bin/true', arguments: ['x'], environment: {}, count: 3 });
  });

  it('rounds seconds up to minutes and bytes up to MB', () => {
    assert.equal(read(posix('<posix:WallTimeLimit>1</posix:WallTimeLimit>')).spec.maxWallTime, 1);
    assert.equal(read(posix('<posix:WallTimeLimit>120</posix:WallTimeLimit>')).spec.maxWallTime, 2);
    assert.equal(read(posix('<posix:MemoryLimit>1048577</posix:MemoryLimit>')).spec.maxMemory, 2);
    assert.equal(read(posix('<posix:MemoryLimit>17179869184</posix:MemoryLimit>')).spec.maxMemory, 16_384);
    const lower = '<jsdl:IndividualPhysicalMemory><jsdl:LowerBoundedRange>1073741824</jsdl:LowerBoundedRange></jsdl:IndividualPhysicalMemory>';
    assert.equal(read(withApp(`<jsdl:Resources>${lower}</jsdl:Resources>`)).spec.maxMemory, 1024);
  });

  it('turns CandidateHosts, OperatingSystem and CPUArchitecture into requirements after the job\'s own', () => {
    const resources =
      '<jsdl:Resources>' +
      '<jsdl:CandidateHosts><jsdl:HostName>alpha</jsdl:HostName><jsdl:HostName>be"ta</jsdl:HostName></jsdl:CandidateHosts>' +
      '<jsdl:OperatingSystem><jsdl:OperatingSystemType><jsdl:OperatingSystemName>MACOS</jsdl:OperatingSystemName></jsdl:OperatingSystemType>' +
      '<jsdl:Description>any</jsdl:Description></jsdl:OperatingSystem>' +
      '<jsdl:CPUArchitecture><jsdl:CPUArchitectureName>x86_64</jsdl:CPUArchitectureName></jsdl:CPUArchitecture>' +
      '</jsdl:Resources>';
    const { spec } = read(withApp(`${resources}<w:requirements>other.FreeCpus &gt; 1 || other.Price &lt; 1</w:requirements>`));
    assert.equal(
      spec.requirements,
      '(other.FreeCpus > 1 || other.Price < 1) && member(other.Name, {"alpha", "be\\"ta"}) && ' +
        'other.OpSys == "darwin" && other.Arch == "x86_64"',
    );
    const alone = read(withApp('<jsdl:Resources><jsdl:CPUArchitecture><jsdl:CPUArchitectureName>x86</jsdl:CPUArchitectureName></jsdl:CPUArchitecture>' +
      '<jsdl:OperatingSystem><jsdl:OperatingSystemType><jsdl:OperatingSystemName>LINUX</jsdl:OperatingSystemName></jsdl:OperatingSystemType></jsdl:OperatingSystem></jsdl:Resources>')).spec;
    assert.equal(alone.requirements, 'member(other.Arch, {"i686", "i386", "x86_64"}) && other.OpSys == "linux"');
    // The clauses work on what a site agent publishes.
    const { requirements } = parseJobExpressions(alone);
    const site = { name: 'alpha', contact: 'h', lrms: 'fork', totalSlots: 2, reservedSlots: 0, ttlSeconds: 30, updatedAt: new Date(NOW).toISOString() };
    const my = jobAd({ owner: '/O=Grid/CN=x', spec: alone });
    assert.ok(requirements);
    assert.equal(matches(requirements, { my, other: siteAd({ ...site, opSys: 'linux', arch: 'x86_64' }, NOW) }), true);
    assert.equal(matches(requirements, { my, other: siteAd({ ...site, opSys: 'linux', arch: 'aarch64' }, NOW) }), false);
    assert.equal(matches(requirements, { my, other: siteAd({ ...site, opSys: 'darwin', arch: 'x86_64' }, NOW) }), false);
  });

  it('checks the job\'s own requirements alone first, so a syntax error names its column', () => {
    const os = '<jsdl:Resources><jsdl:OperatingSystem><jsdl:OperatingSystemType><jsdl:OperatingSystemName>LINUX</jsdl:OperatingSystemName></jsdl:OperatingSystemType></jsdl:OperatingSystem></jsdl:Resources>';
    refused(withApp(`${os}<w:requirements>other.FreeCpus &gt;= 2 &amp;&amp;</w:requirements>`), 'BROKER_EXPRESSION_SYNTAX', /the requirements expression has a syntax error at column 23/);
    const { spec } = read(withApp('<w:rank>other.FreeCpus +</w:rank>'));
    assert.throws(() => parseJobExpressions(spec), /the rank expression has a syntax error at column 17/);
  });

  it('refuses ranges it cannot map, with the value to write', () => {
    const count = (inner: string) => withApp(`<jsdl:Resources><jsdl:TotalCPUCount>${inner}</jsdl:TotalCPUCount></jsdl:Resources>`);
    refused(count('<jsdl:UpperBoundedRange>4</jsdl:UpperBoundedRange>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<jsdl:TotalCPUCount> .* gives <jsdl:UpperBoundedRange>, but Weft needs one value here: write <jsdl:Exact>4<\/jsdl:Exact>/);
    refused(count('<jsdl:LowerBoundedRange>4</jsdl:LowerBoundedRange>'), 'GRAM_DESCRIPTION_BAD_VALUE', /gives <jsdl:LowerBoundedRange>/);
    refused(count('<jsdl:Range><jsdl:LowerBound>1</jsdl:LowerBound><jsdl:UpperBound>4</jsdl:UpperBound></jsdl:Range>'), 'GRAM_DESCRIPTION_BAD_VALUE', /gives <jsdl:Range>/);
    refused(count('<jsdl:Exact>1</jsdl:Exact><jsdl:Exact>2</jsdl:Exact>'), 'GRAM_DESCRIPTION_BAD_VALUE', /gives several values/);
    refused(count('<jsdl:Exact>2.5</jsdl:Exact>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<jsdl:Exact> .* must be a whole number from 1 to 100000, but is "2.5"/);
    refused(
      withApp('<jsdl:Resources><jsdl:IndividualPhysicalMemory><jsdl:LowerBoundedRange exclusiveBound="true">1</jsdl:LowerBoundedRange></jsdl:IndividualPhysicalMemory></jsdl:Resources>'),
      'GRAM_DESCRIPTION_BAD_VALUE',
      /is an exclusive bound/,
    );
  });

  it('refuses what Weft cannot honour by name, never dropping it', () => {
    refused(withApp('<jsdl:DataStaging><jsdl:FileName>in</jsdl:FileName></jsdl:DataStaging>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /<jsdl:DataStaging> at line 4, column 1 asks for file staging/);
    refused(posix('<posix:StackSizeLimit>1</posix:StackSizeLimit>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /<posix:StackSizeLimit> .* is a limit Weft sites do not apply/);
    refused(posix('<posix:UserName>root</posix:UserName>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /grid-mapfile/);
    refused(posix('<posix:Output filesystemName="HOME">out</posix:Output>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /has the attribute filesystemName, which Weft does not read/);
    refused(withApp('<jsdl:Resources><jsdl:ExclusiveExecution>true</jsdl:ExclusiveExecution></jsdl:Resources>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /<jsdl:ExclusiveExecution> .* is a JSDL resource Weft cannot honour/);
    refused(withApp('<jsdl:Resources><jsdl:FileSystem name="x"/></jsdl:Resources>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /<jsdl:FileSystem>/);
    refused(
      withApp('<jsdl:Resources><jsdl:OperatingSystem><jsdl:OperatingSystemType><jsdl:OperatingSystemName>LINUX</jsdl:OperatingSystemName></jsdl:OperatingSystemType><jsdl:OperatingSystemVersion>6</jsdl:OperatingSystemVersion></jsdl:OperatingSystem></jsdl:Resources>'),
      'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT',
      /asks for an OS version, which Weft sites do not publish/,
    );
    refused(withApp('<jsdl:Resources><jsdl:CPUArchitecture><jsdl:CPUArchitectureName>other</jsdl:CPUArchitectureName></jsdl:CPUArchitecture></jsdl:Resources>'), 'GRAM_DESCRIPTION_BAD_VALUE', /is "other", which Weft cannot match; use one of x86_64/);
    refused(withApp('<x:Thing xmlns:x="urn:vendor"/>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /<x:Thing> .* is an extension in the namespace "urn:vendor"; Weft reads only its own/);
    refused(withApp('<w:colour>red</w:colour>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /is not a Weft job extension/);
    refused(definition('<jsdl:Application><spmd:SPMDApplication xmlns:spmd="http://schemas.ogf.org/jsdl/2007/02/jsdl-spmd"/></jsdl:Application>'), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /is not an application Weft runs/);
    refused(`<jsdl:JobDefinition ${NS}><jsdl:JobDescription>${APP}</jsdl:JobDescription><jsdl:JobDescription/></jsdl:JobDefinition>`, 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', /a JobDefinition holds one JobDescription only/);
  });

  it('checks values with the RSL rules, naming the element', () => {
    refused(posix('<posix:Environment name="1X">v</posix:Environment>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<posix:Environment> .* names the variable "1X", which is not a valid name/);
    refused(posix('<posix:Environment>v</posix:Environment>'), 'GRAM_DESCRIPTION_BAD_VALUE', /has no name attribute/);
    refused(posix('<posix:Environment name="A">1</posix:Environment><posix:Environment name="A">2</posix:Environment>'), 'GRAM_DESCRIPTION_BAD_VALUE', /sets the environment variable A a second time/);
    refused(posix('<posix:WallTimeLimit>0</posix:WallTimeLimit>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<posix:WallTimeLimit> .* must be a whole number of seconds from 1/);
    refused(posix('<posix:WallTimeLimit>1h</posix:WallTimeLimit>'), 'GRAM_DESCRIPTION_BAD_VALUE', /but is "1h"/);
    refused(posix('<posix:MemoryLimit>1048576</posix:MemoryLimit>') .replace('</jsdl:Application>', '</jsdl:Application><jsdl:Resources><jsdl:IndividualPhysicalMemory><jsdl:Exact>2097152</jsdl:Exact></jsdl:IndividualPhysicalMemory></jsdl:Resources>'), 'GRAM_DESCRIPTION_BAD_VALUE', /asks for 2 MB of memory, but <posix:MemoryLimit> asked for 1 MB/);
    refused(posix('<posix:Executable>/bin/true</posix:Executable>'), 'GRAM_DESCRIPTION_BAD_VALUE', /repeats <posix:Executable>/);
    refused(withApp('<jsdl:JobIdentification><jsdl:JobProject>a</jsdl:JobProject><jsdl:JobProject>b</jsdl:JobProject></jsdl:JobIdentification>'), 'GRAM_DESCRIPTION_BAD_VALUE', /repeats <jsdl:JobProject>/);
    refused(withApp('<w:budget>lots</w:budget>'), 'GRAM_DESCRIPTION_BAD_VALUE', /<w:budget> .* is not a decimal amount/);
    refused(withApp('<w:deadline>0</w:deadline>'), 'GRAM_DESCRIPTION_BAD_VALUE', /is not in the future/);
    refused(withApp('<jsdl:Resources><jsdl:CandidateHosts/></jsdl:Resources>'), 'GRAM_DESCRIPTION_BAD_VALUE', /names no <HostName>/);
  });

  it('needs an executable and one JobDescription', () => {
    refused(definition('<jsdl:JobIdentification><jsdl:JobName>x</jsdl:JobName></jsdl:JobIdentification>'), 'GRAM_DESCRIPTION_MISSING_EXECUTABLE', /has no jsdl-posix:Executable, so there is nothing to run/);
    refused(`<jsdl:JobDefinition ${NS}/>`, 'GRAM_DESCRIPTION_BAD_VALUE', /must hold one <jsdl:JobDescription>/);
  });
});

describe('choosing the reader', () => {
  it('reads RSL, GT4 and JSDL by the first character and the root element', () => {
    assert.equal(read('&(executable=/bin/true)').format, 'rsl');
    assert.equal(read('  \n<job><executable>/bin/true</executable></job>').format, 'gt4');
    assert.equal(read(withApp('')).format, 'jsdl');
  });

  it('refuses another root element or namespace, saying which formats it reads', () => {
    refused('<job xmlns="urn:other"/>', 'GRAM_DESCRIPTION_FORMAT', /root element <job> in the namespace "urn:other" is not one Weft reads; it reads RSL .*a GT4 job description .*JSDL 1.0 <JobDefinition>/);
    refused('<JobDefinition/>', 'GRAM_DESCRIPTION_FORMAT', /<JobDefinition> in no namespace/);
    refused('<bes:CreateActivity xmlns:bes="http://schemas.ggf.org/bes/2006/08/bes-factory"/>', 'GRAM_DESCRIPTION_FORMAT', /<bes:CreateActivity>/);
  });
});
