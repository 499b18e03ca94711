/**
 * Turns the filter objects ldapjs parsed into the directory's own filter type. The request
 * guard has already bounded the depth, so plain recursion is safe here.
 */
import type { LdapFilter } from 'ldapjs';
import type { Filter } from '../directory/filter.ts';

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return value === undefined || value === null ? '' : String(value);
}

function attributeOf(filter: LdapFilter): string {
  return filter.attribute ?? '';
}

/** Throws a plain Error for a filter type ldapjs should never produce. */
export function convertFilter(filter: LdapFilter): Filter {
  switch (filter.type) {
    case 'AndFilter':
      return { type: 'and', filters: filter.clauses.map(convertFilter) };
    case 'OrFilter':
      return { type: 'or', filters: filter.clauses.map(convertFilter) };
    case 'NotFilter':
      return { type: 'not', filter: convertFilter(filter.filter as LdapFilter) };
    case 'EqualityFilter':
      return { type: 'equality', attribute: attributeOf(filter), value: text(filter.value) };
    case 'GreaterThanEqualsFilter':
      return { type: 'greaterOrEqual', attribute: attributeOf(filter), value: text(filter.value) };
    case 'LessThanEqualsFilter':
      return { type: 'lessOrEqual', attribute: attributeOf(filter), value: text(filter.value) };
    case 'ApproximateFilter':
      return { type: 'approx', attribute: attributeOf(filter), value: text(filter.value) };
    case 'PresenceFilter':
      return { type: 'present', attribute: attributeOf(filter) };
    case 'SubstringFilter':
      return {
        type: 'substring',
        attribute: attributeOf(filter),
        ...(filter.initial ? { initial: filter.initial } : {}),
        any: [...(filter.any ?? [])],
        ...(filter.final ? { final: filter.final } : {}),
      };
    case 'ExtensibleFilter':
      return {
        type: 'extensible',
        ...(filter.attribute ? { attribute: filter.attribute } : {}),
        ...(filter.matchingRule ? { rule: filter.matchingRule } : {}),
        value: text(filter.value),
        dnAttributes: filter.dnAttributes === true,
      };
    default:
      throw new Error(`ldapjs produced a filter of unknown type ${filter.type}`);
  }
}
