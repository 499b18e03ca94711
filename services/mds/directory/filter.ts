/**
 * A search filter, as the directory evaluates it (RFC 4511 section 4.5.1), independent of any
 * LDAP library: the LDAP layer turns what ldapjs parsed into this. Attribute names and values
 * are as the client wrote them; the directory normalises them.
 */
export type Filter =
  | { readonly type: 'and'; readonly filters: readonly Filter[] }
  | { readonly type: 'or'; readonly filters: readonly Filter[] }
  | { readonly type: 'not'; readonly filter: Filter }
  | { readonly type: 'equality'; readonly attribute: string; readonly value: string }
  | { readonly type: 'greaterOrEqual'; readonly attribute: string; readonly value: string }
  | { readonly type: 'lessOrEqual'; readonly attribute: string; readonly value: string }
  | { readonly type: 'approx'; readonly attribute: string; readonly value: string }
  | { readonly type: 'present'; readonly attribute: string }
  | {
      readonly type: 'substring';
      readonly attribute: string;
      readonly initial?: string;
      readonly any: readonly string[];
      readonly final?: string;
    }
  | {
      readonly type: 'extensible';
      /** Absent: any attribute of the entry. */
      readonly attribute?: string;
      /** A matching rule name or OID; absent: the attribute's equality rule. */
      readonly rule?: string;
      readonly value: string;
      /** Also match the values in the entry's own DN. */
      readonly dnAttributes: boolean;
    };

/** How deeply `and`/`or`/`not` nest in a filter (a simple item is depth 1). */
export function filterDepth(filter: Filter): number {
  let deepest = 0;
  const stack: Array<[Filter, number]> = [[filter, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [Filter, number];
    if (depth > deepest) deepest = depth;
    if (item.type === 'and' || item.type === 'or') for (const child of item.filters) stack.push([child, depth + 1]);
    else if (item.type === 'not') stack.push([item.filter, depth + 1]);
  }
  return deepest;
}
