/**
 * JSDL 1.0 `Resources` → JobSpec: TotalCPUCount is the count, IndividualPhysicalMemory the
 * memory (bytes → MB, rounded up), and CandidateHosts, OperatingSystem and CPUArchitecture become
 * requirements clauses on what sites publish (services/broker/matching/site-ad.ts):
 *
 *   CandidateHosts/HostName alpha, beta   → member(other.Name, {"alpha", "beta"})
 *       (a host here is a Weft site: sites are what the broker chooses among)
 *   OperatingSystemName LINUX             → other.OpSys == "linux"
 *   CPUArchitectureName x86_64            → other.Arch == "x86_64"
 *   CPUArchitectureName x86               → member(other.Arch, {"i686", "i386", "x86_64"})
 *
 * Sites publish Node's names (`linux`, `darwin`, `x86_64`, `aarch64`…), so JSDL's enumerations
 * are translated; `==` and `member` compare strings ignoring case. A range where Weft needs one
 * value, and elements Weft cannot honour, are refused by name.
 */
import { JSDL_NAMESPACE } from './jsdl-namespaces.ts';
import * as rule from './job-values.ts';
import {
  badValue,
  checkAttributes,
  nonEmptyText,
  readByRule,
  SeenOnce,
  unsupported,
  type XmlSource,
} from './read-xml-values.ts';
import type { XmlElement } from './read-xml.ts';

/** What Resources adds to the job. */
export interface JsdlResources {
  count?: number;
  maxMemory?: number;
  /** Requirements clauses, in document order. */
  readonly clauses: string[];
}

const BYTES_PER_MB = 1024 * 1024;

/** JSDL OperatingSystemTypeEnumeration values whose published name differs (Node's `os.platform()`). */
const OS_NAMES: Readonly<Record<string, string>> = {
  LINUX: 'linux',
  MACOS: 'darwin',
  FreeBSD: 'freebsd',
  OpenBSD: 'openbsd',
  NetBSD: 'netbsd',
  Solaris: 'sunos',
  SunOS: 'sunos',
  AIX: 'aix',
  WINNT: 'win32',
  Windows_2000: 'win32',
  Windows_XP: 'win32',
};

/** JSDL ProcessorArchitectureEnumeration → the names sites publish (`uname -m` style). */
const ARCH_NAMES: Readonly<Record<string, readonly string[]>> = {
  x86_64: ['x86_64'],
  x86_32: ['i686', 'i386'],
  x86: ['i686', 'i386', 'x86_64'],
  arm: ['aarch64', 'arm'],
  powerpc: ['ppc64', 'ppc64le', 'ppc'],
  sparc: ['sparc', 'sparc64'],
  mips: ['mips', 'mipsel'],
  ia64: ['ia64'],
  parisc: ['parisc'],
};

/** Reads `Resources` (in the JSDL namespace); throws GRAM_DESCRIPTION_* faults. */
export function readJsdlResources(source: XmlSource, resources: XmlElement): JsdlResources {
  const result: JsdlResources = { clauses: [] };
  const seen = new SeenOnce(source);
  checkAttributes(source, resources);
  if (resources.text.trim() !== '') throw badValue(source, resources, 'holds text outside its elements');
  for (const element of resources.children) {
    if (element.uri !== JSDL_NAMESPACE) {
      throw unsupported(source, element, `is not a JSDL resource element (namespace "${element.uri}")`);
    }
    seen.check(element);
    switch (element.local) {
      case 'TotalCPUCount':
        result.count = readByRule(source, exactValue(source, element, false), (raw) =>
          rule.wholeNumber(integerText(raw), rule.COUNT_MAX),
        );
        break;
      case 'IndividualPhysicalMemory':
        result.maxMemory = readByRule(source, exactValue(source, element, true), (raw) =>
          scaledWholeNumber(raw, BYTES_PER_MB, 'bytes', 'MB'),
        );
        break;
      case 'CandidateHosts':
        result.clauses.push(candidateHosts(source, element));
        break;
      case 'OperatingSystem':
        result.clauses.push(operatingSystem(source, element));
        break;
      case 'CPUArchitecture':
        result.clauses.push(cpuArchitecture(source, element));
        break;
      default:
        throw unsupported(
          source,
          element,
          'is a JSDL resource Weft cannot honour; it reads TotalCPUCount, IndividualPhysicalMemory, ' +
            'CandidateHosts, OperatingSystem and CPUArchitecture',
        );
    }
  }
  return result;
}

/**
 * A whole number of `unit` (digits; JSDL's xsd:double may add ".0") made a whole number of
 * `into`, rounding up: 90 seconds is 2 minutes, 1 byte is 1 MB.
 */
export function scaledWholeNumber(raw: string, per: number, unit: string, into: string): rule.Reading<number> {
  const digits = integerText(raw);
  const n = /^[0-9]{1,16}$/.test(digits) ? Number(digits) : NaN;
  const scaled = Math.ceil(n / per);
  if (n >= 1 && scaled <= rule.INT_MAX) return { ok: true, value: scaled };
  return {
    ok: false,
    why: `must be a whole number of ${unit} from 1 to ${rule.INT_MAX * per} (${rule.INT_MAX} ${into}), but is ${rule.showValue(raw)}`,
  };
}

/** "4.0" → "4": JSDL numbers are xsd:double, but counts and sizes here are whole. */
function integerText(raw: string): string {
  return raw.replace(/^([0-9]+)\.0*$/, '$1');
}

/**
 * The one value of a RangeValue_Type: `<Exact>` or a bare value; with `lowerBound`, also a
 * `<LowerBoundedRange>` (at least this much, which is what a site must offer). The element
 * returned holds the value as its text.
 */
function exactValue(source: XmlSource, element: XmlElement, lowerBound: boolean): XmlElement {
  checkAttributes(source, element);
  if (element.children.length === 0) return element;
  if (element.text.trim() !== '') throw badValue(source, element, 'holds both text and elements');
  const [first, second] = element.children;
  const accepted = lowerBound ? ['Exact', 'LowerBoundedRange'] : ['Exact'];
  const example = '<jsdl:Exact>4</jsdl:Exact>';
  if (!first || second || first.uri !== JSDL_NAMESPACE || !accepted.includes(first.local)) {
    const what = second ? 'several values' : `<${first?.name ?? '?'}>`;
    throw badValue(
      source,
      element,
      `gives ${what}, but Weft needs one value here: write ${example}` +
        (lowerBound ? ' (or a <jsdl:LowerBoundedRange>)' : ''),
    );
  }
  checkAttributes(source, first, first.local === 'Exact' ? ['epsilon'] : ['exclusiveBound']);
  if (first.attributes.some((a) => a.local === 'exclusiveBound' && a.value.trim() === 'true')) {
    throw badValue(source, first, 'is an exclusive bound, which Weft cannot map; give the bound itself');
  }
  return first;
}

/** A string in the expression language (broker README): quotes and backslashes escaped. */
function expressionString(source: XmlSource, element: XmlElement, value: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) throw badValue(source, element, 'contains a control character');
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The one child of `element` named `local` in the JSDL namespace (others refused). */
function onlyChild(source: XmlSource, element: XmlElement, local: string, ignored: readonly string[] = []): XmlElement {
  let found: XmlElement | undefined;
  for (const child of element.children) {
    if (child.uri === JSDL_NAMESPACE && ignored.includes(child.local)) continue;
    if (child.uri !== JSDL_NAMESPACE || child.local !== local || found) {
      throw unsupported(source, child, `is not read inside <${element.name}>, which takes one <${local}>`);
    }
    found = child;
  }
  if (!found) throw badValue(source, element, `has no <${local}>`);
  checkAttributes(source, found);
  return found;
}

function candidateHosts(source: XmlSource, element: XmlElement): string {
  checkAttributes(source, element);
  const names = element.children.map((child) => {
    if (child.uri !== JSDL_NAMESPACE || child.local !== 'HostName') {
      throw unsupported(source, child, `is not read inside <${element.name}>, which takes <HostName> elements`);
    }
    checkAttributes(source, child);
    return expressionString(source, child, nonEmptyText(source, child));
  });
  if (names.length === 0) throw badValue(source, element, 'names no <HostName>');
  return oneOf('other.Name', names);
}

function operatingSystem(source: XmlSource, element: XmlElement): string {
  checkAttributes(source, element);
  for (const child of element.children) {
    if (child.uri === JSDL_NAMESPACE && child.local === 'OperatingSystemVersion') {
      throw unsupported(source, child, 'asks for an OS version, which Weft sites do not publish');
    }
  }
  const type = onlyChild(source, element, 'OperatingSystemType', ['Description']);
  const nameElement = onlyChild(source, type, 'OperatingSystemName');
  const name = nonEmptyText(source, nameElement);
  if (!/^[A-Za-z0-9_]+$/.test(name) || name === 'other' || name === 'Unknown') {
    throw badValue(source, nameElement, `is ${rule.showValue(name)}, which is not an operating system a site can publish (e.g. LINUX)`);
  }
  return `other.OpSys == ${expressionString(source, nameElement, OS_NAMES[name] ?? name.toLowerCase())}`;
}

function cpuArchitecture(source: XmlSource, element: XmlElement): string {
  checkAttributes(source, element);
  const nameElement = onlyChild(source, element, 'CPUArchitectureName');
  const name = nonEmptyText(source, nameElement);
  const published = ARCH_NAMES[name];
  if (!published) {
    throw badValue(
      source,
      nameElement,
      `is ${rule.showValue(name)}, which Weft cannot match; use one of ${Object.keys(ARCH_NAMES).join(', ')}`,
    );
  }
  return oneOf('other.Arch', published.map((arch) => `"${arch}"`));
}

/** `other.X == "a"` for one value, `member(other.X, {"a", "b"})` for several. */
function oneOf(attribute: string, quoted: readonly string[]): string {
  return quoted.length === 1 ? `${attribute} == ${quoted[0]}` : `member(${attribute}, {${quoted.join(', ')}})`;
}
